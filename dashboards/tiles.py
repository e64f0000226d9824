"""The headline tiles: the latest value of each indicator, already written in Polish.

A committee member who reads nothing else should read these, so each tile says what the
number counts, as of when, and (where there is a target) whether it is met, in words and not
only in colour.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date

import pandas as pd

from dashboards.formatting import format_date_long, format_number
from dashboards.marts import IndicatorText

# The mart's target_status (computed in its SQL) as the tile's colour: met, missed, open.
TARGET_MET = {"osiągnięty": True, "nieosiągnięty": False, "w trakcie": None}


@dataclass(frozen=True)
class Tile:
    """One headline number, with everything the template shows around it."""

    title: str
    value: str
    unit: str
    as_of: str
    target: str | None = None
    # None: no target applies; True: met (or on track); False: missed.
    target_met: bool | None = None
    verdict: str | None = None


def latest_full_year(data_as_of: date) -> int:
    """Return the latest calendar year that has ended by ``data_as_of``.

    A year still in progress cannot yet miss a yearly target, so it is not the headline.
    """
    year_has_ended = (data_as_of.month, data_as_of.day) == (12, 31)
    return data_as_of.year if year_has_ended else data_as_of.year - 1


def active_pes_tile(by_type: pd.DataFrame, text: IndicatorText, data_as_of: date) -> Tile:
    """Return the tile with all PES active at the latest month end up to ``data_as_of``."""
    if by_type.empty:
        return Tile(text.title_pl, format_number(None), text.unit_pl, _as_of(data_as_of))
    latest_month = by_type["month"].max()
    total = by_type.loc[by_type["month"] == latest_month, "active_pes"].sum()
    return Tile(
        title=text.title_pl,
        value=format_number(int(total)),
        unit=f"{text.unit_pl} – wszystkie typy razem",
        as_of=_as_of(min(pd.Timestamp(latest_month).date(), data_as_of)),
    )


def jst_supported_tile(cumulative: pd.DataFrame, text: IndicatorText, data_as_of: date) -> Tile:
    """Return the tile with the supported local governments so far against the target.

    The verdict is the mart's, at the target's last month (its deadline, or the latest month
    before it): reaching 16 after the project ended is shown as the number it is, not as a
    target met.
    """
    if cumulative.empty:
        return Tile(text.title_pl, format_number(None), text.unit_pl, _as_of(data_as_of))
    latest = cumulative.iloc[-1]
    tile = Tile(
        title=text.title_pl,
        value=format_number(_count_or_none(latest["jst_supported"])),
        unit=text.unit_pl,
        as_of=_as_of(min(pd.Timestamp(latest["month"]).date(), data_as_of)),
    )
    targeted = cumulative.dropna(subset=["target", "target_valid_to"])
    if targeted.empty:
        return tile
    goal = targeted.iloc[-1]
    target = int(goal["target"])
    deadline = pd.Timestamp(goal["target_valid_to"]).date()
    reached_by_deadline = (
        _count_or_none(
            cumulative.loc[cumulative["month"] <= pd.Timestamp(deadline), "jst_supported"].max()
        )
        or 0
    )
    status = goal["target_status"]
    if status == "osiągnięty":
        verdict = "Cel osiągnięty w terminie"
    elif status == "w trakcie":
        verdict = f"Do celu brakuje: {format_number(target - reached_by_deadline)}"
    else:
        verdict = f"Cel nieosiągnięty w terminie (osiągnięto {format_number(reached_by_deadline)})"
    return replace(
        tile,
        target=f"cel: {format_number(target)} do {format_date_long(deadline)}",
        target_met=TARGET_MET[status],
        verdict=verdict,
    )


def rkres_meetings_tile(per_year: pd.DataFrame, text: IndicatorText, data_as_of: date) -> Tile:
    """Return the tile with the meetings of the latest full year against that year's target."""
    year = latest_full_year(data_as_of)
    rows = per_year[per_year["year"] == year]
    if rows.empty:
        return Tile(text.title_pl, format_number(None), text.unit_pl, f"rok {year}")
    meetings = _count_or_none(rows["meetings"].iloc[0])
    target = _count_or_none(rows["target"].iloc[0])
    tile = Tile(text.title_pl, format_number(meetings), text.unit_pl, f"rok {year}")
    if target is None:
        return tile
    status = rows["target_status"].iloc[0]
    return replace(
        tile,
        target=f"cel: {format_number(target)} w roku",
        target_met=TARGET_MET[status],
        verdict="Cel osiągnięty" if status == "osiągnięty" else "Poniżej celu",
    )


def _as_of(day: date) -> str:
    """Return the tile's date line."""
    return f"stan na {format_date_long(day)}"


def _count_or_none(value: object) -> int | None:
    """Return a mart count as an int, or None where the mart has no value."""
    return None if pd.isna(value) else int(value)
