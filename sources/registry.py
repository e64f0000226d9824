"""The source registry: every source of PES Monitor described once (sources/registry.yml).

Adding a register used to mean editing nine places; now landing (assets/landing.py), the staging
of the registers (assets/staging/registers.py), their checks (quality/suites.py), the entity
records (core.entity_record, generated here) and the CLI's sample folders read this one file.
An office can add a source without touching the shipped file: `$PES_EXTRA_SOURCES` names a
registry file whose sources are appended (their mappings go in `$PES_MAPPINGS`).
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

import yaml

REGISTRY_FILE = Path(__file__).with_name("registry.yml")
EXTRA_SOURCES_ENV = "PES_EXTRA_SOURCES"
KINDS = {"legal", "unit", "by_type"}


@dataclass(frozen=True)
class Role:
    """How far a source's rows speak for their entity (core.entity_status, core.pes_entity).

    `rank`: the order in which sources give an entity's name, identifiers and seat (1 first).
    """

    rank: int
    meaning: str


ROLES = {
    "extract": Role(1, "the KRS extract: the source of record of a legal entity in KRS; its "
                       "legal form implies the type; one strike-off ends the entity"),
    "register": Role(2, "a register of record (the unit's register, a register of legal "
                        "entities without KRS such as the KGW register): its dates are the "
                        "entity's; its type is a unit's type, and a legal entity's after the "
                        "catalogue's classification"),
    "catalogue": Role(3, "the regional catalogue: the office's classification of types; its "
                         "dates count where no source of record has any"),
    "status": Role(4, "a register of a status (social enterprise): the status's dates only"),
}

#: core.entity_record's columns and their types, in order (docs/entity_model.md): a source
#: gives those it knows; the others are null.
RECORD_COLUMNS = {
    "source": "varchar", "source_file": "varchar", "source_line": "bigint",
    "kind": "varchar", "entity_type": "varchar", "name": "varchar", "name_key": "varchar",
    "krs": "varchar", "nip": "varchar", "regon": "varchar",
    "founder_krs": "varchar", "founder_nip": "varchar", "founder_regon": "varchar",
    "powiat_code": "varchar", "gmina_code": "varchar", "place_written": "varchar",
    "activity_start": "date", "activity_end": "date", "status_start": "date",
    "status_end": "date", "is_opp": "boolean", "source_role": "varchar", "source_rank": "integer",
}
#: Columns every record select gives itself: who the row is and where it came from.
PROVENANCE = ("source", "source_file", "source_line", "source_role", "source_rank")


@dataclass(frozen=True)
class Inbox:
    """A folder of the inbox: which files a refresh lands from it."""

    folder: str
    patterns: tuple[str, ...]
    newest_only: bool
    personal_data: bool
    name_pl: str
    description: str


@dataclass(frozen=True)
class Register:
    """A register staged by its mapping file: label, reader and the rules beyond the mapping."""

    label_pl: str
    description: str
    reader: str | None
    required: tuple[str, ...]
    ordered: tuple[tuple[str, str], ...]
    suite: str | None


@dataclass(frozen=True)
class EntitySource:
    """A source describing PES: its kind, role, types and its row as a core.entity_record row."""

    kind: str
    role: str
    types: tuple[str, ...]
    record: dict[str, str] = field(default_factory=dict)

    @property
    def rank(self) -> int:
        return ROLES[self.role].rank


@dataclass(frozen=True)
class Source:
    """One source: its inbox folder, how it is staged, and what it says about entities."""

    name: str
    inbox: Inbox | None
    register: Register | None
    entity: EntitySource | None

    def record_select(self) -> str:
        """The select giving this source's rows as core.entity_record's columns, by name."""
        entity = self.entity
        given = {"source": f"'{self.name}'", "source_file": "source_file",
                 "source_line": "source_line", "source_role": f"'{entity.role}'",
                 "source_rank": str(entity.rank)}
        if entity.kind != "by_type":
            given["kind"] = f"'{entity.kind}'"
        if len(entity.types) == 1:
            given["entity_type"] = f"'{entity.types[0]}'"
        given |= entity.record
        columns = ",\n    ".join(f"{expression} as {column}" if expression != column else column
                                 for column, expression in given.items())
        return f"select\n    {columns}\nfrom staging.{self.name}"


def registry_error(path: Path, name: str, message: str) -> ValueError:
    return ValueError(f"{path}: source {name!r}: {message}")


def inbox_of(name: str, spec: dict) -> Inbox:
    return Inbox(folder=spec.get("folder", name), patterns=tuple(spec.get("patterns", ())),
                 newest_only=bool(spec.get("newest_only", False)),
                 personal_data=bool(spec.get("personal_data", False)),
                 name_pl=spec["name_pl"], description=spec.get("description", ""))


def register_of(spec: dict) -> Register:
    return Register(label_pl=spec["label_pl"], description=spec["description"],
                    reader=spec.get("reader"), required=tuple(spec.get("required", ())),
                    ordered=tuple(tuple(pair) for pair in spec.get("ordered", ())),
                    suite=spec.get("suite"))


def entity_of(path: Path, name: str, spec: dict) -> EntitySource:
    """The entity part of a source, its kind, role and record columns checked."""
    if spec.get("kind") not in KINDS:
        raise registry_error(path, name, f"kind must be one of {sorted(KINDS)}")
    if spec.get("role") not in ROLES:
        roles = "; ".join(f"{role}: {it.meaning}" for role, it in ROLES.items())
        raise registry_error(path, name, f"role must be one of {roles}")
    written = dict(spec.get("record") or {})
    record = {column: column for column in written.pop("columns", [])}
    record |= {column: " ".join(str(sql).split()) for column, sql in written.items()}
    unknown = set(record) - set(RECORD_COLUMNS) | set(record) & set(PROVENANCE)
    if unknown:
        raise registry_error(path, name, f"record columns not of core.entity_record or "
                                         f"given by the registry itself: {sorted(unknown)}")
    if spec["kind"] == "by_type" and "kind" not in record:
        raise registry_error(path, name, "kind by_type needs a `kind` in its record")
    return EntitySource(kind=spec["kind"], role=spec["role"], types=tuple(spec["types"]),
                        record=record)


def sources_in(path: Path) -> list[Source]:
    """The sources a registry file describes, in its order."""
    found = yaml.safe_load(path.read_text(encoding="utf-8"))["sources"]
    sources = []
    for name, spec in found.items():
        sources.append(Source(
            name=name,
            inbox=inbox_of(name, spec["inbox"]) if "inbox" in spec else None,
            register=register_of(spec["register"]) if "register" in spec else None,
            entity=entity_of(path, name, spec["entity"]) if "entity" in spec else None))
    return sources


@cache
def load_registry(extra: str | None = None) -> tuple[Source, ...]:
    """The shipped sources, then those of the extra registry file, if one is named."""
    sources = sources_in(REGISTRY_FILE) + (sources_in(Path(extra)) if extra else [])
    names = [s.name for s in sources]
    if len(set(names)) < len(names):
        raise ValueError(f"Source registry: a source named twice in {names}")
    return tuple(sources)


def registry() -> tuple[Source, ...]:
    """Every source: the shipped registry plus `$PES_EXTRA_SOURCES`, when set."""
    return load_registry(os.environ.get(EXTRA_SOURCES_ENV) or None)


def inbox_sources() -> list[Source]:
    """Sources with an inbox folder of their own, in the registry's order."""
    return [s for s in registry() if s.inbox is not None]


