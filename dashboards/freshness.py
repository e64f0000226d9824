"""How fresh each source is: one line per source for the dashboard, one per file for the report.

The committee asks of a source only whether its figures are current: the date of its data,
when it was received and whether a stale copy stands in for an unreadable file. A source
can be thousands of files (one KRS extract per entity), so the dashboard says that in one
line per source and links the quality report, which lists the files grouped by source.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from dashboards.formatting import format_date_short, format_datetime_short, format_number

NO_DATE_PL = "brak daty w nazwie pliku"
NO_REASON_PL = "przyczyna nie została podana"


@dataclass(frozen=True)
class SourceRow:
    """One file of a source as the quality report lists it, already written in Polish."""

    name: str
    file_name: str
    data_as_of: str
    rows_read: str
    rows_accepted: str
    rows_quarantined: str
    is_stale: bool
    stale_reason: str
    header_warning: str = ""


@dataclass(frozen=True)
class SourceFreshness:
    """One source in one line: its newest data date, when it came, and whether it is stale.

    ``anchor`` names the source's files in the quality report (``raport_jakosci.html#...``).
    """

    name: str
    anchor: str
    files: str  # the file's name when there is one, else how many
    data_as_of: str
    data_dates: str
    loaded_at: str
    rows_read: str
    rows_accepted: str
    rows_quarantined: str
    is_stale: bool
    stale_reason: str
    header_warnings: tuple[str, ...]  # each different warning of its files' headers once
    file_rows: tuple[SourceRow, ...]


def source_rows(status: pd.DataFrame) -> list[SourceRow]:
    """Return one row per file of marts.source_status, a stale one with its reason."""
    return [
        SourceRow(
            name=value_or(row.source_pl, row.source),
            file_name=value_or(row.file_name, ""),
            data_as_of=short_date_or_missing(row.data_as_of),
            rows_read=format_number(int_or_none(row.rows_read)),
            rows_accepted=format_number(int_or_none(row.rows_accepted)),
            rows_quarantined=format_number(int_or_none(row.rows_quarantined)),
            is_stale=bool(value_or(row.is_stale, False)),
            stale_reason=value_or(row.stale_reason_pl, NO_REASON_PL),
            header_warning=value_or(row.header_warning_pl, ""),
        )
        for row in status.itertuples()
    ]


def source_freshness(status: pd.DataFrame) -> list[SourceFreshness]:
    """Return one line per source of marts.source_status, stale sources first.

    The data date is the newest of its files (a source is as current as its latest file);
    when its files are of different dates the span is said too, so an old extract among new
    ones is not hidden. A source is stale when any of its files is.
    """
    lines = [
        _freshness(files) for _, files in status.groupby("source", sort=False, dropna=False)
    ]
    return sorted(lines, key=lambda line: not line.is_stale)


def _freshness(files: pd.DataFrame) -> SourceFreshness:
    first = files.iloc[0]
    dates = files["data_as_of"].dropna()
    stale = files[files["is_stale"].fillna(False).astype(bool)]
    undated = len(files) - len(dates)
    span = ""
    if len(dates) and dates.min() != dates.max():
        span = (f"pliki z dni {short_date_or_missing(dates.min())}–"
                f"{short_date_or_missing(dates.max())}")
    if len(dates) and undated:
        span = "; ".join(filter(None, [span, f"bez daty: {format_number(undated)}"]))
    loaded = files["loaded_at"].dropna()
    return SourceFreshness(
        name=value_or(first.source_pl, first.source),
        anchor=f"pliki-{first.source}".replace("_", "-"),
        files=first.file_name if len(files) == 1 and pd.notna(first.file_name)
        else _files_pl(files["file_name"].notna().sum()),
        data_as_of=short_date_or_missing(dates.max()) if len(dates) else NO_DATE_PL,
        data_dates=span,
        loaded_at=format_datetime_short(pd.Timestamp(loaded.max()).to_pydatetime())
        if len(loaded) else "brak danych",
        rows_read=_total(files["rows_read"]),
        rows_accepted=_total(files["rows_accepted"]),
        rows_quarantined=_total(files["rows_quarantined"]),
        is_stale=not stale.empty,
        stale_reason=value_or(stale.iloc[0].stale_reason_pl, NO_REASON_PL) if len(stale) else "",
        header_warnings=tuple(files["header_warning_pl"].dropna().drop_duplicates()),
        file_rows=tuple(source_rows(files)),
    )


def _files_pl(count: int) -> str:
    """Return "1 plik", "3 pliki", "3 100 plików": Polish counts nouns three ways."""
    if count == 1:
        return "1 plik"
    few = count % 10 in (2, 3, 4) and count % 100 not in (12, 13, 14)
    return f"{format_number(count)} {'pliki' if few else 'plików'}"


def _total(counts: pd.Series) -> str:
    """Return the sum of a count column, or "brak danych" when no file has one."""
    return format_number(int(counts.sum())) if counts.notna().any() else "brak danych"


def short_date_or_missing(value: object) -> str:
    """Return a date as ``31.10.2026``, or "brak danych" when the source gave none."""
    return "brak danych" if pd.isna(value) else format_date_short(pd.Timestamp(value).date())


def value_or(value: object, default: object) -> object:
    """Return ``value``, or ``default`` where the mart has NULL."""
    return default if pd.isna(value) else value


def int_or_none(value: object) -> int | None:
    """Return a count as an int, or None when missing."""
    return None if pd.isna(value) else int(value)
