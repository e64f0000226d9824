"""A country's worth of sample inboxes, one per voivodeship, for the scale benchmarks.

`python -m sample_data.national OUT --regions 02,04,...` writes, for each voivodeship, the inbox
its analysts would deliver (`OUT/<code>/`, exactly what `python -m sample_data OUT/<code>
--region <code>` writes, but with `--scale` times the entities), and the KRS's daily bulletins
of the year before the as-of date (`OUT/krs_bulletins/<YYYY-MM-DD>.json`). Each region is
drawn from its own seed (`seed * 100 + code`), so a region's inbox is the same whichever other
regions are written with it, and the regions may be written in parallel (`--jobs`).

At the default scale, 1.96, a region holds about 6 240 entities and 6 080 KRS extracts, so the
16 voivodeships hold about 100 000 PES and 97 000 extracts; OWES: 4 centres per region (64 in
the country) reporting quarterly from 2016 Q1 (43 quarters to 2026 Q3). Below a scale of 0.6 a
region has too few social cooperatives for the register of social enterprises' fixed 55 grants.

A bulletin is a JSON array of the KRS numbers, without their leading zeros, that had an entry
on that day, written compact as the API's `Biuletyn` answers (the real one in
data/reference/krs/biuletyn-godzinowy-*.json). Here a number is listed on the day of its
extract's last entry (`stanZDnia`), the only one of its entries a current extract dates. KRS
numbers are drawn per region, so two regions may hold the same number (each region's refresh
reads its own inbox).

`next_month` turns a region's inbox into the next month's delivery: a new catalogue version
and re-downloaded extracts for a share of the entities, whose numbers and days it returns for
that month's bulletins (`write_bulletins`).
"""

import argparse
import csv
import json
import random
import re
import sys
import time
from concurrent.futures import ProcessPoolExecutor
from datetime import date, timedelta
from pathlib import Path

from sample_data import DEFAULT_TERYT_CSV, generate_sample
from sample_data.catalogue import FOLDER as CATALOGUE_FOLDER
from sample_data.catalogue import HEADER as CATALOGUE_HEADER
from sample_data.draw import part_rng, random_date
from sample_data.krs_extracts import CASE_PREFIX
from sample_data.krs_extracts import FOLDER as KRS_FOLDER

VOIVODESHIPS = ("02", "04", "06", "08", "10", "12", "14", "16", "18", "20", "22", "24", "26",
                "28", "30", "32")
#: Entities of a region at scale 1 are 3 185 (sample_data/entities.py): 1.96 gives the country
#: about 100 000.
NATIONAL_SCALE = 1.96
MIN_SCALE = 0.6
BULLETIN_FOLDER = "krs_bulletins"
BULLETIN_DAYS = 365
AS_OF = date(2026, 10, 31)
#: The header fields of an extract the bulletin needs, found in its first bytes (indent 1).
HEADER_BYTES = 1200
NUMBER = re.compile(rb'"numerKRS": "(\d{10})"')
STATE_DAY = re.compile(rb'"stanZDnia": "(\d\d)\.(\d\d)\.(\d{4})"')
#: What a renamed entity's name gets in the next month: it went into liquidation.
LIQUIDATION = " w likwidacji"


def region_seed(seed: int, region: str) -> int:
    """The seed of one region's inbox: distinct per region, the same in any set of regions."""
    return seed * 100 + int(region)


def _write_region(out_dir: Path, region: str, seed: int, scale: float,
                  as_of: date) -> dict[str, int]:
    return generate_sample(out_dir / region, DEFAULT_TERYT_CSV, seed=region_seed(seed, region),
                           as_of=as_of, region=region, scale=scale)


def extract_days(krs_folder: Path) -> dict[str, date]:
    """The day of each extract's last entry (`stanZDnia`), by KRS number, read from the first
    bytes of each file (a whole parse of 100 000 extracts would cost seconds)."""
    days = {}
    for path in sorted(krs_folder.glob("*.json")):
        with path.open("rb") as handle:
            head = handle.read(HEADER_BYTES)
        number, day = NUMBER.search(head), STATE_DAY.search(head)
        if number is None or day is None:
            raise ValueError(f"{path}: no numerKRS or stanZDnia in its header")
        dd, mm, yyyy = (int(g) for g in day.groups())
        days[number.group(1).decode()] = date(yyyy, mm, dd)
    return days


def write_bulletins(out_dir: Path, numbers_by_day: dict[date, set[str]], first: date,
                    last: date) -> None:
    """Writes one bulletin per day from `first` to `last` into `out_dir/krs_bulletins/` (an
    empty list on a day without entries, as the API answers)."""
    folder = out_dir / BULLETIN_FOLDER
    folder.mkdir(parents=True, exist_ok=True)
    day = first
    while day <= last:
        numbers = sorted({n.lstrip("0") for n in numbers_by_day.get(day, ())}, key=int)
        body = json.dumps(numbers, separators=(",", ":"))
        (folder / f"{day.isoformat()}.json").write_text(body, encoding="utf-8")
        day += timedelta(days=1)


