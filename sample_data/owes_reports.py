"""OWES quarterly reports: one XLSX per support centre and quarter, 2016 Q1 to the last full one.

Four centres each cover a subregion (a set of powiats; the split is synthetic). A report lists
the entities supported in the quarter (sheet `Podmioty wsparte`, entities of the catalogue) and
headline indicators (sheet `Wskaźniki`) consistent with that list: the number of entities
supported is the number of rows, and the social enterprises created are the listed entities that
obtained the status in the quarter (from the PS register), so the sources agree as real ones do.
"""

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path

from openpyxl import Workbook

from sample_data.draw import part_rng, random_date, weighted_sample
from sample_data.entities import Entity
from sample_data.social_enterprises import Status
from sample_data.spelling import krs_as_written, name_as_written, nip_as_written
from sample_data.truth import SourceOutput, SourceRow
from sample_data.xlsx import save_stamped, set_date_format

FOLDER = "owes"
SOURCE = "owes"
HEADLINE_SHEET = "Wskaźniki"
DETAIL_SHEET = "Podmioty wsparte"
HEADLINE_HEADER = ("Lp.", "Nazwa wskaźnika", "Wartość w okresie")
DETAIL_HEADER = ("Lp.", "Nazwa podmiotu", "Numer KRS", "NIP", "Data wsparcia")
SUPPORTED = "Liczba podmiotów ekonomii społecznej objętych wsparciem"
CREATED = "Liczba utworzonych przedsiębiorstw społecznych"
JOBS = "Liczba miejsc pracy utworzonych w przedsiębiorstwach społecznych"
PERSONS = "Liczba osób objętych wsparciem"
FIRST_YEAR = 2016


@dataclass(frozen=True)
class Centre:
    """An OWES and the powiats (TERC names) of its subregion."""

    code: str
    name: str
    powiats: tuple[str, ...]


CENTRES = (
    Centre("OWES-1", "OWES Subregionu Elbląskiego",
           ("Elbląg", "elbląski", "braniewski", "iławski", "ostródzki", "nowomiejski")),
    Centre("OWES-2", "OWES Subregionu Olsztyńskiego",
           ("Olsztyn", "olsztyński", "lidzbarski", "bartoszycki", "kętrzyński")),
    Centre("OWES-3", "OWES Subregionu Ełckiego",
           ("ełcki", "giżycki", "gołdapski", "olecki", "piski", "węgorzewski", "mrągowski")),
    Centre("OWES-4", "OWES Subregionu Południowego", ("działdowski", "nidzicki", "szczycieński")),
)

#: Entities supported per centre and quarter besides the new social enterprises.
SUPPORTED_RANGE = (6, 16)
#: How likely each type is to be supported: OWES work mostly with social cooperatives.
KIND_WEIGHT = {"spółdzielnia socjalna": 6.0, "stowarzyszenie": 1.0, "fundacja": 1.5, "CIS": 0.5,
               "KIS": 0.5, "ZAZ": 0.5, "WTZ": 0.5}


def centre_of(entity: Entity) -> Centre:
    """The centre whose subregion holds the entity's seat."""
    for centre in CENTRES:
        if entity.gmina.powiat.name in centre.powiats:
            return centre
    raise ValueError(f"powiat {entity.gmina.powiat.name!r} belongs to no OWES subregion")


def quarters(as_of: date) -> list[tuple[str, date, date]]:
    """(`YYYYQq`, first day, last day) of every full quarter from 2016 Q1 up to as_of."""
    found = []
    for year in range(FIRST_YEAR, as_of.year + 1):
        for quarter in range(1, 5):
            first = date(year, 3 * quarter - 2, 1)
            following = date(year + quarter // 4, 3 * quarter % 12 + 1, 1)
            last = following - timedelta(days=1)
            if last <= as_of:
                found.append((f"{year}Q{quarter}", first, last))
    return found


def _write_report(centre: Centre, label: str, headline: list[int],
                  detail: list[tuple[str, str, str, date]], path: Path, stamp: datetime) -> None:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = HEADLINE_SHEET
    for row, (caption, value) in enumerate(
            (("Nazwa OWES", centre.name), ("Kod OWES", centre.code),
             ("Okres", label.replace("Q", "-Q"))), start=1):
        sheet.cell(row=row, column=1, value=caption)
        sheet.cell(row=row, column=2, value=value)
    for column, caption in enumerate(HEADLINE_HEADER, start=1):
        sheet.cell(row=5, column=column, value=caption)
    for number, (caption, value) in enumerate(
            zip((SUPPORTED, CREATED, JOBS, PERSONS), headline, strict=True), start=1):
        sheet.append([number, caption, value])
    supported = workbook.create_sheet(DETAIL_SHEET)
    supported.append(DETAIL_HEADER)
    for number, cells in enumerate(detail, start=1):
        supported.append([number, *cells])
    set_date_format(row[0] for row in supported.iter_rows(min_row=2, min_col=5, max_col=5))
    save_stamped(workbook, path, stamp)


def write_reports(seed: int, entities: list[Entity], statuses: list[Status], out_dir: Path,
                  as_of: date, stamp: datetime) -> SourceOutput:
    """Writes `owes/owes_<code>_<YYYY>Q<q>.xlsx` for every centre and full quarter."""
    rng = part_rng(seed, "owes")
    members = {c.code: [e for e in entities if centre_of(e) is c] for c in CENTRES}
    granted = {s.entity.entity_id: s.granted for s in statuses}
    output = SourceOutput()
    created_total = 0
    for label, first, last in quarters(as_of):
        for centre in CENTRES:
            created = [e for e in members[centre.code]
                       if e.entity_id in granted and first <= granted[e.entity_id] <= last]
            created_ids = {e.entity_id for e in created}
            pool = [e for e in members[centre.code]
                    if e.start <= last and (e.end is None or e.end > first)
                    and e.entity_id not in created_ids]
            chosen = weighted_sample(rng, pool, [KIND_WEIGHT[e.kind] for e in pool],
                                     rng.randint(*SUPPORTED_RANGE))
            supported = [(e, random_date(rng, max(first, e.start), granted[e.entity_id]))
                         for e in created]
            supported += [(e, random_date(rng, max(first, e.start),
                                          min(last, (e.end or last + timedelta(days=1))
                                              - timedelta(days=1))))
                          for e in chosen]
            supported.sort(key=lambda pair: (pair[1], pair[0].entity_id))
            detail = [(name_as_written(rng, e.name, 0.15), krs_as_written(rng, e.krs),
                       nip_as_written(rng, e.nip), day) for e, day in supported]
            headline = [
                len(supported),
                len(created),
                sum(rng.randint(1, 4) for _ in created),
                sum(rng.randint(1, 4) for _ in supported) + rng.randint(0, 25),
            ]
            relative = f"{FOLDER}/owes_{centre.code}_{label}.xlsx"
            _write_report(centre, label, headline, detail, out_dir / relative, stamp)
            output.files.append(relative)
            output.rows += len(supported)
            output.source_rows += [SourceRow(SOURCE, relative, n, e.entity_id)
                                   for n, (e, _) in enumerate(supported, start=1)]
            created_total += len(created)
    output.figures = {"owes_reports": len(output.files), "owes_supported_rows": output.rows,
                      "owes_social_enterprises_created": created_total}
    return output
