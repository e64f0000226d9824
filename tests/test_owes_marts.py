"""OWES marts and core tables on the fixture inbox, against counts made by hand.

The fixture's one report (tests/fixture_inbox.py: OWES-1, 2020-Q4, current template) declares
12 entities supported, 3 social enterprises created, 4,5 jobs and 25 persons; its sheet
`Podmioty wsparte` lists 4 entities and `Miejsca pracy` 3 jobs. The entities, matched to the
catalogue's entities (tests/fixtures/inbox/pes_catalogue) by KRS, else NIP:
  Stowarzyszenie Razem w Dywitach  KRS 100001     -> powiat olsztyński (2814), subregion olsztyński
  Spółdzielnia Socjalna Smak       NIP only       -> m. Elbląg (2861), subregion elbląski
  WTZ w Giżycku                    NIP only       -> giżycki (2806), subregion ełcki
  Stowarzyszenie Spoza Katalogu    KRS 100099     -> no entity: no powiat
The 3 jobs are all at Smak (KRS 100003, 2861): 2 on an employment contract for unemployed
persons, 1 on a cooperative employment contract for a person with a disability.
OWES-1 covers the subregion elbląski (data/reference/owes_subregions.csv).
"""

from __future__ import annotations

import pandas as pd

from tests.conftest import Refresh


def rows(frame: pd.DataFrame) -> list[tuple]:
    return [tuple(None if pd.isna(v) else v for v in r) for r in frame.itertuples(index=False)]


def test_owes_report_holds_the_version_read_and_both_sides_of_each_total(
    refreshed: Refresh,
) -> None:
    report = refreshed.query("select * from core.owes_report")
    assert len(report) == 1
    row = report.iloc[0]
    assert (row.centre_code, row.quarter, str(row.quarter_start.date())) == (
        "OWES-1", "2020-Q4", "2020-10-01")
    assert (row.version, row.versions_received) == (1, 1)
    assert (row.entities_supported, row.entities_listed) == (12.0, 4)
    assert (row.jobs_created, row.jobs_listed) == (4.5, 3)
    assert (row.social_enterprises_created, row.persons_supported) == (3.0, 25.0)


def test_headline_mismatches_are_rows_for_the_quality_report(refreshed: Refresh) -> None:
    mismatch = refreshed.query("select indicator, headline_value, detail_rows, detail_sheet "
                               "from core.owes_headline_mismatch order by indicator")
    assert rows(mismatch) == [("owes_entities_supported", 12.0, 4, "Podmioty wsparte"),
                              ("owes_jobs_created", 4.5, 3, "Miejsca pracy")]


def test_owes_indicators_by_quarter(refreshed: Refresh) -> None:
    indicators = refreshed.query(
        "select quarter, year, centre_code, subregion_pl, indicator, value, agrees_with_detail, "
        "report_version from marts.owes_indicators_by_quarter order by indicator")
    assert rows(indicators) == [
        ("2020-Q4", 2020, "OWES-1", "subregion elbląski", "owes_entities_supported", 12.0,
         False, 1),
        ("2020-Q4", 2020, "OWES-1", "subregion elbląski", "owes_jobs_created", 4.5, False, 1),
        ("2020-Q4", 2020, "OWES-1", "subregion elbląski", "owes_persons_supported", 25.0, True,
         1),
        ("2020-Q4", 2020, "OWES-1", "subregion elbląski", "owes_social_enterprises_created",
         3.0, True, 1),
    ]


def test_owes_outputs_by_powiat(refreshed: Refresh) -> None:
    outputs = refreshed.query(
        "select quarter, powiat_code, powiat_name, subregion_pl, entities_supported, "
        "jobs_created from marts.owes_outputs_by_powiat order by powiat_code nulls last")
    assert rows(outputs) == [
        ("2020-Q4", "2806", "giżycki", "subregion ełcki", 1, 0),
        ("2020-Q4", "2814", "olsztyński", "subregion olsztyński", 1, 0),
        ("2020-Q4", "2861", "m. Elbląg", "subregion elbląski", 1, 3),
        ("2020-Q4", None, "powiat nieustalony", None, 1, 0),
    ]
    assert outputs["entities_supported"].sum() == 4  # the rows listed, each a distinct entity


def test_owes_jobs_by_group(refreshed: Refresh) -> None:
    jobs = refreshed.query("select quarter, centre_code, at_risk_group, contract_type, jobs "
                           "from marts.owes_jobs_by_group order by at_risk_group")
    assert rows(jobs) == [
        ("2020-Q4", "OWES-1", "disabled", "cooperative_employment_contract", 1),
        ("2020-Q4", "OWES-1", "unemployed", "employment_contract", 2),
    ]


def test_owes_subregions_cover_every_powiat_once(refreshed: Refresh) -> None:
    """21 powiats (19 and the 2 cities) in 4 subregions, none twice (checked on load)."""
    subregions = refreshed.query("select centre_code, count(*) as powiats "
                                 "from core.owes_subregion group by 1 order by 1")
    assert dict(zip(subregions.centre_code, subregions.powiats, strict=True)) == {
        "OWES-1": 6, "OWES-2": 5, "OWES-3": 7, "OWES-4": 3}
    assert refreshed.query("select count(distinct powiat_code) as n "
                           "from core.owes_subregion")["n"].iloc[0] == 21
