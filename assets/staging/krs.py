"""Staging of KRS extracts: one row per entity (seat mapped to TERYT), one per PKD code.

An extract that is a complete file but not readable (truncated JSON, another shape) goes to the
quarantine under its file name with the reason; it does not make the whole source stale, since
each extract is one entity of thousands.

Tens of thousands of extracts arrive, and a month's refresh should take seconds, not minutes:
- the two tables come from one parse of the landed files (the entity asset parses, the PKD
  asset that follows it in the same process reuses the parse);
- rows are typed, screened and written in DuckDB SQL (StagingSpec.stage), not in pandas;
- the API writes its dates in one form, which DuckDB reads; what only Python knows how to read
  (names, written identifiers, seat names) is worked out once per distinct value, with the same
  functions as the other sources, and joined in.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import duckdb
import numpy as np
import pandas as pd

from assets.reference import region_reference, region_units
from assets.settings import MonitorSettings
from assets.staging.flow import StagingSpec
from quality import rules
from quality.identifiers import digits_only, nip_is_valid, regon_is_valid
from quality.names import name_key
from quality.quarantine import RowRule, Screened
from sources.krs_extracts import (
    API_ERROR_BODY,
    EXTRACT_WITHOUT_DATA,
    MALFORMED_JSON,
    PROVENANCE,
    UNEXPECTED_SHAPE,
    read_extract_rows,
)
from sources.teryt import fold_name, resolve_powiat_codes

#: A PKD code at any level the register writes: division `20`, group `20.1`, class `20.11`,
#: subclass `20.11.Z` (a subclass only under a class).
PKD_CODE = r"\d{2}(\.\d(\d(\.[A-Z])?)?)?"
KRS_NUMBER = r"\d{10}"
#: Gmina-level TERC kinds (RODZ): urban, rural, urban-rural; 4 and 5 are parts of the latter.
GMINA_KINDS = ("1", "2", "3")


# --- reading: one parse for both tables ------------------------------------------------------

@lru_cache(maxsize=1)
def landed_extract_rows(paths: tuple[Path, ...]) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Entity and PKD rows of the extracts, kept for the one call that follows.

    The entity and PKD assets read the same landed files one after the other in one process
    (the in-process executor), and parsing is most of their work. Landed files are named by
    their content's sha256, so the same paths hold the same bytes.
    """
    return read_extract_rows(list(paths))


def read_entities(paths: list[Path]) -> pd.DataFrame:
    """One entity row per extract; why an unreadable one is unreadable goes to the notes.

    A shallow copy of the parse (the caller renames its files, which replaces that column
    only): the rows' values are not copied again.
    """
    entities = landed_extract_rows(tuple(paths))[0].copy(deep=False)
    unreadable = entities.dropna(subset="problem_detail")
    entities.attrs = {name: {"unreadable": detail} for name, detail
                      in zip(unreadable["_file"], unreadable["problem_detail"], strict=True)}
    return entities


def read_pkd(paths: list[Path]) -> pd.DataFrame:
    """The PKD rows of the extracts (none for an unreadable one: its entity row says why)."""
    return landed_extract_rows(tuple(paths))[1].copy(deep=False)


def read_one(read_many: Callable[[list[Path]], pd.DataFrame]) -> Callable[[Path], pd.DataFrame]:
    """The single-file reader the recipe asks for, e.g. to test a reader on one file."""
    return lambda path: read_many([path])


# --- typing: Python's readings of the distinct values -----------------------------------------

def distinct(raw: pd.DataFrame, *columns: str) -> pd.Series:
    """The values written in the columns of the rows read, once each: thousands of extracts
    share a few hundred seat names and registration days, so each reading below runs once per
    value, not once per extract."""
    values = set().union(*(raw[c].tolist() for c in columns))
    values.discard(None)
    return pd.Series(list(values), dtype=object)


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
    folded = gmina_names.map(fold_name)
    return (powiat_codes.astype("string") + "|" + folded.astype("string")).map(lookup).astype(
        "string")


