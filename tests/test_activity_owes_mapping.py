"""The activity log's and the OWES reports' sheets are staged through their mapping files as the
registers are: a renamed column, or the report's centre and quarter moved to other cells, is an
edit to a copy of the mappings folder ($PES_MAPPINGS), with no code touched.

Each workbook is a real XLSX written with openpyxl; each is read, typed and screened by the
staging spec of its table, first failing with a message that names the file, the sheet, the
header row or cell and the field, then staging once the mapping knows the new name or place.
"""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

import pytest

from assets.staging.activity import meeting_spec
from assets.staging.flow import StagingSpec
from assets.staging.owes import headline_spec, supported_spec
from quality.quarantine import Screened, screen
from sources.errors import SourceFileError
from sources.mapping import load_mapping
from tests.fixture_inbox import sheets_workbook
from tests.mapping_copy import copy_of_mappings, edit
from tests.register_staging import settings

# This office's activity log heads the meeting date `Data spotkania` (the template: `Data
# posiedzenia`); the other columns are the template's.
MEETINGS = [
    ("Nr posiedzenia", "Data spotkania", "Obecni - administracja publiczna", "Obecni - PES",
     "Obecni - biznes", "Obecni - nauka"),
    (1, datetime(2024, 3, 14), 6, 5, 2, 1),
    (2, "19.09.2024", 7, 4, None, 2),
]
# A report whose entities sheet heads the date `Dzień wsparcia` (the template: `Data wsparcia`).
HEADLINE = [("Nazwa OWES", "OWES Olsztyn"), ("Kod OWES", "OWES-2"), ("Okres", "2024-Q3"), (),
            ("Lp.", "Nazwa wskaźnika", "Wartość w okresie"),
            (1, "Liczba podmiotów ekonomii społecznej objętych wsparciem", 2)]
SUPPORTED = [("Lp.", "Nazwa podmiotu", "Numer KRS", "NIP", "Dzień wsparcia"),
             (1, "Fundacja Razem", "0000123456", None, datetime(2024, 7, 2)),
             (2, "Spółdzielnia Socjalna Smak", None, None, "30.09.2024")]
# A later template writes the centre's code and the quarter one column to the right (C2, C3).
MOVED_HEADLINE = [("Nazwa OWES", None, "OWES Olsztyn"), ("Kod OWES", None, "OWES-2"),
                  ("Okres", None, "2024-Q3"), (), ("Lp.", "Nazwa wskaźnika", "Wartość w okresie"),
                  (1, "Liczba podmiotów ekonomii społecznej objętych wsparciem", 2)]


