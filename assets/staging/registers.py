"""Staging of the PES registers: the regional catalogue and the social-enterprise register."""

from __future__ import annotations

import pandas as pd

from assets.reference import region_units
from assets.settings import MonitorSettings
from assets.staging.flow import StagingSpec
from quality import rules
from quality.identifiers import digits_only, normalise_krs
from quality.names import name_key
from sources.cells import with_parsed_dates
from sources.mapping import load_mapping
from sources.pes_catalogue import read_pes_catalogue
from sources.social_enterprises import read_social_enterprises
from sources.teryt import resolve_powiat_codes


def identifiers(raw: pd.DataFrame, settings: MonitorSettings) -> pd.DataFrame:
    """Identifier and place columns shared by the registers, normalised."""
    return raw.assign(
        name=raw["name"].str.strip(),
        name_key=name_key(raw["name"]),
        krs=normalise_krs(raw["krs"]),
        nip=digits_only(raw["nip"]),
        regon=digits_only(raw["regon"]),
        powiat_code=resolve_powiat_codes(raw["powiat_written"], region_units(settings)),
    )


def prepare_catalogue(raw: pd.DataFrame, settings: MonitorSettings) -> pd.DataFrame:
    return with_parsed_dates(identifiers(raw, settings), "started_on", "ended_on").assign(
        entity_type=load_mapping("pes_catalogue").lookup("entity_type", raw["entity_type_pl"]),
        founder_krs=normalise_krs(raw["founder_krs"]),
    )


def prepare_social_enterprises(raw: pd.DataFrame, settings: MonitorSettings) -> pd.DataFrame:
    return with_parsed_dates(identifiers(raw, settings), "granted_on", "lost_on")


IDENTIFIER_RULES = [
    rules.required("name", "nazwa"),
    rules.valid_krs(),
    rules.valid_nip(),
    rules.valid_regon(),
    rules.known_unit("powiat_written", "powiat_code", "Powiat"),
]

pes_catalogue_spec = StagingSpec(
    table="pes_catalogue",
    label_pl="Katalog PES (ROPS)",
    landing_source="pes_catalogue",
    read=read_pes_catalogue,
    prepare=prepare_catalogue,
    rules=[
        *IDENTIFIER_RULES,
        rules.known_value("entity_type_pl", "entity_type", "Typ PES"),
        rules.valid_krs("founder_krs"),
        rules.required("started_on_text", "Data rozpoczęcia działalności"),
        rules.readable_date("started_on_text", "started_on", "Data rozpoczęcia działalności"),
        rules.readable_date("ended_on_text", "ended_on", "Data zakończenia działalności"),
        rules.ordered_dates("started_on", "ended_on"),
    ],
    description="Regional PES catalogue, one row per catalogue line, identifiers normalised.",
)

social_enterprise_spec = StagingSpec(
    table="social_enterprise",
    label_pl="Rejestr przedsiębiorstw społecznych",
    landing_source="social_enterprises",
    read=read_social_enterprises,
    prepare=prepare_social_enterprises,
    rules=[
        *IDENTIFIER_RULES,
        rules.required("granted_on_text", "Data przyznania statusu"),
        rules.readable_date("granted_on_text", "granted_on", "Data przyznania statusu"),
        rules.readable_date("lost_on_text", "lost_on", "Data utraty statusu"),
        rules.ordered_dates("granted_on", "lost_on"),
    ],
    description="Register of social enterprises: status granted and lost, by decision.",
)

register_specs = [pes_catalogue_spec, social_enterprise_spec]