def seat_codes(seats: pd.DataFrame, settings: MonitorSettings) -> pd.DataFrame:
    """Each seat (voivodeship, powiat, gmina as written) with whether it is in the region and
    its powiat and gmina codes, resolved only for seats in the region: elsewhere no local code.
    """
    units = region_units(settings)
    region_name = fold_name(units.loc[units["kind"] == "voivodeship", "name"].iloc[0])
    # a seat not given (an extract without data) is in no voivodeship we know
    in_region = (seats["voivodeship"].map(fold_name) == region_name).where(
        seats["voivodeship"].notna(), None)
    powiat_codes = resolve_powiat_codes(seats["powiat"], units).where(in_region)
    gmina_codes = resolve_gmina_codes(powiat_codes, seats["gmina"], units)
    shared = seat_name_shared_over_time(powiat_codes, seats["gmina"], settings)
    return seats.assign(in_region=in_region, powiat_code=powiat_codes,
                        gmina_code=gmina_codes.where(~shared))


def seat_name_shared_over_time(powiat_codes: pd.Series, gmina_names: pd.Series,
                               settings: MonitorSettings) -> pd.Series:
    """True where the seat's gmina name is, at some date, the name of two gminas of its powiat:
    `NOWE MIASTO LUBAWSKIE` is the urban gmina 2812011 and, until 2025, the rural one now
    named Bratian (2812052). The extract does not say which, so it places no gmina and the
    register's explicit place (or the analyst's `terc` decision) stands."""
    reference = region_reference(settings)
    units = reference.units
    gminas = units.loc[(units["kind"] == "gmina") & units["gmina_kind"].isin(GMINA_KINDS),
                       ["terc", "powiat_code"]]
    names = reference.names.merge(gminas, on="terc")
    keys = names["powiat_code"] + "|" + names["name"].map(fold_name)
    codes_per_key = names.groupby(keys)["terc"].nunique()
    shared = set(codes_per_key.index[codes_per_key > 1])
    seat_keys = powiat_codes.astype("string") + "|" + gmina_names.map(fold_name).astype("string")
    return seat_keys.isin(shared).fillna(False).astype(bool)


def day_written(column: str) -> str:
    """SQL: the day a text column writes as the API writes days (`15.03.2019`), or in ISO form
    (`2019-03-15`); NULL for anything else, e.g. a two-digit year or no such day, which the
    readable-date rules then quarantine (the Excel serials other sources may hold are no form
    of a JSON extract)."""
    text = f"trim({column})"
    return (f"case when regexp_full_match({text}, '\\d{{1,2}}\\.\\d{{1,2}}\\.[12]\\d{{3}}') "
            f"then try_strptime({text}, '%d.%m.%Y') "
            f"when regexp_full_match({text}, '[12]\\d{{3}}-\\d{{1,2}}-\\d{{1,2}}') "
            f"then try_strptime({text}, '%Y-%m-%d') end::date")


#: SQL: the moment an extract was made, `dataCzasOdpisu` as the API writes it; NULL otherwise.
EXTRACTED_AT = ("case when regexp_full_match(r.extracted_at, "
                "'\\d{2}\\.\\d{2}\\.[12]\\d{3} \\d{1,2}:\\d{2}:\\d{2}') "
                "then try_strptime(r.extracted_at, '%d.%m.%Y %H:%M:%S') end::timestamp_ns")


def ids_as_digits(values: pd.Series) -> pd.Series:
    """`digits_only`, run only on the ids that need it: the API writes them as digits."""
    written = values.notna()
    plain = values.map(str.isdigit, na_action="ignore").astype(bool) & written
    cleaned = values.where(plain, None)
    if (written & ~plain).any():
        cleaned = cleaned.where(plain, digits_only(values.where(written & ~plain, None)))
    return cleaned.astype("string")


