"""What a reader can work out of a hidden count from the published figures alone.

Written apart from quality/linked_figures.py on purpose: it reads only what is published (the
shown cells, the ``_total_by_`` columns, the running totals and the markers), as a reader of
release.json would, sets every figure up as an equation or a range over the cells, and asks a
linear-programme solver for the least and greatest value of each hidden cell.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy.optimize import linprog

from quality.disclosure import PersonsCount, few_persons_pl, marker_column, total_column


@dataclass(frozen=True)
class HiddenRange:
    """The range a reader can narrow one hidden cell to, with the row it belongs to."""

    row: dict
    low: float
    high: float


def hidden_ranges(published: pd.DataFrame, count: PersonsCount, running: list[PersonsCount],
                  min_persons: int) -> list[HiddenRange]:
    """Return the feasible range of every hidden cell of ``count``'s column in ``published``."""
    cells = published.reset_index(drop=True)
    size = len(cells)
    equations: list[tuple[np.ndarray, float]] = []
    ranges: list[np.ndarray] = []
    hidden = cells[marker_column(count.column)].notna().to_numpy()
    for i in range(size):
        if not hidden[i]:
            equations.append((np.eye(size)[i], float(cells[count.column].iloc[i])))
    # each published sum: its column, the rows it adds up, and a row that shows it
    sums = []
    for keys in count.totals_by:
        groups = cells.groupby(list(keys), dropna=False).indices.values() if keys else [
            np.arange(size)]
        sums += [(total_column(count.column, keys), members, members[-1]) for members in groups]
    for total in running:  # each row's running total: the rows up to and with its order
        order = cells[total.order_by].to_numpy()
        sums += [(total.column, np.flatnonzero(order <= order[i]), i) for i in range(size)]
    for column, members, where in sums:
        row = np.zeros(size)
        row[members] = 1
        marker = cells[marker_column(column)].iloc[where]
        if marker is None or pd.isna(marker):
            equations.append((row, float(cells[column].iloc[where])))
        elif marker == few_persons_pl(min_persons):
            ranges.append(row)
    found = []
    for i in np.flatnonzero(hidden):
        bounds = [_extreme(size, i, sense, equations, ranges, min_persons) for sense in (1, -1)]
        found.append(HiddenRange(cells.iloc[i].to_dict(), bounds[0], bounds[1]))
    return found


def _extreme(size: int, cell: int, sense: int, equations: list, ranges: list,
             min_persons: int) -> float:
    """The least (sense 1) or greatest (sense -1) value of one cell; inf when unbounded."""
    objective = np.zeros(size)
    objective[cell] = sense
    upper = np.array(ranges) if ranges else None
    result = linprog(
        objective,
        A_ub=np.vstack([upper, -upper]) if ranges else None,
        b_ub=np.concatenate([np.full(len(ranges), min_persons - 1.0), -np.ones(len(ranges))])
        if ranges else None,
        A_eq=np.array([row for row, _ in equations]) if equations else None,
        b_eq=np.array([value for _, value in equations]) if equations else None,
        bounds=(0, None), method="highs")
    if result.status == 3:
        return np.inf
    assert result.status == 0, result.message
    return sense * result.fun


def leaks(published: pd.DataFrame, counts: list[PersonsCount],
          min_persons: int) -> list[HiddenRange]:
    """Return the hidden cells a reader can narrow further than a "<N" marker would: to
    fewer than N-1 possible values (N = ``min_persons``), or to one."""
    found = []
    for count in counts:
        running = [other for other in counts if other.running_total_of == count.column]
        if count.running_total_of is None and (count.totals_by or running):
            found += [hidden for hidden in hidden_ranges(published, count, running, min_persons)
                      if hidden.high - hidden.low < max(1, min_persons - 2) - 1e-7]
    return found
