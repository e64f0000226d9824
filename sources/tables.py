"""Reading a table out of a CSV or an XLSX sheet, with each row's place in the file.

Offices export the same register in many hands: CSV in CP-1250 or UTF-8 (with or without a
BOM), `;` or `,` between fields, quoted fields holding line breaks; workbooks with title rows
above the header, a header split over two rows under merged group cells, columns renamed
between exports. So the encoding and the separator are detected from the content, the header
is found by the columns it names, and what was detected is kept in the frame's `attrs`
(`format`, `encoding`, `separator`, `sheet`, `header_row`) for the run's metadata. A file that
cannot be read at all stops with a SourceFileError naming the file and what was expected.
"""

from __future__ import annotations

import csv
import io
import re
import zipfile
import zlib
from collections.abc import Iterator, Sequence
from functools import lru_cache
from pathlib import Path
from xml.etree.ElementTree import ParseError

import pandas as pd
from openpyxl import load_workbook
from openpyxl.utils.exceptions import InvalidFileException

from sources.cells import as_text
from sources.errors import SourceFileError
from sources.headers import account_headers
from sources.mapping import OVERFLOW, TOO_LONG, TableMapping, fold_header

HEADER_SEARCH_ROWS = 20
#: The most characters an Excel cell holds: a longer cell is a broken export, not data.
MAX_CELL_CHARS = 32_767
# Python's CSV reader stops at 128 KiB per field, failing the whole file; a long cell is
# judged per row instead (MAX_CELL_CHARS), so the reader must first be able to read it.
csv.field_size_limit(2**31 - 1)
SEPARATORS = {";": "';'", ",": "','", "\t": "tab", "|": "'|'"}
#: Single-byte encodings an office's CSV may be in when it is not UTF-8 (Windows first).
SINGLE_BYTE_ENCODINGS = ("cp1250", "iso-8859-2")
POLISH_LETTERS = re.compile("[ąćęłńóśźżĄĆĘŁŃÓŚŹŻ]")
CONTROL_CHARACTERS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
#: The first bytes of files that are not what their name says.
NOT_A_TABLE = {
    b"%PDF": "the file is a PDF document",
    b"\xd0\xcf\x11\xe0": "the file is an old Excel 97-2003 (.xls) workbook; save it as .xlsx",
    b"{\\rtf": "the file is an RTF document",
}
NOT_A_TABLE_PL = {
    b"%PDF": "plik jest dokumentem PDF, nie tabelą. Co zrobić: wyeksportuj dane jako CSV "
             "lub XLSX.",
    b"\xd0\xcf\x11\xe0": "plik jest starym skoroszytem Excela 97-2003 (.xls). Co zrobić: "
                         "otwórz go i zapisz jako .xlsx.",
    b"{\\rtf": "plik jest dokumentem RTF, nie tabelą. Co zrobić: wyeksportuj dane jako CSV "
               "lub XLSX.",
}
EMPTY_PL = "plik jest pusty. Co zrobić: wyeksportuj dane ponownie."
DAMAGED_PL = ("skoroszyt jest uszkodzony lub niekompletny (może przerwane kopiowanie). Co "
              "zrobić: skopiuj lub zapisz go ponownie.")
ZIP_SIGNATURE = b"PK\x03\x04"
BOMS = {b"\xef\xbb\xbf": "utf-8-sig", b"\xff\xfe": "utf-16", b"\xfe\xff": "utf-16"}
WORKBOOK_ERRORS = (OSError, InvalidFileException, zipfile.BadZipFile, KeyError, ValueError,
                   EOFError, zlib.error, ParseError)


def _first_bytes(path: Path, count: int = 8) -> bytes:
    try:
        with path.open("rb") as handle:
            return handle.read(count)
    except OSError as error:
        raise SourceFileError(path, "a readable file", str(error), problem_pl=(
            "pliku nie da się otworzyć (brak dostępu albo plik zniknął). Co zrobić: skopiuj go "
            "ponownie do folderu skrzynki.")) from error


def _refuse_other_formats(path: Path, head: bytes, expected: str) -> None:
    """Stop early, in plain words, on an empty file or a document of another kind."""
    if not head.strip():
        raise SourceFileError(path, expected, "the file is empty", problem_pl=EMPTY_PL)
    for signature, what in NOT_A_TABLE.items():
        if head.startswith(signature):
            raise SourceFileError(path, expected, what, problem_pl=NOT_A_TABLE_PL[signature])


