"""Small counts of persons are hidden in everything published, and stay exact in the marts.

The rule (quality/disclosure.py) on hand-made frames, then on the refresh of the fixture inbox
(tests/fixture_inbox.py, period end 2020-12-31). Worked out from the fixture's participants:
Kowalski (M, JST) and Nowak (K, PES) first came to E1 (10.06.2019, II kw. 2019), Lewandowska
(K, nauka) to E3 (07.10.2019, IV kw.); the E2 and E3 rows without a valid PESEL are no persons.
So participants_new_by_quarter has three cells of 1: all hidden ("ukryto": the column has
totals). Totals: II kw. 2 and IV kw. 1 (under 3, "<3"), women 2 and men 1 ("<3"), all persons
3, hidden too ("ukryto"): each cell's bar total says "<3", so each is at least 1, and three of
them adding up to 3 would each be 1. participation_by_quarter: new persons 2 (II kw.) and 1
(IV kw.), hidden; their total 3 shown; the running total is 0 up to I kw. 2019, then 2, 2,
3, ... and hidden from II kw. on.
Events: persons 2 (RKRES meeting E1), 1 (Dni, E2) and 1 (study visit, E3), all "<3". Study
visits: Austria's 2 participants "<3"; Italy 15, Poland 18 and Spain's 0 shown. OWES jobs by
group: 1 (disabled) and 2 (unemployed) of OWES-1 in IV kw. 2020, hidden; the centre's headline
4,5 jobs and 25 persons supported shown (>= 3).
"""

from __future__ import annotations

import json
import re

import pandas as pd
import pytest
import yaml

from assets.marts import MARTS_SQL
from pipelines.resources import settings_from_env
from quality.disclosure import (
    HIDDEN_PL,
    PersonsCount,
    marker_column,
    persons_counts,
    published,
    published_rows,
    total_column,
)
from tests.conftest import Refresh
from tests.declared_warehouse import empty_warehouse

CATALOGUE = yaml.safe_load((MARTS_SQL / "indicators.yml").read_text(encoding="utf-8"))


def values(frame: pd.DataFrame, column: str) -> list:
    return [None if pd.isna(v) else v for v in frame[column]]


def test_counts_of_one_and_two_are_hidden_and_zero_stays() -> None:
    frame = pd.DataFrame({"year": [2019, 2020, 2021, 2022, 2023], "persons": [0, 1, 2, 3, 5]})
    out = published(frame, [PersonsCount("persons")], 3)
    assert values(out, "persons") == [0, None, None, 3, 5]
    assert values(out, marker_column("persons")) == [None, "<3", "<3", None, None]
    assert list(frame["persons"]) == [0, 1, 2, 3, 5]  # the frame read is left exact


def test_threshold_is_a_setting() -> None:
    assert settings_from_env({}).min_persons == 3
    assert settings_from_env({"PES_MIN_PERSONS": "5"}).min_persons == 5
    frame = pd.DataFrame({"persons": [0, 1, 2, 3, 4, 5]})
    out = published(frame, [PersonsCount("persons")], 5)
    assert values(out, "persons") == [0, None, None, None, None, 5]
    assert values(out, marker_column("persons")) == [None, "<5", "<5", "<5", "<5", None]


def test_a_lone_hidden_cell_takes_the_next_smallest_with_it() -> None:
    """Group a: 1, 4, 6 (total 11 shown): the 1 is hidden, then the 4, the smallest cell
    left, so 11 - 6 gives only 1 + 4 (the 1 could be 0..5). Group b: 0, 2, 0 (total 2): the 2
    is hidden and has no partner, but its total 2 is under 3 and hidden too: a reader knows
    the cell is 1 or 2, as "<3" says, no more. Zeros stay."""
    frame = pd.DataFrame({"group": ["a", "a", "a", "b", "b", "b"], "persons": [1, 4, 6, 0, 2, 0]})
    count = PersonsCount("persons", totals_by=(("group",),))
    out = published(frame, [count], 3)
    assert values(out, "persons") == [None, None, 6, 0, None, 0]
    assert values(out, marker_column("persons")) == [HIDDEN_PL, HIDDEN_PL, None, None,
                                                     HIDDEN_PL, None]
    total = total_column("persons", ("group",))
    assert values(out, total) == [11, 11, 11, None, None, None]
    assert values(out, marker_column(total)) == [None, None, None, "<3", "<3", "<3"]


