"""Files that cannot be read fail with our error, naming the file and what was expected."""

from __future__ import annotations

from pathlib import Path

import pytest

from sources.activity_log import read_rkres_meetings
from sources.errors import SourceFileError
from sources.krs_extracts import read_krs_extracts
from sources.pes_catalogue import read_pes_catalogue
from sources.social_enterprises import read_social_enterprises


def test_pdf_named_xlsx(tmp_path: Path) -> None:
    fake = tmp_path / "rejestr_ps_2026-10-31.xlsx"
    fake.write_bytes(b"%PDF-1.7\n1 0 obj\n")
    with pytest.raises(SourceFileError, match="rejestr_ps_2026-10-31.xlsx: expected an XLSX"):
        read_social_enterprises(fake)


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


def test_workbook_without_the_sheet(tmp_path: Path) -> None:
    from openpyxl import Workbook

    path = tmp_path / "dziennik.xlsx"
    Workbook().save(path)
    with pytest.raises(SourceFileError, match="a sheet named 'Posiedzenia RKRES'"):
        read_rkres_meetings(path)


def test_truncated_krs_json(tmp_path: Path) -> None:
    path = tmp_path / "odpis_aktualny_0000100001.json"
    path.write_text('{"odpis": {"rodzaj": "Aktualny", "naglowekA": {', encoding="utf-8")
    with pytest.raises(SourceFileError, match="odpis_aktualny_0000100001.json: expected a KRS"):
        read_krs_extracts([path])
