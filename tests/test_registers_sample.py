"""Every register of the bundled sample reads, reconciles and places its rows where the truth
says: the generator knows which rows it spoiled on purpose (`_truth/summary.json`) and where
each entity is (`_truth/entities.csv`), so the expected figures are not taken from the
pipeline."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest

from sample_data import DEFAULT_TERYT_CSV, generate_sample
from tests.register_staging import Staged, stage

# staging table -> (inbox folder, encoding, separator or sheet, header row) as docs/inputs.md says
REGISTERS = {
    "pes_catalogue": ("pes_catalogue", "cp1250", "';'", 1),
    "social_enterprise": ("social_enterprises", None, "Rejestr PS", 4),
    "cis_register": ("cis_register", "utf-8-sig", "';'", 1),
    "kis_register": ("kis_register", None, "Wykaz KIS", 1),
    "zaz_register": ("zaz_register", None, "UW SIZAZ 01", "4-5"),
    "wtz_register": ("wtz_register", "cp1250", "','", 1),
}


@pytest.fixture(scope="module")
def sample(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("sample")
    generate_sample(root, DEFAULT_TERYT_CSV)
    return root


@pytest.fixture(scope="module")
def staged(sample: Path) -> dict[str, Staged]:
    return {table: stage(table, next((sample / folder).iterdir()))
            for table, (folder, *_) in REGISTERS.items()}


@pytest.fixture(scope="module")
def summary(sample: Path) -> dict:
    return json.loads((sample / "_truth" / "summary.json").read_text(encoding="utf-8"))


@pytest.mark.parametrize("table", REGISTERS)
def test_each_register_is_read_as_its_office_writes_it(staged: dict[str, Staged],
                                                        table: str) -> None:
    _, encoding, separator_or_sheet, header_row = REGISTERS[table]
    notes = staged[table].raw.attrs
    if encoding:
        assert (notes["encoding"], notes["separator"]) == (encoding, separator_or_sheet)
    else:
        assert notes["sheet"] == separator_or_sheet
    assert notes["header_row"] == header_row
    assert notes["unused_columns"] == []


@pytest.mark.parametrize(("table", "rows", "quarantined", "set_aside"), [
    # the catalogue's 8 NIP and 8 REGON typos are set aside, each on a row kept on its KRS
    ("pes_catalogue", "catalogue_rows", 0, 16),
    ("social_enterprise", "ps_register_rows", 0, 0),
    ("cis_register", "cis_register_rows", 0, 0),
    # KIS: the mistyped gmina
    ("kis_register", "kis_register_rows", 1, 0),
    ("zaz_register", "zaz_register_rows", 0, 0),
    # WTZ: the unquoted name is quarantined; the founder's mistyped REGON set aside
    ("wtz_register", "wtz_register_rows", 1, 1),
])
def test_rows_read_equal_accepted_plus_quarantined(staged: dict[str, Staged], summary: dict,
                                                   table: str, rows: str, quarantined: int,
                                                   set_aside: int) -> None:
    screened = staged[table].screened
    whole = screened.rejected[screened.rejected["scope"] == "row"].drop_duplicates(["line"])
    assert (len(screened.accepted) + len(whole), len(whole)) == (summary[rows], quarantined)
    assert len(staged[table].set_aside) == set_aside


def test_the_deliberate_mess_of_the_unit_registers(staged: dict[str, Staged]) -> None:
    """KIS: the one mistyped gmina; WTZ: the unquoted name, and the mistyped REGON."""
    assert {(f, r) for _, f, r in staged["kis_register"].quarantined} == {
        ("gmina_written", "unknown_teryt_unit")}
    assert {(f, r) for _, f, r in staged["wtz_register"].quarantined} == {
        ("_cells_beyond_header", "cells_beyond_header")}
    assert {(f, r) for _, f, r in staged["wtz_register"].set_aside} == {
        ("founder_regon", "invalid_regon")}


@pytest.mark.parametrize("table", ["pes_catalogue", "cis_register", "kis_register",
                                   "zaz_register", "wtz_register"])
def test_accepted_rows_are_placed_in_their_true_gmina_and_powiat(
        staged: dict[str, Staged], sample: Path, table: str) -> None:
    folder = REGISTERS[table][0]
    truth = pd.read_csv(sample / "_truth" / "entities.csv", dtype=str)
    rows = pd.read_csv(sample / "_truth" / "source_rows.csv", dtype=str)
    rows = rows[rows["source"] == folder].assign(row=lambda f: f["row"].astype(int))
    accepted = staged[table].screened.accepted
    # data rows are numbered from 1 in `Lp.` order: the n-th data row of the file
    numbered = accepted.assign(row=staged[table].typed.index[accepted.index] + 1)
    placed = numbered.merge(rows, on="row").merge(truth, on="entity_id")
    assert len(placed) == len(accepted)
    assert (placed["gmina_code"] == placed["gmina_terc"]).all()
    assert (placed["powiat_code"] == placed["powiat_terc"]).all()


def test_catalogue_rows_with_an_identifier_typo_stay_on_their_krs(staged: dict[str, Staged],
                                                                  sample: Path) -> None:
    """The 16 rows of `_truth/invalid_ids.csv` (8 NIP, 8 REGON typos) are accepted with the bad
    value set aside and the true entity's KRS kept, so their 16 organisations are counted."""
    invalid = pd.read_csv(sample / "_truth" / "invalid_ids.csv", dtype=str)
    invalid = invalid[invalid["source"] == "pes_catalogue"].assign(
        row=lambda f: f["row"].astype(int))
    truth = pd.read_csv(sample / "_truth" / "entities.csv", dtype=str)[["entity_id", "krs"]]
    catalogue = staged["pes_catalogue"]
    accepted = catalogue.screened.accepted
    numbered = accepted.assign(row=catalogue.typed.index[accepted.index] + 1)
    rows = invalid.merge(numbered, on="row").merge(truth, on="entity_id",
                                                   suffixes=("", "_true"))
    assert len(invalid) == 16 and len(rows) == 16
    assert rows["entity_id"].nunique() == 16
    assert (rows["krs"] == rows["krs_true"].str.zfill(10)).all()
    assert all(pd.isna(row[column.lower()])
               for row, column in zip(rows.to_dict("records"), rows["column"], strict=True))