def test_overlapping_groups_repeat_until_none_has_a_lone_hidden_cell() -> None:
    """Cells by quarter and sex: q1 K 1, M 5; q2 K 7, M 9; totals by quarter and by sex shown.
    The 1 is hidden; q1 then hides M 5; sex M (5, 9) now has one hidden, so M 9 goes; quarter
    q2 (7, 9) has one, so K 7 goes; sex K (1, 7) has two. All four hidden, every total >= 3
    shown: q1 6, q2 16, K 8, M 14."""
    frame = pd.DataFrame({"quarter": ["q1", "q1", "q2", "q2"], "sex": ["K", "M", "K", "M"],
                          "persons": [1, 5, 7, 9]})
    count = PersonsCount("persons", totals_by=(("quarter",), ("sex",)))
    out = published(frame, [count], 3)
    assert values(out, "persons") == [None, None, None, None]
    assert values(out, total_column("persons", ("quarter",))) == [6, 6, 16, 16]
    assert values(out, total_column("persons", ("sex",))) == [8, 14, 8, 14]


def test_a_total_that_pins_a_small_total_is_hidden() -> None:
    """Group a: 2, 0 and group b: 0, 6, with a total of all cells (8) shown too. The 2 is
    hidden, and as the lone hidden cell of all cells its partner is the 6. Then b's total 6
    gives the 6 back and 8 - 6 the 2: a reader solving the shown figures gets both. So the 0
    beside the 2 is hidden (the 2 could be 0, 1 or 2), then the 0 beside the 6 (0..6). Group
    a's total 2 ("<3") is still 8 - 6: b's total is hidden too ("ukryto"). The 8 stays."""
    frame = pd.DataFrame({"group": ["a", "a", "b", "b"], "persons": [2, 0, 0, 6]})
    count = PersonsCount("persons", totals_by=(("group",), ()))
    out = published(frame, [count], 3)
    assert values(out, "persons") == [None, None, None, None]
    assert values(out, marker_column("persons")) == [HIDDEN_PL] * 4
    total = total_column("persons", ("group",))
    assert values(out, total) == [None] * 4
    assert values(out, marker_column(total)) == ["<3", "<3", HIDDEN_PL, HIDDEN_PL]
    assert values(out, total_column("persons", ())) == [8, 8, 8, 8]


def test_a_running_total_that_would_give_a_hidden_cell_back_is_hidden() -> None:
    """New persons 0, 4, 1, 5, 6 by quarter (total 16 shown): the 1 is hidden and with it the
    4, the smallest other. Running totals 0, 4, 5, 10, 16: the 4 minus the 0 would give the
    4 back, and the 5 minus the 4 the 1, so the 4 is hidden; the 5 minus the 0 gives only
    4 + 1 (the 1 could be 0..5), so the others stay."""
    frame = pd.DataFrame({"quarter": [1, 2, 3, 4, 5], "new": [0, 4, 1, 5, 6],
                          "cumulative": [0, 4, 5, 10, 16]})
    counts = [PersonsCount("new", totals_by=((),)),
              PersonsCount("cumulative", running_total_of="new", order_by="quarter")]
    out = published(frame, counts, 3)
    assert values(out, "new") == [0, None, None, 5, 6]
    assert values(out, "cumulative") == [0, None, 5, 10, 16]
    assert values(out, marker_column("cumulative")) == [None, HIDDEN_PL, None, None, None]
    assert values(out, total_column("new", ())) == [16] * 5


