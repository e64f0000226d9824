"""Small counts of persons are never published: the rule where figures leave the warehouse.

The marts stay exact (auditors re-run them); what the dashboard and release.json carry goes
through :func:`published` (the CSV downloads hold no counts of persons). The rule, with
N = ``min_persons`` (setting ``PES_MIN_PERSONS``, default 3):

1. Primary suppression. A count of persons from 1 to N-1 is published as None with a marker;
   0 stays 0 (nobody is identified by an empty cell).
2. Totals. A column may have groups of cells whose totals are published beside them
   (``totals_by``: the key columns of each group; ``[]`` is the whole column), as
   ``<column>_total_by_<keys>``, computed from the exact cells; a total of 1 to N-1 is hidden.
   A total the page shows is always one of these: never summed again from published cells.
3. Running totals (``running_total_of``): the total of every row up to and with this one's
   value of ``order_by`` (a quarter's rows share theirs), hidden when it is 1 to N-1.
4. Complementary suppression. A reader can solve the shown cells and totals together (a
   quarter's total minus the shown totals of the other institution types gives a hidden
   type's total back). So the cells, totals and running totals of a column are one linear
   system (quality/linked_figures.py): no hidden cell (nor total marked ``<N``) may be
   narrowed by it to fewer than N-1 possible values, nor ever to one; where one is, the shown
   figure that pins it is hidden too (a cell before a total, the smallest first, a zero too),
   until none is pinned. A zero hidden this way reads ``ukryto`` like any other hidden cell.
5. One system for two indicators. An indicator whose counts are another's totals
   (``persons_counts_from``) publishes the other's published values, markers and all.

Markers: ``<N`` where a hidden number can only be small (a cell of a column without shown
totals, a total of 1 to N-1); ``ukryto`` for every hidden cell of a column with shown totals,
a total or a running total hidden with a hidden cell, and a small total whose "<N" would
give a cell away (two "<3" parts of a "<3" whole are 1 and 1).
One marker for both small and partner cells there, since telling them apart would tell a
reader that the partner is at least N and give both back.
Which columns count persons, and their groups, are stated once per indicator, under
``persons_counts`` in assets/sql/marts/indicators.yml.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache
from itertools import chain

import duckdb
import numpy as np
import pandas as pd

from quality.linked_figures import CELL, RUNNING, TOTAL, LinkedFigures

DEFAULT_MIN_PERSONS = 3
HIDDEN_PL = "ukryto"
MARKER_SUFFIX = "_suppressed"


@dataclass(frozen=True)
class PersonsCount:
    """One column of a mart that counts persons, and the totals a reader can see of it.

    ``rows`` limits the rule to the rows whose column holds one of the listed values (a long
    mart, one indicator per row); ``running_total_of`` names the column this one adds up in
    the order of ``order_by``.
    """

    column: str
    totals_by: tuple[tuple[str, ...], ...] = ()
    running_total_of: str | None = None
    order_by: str | None = None
    rows: tuple[str, tuple[object, ...]] | None = None


def persons_counts(entry: Mapping | None) -> list[PersonsCount]:
    """Return the person-count columns of one catalogue entry's ``persons_counts`` mapping."""
    counts = []
    for column, spec in (entry or {}).items():
        spec = spec or {}
        rows = spec.get("rows")
        ((key, values),) = rows.items() if rows else ((None, None),)
        counts.append(PersonsCount(
            column=column,
            totals_by=tuple(tuple(keys) for keys in spec.get("totals_by", ())),
            running_total_of=spec.get("running_total_of"),
            order_by=spec.get("order_by"),
            rows=(key, tuple(values)) if rows else None,
        ))
    return counts


def few_persons_pl(min_persons: int) -> str:
    """Return the marker of a count known to be small: ``<3``."""
    return f"<{min_persons}"


def marker_column(column: str) -> str:
    """Return the name of the column that says why ``column`` is hidden (None when shown)."""
    return column + MARKER_SUFFIX


def total_column(column: str, keys: tuple[str, ...]) -> str:
    """Return the name of the published total of ``column`` over groups by ``keys``."""
    return f"{column}_total" + ("_by_" + "_".join(keys) if keys else "")


