"""Every header of a file accounted for: used (by which field), ignored on purpose, or unknown.

A column the mapping does not know is never dropped in silence: an optional founder's KRS
written as "Nr KRS organizacji prowadzącej" would otherwise cost every unit its link to its
founder without a word. Each unknown header is told to the analyst in Polish, with the mapped
field it most resembles (the same words in another order, another inflection, "Nr" for
"Numer") and the line to add to the mapping file; one resembling a field that links or
places a row (identifiers, places, dates) is a warning, not a note.
"""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass
from difflib import SequenceMatcher

from sources.mapping import TableMapping, fold_header, mappings_dir

#: Words offices shorten in headers, as the mapping's aliases spell them out.
ABBREVIATIONS = {"nr": "numer", "dt": "data", "rozp": "rozpoczecia", "zak": "zakonczenia",
                 "ul": "ulica", "m": "miejscowosc", "msc": "miejscowosc"}
#: Letters of a word compared: Polish inflects the ending ("prowadzącej", "prowadzącego").
STEM = 5
#: Share of words in common (or of letters, for a one-word header) that makes a field close.
CLOSE = 0.4
SPELLING_CLOSE = 0.8
#: Types of the fields a row is linked or placed by; places are the `*_written` and `town`.
LINKING_TYPES = {"krs", "nip", "regon", "date"}
STATUS_PL = {"used": "użyta", "ignored": "pomijana celowo", "unknown": "nieznana"}


@dataclass(frozen=True)
class HeaderAccount:
    """One header of one file, as written, and what the reading made of it."""

    header: str
    status: str  # used | ignored | unknown
    field: str | None = None  # the mapped column it feeds, or the nearest one when unknown
    field_header: str | None = None  # that column's official header
    links_or_places: bool = False  # the nearest field links or places a row

    def as_row(self) -> dict[str, object]:
        return asdict(self)


def header_stems(header: str) -> frozenset[str]:
    """The words of a header, folded, abbreviations spelled out, cut to their stems."""
    words = (fold_header(word) for word in re.split(r"[\W_]+", str(header)))
    return frozenset(ABBREVIATIONS.get(word, word)[:STEM] for word in words if word)


def resemblance(header: str, alias: str) -> float:
    """How alike two headers are: words in common (any order), or spelling for one word."""
    mine, theirs = header_stems(header), header_stems(alias)
    if not mine or not theirs:
        return 0.0
    shared = len(mine & theirs) / len(mine | theirs)
    spelling = SequenceMatcher(None, fold_header(header), fold_header(alias)).ratio()
    return max(shared, spelling if spelling >= SPELLING_CLOSE else 0.0)


def links_or_places(mapping: TableMapping, column: str) -> bool:
    """Whether a row is linked to an entity or placed by this column (or dated by it)."""
    return (mapping.types.get(column) in LINKING_TYPES or column.endswith("_written")
            or column == "town")


def nearest_column(mapping: TableMapping, header: str, taken: set[str]) -> str | None:
    """The mapped column an unknown header most resembles, if any is close enough.

    Columns no other header of the file feeds come first: a file with both "Numer KRS" and
    "Nr KRS organizacji prowadzącej" means the founder's KRS by the second.
    """
    scored = sorted(
        ((resemblance(header, alias), column not in taken, column)
         for column, aliases in mapping.columns.items() for alias in aliases),
        key=lambda item: (item[0] >= CLOSE, item[1], item[0]), reverse=True)
    best = scored[0] if scored else None
    return best[2] if best and best[0] >= CLOSE else None


def account_headers(mapping: TableMapping, headers: list[str]) -> list[HeaderAccount]:
    """What each header of a file became: the field it feeds, ignored, or unknown (with the
    nearest field when one is close). Blank header cells are not headers."""
    used = mapping.matches(headers)
    accounts = []
    for header in headers:
        if header.startswith("_unnamed_"):
            continue
        if header in used:
            column = used[header]
            accounts.append(HeaderAccount(header, "used", column, mapping.label(column),
                                          links_or_places(mapping, column)))
        elif mapping.is_ignored(header):
            accounts.append(HeaderAccount(header, "ignored"))
        else:
            column = nearest_column(mapping, header, set(used.values()))
            accounts.append(HeaderAccount(
                header, "unknown", column, column and mapping.label(column),
                column is not None and links_or_places(mapping, column)))
    return accounts


def unknown_header_pl(account: HeaderAccount, mapping: TableMapping, file: str,
                      sheet: str | None = None) -> str:
    """What the analyst reads about an unknown header: where, what it looks like, what to do."""
    where = f"Plik {file}" + (f", arkusz „{sheet}”" if sheet else "")
    mapping_file = mappings_dir() / f"{mapping.name}.yml"
    if account.field is None:
        return (f"{where}: kolumna „{account.header}” nie jest znana i nie została odczytana. "
                f"Jeśli jest potrzebna, dopisz jej nagłówek jako alias pola w pliku "
                f"{mapping_file.name} (katalog mapowań); jeśli nie, dopisz go do listy "
                f"„ignored” tego pliku.")
    weight = ("Ta kolumna wiąże lub umiejscawia wiersz (identyfikator, miejsce albo data): "
              "bez niej wiersze mogą stracić powiązanie. " if account.links_or_places else "")
    return (f"{where}: kolumna „{account.header}” nie jest znana i nie została odczytana; "
            f"przypomina kolumnę „{account.field_header}”. {weight}Jeśli to ta sama kolumna, "
            f"dopisz „{account.header}” w pliku {mapping_file.name} (katalog mapowań) do listy "
            f"nagłówków, na której jest „{account.field_header}”; jeśli nie, dopisz ją do "
            f"listy „ignored”.")
