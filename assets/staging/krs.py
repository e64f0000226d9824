"""Staging of KRS extracts: one row per entity (seat mapped to TERYT), one per PKD code.

An extract that is a complete file but not readable (truncated JSON, another shape) goes to the
quarantine under its file name with the reason; it does not make the whole source stale, since
each extract is one entity of thousands.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pandas as pd

from assets.reference import region_units
from assets.settings import MonitorSettings
from assets.staging.flow import StagingSpec
from quality import rules
from quality.identifiers import digits_only
from quality.names import name_key
from quality.quarantine import RowRule
from sources.cells import parse_dates
from sources.krs_extracts import MALFORMED_JSON, UNEXPECTED_SHAPE, read_extract_rows
from sources.teryt import fold_name, resolve_powiat_codes

PKD_CODE = r"\d{2}\.\d{2}(\.[A-Z])?"
#: Gmina-level TERC kinds (RODZ): urban, rural, urban-rural; 4 and 5 are parts of the latter.
GMINA_KINDS = ("1", "2", "3")


def read_entities(paths: list[Path]) -> pd.DataFrame:
    """One entity row per extract; why an unreadable one is unreadable goes to the notes."""
    entities, _ = read_extract_rows(paths)
    unreadable = entities.dropna(subset="problem_detail")
    frame = entities.drop(columns="problem_detail")
    frame.attrs = {name: {"unreadable": detail} for name, detail
                   in zip(unreadable["_file"], unreadable["problem_detail"], strict=True)}
    return frame


def read_pkd(paths: list[Path]) -> pd.DataFrame:
    """The PKD rows of the extracts (none for an unreadable one: its entity row says why)."""
    return read_extract_rows(paths)[1]


def read_one(read_many: Callable[[list[Path]], pd.DataFrame]) -> Callable[[Path], pd.DataFrame]:
    """The single-file reader the recipe asks for, e.g. to test a reader on one file."""
    return lambda path: read_many([path])


def per_distinct(values: pd.Series, compute: Callable[[pd.Series], pd.Series]) -> pd.Series:
    """`compute` run once per distinct value and spread back; missing stays missing.

    Thousands of extracts share a few hundred seat names and registration days, and the
    per-value steps (name folding, date parsing) are the slow part of the staging.
    """
    distinct = values.dropna().drop_duplicates()
    lookup = dict(zip(distinct, compute(distinct.reset_index(drop=True)), strict=True))
    return values.map(lookup).where(values.notna(), None)


def resolve_gmina_codes(powiat_codes: pd.Series, gmina_names: pd.Series,
                        units: pd.DataFrame) -> pd.Series:
    """TERC code of the gmina named within its powiat (7 characters).

    Missing where the powiat is not the region's, no gmina has the name, or two gminas of the
    powiat share it (an urban gmina and the rural one named after its town, e.g. Bartoszyce
    2801011 and 2801032): the extract's seat names the gmina, not its kind.
    """
    gminas = units[(units["kind"] == "gmina") & units["gmina_kind"].isin(GMINA_KINDS)]
    keys = gminas["powiat_code"] + "|" + gminas["name"].map(fold_name)
    unique = ~keys.duplicated(keep=False)
    lookup = dict(zip(keys[unique], gminas.loc[unique, "terc"], strict=True))
    folded = per_distinct(gmina_names, lambda names: names.map(fold_name))
    return (powiat_codes.astype("string") + "|" + folded.astype("string")).map(lookup).astype(
        "string")


def extract_times(values: pd.Series) -> pd.Series:
    """`dd.mm.yyyy hh:mm:ss` (the extract's `dataCzasOdpisu`) as timestamps, NaT if unreadable.

    Rewritten to ISO 8601 first, which pandas parses several times faster than a format.
    """
    iso = [f"{t[6:10]}-{t[3:5]}-{t[0:2]}T{t[11:]}" if isinstance(t, str) else None
           for t in values]
    return pd.to_datetime(pd.Series(iso, index=values.index, dtype=object), format="ISO8601",
                          errors="coerce")


def ids_as_digits(values: pd.Series) -> pd.Series:
    """`digits_only`, run only on the ids that need it: the API writes them as digits."""
    written = values.notna()
    plain = values.map(str.isdigit, na_action="ignore").astype(bool) & written
    cleaned = values.where(plain, None)
    if (written & ~plain).any():
        cleaned = cleaned.where(plain, digits_only(values.where(written & ~plain, None)))
    return cleaned.astype("string")


def prepare_krs(raw: pd.DataFrame, settings: MonitorSettings) -> pd.DataFrame:
    """Seat powiat and gmina resolved only for seats in the region: elsewhere no local code.

    The dates are kept as written beside the parsed ones (`registered_on_text`...), as
    `with_parsed_dates` does, so that a rule can tell a missing date from an unreadable one.
    Columns are added to one frame in place: copying a frame of thousands of rows per added
    column (as `assign` does) costs more than computing them.
    """
    units = region_units(settings)
    region_name = fold_name(units.loc[units["kind"] == "voivodeship", "name"].iloc[0])
    in_region = per_distinct(raw["seat_voivodeship"],
                             lambda names: names.map(fold_name)) == region_name
    powiat_codes = per_distinct(raw["seat_powiat"],
                                lambda names: resolve_powiat_codes(names, units)).astype(
        "string").where(in_region)
    dates = ["registered_on", "as_of", "struck_off_on"]
    days = per_distinct(pd.concat([raw[c] for c in dates], ignore_index=True), parse_dates)
    typed = raw.rename(columns={c: f"{c}_text" for c in dates}, copy=False)
    for i, column in enumerate(dates):
        typed[column] = days.iloc[i * len(raw):(i + 1) * len(raw)].set_axis(raw.index)
    typed["name_key"] = name_key(raw["name"])
    typed["nip"] = ids_as_digits(raw["nip"])
    typed["regon"] = ids_as_digits(raw["regon"])
    typed["extracted_at"] = extract_times(raw["extracted_at"])
    typed["seat_in_region"] = in_region
    typed["seat_powiat_code"] = powiat_codes
    typed["seat_gmina_code"] = resolve_gmina_codes(powiat_codes, raw["seat_gmina"], units)
    return typed


def prepare_pkd(raw: pd.DataFrame, settings: MonitorSettings) -> pd.DataFrame:
    """The PKD code as written in the classification: `93.13.Z` (or `52.10` for a class)."""
    parts = raw[["pkd_division", "pkd_class", "pkd_subclass"]].astype("string")
    code = parts["pkd_division"] + "." + parts["pkd_class"]
    return raw.assign(pkd_code=code.where(parts["pkd_subclass"].isna(),
                                          code + "." + parts["pkd_subclass"]))


def unreadable_extract(reason_code: str, message: str) -> RowRule:
    return RowRule("odpis", reason_code, message, lambda f: f["problem"] == reason_code)


def if_readable(rule: RowRule) -> RowRule:
    """A rule checked only on readable extracts: an unreadable one has one reason, not ten."""
    return RowRule(rule.field, rule.reason_code, rule.message,
                   lambda f: rule.fails(f).fillna(False).astype(bool) & f["problem"].isna())


krs_spec = StagingSpec(
    table="krs_entity",
    label_pl="Odpisy z KRS",
    landing_source="krs",
    read=read_one(read_entities),
    read_many=read_entities,
    prepare=prepare_krs,
    rules=[
        unreadable_extract(MALFORMED_JSON,
                           "Odpis z KRS nie jest poprawnym plikiem JSON (np. ucięty)."),
        unreadable_extract(UNEXPECTED_SHAPE,
                           "Odpis z KRS ma nieoczekiwaną budowę (brak pól odpisu z API KRS)."),
        *(if_readable(rule) for rule in [
            rules.valid_krs(),
            rules.valid_nip(),
            rules.valid_regon(),
            *rules.required_date("registered_on", "data rejestracji w KRS"),
            rules.readable_date("as_of_text", "as_of", "stan z dnia"),
            rules.readable_date("struck_off_on_text", "struck_off_on", "data wykreślenia"),
        ]),
    ],
    description="KRS extracts (current and full): identity, seat (TERYT), registration and "
                "strike-off dates.",
)

pkd_spec = StagingSpec(
    table="krs_pkd",
    label_pl="Kody PKD z odpisów KRS",
    landing_source="krs",
    read=read_one(read_pkd),
    read_many=read_pkd,
    prepare=prepare_pkd,
    rules=[
        rules.valid_krs(),
        RowRule("pkd_code", "invalid_pkd", "Kod PKD nie ma postaci dd.dd.X (dział.klasa.podklasa).",
                lambda f: ~f["pkd_code"].str.fullmatch(PKD_CODE).fillna(False).astype(bool)),
    ],
    description="PKD codes of the KRS extracts: main and other activities, and the paid and "
                "unpaid public-benefit (OPP) activities of register S.",
)

krs_specs = [krs_spec, pkd_spec]
