"""An OWES report and an activity log whose columns mix cell types, staged by a real Dagster run.

A workbook column keeps each cell's Python type: an Excel serial or a typed number is an int
or a float, a value Excel took for a date is a datetime, text is a str. Staging must write such
a column all the same (an int beside a datetime has no common SQL type, so the social-clause
acts below once stopped their staging step with BIGINT -> TIMESTAMP, and a count of 4,5
members the meetings' one), keep each cell's text in `<column>_text`, and quarantine what it
cannot read with its file, sheet, row and column.

Worked out by hand from the rows below (Excel row numbers; serials count days from
1899-12-30, and 2018-01-01 is 43101, see tests/test_cells.py):
- 2019-01-01 = 43101 + 365 = 43466; 2020-01-01 = 43466 + 365 = 43831;
  2021-01-01 = 43831 + 366 (2020 is a leap year) = 44197.
- 43238 = 43101 + 120 + 17: January to April 2018 are 31 + 28 + 31 + 30 = 120 days, so May 18.
- 43556 = 43466 + 90: January to March 2019 are 31 + 28 + 31 = 90 days, so April 1.
- 44200 = 44197 + 3: 2021-01-04.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from pathlib import Path

import duckdb
import pytest
from dagster import AssetKey, AssetSelection, DagsterInstance

from assets.staging.activity import activity_specs
from assets.staging.owes import owes_specs
from pipelines.definitions import build_definitions
from tests.conftest import Refresh, fixture_env
from tests.fixture_inbox import activity_workbook, owes_workbook

OWES_CENTRE = ("OWES Olsztyn", "OWES-2", "2021-Q1")
OWES_HEADLINE = [
    (1, "Liczba podmiotów ekonomii społecznej objętych wsparciem", 12),  # row 6: an int
    (2, "Liczba utworzonych przedsiębiorstw społecznych", 3.0),  # row 7: a float cell
    # row 8: "4.5" typed, taken by Excel for 4 May: not a number, quarantined
    (3, "Liczba miejsc pracy utworzonych w przedsiębiorstwach społecznych",
     datetime(2021, 5, 4)),
    (4, "Liczba osób objętych wsparciem", "1 234"),  # row 9: text with a thousands space
]
OWES_SUPPORTED = [
    (1, "Stowarzyszenie A", "100001", None, 44200),  # row 2: a serial, 2021-01-04
    (2, "Stowarzyszenie B", None, None, datetime(2021, 2, 15)),  # row 3: a date cell
    (3, "Stowarzyszenie C", None, None, "31.03.2021"),  # row 4: text
    (4, "Stowarzyszenie D", None, None, None),  # row 5: no date, quarantined
]
OWES_JOBS = [(1, "Spółdzielnia Socjalna Smak", "100003", None, datetime(2021, 3, 1),
              "umowa o pracę", "osoba bezrobotna")]

MEETINGS = [
    # number, date, present: public administration, PES, business, science
    (1, 43831, 5, 3, 1, 1),  # row 2: the date as a serial, 2020-01-01
    # row 3: the number taken by Excel for a date; counts as a float, text, blank, "1,0"
    (datetime(2020, 3, 2), "02.06.2020", 6.0, "4", None, "1,0"),
    # row 4: 4,5 members and a date among the counts: quarantined, two faults
    (3, datetime(2020, 11, 26), 4.5, 2, 1, datetime(2020, 1, 4)),
]
SOCIAL_CLAUSES = [
    # TERC, JST, adopted on, act: its number alone, "3/2019" taken for a date, none
    ("2801011", "Gmina Miejska Bartoszyce", datetime(2018, 9, 1), 12),  # row 2
    ("2862011", "Gmina Olsztyn", "15.03.2019", datetime(2019, 3, 1)),  # row 3
    ("2807", "powiat iławski", 43556, None),  # row 4: adopted 2019-04-01
]
CONTRACTS = [
    ("2801011", "Gmina Miejska Bartoszyce", 2019, "zamówienie z klauzulą społeczną", 2,
     125000.5),  # row 2: numeric cells
    ("2862011", "Gmina Olsztyn", 2019.0, "zlecenie zadania publicznego PES", "3",
     "45 999,99"),  # row 3: a float year, text count and amount
    ("2814", "powiat olsztyński", datetime(2020, 1, 1), "zamówienie z klauzulą społeczną", 2.5,
     datetime(2020, 5, 19)),  # row 4: year, count and amount unreadable, three faults
]
VISITS = [
    # name, from, to, country, place, participants, event id
    ("Wizyta we Włoszech", datetime(2018, 5, 14), 43238, "Włochy", "Bolonia", 15, None),  # 2
    ("Wizyta w Austrii", "07.10.2019", datetime(2019, 10, 11), "Austria", "Wiedeń", 2.0,
     None),  # row 3
    ("Krajowa wizyta", "12.06.2020", "13.06.2020", "Polska", "Kraków", datetime(2020, 1, 18),
     None),  # row 4: participants taken for a date, quarantined
    ("Krajowa wizyta 2", "01.09.2020", None, "Polska", "Gdańsk", "18", None),  # row 5
]


def awkward_activity_log(path: Path) -> Path:
    """The fixture's activity log with the four sheets above in place of its own."""
    workbook = activity_workbook()
    replaced = {"Posiedzenia RKRES": MEETINGS, "JST z klauzulami": SOCIAL_CLAUSES,
                "Zamówienia i zlecenia": CONTRACTS, "Wizyty studyjne": VISITS}
    for title, rows in replaced.items():
        sheet = workbook[title]
        sheet.delete_rows(2, sheet.max_row)
        for row in rows:
            sheet.append(list(row))
    workbook.save(path)
    return path


