"""The project's own tasks, measured on the fixture inbox's activity log, by hand.

Worked out from tests/fixture_inbox.py (period end 2020-12-31, project start 2018-01-01):

Task 1, RKRES: meetings 1-7 have readable dates up to the period end (8 is unreadable, 9 is in
2021): 7 meetings x 4 sectors = 28 rows; PES members present in 2020: 3 + 4 + 4 = 11.
Task 2, certificates "Zakup Prospołeczny": Smak 20.05.2019-19.05.2020, renewed 20.05.2020-
19.05.2021 (same KRS); WTZ 10.10.2019-09.10.2020. Certified PES at month end: Apr 2019 0,
May 2019 1, Oct 2019 2, May 2020 2 (one expired, one granted), Oct 2020 1 (WTZ expired),
Dec 2020 1.
Task 3, social clauses: 2807 from Apr 2017, 2801011 from Sep 2018 (its 2020 act not counted
again), 2862011 from Mar 2019; 2805's act is in 2021. Cumulative: Mar 2017 0, Apr 2017 1,
Sep 2018 2, Mar 2019 3, Dec 2020 3. After the project's support: 2801011 only (supported
10.02.2018, act 01.09.2018); 2862011 adopted before its support (01.07.2019).
Contracts: 2019 clauses 1 JST, 2 contracts, 125 000,50 zł; 2019 tasks 1 JST, 3, 45 999,99 zł;
2020 clauses 2 JST, 3 contracts, 80 000,00 + 19 999,51 = 99 999,51 zł; 2020 tasks none; the
2021 row is after the period.
Task 4 and events: E1 RKRES, E2 Dni, E3 study visit (2019), E4 platform networking, E5 OWES
network (2020). Attendances: E1 Kowalski and Nowak; E2 Kowalski and an invalid PESEL; E3 a
missing PESEL and Lewandowska.
Task 5, visits: Italy 2018 (15 persons), Austria 2019 (2), Poland 2020 (18); Spain 2020 was
planned and not made.
Budget: 2 158 612,28 zł, of which EU 1 834 820,43 zł: 85,00 %.
"""

from __future__ import annotations

import pandas as pd
import pytest

from tests.conftest import Refresh


def rows(frame: pd.DataFrame) -> list[tuple]:
    return [tuple(None if pd.isna(v) else v for v in r) for r in frame.itertuples(index=False)]


def test_new_activity_sheets_are_read_without_rejections(refreshed: Refresh) -> None:
    files = refreshed.query("select source, rows_read, rows_accepted, rows_quarantined "
                            "from audit.source_file where source in ('jst_social_clause', "
                            "'pes_contract', 'prosocial_certificate', 'study_visit', "
                            "'project_event', 'unidentified_attendance') order by source")
    assert rows(files) == [("jst_social_clause", 5, 5, 0), ("pes_contract", 5, 5, 0),
                           ("project_event", 5, 5, 0), ("prosocial_certificate", 3, 3, 0),
                           ("study_visit", 3, 3, 0), ("unidentified_attendance", 2, 2, 0)]


def test_rkres_attendance_by_sector(refreshed: Refresh) -> None:
    present = refreshed.query("select year, meeting_number, sector_pl, present "
                              "from marts.rkres_attendance_by_sector")
    assert len(present) == 28
    assert present[(present["year"] == 2020) & (present["sector_pl"]
                                                == "podmioty ekonomii społecznej")][
        "present"].sum() == 11
    first = present[present["meeting_number"] == 1]
    assert dict(zip(first.sector_pl, first.present, strict=True)) == {
        "administracja publiczna": 5, "podmioty ekonomii społecznej": 3, "biznes": 1,
        "nauka": 1}


