"""The files published beside the page for readers to take away, and how the page names them.

Kept apart from the writer (assets/downloads.py) so that the page links exactly the files the
release holds, and apart from the page so that the writer needs nothing of the page.
"""

from __future__ import annotations

from dataclasses import dataclass

INDICATORS_CSV = "wskazniki.csv"
INDICATORS_XLSX = "wskazniki.xlsx"
ENTITIES_CSV = "podmioty.csv"
ENTITIES_XLSX = "podmioty.xlsx"
LICENCE_PL = (
    "CC BY 4.0 (Creative Commons Uznanie autorstwa 4.0 Międzynarodowe): dane wolno kopiować, "
    "zmieniać i rozpowszechniać w dowolnym celu, podając źródło"
)


@dataclass(frozen=True)
class DownloadLink:
    """One file of the release as the page links it."""

    file_name: str
    label: str


DOWNLOAD_LINKS = (
    DownloadLink(INDICATORS_CSV, "Wartości wskaźników – CSV (UTF-8, średnik)"),
    DownloadLink(INDICATORS_XLSX, "Wartości wskaźników – arkusz Excel z metadanymi"),
    DownloadLink(ENTITIES_CSV, "Lista podmiotów – CSV (UTF-8, średnik)"),
    DownloadLink(ENTITIES_XLSX, "Lista podmiotów – arkusz Excel z metadanymi"),
)
