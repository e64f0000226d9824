"""Entity resolution at national scale: time and peak memory, beside plain DuckDB joins.

    python bench/entity_resolution_scale.py [--organisations 100000] [--repeats 3] [--seed 21]

`--organisations` organisations are drawn (seeded) as the registers write them: five in six
legal entities (associations, foundations, cooperatives), one in six units (CIS, KIS, ZAZ, WTZ)
naming a legal entity as founder. Each appears in one to three sources: a legal entity in the
KRS extracts when it has a KRS number, the PES catalogue, the OWES reports; a unit in its
register and the catalogue. The rows carry what real ones do (entity_record's columns): a KRS
number for most associations and foundations, a NIP and REGON for most (1 in 100 typed wrong,
1 in 10 REGONs as 14 digits), a name that many share (`OCHOTNICZA STRAZ POZARNA` in many
gminas), a powiat and a gmina (1 in 10 rows without the gmina).

On those records, each way is timed `--repeats` times, taking turns (median, min and max):

- resolution, first run: what the `core.entity_*` assets do in Python
  (assets/entities/assets.resolved_links: the keys, the clusters with their rules and
  conflicts, the stable ids and the registry) into a fresh warehouse;
- resolution, next run: the same into a warehouse whose registry holds the ids of a run on
  the same records, as every monthly refresh after the first (each old id is kept);
- DuckDB joins (baseline): the candidate pairs of the same keys (KRS, NIP, 9-digit REGON, name
  and gmina) as plain self-joins, counted: what any resolution must at least read.

Peak memory is the Python heap's peak during one more, untimed run of each way (tracemalloc
slows Python down), without DuckDB's own.

Nothing here is a test: it prints figures for a person to read.
"""

from __future__ import annotations

import argparse
import gc
import os
import platform
import random
import shutil
import statistics
import tempfile
import time
import tracemalloc
from collections import defaultdict
from collections.abc import Callable
from pathlib import Path

import duckdb
import pandas as pd

from assets.entities.assets import ensure_registry, resolved_links

COMMON_NAMES = ("OCHOTNICZA STRAZ POZARNA", "KOLO GOSPODYN WIEJSKICH", "UCZNIOWSKI KLUB SPORTOWY",
                "STOWARZYSZENIE RODZICOW", "PARAFIALNY ZESPOL CARITAS")
UNIT_TYPES = ("CIS", "KIS", "ZAZ", "WTZ")
LEGAL_SOURCES = ("pes_catalogue", "owes_report")
COLUMNS = ["record_id", "source", "source_file", "source_line", "kind", "krs", "nip",
           "regon_key", "name_key", "powiat_code", "gmina_code", "founder_krs", "founder_nip",
           "founder_regon", "place_written"]


def digits(draw: random.Random, count: int) -> str:
    return "".join(draw.choice("0123456789") for _ in range(count))


def organisation_records(organisations: int, seed: int) -> pd.DataFrame:
    """The rows of entity_record for `organisations` drawn organisations (see the module)."""
    draw = random.Random(seed)
    powiats = [f"{v:02d}{p:02d}" for v in range(2, 33, 2) for p in range(1, 26)]
    lines: dict[str, int] = {}
    rows = []
    legal: list[tuple[str | None, str, str]] = []

    def add(source: str, kind: str, **values: object) -> None:
        line = lines[source] = lines.get(source, 1) + 1
        file = f"{source}.xlsx"
        rows.append({"record_id": f"{source}:{file}:{line}", "source": source,
                     "source_file": file, "source_line": line, "kind": kind, **values})

    for number in range(organisations):
        powiat = draw.choice(powiats)
        gmina = f"{powiat}{draw.randint(1, 12):02d}{draw.choice('123')}"
        is_unit = number % 6 == 5 and legal
        name = (draw.choice(COMMON_NAMES) if draw.random() < 0.2
                else f"ORGANIZACJA {number} {digits(draw, 4)}")
        nip = digits(draw, 10) if draw.random() < 0.9 else None
        regon = digits(draw, 9) if draw.random() < 0.9 else None
        if is_unit:
            founder_krs, founder_nip, _ = draw.choice(legal)
            sources = ["unit_register", "pes_catalogue"][:draw.randint(1, 2)]
            regon14 = regon + digits(draw, 5) if regon else None
            for source in sources:
                add(source, "unit", krs=None, nip=None, regon_key=regon14,
                    name_key=f"{draw.choice(UNIT_TYPES)} {name}", powiat_code=powiat,
                    gmina_code=gmina if draw.random() < 0.9 else None,
                    founder_krs=founder_krs, founder_nip=founder_nip, founder_regon=None,
                    place_written=f"GMINA {gmina}")
            continue
        krs = f"{number:010d}" if draw.random() < 0.7 else None
        legal.append((krs, nip or digits(draw, 10), regon or digits(draw, 9)))
        sources = (["krs_entity"] if krs else []) + draw.sample(LEGAL_SOURCES,
                                                                draw.randint(1, 2))
        for source in sources:
            typo = draw.random() < 0.01
            add(source, "legal", krs=krs if source == "krs_entity" or draw.random() < 0.8
                else None,
                nip=(digits(draw, 10) if typo else nip) if nip else None,
                regon_key=(regon + "00001" if regon and draw.random() < 0.1 else regon),
                name_key=name, powiat_code=powiat,
                gmina_code=gmina if draw.random() < 0.9 else None,
                founder_krs=None, founder_nip=None, founder_regon=None,
                place_written=f"GMINA {gmina}")
    return pd.DataFrame(rows, columns=COLUMNS)