def awkward_inbox(inbox: Path) -> Path:
    (inbox / "owes").mkdir(parents=True)
    (inbox / "activity").mkdir(parents=True)
    owes_workbook(OWES_CENTRE, OWES_HEADLINE, OWES_SUPPORTED, OWES_JOBS).save(
        inbox / "owes" / "owes_OWES-2_2021Q1.xlsx")
    awkward_activity_log(inbox / "activity" / "dziennik_dzialan_2020-12-31.xlsx")
    return inbox


@pytest.fixture(scope="module")
def staged(tmp_path_factory: pytest.TempPathFactory) -> Refresh:
    """The monthly job restricted to the OWES and activity staging tables and their landing."""
    root = tmp_path_factory.mktemp("mixed_cells")
    inbox = awkward_inbox(root / "inbox")
    # the report is for 2021-Q1: the period must reach it, or the whole report waits
    env = {**fixture_env(root, inbox), "PES_PERIOD_END": "2021-03-31"}
    keys = [AssetKey(["staging", spec.table]) for spec in [*owes_specs, *activity_specs]]
    definitions = build_definitions(env)
    result = definitions.resolve_job_def("monthly_refresh").execute_in_process(
        instance=DagsterInstance.ephemeral(), raise_on_error=False,
        asset_selection=list(AssetSelection.assets(*keys).upstream().resolve(
            definitions.resolve_asset_graph())))
    return Refresh(root=root, inbox=inbox, env=env, result=result)


def fetched(refresh: Refresh, sql: str, params: list | None = None) -> list[tuple]:
    """Rows as DuckDB gives them to Python: a DATE is a date, a NULL is None."""
    with duckdb.connect(str(refresh.warehouse), read_only=True) as con:
        return con.execute(sql, params or []).fetchall()


def quarantined(refresh: Refresh, source: str) -> list[tuple]:
    return fetched(refresh, "select file, sheet, line, field, reason_code from audit.quarantine "
                            "where source = ? order by line, field", [source])


def test_every_staging_step_of_both_files_succeeds(staged: Refresh) -> None:
    failed = [event.step_key for event in staged.result.all_events if event.is_step_failure]
    assert failed == []
    assert staged.result.success


def test_owes_values_keep_their_text_and_an_unreadable_one_is_quarantined(
    staged: Refresh,
) -> None:
    """Rows 6, 7 and 9 read as 12, 3 and 1 234; row 8 (a date cell) is quarantined."""
    assert fetched(staged, "select source_line, value_text, value from staging.owes_indicator "
                           "order by source_line") == [
        (6, "12", 12.0), (7, "3", 3.0), (9, "1 234", 1234.0)]
    assert quarantined(staged, "owes_indicator") == [
        ("owes_OWES-2_2021Q1.xlsx", "Wskaźniki", 8, "Wartość w okresie", "invalid_number")]
    assert fetched(staged, "select rows_read, rows_accepted, rows_quarantined "
                           "from audit.source_file where source = 'owes_indicator'") == [
        (4, 3, 1)]


