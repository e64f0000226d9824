"""Participants counted as ESF projects count them, on an activity log built here, by hand.

The fixture inbox is refreshed with its activity log replaced by one with the rows below
(project start 2018-01-01, period end 2020-12-31). PESEL check digits worked out by hand with
the weights 1 3 7 9 1 3 7 9 1 3 (check = (10 - sum mod 10) mod 10):
  78031512346  7+24+0+27+1+15+7+18+3+12 = 114 -> 6; born 15.03.1978, 10th digit 4: a woman
  90071700013  9+0+0+63+1+21+0+0+0+3 = 97 -> 3; born 17.07.1990, 10th digit 1: a man
  65110811119  6+15+7+9+0+24+7+9+1+3 = 81 -> 9; born 08.11.1965, a man
  85133112347  8+15+7+27+3+3+7+18+3+12 = 103 -> 7: the check digit is right, but month 13 is
               no month (1900s: 01-12), so the PESEL is invalid
  85121203458  the fixture's Kowalski (…459) with the last digit changed: invalid
Rows (line = Excel row):
  2  E0 2017-09-15  Nowicki    M JST   Urząd Gminy Purda     before the project: not counted
  3  E1 2019-06-10  Kowalski   M JST   Gmina Dywity          first time, 2019-Q2
  4  E1             Nowak      K PES   Stowarzyszenie Razem  first time, 2019-Q2
  5  E2 2019-09-20  Kowalski   M JST   Gmina Dywity          second event
  6  E2             (invalid)  M JST   Gmina Purda           unidentified
  7  E3 2019-10-07  (missing)  K OWES  OWES Subregionu Olsztyńskiego  unidentified
  8  E3             Lewandowska K nauka Uniwersytet           first time, 2019-Q4
  9  E4 2020-03-05  Kowalski   M JST   Starostwo Powiatowe w Olsztynie  third event
 10  E4             Nowicki    M JST   Urząd Gminy Purda     first time in the project, 2020-Q1
 11  E4             Wójcik     K PES   Spółdzielnia Socjalna Smak  first time, 2020-Q1
 12  E5 2020-05-14  Wójcik     K PES   Spółdzielnia Socjalna Smak  second event
 13  E5             (invalid date) M OWES OWES Subregionu Ełckiego  unidentified
 14  E5             Kamiński   M nauka Uniwersytet           first time, 2020-Q2
 15  E5             (blank)    K PES   Fundacja Pomocna Dłoń  unidentified
Persons: 6 (Kowalski in three events counted once, in 2019-Q2, as JST staff, the employer he
gave first); 3 women, 3 men; by quarter 2019-Q2 2, 2019-Q4 1, 2020-Q1 2, 2020-Q2 1.
Attendances in the project: 13, of which 9 identified and 4 unidentified (2 missing, 2 invalid).
Institutions, counted once in the quarter first seen (unidentified persons' too): 2019-Q2
Gmina Dywity (JST), Stowarzyszenie Razem (PES); 2019-Q3 Gmina Purda (JST); 2019-Q4 OWES
Subregionu Olsztyńskiego, Uniwersytet; 2020-Q1 Starostwo, Urząd Gminy Purda (JST), Smak
(PES); 2020-Q2 OWES Subregionu Ełckiego, Fundacja Pomocna Dłoń: 10.
"""

from __future__ import annotations

from datetime import datetime

import pandas as pd
import pytest

from quality.identifiers import pesel_is_valid
from tests.conftest import Refresh
from tests.fixture_inbox import EVENTS, activity_workbook, write_fixture_inbox
from tests.test_owes_reports import refresh_marts
from tests.test_privacy import texts_in, warehouse_text

EVENTS_WITH_2017 = [*EVENTS, ("E0", "Warmińsko-Mazurskie Dni z Ekonomią Społeczną 2017",
                              "Dni Ekonomii Społecznej", datetime(2017, 9, 15), "Elbląg")]
