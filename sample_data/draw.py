"""Seeded random draws shared by the generator's parts.

Each part (entities, catalogue, KRS, ...) gets its own `random.Random`, seeded from the seed and
the part's name, so that changing how one file is written does not reshuffle all the others.
A string seed is hashed by `random` with SHA-512, not with `hash()`: the same on every machine.
"""

import random
from collections.abc import Sequence
from datetime import date, timedelta
from typing import TypeVar

T = TypeVar("T")


def part_rng(seed: int, part: str) -> random.Random:
    """The random stream of one part of the sample."""
    return random.Random(f"pes-monitor-sample/{seed}/{part}")


def random_date(rng: random.Random, first: date, last: date) -> date:
    """A day between `first` and `last`, both included."""
    return first + timedelta(days=rng.randint(0, (last - first).days))


def workday(day: date) -> date:
    """`day`, or the Monday after it when it falls on a weekend (meetings are held on workdays)."""
    return day + timedelta(days=7 - day.weekday() if day.weekday() >= 5 else 0)


def weighted_sample(rng: random.Random, items: Sequence[T], weights: Sequence[float],
                    k: int) -> list[T]:
    """`k` distinct items drawn without replacement, each with the chance of its weight.

    Efraimidis-Spirakis keys: one uniform draw per item, so the result depends only on the seed
    and on the order of `items`.
    """
    keyed = sorted(
        ((rng.random() ** (1.0 / w), -i) for i, w in enumerate(weights) if w > 0), reverse=True
    )
    return [items[-i] for _, i in keyed[:k]]


def month_ends(first: date, last: date) -> list[date]:
    """The last day of every month from `first`'s month up to `last` (included if a month end)."""
    ends = []
    year, month = first.year, first.month
    while True:
        following = date(year + month // 12, month % 12 + 1, 1)
        end = following - timedelta(days=1)
        if end > last:
            return ends
        ends.append(end)
        year, month = following.year, following.month
