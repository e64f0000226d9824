"""The National Register of Rural Housewives' Circles (KGW, kept by ARiMR): the region's circles
drawn on their own stream, and the register's extract as an office saves it (docs/inputs.md,
`kgw_register/`):

- `kgw_register/rejestr_kgw_<as_of>.xlsx`, sheet `Rejestr KGW`: a title and `Stan na` merged
  across the columns, an empty row, the header on row 4, data from row 5; names written with
  `KGW` for `Koło Gospodyń Wiejskich` or without Polish letters; REGON and NIP empty for a
  circle entered lately, the NIP with dashes or `PL`; dates as date cells, Excel serials or
  text; the powiat and gmina as the other registers write them; struck-off circles kept with
  their strike-off date, circles in liquidation, and one row repeated exactly.

Every row is readable and its places resolve: a reader rejects none.
"""

import random
from datetime import date, datetime, timedelta
from pathlib import Path

from sample_data import names
from sample_data.draw import part_rng, random_date
from sample_data.entities import CLOSED_COUNTS, TYPE_COUNTS, Entity
from sample_data.identifiers import new_nip, new_regon9
from sample_data.spelling import (
    ascii_fold,
    gmina_as_written,
    nip_as_written,
    powiat_as_written,
)
from sample_data.territory import Gmina, Territory
from sample_data.truth import SourceOutput, one_file_output
from sample_data.unit_registers import typed_date
from sample_data.xlsx import save_stamped, set_date_format, titled_sheet

KIND = "KGW"
SHEET = "Rejestr KGW"
TITLE = "Krajowy Rejestr Kół Gospodyń Wiejskich – {region}"
HEADER_ROW = 4
#: The columns of docs/inputs.md (`kgw_register/`), in its order.
HEADER = (
    "Lp.", "Numer koła w Rejestrze", "Pełna nazwa koła", "REGON", "NIP", "Województwo", "Powiat",
    "Gmina", "Miejscowość", "Adres", "Data wpisu do rejestru", "Data wykreślenia z rejestru",
    "Status koła", "Teren działalności koła", "Osoby uprawnione do reprezentacji koła",
)
FULL_NAME = "Koło Gospodyń Wiejskich"
#: The register opened when the Act of 9 November 2018 came into force (29 November 2018).
REGISTER_OPENED = date(2018, 11, 29)
#: A circle entered this many days before the extract has no REGON or NIP yet.
WITHOUT_IDS_DAYS = 60
#: Circles still in the register but in liquidation (counted as active until struck off).
IN_LIQUIDATION = 3
STATUS_ACTIVE = ("aktywne", "Aktywne", "wpisane")
#: Share of names written `KGW …` and of names typed without Polish letters.
ABBREVIATED_SHARE = 0.25
FOLDED_SHARE = 0.1


def _rural_gmina(rng: random.Random, territory: Territory) -> Gmina:
    """A rural or urban-rural gmina (a circle works in a village), drawn as entities are."""
    for _ in range(100):
        gmina = territory.draw_gmina(rng)
        if gmina.kind != 1:
            return gmina
    return gmina


