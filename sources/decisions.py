"""The analyst's decisions on entity resolution: files in a folder the office keeps.

The automatic rules cannot know that `Fundacja Razem` and `Fundacja „Razem” w Dywitach` are one
organisation when neither row has an identifier, or that two rows sharing a NIP are a typo.
The analyst writes that down once, in a CSV (UTF-8, `;`) or YAML file, and every later refresh
applies it before the automatic rules (docs/entity_model.md). Each decision is one row:

    decyzja;rekord;drugi_rekord;miejsce;kod_terc;uzasadnienie
    ten_sam;KRS:0000100001;pes_catalogue:katalog_pes_2020-12-31.csv:5;;;ta sama organizacja
    różne;NIP:7391000047;PES-1A2B3C4D5E6F;;;dwa stowarzyszenia o jednej nazwie
    wydziel;pes_catalogue:katalog_pes_2020-12-31.csv:7;;;;to osobny podmiot
    terc;;;Bartoszyce;2801011;miasto, nie gmina wiejska
    mniej_wierszy;pes_catalogue:katalog_pes_2026-10-31.csv;;;;rejestr oczyszczony z likwidowanych

A row that cannot be understood is not a reason to stop the refresh: it is kept with its
problem, reported beside the decisions that were used, and applied nowhere.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass, replace
from pathlib import Path

import yaml

from sources.errors import SourceFileError

#: What each kind of decision does, in the words of the file.
KINDS = {
    "ten_sam": "same",        # the two references are one entity
    "różne": "different",     # the two references are never one entity
    "rozne": "different",
    "wydziel": "split",       # the rows of the reference are an entity of their own
    "terc": "terc",           # the written place name is this TERC code
    "mniej_wierszy": "fewer_rows",  # `rekord` (source:file) is rightly smaller than before
}
COLUMNS = ("decyzja", "rekord", "drugi_rekord", "miejsce", "kod_terc", "uzasadnienie")
REFERENCE = re.compile(
    r"^(?:(?P<id_kind>KRS|NIP|REGON):(?P<id_value>\d+)"
    r"|(?P<entity>PES-[0-9A-F]{12})"
    r"|(?P<source>[a-z_]+):(?P<file>[^:]+):(?P<line>\d+))$")
TERC_GMINA = re.compile(r"^\d{7}$")
#: A source file as the volume guard names it: `pes_catalogue:katalog_pes_2026-10-31.csv`.
SOURCE_FILE = re.compile(r"^(?P<source>[a-z_]+):(?P<file>[^:]+)$")


@dataclass(frozen=True)
class Decision:
    """One row of a decision file; `problem` says why it cannot be applied (then it is not)."""

    number: str
    file: str
    line: int
    kind: str
    reference: str
    other: str
    place: str
    terc: str
    reason: str
    problem: str = ""


def decision_files(folder: Path) -> list[Path]:
    """Decision files in the folder, in name order, so the numbering is stable."""
    if not folder.is_dir():
        return []
    return sorted(p for p in folder.iterdir()
                  if p.suffix.lower() in {".csv", ".yml", ".yaml"} and p.is_file())


def read_decisions(folder: Path) -> list[Decision]:
    """Every decision of every file in the folder, numbered `<file>:<line>`."""
    return [decision for path in decision_files(folder) for decision in _read_file(path)]


def _read_file(path: Path) -> list[Decision]:
    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as error:
        raise SourceFileError(path, "a UTF-8 text file of decisions", str(error)) from error
    rows = _yaml_rows(path, text) if path.suffix.lower() in {".yml", ".yaml"} else \
        _csv_rows(path, text)
    return [_decision(path.name, line, row) for line, row in rows]


def _csv_rows(path: Path, text: str) -> list[tuple[int, dict[str, str]]]:
    """Rows with their file line; the header must name the decision column."""
    reader = csv.DictReader(io.StringIO(text), delimiter=";")
    if not reader.fieldnames or "decyzja" not in [f.strip() for f in reader.fieldnames]:
        raise SourceFileError(path, "a header line with the columns " + ";".join(COLUMNS))
    rows = []
    for row in reader:
        values = {(k or "").strip(): (v or "").strip() for k, v in row.items()
                  if not isinstance(v, list)}
        if any(values.values()):
            rows.append((reader.line_num, values))
    return rows


def _yaml_rows(path: Path, text: str) -> list[tuple[int, dict[str, str]]]:
    """A YAML list of mappings with the CSV's keys; the line is the item's position.

    Every value is read as text: a TERC code `0201011` must not become the number 201011."""
    try:
        items = yaml.load(text, Loader=yaml.BaseLoader) or []
    except yaml.YAMLError as error:
        raise SourceFileError(path, "a YAML list of decisions", str(error)) from error
    if not isinstance(items, list) or not all(isinstance(i, dict) for i in items):
        raise SourceFileError(path, "a YAML list of decisions (each with `decyzja:`)")
    return [(n, {str(k): "" if v is None else str(v).strip() for k, v in item.items()})
            for n, item in enumerate(items, start=1)]


def _decision(file: str, line: int, row: dict[str, str]) -> Decision:
    kind = KINDS.get(row.get("decyzja", "").lower(), "")
    decision = Decision(number=f"{file}:{line}", file=file, line=line, kind=kind,
                        reference=row.get("rekord", ""), other=row.get("drugi_rekord", ""),
                        place=row.get("miejsce", ""), terc=row.get("kod_terc", ""),
                        reason=row.get("uzasadnienie", ""))
    return replace(decision, problem=decision_problem(decision, row))


def decision_problem(decision: Decision, row: dict[str, str]) -> str:
    """What makes a decision impossible to apply, in Polish for the quality report."""
    if not decision.kind:
        return (f"kolumna decyzja: nieznana wartość „{row.get('decyzja', '')}” "
                "(dozwolone: ten_sam, różne, wydziel, terc, mniej_wierszy)")
    if decision.kind == "fewer_rows":
        if not SOURCE_FILE.match(decision.reference):
            return (f"kolumna rekord: „{decision.reference}” nie jest plikiem źródła "
                    "(źródło:plik, np. pes_catalogue:katalog_pes_2026-10-31.csv)")
        return ""
    if decision.kind == "terc":
        if not decision.place:
            return "kolumna miejsce: brak nazwy miejsca, którego dotyczy kod"
        if not TERC_GMINA.match(decision.terc):
            return f"kolumna kod_terc: „{decision.terc}” nie jest 7-cyfrowym kodem gminy"
        return ""
    needed = [("rekord", decision.reference)]
    if decision.kind in {"same", "different"}:
        needed.append(("drugi_rekord", decision.other))
    for column, value in needed:
        if not REFERENCE.match(value):
            return (f"kolumna {column}: „{value}” nie jest odwołaniem (KRS:…, NIP:…, REGON:…, "
                    "PES-… albo źródło:plik:wiersz)")
    return ""
