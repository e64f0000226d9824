"""The registers of the units (CIS, KIS, ZAZ, WTZ): one file each, written from the units of the
population (15 CIS, 20 KIS, 10 ZAZ, 40 WTZ) and the bodies that run them, each office with its
own habits (docs/inputs.md):

- `cis_register/rejestr_cis_<as_of>.csv` ("UW CIS 01"): UTF-8 with BOM, `;`, CRLF; the address
  and the contact hold line breaks inside quotes; one row repeated exactly (16 rows).
- `kis_register/wykaz_kis_<as_of>.xlsx`: header on row 1; dates as date cells, bare Excel serial
  numbers or text; the operator's KRS sometimes a number cell (its zeros lost); the gmina left
  empty where the town says it; one gmina mistyped.
- `zaz_register/rejestr_zaz_<as_of>.xlsx` ("UW SIZAZ 01"): title rows, a two-row header under
  merged group titles; employment in full-time equivalents, often as text with a decimal comma.
- `wtz_register/wykaz_wtz_<as_of>.csv`: CP-1250, `,`, LF; ISO dates (some `dd.mm.yyyy`); names
  with a comma quoted, but one not (its row has a cell beyond the header); one founder REGON
  mistyped.

A reader must reject exactly these rows, whatever the seed: KIS 1 (the mistyped gmina), WTZ 2
(the unquoted name, the mistyped REGON); every other row is readable and places resolve.
"""

import csv
import io
import random
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path

from openpyxl import Workbook

from sample_data.draw import part_rng
from sample_data.entities import Entity
from sample_data.identifiers import new_nip, regon_is_valid, with_typo
from sample_data.spelling import (
    ascii_fold,
    date_pl,
    gmina_as_written,
    krs_as_written,
    name_as_written,
    nip_as_written,
    powiat_as_written,
)
from sample_data.territory import Gmina, Territory
from sample_data.truth import InvalidId, SourceOutput, SourceRow, one_file_output
from sample_data.xlsx import save_stamped, set_date_format, titled_sheet

CIS_HEADER = (
    "Lp.", "Nazwa pełna jednostki", "REGON", "Adres siedziby", "Powiat", "Gmina",
    "Dane teleadresowe", "Stan aktywności prawnej i ekonomicznej", "Data rozpoczęcia działalności",
    "Data zakończenia działalności", "Nazwa instytucji tworzącej", "Rodzaj instytucji tworzącej",
    "NIP instytucji tworzącej", "REGON instytucji tworzącej", "Numer KRS instytucji tworzącej",
)
KIS_SHEET = "Wykaz KIS"
KIS_HEADER = (
    "Lp.", "Nazwa pełna klubu", "Miejscowość", "Adres", "Gmina", "Data utworzenia klubu",
    "Data rozpoczęcia działalności", "Data zakończenia działalności",
    "Nazwa pełna podmiotu prowadzącego", "Dane kontaktowe podmiotu prowadzącego",
    "Numer KRS podmiotu prowadzącego", "NIP podmiotu prowadzącego",
)
ZAZ_SHEET = "UW SIZAZ 01"
ZAZ_TITLE = "Rejestr zakładów aktywności zawodowej – {region}"
ZAZ_HEADER_TOP = (
    "Lp.", "Nazwa pełna jednostki", "REGON", "Adres siedziby", "Powiat", "Gmina", "Status ZAZ",
    None, "Zatrudnienie", None, "Nazwa organizatora", "NIP organizatora", "Numer KRS organizatora",
)
ZAZ_HEADER_SUB = (
    None, None, None, None, None, None, "Data przyznania statusu ZAZ", "Data utraty statusu ZAZ",
    "Zatrudnienie w ZAZ", "Pracujący niepełnosprawni", None, None, None,
)
ZAZ_HEADER_ROW = 4
WTZ_HEADER = (
    "Lp.", "Nazwa pełna jednostki", "REGON", "Adres siedziby", "Powiat", "Gmina",
    "Data utworzenia", "Data zakończenia działalności", "Liczba uczestników",
    "Nazwa jednostki prowadzącej", "Rodzaj jednostki prowadzącej", "NIP jednostki prowadzącej",
    "REGON jednostki prowadzącej", "Numer KRS jednostki prowadzącej",
)

