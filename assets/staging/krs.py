"""Staging of KRS extracts: one row per entity, seat names mapped to the region's powiats."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from assets.reference import region_units
from assets.settings import MonitorSettings
from assets.staging.flow import StagingSpec
from quality import rules
from quality.identifiers import digits_only
from quality.names import name_key
from sources.krs_extracts import read_krs_extracts
from sources.teryt import fold_name, resolve_powiat_codes


def read_extract(path: Path) -> pd.DataFrame:
    return read_krs_extracts([path])


def prepare_krs(raw: pd.DataFrame, settings: MonitorSettings) -> pd.DataFrame:
    """Seat powiat resolved only for seats in the region: a seat elsewhere has no local code."""
    units = region_units(settings)
    region_name = fold_name(units.loc[units["kind"] == "voivodeship", "name"].iloc[0])
    in_region = raw["seat_voivodeship"].map(fold_name) == region_name
    return raw.assign(
        name_key=name_key(raw["name"]),
        nip=digits_only(raw["nip"]),
        regon=digits_only(raw["regon"]),
        seat_in_region=in_region,
        seat_powiat_code=resolve_powiat_codes(raw["seat_powiat"], units).where(in_region),
    )


krs_spec = StagingSpec(
    table="krs_entity",
    label_pl="Odpisy z KRS",
    landing_source="krs",
    read=read_extract,
    prepare=prepare_krs,
    rules=[rules.valid_krs(), rules.valid_nip(), rules.valid_regon()],
    description="KRS extracts (current and full): identity, seat, registration and strike-off.",
)

krs_specs = [krs_spec]
