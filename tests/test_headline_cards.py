"""The headline cards: their values and verdicts computed in SQL (marts.headline_cards), their
words and colours on the page, and their change since the previous release.

Every expected number is worked out in the test's docstring from the hand-made rows.
"""

from __future__ import annotations

import json
import re
from datetime import date

import duckdb
import pandas as pd
import pytest

from assets.manifest import revisions
from dashboards.tiles import FIRST_RELEASE_PL, headline_cards
from tests.conftest import Refresh, SecondRefresh
from tests.declared_warehouse import declared_mart
from tests.test_target_status import mart, mid_2019  # noqa: F401 (a fixture)

CARDS_SQL = "headline_cards"


@pytest.fixture
def mid_2019_cards(mid_2019: duckdb.DuckDBPyConnection) -> pd.DataFrame:  # noqa: F811
    """marts.headline_cards on 30.06.2019 from the marts of test_target_status's hand-made
    tables, with the sector's marts by hand: 4 + 6 active PES at 31.05 and 5 + 7 at 30.06;
    3 social enterprises at 30.06; jobs 2 (II kw. 2019) + 4 (I kw. 2019) = 6."""
    con = mid_2019
    con.execute("create schema marts")
    for name in ("rkres_meetings_per_year", "jst_supported_cumulative", "study_visits_per_year"):
        con.register("result", mart(con, name))
        con.execute(f"create table marts.{name} as from result")
        con.unregister("result")
    for name in ("active_pes_by_type", "social_enterprises_active", "owes_jobs_by_group",
                 "project_budget"):
        declared_mart(con, name)
    con.execute("insert into marts.active_pes_by_type (month, entity_type, active_pes) values "
                "(date '2019-05-31', 'association', 4), (date '2019-05-31', 'cis', 6), "
                "(date '2019-06-30', 'association', 5), (date '2019-06-30', 'cis', 7)")
    con.execute("insert into marts.social_enterprises_active (month, social_enterprises) "
                "values (date '2019-05-31', 2), (date '2019-06-30', 3)")
    con.execute("insert into marts.owes_jobs_by_group (quarter_start, jobs) values "
                "(date '2019-01-01', 4), (date '2019-04-01', 2)")
    con.execute("insert into marts.project_budget (budget_line, amount_pln, share_of_total, "
                "valid_from, valid_to) values "
                "('ogółem', 2158612.28, 1.0, date '2018-01-01', date '2020-12-31'), "
                "('wkład UE', 1834820.43, 0.85, date '2018-01-01', date '2020-12-31')")
    return mart(con, CARDS_SQL)


def card(cards: pd.DataFrame, name: str, part: str | None = None) -> dict:
    rows = cards[(cards["card"] == name) & (
        cards["part"].isna() if part is None else cards["part"] == part)]
    (row,) = rows.to_dict("records")
    return {key: (None if not isinstance(value, str) and pd.isna(value) else value)
            for key, value in row.items()}


def test_each_target_is_judged_in_sql(mid_2019_cards: pd.DataFrame) -> None:
    """Meetings (2 a year, 2018-2020): 2018 had 1 and has ended, so the target is missed
    though 2019 goes on; the headline is 2018, the latest full year on 30.06.2019.
    JST (3 by 31.12.2018): 3 reached in May 2018, so met at the deadline; 3 still today.
    Visits: Austria 2018 made, Spain 2018 not (ended), Italy 2019 in progress: 1 of 3,
    missed. The budget has no target to judge."""
    cards = mid_2019_cards
    meetings = card(cards, "rkres_meetings")
    assert (meetings["value"], meetings["as_of"].date(), meetings["target"],
            meetings["target_status"]) == (1, date(2018, 12, 31), 2, "nieosiągnięty")
    assert [card(cards, "rkres_meetings", y)["target_status"] for y in ("2018", "2019")] == [
        "nieosiągnięty", "w trakcie"]
    jst = card(cards, "jst_supported")
    assert (jst["value"], jst["value_at_deadline"], jst["target"], jst["target_status"],
            jst["target_valid_to"].date(), jst["as_of"].date()) == (
        3, 3, 3, "osiągnięty", date(2018, 12, 31), date(2019, 6, 30))
    visits = card(cards, "study_visits")
    assert (visits["value"], visits["target"], visits["target_status"]) == (
        1, 3, "nieosiągnięty")
    assert {part: card(cards, "study_visits", part)["target_status"]
            for part in ("Austria 2018", "Hiszpania 2018", "Włochy 2019")} == {
        "Austria 2018": "osiągnięty", "Hiszpania 2018": "nieosiągnięty",
        "Włochy 2019": "w trakcie"}
    budget = card(cards, "project_budget")
    assert (budget["value"], budget["target_status"]) == (2158612.28, None)
    assert card(cards, "project_budget", "wkład UE")["share_of_total"] == 0.85