# --- CSV ------------------------------------------------------------------------------------

def _is_plain_text(text: str) -> bool:
    """No control characters but tab and line ends: what a decoded text file looks like."""
    return CONTROL_CHARACTERS.search(text) is None


def decode_text(raw: bytes, path: Path) -> tuple[str, str]:
    """The text of a CSV and the encoding it was in, decided from its bytes.

    A byte-order mark decides; else UTF-8 when the bytes are valid UTF-8; else the single-byte
    encoding whose reading holds the most Polish letters (CP-1250 and ISO-8859-2 put `ą`, `ś`,
    `ź` on different bytes, so the wrong one shows `±`, `¶`, `Ľ` instead).
    """
    for bom, encoding in BOMS.items():
        if raw.startswith(bom):
            try:
                return raw.decode(encoding), encoding
            except UnicodeDecodeError as error:
                raise SourceFileError(path, f"a CSV file in {encoding}", str(error)) from error
    try:
        text = raw.decode("utf-8")
        if _is_plain_text(text):
            return text, "utf-8"
    except UnicodeDecodeError:
        pass
    readings = []
    for encoding in SINGLE_BYTE_ENCODINGS:
        try:
            text = raw.decode(encoding)
        except UnicodeDecodeError:
            continue
        if _is_plain_text(text):
            readings.append((len(POLISH_LETTERS.findall(text)), -len(readings), encoding, text))
    if not readings:
        raise SourceFileError(path, "a CSV text file in UTF-8, CP-1250 or ISO-8859-2",
                              "its bytes are not text in any of these encodings", problem_pl=(
                                  "plik nie jest tekstem CSV (ani w UTF-8, ani w CP-1250). Co "
                                  "zrobić: zapisz eksport jako „CSV (rozdzielany średnikami)” "
                                  "albo jako skoroszyt XLSX."))
    _, _, encoding, text = max(readings)
    return text, encoding


def csv_records(text: str, separator: str, path: Path) -> Iterator[tuple[int, list[str]]]:
    """(line where the record starts, its fields); quoted fields may span several lines."""
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=separator, strict=True)
    line = 0
    try:
        for fields in reader:
            yield line + 1, fields
            line = reader.line_num
    except csv.Error as error:
        raise SourceFileError(path, "a CSV file whose quotes are balanced",
                              f"the record starting on line {line + 1}: {error}", problem_pl=(
                                  f"w wierszu {line + 1} cudzysłów otwarty w polu nie jest "
                                  "zamknięty, więc dalszej części pliku nie da się podzielić na "
                                  "kolumny. Co zrobić: popraw cudzysłowy w tym wierszu (tekst "
                                  "z cudzysłowem w środku zapisuje się jako \"\"), albo "
                                  "zapisz eksport ponownie z arkusza.")) from error


def detect_separator(text: str, path: Path, mapping: TableMapping) -> str:
    """The separator under which one of the first rows names the most mapped columns."""
    scores = {}
    for separator in SEPARATORS:
        records = []
        try:
            for record in csv_records(text, separator, path):
                records.append(record[1])
                if len(records) == HEADER_SEARCH_ROWS:
                    break
        except SourceFileError:
            pass  # judged by the rows before it; the full read reports the broken quote
        scores[separator] = max((mapping.header_score(r) for r in records), default=0)
    best = max(SEPARATORS, key=lambda s: scores.get(s, 0))
    if not scores.get(best):
        raise SourceFileError(path, "a CSV file with a header row naming the columns "
                              f"{_first_aliases(mapping)} (fields separated by "
                              f"{', '.join(SEPARATORS.values())})", problem_pl=(
                                  f"w pierwszych {HEADER_SEARCH_ROWS} wierszach nie ma wiersza "
                                  f"nagłówków z kolumnami takimi jak {_first_aliases_pl(mapping)}"
                                  ". Co zrobić: sprawdź, czy to właściwy plik; jeśli kolumny "
                                  f"nazywają się inaczej, dopisz ich nagłówki w pliku mapowania "
                                  f"{mapping.name}.yml."))
    return best


