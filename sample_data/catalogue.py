"""The regional PES catalogue: one CP-1250 CSV with every entity ever known, and its mess.

The catalogue is typed by hand over years, so it carries exact duplicate rows, the same entity a
second time under another spelling, identifiers in several written forms and a few wrong check
digits. The counts of each kind of mess are fixed, so the documented figures hold for every seed.
"""

import csv
import random
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from sample_data.draw import part_rng
from sample_data.entities import Entity
from sample_data.identifiers import nip_is_valid, regon_is_valid, with_typo
from sample_data.spelling import (
    date_pl,
    krs_as_written,
    nip_as_written,
    powiat_as_written,
    replace_digits,
    respelled,
)
from sample_data.territory import Gmina, Territory
from sample_data.truth import InvalidId, SourceOutput, SourceRow

FOLDER = "pes_catalogue"
SOURCE = "pes_catalogue"
HEADER = (
    "Lp.", "Nazwa podmiotu", "Typ PES", "Numer KRS", "KRS podmiotu prowadzącego", "NIP", "REGON",
    "Powiat", "Gmina", "Miejscowość", "Data rozpoczęcia działalności",
    "Data zakończenia działalności",
)

#: Rows repeated exactly (but for `Lp.`), about 2 % of the entities.
EXACT_DUPLICATES = 64
#: KRS entities typed a second time under another spelling, about 2 %.
RESPELLED_DUPLICATES = 64
#: Rows whose NIP, and rows whose REGON, has a mistyped digit: together about 0.5 % of rows.
INVALID_NIPS = 8
INVALID_REGONS = 8
#: Share of rows whose identifiers the catalogue does not know (left empty).
NIP_MISSING_SHARE = 0.04
REGON_MISSING_SHARE = 0.05
#: Share of names typed with trailing spaces in the entity's own row.
TRAILING_SPACE_SHARE = 0.02


@dataclass(eq=False)
class _Row:
    entity: Entity
    cells: list[str]


def _gmina(gmina: Gmina, territory: Territory) -> str:
    """The gmina as the catalogue writes it: its name, with the kind for the rural gmina that
    shares it with the town beside it (`Bartoszyce - gmina wiejska`), which a town alone would
    not tell apart. No random draw, so the rest of the file stays as it was."""
    urban_namesake = any(g.kind == 1 and g.powiat is gmina.powiat
                         for g in territory.namesakes(gmina))
    return f"{gmina.name} - gmina wiejska" if gmina.kind == 2 and urban_namesake else gmina.name


def _row(rng: random.Random, entity: Entity, territory: Territory) -> _Row:
    name = entity.name + (" " if rng.random() < TRAILING_SPACE_SHARE else "")
    founder_krs = entity.founder.krs if entity.founder else None
    nip = None if rng.random() < NIP_MISSING_SHARE else entity.nip
    regon = "" if rng.random() < REGON_MISSING_SHARE else entity.regon
    powiat = entity.gmina.powiat
    return _Row(entity, [
        name, entity.kind, krs_as_written(rng, entity.krs), krs_as_written(rng, founder_krs, 0.2),
        nip_as_written(rng, nip), regon, powiat_as_written(rng, powiat.name, powiat.is_city),
        _gmina(entity.gmina, territory), entity.town, date_pl(entity.start), date_pl(entity.end),
    ])


def write_catalogue(seed: int, entities: list[Entity], territory: Territory, out_dir: Path,
                    as_of: date) -> SourceOutput:
    """Writes `pes_catalogue/katalog_pes_<as_of>.csv` (CP-1250, `;`, CRLF) and its truths."""
    rng = part_rng(seed, "catalogue")
    rows = [_row(rng, e, territory) for e in entities]
    nip_rows = rng.sample([r for r in rows if r.cells[4]], INVALID_NIPS)
    regon_rows = rng.sample([r for r in rows if r.cells[5] and r not in nip_rows], INVALID_REGONS)
    invalid: list[tuple[_Row, str, str]] = []
    for row in nip_rows:
        typo = with_typo(rng, row.entity.nip, nip_is_valid)
        row.cells[4] = replace_digits(row.cells[4], typo)
        invalid.append((row, "NIP", row.entity.nip))
    for row in regon_rows:
        row.cells[5] = with_typo(rng, row.entity.regon, regon_is_valid)
        invalid.append((row, "REGON", row.entity.regon))

    # Duplicates are made of clean rows only, so each deliberate typo appears exactly once.
    with_typos = {id(r) for r in nip_rows + regon_rows}
    clean = [r for r in rows if id(r) not in with_typos]
    respelled_of = rng.sample([r for r in clean if r.entity.krs], RESPELLED_DUPLICATES)
    extra = []
    for row in respelled_of:
        again = _row(rng, row.entity, territory)
        again.cells[0] = respelled(rng, row.entity.name)
        extra.append(again)
    taken = {id(r) for r in respelled_of}
    duplicated = rng.sample([r for r in clean if id(r) not in taken], EXACT_DUPLICATES)
    extra += [_Row(r.entity, list(r.cells)) for r in duplicated]

    rng.shuffle(rows)
    for row in extra:
        rows.insert(rng.randrange(len(rows) + 1), row)

    relative = f"{FOLDER}/katalog_pes_{as_of.isoformat()}.csv"
    path = out_dir / relative
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="cp1250", newline="") as handle:
        writer = csv.writer(handle, delimiter=";", lineterminator="\r\n")
        writer.writerow(HEADER)
        writer.writerows([number, *row.cells] for number, row in enumerate(rows, start=1))

    position = {id(row): number for number, row in enumerate(rows, start=1)}
    return SourceOutput(
        files=[relative],
        rows=len(rows),
        source_rows=[SourceRow(SOURCE, relative, n, r.entity.entity_id)
                     for n, r in enumerate(rows, start=1)],
        invalid_ids=sorted(
            (InvalidId(SOURCE, relative, position[id(row)], column,
                       row.cells[4] if column == "NIP" else row.cells[5], true_value,
                       row.entity.entity_id)
             for row, column, true_value in invalid),
            key=lambda i: (i.row, i.column)),
        figures={
            "catalogue_rows": len(rows),
            "catalogue_exact_duplicate_rows": EXACT_DUPLICATES,
            "catalogue_respelled_duplicate_rows": RESPELLED_DUPLICATES,
            "catalogue_invalid_nip": INVALID_NIPS,
            "catalogue_invalid_regon": INVALID_REGONS,
        },
    )
