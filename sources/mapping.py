"""Per-source mapping files: which header names a column goes by, its type, lookups for values.

A renamed column in a new export, an extra alias, a new date format or a new spelling of a
value is an edit to `sources/mappings/<table>.yml`, never to code (OpenSanctions' `lookups`, in
spirit). Columns of a file that no mapping uses are reported, so a new column is noticed.

The folder is `$PES_MAPPINGS` when set (an office can keep its own edited copies), else the
files shipped beside this module.
"""

from __future__ import annotations

import os
import re
import unicodedata
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

import pandas as pd
import yaml
from openpyxl.utils.cell import coordinate_to_tuple

from sources.errors import SourceFileError

MAPPINGS_DIR = Path(__file__).parent / "mappings"
MAPPINGS_ENV = "PES_MAPPINGS"
IGNORED_HEADERS = {"lp", "nr", "nrwiersza"}
#: Letters NFKD does not split into a base letter and an accent.
UNACCENTED_LETTERS = str.maketrans("łŁ", "lL")
PROVENANCE = ("_file", "_sheet", "_line")
#: Cells of a row beyond the header's last column: a stray separator shifted the row.
OVERFLOW = "_cells_beyond_header"
#: The header of a row's first cell longer than a cell can be (blanked; the row is set aside).
TOO_LONG = "_cell_too_long"
#: Types a column can be declared with: `text` is the text written in the cell, `integer` a
#: whole number, `amount` złoty with at most two decimals; anything undeclared keeps each
#: cell's own type.
COLUMN_TYPES = {"text", "date", "decimal", "integer", "amount", "krs", "nip", "regon"}
DEFAULT_DATE_FORMATS = ("%d.%m.%Y", "%Y-%m-%d")
CELL_ADDRESS = re.compile(r"[A-Z]{1,3}[1-9][0-9]*")


def fold_header(name: object) -> str:
    """Header comparison key: case, Polish letters, spaces and punctuation do not matter.

    Offices retype headers: `Imie`, `NAZWISKO`, `Data rozpoczęcia-działalności`, `L.p.` are
    the same columns as the template's, and a mapping must know them under every spelling
    (above all a sheet with personal data, where an unknown spelling is a leak).
    """
    text = unicodedata.normalize("NFKD", str(name).translate(UNACCENTED_LETTERS))
    return "".join(c for c in text.casefold() if c.isalnum() and c.isascii())


def fold_value(value: object) -> str | None:
    """Lookup key of a cell value: lower case, single spaces."""
    if value is None or pd.isna(value):
        return None
    return re.sub(r"\s+", " ", str(value)).strip().lower() or None


def _as_list(value: object) -> list[str]:
    if value is None:
        return []
    return [value] if isinstance(value, str) else list(value)


@dataclass(frozen=True)
class CellField:
    """A value a sheet holds in one cell above its table (an OWES report's centre and quarter).

    `at` is the cell (`B2`); `caption` is what the template writes to its left, `note` what it
    writes to its right (the form expected); `about` says in English what the value is, for
    the developer's message when the cell is empty.
    """

    at: str
    about: str
    caption: str | None = None
    note: str | None = None

    @property
    def row(self) -> int:
        return coordinate_to_tuple(self.at)[0]

    @property
    def column(self) -> int:
        return coordinate_to_tuple(self.at)[1]


