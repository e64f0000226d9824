"""The register of social enterprises (status PS): one XLSX with title rows above the header.

About 70 entities hold or held the status: mostly social cooperatives, some NGOs, granted from
2016 on; some lost it (all that closed, and a few more whose status expired). The dates are
typed half as Excel dates and half as `dd.mm.yyyy` text, as in registers kept by hand.
"""

import random
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path

from openpyxl import Workbook

from sample_data import names
from sample_data.draw import part_rng, random_date
from sample_data.entities import NGO_TYPES, Entity
from sample_data.spelling import (
    date_pl,
    krs_as_written,
    name_as_written,
    nip_as_written,
    powiat_as_written,
)
from sample_data.truth import SourceOutput, SourceRow
from sample_data.xlsx import save_stamped, set_date_format

FOLDER = "social_enterprises"
SOURCE = "social_enterprises"
SHEET = "Rejestr PS"
TITLE = "Rejestr przedsiębiorstw społecznych – {region}"
HEADER = (
    "Lp.", "Nazwa jednostki", "Numer decyzji o przyznaniu statusu przedsiębiorstwa społecznego",
    "Data przyznania statusu", "Data utraty statusu", "Numer KRS", "NIP", "REGON", "Powiat",
    "Charakter prowadzonej działalności przedsiębiorstw społecznych",
)
HEADER_ROW = 4

#: Entities in the register (fixed, so the documented figures hold for every seed).
COOPERATIVES = 55
NGOS = 15
#: Entities still active whose status was nevertheless lost (expired, not renewed).
EXTRA_LOST = 6
FIRST_GRANT = date(2016, 1, 4)
#: Share of dates written as real Excel dates; the rest are `dd.mm.yyyy` text.
EXCEL_DATE_SHARE = 0.65


@dataclass(frozen=True)
class Status:
    """The social-enterprise status of one entity: granted, and lost (None while it holds)."""

    entity: Entity
    granted: date
    lost: date | None
    decision: str


def _window(entity: Entity, as_of: date) -> tuple[date, date]:
    first = max(entity.start + timedelta(days=30), FIRST_GRANT)
    last = as_of if entity.end is None else min(entity.end - timedelta(days=30), as_of)
    return first, last


def draw_statuses(seed: int, entities: list[Entity], as_of: date) -> list[Status]:
    """Who holds the status and when, ordered by grant date (the decision numbers' order)."""
    rng = part_rng(seed, "social_enterprises")

    def eligible(kinds: tuple[str, ...]) -> list[Entity]:
        windows = ((e, _window(e, as_of)) for e in entities if e.kind in kinds)
        return [e for e, (first, last) in windows if first <= last]

    chosen = (rng.sample(eligible(("spółdzielnia socjalna",)), COOPERATIVES)
              + rng.sample(eligible(NGO_TYPES), NGOS))
    granted = {e.entity_id: random_date(rng, *_window(e, as_of)) for e in chosen}
    lost = {e.entity_id: e.end for e in chosen if e.end is not None}
    expiring = [e for e in chosen
                if e.end is None and granted[e.entity_id] <= as_of - timedelta(days=730)]
    for entity in rng.sample(expiring, EXTRA_LOST):
        since = granted[entity.entity_id]
        lost[entity.entity_id] = random_date(rng, since + timedelta(days=365),
                                             min(since + timedelta(days=1460), as_of))
    statuses = []
    per_year: dict[int, int] = {}
    for entity in sorted(chosen, key=lambda e: (granted[e.entity_id], e.entity_id)):
        day = granted[entity.entity_id]
        per_year[day.year] = per_year.get(day.year, 0) + 1
        decision = f"PS.{entity.gmina.code[:2]}.{per_year[day.year]}.{day.year}"
        statuses.append(Status(entity, day, lost.get(entity.entity_id), decision))
    return statuses


def _as_typed(rng: random.Random, day: date | None) -> date | str | None:
    if day is None:
        return None
    return day if rng.random() < EXCEL_DATE_SHARE else date_pl(day)


def write_register(seed: int, statuses: list[Status], region_pl: str, out_dir: Path,
                   as_of: date, stamp: datetime) -> SourceOutput:
    """Writes `social_enterprises/rejestr_ps_<as_of>.xlsx` as docs/inputs.md lays it out."""
    rng = part_rng(seed, "social_enterprises/file")
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = SHEET
    last_column = sheet.cell(row=1, column=len(HEADER)).column_letter
    sheet["A1"] = TITLE.format(region=region_pl)
    sheet["A2"] = f"Stan na {date_pl(as_of)}"
    sheet.merge_cells(f"A1:{last_column}1")
    sheet.merge_cells(f"A2:{last_column}2")
    for column, title in enumerate(HEADER, start=1):
        sheet.cell(row=HEADER_ROW, column=column, value=title)
    for number, status in enumerate(statuses, start=1):
        entity = status.entity
        powiat = entity.gmina.powiat
        sheet.append([
            number, name_as_written(rng, entity.name, 0.1), status.decision,
            _as_typed(rng, status.granted), _as_typed(rng, status.lost),
            krs_as_written(rng, entity.krs), nip_as_written(rng, entity.nip), entity.regon,
            powiat_as_written(rng, powiat.name, powiat.is_city),
            rng.choice(names.SOCIAL_ENTERPRISE_ACTIVITIES),
        ])
    set_date_format(c for row in sheet.iter_rows(min_row=HEADER_ROW + 1, min_col=4, max_col=5)
                    for c in row if isinstance(c.value, date))
    relative = f"{FOLDER}/rejestr_ps_{as_of.isoformat()}.xlsx"
    save_stamped(workbook, out_dir / relative, stamp)
    return SourceOutput(
        files=[relative],
        rows=len(statuses),
        source_rows=[SourceRow(SOURCE, relative, n, s.entity.entity_id)
                     for n, s in enumerate(statuses, start=1)],
        figures={
            "ps_register_rows": len(statuses),
            "ps_cooperatives": COOPERATIVES,
            "ps_ngos": NGOS,
            "ps_lost": sum(1 for s in statuses if s.lost is not None),
            "ps_holding_status_at_as_of": sum(1 for s in statuses if s.lost is None),
        },
    )