def test_sector_cards_take_the_latest_period(mid_2019_cards: pd.DataFrame) -> None:
    """Active PES 5 + 7 = 12 at 30.06.2019; social enterprises 3; jobs 4 + 2 = 6, as of the
    end of II kw. 2019 (30.06.2019). No target: no verdict."""
    cards = mid_2019_cards
    assert {name: (card(cards, name)["value"], card(cards, name)["as_of"].date(),
                   card(cards, name)["target_status"])
            for name in ("active_pes", "social_enterprises", "jobs_created")} == {
        "active_pes": (12, date(2019, 6, 30), None),
        "social_enterprises": (3, date(2019, 6, 30), None),
        "jobs_created": (6, date(2019, 6, 30), None)}


def published_cards(rows: list[tuple]) -> pd.DataFrame:
    columns = ["card", "part", "as_of", "value", "value_suppressed", "value_at_deadline",
               "target", "target_valid_from", "target_valid_to", "share_of_total",
               "target_status"]
    return pd.DataFrame(rows, columns=columns)


def test_change_since_the_previous_release_in_words() -> None:
    """JST 20 now, 17 in the previous release (30.09.2026): +3. Jobs: 2 now, hidden ("<3"),
    so neither the value nor its change is shown. Active PES: as before."""
    frame = published_cards([
        ("jst_supported", None, pd.Timestamp("2026-10-31"), 20, None, 17, 16,
         pd.Timestamp("2018-01-01"), pd.Timestamp("2020-12-31"), None, "osiągnięty"),
        ("jobs_created", None, pd.Timestamp("2026-09-30"), None, "<3", None, None, None, None,
         None, None),
        ("active_pes", None, pd.Timestamp("2026-10-31"), 2632, None, None, None, None, None,
         None, None)])
    previous = {"indicators": {"headline_cards": [
        {"card": "jst_supported", "part": None, "as_of": "2026-09-30", "value": 17},
        {"card": "jobs_created", "part": None, "as_of": "2026-06-30", "value": 5},
        {"card": "active_pes", "part": None, "as_of": "2026-09-30", "value": 2632}]}}
    cards = {c.key: c for c in headline_cards(frame, previous)}
    assert cards["jst_supported"].change == (
        "+3 od poprzedniej publikacji (stan na 30 września 2026)")
    assert cards["jst_supported"].details == ("w terminie celu (31 grudnia 2020): 17",)
    assert (cards["jst_supported"].status, cards["jst_supported"].status_class) == (
        "✔ Cel osiągnięty", "met")
    assert cards["jobs_created"].value == "<3"
    assert cards["jobs_created"].change == "zmiana ukryta: mała liczba osób"
    assert cards["active_pes"].change == (
        "bez zmian od poprzedniej publikacji (stan na 30 września 2026)")
    assert {c.change for c in headline_cards(frame, None)} == {FIRST_RELEASE_PL}
    older = {"indicators": {"jst_supported_cumulative": []}}  # a release before the cards
    assert headline_cards(frame, older)[0].change == (
        "nowa karta: poprzednia publikacja jej nie miała")