def read_csv_table(path: Path, mapping: TableMapping) -> pd.DataFrame:
    """Rows of a CSV as text; `_line` is the line in the file where the row starts."""
    expected = "a CSV file (UTF-8 or CP-1250 text)"
    head = _first_bytes(path)
    _refuse_other_formats(path, head, expected)
    if head.startswith(ZIP_SIGNATURE):
        raise SourceFileError(path, expected, "the file is a ZIP archive, e.g. an XLSX workbook",
                              problem_pl="plik z rozszerzeniem .csv jest skoroszytem Excela lub "
                              "archiwum ZIP. Co zrobić: zmień rozszerzenie na .xlsx albo zapisz "
                              "go jako CSV.")
    text, encoding = decode_text(path.read_bytes(), path)
    if not text.strip():
        raise SourceFileError(path, expected, "the file is empty", problem_pl=EMPTY_PL)
    separator = detect_separator(text, path, mapping)
    records = [(line, fields) for line, fields in csv_records(text, separator, path) if fields]
    table = table_from_rows([fields for _, fields in records], path, mapping,
                            lines=[line for line, _ in records])
    table.attrs |= {"format": "csv", "encoding": encoding, "separator": SEPARATORS[separator]}
    return table


# --- XLSX -----------------------------------------------------------------------------------

def matching_sheet(names: Sequence[str], wanted: Sequence[str]) -> str | None:
    """The first sheet named one of `wanted`: exactly, else ignoring case and spaces."""
    for candidate in wanted:
        if candidate in names:
            return candidate
    folded = {fold_header(n): n for n in names}
    return next((folded[fold_header(c)] for c in wanted if fold_header(c) in folded), None)


def sheet_rows(path: Path, sheet: str | Sequence[str],
               lone_sheet: bool = False) -> tuple[str, list[tuple]]:
    """The name of the sheet found under one of its names, and all its rows as tuples.

    With `lone_sheet`, a workbook of one sheet under another name ("Arkusz1": a register
    saved from Excel) gives that sheet.
    """
    wanted = [sheet] if isinstance(sheet, str) else list(sheet)
    status = path.stat()
    sheets = _workbook_sheets(str(path), status.st_mtime_ns, status.st_size)
    found = matching_sheet(list(sheets), wanted)
    if found is None and lone_sheet and len(sheets) == 1:
        found = next(iter(sheets))
    if found is None:
        alternatives = "".join(f" (or '{name}')" for name in wanted[1:])
        raise SourceFileError(path, f"a sheet named '{wanted[0]}'{alternatives}",
                              f"found {list(sheets)}", problem_pl=(
                                  f"brak arkusza „{wanted[0]}” (arkusze w pliku: "
                                  f"{', '.join(f'„{n}”' for n in sheets)}). Co zrobić: nazwij "
                                  "arkusz jak we wzorze albo dopisz jego nazwę w pliku mapowania "
                                  "(„sheet”)."))
    return found, sheets[found]


@lru_cache(maxsize=256)
def _workbook_sheets(path_text: str, modified_ns: int, size: int) -> dict[str, list[tuple]]:
    """Every sheet's rows of a workbook, read once per process and version of the file.

    A source such as the activity log or an OWES report feeds several staging tables, each
    reading its own sheet: the workbook is unzipped and parsed once for all of them.
    """
    path = Path(path_text)
    expected = "an XLSX workbook"
    head = _first_bytes(path)
    _refuse_other_formats(path, head, expected)
    if not head.startswith(ZIP_SIGNATURE):
        raise SourceFileError(path, expected, "the file is not a ZIP-based workbook "
                              "(perhaps a CSV or text file with an .xlsx name)", problem_pl=(
                                  "plik z rozszerzeniem .xlsx nie jest skoroszytem Excela "
                                  "(może to CSV lub tekst). Co zrobić: otwórz go w arkuszu i "
                                  "zapisz jako „Skoroszyt programu Excel (.xlsx)”."))
    try:
        workbook = load_workbook(path, read_only=True, data_only=True)
    except WORKBOOK_ERRORS as error:
        raise SourceFileError(path, expected, f"{type(error).__name__}: {error}",
                              problem_pl=DAMAGED_PL) from error
    try:
        sheets = {}
        for name in workbook.sheetnames:
            worksheet = workbook[name]
            worksheet.reset_dimensions()  # some exporters write a wrong used range
            sheets[name] = [tuple(row) for row in worksheet.iter_rows(values_only=True)]
        return sheets
    except WORKBOOK_ERRORS as error:
        raise SourceFileError(path, "a complete XLSX workbook",
                              f"{type(error).__name__}: {error} (truncated or damaged?)",
                              problem_pl=DAMAGED_PL) from error
    finally:
        workbook.close()