def identifiers(written: pd.Series, is_valid: Callable[[pd.Series], pd.Series]) -> pd.DataFrame:
    """Each identifier as written, as digits, and whether those pass the check digits."""
    digits = ids_as_digits(written)
    return pd.DataFrame({"written": written, "digits": digits, "valid": is_valid(digits)})


def entity_lookups(raw: pd.DataFrame, settings: MonitorSettings) -> dict[str, pd.DataFrame]:
    """The readings the entity rows join, each a small table of distinct values."""
    names = distinct(raw, "name")
    seats = pd.DataFrame(sorted(set(zip(*(raw[f"seat_{unit}"].tolist() for unit in
                                          ("voivodeship", "powiat", "gmina")), strict=True)),
                                key=str),
                         columns=["voivodeship", "powiat", "gmina"], dtype=object)
    return {
        "krs_names": pd.DataFrame({"written": names, "name_key": name_key(names)}),
        "krs_nips": identifiers(distinct(raw, "nip"), nip_is_valid),
        "krs_regons": identifiers(distinct(raw, "regon"), regon_is_valid),
        "krs_seats": seat_codes(seats, settings),
    }


#: The entity rows typed: the table's columns in order, then what only the rules read (`_...`).
#: The dates are also kept as written (`registered_on_text`...), as `with_parsed_dates` does,
#: so that a rule can tell a missing date from an unreadable one.
ENTITY_TYPED = f"""
select
    r.krs::varchar as krs,
    r.register::varchar as register,
    r.extract_kind::varchar as extract_kind,
    r.legal_form::varchar as legal_form,
    r.name::varchar as name,
    nip.digits::varchar as nip,
    regon.digits::varchar as regon,
    r.is_opp::boolean as is_opp,
    r.seat_voivodeship::varchar as seat_voivodeship,
    r.seat_powiat::varchar as seat_powiat,
    r.seat_gmina::varchar as seat_gmina,
    r.seat_town::varchar as seat_town,
    r.registered_on::varchar as registered_on_text,
    r.as_of::varchar as as_of_text,
    r.struck_off_on::varchar as struck_off_on_text,
    r.struck_off_final_on::varchar as struck_off_final_on_text,
    {EXTRACTED_AT} as extracted_at,
    null::varchar as problem,  -- an accepted extract has none: the rules quarantine the others
    r._file::varchar as source_file,
    r._line::bigint as source_line,
    {day_written('r.registered_on')} as registered_on,
    {day_written('r.as_of')} as as_of,
    {day_written('r.struck_off_on')} as struck_off_on,
    {day_written('r.struck_off_final_on')} as struck_off_final_on,
    names.name_key::varchar as name_key,
    seat.in_region::boolean as seat_in_region,
    seat.powiat_code::varchar as seat_powiat_code,
    seat.gmina_code::varchar as seat_gmina_code,
    r._row as _row,
    r._sheet::varchar as _sheet,
    r.problem::varchar as _problem,
    nip.valid as _nip_valid,
    regon.valid as _regon_valid
from raw_rows r
left join krs_names names on names.written = r.name
left join krs_nips nip on nip.written = r.nip
left join krs_regons regon on regon.written = r.regon
left join krs_seats seat
    on seat.voivodeship is not distinct from r.seat_voivodeship
    and seat.powiat is not distinct from r.seat_powiat
    and seat.gmina is not distinct from r.seat_gmina
"""