PARTICIPANTS = [
    ("E0", "90071700013", "Marek", "Nowicki", "M", "Urząd Gminy Purda", "JST"),
    ("E1", "85121203459", "Jan", "Kowalski", "M", "Gmina Dywity", "JST"),
    ("E1", "92031504563", "Anna", "Nowak", "K", "Stowarzyszenie Razem", "PES"),
    ("E2", "85121203459", "Jan", "Kowalski", "M", "Gmina Dywity", "JST"),
    ("E2", "85121203458", "Piotr", "Wiśniewski", "M", "Gmina Purda", "JST"),
    ("E3", None, "Maria", "Zielińska", "K", "OWES Subregionu Olsztyńskiego", "OWES"),
    ("E3", "01220507892", "Ewa", "Lewandowska", "K", "Uniwersytet", "nauka"),
    ("E4", "85121203459", "Jan", "Kowalski", "M", "Starostwo Powiatowe w Olsztynie", "JST"),
    ("E4", "90071700013", "Marek", "Nowicki", "M", "Urząd Gminy Purda", "JST"),
    ("E4", "78031512346", "Katarzyna", "Wójcik", "K", "Spółdzielnia Socjalna Smak", "PES"),
    ("E5", "78031512346", "Katarzyna", "Wójcik", "K", "Spółdzielnia Socjalna Smak", "PES"),
    ("E5", "85133112347", "Tomasz", "Zając", "M", "OWES Subregionu Ełckiego", "OWES"),
    ("E5", "65110811119", "Andrzej", "Kamiński", "M", "Uniwersytet", "nauka"),
    ("E5", "   ", "Zofia", "Dąbrowska", "K", "Fundacja Pomocna Dłoń", "PES"),
]
PERSONAL_VALUES = sorted({v for row in PARTICIPANTS for v in (row[1], row[3])
                          if v and v.strip()})


PARTICIPANT_MARTS = ("participants_new_by_quarter", "participation_by_quarter",
                     "institutions_supported_by_quarter", "project_events_per_year")


@pytest.fixture(scope="module")
def counted(tmp_path_factory: pytest.TempPathFactory) -> Refresh:
    """The fixture inbox with the activity log above, refreshed up to the participant marts."""
    root = tmp_path_factory.mktemp("participants")
    inbox = write_fixture_inbox(root / "inbox")
    activity_workbook(EVENTS_WITH_2017, PARTICIPANTS).save(
        inbox / "activity" / "dziennik_dzialan_2020-12-31.xlsx")
    return refresh_marts(root, inbox, PARTICIPANT_MARTS)


def test_the_hand_computed_check_digits_hold() -> None:
    """The docstring's arithmetic against the project's PESEL check (date included)."""
    written = pd.Series(["78031512346", "90071700013", "65110811119", "85133112347",
                         "85121203458"])
    assert list(pesel_is_valid(written)) == [True, True, True, False, False]


def test_each_person_is_counted_once_in_the_quarter_of_first_participation(
    counted: Refresh,
) -> None:
    assert counted.result.success
    persons = counted.query("select quarter, sex, institution_type, new_persons "
                            "from marts.participants_new_by_quarter where new_persons > 0 "
                            "order by quarter, sex, institution_type")
    assert [tuple(r) for r in persons.itertuples(index=False)] == [
        ("2019-Q2", "K", "pes", 1), ("2019-Q2", "M", "jst", 1),
        ("2019-Q4", "K", "science", 1),
        ("2020-Q1", "K", "pes", 1), ("2020-Q1", "M", "jst", 1),
        ("2020-Q2", "M", "science", 1),
    ]
    totals = counted.query("select sex, sum(new_persons) as n from "
                           "marts.participants_new_by_quarter group by sex")
    assert dict(zip(totals.sex, totals.n, strict=True)) == {"K": 3, "M": 3}
    grid = counted.query("select count(distinct quarter) as q from "
                         "marts.participants_new_by_quarter")
    assert grid["q"].iloc[0] == 12  # 2018-Q1 .. 2020-Q4: the quarters add up to the total


