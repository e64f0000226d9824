"""The verdict on each target is computed in the marts' SQL, so it is part of the audited data.

'osiągnięty' once a target is reached, 'w trakcie' while its period goes on short of it,
'nieosiągnięty' when its period has ended short of it, null where no target applies. The
dashboard only gives the words their colours (dashboards/figures.py, tiles.py, tables.py).
"""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import duckdb
import pandas as pd
import pytest

from assets.marts import MARTS_SQL
from tests.conftest import Refresh

TARGETED = ("rkres_meetings_per_year", "jst_supported_cumulative", "study_visits_per_year")


def statuses(frame: pd.DataFrame, key: str) -> dict:
    return {(str(k.date()) if isinstance(k, pd.Timestamp) else k):
            (None if pd.isna(s) else s) for k, s in zip(frame[key], frame["target_status"],
                                                         strict=True)}


def test_fixture_refresh_judges_each_target(refreshed: Refresh) -> None:
    """Period end 31.12.2020. Meetings (target 2 a year, 2018-2020): 2018 two, 2019 one, 2020
    three; 2016 and 2017 have no target. JST (16 by 31.12.2020): 5 at the deadline, so the
    target is open before it and missed at it. Visits: Italy 2018 and Austria 2019 made,
    Spain 2020 not (its year has ended), the domestic visit off the plan."""
    meetings = refreshed.query("select year, target_status from marts.rkres_meetings_per_year")
    assert statuses(meetings, "year") == {2016: None, 2017: None, 2018: "osiągnięty",
                                          2019: "nieosiągnięty", 2020: "osiągnięty"}
    jst = statuses(refreshed.query(
        "select month, target_status from marts.jst_supported_cumulative"), "month")
    assert (jst["2018-01-31"], jst["2020-11-30"], jst["2020-12-31"]) == (
        "w trakcie", "w trakcie", "nieosiągnięty")
    visits = refreshed.query("select country, target_status from marts.study_visits_per_year")
    assert statuses(visits, "country") == {"Włochy": "osiągnięty", "Austria": "osiągnięty",
                                           "Hiszpania": "nieosiągnięty", "Polska": None}


def test_release_carries_the_status_beside_each_value(refreshed: Refresh) -> None:
    release = json.loads((refreshed.publish / "release.json").read_text(encoding="utf-8"))
    for name in TARGETED:
        rows = release["indicators"][name]
        assert all("target_status" in row for row in rows), name
    spain = [row for row in release["indicators"]["study_visits_per_year"]
             if row["country"] == "Hiszpania"]
    assert [(row["target"], row["target_status"]) for row in spain] == [(1, "nieosiągnięty")]


@pytest.fixture
def mid_2019() -> duckdb.DuckDBPyConnection:
    """Hand-made core and staging tables, period end 30.06.2019 (a year in progress)."""
    con = duckdb.connect()
    con.execute("create schema core; create schema staging")
    con.execute("create table core.month as select last_day(d)::date as month from "
                "range(date '2018-01-01', date '2019-07-01', interval 1 month) t(d)")
    con.execute("create table core.refresh_period as select date '2018-01-01' as project_start,"
                " date '2019-06-30' as period_end")
    con.execute("create table core.target(indicator varchar, category varchar, valid_from date,"
                " valid_to date, target bigint)")
    con.executemany("insert into core.target values (?, ?, ?, ?, ?)", [
        ("rkres_meetings_per_year", None, date(2018, 1, 1), date(2020, 12, 31), 2),
        ("jst_supported_cumulative", None, date(2018, 1, 1), date(2018, 12, 31), 3),
        ("study_visits_per_year", "Austria", date(2018, 1, 1), date(2018, 12, 31), 1),
        ("study_visits_per_year", "Hiszpania", date(2018, 1, 1), date(2018, 12, 31), 1),
        ("study_visits_per_year", "Włochy", date(2019, 1, 1), date(2019, 12, 31), 1)])
    con.execute("create table staging.rkres_meeting as select * from (values "
                "(date '2018-03-01'), (date '2019-02-01')) t(met_on)")
    con.execute("create table staging.jst_support as select * from (values "
                "('2801011', date '2018-02-10'), ('2802011', date '2018-05-01'), "
                "('2803011', date '2018-05-20'), ('2801011', date '2018-06-01')) "
                "t(jst_terc, started_on)")
    con.execute("create table staging.study_visit as select * from (values "
                "(date '2018-09-10', 'Austria', 12)) t(started_on, country, participants)")
    return con


def mart(con: duckdb.DuckDBPyConnection, name: str) -> pd.DataFrame:
    return con.execute((MARTS_SQL / f"{name}.sql").read_text(encoding="utf-8")).df()


def test_a_year_in_progress_short_of_its_target_is_w_trakcie(mid_2019) -> None:
    """Meetings: 2018 one of two, ended: missed; 2019 one so far of two by 30.06: open."""
    assert statuses(mart(mid_2019, "rkres_meetings_per_year"), "year") == {
        2018: "nieosiągnięty", 2019: "w trakcie"}


def test_jst_target_is_met_in_the_month_it_is_reached(mid_2019) -> None:
    """Three distinct JST by 31.12.2018: one from February, three from May (the fourth
    support is the first JST again). Open before May, met from May, none after 2018."""
    jst = statuses(mart(mid_2019, "jst_supported_cumulative"), "month")
    assert (jst["2018-01-31"], jst["2018-04-30"], jst["2018-05-31"], jst["2018-12-31"],
            jst["2019-01-31"]) == ("w trakcie", "w trakcie", "osiągnięty", "osiągnięty", None)


def test_visits_are_judged_after_their_year(mid_2019) -> None:
    """Austria 2018 made; Spain 2018 not, and 2018 has ended; Italy 2019 not yet, 2019 goes
    on."""
    visits = mart(mid_2019, "study_visits_per_year")
    assert statuses(visits, "country") == {"Austria": "osiągnięty",
                                           "Hiszpania": "nieosiągnięty", "Włochy": "w trakcie"}


def test_no_status_logic_is_left_in_dashboards() -> None:
    """The dashboard reads target_status; it never compares a value with its target."""
    folder = Path(__file__).parents[1] / "dashboards"
    for path in folder.glob("*.py"):
        text = path.read_text(encoding="utf-8")
        for compared in (">= target", "< target", "latest_full_year("):
            assert compared not in text, (path.name, compared)
