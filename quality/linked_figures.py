"""Published figures of one count of persons as a linear system over its cells.

A reader who sees a total and some of its cells can subtract; one who sees several totals of
the same cells can solve them together. Hiding each group's lone cell (the classic rule) is not
enough when groups overlap: a quarter's total minus the other institution types' shown totals
gives a hidden type's total back, and with it a hidden cell. So the rule is checked the way a
reader would break it: every published figure (a cell, a group's total, a running total) is a
sum of cells; a shown figure is an equation, a hidden one marked "<N" a range 1..N-1, every cell
is at least 0; a hidden figure is safe when the least and the greatest value it can take under
all of them (a linear programme, HiGHS via scipy) are far enough apart. Where one is not, the
shown figure that pins it (a binding equation) is hidden too, and the check runs again.

Linear bounds are at least as wide as the whole-number ones; for sums of cells over groups of
keys they are whole numbers at the corners, so nothing is given away by the relaxation that a
whole-number solver would find.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
from scipy.optimize import linprog

CELL, TOTAL, RUNNING = "cell", "total", "running"
# binding equations of each kind tried one at a time, smallest first
_TRIALS_PER_KIND = 6
_EPSILON = 1e-7


@dataclass
class LinkedFigures:
    """Figures ``members @ cells``: row i of ``members`` says which cells figure i adds up.

    ``kinds`` tells cells (the first rows, one per cell) from totals and running totals;
    ``hidden`` which figures are withheld, ``small`` which have a value of 1..N-1 (a hidden
    total then reads "<N", and a reader knows its range), ``unmarked`` the small totals that
    read "ukryto" instead, because their range would give a cell away.
    """

    members: np.ndarray
    values: np.ndarray
    kinds: list[str]
    min_persons: int
    hidden: np.ndarray = field(init=False)
    small: np.ndarray = field(init=False)
    unmarked: np.ndarray = field(init=False)
    _solved: dict = field(init=False, default_factory=dict)

    def __post_init__(self) -> None:
        self.small = (self.values > 0) & (self.values < self.min_persons)
        self.hidden = self.small.copy()
        self.unmarked = np.zeros_like(self.small)

    def feasible_range(self, figure: int) -> tuple[float, float]:
        """Return the least and the greatest value figure ``figure`` can take for a reader."""
        low = self._solve(figure, 1.0)
        high = self._solve(figure, -1.0)
        return low.fun, (np.inf if high.status == 3 else -high.fun)

    def is_protected(self, figure: int) -> bool:
        """Whether a reader cannot narrow a hidden figure further than a "<N" marker does:
        to fewer than N-1 possible values, and never to one."""
        low, high = self.feasible_range(figure)
        return high - low >= max(1, self.min_persons - 2) - _EPSILON

    @property
    def guarded(self) -> np.ndarray:
        """The hidden figures that must keep their range: every hidden cell and every total
        marked "<N". A total hidden only to protect a cell is no small count itself: what a
        reader could make of it shows in the cells' own ranges."""
        return self.hidden & ((self._kinds == CELL) | self.marked_small)

    @property
    def marked_small(self) -> np.ndarray:
        """Hidden totals and running totals marked "<N"; a hidden cell of a column with
        totals reads "ukryto" whatever its value, so a reader learns no range from it."""
        return self.hidden & self.small & (self._kinds != CELL) & ~self.unmarked

    @property
    def cell_count(self) -> int:
        return self.members.shape[1]

    @property
    def _kinds(self) -> np.ndarray:
        return np.array(self.kinds)

    def suppress(self) -> None:
        """Hide shown figures until every hidden one is protected (module doc).

        Hiding a figure only takes an equation away, so a figure once protected stays so and
        is not checked again.
        """
        self._pair_lone_cells()
        settled: set[int] = set()
        while True:
            unsafe = None
            for figure in map(int, np.flatnonzero(self.guarded)):
                if figure in settled:
                    continue
                if not self.is_protected(figure):
                    unsafe = figure
                    break
                settled.add(figure)
            if unsafe is None:
                return
            if not self._hide_one_pinning(unsafe):
                settled.add(unsafe)  # nothing shown helps any more: only its own marker

    def _hide_one_pinning(self, figure: int) -> bool:
        """Hide the shown figure that pins ``figure`` and whose hiding widens it most cheaply:
        cells before totals, small before large; the first that widens it on its own, else the
        first that is itself open once hidden (two may be needed together). Return False when
        no shown figure helps."""
        before = self.feasible_range(figure)
        candidates = self._binding(figure)
        saved = self.hidden.copy()
        for candidate in candidates:
            self.hidden[candidate] = True
            if (self._solve(figure, 1.0).fun < before[0] - _EPSILON
                    or self.feasible_range(figure)[1] > before[1] + _EPSILON):
                return True
            self.hidden = saved.copy()
        for candidate in candidates:
            self.hidden[candidate] = True
            if self._kinds[candidate] != CELL or self.is_protected(candidate):
                return True
            self.hidden = saved.copy()
        return self._unmark_one_pinning(figure, before)

    def _unmark_one_pinning(self, figure: int, before: tuple[float, float]) -> bool:
        """With nothing shown left to hide, read "ukryto" in place of "<N" on a small total
        that pins ``figure`` (two "<3" parts of a "<3" whole are 1 and 1): the first whose
        range taken away widens it, else the first. Return False when there is none."""
        shares = self.members[:, self.members[figure] > 0].any(axis=1)
        candidates = [int(i) for i in np.flatnonzero(self.marked_small & shares) if i != figure]
        for candidate in candidates:
            self.unmarked[candidate] = True
            low, high = self.feasible_range(figure)
            if low < before[0] - _EPSILON or high > before[1] + _EPSILON:
                return True
            self.unmarked[candidate] = False
        if candidates:
            self.unmarked[candidates[0]] = True
        return bool(candidates)

    def _pair_lone_cells(self) -> None:
        """Give each total's lone hidden cell the smallest non-zero shown cell beside it as a
        partner, until no total has one: the classic rule, cheap, and what the search would
        mostly do one programme at a time."""
        totals = self.members[self._kinds == TOTAL].astype(bool)
        cells = self.values[: self.cell_count]
        changed = True
        while changed:
            changed = False
            for group in totals:
                hidden = self.hidden[: self.cell_count]
                if (group & hidden).sum() != 1:
                    continue
                partners = np.flatnonzero(group & ~hidden & (cells > 0))
                if len(partners):
                    self.hidden[partners[np.argsort(cells[partners], kind="stable")[0]]] = True
                    changed = True

    def _binding(self, figure: int) -> list[int]:
        """Return the shown figures that bound ``figure``: the non-zero duals of the shown
        totals, and of the shown cells through the totals they are in."""
        rows, cells = self._shown_rows(), ~self.hidden[: self.cell_count]
        binding: set[int] = set()
        for sense in (1.0, -1.0):
            result = self._solve(figure, sense)
            if result.status != 0:
                continue
            duals = result.eqlin.marginals
            binding |= {int(rows[i]) for i in np.flatnonzero(np.abs(duals) > _EPSILON)}
            through = duals @ self.members[rows] - sense * self.members[figure]
            binding |= {int(i) for i in np.flatnonzero(cells & (np.abs(through) > _EPSILON))}
        # a cell is pinned by cells beside it, a total mostly by the totals beside it; the
        # smallest few of each kind are tried, so that a pinning running total is reached
        rank = {CELL: 0, TOTAL: 1, RUNNING: 2} if self.kinds[figure] == CELL else {
            TOTAL: 0, CELL: 1, RUNNING: 2}
        ordered = sorted(binding, key=lambda i: (rank[self.kinds[i]], self.values[i], i))
        return [i for kind in sorted(rank, key=rank.get)
                for i in [i for i in ordered if self.kinds[i] == kind][:_TRIALS_PER_KIND]]

    def _shown_rows(self) -> np.ndarray:
        """The shown figures other than cells: the equations left once shown cells are known."""
        return np.flatnonzero(~self.hidden & (self._kinds != CELL))

    def _solve(self, figure: int, sense: float):
        """Minimise ``sense`` times the figure over what a reader knows, with the shown cells
        put in as numbers: the unknowns are the hidden cells only. Solved once per figure,
        sense and set of hidden figures."""
        key = (figure, sense, self.hidden.tobytes(), self.unmarked.tobytes())
        if key not in self._solved:
            self._solved[key] = self._programme(figure, sense)
        return self._solved[key]

    def _programme(self, figure: int, sense: float):
        free = self.hidden[: self.cell_count]
        known = self.members[:, ~free] @ self.values[: self.cell_count][~free]
        rows, ranged = self._shown_rows(), np.flatnonzero(self.marked_small)
        upper = self.members[ranged][:, free]
        return linprog(
            sense * self.members[figure, free],
            A_ub=np.vstack([upper, -upper]) if len(ranged) else None,
            b_ub=np.concatenate([self.min_persons - 1.0 - known[ranged],
                                 known[ranged] - 1.0]) if len(ranged) else None,
            A_eq=self.members[rows][:, free] if len(rows) else None,
            b_eq=self.values[rows] - known[rows] if len(rows) else None,
            bounds=(0, None),
            method="highs",
        )
