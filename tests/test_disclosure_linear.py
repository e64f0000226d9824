"""Hidden counts of persons cannot be worked out by solving the published figures together.

A reader of release.json sees cells, totals by group and running totals, some hidden; every
shown figure is an equation over the cells, every "<3" a range 1..2, every cell at least 0.
tests/disclosure_audit.py solves that system (a linear programme per hidden cell, read from the
published rows only) and reports each hidden cell a reader can narrow to a single value.

The crafted quarter is the bundled sample's 2020-Q1 (marts.participants_new_by_quarter):
women JST 4, OWES 1, PES 3; men JST 1, OWES 0, PES 1; quarter total 10.
"""

from __future__ import annotations

import json

import duckdb
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from assets.manifest import records
from assets.marts import CATALOGUE
from dashboards.sections import SECTIONS
from pipelines.cli import SAMPLE_AS_OF
from pipelines.settings import PROJECT_ROOT
from quality.disclosure import (
    HIDDEN_PL,
    PersonsCount,
    catalogue_counts,
    marker_column,
    persons_counts,
    published,
    published_frame,
    published_rows,
    total_column,
)
from sample_data import generate_sample
from tests.conftest import Refresh, fixture_env, run_refresh
from tests.disclosure_audit import hidden_ranges, leaks

PARTICIPANTS = PersonsCount("new_persons", totals_by=(
    ("quarter", "institution_type"), ("quarter",), ("sex",), ()))
STATED = {name: persons_counts(entry.get("persons_counts")) for name, entry in CATALOGUE.items()}
BAR = total_column("new_persons", ("quarter", "institution_type"))
QUARTER = total_column("new_persons", ("quarter",))


def quarter_2020_q1() -> pd.DataFrame:
    cells = [("K", "jst", 4), ("K", "owes", 1), ("K", "pes", 3),
             ("M", "jst", 1), ("M", "owes", 0), ("M", "pes", 1)]
    return pd.DataFrame([{"quarter": "2020-Q1", "sex": sex, "institution_type": kind,
                          "new_persons": n} for sex, kind, n in cells])


def row_of(frame: pd.DataFrame, sex: str, kind: str) -> pd.Series:
    return frame[(frame["sex"] == sex) & (frame["institution_type"] == kind)].iloc[0]


def test_the_audit_finds_what_pairing_lone_cells_leaves_open() -> None:
    """The classic rule's publication of the quarter: the three 1s hidden, with them the
    women's JST 4 and PES 3 (each bar then holds two hidden cells); bar totals JST 5 and PES 4
    shown, OWES 1 hidden ("<3"); the quarter's 10 shown. Yet 10 - 5 - 4 - 0 (the men's OWES
    shown) = 1: the woman from an OWES is found, and the audit says so."""
    frame = quarter_2020_q1()
    shown = frame.assign(new_persons=[None, None, None, None, 0, None],
                         new_persons_suppressed=[HIDDEN_PL] * 4 + [None, HIDDEN_PL])
    shown[BAR] = [5, None, 4, 5, None, 4]
    shown[marker_column(BAR)] = [None, "<3", None, None, "<3", None]
    shown[QUARTER] = 10
    shown[marker_column(QUARTER)] = None
    count = PersonsCount("new_persons", totals_by=(("quarter", "institution_type"),
                                                   ("quarter",)))
    found = [(r.row["sex"], r.row["institution_type"], r.low, r.high)
             for r in leaks(shown, [count], 3)]
    assert found == [("K", "owes", 1.0, 1.0)]


def test_the_quarter_is_published_with_no_cell_to_be_worked_out() -> None:
    """With the quarter's total shown and the OWES bar hidden, the other bars cannot all be
    shown (their sum would give OWES back): at least one more bar is hidden. No hidden cell is
    left with one possible value, the mart's numbers are untouched."""
    frame = quarter_2020_q1()
    out = published(frame, [PARTICIPANTS], 3)
    assert leaks(out, [PARTICIPANTS], 3) == []
    assert row_of(out, "K", "owes")["new_persons"] is None
    bars = out.drop_duplicates("institution_type").set_index("institution_type")
    assert bars.loc["owes", marker_column(BAR)] == "<3"
    assert bars[marker_column(BAR)].notna().sum() >= 2
    ranges = {(r.row["sex"], r.row["institution_type"]): (r.low, r.high)
              for r in hidden_ranges(out, PARTICIPANTS, [], 3)}
    low, high = ranges[("K", "owes")]
    assert high - low >= 1
    assert list(frame["new_persons"]) == [4, 1, 3, 1, 0, 1]


cell_values = st.lists(st.integers(min_value=0, max_value=7), min_size=12, max_size=12)


@settings(max_examples=40, deadline=None)
@given(cell_values)
def test_no_table_of_two_quarters_leaves_a_cell_to_be_worked_out(values: list[int]) -> None:
    """Two quarters x two sexes x three types, any counts 0..7, the four groupings of the
    participants' indicator: whatever is published, no hidden cell has one possible value
    and no "<3" total is pinned either (checked through the cells it adds up)."""
    keys = [(q, s, t) for q in ("2020-Q1", "2020-Q2") for s in ("K", "M")
            for t in ("jst", "owes", "pes")]
    frame = pd.DataFrame([{"quarter": q, "sex": s, "institution_type": t, "new_persons": n}
                          for (q, s, t), n in zip(keys, values, strict=True)])
    out = published(frame, [PARTICIPANTS], 3)
    assert leaks(out, [PARTICIPANTS], 3) == []
    small = frame["new_persons"].between(1, 2)
    assert out.loc[small, "new_persons"].isna().all()


