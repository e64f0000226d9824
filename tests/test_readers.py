"""Real files in the awkward forms offices send, one per habit, written here byte by byte.

Each test asserts what the reader made of the file (rows, lines, detected encoding and
separator, header row) or that a file it cannot read fails with our error, naming the file and
what was expected. What staging then accepts or quarantines is in tests/test_registers_*.py.
"""

from __future__ import annotations

import zipfile
from datetime import date, datetime
from pathlib import Path

import pandas as pd
import pytest
from openpyxl import Workbook

from sources.activity_log import read_rkres_meetings
from sources.cells import parse_dates, parse_decimals
from sources.errors import SourceFileError
from sources.krs_extracts import read_krs_extracts
from sources.pes_catalogue import read_pes_catalogue
from sources.social_enterprises import read_social_enterprises
from sources.unit_registers import read_cis_register, read_wtz_register, read_zaz_register

WTZ_HEADER = ("Lp.", "Nazwa pełna jednostki", "REGON", "Adres siedziby", "Powiat", "Gmina",
              "Data utworzenia", "Data zakończenia działalności", "Liczba uczestników",
              "Nazwa jednostki prowadzącej", "Rodzaj jednostki prowadzącej",
              "NIP jednostki prowadzącej", "REGON jednostki prowadzącej",
              "Numer KRS jednostki prowadzącej")
# Ś, ś, ą and ź sit on different bytes in CP-1250 and ISO-8859-2, so a wrong guess shows.
WTZ_ROW = ("1", "Warsztat Terapii Zajęciowej Źródło w Świętajnie", "510000057", "Świętajno 5",
           "szczycieński", "Świętajno", "2016-01-15", "", "30", "Stowarzyszenie Przyjaźń",
           "stowarzyszenie", "8451000064", "510000100", "")


def wtz_text(separator: str, line_end: str = "\r\n") -> str:
    return line_end.join(separator.join(row) for row in (WTZ_HEADER, WTZ_ROW)) + line_end


# --- CSV: encodings, separators, quotes, lines ---------------------------------------------

@pytest.mark.parametrize(("encoding", "separator", "detected", "shown"), [
    ("cp1250", ";", "cp1250", "';'"),           # the catalogue's habit
    ("utf-8-sig", ";", "utf-8-sig", "';'"),     # Excel's "CSV UTF-8"
    ("utf-8", ",", "utf-8", "','"),             # a database export
    ("iso-8859-2", ";", "iso-8859-2", "';'"),   # an old system's Latin-2
    ("utf-16", "\t", "utf-16", "tab"),          # Excel's "Unicode text" (BOM, tabs)
])
def test_encoding_and_separator_are_read_from_the_content(
        tmp_path: Path, encoding: str, separator: str, detected: str, shown: str) -> None:
    path = tmp_path / "wykaz_wtz_2026-10-31.csv"
    path.write_bytes(wtz_text(separator).encode(encoding))
    table = read_wtz_register(path)
    assert table["name"].tolist() == ["Warsztat Terapii Zajęciowej Źródło w Świętajnie"]
    assert table["gmina_written"].tolist() == ["Świętajno"]
    assert table.attrs["encoding"] == detected
    assert table.attrs["separator"] == shown
    assert table.attrs["format"] == "csv"


