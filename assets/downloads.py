"""The release's downloads for readers: indicator values and the entity list, as CSV and XLSX.

The indicator values are the rows release.json publishes (small counts of persons already
hidden by quality/disclosure.py, so "<3" where the page shows "<3"), laid out long: one row per
indicator, period, territory, category and measure, with its unit, target and target status.
Each XLSX carries a metadata sheet (source, dates, definitions, licence), so a copy that
travels on its own still says what it holds and on what terms.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

import duckdb
import pandas as pd
from openpyxl import Workbook
from openpyxl.utils import get_column_letter

from assets.marts import CATALOGUE
from dashboards.download_links import (
    ENTITIES_XLSX,
    INDICATORS_CSV,
    INDICATORS_XLSX,
    LICENCE_PL,
)
from quality.disclosure import marker_column

# Where a row's period and territory are named, first found first; the label beside a code.
PERIOD_COLUMNS = ("month", "quarter", "year", "met_on", "as_of")
TERRITORY_COLUMNS = {"powiat_code": "powiat_name", "centre_code": "centre_name"}
LABEL_SUFFIXES = ("_pl", "_label", "_name")
# Key columns that are not a category: the period and territory (named above), the report file.
NOT_CATEGORIES = {*PERIOD_COLUMNS, "quarter_start", *TERRITORY_COLUMNS, "source_file"}
# Columns that are the row's target and its verdict, not measures.
TARGET_COLUMNS = ("target", "target_status", "target_valid_from", "target_valid_to")
MEASURE_TYPES = ("BIGINT", "INTEGER", "DOUBLE", "DECIMAL")
INDICATOR_HEADERS = ["wskaznik", "nazwa_wskaznika", "okres", "terytorium", "kategoria", "miara",
                     "wartosc", "jednostka", "cel", "status_celu"]


@dataclass(frozen=True)
class ReleaseFacts:
    """What the metadata sheet says about the release the files belong to."""

    release_id: str
    period_end: date
    refreshed_at: datetime
    region_name_pl: str
    min_persons: int


def indicator_values_frame(values: Mapping[str, list[dict]], keys: Mapping[str, list[str]],
                           region_name_pl: str) -> pd.DataFrame:
    """Return the published indicator rows laid out long, one measure a row.

    A hidden count keeps its marker ("<3", "ukryto") in place of the number: it is the
    published value, and a blank would read as "nothing".
    """
    rows = []
    for indicator in sorted(values):
        entry = CATALOGUE.get(indicator, {})
        measures = [column for column, kind in entry.get("columns", {}).items()
                    if kind.startswith(MEASURE_TYPES) and column not in keys.get(indicator, [])
                    and column not in TARGET_COLUMNS]
        for row in values[indicator]:
            period, territory, category = _row_names(row, keys.get(indicator, []),
                                                     region_name_pl)
            for measure in measures:
                marker = row.get(marker_column(measure))
                rows.append([indicator, entry.get("title_pl", indicator), period, territory,
                             category, measure, marker if marker else row.get(measure),
                             entry.get("unit_pl", ""), row.get("target"),
                             row.get("target_status")])
    return pd.DataFrame(rows, columns=INDICATOR_HEADERS)


def _row_names(row: Mapping, keys: list[str], region_name_pl: str) -> tuple[str, str, str]:
    """Return the period, the territory and the category a published row is about."""
    period = next((str(row[c]) for c in PERIOD_COLUMNS if row.get(c) is not None), "")
    territory = region_name_pl
    for code, name in TERRITORY_COLUMNS.items():
        if code in row:
            named = [str(v) for v in (row.get(name), row.get(code)) if v]
            territory = " ".join(named) or "nieustalone"
            break
    category = " · ".join(
        str(_label_of(row, key)) for key in keys
        if key not in NOT_CATEGORIES and not key.endswith(LABEL_SUFFIXES)
        and _label_of(row, key) is not None)
    return period, territory, category


def _label_of(row: Mapping, key: str) -> object:
    """Return a key column's label where the row has one (``sex_pl`` for ``sex``)."""
    return next((row[key + s] for s in LABEL_SUFFIXES if row.get(key + s) is not None),
                row.get(key))


def csv_text(frame: pd.DataFrame) -> pd.DataFrame:
    """Return ``frame`` with numbers written the Polish way for a spreadsheet: decimal comma,
    no thousands separator; markers and text as they are."""
    def cell(value: object) -> object:
        if isinstance(value, bool) or not isinstance(value, int | float):
            return value
        if math.isnan(value):
            return ""
        if isinstance(value, float) and value.is_integer():
            value = int(value)
        return str(value).replace(".", ",")
    return frame.apply(lambda column: column.map(cell))


def write_csv(frame: pd.DataFrame, path: Path) -> None:
    """Write a download as CSV: UTF-8 (with the mark Excel needs to read it so), `;`."""
    csv_text(frame).to_csv(path, index=False, sep=";", encoding="utf-8-sig")


