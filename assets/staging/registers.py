"""Staging of the PES registers: the regional catalogue, the social-enterprise register, the
registers of CIS, KIS, ZAZ and WTZ and the register of rural housewives' circles (KGW).

Every register follows one recipe, driven by its mapping file (sources/mappings/<table>.yml):
columns typed by their declared type (identifiers normalised, dates and numbers read), written
values mapped by the lookups, places resolved to TERYT codes; the rules follow from the same
declarations, plus what each register requires. Entity resolution across registers is core's.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from functools import partial
from pathlib import Path

import pandas as pd

from assets.landing import data_date
from assets.reference import place_resolver
from assets.settings import MonitorSettings
from assets.staging.flow import StagingSpec
from quality import rules
from quality.identifiers import digits_only, normalise_krs
from quality.names import name_key
from quality.quarantine import VALUES_SET_ASIDE, RowRule
from sources.cells import with_parsed_dates, with_parsed_numbers
from sources.kgw_register import read_kgw_register
from sources.mapping import OVERFLOW, TableMapping, load_mapping
from sources.pes_catalogue import read_pes_catalogue
from sources.social_enterprises import read_social_enterprises
from sources.teryt import gmina_with_kind
from sources.unit_registers import (
    read_cis_register,
    read_kis_register,
    read_wtz_register,
    read_zaz_register,
)


def typed(raw: pd.DataFrame, mapping: TableMapping) -> pd.DataFrame:
    """Columns by their declared type: identifiers normalised (never repaired), dates and
    numbers parsed with the written text kept as `<column>_text`; lookups give `<name>` codes
    for each `<name>_pl` column."""
    frame = raw.assign(name=raw["name"].str.strip(), name_key=name_key(raw["name"]))
    for column in mapping.columns_of_type("nip", "regon"):
        frame[column] = digits_only(frame[column])
    for column in mapping.columns_of_type("krs"):
        frame[column] = normalise_krs(frame[column])
    frame = with_parsed_dates(frame, *mapping.columns_of_type("date"),
                              formats=mapping.date_formats)
    frame = with_parsed_numbers(frame, *mapping.columns_of_type("decimal", "integer"))
    codes = {name: mapping.lookup(name, frame[f"{name}_pl"]) for name in mapping.lookups}
    return frame.assign(**codes)


def placed(frame: pd.DataFrame, settings: MonitorSettings) -> pd.DataFrame:
    """Powiat and gmina codes from the written names, each with `_problem` and `_candidates`.

    A gmina is resolved within its powiat, on the town and the kind of gmina written (in the
    gmina's cell or a column of its own); the file's date (the date in its name, else the
    period end) is shown beside ambiguous candidates. A register without a powiat column gets
    the powiat of the gmina.
    """
    resolver = place_resolver(settings)
    if "powiat_written" in frame:
        powiats = resolver.powiats(frame["powiat_written"])
        frame = frame.assign(**{f"powiat_{k}": v for k, v in powiats.items()})
    if "gmina_written" in frame or "town" in frame:
        on = frame["_file"].map(data_date).fillna(settings.period_end_date())
        nothing = pd.Series(None, index=frame.index, dtype="object")
        written = frame.get("gmina_written", nothing)
        if "gmina_kind_written" in frame:
            written = gmina_with_kind(written, frame["gmina_kind_written"])
        gminas = resolver.gminas(written, frame.get("town", nothing),
                                 frame.get("powiat_code", nothing), on)
        frame = frame.assign(**{f"gmina_{k}": v for k, v in gminas.items()})
        if "powiat_written" not in frame:
            frame = frame.assign(powiat_code=frame["gmina_code"].str[:4])
    return frame


def prepare_register(raw: pd.DataFrame, settings: MonitorSettings, table: str) -> pd.DataFrame:
    return placed(typed(raw, load_mapping(table)), settings)


def place_rules(mapping: TableMapping) -> list[RowRule]:
    """The powiat required and resolved; the gmina resolved from the written gmina or, where
    none is written, from the town. A row whose powiat failed is not faulted for its gmina."""
    has = set(mapping.columns)
    found = []
    if "powiat_written" in has:
        label = mapping.label("powiat_written")
        found += [rules.required("powiat_written", label),
                  *rules.resolved_unit("powiat_written", "powiat", label)]

    def read_from(written: str) -> Callable[[pd.DataFrame], pd.Series]:
        def applies(frame: pd.DataFrame) -> pd.Series:
            rows = frame[written].notna()
            if "powiat_written" in has:
                rows &= frame["powiat_code"].notna()
            if written == "town" and "gmina_written" in has:
                rows &= frame["gmina_written"].isna()
            return rows
        return applies

    for written in ("gmina_written", "town"):
        if written in has:
            found += rules.resolved_unit(written, "gmina", mapping.label(written),
                                         applies=read_from(written))
    if "krs" in has:
        found = [split for rule in found for split in ambiguous_gmina_left_to_krs(rule)]
    return found


def ambiguous_gmina_left_to_krs(rule: RowRule) -> list[RowRule]:
    """An ambiguous gmina on a row with a KRS number costs the gmina, not the row: the entity
    takes its gmina from its KRS seat when that is unambiguous (core.pes_entity reads KRS
    first), else stays placed in its powiat only. Without a KRS the row is quarantined whole.
    Other rules pass through."""
    if rule.reason_code != "ambiguous_teryt_unit" or rule.field == "powiat_written":
        return [rule]

    def with_krs(frame: pd.DataFrame) -> pd.Series:
        return rule.fails(frame) & frame["krs"].notna()

    def without_krs(frame: pd.DataFrame) -> pd.Series:
        return rule.fails(frame) & frame["krs"].isna()

    return [replace(rule, fails=without_krs),
            replace(rule, fails=with_krs, sets_aside="gmina_code",
                    message=rule.message + " Wiersz przyjęty: gminę wskaże siedziba z odpisu "
                    "KRS, jeśli jest jednoznaczna.")]


def register_rules(table: str, required: tuple[str, ...] = (),
                   ordered: tuple[tuple[str, str], ...] = ()) -> list[RowRule]:
    """The rules of a register: its required values, the checks its columns' types and lookups
    bring, its places, and which of its dates must be in order."""
    mapping = load_mapping(table)
    labels = {column: mapping.label(column) for column in mapping.columns}
    return [rules.fits_header(), *map(within_header, [
        rules.required("name", labels["name"]),
        *(rules.required(column, mapping.label(column)) for column in required),
        *map(identifier_set_aside, rules.typed_column_rules(mapping.types, labels)),
        *(rules.known_value(f"{name}_pl", name, labels[f"{name}_pl"])
          for name in mapping.lookups),
        *place_rules(mapping),
        *(rules.ordered_dates(start, end) for start, end in ordered),
        identified_or_placed(mapping),
    ])]


#: Reasons whose value is set aside rather than the row quarantined: a typo in one identifier
#: must not take the organisation out of the counts when other keys still identify it.
SET_ASIDE_REASONS = frozenset({"invalid_nip", "invalid_regon"})


def identifier_set_aside(rule: RowRule) -> RowRule:
    """A NIP or REGON failing its check digit is set aside (field-level quarantine); other
    rules stay whole-row."""
    if rule.reason_code not in SET_ASIDE_REASONS:
        return rule
    return replace(rule, sets_aside=rule.field, message=rule.message + " Wartość pominięta; wiersz "
                   "przyjęty i łączony po pozostałych danych (KRS, drugi identyfikator, nazwa "
                   "i gmina).")


def identified_or_placed(mapping: TableMapping) -> RowRule:
    """A row that lost an identifier is quarantined whole only when nothing is left to
    identify or place it: no KRS, NIP or REGON of its own and no powiat or gmina code."""
    keys = [*(c for c in ("krs", "nip", "regon") if c in mapping.columns),
            "gmina_code", "powiat_code"]

    def fails(frame: pd.DataFrame) -> pd.Series:
        nothing_left = frame.reindex(columns=keys).isna().all(axis=1)
        return (frame[VALUES_SET_ASIDE] > 0) & nothing_left

    return RowRule("name", "unidentified_row",
                   "Po pominięciu błędnego NIP lub REGON wiersz nie ma żadnego identyfikatora "
                   "(KRS, NIP, REGON) ani rozpoznanej gminy lub powiatu.", fails)


def within_header(rule: RowRule) -> RowRule:
    """The rule on rows that fit their header: a shifted row fails only `cells_beyond_header`,
    not every rule its shifted values happen to break."""
    return replace(rule, fails=lambda frame: rule.fails(frame) & (frame[OVERFLOW] == 0))


def register_spec(table: str, label_pl: str, landing_source: str,
                  read: Callable[[Path], pd.DataFrame], description: str,
                  required: tuple[str, ...] = (),
                  ordered: tuple[tuple[str, str], ...] = ()) -> StagingSpec:
    """A register's staging spec: its mapping file has the table's name."""
    return StagingSpec(table=table, label_pl=label_pl, landing_source=landing_source, read=read,
                       prepare=partial(prepare_register, table=table),
                       rules=register_rules(table, required, ordered), description=description)


pes_catalogue_spec = register_spec(
    "pes_catalogue", "Katalog PES (ROPS)", "pes_catalogue", read_pes_catalogue,
    "Regional PES catalogue, one row per catalogue line, identifiers normalised.",
    required=("started_on_text",), ordered=(("started_on", "ended_on"),))

social_enterprise_spec = register_spec(
    "social_enterprise", "Rejestr przedsiębiorstw społecznych", "social_enterprises",
    read_social_enterprises,
    "Register of social enterprises: status granted and lost, by decision.",
    required=("granted_on_text",), ordered=(("granted_on", "lost_on"),))

cis_register_spec = register_spec(
    "cis_register", "Rejestr CIS (UW CIS 01)", "cis_register", read_cis_register,
    "Social Integration Centres (CIS): seat, activity status and dates, founding institution.",
    required=("started_on_text",), ordered=(("started_on", "ended_on"),))

kis_register_spec = register_spec(
    "kis_register", "Wykaz KIS", "kis_register", read_kis_register,
    "Social Integration Clubs (KIS) from their registration forms: town, dates, operator.",
    required=("started_on_text",), ordered=(("created_on", "started_on"),
                                            ("started_on", "ended_on")))

zaz_register_spec = register_spec(
    "zaz_register", "Rejestr ZAZ (UW SIZAZ 01)", "zaz_register", read_zaz_register,
    "Vocational Activity Establishments (ZAZ): status granted and lost, employment, organiser.",
    required=("granted_on_text",), ordered=(("granted_on", "lost_on"),))

wtz_register_spec = register_spec(
    "wtz_register", "Wykaz WTZ", "wtz_register", read_wtz_register,
    "Occupational Therapy Workshops (WTZ): seat, dates, participants, running body.",
    required=("started_on_text",), ordered=(("started_on", "ended_on"),))

kgw_register_spec = register_spec(
    "kgw_register", "Krajowy Rejestr Kół Gospodyń Wiejskich (ARiMR)", "kgw_register",
    read_kgw_register,
    "Rural housewives' circles (KGW): entry and strike-off, NIP and REGON (no KRS), seat.",
    required=("registered_on_text",), ordered=(("registered_on", "struck_off_on"),))

register_specs = [pes_catalogue_spec, social_enterprise_spec, cis_register_spec,
                  kis_register_spec, zaz_register_spec, wtz_register_spec, kgw_register_spec]
