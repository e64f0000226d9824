"""The mapping of the KGW register (sources/mappings/kgw_register.yml) against its format as
docs/inputs.md documents it: loaded by the project's own loader, every documented column is a
mapped field or a header ignored on purpose, required and typed as the page says, a workbook
laid out as the page says is read by the registers' reader, and the sample generator writes
exactly the documented columns in that layout. No published file of the register exists to
compare with: the documented format is the real document here (the field names of ARiMR's
application form for an entry, the rest from what the Act of 9 November 2018 says an entry
holds; docs/inputs.md says which is which)."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

import pytest
from openpyxl import Workbook, load_workbook

from sample_data import DEFAULT_TERYT_CSV, POPULATION_CSVS
from sample_data.kgw_register import HEADER, HEADER_ROW, SHEET, build_circles, write_kgw_register
from sample_data.territory import load_territory
from sample_data.xlsx import save_stamp
from sources.mapping import TableMapping, fold_header, load_mapping
from sources.tables import read_table

DOCS = Path(__file__).resolve().parents[1] / "docs" / "inputs.md"


def documented_columns() -> dict[str, tuple[str, bool]]:
    """{header: (type, required)} from the column table of the section `kgw_register/`."""
    section = DOCS.read_text(encoding="utf-8").split("## `kgw_register/", 1)[1]
    section = section.split("\n## ", 1)[0]
    columns = {}
    for line in section.splitlines():
        cells = [cell.strip() for cell in line.strip().strip("|").split("|")]
        if len(cells) == 4 and cells[0].startswith("`") and cells[2] in ("yes", "no"):
            columns[cells[0].strip("`")] = (cells[1], cells[2] == "yes")
    return columns


@pytest.fixture(scope="module")
def mapping() -> TableMapping:
    return load_mapping("kgw_register")


def test_the_page_documents_every_column_of_the_mapping_and_nothing_else(
        mapping: TableMapping) -> None:
    documented = documented_columns()
    assert len(documented) == 15  # the rows of the page's column table, counted by hand
    mapped = {mapping.label(column): column for column in mapping.columns}
    not_mapped = set(documented) - set(mapped) - {"Lp."}
    assert set(mapped) <= set(documented)
    assert {fold_header(header) for header in not_mapped} == mapping.ignored
    assert not_mapped == {"Teren działalności koła", "Osoby uprawnione do reprezentacji koła"}


def test_required_and_types_are_as_the_page_says(mapping: TableMapping) -> None:
    documented = documented_columns()
    for column in mapping.columns:
        kind, required = documented[mapping.label(column)]
        assert (column not in mapping.optional) == required, column
        assert mapping.types.get(column, "text") == kind, column
    # the keys entity resolution uses for a KGW (no KRS): NIP, REGON, name in the same gmina
    assert mapping.columns_of_type("nip", "regon") == ["regon", "nip"]
    assert {"name", "gmina_written", "registered_on"} <= set(mapping.columns) - mapping.optional
    assert "krs" not in mapping.columns


def test_a_workbook_laid_out_as_documented_is_read(mapping: TableMapping,
                                                   tmp_path: Path) -> None:
    """Title, `Stan na` and an empty row above the header (row 4), data from row 5, a date
    cell, an Excel serial and text dates, a NIP with dashes: read as it comes (typing is
    staging's), every header accounted for."""
    header = ["Lp.", "Numer koła w Rejestrze", "Pełna nazwa koła", "REGON", "NIP", "Województwo",
              "Powiat", "Gmina", "Miejscowość", "Adres", "Data wpisu do rejestru",
              "Data wykreślenia z rejestru", "Status koła", "Teren działalności koła",
              "Osoby uprawnione do reprezentacji koła"]
    rows = [
        [1, "1204", "Koło Gospodyń Wiejskich w Barczewku", "739138462", "739-138-46-51",
         "warmińsko-mazurskie", "olsztyński", "Barczewo", "Barczewko", None,
         datetime(2018, 12, 14), None, "aktywne", "Barczewko", "[osoby]"],
        [2, "2877", "KGW Gady", "739175026", "7391750251", "warmińsko-mazurskie",
         "powiat olsztyński", "Dywity", "Gady", None, 43528, None, "aktywne", "Gady", None],
        [3, "5310", "Kolo Gospodyn Wiejskich w Sokolicy", None, None, "warmińsko-mazurskie",
         "bartoszycki", "Bartoszyce - gmina wiejska", "Sokolica", None, "2021-07-01",
         "15.02.2023", "wykreślone", "Sokolica", None],
    ]
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Rejestr KGW"
    sheet.append(["Krajowy Rejestr Kół Gospodyń Wiejskich – województwo warmińsko-mazurskie"])
    sheet.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(header))
    sheet.append(["Stan na 31.10.2026"])
    sheet.append([])
    sheet.append(header)
    for row in rows:
        sheet.append(row)
    path = tmp_path / "rejestr_kgw_2026-10-31.xlsx"
    workbook.save(path)

    table = read_table(path, mapping)

    assert table["name"].tolist() == ["Koło Gospodyń Wiejskich w Barczewku", "KGW Gady",
                                      "Kolo Gospodyn Wiejskich w Sokolicy"]
    assert table["register_number"].tolist() == ["1204", "2877", "5310"]
    assert table["nip"].tolist()[:2] == ["739-138-46-51", "7391750251"]
    assert table["gmina_written"].tolist() == ["Barczewo", "Dywity", "Bartoszyce - gmina wiejska"]
    assert table["_line"].tolist() == [5, 6, 7]
    assert table.attrs["unused_columns"] == []
    assert mapping.lookup("status", table["status_pl"]).tolist() == ["active", "active", "closed"]


def test_the_sample_generator_writes_the_documented_format(tmp_path: Path) -> None:
    """The generator's header is the page's column table, in its order, on row 4 of the sheet
    `Rejestr KGW` under the title and `Stan na`; the reader finds every column and leaves none
    unused. 240 circles (TYPE_COUNTS) and one row repeated exactly: 241 rows."""
    assert list(HEADER) == list(documented_columns())
    as_of = date(2026, 10, 31)
    territory = load_territory(DEFAULT_TERYT_CSV, "28", POPULATION_CSVS["28"])
    circles = build_circles(28, territory, as_of, [])
    output = write_kgw_register(28, circles, territory, tmp_path, as_of, save_stamp(as_of))
    path = tmp_path / output.files[0]
    assert path.name == "rejestr_kgw_2026-10-31.xlsx"

    sheet = load_workbook(path, read_only=True)[SHEET]
    rows = list(sheet.iter_rows(max_row=HEADER_ROW, values_only=True))
    assert rows[0][0].startswith("Krajowy Rejestr Kół Gospodyń Wiejskich – ")
    assert rows[1][0] == "Stan na 31.10.2026"
    assert not any(rows[2])
    assert rows[3] == HEADER

    table = read_table(path, load_mapping("kgw_register"))
    assert len(table) == 241
    assert table.attrs["unused_columns"] == []
    assert table["_line"].min() == HEADER_ROW + 1
    assert set(load_mapping("kgw_register").columns) <= set(table.columns)