@pytest.fixture
def mappings(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    return copy_of_mappings(tmp_path / "mappings", monkeypatch)


def staged(spec: StagingSpec, path: Path) -> Screened:
    """The file read, typed and screened as the staging asset of `spec` does it."""
    raw = spec.read(path).assign(_file=path.name)
    return screen(spec.prepare(raw, settings()), spec.rules)


def refusal(spec: StagingSpec, path: Path) -> SourceFileError:
    """The error that stops staging the file: the source goes stale with its Polish message."""
    with pytest.raises(SourceFileError) as refused:
        staged(spec, path)
    return refused.value


def test_a_renamed_activity_log_column_is_a_mapping_edit(tmp_path: Path, mappings: Path) -> None:
    path = tmp_path / "dziennik_dzialan_2024-10-31.xlsx"
    sheets_workbook({"Posiedzenia RKRES": MEETINGS}).save(path)
    error = refusal(meeting_spec, path)
    assert str(error).startswith("dziennik_dzialan_2024-10-31.xlsx: expected columns "
                                 "['Data posiedzenia / Data'] (fields ['met_on']; found [")
    assert "'Data spotkania'" in str(error)
    assert str(error).endswith("in the header, row 1 of sheet 'Posiedzenia RKRES')")
    assert error.message_pl.startswith(
        "dziennik_dzialan_2024-10-31.xlsx: brak wymaganej kolumny „Data posiedzenia / Data” "
        "(pole met_on) w arkuszu „Posiedzenia RKRES”, wiersz nagłówków 1 (nagłówki w pliku: ")
    assert "rkres_meeting.yml" in error.message_pl

    edit(mappings / "rkres_meeting.yml", 'met_on: ["Data posiedzenia", "Data"]',
         'met_on: ["Data posiedzenia", "Data", "Data spotkania"]')
    meetings = staged(meeting_spec, path)
    assert meetings.rejected.empty
    # a date cell and a date typed as dd.mm.rrrr; the blank count of row 3 stays missing
    assert list(meetings.accepted["met_on"]) == [date(2024, 3, 14), date(2024, 9, 19)]
    assert list(meetings.accepted["_line"]) == [2, 3]
    assert list(meetings.accepted["present_pes"]) == [5, 4]
    assert meetings.accepted["present_business"].isna().tolist() == [False, True]


def test_a_renamed_owes_column_is_a_mapping_edit(tmp_path: Path, mappings: Path) -> None:
    path = tmp_path / "owes_OWES-2_2024Q3.xlsx"
    sheets_workbook({"Wskaźniki": HEADLINE, "Podmioty wsparte": SUPPORTED}).save(path)
    error = refusal(supported_spec, path)
    assert str(error).startswith("owes_OWES-2_2024Q3.xlsx: expected columns "
                                 "['Data wsparcia / Data udzielenia wsparcia'] "
                                 "(fields ['supported_on']; found [")
    assert str(error).endswith("in the header, row 1 of sheet 'Podmioty wsparte')")
    assert "(pole supported_on) w arkuszu „Podmioty wsparte”, wiersz nagłówków 1" \
        in error.message_pl

    edit(mappings / "owes_supported_entity.yml",
         'supported_on: ["Data wsparcia", "Data udzielenia wsparcia"]',
         'supported_on: ["Data wsparcia", "Data udzielenia wsparcia", "Dzień wsparcia"]')
    entities = staged(supported_spec, path)
    assert entities.rejected.empty
    assert list(entities.accepted["supported_on"]) == [date(2024, 7, 2), date(2024, 9, 30)]
    # the KRS as written with its leading zeros is normalised to ten digits, as the type says
    assert list(entities.accepted["krs"].fillna("-")) == ["0000123456", "-"]
    assert set(entities.accepted["centre_code"]) == {"OWES-2"}


def test_the_report_cells_moved_are_a_mapping_edit(tmp_path: Path, mappings: Path) -> None:
    """The centre and the quarter are read by position, from the headline mapping's `cells`."""
    path = tmp_path / "owes_OWES-2_2024Q3.xlsx"
    sheets_workbook({"Wskaźniki": MOVED_HEADLINE}).save(path)
    error = refusal(headline_spec, path)
    assert str(error) == ("owes_OWES-2_2024Q3.xlsx: expected the centre's code in B2 and the "
                          "quarter (RRRR-Qn) in B3 of sheet 'Wskaźniki' (empty: B2 (centre_code), "
                          "B3 (quarter))")
    assert "w arkuszu „Wskaźniki” brak wartości w komórce B2 („Kod OWES”), B3 („Okres”)" \
        in error.message_pl

    indicator = mappings / "owes_indicator.yml"
    edit(indicator, "{at: B1,", "{at: C1,")
    edit(indicator, "{at: B2,", "{at: C2,")
    edit(indicator, "{at: B3,", "{at: C3,")
    headline = staged(headline_spec, path)
    assert headline.rejected.empty
    assert headline.accepted[["centre_name", "centre_code", "quarter"]].iloc[0].tolist() == [
        "OWES Olsztyn", "OWES-2", "2024-Q3"]
    assert list(headline.accepted["quarter_start"]) == [date(2024, 7, 1)]
    assert list(headline.accepted["indicator"]) == ["owes_entities_supported"]


def test_a_cell_address_that_is_not_one_is_refused_with_the_mapping_named(
        mappings: Path) -> None:
    """A typo in a cell's address stops at the mapping, not as an empty value in every report."""
    indicator = mappings / "owes_indicator.yml"
    edit(indicator, "{at: B2,", "{at: 2B,")
    with pytest.raises(ValueError, match=r"owes_indicator.yml: cells not at an address such as "
                                         r"B2: \{'centre_code': '2B'\}"):
        load_mapping("owes_indicator")
