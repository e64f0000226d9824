"""OWES quarterly reports: one XLSX per support centre and quarter, 2016 Q1 to the last full one.

Four centres each cover a subregion, a set of powiats read from the reference file
`data/reference/owes_subregions.csv` (a synthetic split, as its SOURCES.md says); a region
that file does not cover (any but 28) gets its powiats split in code order among four centres
named by number, and the refresh then says it knows no subregions. A report lists
the entities supported in the quarter (sheet `Podmioty wsparte`, entities of the catalogue), the
jobs created in the social enterprises it helped create (sheet `Miejsca pracy`: employer, start
date, contract, the person's at-risk group, no names) and headline indicators (sheet
`Wskaźniki`) consistent with those lists: the number of entities supported is the number of
rows, and the social enterprises created are the listed entities that obtained the status in the
quarter (from the PS register), so the sources agree as real ones do. Two kinds of mess: reports
up to 2018 are in the earlier template (docs/owes_template.md: the at-risk group column is
`Grupa docelowa` and a sheet `Osoby wsparte` splits the persons by sex), and a few reports
list one job fewer than their headline declares (`owes_jobs_headline_mismatches`).
"""

import csv
import random
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path

from openpyxl import Workbook

from sample_data.draw import part_rng, random_date, weighted_sample
from sample_data.entities import Entity
from sample_data.social_enterprises import Status
from sample_data.spelling import krs_as_written, name_as_written, nip_as_written
from sample_data.territory import Territory
from sample_data.truth import SourceOutput, SourceRow
from sample_data.xlsx import save_stamped, set_date_format

FOLDER = "owes"
SOURCE = "owes"
HEADLINE_SHEET = "Wskaźniki"
DETAIL_SHEET = "Podmioty wsparte"
JOBS_SHEET = "Miejsca pracy"
PERSONS_SHEET = "Osoby wsparte"
HEADLINE_HEADER = ("Lp.", "Nazwa wskaźnika", "Wartość w okresie")
DETAIL_HEADER = ("Lp.", "Nazwa podmiotu", "Numer KRS", "NIP", "Data wsparcia")
JOBS_HEADER = ("Lp.", "Nazwa przedsiębiorstwa społecznego", "Numer KRS", "NIP",
               "Data zatrudnienia", "Rodzaj umowy", "Grupa zagrożona wykluczeniem")
#: The template until 2018: the same jobs columns but the group was "Grupa docelowa".
EARLIER_JOBS_HEADER = (*JOBS_HEADER[:-1], "Grupa docelowa")
EARLIER_TEMPLATE_LAST_YEAR = 2018
PERSONS_HEADER = ("Płeć", "Liczba osób")
SUPPORTED = "Liczba podmiotów ekonomii społecznej objętych wsparciem"
CREATED = "Liczba utworzonych przedsiębiorstw społecznych"
JOBS = "Liczba miejsc pracy utworzonych w przedsiębiorstwach społecznych"
PERSONS = "Liczba osób objętych wsparciem"
FIRST_YEAR = 2016


SUBREGIONS_CSV = Path(__file__).resolve().parents[1] / "data" / "reference" / \
    "owes_subregions.csv"
#: Contracts of the jobs created and how often each is drawn (cooperatives employ members on a
#: cooperative employment contract).
CONTRACTS = {"spółdzielcza umowa o pracę": 5, "umowa o pracę": 4, "umowa cywilnoprawna": 1}
AT_RISK_GROUPS = {"osoba bezrobotna": 10, "osoba z niepełnosprawnością": 5,
                  "osoba korzystająca z pomocy społecznej": 3, "osoba bezdomna": 1,
                  "osoba uzależniona": 1, "osoba opuszczająca zakład karny": 1,
                  "inna osoba zagrożona wykluczeniem społecznym": 2}
#: Share of reports with jobs whose list misses one job the headline counts.
JOB_LEFT_OUT_SHARE = 0.05


@dataclass(frozen=True)
class Centre:
    """An OWES and the powiats (TERC codes) of its subregion."""

    code: str
    name: str
    powiats: tuple[str, ...]


#: Centres of a region the subregions file does not cover.
CENTRES_OF_AN_UNKNOWN_SPLIT = 4


def _read_centres(path: Path, powiats: set[str]) -> tuple[Centre, ...]:
    with path.open(encoding="utf-8", newline="") as handle:
        rows = [row for row in csv.DictReader(handle) if row["powiat_code"] in powiats]
    codes = list(dict.fromkeys(row["centre_code"] for row in rows))
    return tuple(Centre(code, next(r["centre_name"] for r in rows if r["centre_code"] == code),
                        tuple(r["powiat_code"] for r in rows if r["centre_code"] == code))
                 for code in codes)