def test_only_the_listed_rows_of_a_long_mart_count_persons() -> None:
    frame = pd.DataFrame({"indicator": ["jobs", "entities"], "value": [1.5, 1.0]})
    counts = persons_counts({"value": {"rows": {"indicator": ["jobs"]}}})
    out = published(frame, counts, 3)
    assert values(out, "value") == [None, 1.0]


# --- the refresh of the fixture inbox ----------------------------------------------------


def person_columns(name: str, row: dict) -> list[str]:
    """The columns of a published row that count persons: the catalogue's and their totals."""
    stated = CATALOGUE[name].get("persons_counts", {})
    return [c for c in row if not c.endswith("_suppressed")
            and any(c == s or c.startswith(s + "_total") for s in stated)]


def covers(name: str, column: str, row: dict) -> bool:
    """Whether the catalogue's rule for ``column`` covers ``row`` (its ``rows``, if any: the
    OWES indicators that count persons, the cards' jobs)."""
    spec = CATALOGUE[name].get("persons_counts", {}).get(column.split("_total")[0]) or {}
    return all(row[key] in values for key, values in spec.get("rows", {}).items())


def test_release_holds_no_count_of_one_or_two_persons(refreshed: Refresh) -> None:
    release = json.loads((refreshed.publish / "release.json").read_text(encoding="utf-8"))
    assert release["min_persons"] == 3
    checked = 0
    for name, rows in release["indicators"].items():
        for row in rows:
            for column in person_columns(name, row):
                if not covers(name, column, row):
                    continue
                checked += 1
                assert row[column] is None or row[column] == 0 or row[column] >= 3, (
                    name, column, row)
    assert checked > 100
    new = [r for r in release["indicators"]["participants_new_by_quarter"]
           if r["new_persons_suppressed"]]
    assert [(r["quarter"], r["sex"], r["new_persons"], r["new_persons_suppressed"])
            for r in new] == [("2019-Q2", "K", None, HIDDEN_PL), ("2019-Q2", "M", None, HIDDEN_PL),
                              ("2019-Q4", "K", None, HIDDEN_PL)]
    # each of the three is 1 or 2 (the "<3" totals of their bars), so a total of 3 shown
    # would say each is 1: it is hidden
    assert {(r["new_persons_total"], r["new_persons_total_suppressed"]) for r in release[
        "indicators"]["participants_new_by_quarter"]} == {(None, HIDDEN_PL)}
    visits = {r["country"]: (r["participants"], r["participants_suppressed"])
              for r in release["indicators"]["study_visits_per_year"]}
    assert visits == {"Włochy": (15, None), "Austria": (None, "<3"), "Polska": (18, None),
                      "Hiszpania": (0, None)}
    participation = {r["quarter"]: (r["new_persons"], r["persons_cumulative"])
                     for r in release["indicators"]["participation_by_quarter"]}
    assert participation["2019-Q1"] == (0, 0)
    assert participation["2019-Q2"] == (None, None)
    assert participation["2020-Q4"] == (0, None)


def test_marts_in_the_warehouse_stay_exact(refreshed: Refresh) -> None:
    small = refreshed.query("select quarter, sex, new_persons "
                            "from marts.participants_new_by_quarter "
                            "where new_persons between 1 and 2 order by quarter, sex")
    assert [tuple(r) for r in small.itertuples(index=False)] == [
        ("2019-Q2", "K", 1), ("2019-Q2", "M", 1), ("2019-Q4", "K", 1)]
    jobs = refreshed.query("select sum(jobs) as n from marts.owes_jobs_by_group")
    assert jobs["n"].iloc[0] == 3  # 1 + 2, exact
    austria = refreshed.query("select participants from marts.study_visits_per_year "
                              "where country = 'Austria'")
    assert austria["participants"].iloc[0] == 2