def test_project_events_per_year(refreshed: Refresh) -> None:
    events = refreshed.query("select year, event_kind, events, attendances, persons, "
                             "unidentified_attendances from marts.project_events_per_year")
    assert len(events) == 25  # 2016-2020 x the 5 kinds held
    held = events[events["events"] > 0]
    assert sorted(rows(held)) == [
        (2019, "es_days", 1, 2, 1, 1),
        (2019, "rkres_meeting", 1, 2, 2, 0),
        (2019, "study_visit", 1, 2, 1, 1),
        (2020, "owes_network_meeting", 1, 0, 0, 0),
        (2020, "platform_networking", 1, 0, 0, 0),
    ]


@pytest.mark.parametrize(("month", "expected"), [
    ("2019-04-30", (0, 0, 0)), ("2019-05-31", (1, 1, 0)), ("2019-10-31", (2, 1, 0)),
    ("2020-05-31", (2, 1, 1)), ("2020-10-31", (1, 0, 1)), ("2020-12-31", (1, 0, 0)),
])
def test_prosocial_certificates_by_month(refreshed: Refresh, month: str,
                                         expected: tuple[int, int, int]) -> None:
    found = refreshed.query("select certified_pes, certificates_granted, certificates_expired "
                            "from marts.prosocial_certificates_by_month where month = ?", [month])
    assert tuple(found.iloc[0]) == expected


@pytest.mark.parametrize(("month", "expected"), [
    ("2017-03-31", (0, 0)), ("2017-04-30", (1, 0)), ("2018-08-31", (1, 0)),
    ("2018-09-30", (2, 1)), ("2019-03-31", (3, 1)), ("2020-12-31", (3, 1)),
])
def test_jst_social_clauses_cumulative(refreshed: Refresh, month: str,
                                       expected: tuple[int, int]) -> None:
    found = refreshed.query("select jst_with_social_clauses, after_project_support "
                            "from marts.jst_social_clauses_cumulative where month = ?", [month])
    assert tuple(found.iloc[0]) == expected


def test_pes_contracts_per_year_in_exact_zloty(refreshed: Refresh) -> None:
    """Money stays DECIMAL(18,2) in the warehouse (read here as text: pandas would make it a
    float)."""
    contracts = refreshed.query("select year, contract_kind, jst, contracts, "
                                "value_pln::varchar as value_pln, typeof(value_pln) as type "
                                "from marts.pes_contracts_per_year order by year, contract_kind")
    assert rows(contracts) == [
        (2019, "public_task_commission", 1, 3, "45999.99", "DECIMAL(18,2)"),
        (2019, "social_clause_contract", 1, 2, "125000.50", "DECIMAL(18,2)"),
        (2020, "public_task_commission", 0, 0, "0.00", "DECIMAL(18,2)"),
        (2020, "social_clause_contract", 2, 3, "99999.51", "DECIMAL(18,2)"),
    ]


def test_study_visits_against_the_plan(refreshed: Refresh) -> None:
    visits = refreshed.query("select year, country, visits, participants, target "
                             "from marts.study_visits_per_year order by year, country")
    assert rows(visits) == [
        (2018, "Włochy", 1, 15, 1),
        (2019, "Austria", 1, 2, 1),
        (2020, "Hiszpania", 0, 0, 1),
        (2020, "Polska", 1, 18, None),
    ]


def test_project_budget_from_the_targets_file(refreshed: Refresh) -> None:
    budget = refreshed.query("select budget_line, amount_pln::varchar as amount_pln, "
                             "share_of_total from marts.project_budget")
    assert rows(budget) == [("ogółem", "2158612.28", 1.0), ("wkład UE", "1834820.43", 0.85)]


def test_targets_keep_their_validity_and_source(refreshed: Refresh) -> None:
    targets = refreshed.query("select indicator, category, year(valid_from) as y, target "
                              "from core.target where indicator = 'study_visits_per_year' "
                              "order by valid_from")
    assert rows(targets) == [("study_visits_per_year", "Włochy", 2018, 1),
                             ("study_visits_per_year", "Austria", 2019, 1),
                             ("study_visits_per_year", "Hiszpania", 2020, 1)]
    sources = refreshed.query("select source from core.target")["source"]
    assert sources.str.contains("Ekonomia społeczna na Warmii i Mazurach").all()