#: How the kind of founding body is written, by who founded the unit.
FOUNDER_KINDS = {
    "stowarzyszenie": ("stowarzyszenie", "organizacja pozarządowa"),
    "fundacja": ("fundacja", "organizacja pozarządowa"),
    "gmina": ("jednostka samorządu terytorialnego", "gmina", "JST"),
}
#: KIS rows whose gmina is left empty, the town saying where the club is (if enough units
#: have a town that names their gmina alone).
KIS_TOWN_ONLY = 6
#: Rows a reader must reject, by register (see the module's docstring).
ROWS_TO_REJECT = {"cis_register": 0, "kis_register": 1, "zaz_register": 0, "wtz_register": 2}
#: Share of dates and numbers written as text rather than as a typed cell.
TEXT_SHARE = 0.3


@dataclass(frozen=True)
class Founder:
    """The body that runs a unit: an NGO of the population, or the unit's gmina."""

    name: str
    kind_written: str
    nip: str | None
    regon: str
    krs: str | None


def founders(seed: int, entities: list[Entity]) -> dict[str, Founder]:
    """The founder of every unit, by the unit's id. A gmina gets one NIP for all its units."""
    rng = part_rng(seed, "unit_registers/founders")
    taken = {e.nip for e in entities if e.nip}
    gmina_nips: dict[str, str] = {}
    found = {}
    for unit in (e for e in entities if e.founder is not None or e.founder_gmina is not None):
        if unit.founder is not None:
            ngo = unit.founder
            found[unit.entity_id] = Founder(ngo.name, rng.choice(FOUNDER_KINDS[ngo.kind]),
                                            ngo.nip, ngo.regon, ngo.krs)
            continue
        gmina = unit.founder_gmina
        if gmina.code not in gmina_nips:
            gmina_nips[gmina.code] = new_nip(rng, taken)
        found[unit.entity_id] = Founder(gmina.jst_name, rng.choice(FOUNDER_KINDS["gmina"]),
                                        gmina_nips[gmina.code], unit.regon[:9], None)
    return found


def _street(entity: Entity) -> str:
    street = f"ul. {entity.street} " if entity.street else f"{entity.town} "
    return street + entity.house_no


def typed_date(rng: random.Random, day: date | None) -> date | int | str | None:
    """A date as a date cell, a bare Excel serial number, or `dd.mm.yyyy` text."""
    if day is None:
        return None
    draw = rng.random()
    if draw < TEXT_SHARE:
        return date_pl(day)
    if draw < 0.55:
        return (day - date(1899, 12, 30)).days
    return day


def _town_names_its_gmina(gmina: Gmina, territory: Territory) -> bool:
    """The town alone leads to the gmina: it is a town (urban or urban-rural gmina) or a seat
    named as a gmina no other unit shares."""
    return gmina.kind in (1, 3) or not territory.namesakes(gmina)


def _mistyped(name: str, territory: Territory) -> str:
    """The name with its last letter lost, unless that is another gmina's name."""
    taken = {g.name.lower() for g in territory.gminas}
    for cut in range(len(name) - 1, 0, -1):
        typo = name[:cut] + name[cut + 1:]
        if typo.lower() not in taken:
            return typo
    raise ValueError(f"no typo of {name!r} is free")


def write_cis(seed: int, units: list[Entity], founded: dict[str, Founder], territory: Territory,
              out_dir: Path, as_of: date) -> SourceOutput:
    rng = part_rng(seed, "unit_registers/cis")
    rows = []
    for unit in units:
        founder = founded[unit.entity_id]
        powiat = unit.gmina.powiat
        status = rng.choice(("aktywna", "Aktywna", "działająca")) if unit.end is None else (
            rng.choice(("zlikwidowana", "ZLIKWIDOWANA", "wykreślona")))
        contact = (f"tel. 89 {rng.randint(500, 799)} {rng.randint(10, 99)} {rng.randint(10, 99)}"
                   f"\ncis.{ascii_fold(unit.gmina.name).lower().replace(' ', '')}@example.pl")
        rows.append((unit, [
            name_as_written(rng, unit.name, 0.1), unit.regon,
            f"{_street(unit)}\n{unit.postcode} {unit.town}",
            powiat_as_written(rng, powiat.name, powiat.is_city),
            gmina_as_written(rng, unit.gmina, territory, beside_powiat=True), contact, status,
            date_pl(unit.start), date_pl(unit.end), founder.name, founder.kind_written,
            nip_as_written(rng, founder.nip), founder.regon, krs_as_written(rng, founder.krs),
        ]))
    repeated = rng.choice(rows)
    rows.insert(rng.randrange(len(rows) + 1), (repeated[0], list(repeated[1])))
    relative = f"cis_register/rejestr_cis_{as_of.isoformat()}.csv"
    path = out_dir / relative
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8-sig", newline="") as handle:
        writer = csv.writer(handle, delimiter=";", lineterminator="\r\n")
        writer.writerow(CIS_HEADER)
        writer.writerows([n, *cells] for n, (_, cells) in enumerate(rows, start=1))
    return SourceOutput(
        files=[relative], rows=len(rows),
        source_rows=[SourceRow("cis_register", relative, n, unit.entity_id)
                     for n, (unit, _) in enumerate(rows, start=1)],
        figures={"cis_register_rows": len(rows), "cis_register_exact_duplicate_rows": 1})