def write_xlsx(path: Path, sheet_name: str, frame: pd.DataFrame,
               metadata: list[tuple[str, str]], definitions: pd.DataFrame,
               facts: ReleaseFacts) -> None:
    """Write a download as XLSX: the data sheet, then "metadane" (what, source, dates,
    licence) with the definitions below. The file's own dates are the refresh's, so the same
    release gives the same workbook."""
    book = Workbook()
    data = book.active
    data.title = sheet_name
    _fill(data, frame)
    meta = book.create_sheet("metadane")
    for row in metadata:
        meta.append(list(row))
    meta.append([])
    _fill(meta, definitions)
    book.properties.creator = "PES Monitor"
    book.properties.created = book.properties.modified = facts.refreshed_at
    book.save(path)


def _fill(sheet, frame: pd.DataFrame) -> None:
    """Append ``frame`` to ``sheet``: a header row, then plain values (None where empty)."""
    sheet.append(list(frame.columns))
    for values in frame.itertuples(index=False):
        sheet.append([_cell(value) for value in values])
    for position, column in enumerate(frame.columns, start=1):
        widest = max([len(str(column)), *(len(str(v)) for v in frame[column].head(200))])
        sheet.column_dimensions[get_column_letter(position)].width = min(60, widest + 2)


def _cell(value: object) -> object:
    """Return a value openpyxl writes as it is: numbers, text, dates; None for missing."""
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return None
    if hasattr(value, "item"):
        return value.item()
    return value


def metadata_rows(title: str, source: str, facts: ReleaseFacts) -> list[tuple[str, str]]:
    """Return the head of a metadata sheet: what the file is, its source, dates and licence."""
    return [
        ("Zbiór", title),
        ("Obszar", facts.region_name_pl),
        ("Źródło", source),
        ("Dane według stanu na", facts.period_end.strftime("%d.%m.%Y")),
        ("Opublikowano", facts.refreshed_at.strftime("%d.%m.%Y, %H:%M")),
        ("Publikacja", facts.release_id),
        ("Licencja", LICENCE_PL + "."),
        ("Liczby osób", f"liczby osób od 1 do {facts.min_persons - 1} są ukryte "
                        f"(„<{facts.min_persons}”), a razem z nimi liczby, z których dałoby się "
                        "je odtworzyć („ukryto”)."),
    ]


def write_indicator_downloads(con: duckdb.DuckDBPyConnection, out_dir: Path,
                              values: Mapping[str, list[dict]], keys: Mapping[str, list[str]],
                              facts: ReleaseFacts) -> None:
    """Write the indicator values as CSV and XLSX (with the catalogue's definitions)."""
    frame = indicator_values_frame(values, keys, facts.region_name_pl)
    write_csv(frame, out_dir / INDICATORS_CSV)
    definitions = con.execute(
        "select indicator as wskaznik, title_pl as nazwa, unit_pl as jednostka, "
        "description_pl as definicja, source_pl as zrodlo from marts.indicator_catalogue "
        "order by indicator").df()
    write_xlsx(out_dir / INDICATORS_XLSX, "wskazniki", frame, metadata_rows(
        "Wartości wskaźników monitorowania ekonomii społecznej (jeden wiersz: wskaźnik, okres, "
        "terytorium, kategoria i miara)",
        "; ".join(sorted(set(definitions["zrodlo"].dropna()))), facts), definitions, facts)


ENTITY_COLUMNS_PL = {
    "id_podmiotu": "stały identyfikator podmiotu w monitoringu",
    "nazwa": "nazwa podmiotu",
    "typ": "typ podmiotu ekonomii społecznej",
    "krs": "numer KRS",
    "nip": "NIP",
    "regon": "REGON",
    "powiat_terc": "kod TERYT powiatu siedziby",
    "gmina_terc": "kod TERYT gminy siedziby",
    "poczatek": "data rozpoczęcia działalności (dla podmiotów z KRS: wpis do KRS)",
    "koniec": "data zakończenia działalności lub wykreślenia",
    "przedsiebiorstwo_spoleczne": "czy ma status przedsiębiorstwa społecznego",
    "opp": "czy ma status organizacji pożytku publicznego",
    "id_podmiotu_prowadzacego": "identyfikator podmiotu, który prowadzi jednostkę",
    "wierszy_zrodel": "w ilu wierszach źródeł występuje podmiot",
}


def write_entity_xlsx(entities: pd.DataFrame, out_dir: Path, facts: ReleaseFacts) -> None:
    """Write the entity list (the same rows as its CSV) as XLSX with its metadata sheet."""
    definitions = pd.DataFrame({
        "kolumna": list(entities.columns),
        "znaczenie": [ENTITY_COLUMNS_PL.get(c, "") for c in entities.columns]})
    write_xlsx(out_dir / ENTITIES_XLSX, "podmioty", entities, metadata_rows(
        "Podmioty ekonomii społecznej liczone w monitoringu (każdy raz)",
        "katalog PES ROPS, rejestr przedsiębiorstw społecznych, rejestry CIS, KIS, ZAZ i WTZ, "
        "KRS", facts), definitions, facts)

