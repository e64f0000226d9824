"""The reference of PES types the Act of 5 August 2022 on the social economy names
(data/reference/pes_legal_types.csv) is consistent: one row per code, each with its point of
art. 2 pkt 5 and a legal basis, every letter of that point covered, KRS legal forms only where a
KRS register is said, and a rule for the type KRS alone gives. It is the one list of entity types:
the `core/entity_type` asset and the checks' suite context read it, and the seven types counted
before it keep their codes, labels and order."""

from __future__ import annotations

import re
from pathlib import Path

import duckdb
import pandas as pd
import pytest
from dagster import materialize

from assets.checks import suite_context
from assets.reference import entity_type
from assets.settings import MonitorSettings
from assets.warehouse import Warehouse
from sample_data.krs_extracts import LEGAL_FORMS
from sources.mapping import load_mapping

ROOT = Path(__file__).resolve().parents[1]
REFERENCE = ROOT / "data" / "reference"
COUNTED_TODAY = ["association", "foundation", "social_cooperative", "cis", "kis", "zaz", "wtz"]


@pytest.fixture(scope="module")
def types() -> pd.DataFrame:
    return pd.read_csv(REFERENCE / "pes_legal_types.csv", dtype=str, keep_default_na=False)


def forms_of(types: pd.DataFrame) -> dict[str, set[str]]:
    return {row.entity_type: set(filter(None, row.krs_legal_forms.split("|")))
            for row in types.itertuples()}


def test_one_row_per_code_each_with_its_point_of_the_act_and_legal_basis(
        types: pd.DataFrame) -> None:
    assert types["entity_type"].is_unique and types["sort_order"].is_unique
    assert types["entity_type"].str.fullmatch(r"[a-z]+(_[a-z]+)*").all()
    for column in ("entity_type_pl", "kind", "act_point", "legal_basis", "register_pl"):
        assert (types[column].str.strip() != "").all(), column
    letters = types["act_point"].str.extract(r"^art\. 2 pkt 5 lit\. ([a-f])\b")[0]
    assert letters.notna().all()
    assert set(letters) == set("abcdef")  # art. 2 pkt 5 has the letters a-f
    # lit. b (WTZ, ZAZ) and lit. c (CIS, KIS) are the units run by a founder
    assert ((types["kind"] == "unit") == letters.isin(["b", "c"])).all()
    assert len(types) == 16


def test_krs_legal_forms_only_where_a_krs_register_is_said(types: pd.DataFrame) -> None:
    assert set(types["krs_register"]) <= {"S", "P", ""}
    for row, forms in zip(types.itertuples(), forms_of(types).values(), strict=True):
        if not row.krs_register:
            assert not forms, row.entity_type
        else:
            assert forms or row.unconfirmed, row.entity_type
        assert all(form == form.upper() for form in forms)  # KRS writes them upper case
    outside_krs = set(types.loc[types["krs_register"] == "", "entity_type"])
    assert outside_krs == {"cis", "kis", "zaz", "wtz", "rural_housewives_circle"}


def test_the_types_counted_before_keep_their_code_label_and_order(types: pd.DataFrame) -> None:
    first = types.sort_values("sort_order", key=lambda order: order.astype(int)).head(7)
    assert first["entity_type"].tolist() == COUNTED_TODAY
    assert first["entity_type_pl"].tolist() == ["stowarzyszenia", "fundacje",
                                                "spółdzielnie socjalne", "CIS", "KIS", "ZAZ",
                                                "WTZ"]
    assert not (REFERENCE / "entity_types.csv").exists()  # one list, not two


def test_what_krs_alone_says_of_a_type(types: pd.DataFrame) -> None:
    """`form`: the legal form says the type; `name`: with the name fragment (every kind of
    cooperative); `another_source`: never from KRS alone (a company is non-profit only when
    another source says so); empty: no KRS legal form."""
    rule = types.set_index("entity_type")
    assert set(rule["krs_type_from"]) == {"form", "name", "another_source", ""}
    by_name = rule[rule["krs_type_from"] == "name"]
    assert (by_name["krs_legal_forms"] == "SPÓŁDZIELNIA").all()
    assert by_name["krs_name_contains"].to_dict() == {
        "social_cooperative": "SPOLDZIELNIA SOCJALNA",
        "work_cooperative": "SPOLDZIELNIA PRACY",
        "disabled_persons_cooperative": "SPOLDZIELNIA INWALIDOW",
        "blind_persons_cooperative": "SPOLDZIELNIA NIEWIDOMYCH",
        "agricultural_production_cooperative": "ROLNICZA SPOLDZIELNIA PRODUKCYJNA"}
    assert (rule.loc[rule["krs_type_from"] != "name", "krs_name_contains"] == "").all()
    assert rule.loc["non_profit_company", "krs_type_from"] == "another_source"
    assert ((rule["krs_type_from"] == "") == (rule["krs_legal_forms"] == "")).all()


def test_the_legal_forms_the_code_already_maps_are_in_the_reference(types: pd.DataFrame) -> None:
    """The pairs core/krs_review.sql checks a catalogue type against, and the forms the sample
    generator writes for each catalogue type, are the reference's."""
    forms = forms_of(types)
    sql = (ROOT / "assets" / "sql" / "core" / "krs_review.sql").read_text(encoding="utf-8")
    block = sql.split("type_form(entity_type, legal_form) as (", 1)[1].split("\n),", 1)[0]
    pairs = re.findall(r"\('(\w+)', '([^']+)'\)", block)
    assert len(pairs) == 5
    for code, form in pairs:
        assert form in forms[code], (code, form)
    catalogue_types = load_mapping("pes_catalogue").lookups["entity_type"]
    for kind_pl, form in LEGAL_FORMS.items():
        assert form in forms[catalogue_types[kind_pl]], kind_pl
    assert set(catalogue_types.values()) == set(types["entity_type"])


def test_the_readers_load_every_type_of_the_act(tmp_path: Path, types: pd.DataFrame) -> None:
    settings = MonitorSettings(inbox_dir=str(tmp_path / "inbox"), reference_dir=str(REFERENCE),
                               landing_dir=str(tmp_path / "landing"),
                               publish_dir=str(tmp_path / "publish"),
                               pseudonym_key_file=str(tmp_path / "key"))
    database = tmp_path / "warehouse.duckdb"
    result = materialize([entity_type], resources={
        "settings": settings, "warehouse": Warehouse(database=str(database))})
    assert result.success
    with duckdb.connect(str(database), read_only=True) as con:
        rows = con.execute("select entity_type, entity_type_pl, sort_order "
                           "from core.entity_type order by sort_order").fetchall()
    assert len(rows) == 16
    assert [code for code, _, _ in rows[:7]] == COUNTED_TODAY
    assert rows[2] == ("social_cooperative", "spółdzielnie socjalne", 3)
    assert rows[11] == ("rural_housewives_circle", "koła gospodyń wiejskich", 12)
    assert suite_context(settings).entity_types == sorted(types["entity_type"])
