"""The headline cards: every target of the project and the sector's state, in Polish.

A committee member who reads nothing else should read these, so each card says what the number
counts, as of when, against which target, whether the target is met (in words, not only in
colour) and how the number moved since the previous release. The values and the verdicts are
the mart's (marts.headline_cards, computed in SQL); here they only get their words and colours.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date

import pandas as pd

from dashboards.formatting import (
    format_count,
    format_date_long,
    format_date_short,
    format_number,
    format_pln,
)
from quality.disclosure import marker_column

HEADLINE_CARDS = "headline_cards"

# The mart's target_status -> (words on the card, the card's colour class in the template).
STATUS_PL = {
    "osiągnięty": ("✔ Cel osiągnięty", "met"),
    "w trakcie": ("◔ W trakcie", "progress"),
    "nieosiągnięty": ("✖ Cel nieosiągnięty", "missed"),
    None: ("Bez celu do oceny", "none"),
}
# A part of a card (a year, a planned visit) judged on its own, in short.
PART_STATUS_PL = {
    "osiągnięty": "✔ osiągnięty",
    "w trakcie": "w trakcie",
    "nieosiągnięty": "✖ nieosiągnięty",
    None: "",
}


@dataclass(frozen=True)
class CardWording:
    """What a card is called and what its number counts."""

    title: str
    unit: str
    money: bool = False
    # "project": a target of the project; "sector": the sector's state
    group: str = "project"
    # what the card says where the mart gives no verdict
    no_status: str = "Bez celu do oceny"


# The cards in reading order: the project's targets, then the sector's state.
CARDS = {
    "rkres_meetings": CardWording("Posiedzenia RKRES", "liczba posiedzeń w roku {year}"),
    "jst_supported": CardWording(
        "JST objęte wsparciem eksperckim", "liczba JST narastająco od początku projektu"
    ),
    "study_visits": CardWording(
        "Wizyty studyjne za granicą", "liczba wizyt zrealizowanych z {target} zaplanowanych"
    ),
    "project_budget": CardWording(
        "Budżet projektu", "wartość ogółem", money=True,
        no_status="Bez oceny: dane nie obejmują wydatków projektu",
    ),
    "active_pes": CardWording(
        "Aktywne podmioty ekonomii społecznej", "liczba podmiotów, wszystkie typy",
        group="sector",
    ),
    "social_enterprises": CardWording(
        "Przedsiębiorstwa społeczne", "liczba przedsiębiorstw ze statusem", group="sector"
    ),
    "jobs_created": CardWording(
        "Miejsca pracy w przedsiębiorstwach społecznych",
        "liczba miejsc pracy utworzonych od pierwszego sprawozdania OWES",
        group="sector",
    ),
}
# The groups of cards, in reading order, with their headings.
CARD_GROUPS_PL = {"project": "Cele projektu", "sector": "Stan sektora"}
FIRST_RELEASE_PL = "pierwsza publikacja"


@dataclass(frozen=True)
class Card:
    """One headline card, with everything the template shows on it, already in Polish."""

    key: str
    title: str
    value: str
    unit: str
    as_of: str
    status: str
    status_class: str
    change: str
    target: str = ""
    details: tuple[str, ...] = ()
    money: bool = False  # an amount in złoty: long, so set smaller
    group: str = "project"


@dataclass(frozen=True)
class CardGroup:
    """A heading over cards: the project's targets, or the sector's state."""

    title: str
    cards: tuple[Card, ...]


def card_groups(cards: list[Card]) -> list[CardGroup]:
    """Return ``cards`` under their groups' headings, groups without a card left out."""
    return [CardGroup(title, tuple(card for card in cards if card.group == group))
            for group, title in CARD_GROUPS_PL.items()
            if any(card.group == group for card in cards)]


def headline_cards(frame: pd.DataFrame, previous_release: Mapping | None) -> list[Card]:
    """Return the cards of ``frame`` (marts.headline_cards as published) in reading order.

    ``previous_release`` is the previous release's manifest (release.json), whose published
    rows of the same mart give each card's change; None on the first release.
    """
    before = _previous_values(previous_release)
    cards = []
    for key, wording in CARDS.items():
        rows = frame[frame["card"] == key]
        headline = rows[rows["part"].isna()]
        if headline.empty:
            continue
        parts = rows[rows["part"].notna()].sort_values(["target_valid_from", "part"])
        cards.append(_card(key, wording, headline.iloc[0], parts, before))
    return cards


