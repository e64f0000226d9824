"""Polish number and date formatting for the dashboard.

Python's locale module depends on what the machine has installed and plotly has no Polish
locale offline, so the page formats Polish numbers and dates itself: the same output on every
machine, and the same conventions in the tiles (formatted here) and in the figures (plotly is
given the same separators and month names through :func:`plotly_locale`).
"""

from __future__ import annotations

import math
from datetime import date, datetime

DECIMAL_SEPARATOR = ","
# A non-breaking space: "1 234" must never be split across two lines of a tile.
THOUSANDS_SEPARATOR = "\u00a0"
# plotly's layout.separators: the decimal mark, then the thousands separator.
PLOTLY_SEPARATORS = DECIMAL_SEPARATOR + THOUSANDS_SEPARATOR
MISSING_VALUE_PL = "brak danych"

# Nominative ("październik 2026": a month on its own) and genitive ("31 października 2026":
# a day of a month); Polish needs both.
MONTHS_NOMINATIVE = (
    "styczeń", "luty", "marzec", "kwiecień", "maj", "czerwiec",
    "lipiec", "sierpień", "wrzesień", "październik", "listopad", "grudzień",
)  # fmt: skip
MONTHS_GENITIVE = (
    "stycznia", "lutego", "marca", "kwietnia", "maja", "czerwca",
    "lipca", "sierpnia", "września", "października", "listopada", "grudnia",
)  # fmt: skip
MONTHS_SHORT = (
    "sty", "lut", "mar", "kwi", "maj", "cze", "lip", "sie", "wrz", "paź", "lis", "gru",
)  # fmt: skip
WEEKDAYS = (
    "niedziela", "poniedziałek", "wtorek", "środa", "czwartek", "piątek", "sobota",
)  # fmt: skip
WEEKDAYS_SHORT = ("nd", "pn", "wt", "śr", "cz", "pt", "sb")
# Polish reports number quarters in Roman numerals: "IV kw. 2020".
QUARTERS_ROMAN = ("I", "II", "III", "IV")


def format_number(value: float | int | None, decimals: int | None = None) -> str:
    """Return ``value`` written the Polish way: ``1 234 567,5``.

    With ``decimals=None`` whole numbers get no decimal part and other numbers at most two
    decimals (trailing zeros dropped), so counts never show a stray ``,0``. A missing value
    (None or NaN) reads "brak danych" rather than "nan".
    """
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return MISSING_VALUE_PL
    if decimals is None:
        text = f"{value:,.0f}" if float(value).is_integer() else f"{value:,.2f}".rstrip("0")
    else:
        text = f"{value:,.{decimals}f}"
    integer_part, _, fraction = text.partition(".")
    integer_part = integer_part.replace(",", THOUSANDS_SEPARATOR)
    return f"{integer_part}{DECIMAL_SEPARATOR}{fraction}" if fraction else integer_part


def format_count(value: float | int | None, marker: str | None) -> str:
    """Return a published count: its hiding marker ("<3", "ukryto") when it is hidden."""
    return marker if isinstance(marker, str) else format_number(value)


def format_date_long(day: date) -> str:
    """Return a date as a Polish reader says it: ``31 października 2026``."""
    return f"{day.day} {MONTHS_GENITIVE[day.month - 1]} {day.year}"


def format_date_short(day: date) -> str:
    """Return a date in the usual Polish numeric form, ``31.10.2026``, for dense tables."""
    return f"{day.day:02d}.{day.month:02d}.{day.year}"


def format_quarter(quarter_start: date) -> str:
    """Return the quarter a day falls in as Polish reports write it: ``IV kw. 2020``."""
    return f"{QUARTERS_ROMAN[(quarter_start.month - 1) // 3]} kw. {quarter_start.year}"


def format_pln(value: float | None) -> str:
    """Return an amount of money in złoty with its grosze: ``2 158 612,28 zł``."""
    if value is None or math.isnan(value):
        return MISSING_VALUE_PL
    return f"{format_number(value, 2)} zł"


def format_datetime_short(moment: datetime) -> str:
    """Return a moment as ``05.11.2026, 14:03`` in the moment's own time zone."""
    return f"{format_date_short(moment.date())}, {moment.hour:02d}:{moment.minute:02d}"


def plotly_locale() -> dict[str, object]:
    """Return a plotly.js locale module for Polish, to pass to ``Plotly.register``.

    plotly's Python package ships no locales, and the Polish one in plotly.js abbreviates
    months oddly ("Lu", "Pa"), so the page registers this one: date axes, hover dates and
    number separators then come out Polish even after the reader zooms in.
    """
    return {
        "moduleType": "locale",
        "name": "pl",
        # Every text of the mode bar and its messages in plotly.js 4 (its buttons' titles),
        # so no tooltip falls back to English whichever buttons a figure keeps.
        "dictionary": {
            "Autoscale": "Skaluj automatycznie",
            "Box Select": "Zaznacz prostokątem",
            "Compare data on hover": "Porównaj dane po najechaniu",
            "Download plot": "Pobierz wykres",
            "Download plot as a PNG": "Pobierz wykres jako obraz PNG",
            "Download plot as JSON": "Pobierz wykres jako JSON",
            "Image download succeeded": "Obraz pobrano",
            "JSON download succeeded": "Plik JSON pobrano",
            "Lasso Select": "Zaznacz lassem",
            "Pan": "Przesuń",
            "Preparing image - this may take a few seconds": (
                "Przygotowanie obrazu – może to potrwać kilka sekund"
            ),
            "Reset": "Przywróć",
            "Reset axes": "Przywróć widok",
            "Reset view": "Przywróć widok",
            "Reset views": "Przywróć widoki",
            "Show closest data on hover": "Pokaż najbliższe dane po najechaniu",
            "Sorry, there was a problem downloading your image!": (
                "Niestety, nie udało się pobrać obrazu."
            ),
            "Sorry, there was a problem downloading your JSON file!": (
                "Niestety, nie udało się pobrać pliku JSON."
            ),
            "Toggle Spike Lines": "Pokaż lub ukryj linie pomocnicze",
            "Toggle show closest data on hover": "Pokaż lub ukryj dane po najechaniu",
            "Zoom": "Powiększ zaznaczenie",
            "Zoom in": "Powiększ",
            "Zoom out": "Pomniejsz",
            "Double-click to zoom back out": "Kliknij dwukrotnie, aby wrócić do całości",
            "Double-click on legend to isolate one trace": (
                "Kliknij dwukrotnie w legendzie, aby pokazać tylko jedną serię"
            ),
            "Click to enter Plot title": "Kliknij, aby wpisać tytuł wykresu",
        },
        "format": {
            "days": [w.capitalize() for w in WEEKDAYS],
            "shortDays": list(WEEKDAYS_SHORT),
            "months": list(MONTHS_NOMINATIVE),
            "shortMonths": list(MONTHS_SHORT),
            "date": "%d.%m.%Y",
            "decimal": DECIMAL_SEPARATOR,
            "thousands": THOUSANDS_SEPARATOR,
        },
    }