def fixture_cards(run: Refresh) -> dict[str, str]:
    """The cards of a release's page: the card's id -> its text without tags."""
    page = (run.publish / "dashboard.html").read_text(encoding="utf-8")
    cards = re.findall(r'<article class="tile [a-z]+" id="karta-([a-z-]+)">(.*?)</article>',
                       page, re.DOTALL)
    return {name: re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", body)) for name, body in cards}


def test_fixture_release_cards(refreshed: Refresh) -> None:
    """The fixture, period end 31.12.2020 (tests/test_target_status.py, test_refresh.py,
    test_owes_marts.py): meetings 2018 two, 2019 one, 2020 three: the headline is 2020 with 3,
    the target missed (2019); JST 5 of 16 at the deadline, today too: missed; visits Italy
    2018 and Austria 2019 made, Spain 2020 not: 2 of 3, missed. Sector at 31.12.2020: 10
    active PES, 2 social enterprises, jobs 2 + 1 = 3 (IV kw. 2020). First release."""
    cards = refreshed.query("select * from marts.headline_cards")
    assert (card(cards, "rkres_meetings")["value"],
            card(cards, "rkres_meetings")["target_status"]) == (3, "nieosiągnięty")
    assert (card(cards, "jst_supported")["value"], card(cards, "jst_supported")[
        "value_at_deadline"], card(cards, "jst_supported")["target_status"]) == (
        5, 5, "nieosiągnięty")
    assert (card(cards, "study_visits")["value"], card(cards, "study_visits")["target"],
            card(cards, "study_visits")["target_status"]) == (2, 3, "nieosiągnięty")
    assert [card(cards, name)["value"] for name in (
        "active_pes", "social_enterprises", "jobs_created")] == [10, 2, 3]
    page = fixture_cards(refreshed)
    assert list(page) == ["rkres-meetings", "jst-supported", "study-visits", "project-budget",
                          "active-pes", "social-enterprises", "jobs-created"]
    assert "2019: 1 – ✖ nieosiągnięty" in page["rkres-meetings"]
    assert "stan na 31 grudnia 2020" in page["jst-supported"]
    assert "✖ Cel nieosiągnięty" in page["study-visits"]
    assert all("Zmiana: pierwsza publikacja" in text for text in page.values())
    release = json.loads((refreshed.publish / "release.json").read_text(encoding="utf-8"))
    jobs = [row for row in release["indicators"]["headline_cards"]
            if row["card"] == "jobs_created"]
    assert [(row["value"], row["value_suppressed"]) for row in jobs] == [(3, None)]


def test_second_release_states_the_change(published_copy: SecondRefresh) -> None:
    """The same inputs refreshed again: every card as before, against the first release's
    release.json."""
    second = published_copy.again()
    page = fixture_cards(second)
    assert page["jst-supported"].count(
        "Zmiana: bez zmian od poprzedniej publikacji (stan na 31 grudnia 2020)") == 1
    assert "pierwsza publikacja" not in " ".join(page.values())


def test_a_card_moving_on_is_news_not_a_revision() -> None:
    """From one release to the next the active PES card moves from 30.09 (2 620) to 31.10
    (2 632): not a revision of a published past value (the marts' own rows are, and only they
    are listed); a past month of active_pes_by_type changed from 5 to 6 is one."""
    month = {"month": "2026-09-30", "entity_type": "cis"}
    before = {"headline_cards": [{"card": "active_pes", "part": None, "as_of": "2026-09-30",
                                  "value": 2620}],
              "active_pes_by_type": [{**month, "active_pes": 5}]}
    after = {"headline_cards": [{"card": "active_pes", "part": None, "as_of": "2026-10-31",
                                 "value": 2632}],
             "active_pes_by_type": [{**month, "active_pes": 6}]}
    found = revisions({"release_id": "r1", "inputs": [], "indicators": before}, None,
                      indicators=after, keys={"headline_cards": ["card", "part"],
                                              "active_pes_by_type": ["month", "entity_type"]},
                      inputs=[], entities=pd.DataFrame({"id_podmiotu": []}), sources_of={})
    assert [(row["indicator"], row["old"], row["new"]) for row in found["values"]] == [
        ("active_pes_by_type", 5, 6)]