def test_a_person_in_three_events_is_one_participant(counted: Refresh) -> None:
    people = counted.query("select first_event_id, attendances, institution, institution_type "
                           "from core.participant order by attendances desc, first_event_id")
    assert len(people) == 6
    assert tuple(people.iloc[0]) == ("E1", 3, "Gmina Dywity", "jst")  # Kowalski: E1, E2, E4


def test_unidentified_attendances_are_reported_apart_and_quarantined_by_line(
    counted: Refresh,
) -> None:
    quarters = counted.query(
        "select quarter, identified_attendances, unidentified_attendances, missing_pesel, "
        "invalid_pesel, new_persons, persons_cumulative from marts.participation_by_quarter "
        "where identified_attendances + unidentified_attendances > 0 order by quarter")
    assert [tuple(r) for r in quarters.itertuples(index=False)] == [
        ("2019-Q2", 2, 0, 0, 0, 2, 2),
        ("2019-Q3", 1, 1, 0, 1, 0, 2),
        ("2019-Q4", 1, 1, 1, 0, 1, 3),
        ("2020-Q1", 3, 0, 0, 0, 2, 5),
        ("2020-Q2", 2, 2, 1, 1, 1, 6),
    ]
    last = counted.query("select persons_cumulative from marts.participation_by_quarter "
                         "where quarter = '2020-Q4'")
    assert last["persons_cumulative"].iloc[0] == 6
    quarantined = counted.query("select line, field, reason_code, message from audit.quarantine "
                                "where source = 'participation' order by line")
    assert [tuple(r)[:3] for r in quarantined.itertuples(index=False)] == [
        (6, "PESEL", "invalid_pesel"), (7, "PESEL", "missing_pesel"),
        (13, "PESEL", "invalid_pesel"), (15, "PESEL", "missing_pesel")]
    unidentified = counted.query("select source_line, reason, sex, institution_type "
                                 "from staging.unidentified_attendance order by source_line")
    assert [tuple(r) for r in unidentified.itertuples(index=False)] == [
        (6, "invalid_pesel", "M", "jst"), (7, "missing_pesel", "K", "owes"),
        (13, "invalid_pesel", "M", "owes"), (15, "missing_pesel", "K", "pes")]
    assert "person_key" not in unidentified.columns


def test_institutions_supported_counted_once(counted: Refresh) -> None:
    institutions = counted.query(
        "select quarter, institution_type, new_institutions from "
        "marts.institutions_supported_by_quarter where new_institutions > 0 "
        "order by quarter, institution_type")
    assert [tuple(r) for r in institutions.itertuples(index=False)] == [
        ("2019-Q2", "jst", 1), ("2019-Q2", "pes", 1),
        ("2019-Q3", "jst", 1),
        ("2019-Q4", "owes", 1), ("2019-Q4", "science", 1),
        ("2020-Q1", "jst", 2), ("2020-Q1", "pes", 1),
        ("2020-Q2", "owes", 1), ("2020-Q2", "pes", 1),
    ]


@pytest.mark.parametrize("where", ["landing", "warehouse", "dagster_events"])
def test_no_participant_pesel_or_surname_leaks(counted: Refresh, where: str) -> None:
    """Every PESEL (valid or not) and surname above, searched for wherever this refresh wrote:
    landed files (XLSX unzipped), every warehouse table (the new staging, core and mart tables
    included) and its raw bytes, every event of the run (log lines and metadata). Published
    files are made from the warehouse only; tests/test_privacy.py searches them."""
    if where == "landing":
        found = "\n".join(texts_in(p) for p in counted.landing.rglob("*") if p.is_file())
    elif where == "warehouse":
        found = warehouse_text(counted.warehouse) + counted.warehouse.read_bytes().decode(
            "latin-1")
    else:
        found = "\n".join(str(event) for event in counted.result.all_events)
    assert found
    assert not [value for value in PERSONAL_VALUES if value in found]
