"""The ground truth written next to the inbox, in `out_dir/_truth/`.

A benchmark compares what the pipeline computed with what is true: which entity each source row
belongs to (entity resolution), which identifiers are wrong on purpose, how many entities of each
type were active at each month end, and the headline figures of the sample.
"""

import csv
import json
from collections import Counter
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from sample_data.draw import month_ends
from sample_data.entities import MONITORING_START, TYPE_COUNTS, Entity

TRUTH_DIR = "_truth"


@dataclass(frozen=True)
class SourceRow:
    """One data row of a source file and the entity it truly describes.

    `row` is the 1-based data row in the file (the `Lp.` where the sheet has one; 1 for a JSON).
    """

    source: str
    file: str
    row: int
    entity_id: str


@dataclass(frozen=True)
class InvalidId:
    """An identifier written wrong on purpose: where, what was written and what is true.

    For a participant's PESEL, `entity_id` is the person's id and the true PESEL is not repeated.
    """

    source: str
    file: str
    row: int
    column: str
    written: str
    true_value: str
    entity_id: str


@dataclass
class SourceOutput:
    """What writing one source produced: its files (relative to out_dir), rows and truths."""

    files: list[str] = field(default_factory=list)
    rows: int = 0
    source_rows: list[SourceRow] = field(default_factory=list)
    invalid_ids: list[InvalidId] = field(default_factory=list)
    figures: dict[str, object] = field(default_factory=dict)


def one_file_output(source: str, relative: str, described: list[Entity],
                    figures: dict[str, object]) -> SourceOutput:
    """The output of a source written as one file whose data rows describe `described`, in
    order (an entity twice where a row is repeated)."""
    return SourceOutput(files=[relative], rows=len(described),
                        source_rows=[SourceRow(source, relative, n, e.entity_id)
                                     for n, e in enumerate(described, start=1)],
                        figures=figures)


def _write_csv(path: Path, header: tuple[str, ...], rows: list[tuple[object, ...]]) -> None:
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(header)
        writer.writerows(rows)


def _iso(value: date | None) -> str:
    return "" if value is None else value.isoformat()


def entity_table(entities: list[Entity], extra: dict[str, dict[str, str]]) -> tuple[
        tuple[str, ...], list[tuple[object, ...]]]:
    """The header and rows of `entities.csv`; `extra` adds columns per entity id (PS, OWES)."""
    extra_columns = tuple(sorted({c for values in extra.values() for c in values}))
    header = ("entity_id", "typ", "nazwa", "krs", "nip", "regon", "powiat_terc", "gmina_terc",
              "gmina", "miejscowosc", "start", "end", "opp", "founder_entity_id", "founder_terc",
              *extra_columns)
    rows = []
    for e in entities:
        values = extra.get(e.entity_id, {})
        rows.append((
            e.entity_id, e.kind, e.name, e.krs or "", e.nip or "", e.regon, e.gmina.powiat.code,
            e.gmina.code, e.gmina.name, e.town, _iso(e.start), _iso(e.end), int(e.opp),
            e.founder.entity_id if e.founder else "",
            e.founder_gmina.code if e.founder_gmina else "",
            *(values.get(c, "") for c in extra_columns),
        ))
    return header, rows


def active_by_month(entities: list[Entity], as_of: date) -> list[tuple[str, str, int]]:
    """(month end, type, active entities) from January 2016 to as_of, by `Entity.active_on`."""
    rows = []
    for month_end in month_ends(MONITORING_START, as_of):
        active = Counter(e.kind for e in entities if e.active_on(month_end))
        rows += [(month_end.isoformat(), kind, active[kind]) for kind in TYPE_COUNTS]
    return rows


def write_truth(out_dir: Path, entities: list[Entity], outputs: dict[str, SourceOutput],
                entity_extra: dict[str, dict[str, str]], persons: list[tuple[object, ...]],
                summary: dict[str, object], as_of: date) -> list[str]:
    """Writes the truth files and returns their paths relative to `out_dir`."""
    folder = out_dir / TRUTH_DIR
    folder.mkdir(parents=True, exist_ok=True)
    header, rows = entity_table(entities, entity_extra)
    _write_csv(folder / "entities.csv", header, rows)
    _write_csv(folder / "source_rows.csv", ("source", "file", "row", "entity_id"),
               [(r.source, r.file, r.row, r.entity_id)
                for output in outputs.values() for r in output.source_rows])
    _write_csv(folder / "invalid_ids.csv",
               ("source", "file", "row", "column", "written", "true_value", "entity_id"),
               [(i.source, i.file, i.row, i.column, i.written, i.true_value, i.entity_id)
                for output in outputs.values() for i in output.invalid_ids])
    _write_csv(folder / "participants.csv", ("file", "row", "person_id"),
               persons)
    _write_csv(folder / "active_by_month.csv", ("month_end", "typ", "active"),
               active_by_month(entities, as_of))
    (folder / "summary.json").write_text(
        json.dumps(summary, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    names = ("entities.csv", "source_rows.csv", "invalid_ids.csv", "participants.csv",
             "active_by_month.csv", "summary.json")
    return [f"{TRUTH_DIR}/{name}" for name in names]