#: The PKD rows typed: the code as the classification writes it at its level (`20` a division,
#: `20.1` a group, `20.11` a class, `93.13.Z` a subclass; the register leaves the finer parts
#: empty, `kodKlasa` "1" and `kodPodklasa` "" for group 20.1) and the section (A-U) of its
#: division, from data/reference/pkd_sections.csv.
PKD_TYPED = """
with parts as (
    select *, nullif(trim(pkd_class), '') as class_part,
        nullif(trim(pkd_subclass), '') as subclass_part
    from raw_rows
)
select
    krs::varchar as krs,
    register::varchar as register,
    pkd_list::varchar as pkd_list,
    pkd_division::varchar as pkd_division,
    class_part::varchar as pkd_class,
    subclass_part::varchar as pkd_subclass,
    description::varchar as description,
    _file::varchar as source_file,
    _line::bigint as source_line,
    (trim(pkd_division) || coalesce('.' || class_part, '')
        || coalesce('.' || subclass_part, ''))::varchar as pkd_code,
    (case when subclass_part is not null then 'subclass'
          when length(class_part) = 2 then 'class'
          when length(class_part) = 1 then 'group'
          when class_part is null then 'division' end)::varchar as pkd_level,
    d.section::varchar as pkd_section,
    _row,
    _sheet::varchar as _sheet
from parts
left join pkd_divisions d on d.division = parts.pkd_division
"""


# --- screening and writing in SQL -------------------------------------------------------------

@dataclass(frozen=True)
class SqlRule:
    """A row rule checked in SQL: a condition over the typed rows that the failing ones meet,
    with the field, reason code and Polish message the analyst reads in the quarantine."""

    field: str
    reason_code: str
    message: str
    fails: str

    @classmethod
    def like(cls, rule: RowRule, fails: str) -> SqlRule:
        """The field, reason code and message of a rule of quality.rules (written once for
        every source), checked by the SQL condition `fails`."""
        return cls(rule.field, rule.reason_code, rule.message, fails)


def if_readable(rule: SqlRule) -> SqlRule:
    """A rule checked only on readable extracts: an unreadable one has one reason, not ten."""
    return SqlRule(rule.field, rule.reason_code, rule.message,
                   f"_problem is null and ({rule.fails})")


def written_but_unreadable(rule: RowRule, parsed: str) -> SqlRule:
    """`rules.readable_date` (and the like) in SQL: written, but no value could be read."""
    return SqlRule.like(rule, f"{rule.field} is not null and {parsed} is null")


@contextmanager
def views_of(con: duckdb.DuckDBPyConnection, frames: dict[str, pd.DataFrame]) -> Iterator[None]:
    """The frames readable by name in the connection's queries for the time of the block.

    Not copied into tables: each query reads from pandas only the columns it uses, and the
    rows are read at most twice (the failures, then the accepted rows).
    """
    for name, frame in frames.items():
        con.register(name, frame)
    try:
        yield
    finally:
        for name in frames:
            con.unregister(name)


#: DuckDB settings for writing one staging table whole, each with why.
BULK_WRITE_SETTINGS = {
    # The rows are read from Python objects, which one thread at a time may touch (the GIL),
    # and tens of thousands of rows are less than one of DuckDB's row groups: a second thread
    # has nothing to do (20 000 extracts stage no faster on two), and the machine keeps a core.
    "threads": "1",
    # The commit writes the table straight into the database file (a checkpoint) instead of
    # into the write-ahead log first and into the file again when the connection closes:
    # written once, not twice (20 000 extracts: ~30 ms less, of ~300 for both tables).
    "checkpoint_threshold": "1B",
}


@contextmanager
def bulk_write_settings(con: duckdb.DuckDBPyConnection) -> Iterator[None]:
    """BULK_WRITE_SETTINGS for the time of the block, the connection's own restored after."""
    names = list(BULK_WRITE_SETTINGS)
    before = dict(zip(names, con.execute("select " + ", ".join(
        f"current_setting('{name}')" for name in names)).fetchone(), strict=True))
    for name, value in BULK_WRITE_SETTINGS.items():
        con.execute(f"set {name} = '{value}'")
    try:
        yield
    finally:
        for name, value in before.items():
            con.execute(f"set {name} = '{value}'")