def write_kis(seed: int, units: list[Entity], founded: dict[str, Founder], territory: Territory,
              out_dir: Path, as_of: date, stamp: datetime) -> SourceOutput:
    rng = part_rng(seed, "unit_registers/kis")
    eligible = [u for u in units if _town_names_its_gmina(u.gmina, territory)]
    town_only = {u.entity_id for u in rng.sample(eligible, min(KIS_TOWN_ONLY, len(eligible)))}
    mistyped = rng.choice([u for u in units if u.entity_id not in town_only]).entity_id
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = KIS_SHEET
    sheet.append(KIS_HEADER)
    for number, unit in enumerate(units, start=1):
        founder = founded[unit.entity_id]
        if unit.entity_id in town_only:
            gmina = None
        elif unit.entity_id == mistyped:
            gmina = _mistyped(unit.gmina.name, territory)
        else:
            gmina = gmina_as_written(rng, unit.gmina, territory, beside_powiat=False)
        krs = krs_as_written(rng, founder.krs)
        created = unit.start - timedelta(days=rng.randint(14, 90))
        sheet.append([
            number, name_as_written(rng, unit.name, 0.1), unit.town, _street(unit), gmina,
            typed_date(rng, created), typed_date(rng, unit.start), typed_date(rng, unit.end),
            founder.name, f"tel. 89 {rng.randint(500, 799)} {rng.randint(10, 99)} "
                          f"{rng.randint(10, 99)}, biuro@example.pl",
            int(krs) if krs and rng.random() < 0.5 else krs or None,
            nip_as_written(rng, founder.nip) or None,
        ])
    set_date_format(c for row in sheet.iter_rows(min_row=2, min_col=6, max_col=8)
                    for c in row if isinstance(c.value, date))
    relative = f"kis_register/wykaz_kis_{as_of.isoformat()}.xlsx"
    save_stamped(workbook, out_dir / relative, stamp)
    return one_file_output("kis_register", relative, units, {
        "kis_register_rows": len(units), "kis_register_town_only_rows": len(town_only),
        "kis_register_mistyped_gmina": 1})


def write_zaz(seed: int, units: list[Entity], founded: dict[str, Founder], territory: Territory,
              out_dir: Path, as_of: date, stamp: datetime) -> SourceOutput:
    rng = part_rng(seed, "unit_registers/zaz")
    workbook, sheet = titled_sheet(ZAZ_SHEET, ZAZ_TITLE.format(region=territory.name_pl), as_of,
                                   len(ZAZ_HEADER_TOP))
    for column, (top, sub) in enumerate(zip(ZAZ_HEADER_TOP, ZAZ_HEADER_SUB, strict=True),
                                        start=1):
        sheet.cell(row=ZAZ_HEADER_ROW, column=column, value=top)
        sheet.cell(row=ZAZ_HEADER_ROW + 1, column=column, value=sub)
    for number, unit in enumerate(units, start=1):
        founder = founded[unit.entity_id]
        powiat = unit.gmina.powiat
        fte = rng.randint(16, 80) / 2
        disabled = round(fte * rng.uniform(0.7, 0.9))
        employment = str(fte).replace(".", ",") if rng.random() < 0.6 else fte
        sheet.append([
            number, name_as_written(rng, unit.name, 0.1), unit.regon,
            f"{_street(unit)}, {unit.postcode} {unit.town}",
            powiat_as_written(rng, powiat.name, powiat.is_city),
            gmina_as_written(rng, unit.gmina, territory, beside_powiat=True),
            typed_date(rng, unit.start), typed_date(rng, unit.end), employment, disabled,
            founder.name, nip_as_written(rng, founder.nip) or None,
            krs_as_written(rng, founder.krs) or None,
        ])
    for column, (top, sub) in enumerate(zip(ZAZ_HEADER_TOP, ZAZ_HEADER_SUB, strict=True),
                                        start=1):
        if sub is None:  # a title of its own, over both header rows
            sheet.merge_cells(start_row=ZAZ_HEADER_ROW, end_row=ZAZ_HEADER_ROW + 1,
                              start_column=column, end_column=column)
        elif top is not None:  # a group title over this column and the next
            sheet.merge_cells(start_row=ZAZ_HEADER_ROW, end_row=ZAZ_HEADER_ROW,
                              start_column=column, end_column=column + 1)
    set_date_format(c for row in sheet.iter_rows(min_row=ZAZ_HEADER_ROW + 2, min_col=7,
                                                  max_col=8)
                    for c in row if isinstance(c.value, date))
    relative = f"zaz_register/rejestr_zaz_{as_of.isoformat()}.xlsx"
    save_stamped(workbook, out_dir / relative, stamp)
    return one_file_output("zaz_register", relative, units, {"zaz_register_rows": len(units)})