@dataclass(frozen=True)
class TableMapping:
    """How one table of one source is read: aliases, types, lookups, expected size.

    `sheet` is the sheet's official name and `sheet_aliases` every name it goes by (the
    official one first); `ignored` are headers known and deliberately not read (contact
    details, totals), so they are not reported as new columns. `personal` are the columns of
    personal data the sheet arrives with, which landing replaces (a PESEL by its pseudonym).
    `header_row` is the row a template puts the header on (the reader finds it wherever it is
    in the top rows); `cells` are values held in single cells of the sheet, read by position.
    `optional` names the columns a file may lack and the cells it may leave empty.
    """

    name: str
    columns: dict[str, list[str]]
    optional: frozenset[str] = frozenset()
    lookups: dict[str, dict[str, str]] = field(default_factory=dict)
    sheet: str | None = None
    sheet_aliases: tuple[str, ...] = ()
    expected_rows: tuple[int, int] | None = None
    types: dict[str, str] = field(default_factory=dict)
    date_formats: tuple[str, ...] = DEFAULT_DATE_FORMATS
    ignored: frozenset[str] = frozenset()
    personal: dict[str, list[str]] = field(default_factory=dict)
    header_row: int | None = None
    cells: dict[str, CellField] = field(default_factory=dict)

    @classmethod
    def from_yaml(cls, path: Path) -> TableMapping:
        spec = yaml.safe_load(path.read_text(encoding="utf-8"))
        columns = {english: _as_list(aliases) for english, aliases in spec["columns"].items()}
        lookups = {name: {fold_value(k): v for k, v in table.items()}
                   for name, table in (spec.get("lookups") or {}).items()}
        types = dict(spec.get("types") or {})
        wrong = {c: t for c, t in types.items() if c not in columns or t not in COLUMN_TYPES}
        if wrong:
            raise ValueError(f"{path}: types for unknown columns or of unknown kinds: {wrong} "
                             f"(kinds: {sorted(COLUMN_TYPES)})")
        sheets = _as_list(spec.get("sheet"))
        expected = spec.get("expected_rows")
        cells = {name: CellField(**cell) for name, cell in (spec.get("cells") or {}).items()}
        if cells and not sheets:
            raise ValueError(f"{path}: `cells` need the `sheet` that holds them")
        wrong_cells = {name: cell.at for name, cell in cells.items()
                       if not CELL_ADDRESS.fullmatch(cell.at)}
        if wrong_cells:
            raise ValueError(f"{path}: cells not at an address such as B2: {wrong_cells}")
        return cls(name=path.stem, columns=columns, optional=frozenset(spec.get("optional", [])),
                   lookups=lookups, sheet=sheets[0] if sheets else None,
                   sheet_aliases=tuple(sheets),
                   expected_rows=tuple(expected) if expected else None, types=types,
                   date_formats=tuple(spec.get("date_formats") or DEFAULT_DATE_FORMATS),
                   ignored=frozenset(fold_header(h) for h in _as_list(spec.get("ignored"))),
                   personal={english: _as_list(aliases)
                             for english, aliases in (spec.get("personal") or {}).items()},
                   header_row=spec.get("header_row"), cells=cells)

    def label(self, column: str) -> str:
        """The column as the analyst's file names it: its official (first) header."""
        return self.columns[column.removesuffix("_text")][0]

    def columns_of_type(self, *kinds: str) -> list[str]:
        return [column for column, kind in self.types.items() if kind in kinds]

    def register_staging_types(self) -> dict[str, str]:
        """The column types of a register's staging table read by this mapping, as
        assets/staging/registers.py writes it: each column (a date or number parsed, its text
        kept as `<column>_text`), the lookups' codes, provenance, the name key and the places
        resolved. A register added in sources/registry.yml needs no declaration in tables.yml;
        tests/test_source_registry.py checks this against the shipped registers'."""
        parsed = {"date": "DATE", "decimal": "DOUBLE", "integer": "DOUBLE"}
        found = {"source_file": "VARCHAR", "source_line": "BIGINT", "name_key": "VARCHAR"}
        for column in self.columns:
            found[column] = parsed.get(self.types.get(column), "VARCHAR")
            if column in self.columns_of_type(*parsed):
                found[f"{column}_text"] = "VARCHAR"
        found |= dict.fromkeys(self.lookups, "VARCHAR")
        places = [*(["powiat"] if "powiat_written" in self.columns else []),
                  *(["gmina"] if {"gmina_written", "town"} & set(self.columns) else [])]
        for place in places:
            found |= dict.fromkeys([f"{place}_code", f"{place}_problem", f"{place}_candidates"],
                                   "VARCHAR")
        if places == ["gmina"]:
            found["powiat_code"] = "VARCHAR"  # the gmina's powiat
        return found

    def header_score(self, cells: list[str | None]) -> int:
        """How many of the mapped columns a row of header cells names."""
        folded = {fold_header(c) for c in cells if c}
        return sum(1 for aliases in self.columns.values()
                   if any(fold_header(a) in folded for a in aliases))

    def matches(self, headers: list[str]) -> dict[str, str]:
        """The mapped column each header names ({header as written: column}), by folded alias;
        of two headers naming one column the first is read."""
        found: dict[str, str] = {}
        for header in headers:
            found.setdefault(fold_header(header), header)
        matched = {}
        for english, aliases in self.columns.items():
            match = next((found[fold_header(a)] for a in aliases if fold_header(a) in found), None)
            if match is not None:
                matched[match] = english
        return matched

    def is_ignored(self, header: str) -> bool:
        """A header known and deliberately not read: a row number, or listed under `ignored`."""
        return fold_header(header) in IGNORED_HEADERS | self.ignored

    def select(self, frame: pd.DataFrame, path: Path) -> pd.DataFrame:
        """The mapped columns under their English names; unused headers in `attrs`.

        A missing required column stops the read, naming the column and every alias tried.
        """
        reader_columns = (*PROVENANCE, OVERFLOW, TOO_LONG)
        headers = [str(c) for c in frame.columns if c not in reader_columns]
        renames = self.matches(headers)
        missing = {english: " / ".join(aliases) for english, aliases in self.columns.items()
                   if english not in renames.values() and english not in self.optional}
        if missing:
            raise self.missing_columns(path, missing, headers, frame)
        selected = frame.rename(columns=renames)
        for english in self.columns:
            if english not in selected.columns:
                selected[english] = None
        kept = [c for c in reader_columns if c in selected.columns]
        result = selected[[*self.columns, *kept]].copy()
        result.attrs = dict(frame.attrs)
        result.attrs["unused_columns"] = [
            c for c in headers
            if c not in renames and not self.is_ignored(c) and not c.startswith("_unnamed_")
        ]
        return result

    def missing_columns(self, path: Path, missing: dict[str, str], headers: list[str],
                        frame: pd.DataFrame) -> SourceFileError:
        """The error for required columns a file lacks: the file, its sheet and header row,
        each field missing with every header it goes by, and the headers found there."""
        sheet, row = frame.attrs.get("sheet"), frame.attrs.get("header_row")
        where = " ".join(filter(None, [f"row {row}" if row else "",
                                       f"of sheet '{sheet}'" if sheet else ""]))
        return SourceFileError(
            path, f"columns {list(missing.values())}",
            f"fields {list(missing)}; found {headers}" + (f" in the header, {where}" if where
                                                         else ""),
            problem_pl=(
                "brak wymaganej kolumny "
                + ", ".join(f"„{aliases}” (pole {english})" for english, aliases in missing.items())
                + (f" w arkuszu „{sheet}”" if sheet else "")
                + (f", wiersz nagłówków {row}" if row else "")
                + f" (nagłówki w pliku: {', '.join(f'„{h}”' for h in headers)}). Co zrobić: "
                "dodaj tę kolumnę do pliku albo, jeśli ma inny nagłówek, dopisz go przy tym polu "
                f"w pliku mapowania {self.name}.yml."))

    def lookup(self, name: str, values: pd.Series) -> pd.Series:
        """Codes for written values by the mapping's lookup table; missing where unknown."""
        return values.map(fold_value).map(self.lookups[name])


def mappings_dir() -> Path:
    """The folder of the mapping files: `$PES_MAPPINGS`, else the shipped one."""
    return Path(os.environ.get(MAPPINGS_ENV) or MAPPINGS_DIR)


def has_mapping(name: str) -> bool:
    """Whether a table is read through a mapping file (KRS extracts, say, are not)."""
    return (mappings_dir() / f"{name}.yml").exists()


@cache
def _read_mapping(path: Path, modified_ns: int, size: int) -> TableMapping:
    return TableMapping.from_yaml(path)


def load_mapping(name: str) -> TableMapping:
    """The mapping of a table, from <mappings folder>/<name>.yml.

    Read once per process and version of the file (its time and size): an edited file is read
    again.
    """
    path = mappings_dir() / f"{name}.yml"
    status = path.stat()
    return _read_mapping(path, status.st_mtime_ns, status.st_size)


def field_label(table: str, field: str) -> str:
    """A rejected field as the analyst's file names it: the column header, not our name."""
    column = field.removesuffix("_text")
    if has_mapping(table):
        headers = load_mapping(table).columns.get(column)
        if headers:
            return headers[0]
    return field
