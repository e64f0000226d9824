"""The PES type a KRS legal form gives comes from data (data/reference/pes_legal_types.csv,
through the `core/krs_legal_form_type` asset), not from a CASE in SQL: KRS rows of every kind of
cooperative, an association, a foundation, a company and a church legal person, run through the
real core.entity_record SQL (sources/registry.py, built from sources/registry.yml) over the real
reference assets, get the type the Act gives them."""

from __future__ import annotations

import re
from pathlib import Path

import duckdb
import pandas as pd
import pytest
from dagster import materialize

from assets.reference import entity_type, krs_legal_form_type
from assets.settings import MonitorSettings
from assets.warehouse import Warehouse, declared_types
from quality.names import name_key
from sources.mapping import load_mapping
from sources.registry import entity_record_sql

ROOT = Path(__file__).resolve().parents[1]

# (name as KRS writes it, legal form, the type expected): the kind of a cooperative is told by
# its name only (KRS writes SPÓŁDZIELNIA for every one); a housing cooperative is no PES; a
# company's form does not say non-profit, so KRS alone gives it no type.
KRS_ROWS = [
    ("SPÓŁDZIELNIA PRACY „ZGODA”", "SPÓŁDZIELNIA", "work_cooperative"),
    ("Spółdzielnia Socjalna „Razem”", "SPÓŁDZIELNIA", "social_cooperative"),
    ("SPÓŁDZIELNIA INWALIDÓW „NAPRZÓD”", "SPÓŁDZIELNIA", "disabled_persons_cooperative"),
    ("SPÓŁDZIELNIA NIEWIDOMYCH W OLSZTYNIE", "SPÓŁDZIELNIA", "blind_persons_cooperative"),
    ("ROLNICZA SPÓŁDZIELNIA PRODUKCYJNA W GADACH", "SPÓŁDZIELNIA",
     "agricultural_production_cooperative"),
    ("SPÓŁDZIELNIA MIESZKANIOWA „ZACISZE”", "SPÓŁDZIELNIA", None),
    ("FUNDACJA „DOBRY DOM”", "FUNDACJA", "foundation"),
    ("STOWARZYSZENIE PRZYJACIÓŁ DYWIT", "STOWARZYSZENIE", "association"),
    ("KLUB SPORTOWY „WARMIA”", "STOWARZYSZENIE KULTURY FIZYCZNEJ", "association"),
    ("CENTRUM USŁUG SPÓŁKA Z OGRANICZONĄ ODPOWIEDZIALNOŚCIĄ",
     "SPÓŁKA Z OGRANICZONĄ ODPOWIEDZIALNOŚCIĄ", None),
    ("CARITAS ARCHIDIECEZJI WARMIŃSKIEJ",
     "KOŚCIELNA OSOBA PRAWNA BĘDĄCA ORGANIZACJĄ POŻYTKU PUBLICZNEGO", "church_legal_person"),
]


def empty_table(con: duckdb.DuckDBPyConnection, table: str) -> None:
    columns = ", ".join(f'"{c}" {t}' for c, t in declared_types()[table].items())
    con.execute(f"create table {table} ({columns})")


@pytest.fixture(scope="module")
def krs_types(tmp_path_factory: pytest.TempPathFactory) -> list[str | None]:
    """The entity_type core.entity_record's SQL gives each KRS row, in KRS_ROWS order."""
    tmp = tmp_path_factory.mktemp("krs_forms")
    settings = MonitorSettings(inbox_dir=str(tmp / "inbox"),
                               reference_dir=str(ROOT / "data" / "reference"),
                               landing_dir=str(tmp / "landing"), publish_dir=str(tmp / "publish"),
                               pseudonym_key_file=str(tmp / "key"))
    database = tmp / "warehouse.duckdb"
    result = materialize([entity_type, krs_legal_form_type], resources={
        "settings": settings, "warehouse": Warehouse(database=str(database))})
    assert result.success
    sql = entity_record_sql()
    names = pd.Series([name for name, _, _ in KRS_ROWS])
    rows = pd.DataFrame({"source_file": "krs/odpis.json", "source_line": range(1, len(names) + 1),
                         "name": names, "name_key": name_key(names),
                         "legal_form": [form for _, form, _ in KRS_ROWS]})
    with duckdb.connect(str(database)) as con:
        con.execute("create schema staging")
        for table in sorted(set(re.findall(r"from (staging\.\w+)", sql))):
            empty_table(con, table)
        con.register("krs_rows", rows)
        con.execute("insert into staging.krs_entity by name select * from krs_rows")
        records = con.execute(f"select source_line, entity_type from ({sql}) "
                              "where source = 'krs_entity' order by source_line").fetchall()
    assert [line for line, _ in records] == list(range(1, len(KRS_ROWS) + 1))
    return [entity_type for _, entity_type in records]


def test_krs_legal_forms_and_cooperatives_names_give_the_types_of_the_act(
        krs_types: list[str | None]) -> None:
    assert krs_types == [expected for _, _, expected in KRS_ROWS]


def test_the_sql_holds_no_list_of_legal_forms() -> None:
    """The forms are data: no literal KRS legal form is left in the entity records' SQL."""
    sql = entity_record_sql()
    assert "'SPÓŁDZIELNIA'" not in sql and "'STOWARZYSZENIE'" not in sql
    assert "case legal_form" not in sql


def test_the_catalogue_calls_a_company_non_profit_and_names_every_type_of_the_act() -> None:
    """A company is a PES only when the catalogue says non-profit; the catalogue's type column
    maps to a type of the reference for every type the Act names."""
    lookup = load_mapping("pes_catalogue").lookup
    written = pd.Series(["Spółka non-profit", "SPÓŁDZIELNIA PRACY", "KGW",
                         "Koło Gospodyń Wiejskich", "spółdzielnia socjalna"])
    assert lookup("entity_type", written).tolist() == [
        "non_profit_company", "work_cooperative", "rural_housewives_circle",
        "rural_housewives_circle", "social_cooperative"]
