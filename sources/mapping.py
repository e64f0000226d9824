"""Per-source mapping files: which header names a column goes by, lookups for messy values.

A renamed column in a new export, an extra alias or a new spelling of a value is an edit to
`sources/mappings/<table>.yml`, never to code (OpenSanctions' `lookups`, in spirit). Columns of
a file that no mapping uses are reported, so a new column in a source is noticed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

import pandas as pd
import yaml

from sources.errors import SourceFileError

MAPPINGS_DIR = Path(__file__).parent / "mappings"
IGNORED_HEADERS = {"lp", "lp.", "l.p.", "nr", "nr wiersza"}
PROVENANCE = ("_file", "_sheet", "_line")


def fold_header(name: object) -> str:
    """Header comparison key: case, surrounding and repeated spaces, dashes do not matter."""
    text = re.sub(r"\s+", " ", str(name).replace("–", "-").replace("—", "-")).strip().lower()
    return text


def fold_value(value: object) -> str | None:
    """Lookup key of a cell value: lower case, single spaces."""
    if value is None or pd.isna(value):
        return None
    return re.sub(r"\s+", " ", str(value)).strip().lower() or None


@dataclass(frozen=True)
class TableMapping:
    """How one table of one source is read: its columns' aliases, lookups, expected size."""

    name: str
    columns: dict[str, list[str]]
    optional: frozenset[str] = frozenset()
    lookups: dict[str, dict[str, str]] = field(default_factory=dict)
    sheet: str | None = None
    expected_rows: tuple[int, int] | None = None

    @classmethod
    def from_yaml(cls, path: Path) -> TableMapping:
        spec = yaml.safe_load(path.read_text(encoding="utf-8"))
        columns = {english: [aliases] if isinstance(aliases, str) else list(aliases)
                   for english, aliases in spec["columns"].items()}
        lookups = {name: {fold_value(k): v for k, v in table.items()}
                   for name, table in (spec.get("lookups") or {}).items()}
        expected = spec.get("expected_rows")
        return cls(name=path.stem, columns=columns, optional=frozenset(spec.get("optional", [])),
                   lookups=lookups, sheet=spec.get("sheet"),
                   expected_rows=tuple(expected) if expected else None)

    def header_marker(self) -> set[str]:
        """Folded names any of which identifies the header row (the first column's aliases)."""
        return {fold_header(a) for a in next(iter(self.columns.values()))}

    def select(self, frame: pd.DataFrame, path: Path) -> pd.DataFrame:
        """The mapped columns under their English names; unused headers in `attrs`.

        A missing required column stops the read, naming the column and every alias tried.
        """
        found = {fold_header(c): c for c in frame.columns if c not in PROVENANCE}
        renames, missing = {}, []
        for english, aliases in self.columns.items():
            match = next((found[fold_header(a)] for a in aliases if fold_header(a) in found), None)
            if match is not None:
                renames[match] = english
            elif english not in self.optional:
                missing.append(" / ".join(aliases))
        if missing:
            raise SourceFileError(path, f"columns {missing}", f"found {list(found.values())}")
        selected = frame.rename(columns=renames)
        for english in self.columns:
            if english not in selected.columns:
                selected[english] = None
        provenance = [c for c in PROVENANCE if c in selected.columns]
        result = selected[[*self.columns, *provenance]].copy()
        result.attrs["unused_columns"] = [
            str(c) for c in frame.columns
            if c not in renames and c not in PROVENANCE
            and fold_header(c) not in IGNORED_HEADERS and not str(c).startswith("_unnamed_")
        ]
        return result

    def lookup(self, name: str, values: pd.Series) -> pd.Series:
        """Codes for written values by the mapping's lookup table; missing where unknown."""
        return values.map(fold_value).map(self.lookups[name])


@cache
def load_mapping(name: str) -> TableMapping:
    """The mapping of a table, from sources/mappings/<name>.yml (read once per process)."""
    return TableMapping.from_yaml(MAPPINGS_DIR / f"{name}.yml")
