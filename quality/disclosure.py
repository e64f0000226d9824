"""Small counts of persons are never published: the rule where figures leave the warehouse.

The marts stay exact (auditors re-run them); what the dashboard and release.json carry goes
through :func:`published` (the CSV downloads hold no counts of persons). The rule, with
N = ``min_persons`` (setting ``PES_MIN_PERSONS``, default 3):

1. Primary suppression. A count of persons from 1 to N-1 is published as None with a marker;
   0 stays 0 (nobody is identified by an empty cell).
2. Secondary suppression. A column may have groups of cells that add up to a total that is
   shown (``totals_by``: the key columns of each group; ``[]`` is the whole column). In a group
   where exactly one cell is hidden, the total minus the others would give it back, so the
   group's smallest non-zero cell still shown is hidden too. Groups of several groupings
   overlap, so this repeats until no group has exactly one hidden cell.
3. Totals. Each group's total is published beside the cells (``<column>_total_by_<keys>``),
   computed from the exact cells, shown when it is at least N, hidden when 1 to N-1, and
   hidden too when its group kept a single hidden cell (no non-zero partner to hide with it).
   A total the page shows is always one of these: never summed again from published cells.
4. Running totals (``running_total_of``): the total of every row up to this one. The
   difference of two of them is a cell, so a running total is hidden from the first hidden
   cell on (and when it is itself 1 to N-1).

Markers: ``<N`` where a hidden number can only be small (a cell of a column without shown
totals, a total of 1 to N-1); ``ukryto`` for every hidden cell of a column with shown totals,
a total hidden with its lone hidden cell, and a running total hidden after a hidden cell.
One marker for both small and partner cells there, since telling them apart would tell a
reader that the partner is at least N and give both back.
Which columns count persons, and their groups, are stated once per indicator, under
``persons_counts`` in assets/sql/marts/indicators.yml.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass

import duckdb
import pandas as pd

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
    plain = [count for count in counts if count.running_total_of is None]
    hidden = {count.column: _hidden_cells(frame, count, min_persons) for count in plain}
    for count in plain:
        marker = HIDDEN_PL if count.totals_by else few_persons_pl(min_persons)
        _hide(out, count.column, hidden[count.column], marker)
        for keys in count.totals_by:
            _add_total(out, frame, count, keys, hidden[count.column], min_persons)
    for count in counts:
        if count.running_total_of is not None:
            _hide_running_total(out, frame, count, hidden[count.running_total_of], min_persons)
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
    return published(frame, catalogue_counts(con).get(indicator, []), min_persons)


def _applies(frame: pd.DataFrame, count: PersonsCount) -> pd.Series:
    """Return which rows the count covers: all, or those of the listed values (``rows``)."""
    if count.rows is None:
        return pd.Series(True, index=frame.index)
    key, values = count.rows
    return frame[key].isin(values)


def _hidden_cells(frame: pd.DataFrame, count: PersonsCount, min_persons: int) -> pd.Series:
    """Return which cells of the column are hidden: small ones, then their partners."""
    covered = _applies(frame, count)
    values = pd.to_numeric(frame[count.column], errors="coerce").fillna(0)
    hidden = covered & (values > 0) & (values < min_persons)
    changed = True
    while changed:
        changed = False
        for keys in count.totals_by:
            for index in _groups(frame[covered], keys):
                if hidden[index].sum() != 1:
                    continue
                partners = values[index][~hidden[index] & (values[index] > 0)]
                if not partners.empty:
                    hidden[partners.sort_values(kind="stable").index[0]] = True
                    changed = True
    return hidden


def _groups(frame: pd.DataFrame, keys: tuple[str, ...]) -> list[pd.Index]:
    """Return the row labels of each group of ``frame`` by ``keys`` (one group for none)."""
    if not keys:
        return [frame.index]
    return list(frame.groupby(list(keys), dropna=False, sort=True).groups.values())


def _hide(out: pd.DataFrame, column: str, hidden: pd.Series, marker: str) -> None:
    """Set hidden cells of ``column`` to None and write their marker beside them."""
    out[column] = out[column].astype(object).where(~hidden, None)
    out[marker_column(column)] = pd.Series(marker, index=out.index).where(hidden, None)


def _add_total(out: pd.DataFrame, frame: pd.DataFrame, count: PersonsCount,
               keys: tuple[str, ...], hidden: pd.Series, min_persons: int) -> None:
    """Write the exact total of each group beside its rows, hidden when it is 1 to N-1, or
    when its group still has exactly one hidden cell (no non-zero partner was left to hide):
    the total minus the shown cells would then be that cell."""
    covered = _applies(frame, count)
    values = pd.to_numeric(frame[count.column], errors="coerce").fillna(0).where(covered, 0)
    if keys:
        by = [frame[key] for key in keys]
        totals = values.groupby(by, dropna=False).transform("sum")
        hidden_in_group = (hidden & covered).groupby(by, dropna=False).transform("sum")
    else:
        totals = pd.Series(values.sum(), index=frame.index)
        hidden_in_group = pd.Series((hidden & covered).sum(), index=frame.index)
    totals = totals.where(covered)
    small = (totals > 0) & (totals < min_persons)
    lone = covered & (hidden_in_group == 1) & ~small
    name = total_column(count.column, keys)
    out[name] = totals
    _hide(out, name, small | lone, few_persons_pl(min_persons))
    out.loc[lone, marker_column(name)] = HIDDEN_PL


def _hide_running_total(out: pd.DataFrame, frame: pd.DataFrame, count: PersonsCount,
                        hidden_cells: pd.Series, min_persons: int) -> None:
    """Hide a running total from the first hidden cell on, and where it is 1 to N-1."""
    order = frame.sort_values(count.order_by, kind="stable").index
    after_hidden = hidden_cells[order].cumsum().gt(0).reindex(frame.index)
    values = pd.to_numeric(frame[count.column], errors="coerce").fillna(0)
    small = (values > 0) & (values < min_persons)
    out[count.column] = out[count.column].astype(object).where(~(small | after_hidden), None)
    markers = pd.Series(None, index=frame.index, dtype=object)
    markers[after_hidden] = HIDDEN_PL
    markers[small] = few_persons_pl(min_persons)
    out[marker_column(count.column)] = markers