def resolution(records: pd.DataFrame, database: Path) -> int:
    with duckdb.connect(str(database)) as con:
        ensure_registry(con)
        links, _, _ = resolved_links(con, records, [], "bench")
    return links["entity_id"].nunique()


def next_resolution(first_run: Path) -> Callable[[pd.DataFrame, Path], int]:
    """`resolution` into a copy of the warehouse `first_run` left (made once, untimed)."""
    def way(records: pd.DataFrame, database: Path) -> int:
        shutil.copyfile(first_run, database)
        return resolution(records, database)
    return way


BASELINE = """
with keyed as (
    select record_id, kind, 'krs' as rule, krs as key from records where krs is not null
    union all select record_id, kind, 'nip', nip from records where nip is not null
    union all select record_id, kind, 'regon', left(regon_key, 9) from records
        where regon_key is not null
    union all select record_id, kind, 'name_place', name_key || '|' || gmina_code from records
        where name_key is not null and gmina_code is not null
)
select count(*) from keyed a join keyed b
    on a.rule = b.rule and a.key = b.key and a.kind = b.kind and a.record_id < b.record_id
"""


def duckdb_joins(records: pd.DataFrame, database: Path) -> int:
    with duckdb.connect(str(database)) as con:
        con.register("records", records)
        return con.execute(BASELINE).fetchone()[0]


def ways(first_run: Path) -> list[tuple[str, Callable[[pd.DataFrame, Path], int]]]:
    return [("resolution, first run", resolution),
            ("resolution, next run", next_resolution(first_run)),
            ("DuckDB joins (baseline)", duckdb_joins)]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--organisations", type=int, default=100_000)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--seed", type=int, default=21)
    args = parser.parse_args()
    records = organisation_records(args.organisations, args.seed)
    print(f"{platform.processor() or platform.machine()}, {os.cpu_count()} cores, load "
          f"{os.getloadavg()[0]:.1f}; {args.organisations:,} organisations, {len(records):,} "
          f"records, median of {args.repeats} runs\n")
    times: dict[str, list[float]] = defaultdict(list)
    peaks: dict[str, list[float]] = defaultdict(list)
    results: dict[str, int] = {}
    with tempfile.TemporaryDirectory(prefix="er_bench_") as scratch:
        first_run = Path(scratch) / "first_run.duckdb"
        resolution(records, first_run)
        for run in range(args.repeats + 1):
            for name, way in ways(first_run):
                database = Path(scratch) / f"run_{run}.duckdb"
                gc.collect()
                if run == args.repeats:  # the untimed run for the peak
                    tracemalloc.start()
                    way(records, database)
                    peaks[name].append(tracemalloc.get_traced_memory()[1] / 1e6)
                    tracemalloc.stop()
                else:
                    start = time.perf_counter()
                    results[name] = way(records, database)
                    times[name].append(time.perf_counter() - start)
                database.unlink(missing_ok=True)
    baseline = statistics.median(times["DuckDB joins (baseline)"])
    print(f"| {'way':<27} | {'median s':>8} | {'min s':>6} | {'max s':>6} | {'x baseline':>10} "
          f"| {'peak MB':>7} | {'result':<25} |")
    print(f"|{'-' * 29}|{'-' * 10}|{'-' * 8}|{'-' * 8}|{'-' * 12}|{'-' * 9}|{'-' * 27}|")
    for name, spent in times.items():
        what = "entities" if name.startswith("resolution") else "candidate pairs"
        print(f"| {name:<27} | {statistics.median(spent):>8.2f} | {min(spent):>6.2f} | "
              f"{max(spent):>6.2f} | {statistics.median(spent) / baseline:>10.1f} | "
              f"{max(peaks[name]):>7.0f} | {f'{results[name]:,} {what}':<25} |")


if __name__ == "__main__":
    main()