def _card(key: str, wording: CardWording, row: pd.Series, parts: pd.DataFrame,
          before: dict[tuple[str, str | None], dict] | None) -> Card:
    """Return one card from its headline row and its parts."""
    status, status_class = STATUS_PL[_status(row)]
    if _status(row) is None:
        status = wording.no_status
    return Card(
        key=key,
        title=wording.title,
        value=_value(row, wording),
        unit=wording.unit.format(
            year=_day(row["as_of"]).year if _day(row["as_of"]) else "",
            target=format_number(_plain(row["target"])),
        ),
        as_of=_as_of(row),
        status=status,
        status_class=status_class,
        change=_change(key, row, wording.money, before),
        target=_target(key, row),
        details=tuple(_details(key, row, parts, wording)),
        money=wording.money,
        group=wording.group,
    )


def _value(row: pd.Series, wording: CardWording) -> str:
    """Return the card's number: money with grosze, a count, or the marker that hides it."""
    if wording.money:
        return format_pln(_plain(row["value"]))
    return format_count(_plain(row["value"]), row.get(marker_column("value")))


def _as_of(row: pd.Series) -> str:
    """Return the card's date line: "stan na …" from its own data, or the budget's period."""
    day = _day(row["as_of"])
    if day is not None:
        return f"stan na {format_date_long(day)}"
    start, end = _day(row["target_valid_from"]), _day(row["target_valid_to"])
    if start and end:
        return f"według opisu projektu, okres {format_date_short(start)}–{format_date_short(end)}"
    return "według opisu projektu"


def _target(key: str, row: pd.Series) -> str:
    """Return the card's target as the project states it."""
    target, end = _plain(row["target"]), _day(row["target_valid_to"])
    start = _day(row["target_valid_from"])
    if target is None or end is None:
        return ""
    if key == "rkres_meetings" and start is not None:
        return (f"cel: co najmniej {format_number(target)} posiedzenia w roku, "
                f"lata {start.year}–{end.year}")
    if key == "study_visits":
        return f"cel: {format_number(target)} wizyty według planu projektu do {end.year} r."
    return f"cel: {format_number(target)} do {format_date_long(end)}"


def _details(key: str, row: pd.Series, parts: pd.DataFrame, wording: CardWording) -> list[str]:
    """Return the card's smaller lines: the value at the deadline, each part and its verdict."""
    lines = []
    at_deadline, end = _plain(row["value_at_deadline"]), _day(row["target_valid_to"])
    if at_deadline is not None and end is not None:
        lines.append(f"w terminie celu ({format_date_long(end)}): {format_number(at_deadline)}")
    for part in parts.itertuples():
        if wording.money:
            share = "" if pd.isna(part.share_of_total) else (
                f" ({format_number(round(part.share_of_total * 100, 2))}\u00a0%)")
            lines.append(f"w tym {part.part}: {format_pln(_plain(part.value))}{share}")
            continue
        verdict = PART_STATUS_PL[None if pd.isna(part.target_status) else part.target_status]
        lines.append(f"{part.part}: {format_number(_plain(part.value))}"
                     + (f" – {verdict}" if verdict else ""))
    return lines


def _change(key: str, row: pd.Series, money: bool,
            before: dict[tuple[str, str | None], dict] | None) -> str:
    """Return how the card's number moved since the previous release, in words."""
    if before is None:
        return FIRST_RELEASE_PL
    was = before.get((key, None))
    if was is None:
        return "nowa karta: poprzednia publikacja jej nie miała"
    old, new = was.get("value"), _plain(row["value"])
    if was.get(marker_column("value")) or isinstance(row.get(marker_column("value")), str):
        return "zmiana ukryta: mała liczba osób"
    if old is None or new is None:
        return "brak wartości do porównania z poprzednią publikacją"
    since = _day(was.get("as_of"))
    when = f" (stan na {format_date_long(since)})" if since else ""
    difference = new - old
    if difference == 0:
        return f"bez zmian od poprzedniej publikacji{when}"
    written = format_pln(abs(difference)) if money else format_number(abs(difference))
    sign = "+" if difference > 0 else "−"
    return f"{sign}{written} od poprzedniej publikacji{when}"


def _previous_values(previous_release: Mapping | None) -> dict[tuple[str, str | None], dict] | None:
    """Return the previous release's card rows by (card, part); None when there was none."""
    if previous_release is None:
        return None
    rows = previous_release.get("indicators", {}).get(HEADLINE_CARDS, [])
    return {(row.get("card"), row.get("part")): row for row in rows}


def _status(row: pd.Series) -> str | None:
    """Return the mart's target_status of a row, None where no target applies."""
    return None if pd.isna(row["target_status"]) else row["target_status"]


def _day(value: object) -> date | None:
    """Return a mart or manifest date as a date, None where there is none."""
    return None if value is None or pd.isna(value) else pd.Timestamp(value).date()


def _plain(value: object) -> int | float | None:
    """Return a mart value as an int when whole, a float otherwise, None when missing."""
    if value is None or pd.isna(value):
        return None
    return int(value) if float(value).is_integer() else float(value)