def sample_folders() -> tuple[str, ...]:
    """The inbox folders the bundled sample fills: those of the shipped registry (an office's
    extra sources have no sample)."""
    return tuple(s.inbox.folder for s in sources_in(REGISTRY_FILE) if s.inbox is not None)


def register_sources() -> list[Source]:
    """Sources staged by their mapping file (assets/staging/registers.py)."""
    return [s for s in registry() if s.register is not None]


def entity_sources() -> list[Source]:
    """Sources whose rows are core.entity_record rows."""
    return [s for s in registry() if s.entity is not None]


def entity_record_sql() -> str:
    """core.entity_record: every source's select united by column name (DuckDB's `union all by
    name`: a column a select lacks is null), after an empty select of every column typed, so
    each column exists whichever sources give it, and cast to its type; `regon_key` and
    `record_id` are derived (docs/entity_model.md)."""
    shape = "select " + ", ".join(f"null::{kind} as {column}"
                                  for column, kind in RECORD_COLUMNS.items()) + " where false"
    united = "\n    union all by name\n".join([shape, *(s.record_select()
                                                      for s in entity_sources())])
    typed = ",\n    ".join(f"cast({column} as {kind}) as {column}"
                           for column, kind in RECORD_COLUMNS.items())
    return f"""select
    source || ':' || source_file || ':' || source_line as record_id,
    {typed},
    -- a 14-digit REGON ending in 00000 is a 9-digit one written as KRS writes it
    case when length(regon) = 14 and right(regon, 5) = '00000' then left(regon, 9)
         else regon end as regon_key
from (
{united}
)
order by source, source_file, source_line"""