def centres(territory: Territory) -> tuple[Centre, ...]:
    """The region's centres: from the subregions file, else its powiats in code order split
    into CENTRES_OF_AN_UNKNOWN_SPLIT runs of (nearly) equal length."""
    found = _read_centres(SUBREGIONS_CSV, {p.code for p in territory.powiats})
    if found:
        return found
    codes = sorted(p.code for p in territory.powiats)
    count = min(CENTRES_OF_AN_UNKNOWN_SPLIT, len(codes))
    return tuple(Centre(f"OWES-{n + 1}", f"OWES nr {n + 1}",
                        tuple(codes[n * len(codes) // count:(n + 1) * len(codes) // count]))
                 for n in range(count))


#: Entities supported per centre and quarter besides the new social enterprises.
SUPPORTED_RANGE = (6, 16)
#: How likely each type is to be supported: OWES work mostly with social cooperatives.
KIND_WEIGHT = {"spółdzielnia socjalna": 6.0, "stowarzyszenie": 1.0, "fundacja": 1.5, "CIS": 0.5,
               "KIS": 0.5, "ZAZ": 0.5, "WTZ": 0.5}


def centre_of(entity: Entity, region_centres: tuple[Centre, ...]) -> Centre:
    """The centre whose subregion holds the entity's seat."""
    for centre in region_centres:
        if entity.gmina.powiat.code in centre.powiats:
            return centre
    raise ValueError(f"powiat {entity.gmina.powiat.code} belongs to no OWES subregion "
                     f"({SUBREGIONS_CSV.name})")


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
                  detail: list[tuple[str, str, str, date]], jobs: list[tuple],
                  persons_by_sex: tuple[int, int] | None, path: Path, stamp: datetime) -> None:
    """One report; `persons_by_sex` given means the earlier template (its extra sheet)."""
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
    created_jobs = workbook.create_sheet(JOBS_SHEET)
    created_jobs.append(JOBS_HEADER if persons_by_sex is None else EARLIER_JOBS_HEADER)
    for number, cells in enumerate(jobs, start=1):
        created_jobs.append([number, *cells])
    set_date_format(row[0] for row in created_jobs.iter_rows(min_row=2, min_col=5, max_col=5))
    if persons_by_sex is not None:
        persons = workbook.create_sheet(PERSONS_SHEET)
        persons.append(PERSONS_HEADER)
        persons.append(["K", persons_by_sex[0]])
        persons.append(["M", persons_by_sex[1]])
    save_stamped(workbook, path, stamp)


def _jobs(rng: random.Random, created: list[Entity], per_created: list[int],
          granted: dict[str, date], last: date) -> list[tuple]:
    """The jobs each new social enterprise created, from its status day to the quarter's end."""
    rows = []
    for entity, count in zip(created, per_created, strict=True):
        for _ in range(count):
            rows.append((name_as_written(rng, entity.name, 0.15), krs_as_written(rng, entity.krs),
                         nip_as_written(rng, entity.nip),
                         random_date(rng, granted[entity.entity_id], last),
                         _drawn(rng, CONTRACTS), _drawn(rng, AT_RISK_GROUPS)))
    return sorted(rows, key=lambda row: (row[3], row[0]))


def _drawn(rng: random.Random, weights: dict[str, int]) -> str:
    return rng.choices(list(weights), list(weights.values()))[0]


def write_reports(seed: int, entities: list[Entity], statuses: list[Status],
                  region_centres: tuple[Centre, ...], out_dir: Path, as_of: date,
                  stamp: datetime) -> SourceOutput:
    """Writes `owes/owes_<code>_<YYYY>Q<q>.xlsx` for every centre and full quarter."""
    rng = part_rng(seed, "owes")
    jobs_rng = part_rng(seed, "owes_jobs")  # its own stream: the other sheets stay as they were
    members = {c.code: [e for e in entities if centre_of(e, region_centres) is c]
               for c in region_centres}
    granted = {s.entity.entity_id: s.granted for s in statuses}
    output = SourceOutput()
    created_total = jobs_total = earlier_template = 0
    mismatches = []
    for label, first, last in quarters(as_of):
        for centre in region_centres:
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
            per_created = [rng.randint(1, 4) for _ in created]
            headline = [
                len(supported),
                len(created),
                sum(per_created),
                sum(rng.randint(1, 4) for _ in supported) + rng.randint(0, 25),
            ]
            jobs = _jobs(jobs_rng, created, per_created, granted, last)
            relative = f"{FOLDER}/owes_{centre.code}_{label}.xlsx"
            if jobs and jobs_rng.random() < JOB_LEFT_OUT_SHARE:
                jobs = jobs[:-1]
                mismatches.append(relative)
            persons_by_sex = None
            if first.year <= EARLIER_TEMPLATE_LAST_YEAR:
                women = jobs_rng.randint(0, headline[3])
                persons_by_sex = (women, headline[3] - women)
                earlier_template += 1
            _write_report(centre, label, headline, detail, jobs, persons_by_sex,
                          out_dir / relative, stamp)
            jobs_total += len(jobs)
            output.files.append(relative)
            output.rows += len(supported)
            output.source_rows += [SourceRow(SOURCE, relative, n, e.entity_id)
                                   for n, (e, _) in enumerate(supported, start=1)]
            created_total += len(created)
    output.figures = {"owes_reports": len(output.files), "owes_supported_rows": output.rows,
                      "owes_social_enterprises_created": created_total,
                      "owes_reports_earlier_template": earlier_template,
                      "owes_job_rows": jobs_total,
                      "owes_jobs_headline_mismatches": mismatches}
    return output
