"""A renamed column, a new spelling of a value and a new date format are handled by editing the
source's mapping file only: the test edits a copy of the mappings folder, points the readers at
it ($PES_MAPPINGS) and shows that the file that failed now reads, with no code touched."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from sources.errors import SourceFileError
from sources.unit_registers import read_cis_register
from tests.mapping_copy import copy_of_mappings, edit
from tests.register_staging import stage

# This office calls the founding institution `Organ prowadzący`, writes `działa` for an active
# centre and dates as dd/mm/yyyy.
NEW_EXPORT = (
    "Lp.;Nazwa pełna jednostki;Powiat;Gmina;Stan aktywności prawnej i ekonomicznej;"
    "Data rozpoczęcia działalności;Organ prowadzący;Rodzaj instytucji tworzącej\r\n"
    "1;CIS w Dywitach;olsztyński;Dywity;działa;01/03/2019;Gmina Dywity;gmina\r\n"
)


@pytest.fixture
def export(tmp_path: Path) -> Path:
    path = tmp_path / "rejestr_cis_2026-10-31.csv"
    path.write_bytes(NEW_EXPORT.encode("utf-8"))
    return path


@pytest.fixture
def mappings(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    return copy_of_mappings(tmp_path / "mappings", monkeypatch)


def test_a_renamed_column_is_a_mapping_edit(export: Path, mappings: Path) -> None:
    with pytest.raises(SourceFileError, match="rejestr_cis_2026-10-31.csv: expected columns "
                                              r"\['Nazwa instytucji tworzącej / Instytucja "
                                              r"tworząca'\].*'Organ prowadzący'"):
        read_cis_register(export)

    edit(mappings / "cis_register.yml",
         'founder_name: ["Nazwa instytucji tworzącej", "Instytucja tworząca"]',
         'founder_name: ["Nazwa instytucji tworzącej", "Instytucja tworząca", "Organ prowadzący"]')
    table = read_cis_register(export)
    assert table["founder_name"].tolist() == ["Gmina Dywity"]
    assert table.attrs["unused_columns"] == []


def test_a_new_spelling_and_a_new_date_format_are_mapping_edits(export: Path,
                                                                 mappings: Path) -> None:
    mapping = mappings / "cis_register.yml"
    edit(mapping, 'founder_name: ["Nazwa instytucji tworzącej", "Instytucja tworząca"]',
         'founder_name: ["Nazwa instytucji tworzącej", "Organ prowadzący"]')
    before = stage("cis_register", export)
    assert before.quarantined == {(2, "status_pl", "unknown_value"),
                                  (2, "started_on_text", "invalid_date")}

    edit(mapping, "    działająca: active\n", "    działająca: active\n    działa: active\n")
    edit(mapping, "lookups:\n", 'date_formats: ["%d.%m.%Y", "%d/%m/%Y"]\nlookups:\n')
    after = stage("cis_register", export)
    assert after.accepted_lines == [2]
    assert after.accepted("status") == ["active"]
    assert after.accepted("started_on") == [date(2019, 3, 1)]