def published(frame: pd.DataFrame, counts: list[PersonsCount], min_persons: int) -> pd.DataFrame:
    """Return ``frame`` as it may be published: small counts of persons hidden (module doc)."""
    out = frame.copy()
    for count in counts:
        if count.running_total_of is None:
            running = [other for other in counts if other.running_total_of == count.column]
            _publish_count(out, frame, count, running, min_persons)
    return out


def catalogue_counts(con: duckdb.DuckDBPyConnection) -> dict[str, list[PersonsCount]]:
    """Return each indicator's person-count columns, as marts.indicator_catalogue states them."""
    rows = con.execute(
        "SELECT indicator, persons_counts FROM marts.indicator_catalogue ORDER BY indicator"
    ).fetchall()
    return {name: persons_counts(json.loads(spec) if spec else None) for name, spec in rows}


def published_rows(con: duckdb.DuckDBPyConnection, indicator: str,
                   min_persons: int) -> pd.DataFrame:
    """Return every row of ``marts.<indicator>``, fully ordered, as it may be published."""
    frame = con.execute(f"SELECT * FROM marts.{indicator} ORDER BY ALL").df()
    return published_frame(con, indicator, frame, min_persons)


def published_frame(con: duckdb.DuckDBPyConnection, indicator: str, frame: pd.DataFrame,
                    min_persons: int) -> pd.DataFrame:
    """Return rows read from ``marts.<indicator>`` as they may be published.

    An indicator whose counts of persons are another's totals (``persons_counts_from`` in
    the catalogue: participation_by_quarter's new persons are participants_new_by_quarter's
    quarter totals) publishes that one's published values: protected once, in one system,
    they cannot be played against each other.
    """
    source = catalogue_sources(con).get(indicator)
    if source is None:
        return published(frame, catalogue_counts(con).get(indicator, []), min_persons)
    keys = list(source["by"])
    # the other's rows of the same periods: the same system as where the other is drawn
    rows = con.execute(f"SELECT * FROM marts.{source['indicator']} ORDER BY ALL").df()
    rows = rows.merge(frame[keys].drop_duplicates(), on=keys)
    other = published(rows, catalogue_counts(con).get(source["indicator"], []),
                      min_persons).groupby(keys, as_index=False, dropna=False).first()
    found = frame[keys].merge(other.assign(_counted=True), on=keys, how="left")
    # a period the other has no row for counts nobody: its own zeros stand
    nobody = found["_counted"].isna().to_numpy()
    out = frame.copy()
    for column, other_column in source["columns"].items():
        own = frame[column] if column in frame else pd.Series(0, index=frame.index)
        values = found[other_column].where(~nobody, own.to_numpy())
        markers = found[marker_column(other_column)]
        if column in frame and not (markers.notna() | values.isna() | (
                values.to_numpy() == frame[column].to_numpy())).all():
            raise ValueError(f"marts.{indicator}.{column} różni się od marts."
                             f"{source['indicator']}.{other_column}: oba liczą te same osoby.")
        out[column] = values.astype(object).where(values.notna(), None).to_numpy()
        out[marker_column(column)] = markers.astype(object).where(markers.notna(), None).to_numpy()
    return out


def catalogue_sources(con: duckdb.DuckDBPyConnection) -> dict[str, dict]:
    """Return the indicators whose counts of persons are copied from another's published
    ones, as marts.indicator_catalogue states them (``persons_counts_from``)."""
    rows = con.execute("SELECT indicator, persons_counts_from FROM marts.indicator_catalogue "
                       "WHERE persons_counts_from IS NOT NULL").fetchall()
    return {name: json.loads(spec) for name, spec in rows}


def _applies(frame: pd.DataFrame, count: PersonsCount) -> pd.Series:
    """Return which rows the count covers: all, or those of the listed values (``rows``)."""
    if count.rows is None:
        return pd.Series(True, index=frame.index)
    key, values = count.rows
    return frame[key].isin(values)