def read_sheet_rows(path: Path, sheet: str | Sequence[str]) -> list[tuple]:
    """All rows of one sheet (found under any of its names) as tuples of cell values."""
    return sheet_rows(path, sheet)[1]


def read_sheet_table(path: Path, mapping: TableMapping, lone_sheet: bool = False) -> pd.DataFrame:
    """Rows of the table on the mapping's sheet, below the row that names its columns.

    A mapping that names no sheet (a register first sent as CSV) reads the sheet whose top
    rows name the most of its columns; `lone_sheet` as in `sheet_rows`.
    """
    if mapping.sheet_aliases or mapping.sheet:
        found, rows = sheet_rows(path, mapping.sheet_aliases or [mapping.sheet], lone_sheet)
    else:
        found, rows = best_sheet(path, mapping)
    table = table_from_rows(rows, path, mapping, sheet=found)
    table.attrs |= {"format": "xlsx", "sheet": found}
    return table


def read_cells(path: Path, mapping: TableMapping) -> dict[str, str | None]:
    """The values the mapping's `cells` name, as text, from its sheet (by cell position).

    A cell not listed as optional that is empty stops the read, naming the file, the sheet,
    each empty cell and the field it holds.
    """
    found, rows = sheet_rows(path, mapping.sheet_aliases)
    values = {name: as_text(rows[cell.row - 1][cell.column - 1])
              if cell.row <= len(rows) and cell.column <= len(rows[cell.row - 1]) else None
              for name, cell in mapping.cells.items()}
    required = {name: cell for name, cell in mapping.cells.items()
                if name not in mapping.optional}
    empty = [name for name in required if values[name] is None]
    if empty:
        wanted = " and ".join(f"{cell.about} in {cell.at}" for cell in required.values())
        raise SourceFileError(path, f"{wanted} of sheet '{found}'",
                              f"empty: {', '.join(f'{mapping.cells[n].at} ({n})' for n in empty)}",
                              problem_pl=(
            f"w arkuszu „{found}” brak wartości w komórce "
            + ", ".join(f"{mapping.cells[n].at} („{mapping.cells[n].caption or n}”)"
                        for n in empty)
            + ". Co zrobić: wpisz ją; jeśli szablon trzyma ją w innej komórce, popraw jej adres "
            f"(„cells”) w pliku mapowania {mapping.name}.yml."))
    return values


def best_sheet(path: Path, mapping: TableMapping) -> tuple[str, list[tuple]]:
    """The sheet of a workbook whose top rows name the most mapped columns (the first on a tie)."""
    status = path.stat()
    sheets = _workbook_sheets(str(path), status.st_mtime_ns, status.st_size)

    def score(rows: list[tuple]) -> int:
        return max((mapping.header_score([as_text(c) for c in row])
                    for row in rows[:HEADER_SEARCH_ROWS]), default=0)

    name = max(sheets, key=lambda n: score(sheets[n]), default=None)
    if name is None:
        raise SourceFileError(path, "a workbook with a sheet")
    return name, sheets[name]


def read_table(path: Path, mapping: TableMapping) -> pd.DataFrame:
    """A register as the office sent it: an XLSX workbook's sheet, or else a CSV."""
    if path.suffix.lower() in (".xlsx", ".xlsm"):
        return read_sheet_table(path, mapping, lone_sheet=True)
    return read_csv_table(path, mapping)


# --- the table under its header -------------------------------------------------------------

def _first_aliases(mapping: TableMapping) -> list[str]:
    return [aliases[0] for aliases in list(mapping.columns.values())[:3]]


def _first_aliases_pl(mapping: TableMapping) -> str:
    return ", ".join(f"„{alias}”" for alias in _first_aliases(mapping))


def _merged(upper: Sequence[str | None], lower: Sequence[str | None]) -> list[str | None]:
    """Two header rows as one: a lower cell names its column, else the upper (merged) one."""
    width = max(len(upper), len(lower))
    upper, lower = [*upper, *[None] * width][:width], [*lower, *[None] * width][:width]
    return [low or up for up, low in zip(upper, lower, strict=True)]


