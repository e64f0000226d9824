"""Whatever bytes arrive, every reader either reads them or raises our own SourceFileError.

Generated inputs: arbitrary bytes under the source's file name; CSV text with random cells,
separators and encodings; workbooks with random sheets and cells. The readers are taken from
the staging specs, so a reader added for a new source is covered without editing this file.
"""

from __future__ import annotations

import tempfile
from datetime import datetime
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import Workbook

from assets.landing import INBOX_SOURCES
from assets.staging import STAGING_SPECS
from quality.identifiers import pesel_is_valid
from sources.activity_log import pseudonymise_workbook
from sources.errors import SourceFileError

SUFFIX = {source.name: source.pattern.removeprefix("*") for source in INBOX_SOURCES}
READERS = [(spec.table, spec.read, SUFFIX.get(spec.landing_source, ".json"))
           for spec in STAGING_SPECS]
FUZZ = settings(max_examples=25, deadline=None,
                suppress_health_check=[HealthCheck.function_scoped_fixture])

# Workbooks cannot hold control characters (openpyxl refuses them), so cells never have them.
cell_text = st.text(st.characters(blacklist_categories=("Cc", "Cs")), max_size=12)
cells = st.one_of(st.none(), cell_text, st.integers(-10**6, 10**9),
                  st.floats(allow_nan=False, allow_infinity=False),
                  st.datetimes(min_value=datetime(1900, 1, 2), max_value=datetime(2100, 1, 1)))
header_words = st.sampled_from(["Lp.", "Nazwa podmiotu", "NIP", "REGON", "Powiat", "Data",
                                "Typ PES", "Numer KRS", "PESEL", "Płeć", "Id wydarzenia",
                                "Nazwa wskaźnika", "Wartość w okresie", "Kod TERYT JST"])


def read_or_our_error(read, path: Path) -> None:
    try:
        result = read(path)
    except SourceFileError as error:
        assert path.name in str(error)
        return
    assert isinstance(result, pd.DataFrame)


@pytest.mark.parametrize(("table", "read", "suffix"), READERS, ids=[r[0] for r in READERS])
@FUZZ
@given(content=st.binary(max_size=3000))
def test_arbitrary_bytes(table: str, read, suffix: str, content: bytes) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / f"input{suffix}"
        path.write_bytes(content)
        read_or_our_error(read, path)


@pytest.mark.parametrize(("table", "read", "suffix"),
                         [r for r in READERS if r[2] == ".csv"], ids=lambda r: str(r)[:20])
@FUZZ
@given(header=st.lists(header_words, min_size=1, max_size=8),
       rows=st.lists(st.lists(st.text(max_size=10), max_size=8), max_size=6),
       separator=st.sampled_from([";", ",", "\t", "|"]),
       encoding=st.sampled_from(["cp1250", "utf-8", "utf-8-sig", "latin-1"]))
def test_csv_variants(table: str, read, suffix: str, header: list[str], rows: list[list[str]],
                      separator: str, encoding: str) -> None:
    lines = [separator.join(header), *(separator.join(row) for row in rows)]
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "input.csv"
        path.write_bytes("\r\n".join(lines).encode(encoding, errors="replace"))
        read_or_our_error(read, path)


def random_workbook(path: Path, sheets: dict[str, list[list]]) -> None:
    workbook = Workbook()
    workbook.remove(workbook.active)
    for title, rows in sheets.items():
        sheet = workbook.create_sheet(title)
        for row in rows:
            sheet.append(row)
    workbook.save(path)


sheet_names = st.sampled_from(["Rejestr PS", "Wskaźniki", "Uczestnicy", "Posiedzenia RKRES",
                               "Wsparcie JST", "Wydarzenia", "Arkusz1", "Rejestr"])
workbooks = st.dictionaries(
    sheet_names,
    st.lists(st.lists(st.one_of(cells, header_words), max_size=7), max_size=8),
    min_size=1, max_size=3)


@pytest.mark.parametrize(("table", "read", "suffix"),
                         [r for r in READERS if r[2] == ".xlsx"], ids=lambda r: str(r)[:20])
@FUZZ
@given(sheets=workbooks)
def test_workbook_variants(table: str, read, suffix: str, sheets: dict) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "input.xlsx"
        random_workbook(path, sheets)
        read_or_our_error(read, path)


@FUZZ
@given(sheets=workbooks)
def test_pseudonymisation_of_any_workbook(sheets: dict) -> None:
    with tempfile.TemporaryDirectory() as folder:
        source, target = Path(folder) / "in.xlsx", Path(folder) / "out.xlsx"
        random_workbook(source, sheets)
        try:
            pseudonymise_workbook(source, target, b"key", pesel_is_valid)
        except SourceFileError as error:
            assert source.name in str(error)