# --- the bundled sample ------------------------------------------------------------------


@pytest.fixture(scope="module")
def bundled(tmp_path_factory: pytest.TempPathFactory) -> Refresh:
    """A refresh of the bundled sample (seed 28, as of 2026-10-31), as `pes-monitor refresh`
    makes it on a fresh clone."""
    root = tmp_path_factory.mktemp("bundled")
    inbox = root / "inbox"
    generate_sample(inbox, PROJECT_ROOT / "data" / "reference" / "teryt" /
                    "terc_28_2022-01-01.csv", seed=28, as_of=SAMPLE_AS_OF)
    env = {**fixture_env(root, inbox), "PES_PERIOD_END": SAMPLE_AS_OF.isoformat()}
    env.pop("PES_MAX_QUARANTINE_SHARE")
    refresh = Refresh(root=root, inbox=inbox, env=env, result=run_refresh(env))
    assert refresh.result.success
    return refresh


def release_rows(refresh: Refresh, name: str) -> pd.DataFrame:
    release = json.loads((refresh.publish / "release.json").read_text(encoding="utf-8"))
    return pd.DataFrame(release["indicators"][name])


def test_bundled_release_leaves_no_hidden_count_to_be_worked_out(bundled: Refresh) -> None:
    with duckdb.connect(str(bundled.warehouse), read_only=True) as con:
        counts = catalogue_counts(con)
        rows = {name: published_rows(con, name, 3) for name in counts if counts[name]}
    checked = 0
    for name, frame in rows.items():
        released = release_rows(bundled, name)
        # release.json carries what the page draws from: the same suppressed values
        assert json.loads(json.dumps(records(frame))) == json.loads(
            released.to_json(orient="records", force_ascii=False)), name
        assert leaks(released, counts[name], 3) == [], name
        checked += sum(released[marker_column(c.column)].notna().sum() for c in counts[name])
    assert checked > 100


def test_bundled_participation_publishes_the_participants_own_totals(bundled: Refresh) -> None:
    """participation_by_quarter counts the same persons: its new persons, persons so far and
    total are participants_new_by_quarter's published ones, markers and all, so neither can be
    solved against the other."""
    participants = release_rows(bundled, "participants_new_by_quarter").groupby(
        "quarter").first()
    participation = release_rows(bundled, "participation_by_quarter").set_index("quarter")
    pairs = {"new_persons": "new_persons_total_by_quarter_start",
             "persons_cumulative": "persons_cumulative", "new_persons_total": "new_persons_total"}
    for mine, theirs in pairs.items():
        for column in (mine, marker_column(mine)):
            other = column.replace(mine, theirs)
            assert participation[column].astype(object).where(
                participation[column].notna(), None).to_dict() == participants.loc[
                participation.index, other].astype(object).where(
                participants.loc[participation.index, other].notna(), None).to_dict(), column
    assert participation["new_persons_suppressed"].notna().any()


def test_bundled_dashboard_draws_the_released_values(bundled: Refresh) -> None:
    """The page publishes each frame it reads as release.json publishes the whole mart: for
    every drawn indicator that counts persons, the same values and markers, row for row."""
    with duckdb.connect(str(bundled.warehouse), read_only=True) as con:
        stated = {name for name, counts in catalogue_counts(con).items() if counts}
        stated |= {name for name, entry in CATALOGUE.items() if "persons_counts_from" in entry}
        checked = 0
        for drawn in (d for section in SECTIONS for d in section.drawn if d.indicator in stated):
            page = published_frame(con, drawn.indicator, drawn.read(con, SAMPLE_AS_OF), 3)
            released = release_rows(bundled, drawn.indicator)
            columns = [c for c in page.columns if c.endswith("_suppressed")]
            columns += [c.removesuffix("_suppressed") for c in columns]
            assert len(page) == len(released), drawn.indicator
            assert json.loads(page[columns].to_json(orient="records")) == json.loads(
                released[columns].to_json(orient="records")), drawn.indicator
            checked += 1
    assert checked >= 6


@pytest.mark.parametrize(("quarter", "sex"), [("2020-Q1", "K"), ("2022-Q4", "M")])
def test_the_known_leaks_of_the_bundled_sample_are_closed(bundled: Refresh, quarter: str,
                                                          sex: str) -> None:
    """The issue's two cases: one person from an OWES in the quarter (the mart says 1), which
    the quarter's total minus the shown bars gave back. Now hidden, with a range of values."""
    exact = bundled.query("select new_persons from marts.participants_new_by_quarter where "
                          "quarter = ? and sex = ? and institution_type = 'owes'", [quarter, sex])
    assert exact["new_persons"].tolist() == [1]
    released = release_rows(bundled, "participants_new_by_quarter")
    ranges = {(r.row["quarter"], r.row["sex"], r.row["institution_type"]): (r.low, r.high)
              for r in hidden_ranges(released, STATED["participants_new_by_quarter"][0], [], 3)}
    low, high = ranges[(quarter, sex, "owes")]
    assert low <= 1 <= high and high - low >= 1