def header_rows(texts: list[list[str | None]], mapping: TableMapping) -> tuple[int, int, list]:
    """First and last row of the header (0-based) and the column names it gives.

    The header is the row, of the top 20, that names the most mapped columns. A row just above
    or below it that names further columns is the other half of a two-row header (group titles
    merged across columns above their sub-titles), and the two are read as one.
    """
    top = texts[:HEADER_SEARCH_ROWS]
    scores = [mapping.header_score(row) for row in top]
    best = max(range(len(top)), key=lambda i: scores[i], default=None)
    if best is None or scores[best] == 0:
        return -1, -1, []
    first, last, names = best, best, texts[best]
    if best + 1 < len(texts):
        below = _merged(names, texts[best + 1])
        if mapping.header_score(below) > scores[best]:
            last, names = best + 1, below
    if best > 0:
        above = _merged(texts[best - 1], names)
        if mapping.header_score(above) > mapping.header_score(names):
            first, names = best - 1, above
    return first, last, names


def _unique_names(names: list[str | None]) -> list[str]:
    """Header cells as column names: blank ones `_unnamed_<i>`, repeats numbered ` (2)`..."""
    seen: dict[str, int] = {}
    unique = []
    for i, name in enumerate(names):
        name = name or f"_unnamed_{i}"
        seen[name] = seen.get(name, 0) + 1
        unique.append(name if seen[name] == 1 else f"{name} ({seen[name]})")
    return unique


def table_from_rows(rows: list[Sequence], path: Path, mapping: TableMapping,
                    lines: list[int] | None = None, sheet: str | None = None) -> pd.DataFrame:
    """The table below the header row (see `header_rows`), as a frame.

    Cells keep their Python type (an Excel date stays a datetime) except text, which is
    trimmed (blank text becomes missing); empty rows are skipped. `_line` is the row's place in
    the file: the Excel row number, or the CSV line given in `lines`; `_sheet` is `sheet`, else
    the mapping's (None for a CSV). Cells beyond the header's last column are counted in
    `_cells_beyond_header` (every extra field of a CSV record, even an empty one: a stray
    separator shifted the row; a workbook's non-empty cells only), so a rule can reject the
    row rather than read it shifted. A cell longer than an Excel cell can be (`MAX_CELL_CHARS`)
    is blanked and its header kept in `_cell_too_long`, so that row alone is set aside.
    """
    lines = lines if lines is not None else list(range(1, len(rows) + 1))
    sheet = sheet or mapping.sheet
    texts = [[as_text(cell) for cell in row] for row in rows[:HEADER_SEARCH_ROWS + 1]]
    first, last, names = header_rows(texts, mapping)
    if first < 0:
        where = f" on sheet '{sheet}'" if sheet else ""
        raise SourceFileError(path, f"a header row naming the columns {_first_aliases(mapping)}"
                              f"{where} within the first {HEADER_SEARCH_ROWS} rows", problem_pl=(
                                  f"w pierwszych {HEADER_SEARCH_ROWS} wierszach"
                                  + (f" arkusza „{sheet}”" if sheet else "")
                                  + " nie ma wiersza nagłówków z kolumnami takimi jak "
                                  f"{_first_aliases_pl(mapping)}. Co zrobić: sprawdź, czy to "
                                  "właściwy plik; jeśli kolumny nazywają się inaczej, dopisz ich "
                                  f"nagłówki w pliku mapowania {mapping.name}.yml."))
    header = _unique_names(names)
    width = len(header)
    body_lines, cells, overflow, too_long = [], [], [], []
    for line, row in zip(lines[last + 1:], rows[last + 1:], strict=True):
        values = [(v.strip() or None) if isinstance(v, str) else v for v in row]
        if all(v is None for v in values):
            continue
        body_lines.append(line)
        kept = [*values, *[None] * width][:width]
        long_at = next((i for i, v in enumerate(kept)
                        if isinstance(v, str) and len(v) > MAX_CELL_CHARS), None)
        too_long.append(None if long_at is None else header[long_at])
        cells.append([None if isinstance(v, str) and len(v) > MAX_CELL_CHARS else v
                      for v in kept])
        overflow.append(sum(v is not None for v in row[width:]))
    frame = pd.DataFrame(cells, columns=header, dtype=object)
    frame["_file"] = path.name
    frame["_sheet"] = sheet
    frame["_line"] = body_lines
    frame[OVERFLOW] = overflow
    frame[TOO_LONG] = pd.Series(too_long, dtype=object)
    frame.attrs = {"header_row": lines[first] if first == last
                   else f"{lines[first]}-{lines[last]}", **({"sheet": sheet} if sheet else {})}
    table = mapping.select(frame, path)
    table.attrs |= {"mapping": mapping.name, "headers": [
        account.as_row() for account in account_headers(mapping, header)]}
    return table
