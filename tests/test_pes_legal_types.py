"""The reference of PES types the Act of 5 August 2022 on the social economy names
(data/reference/pes_legal_types.csv) is consistent: one row per code, each with its point of
art. 2 pkt 5 and a legal basis, every letter of that point covered, KRS legal forms only where a
KRS register is said; it extends data/reference/entity_types.csv, which the current readers
(the `core/entity_type` asset and the checks' suite context) still load unchanged."""

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


def test_the_types_counted_today_keep_their_code_label_and_order(types: pd.DataFrame) -> None:
    today = pd.read_csv(REFERENCE / "entity_types.csv", dtype=str)
    assert today["entity_type"].tolist() == COUNTED_TODAY
    columns = ["entity_type", "entity_type_pl", "sort_order"]
    merged = today[columns].merge(types[columns], how="left", indicator=True)
    assert (merged["_merge"] == "both").all()


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
    assert set(catalogue_types.values()) == set(COUNTED_TODAY)


def test_the_current_readers_still_load_the_types_counted_today(tmp_path: Path) -> None:
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
    assert [code for code, _, _ in rows] == COUNTED_TODAY
    assert rows[2] == ("social_cooperative", "spółdzielnie socjalne", 3)
    assert suite_context(settings).entity_types == sorted(COUNTED_TODAY)