def test_quoted_fields_keep_line_breaks_and_rows_keep_their_first_line(tmp_path: Path) -> None:
    """Row 1 starts on line 2 and its address spans lines 2-3; row 2 starts on line 4 and its
    contact spans lines 4-6; row 3 is on line 7."""
    header = ("Lp.;Nazwa pełna jednostki;Adres siedziby;Powiat;Gmina;Dane teleadresowe;"
              "Stan aktywności prawnej i ekonomicznej;Data rozpoczęcia działalności;"
              "Nazwa instytucji tworzącej;Rodzaj instytucji tworzącej\r\n")
    rows = ('1;CIS Ełk;"ul. Kościuszki 5\r\n19-300 Ełk";ełcki;m. Ełk;tel. 1;aktywna;01.09.2016;'
            "Gmina Miasto Ełk;gmina\r\n"
            '2;CIS Dywity;Dywity 1;olsztyński;Dywity;"tel. 2\r\nfaks 3\r\ncis@example.pl";'
            "aktywna;01.01.2019;Gmina Dywity;gmina\r\n"
            "3;CIS Purda;Purda 2;olsztyński;Purda;tel. 4;aktywna;01.01.2020;Gmina Purda;gmina\r\n")
    path = tmp_path / "rejestr_cis_2026-10-31.csv"
    path.write_bytes(("\ufeff" + header + rows).encode("utf-8"))
    table = read_cis_register(path)
    assert table["_line"].tolist() == [2, 4, 7]
    assert table["address"].iloc[0] == "ul. Kościuszki 5\r\n19-300 Ełk"
    assert table.attrs["encoding"] == "utf-8-sig"


def test_title_lines_above_the_csv_header_are_skipped(tmp_path: Path) -> None:
    path = tmp_path / "wykaz_wtz_2026-10-31.csv"
    path.write_bytes(("Wykaz WTZ – stan na 31.10.2026;;\r\n\r\n" + wtz_text(";"))
                     .encode("cp1250"))
    table = read_wtz_register(path)
    assert table.attrs["header_row"] == 3
    assert table["_line"].tolist() == [4]


def test_an_unquoted_separator_is_counted_beyond_the_header(tmp_path: Path) -> None:
    shifted = list(WTZ_ROW)
    shifted[1] = "Warsztat Terapii Zajęciowej, Szczytno"  # typed by hand, not quoted
    text = wtz_text(",") + ",".join(["2", *shifted[1:]]) + "\r\n"
    path = tmp_path / "wykaz_wtz_2026-10-31.csv"
    path.write_bytes(text.encode("cp1250"))
    table = read_wtz_register(path)
    assert table["_cells_beyond_header"].tolist() == [0, 1]


def test_a_quote_that_never_closes_names_the_record(tmp_path: Path) -> None:
    text = wtz_text(";") + '2;"Warsztat bez końca;510000057\r\n3;x;y\r\n'
    path = tmp_path / "wykaz_wtz_2026-10-31.csv"
    path.write_bytes(text.encode("cp1250"))
    with pytest.raises(SourceFileError, match=r"wykaz_wtz_2026-10-31.csv: expected a CSV file "
                                              r"whose quotes are balanced \(the record starting "
                                              r"on line 3"):
        read_wtz_register(path)