def write_wtz(seed: int, units: list[Entity], founded: dict[str, Founder], territory: Territory,
              out_dir: Path, as_of: date) -> SourceOutput:
    rng = part_rng(seed, "unit_registers/wtz")
    unquoted, mistyped = rng.sample(range(len(units)), 2)
    relative = f"wtz_register/wykaz_wtz_{as_of.isoformat()}.csv"
    invalid = []
    lines = []
    for index, unit in enumerate(units):
        founder = founded[unit.entity_id]
        powiat = unit.gmina.powiat
        name = name_as_written(rng, unit.name, 0.1)
        if index == unquoted:
            name = f"{unit.name}, {unit.town}"
        regon = founder.regon
        if index == mistyped:
            regon = with_typo(rng, founder.regon, regon_is_valid)
            invalid.append(InvalidId("wtz_register", relative, index + 1,
                                     "REGON jednostki prowadzącej", regon, founder.regon,
                                     unit.entity_id))

        def written(day: date | None) -> str:
            if day is None:
                return ""
            return date_pl(day) if rng.random() < 0.15 else day.isoformat()

        cells = [index + 1, name, unit.regon, f"{_street(unit)}, {unit.postcode} {unit.town}",
                 powiat_as_written(rng, powiat.name, powiat.is_city),
                 gmina_as_written(rng, unit.gmina, territory, beside_powiat=True),
                 written(unit.start), written(unit.end), rng.randint(20, 60), founder.name,
                 founder.kind_written, nip_as_written(rng, founder.nip), regon,
                 krs_as_written(rng, founder.krs)]
        line = _csv_line(cells)
        if index == unquoted:  # typed by hand into the export: the comma is not quoted
            line = line.replace(f'"{name}"', name, 1)
        lines.append(line)
    path = out_dir / relative
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes((_csv_line(list(WTZ_HEADER)) + "".join(lines)).encode("cp1250"))
    return SourceOutput(
        files=[relative], rows=len(units),
        source_rows=[SourceRow("wtz_register", relative, n, u.entity_id)
                     for n, u in enumerate(units, start=1)],
        invalid_ids=invalid,
        figures={"wtz_register_rows": len(units), "wtz_register_invalid_founder_regon": 1,
                 "wtz_register_rows_beyond_header": 1})


def _csv_line(cells: list[object]) -> str:
    """One CSV record with `,`, fields quoted only where needed, LF-terminated."""
    text = io.StringIO()
    csv.writer(text, delimiter=",", lineterminator="\n").writerow(cells)
    return text.getvalue()


def write_unit_registers(seed: int, entities: list[Entity], territory: Territory, out_dir: Path,
                         as_of: date, stamp: datetime) -> dict[str, SourceOutput]:
    """Writes the four unit registers; returns their outputs by inbox folder."""
    founded = founders(seed, entities)

    def of(kind: str) -> list[Entity]:
        return [e for e in entities if e.kind == kind]

    outputs = {
        "cis_register": write_cis(seed, of("CIS"), founded, territory, out_dir, as_of),
        "kis_register": write_kis(seed, of("KIS"), founded, territory, out_dir, as_of, stamp),
        "zaz_register": write_zaz(seed, of("ZAZ"), founded, territory, out_dir, as_of, stamp),
        "wtz_register": write_wtz(seed, of("WTZ"), founded, territory, out_dir, as_of),
    }
    for source, output in outputs.items():
        output.figures[f"{source}_rows_to_reject"] = ROWS_TO_REJECT[source]
    return outputs