def build_circles(seed: int, territory: Territory, as_of: date,
                  population: list[Entity]) -> list[Entity]:
    """The region's circles (ids after the population's), entered from the register's opening
    to `as_of`; a fixed number struck off a year or more after their entry. Drawn on a stream
    of their own, so the rest of the sample stays as it was without them."""
    rng = part_rng(seed, "kgw_register/circles")
    nips = {e.nip for e in population if e.nip}
    regons = {e.regon[:9] for e in population}
    used: set[str] = set()
    circles = []
    for number in range(len(population) + 1, len(population) + TYPE_COUNTS[KIND] + 1):
        gmina = _rural_gmina(rng, territory)
        # most circles were entered in the first two years, then a steady trickle
        last = min(as_of, date(2020, 12, 31)) if rng.random() < 0.6 else as_of
        entered = random_date(rng, REGISTER_OPENED, last)
        name = next(n for n in (f"{FULL_NAME} „{rng.choice(names.WORDS)}” w Gminie {gmina.name}"
                                for _ in range(200)) if n not in used)
        used.add(name)
        new = entered > as_of - timedelta(days=WITHOUT_IDS_DAYS)
        circles.append(Entity(
            entity_id=f"PES-{number:05d}", kind=KIND, name=name, gmina=gmina, start=entered,
            regon="" if new else new_regon9(rng, regons), nip=None if new else new_nip(rng, nips)))
    eligible = [c for c in circles if c.start <= as_of - timedelta(days=400)]
    for circle in rng.sample(eligible, CLOSED_COUNTS[KIND]):
        circle.end = random_date(rng, circle.start + timedelta(days=365),
                                 as_of - timedelta(days=1))
    return circles


def _name_as_written(rng: random.Random, name: str) -> str:
    draw = rng.random()
    if draw < ABBREVIATED_SHARE:
        return name.replace(FULL_NAME, "KGW")
    if draw < ABBREVIATED_SHARE + FOLDED_SHARE:
        return ascii_fold(name)
    return name


def write_kgw_register(seed: int, circles: list[Entity], territory: Territory, out_dir: Path,
                       as_of: date, stamp: datetime) -> SourceOutput:
    """Writes the register's extract of the region; returns its output (rows in file order)."""
    rng = part_rng(seed, "kgw_register/file")
    active = [c for c in circles if c.end is None]
    liquidating = {c.entity_id for c in rng.sample(active, IN_LIQUIDATION)}
    rows = []
    for register_number, circle in enumerate(sorted(circles, key=lambda c: c.start),
                                             start=rng.randint(1000, 1500)):
        powiat = circle.gmina.powiat
        if circle.end is not None:
            status = rng.choice(("wykreślone", "Wykreślone z rejestru"))
        elif circle.entity_id in liquidating:
            status = "w likwidacji"
        else:
            status = rng.choice(STATUS_ACTIVE)
        rows.append((circle, [
            str(register_number), _name_as_written(rng, circle.name), circle.regon or None,
            nip_as_written(rng, circle.nip) or None, territory.name.lower(),
            powiat_as_written(rng, powiat.name, powiat.is_city),
            gmina_as_written(rng, circle.gmina, territory, beside_powiat=True), circle.town,
            f"{circle.town} {rng.randint(1, 120)}" if rng.random() < 0.7 else None,
            typed_date(rng, circle.start), typed_date(rng, circle.end), status, circle.town, None,
        ]))
    repeated = rng.choice(rows)
    rows.insert(rng.randrange(len(rows) + 1), (repeated[0], list(repeated[1])))

    workbook, sheet = titled_sheet(SHEET, TITLE.format(region=territory.name_pl), as_of,
                                   len(HEADER))
    for column, title in enumerate(HEADER, start=1):
        sheet.cell(row=HEADER_ROW, column=column, value=title)
    for number, (_, cells) in enumerate(rows, start=1):
        for column, value in enumerate([number, *cells], start=1):
            sheet.cell(row=HEADER_ROW + number, column=column, value=value)
    set_date_format(c for row in sheet.iter_rows(min_row=HEADER_ROW + 1, min_col=11, max_col=12)
                    for c in row if isinstance(c.value, date))
    relative = f"kgw_register/rejestr_kgw_{as_of.isoformat()}.xlsx"
    save_stamped(workbook, out_dir / relative, stamp)
    return one_file_output("kgw_register", relative, [circle for circle, _ in rows], {
        "kgw_register_rows": len(rows), "kgw_register_exact_duplicate_rows": 1,
        "kgw_register_in_liquidation": IN_LIQUIDATION,
        "kgw_register_without_ids": sum(1 for c in circles if not c.regon)})