def stage_in_sql(con: duckdb.DuckDBPyConnection, table: str, raw: pd.DataFrame, typed: str,
                 row_rules: list[SqlRule],
                 lookups: Callable[[pd.DataFrame], dict[str, pd.DataFrame]] | None = None
                 ) -> Screened:
    """Rows typed by the query `typed` (over `raw_rows`, the rows read numbered by `_row` in
    their order, and the tables `lookups` makes from them), screened by the rules, and the
    accepted ones written to `table` in the order they were read, without the typed query's
    own `_` columns.

    The quarantine rows come as `screen` gives them: one per failure of each rule, rule by rule,
    a condition that is NULL counting as passed. The accepted rows are given by their place
    (`_file`, `_sheet`, `_line`), which is what the recipe counts: the rows are in the table.

    The rows are typed once: every row is written with the rules it fails, the failures are
    listed from the table, then the failing rows and the bookkeeping columns are dropped, all in
    one transaction (a failure leaves the previous table as it was).
    """
    failed_rules = ("list_filter([" + ", ".join(
        f"case when coalesce({rule.fails}, false) then {i} end" for i, rule in enumerate(row_rules))
        + "], lambda rule: rule is not null)") if row_rules else "[]::integer[]"
    numbered = raw.copy(deep=False)
    numbered["_row"] = np.arange(len(raw))
    with views_of(con, {"raw_rows": numbered, **(lookups(raw) if lookups else {})}), \
            bulk_write_settings(con):
        con.execute("begin transaction")
        try:
            con.execute(f"create schema if not exists {table.split('.')[0]}")
            con.execute(f"create or replace table {table} as select columns(lambda c: c[1] != "
                        f"'_'), _row, _sheet, {failed_rules} as _failed_rules from ({typed}) "
                        "order by _row")
            failures = con.execute(
                "select rule, _row, source_file as file, _sheet as sheet, source_line as line "
                f"from (select *, unnest(_failed_rules) as rule from {table} "
                "where len(_failed_rules) > 0) order by rule, _row").df()
            con.execute(f"delete from {table} where len(_failed_rules) > 0")
            for column in ("_row", "_sheet", "_failed_rules"):
                con.execute(f"alter table {table} drop column {column}")
            con.execute("commit")
        except BaseException:
            con.execute("rollback")
            raise
    why = pd.DataFrame([(r.field, r.reason_code, r.message) for r in row_rules],
                       columns=["field", "reason_code", "message"])
    rejected = pd.concat([failures[["file", "sheet", "line"]],
                          why.iloc[failures["rule"]].reset_index(drop=True)], axis=1)
    failed = np.zeros(len(raw), dtype=bool)
    failed[failures["_row"].to_numpy(dtype=np.int64)] = True
    return Screened(accepted=raw.loc[~failed, PROVENANCE], rejected=rejected)


READABLE_ENTITY_RULES = [
    SqlRule.like(rules.valid_krs(), f"krs is not null and not regexp_full_match(krs, "
                                    f"'{KRS_NUMBER}')"),
    SqlRule.like(rules.valid_nip(), "nip is not null and not _nip_valid"),
    SqlRule.like(rules.valid_regon(), "regon is not null and not _regon_valid"),
    SqlRule.like(rules.required("registered_on_text", "data rejestracji w KRS"),
                 "registered_on_text is null"),
    written_but_unreadable(
        rules.readable_date("registered_on_text", "registered_on", "data rejestracji w KRS"),
        "registered_on"),
    written_but_unreadable(rules.readable_date("as_of_text", "as_of", "stan z dnia"), "as_of"),
    written_but_unreadable(
        rules.readable_date("struck_off_on_text", "struck_off_on", "data wykreślenia"),
        "struck_off_on"),
    written_but_unreadable(
        rules.readable_date("struck_off_final_on_text", "struck_off_final_on",
                            "data uprawomocnienia wykreślenia"), "struck_off_final_on"),
]