@pytest.mark.parametrize(("content", "says"), [
    (b"", "the file is empty"),
    (b"  \r\n\r\n", "the file is empty"),
    (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n", "the file is a PDF document"),
    (b"PK\x03\x04\x14\x00\x06\x00", "the file is a ZIP archive"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1\x00\x00", r"old Excel 97-2003 \(.xls\) workbook"),
    (bytes(range(0, 32)) * 8, "its bytes are not text"),
])
def test_a_file_that_is_no_csv_says_what_it_is(tmp_path: Path, content: bytes, says: str) -> None:
    path = tmp_path / "katalog_pes_2026-10-31.csv"
    path.write_bytes(content)
    with pytest.raises(SourceFileError, match=rf"katalog_pes_2026-10-31.csv: expected a CSV .*"
                                              rf"{says}"):
        read_pes_catalogue(path)


def test_a_csv_without_the_header_says_which_columns_it_looked_for(tmp_path: Path) -> None:
    path = tmp_path / "wykaz_wtz_2026-10-31.csv"
    path.write_bytes("a;b;c\r\n1;2;3\r\n".encode("cp1250"))
    with pytest.raises(SourceFileError, match="a CSV file with a header row naming the columns "
                                              r"\['Nazwa pełna jednostki', 'REGON'"):
        read_wtz_register(path)


def test_empty_csv(tmp_path: Path) -> None:
    empty = tmp_path / "katalog.csv"
    empty.write_bytes(b"")
    with pytest.raises(SourceFileError, match="katalog.csv: expected a CSV file"):
        read_pes_catalogue(empty)


def test_csv_missing_a_column_names_it(tmp_path: Path) -> None:
    renamed = tmp_path / "katalog.csv"
    renamed.write_bytes("Lp.;Podmiot;Typ PES\r\n1;A;fundacja\r\n".encode("cp1250"))
    with pytest.raises(SourceFileError, match="'Nazwa podmiotu / Nazwa / Nazwa pełna jednostki'"):
        read_pes_catalogue(renamed)


def test_new_columns_are_reported_and_known_ones_are_not(tmp_path: Path) -> None:
    """`Uwagi` is new; `Dane teleadresowe` is listed as ignored in cis_register.yml; `Lp.` is
    a row number."""
    path = tmp_path / "rejestr_cis_2026-10-31.csv"
    path.write_bytes(("Lp.;Nazwa pełna jednostki;Powiat;Dane teleadresowe;Uwagi;"
                      "Stan aktywności prawnej i ekonomicznej;Data rozpoczęcia działalności;"
                      "Nazwa instytucji tworzącej;Rodzaj instytucji tworzącej\r\n"
                      "1;CIS;ełcki;tel. 1;nowa kolumna;aktywna;01.01.2020;Gmina Ełk;gmina\r\n")
                     .encode())
    assert read_cis_register(path).attrs["unused_columns"] == ["Uwagi"]


# --- XLSX: sheets, header rows, broken workbooks --------------------------------------------

def zaz_workbook(sheet_title: str = "UW SIZAZ 01") -> Workbook:
    """Title rows 1-2, a blank row 3, a two-row header (rows 4-5, groups merged over two
    columns), data on rows 6-7."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = sheet_title
    sheet.append(["Rejestr zakładów aktywności zawodowej"])
    sheet.append(["Stan na 31.10.2026"])
    sheet.append([])
    sheet.append(["Lp.", "Nazwa pełna jednostki", "Powiat", "Gmina", "Status ZAZ", None,
                  "Zatrudnienie", None, "Nazwa organizatora"])
    sheet.append([None, None, None, None, "Data przyznania statusu ZAZ",
                  "Data utraty statusu ZAZ", "Zatrudnienie w ZAZ", "Pracujący niepełnosprawni",
                  None])
    sheet.append([1, "ZAZ w Olsztynie", "m. Olsztyn", "Olsztyn", datetime(2019, 5, 1), None,
                  "23,5", 19, "Fundacja A"])
    sheet.append([2, "ZAZ w Ełku", "ełcki", "m. Ełk", "01.02.2020", None, 12.5, 10,
                  "Gmina Miasto Ełk"])
    for cells in ("A1:I1", "A2:I2", "E4:F4", "G4:H4", "A4:A5", "B4:B5", "C4:C5", "D4:D5",
                  "I4:I5"):
        sheet.merge_cells(cells)
    return workbook


def test_a_two_row_header_under_merged_group_titles_reads_as_one(tmp_path: Path) -> None:
    path = tmp_path / "rejestr_zaz_2026-10-31.xlsx"
    zaz_workbook().save(path)
    table = read_zaz_register(path)
    assert table.attrs["header_row"] == "4-5"
    assert table["_line"].tolist() == [6, 7]
    assert table["granted_on"].tolist() == [datetime(2019, 5, 1), "01.02.2020"]
    assert table["employment_fte"].tolist() == ["23,5", 12.5]
    assert table["disabled_workers"].tolist() == [19, 10]
    assert table.attrs["unused_columns"] == []


def test_the_sheet_is_found_under_another_of_its_names(tmp_path: Path) -> None:
    path = tmp_path / "rejestr_zaz_2026-10-31.xlsx"
    zaz_workbook(sheet_title="rejestr  ZAZ").save(path)  # an alias, other case, two spaces
    table = read_zaz_register(path)
    assert table.attrs["sheet"] == "rejestr  ZAZ"
    assert set(table["_sheet"]) == {"rejestr  ZAZ"}


def test_workbook_without_the_sheet(tmp_path: Path) -> None:
    path = tmp_path / "dziennik.xlsx"
    Workbook().save(path)
    with pytest.raises(SourceFileError, match="a sheet named 'Posiedzenia RKRES'"):
        read_rkres_meetings(path)


def test_pdf_named_xlsx(tmp_path: Path) -> None:
    fake = tmp_path / "rejestr_ps_2026-10-31.xlsx"
    fake.write_bytes(b"%PDF-1.7\n1 0 obj\n")
    with pytest.raises(SourceFileError, match="rejestr_ps_2026-10-31.xlsx: expected an XLSX "
                                              r"workbook \(the file is a PDF document\)"):
        read_social_enterprises(fake)


def test_csv_named_xlsx(tmp_path: Path) -> None:
    fake = tmp_path / "rejestr_zaz_2026-10-31.xlsx"
    fake.write_bytes(wtz_text(";").encode("cp1250"))
    with pytest.raises(SourceFileError, match="expected an XLSX workbook .*not a ZIP-based"):
        read_zaz_register(fake)


def test_truncated_xlsx(tmp_path: Path) -> None:
    """Half a workbook (an interrupted download): its zip directory, at the end, is missing."""
    whole = tmp_path / "whole.xlsx"
    zaz_workbook().save(whole)
    cut = tmp_path / "rejestr_zaz_2026-10-31.xlsx"
    cut.write_bytes(whole.read_bytes()[: whole.stat().st_size // 2])
    with pytest.raises(SourceFileError, match="rejestr_zaz_2026-10-31.xlsx: expected an XLSX "
                                              "workbook .*BadZipFile"):
        read_zaz_register(cut)


def test_a_damaged_sheet_inside_a_sound_zip(tmp_path: Path) -> None:
    """The zip opens, the sheet's XML stops half way: the error comes while reading rows."""
    whole = tmp_path / "whole.xlsx"
    zaz_workbook().save(whole)
    damaged = tmp_path / "rejestr_zaz_2026-10-31.xlsx"
    with zipfile.ZipFile(whole) as source, zipfile.ZipFile(damaged, "w") as target:
        for item in source.infolist():
            data = source.read(item)
            if item.filename == "xl/worksheets/sheet1.xml":
                data = data[: len(data) // 2]
            target.writestr(item, data)
    with pytest.raises(SourceFileError, match="expected a complete XLSX workbook"):
        read_zaz_register(damaged)


def test_truncated_krs_json(tmp_path: Path) -> None:
    path = tmp_path / "odpis_aktualny_0000100001.json"
    path.write_text('{"odpis": {"rodzaj": "Aktualny", "naglowekA": {', encoding="utf-8")
    with pytest.raises(SourceFileError, match="odpis_aktualny_0000100001.json: expected a KRS"):
        read_krs_extracts([path])


# --- cells: dates and numbers ---------------------------------------------------------------

def test_dates_in_every_written_form() -> None:
    written = pd.Series(["05.03.2024", "5.3.2024", "2024-03-05", datetime(2024, 3, 5),
                         "2024-03-05 00:00:00", 45356, "45356", "45356.0", "31.02.2024",
                         "03/05/2024", None], dtype=object)
    # 45356 days after 1899-12-30 is 2024-03-05 (Excel's serial of that day)
    assert parse_dates(written).tolist() == [date(2024, 3, 5)] * 8 + [None] * 3


def test_a_date_format_a_mapping_adds() -> None:
    assert parse_dates(pd.Series(["03/05/2024"]), ["%m/%d/%Y"]).tolist() == [date(2024, 3, 5)]


def test_numbers_with_a_decimal_comma() -> None:
    written = pd.Series(["23,5", "1 234,5", "1\u00a0234,5", "1.234,5", "12.5", 7, 7.25, "",
                         "12 etatów", None], dtype=object)
    parsed = parse_decimals(written).tolist()
    assert parsed[:7] == [23.5, 1234.5, 1234.5, 1234.5, 12.5, 7.0, 7.25]
    assert all(pd.isna(v) for v in parsed[7:])