def _publish_count(out: pd.DataFrame, frame: pd.DataFrame, count: PersonsCount,
                   running: list[PersonsCount], min_persons: int) -> None:
    """Hide the column's small cells, then whatever lets a reader work them out from the
    totals and running totals published beside them (quality/linked_figures.py)."""
    covered = _applies(frame, count)
    values = pd.to_numeric(frame[count.column], errors="coerce").fillna(0).where(covered, 0)
    if not count.totals_by and not running:
        small = covered & (values > 0) & (values < min_persons)
        _hide(out, count.column, small, few_persons_pl(min_persons))
        return
    cells = frame.index[covered]
    groups = [(keys, _groups(frame[covered], keys)) for keys in count.totals_by]
    # a running total is one figure per value of its order: the rows up to and with it
    steps = [frame.loc[cells, total.order_by] for total in running]
    rows = [[[label] for label in cells],
            [list(group) for _, by_keys in groups for group in by_keys],
            [list(step.index[step <= level]) for step in steps for level in sorted(step.unique())]]
    position = pd.Series(range(len(cells)), index=cells)
    members = np.zeros((sum(map(len, rows)), len(cells)))
    for row, labels in enumerate(chain.from_iterable(rows)):
        members[row, position[labels].to_numpy(dtype=int)] = 1
    kinds = (CELL,) * len(rows[0]) + (TOTAL,) * len(rows[1]) + (RUNNING,) * len(rows[2])
    figure_values = members @ values[cells].to_numpy(dtype=float)
    hidden = iter(zip(*_suppressed(members.tobytes(), members.shape, figure_values.tobytes(),
                                   kinds, min_persons), strict=True))
    cell_hidden = pd.Series(False, index=frame.index)
    for label in cells:
        cell_hidden[label] = next(hidden)[0]
    _hide(out, count.column, cell_hidden, HIDDEN_PL)
    for keys, by_keys in groups:
        name = total_column(count.column, keys)
        out[name] = values.groupby([frame[key] for key in keys] if keys else np.zeros(
            len(frame)), dropna=False).transform("sum").where(covered)
        markers = pd.Series(None, index=frame.index, dtype=object)
        for group in by_keys:
            is_hidden, is_small = next(hidden)
            if is_hidden:
                markers[group] = few_persons_pl(min_persons) if is_small else HIDDEN_PL
        _mark(out, name, markers)
    for total, step in zip(running, steps, strict=True):
        markers = pd.Series(None, index=frame.index, dtype=object)
        for level in sorted(step.unique()):
            is_hidden, is_small = next(hidden)
            if is_hidden:
                markers[step.index[step == level]] = (few_persons_pl(min_persons) if is_small
                                                      else HIDDEN_PL)
        _mark(out, total.column, markers)


@lru_cache(maxsize=64)
def _suppressed(members: bytes, shape: tuple[int, int], values: bytes, kinds: tuple[str, ...],
                min_persons: int) -> tuple[tuple[bool, ...], tuple[bool, ...]]:
    """Return which figures are hidden and which read "<N". Cached: the dashboard and the
    manifest publish the same marts in one refresh, and the search solves many programmes."""
    figures = LinkedFigures(np.frombuffer(members).reshape(shape), np.frombuffer(values),
                            list(kinds), min_persons)
    figures.suppress()
    return tuple(map(bool, figures.hidden)), tuple(map(bool, figures.small & ~figures.unmarked))


def _groups(frame: pd.DataFrame, keys: tuple[str, ...]) -> list[pd.Index]:
    """Return the row labels of each group of ``frame`` by ``keys`` (one group for none)."""
    if not keys:
        return [frame.index]
    return list(frame.groupby(list(keys), dropna=False, sort=True).groups.values())


def _hide(out: pd.DataFrame, column: str, hidden: pd.Series, marker: str) -> None:
    """Set hidden cells of ``column`` to None and write their marker beside them."""
    _mark(out, column, pd.Series(marker, index=out.index).where(hidden, None))


def _mark(out: pd.DataFrame, column: str, markers: pd.Series) -> None:
    """Set the cells of ``column`` that have a marker to None and write the markers beside."""
    markers = markers.astype(object)
    out[column] = out[column].astype(object).where(markers.isna(), None)
    out[marker_column(column)] = markers.where(markers.notna(), None)