ENTITY_RULES = [
    SqlRule("odpis", MALFORMED_JSON, "Odpis z KRS nie jest poprawnym plikiem JSON (np. ucięty).",
            f"_problem = '{MALFORMED_JSON}'"),
    SqlRule("odpis", UNEXPECTED_SHAPE,
            "Odpis z KRS ma nieoczekiwaną budowę (brak pól odpisu z API KRS).",
            f"_problem = '{UNEXPECTED_SHAPE}'"),
    SqlRule("odpis", API_ERROR_BODY,
            "Plik w folderze KRS nie jest odpisem, tylko odpowiedzią API z komunikatem o błędzie "
            "(brak pola „odpis”).", f"_problem = '{API_ERROR_BODY}'"),
    SqlRule("odpis", EXTRACT_WITHOUT_DATA,
            "Odpis z KRS bez danych: jest nagłówek, brak części „dane”.",
            f"_problem = '{EXTRACT_WITHOUT_DATA}'"),
    *(if_readable(rule) for rule in READABLE_ENTITY_RULES),
]

PKD_RULES = [
    SqlRule.like(rules.valid_krs(), f"krs is not null and not regexp_full_match(krs, "
                                    f"'{KRS_NUMBER}')"),
    SqlRule("pkd_code", "invalid_pkd",
            "Kod PKD nie jest kodem działu, grupy, klasy ani podklasy PKD 2007 (dd, dd.d, "
            "dd.dd, dd.dd.X) albo jego dział nie należy do żadnej sekcji A–U.",
            f"not coalesce(regexp_full_match(pkd_code, '{PKD_CODE}'), false) "
            "or pkd_section is null"),
]


def stage_entities(con: duckdb.DuckDBPyConnection, table: str, raw: pd.DataFrame,
                   settings: MonitorSettings) -> Screened:
    """The entity rows typed (seat mapped to TERYT), screened and written."""
    return stage_in_sql(con, table, raw, ENTITY_TYPED, ENTITY_RULES,
                        lambda raw: entity_lookups(raw, settings))


def pkd_sections(settings: MonitorSettings) -> pd.DataFrame:
    """The sections of PKD 2007 with the range of their divisions (data/reference)."""
    return pd.read_csv(settings.reference("pkd_sections.csv"),
                       dtype={"section": str, "section_pl": str, "division_from": "int64",
                              "division_to": "int64"})


def pkd_divisions(settings: MonitorSettings) -> pd.DataFrame:
    """Each division of PKD 2007 (`01`...`99`, as the register writes it) with its section:
    the PKD rows join it on equality, which is cheaper than a range per row."""
    sections = pkd_sections(settings)
    return pd.DataFrame([(f"{d:02d}", s.section) for s in sections.itertuples()
                         for d in range(s.division_from, s.division_to + 1)],
                        columns=["division", "section"])


def stage_pkd(con: duckdb.DuckDBPyConnection, table: str, raw: pd.DataFrame,
              settings: MonitorSettings) -> Screened:
    """The PKD rows with their code, level and section, screened and written."""
    return stage_in_sql(con, table, raw, PKD_TYPED, PKD_RULES,
                        lambda raw: {"pkd_divisions": pkd_divisions(settings)})


krs_spec = StagingSpec(
    table="krs_entity",
    label_pl="Odpisy z KRS",
    landing_source="krs",
    read=read_one(read_entities),
    read_many=read_entities,
    stage=stage_entities,
    description="KRS extracts (current and full): identity, seat (TERYT), registration and "
                "strike-off dates.",
)

pkd_spec = StagingSpec(
    table="krs_pkd",
    label_pl="Kody PKD z odpisów KRS",
    landing_source="krs",
    read=read_one(read_pkd),
    read_many=read_pkd,
    stage=stage_pkd,
    description="PKD codes of the KRS extracts at their level (division, group, class, "
                "subclass) with their section (A-U): main and other activities, and the paid "
                "and unpaid public-benefit (OPP) activities of register S.",
)

krs_specs = [krs_spec, pkd_spec]