def test_owes_support_dates_of_every_kind_are_read(staged: Refresh) -> None:
    assert fetched(staged, "select source_line, supported_on_text, supported_on "
                           "from staging.owes_supported_entity order by source_line") == [
        (2, "44200", date(2021, 1, 4)),
        (3, "2021-02-15", date(2021, 2, 15)),
        (4, "31.03.2021", date(2021, 3, 31)),
    ]
    assert quarantined(staged, "owes_supported_entity") == [
        ("owes_OWES-2_2021Q1.xlsx", "Podmioty wsparte", 5, "Data wsparcia", "missing_value")]


def test_meeting_numbers_and_counts_are_typed_beside_their_text(staged: Refresh) -> None:
    """Row 3's number is a date cell: no number, its text kept, the meeting still counted.
    Row 4 has 4,5 members of public administration and a date for science: quarantined."""
    assert fetched(staged, "select source_line, meeting_number, meeting_number_text, met_on, "
                           "present_public, present_public_text, present_pes, "
                           "present_pes_text, present_business, present_science, "
                           "present_science_text from staging.rkres_meeting "
                           "order by source_line") == [
        (2, 1, "1", date(2020, 1, 1), 5, "5", 3, "3", 1, 1, "1"),
        (3, None, "2020-03-02", date(2020, 6, 2), 6, "6", 4, "4", None, 1, "1,0"),
    ]
    assert quarantined(staged, "rkres_meeting") == [
        ("dziennik_dzialan_2020-12-31.xlsx", "Posiedzenia RKRES", 4,
         "Obecni - administracja publiczna", "invalid_number"),
        ("dziennik_dzialan_2020-12-31.xlsx", "Posiedzenia RKRES", 4, "Obecni - nauka",
         "invalid_number"),
    ]


def test_social_clause_acts_are_kept_as_written_text(staged: Refresh) -> None:
    assert fetched(staged, "select source_line, act, adopted_on from staging.jst_social_clause "
                           "order by source_line") == [
        (2, "12", date(2018, 9, 1)),
        (3, "2019-03-01", date(2019, 3, 15)),
        (4, None, date(2019, 4, 1)),
    ]


def test_contract_numbers_keep_their_text_and_unreadable_ones_are_quarantined(
    staged: Refresh,
) -> None:
    assert fetched(staged, "select source_line, year_text, year, contracts_text, contracts, "
                           "value_pln_text, value_pln from staging.pes_contract "
                           "order by source_line") == [
        (2, "2019", 2019, "2", 2, "125000.5", Decimal("125000.50")),
        (3, "2019", 2019, "3", 3, "45 999,99", Decimal("45999.99")),
    ]
    assert [q[2:] for q in quarantined(staged, "pes_contract")] == [
        (4, "Liczba umów", "invalid_number"), (4, "Rok", "invalid_number"),
        (4, "Wartość (zł)", "invalid_amount")]


def test_visit_participants_keep_their_text(staged: Refresh) -> None:
    assert fetched(staged, "select source_line, ended_on, participants_text, participants "
                           "from staging.study_visit order by source_line") == [
        (2, date(2018, 5, 18), "15", 15),
        (3, date(2019, 10, 11), "2", 2),
        (5, None, "18", 18),
    ]
    assert [q[2:] for q in quarantined(staged, "study_visit")] == [
        (4, "Liczba uczestników", "invalid_number")]


#: The columns above whose cells mixed types, as (table, column).
MIXED = [("owes_indicator", "value_text"), ("owes_supported_entity", "supported_on_text"),
         ("rkres_meeting", "meeting_number_text"), ("rkres_meeting", "present_public_text"),
         ("jst_social_clause", "act"), ("pes_contract", "year_text"),
         ("pes_contract", "value_pln_text"), ("study_visit", "participants_text")]


def test_columns_of_mixed_cells_are_text_in_the_warehouse(staged: Refresh) -> None:
    """Written text whatever the cells held: the same SQL type in every run, not the type the
    cells of this run happened to share."""
    types = fetched(staged, "select table_name, column_name, data_type "
                            "from information_schema.columns where table_schema = 'staging'")
    found = {(table, column): kind for table, column, kind in types}
    assert [found.get(pair) for pair in MIXED] == ["VARCHAR"] * len(MIXED)