def plots_of(page: str) -> dict[str, dict]:
    """Each figure's plotly data, as the page hands it to Plotly.newPlot."""
    decoder = json.JSONDecoder()
    plots = {}
    for found in re.finditer(r'Plotly\.newPlot\(\s*"(wykres-[a-z-]+)",\s*', page):
        data, _ = decoder.raw_decode(page, found.end())
        plots[found.group(1)] = data
    return plots


def test_dashboard_draws_no_count_of_one_or_two_persons(refreshed: Refresh) -> None:
    page = (refreshed.publish / "dashboard.html").read_text(encoding="utf-8")
    plots = plots_of(page)
    participants = plots["wykres-participants-new-by-quarter"]
    assert all(y is None or y == 0 or y >= 3 for t in participants for y in t.get("y", [])
               if not isinstance(y, str))
    bands = [t for t in participants if t["type"] == "bar"]
    assert all(y in (0, None) for t in bands for y in t["y"])  # every band is 1: hidden
    participation = {t["name"]: t for t in plots["wykres-participation-by-quarter"]}
    assert all(y in (0, None) for y in participation["Nowe osoby w kwartale"]["y"])
    events = plots["wykres-project-events-per-year"]
    assert {row[1] for t in events if t["type"] == "bar" for row in t["customdata"]} == {
        "0", "<3"}
    jobs = plots["wykres-owes-jobs-by-group"]
    # each contract's bar of the other group is an empty 0; the 1 and the 2 have no height,
    # "<3" in their own trace's hover and a cross with "<3" beside it
    bars = [t for t in jobs if t["type"] == "bar"]
    assert {x for t in bars for x in t["x"]} == {0}
    assert sorted(label for t in bars for label in t["customdata"]) == ["0", "0", "<3", "<3"]
    (crosses,) = [t for t in jobs if t["type"] == "scatter"]
    assert crosses["text"] == ["<3", "<3"]
    # the charts' subtitles, written as HTML above them
    assert "Razem osób: ukryto (kobiety: &lt;3, mężczyźni: &lt;3)" in page
    assert "Uczestników łącznie (osoby): ukryto;" in page  # participants_new's total
    assert '<td class="num">&lt;3</td>' in page  # Austria's 2 participants
    assert page.count('class="hidden-note"') == 5
    assert "„&lt;3”: mniej niż 3 osoby – ukryto" in page


@pytest.mark.parametrize("name", sorted(n for n, e in CATALOGUE.items() if "persons_counts" in e))
def test_catalogue_names_columns_its_mart_has(refreshed: Refresh, name: str) -> None:
    columns = set(refreshed.query(f"select * from marts.{name} limit 0").columns)
    for count in persons_counts(CATALOGUE[name]["persons_counts"]):
        assert count.column in columns
        assert {key for keys in count.totals_by for key in keys} <= columns


def test_participation_without_any_participant_shows_its_zeros() -> None:
    """No participant yet: participants_new_by_quarter has no rows (no sex or institution
    type was seen), so participation_by_quarter's quarters keep their own 0 new persons and
    0 so far, and the total is 0: nothing hidden, nothing left blank."""
    con = empty_warehouse()
    for name in ("participants_new_by_quarter", "participation_by_quarter"):
        entry = CATALOGUE[name]
        con.execute("insert into marts.indicator_catalogue (indicator, persons_counts, "
                    "persons_counts_from) values (?, ?, ?)", [
            name, json.dumps(entry.get("persons_counts", {})),
            json.dumps(entry["persons_counts_from"]) if "persons_counts_from" in entry else None])
    con.execute("insert into marts.participation_by_quarter values "
                "(date '2018-01-01', '2018-Q1', 2018, 4, 1, 1, 0, 0, 0)")
    out = published_rows(con, "participation_by_quarter", 3)
    assert [(r["new_persons"], r["new_persons_suppressed"], r["persons_cumulative"],
             r["new_persons_total"]) for r in out.to_dict("records")] == [(0, None, 0, 0)]