def write_national(out_dir: Path, regions: list[str], *, seed: int = 28,
                   scale: float = NATIONAL_SCALE, as_of: date = AS_OF,
                   jobs: int = 1) -> dict[str, dict[str, int]]:
    """Writes the inbox of each region under `out_dir/<code>/` and the bulletins of the year
    up to `as_of`; returns each region's files and rows per source (as `generate_sample`)."""
    unknown = sorted(set(regions) - set(VOIVODESHIPS))
    if unknown:
        raise ValueError(f"not a voivodeship's TERYT code: {', '.join(unknown)}")
    if scale < MIN_SCALE:
        raise ValueError(f"scale {scale} is below {MIN_SCALE}: too few social cooperatives")
    out_dir = Path(out_dir)
    with ProcessPoolExecutor(max_workers=jobs) as pool:
        futures = {r: pool.submit(_write_region, out_dir, r, seed, scale, as_of) for r in regions}
        counts = {r: f.result() for r, f in futures.items()}
    first = as_of - timedelta(days=BULLETIN_DAYS - 1)
    by_day: dict[date, set[str]] = {}
    for region in regions:
        for number, day in extract_days(out_dir / region / KRS_FOLDER).items():
            if first <= day <= as_of:
                by_day.setdefault(day, set()).add(number)
    write_bulletins(out_dir, by_day, first, as_of)
    return counts


def _newest_catalogue(inbox: Path) -> Path:
    return sorted((inbox / CATALOGUE_FOLDER).glob("katalog_pes_*.csv"))[-1]


def _renamed_extract(body: dict, name: str, day: date, rng: random.Random) -> dict:
    """A current extract after one more entry made on `day`: the entity's new name."""
    header = body["odpis"]["naglowekA"]
    written = day.strftime("%d.%m.%Y")
    header["numerOstatniegoWpisu"] += 1
    header["stanZDnia"] = header["dataOstatniegoWpisu"] = written
    header["sygnaturaAktSprawyDotyczacejOstatniegoWpisu"] = (
        f"{CASE_PREFIX}/{rng.randint(1000, 29999)}/{day.year % 100:02d}/{rng.randint(1, 999)}")
    header["dataCzasOdpisu"] = f"{written} 03:00:00"
    body["odpis"]["dane"]["dzial1"]["danePodmiotu"]["nazwa"] = name.upper()
    return body


def next_month(inbox: Path, seed: int, share: float, month_end: date) -> dict[str, date]:
    """Makes `inbox` the delivery of the month ending `month_end`: `share` of the entities with
    a current extract went into liquidation (renamed) on a day of that month; their extracts are
    re-downloaded (overwritten: one more entry in the header, the new name) and a new catalogue
    version `katalog_pes_<month_end>.csv` carries the new names. Returns the changed numbers
    and the day of each one's entry, what that month's bulletins list (`write_bulletins`)."""
    rng = part_rng(seed, f"next-month/{inbox.name}/{month_end.isoformat()}")
    current = sorted((inbox / KRS_FOLDER).glob("odpis_aktualny_*.json"))
    changed = rng.sample(current, round(share * len(current)))
    month_start = month_end.replace(day=1)
    new_names: dict[str, str] = {}
    entered: dict[str, date] = {}
    for path in changed:
        body = json.loads(path.read_text(encoding="utf-8"))
        number = body["odpis"]["naglowekA"]["numerKRS"]
        day = random_date(rng, month_start, month_end)
        dane = body["odpis"]["dane"]["dzial1"]["danePodmiotu"]
        new_names[number], entered[number] = dane["nazwa"] + LIQUIDATION.upper(), day
        body = _renamed_extract(body, new_names[number], day, rng)
        path.write_text(json.dumps(body, ensure_ascii=False, indent=1), encoding="utf-8")
    previous = _newest_catalogue(inbox)
    with previous.open(encoding="cp1250", newline="") as handle:
        rows = list(csv.reader(handle, delimiter=";"))
    name_at, krs_at = CATALOGUE_HEADER.index("Nazwa podmiotu"), CATALOGUE_HEADER.index("Numer KRS")
    for row in rows[1:]:
        number = row[krs_at].strip().zfill(10) if row[krs_at].strip().isdigit() else ""
        if number in new_names:
            row[name_at] = row[name_at].rstrip() + LIQUIDATION
    target = inbox / CATALOGUE_FOLDER / f"katalog_pes_{month_end.isoformat()}.csv"
    with target.open("w", encoding="cp1250", newline="") as handle:
        csv.writer(handle, delimiter=";", lineterminator="\r\n").writerows(rows)
    return dict(sorted(entered.items()))


def main(argv: list[str] | None = None) -> int:
    """Parses the command line, writes the regions' inboxes and bulletins, prints the counts."""
    parser = argparse.ArgumentParser(
        prog="python -m sample_data.national",
        description="Writes one synthetic inbox per voivodeship and a year of KRS bulletins.")
    parser.add_argument("out_dir", type=Path, help="folder to write, e.g. var/national")
    parser.add_argument("--regions", default=",".join(VOIVODESHIPS),
                        help="TERYT codes, comma-separated (default: all 16)")
    parser.add_argument("--scale", type=float, default=NATIONAL_SCALE,
                        help=f"entities per region against the bundled sample's 3 185 "
                             f"(default {NATIONAL_SCALE}; at least {MIN_SCALE})")
    parser.add_argument("--seed", type=int, default=28, help="random seed (default 28)")
    parser.add_argument("--jobs", type=int, default=2, help="regions written at once (default 2)")
    args = parser.parse_args(argv)
    started = time.perf_counter()
    try:
        counts = write_national(args.out_dir, args.regions.split(","), seed=args.seed,
                                scale=args.scale, jobs=args.jobs)
    except ValueError as problem:
        parser.error(str(problem))
    for region, region_counts in counts.items():
        print(f"{region}: {region_counts['pes_catalogue_rows']} catalogue rows, "
              f"{region_counts['krs_files']} KRS extracts, {region_counts['owes_files']} OWES "
              f"reports")
    print(f"written to {args.out_dir} in {time.perf_counter() - started:.1f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
