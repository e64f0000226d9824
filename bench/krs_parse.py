"""Parse throughput of KRS extracts into the staging tables, against three baselines.

    python bench/krs_parse.py [--files 20000] [--repeats 3] [--own-names] [--without-naive]

The sample's extracts (data/sample/krs, generated when missing) are replicated under new KRS
numbers to `--files` extracts in a temporary folder. With `--own-names` each replica also gets
a name of its own (its KRS number before the sample's name): 20 000 real extracts are 20 000
entities, and what the staging reads once per distinct name (the name key) then runs once per
extract, as it would on real extracts (NIP and REGON stay the sample's).

On those same files, each way is timed `--repeats` times, the ways taking turns (the median is
printed, in files per second with the slowest and fastest run, and as a share of the ceiling,
with the lowest and highest share of a run against the ceiling's run of the same turn):

- bytes only: reading every file, nothing else (the limit), with the reader the staging uses
  (sources/krs_extracts.read_body, about twice as fast as `Path.read_bytes`);
- orjson, 4 fields: parse each body and take KRS, register, name and NIP (the practical
  ceiling of anything that reads whole JSON documents);
- DuckDB read_json (auto): `read_json` over the folder with automatic schema detection, into a
  table (what a naive pipeline does; `union_by_name`, or it fails on the mixed shapes); it
  takes minutes and gigabytes, so `--without-naive` leaves it out on a shared machine;
- staging, reading only: the recipe's reader alone (sources/krs_extracts.read_extract_rows),
  every file parsed into the rows of both tables, held as frames: what is left of the ceiling
  for typing, screening and writing;
- staging recipe: what the two KRS staging assets do (assets/staging/flow.staged with the
  specs of assets/staging/krs.py): one parse of the files for both tables, then each table
  typed, screened and written to DuckDB in SQL. Not timed: the quarantine and reconciliation
  bookkeeping and the metadata, as in the baselines nothing but reading and writing is, nor
  freeing the parse the previous run kept (a refresh starts without one).

Nothing here is a test: it prints figures for a person to read.
"""

from __future__ import annotations

import argparse
import gc
import os
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import duckdb
import orjson

from assets.staging.flow import staged
from assets.staging.krs import krs_specs, landed_extract_rows
from pipelines.resources import settings_from_env
from sources.krs_extracts import read_body, read_extract_rows

ROOT = Path(__file__).resolve().parents[1]
SAMPLE_KRS = ROOT / "data" / "sample" / "krs"
FIRST_NEW_NUMBER = 5_000_000


def sample_extracts(scratch: Path) -> list[Path]:
    """The bundled sample's extracts; the sample is generated into `scratch` when missing."""
    if not any(SAMPLE_KRS.glob("*.json")):
        from sample_data import DEFAULT_TERYT_CSV, generate_sample

        generate_sample(scratch / "sample", DEFAULT_TERYT_CSV)
        return sorted((scratch / "sample" / "krs").glob("*.json"))
    return sorted(SAMPLE_KRS.glob("*.json"))


def replicate(sources: list[Path], count: int, folder: Path, own_names: bool) -> list[Path]:
    """`count` extracts: the sample's bodies in turn, each under a new KRS number (and, with
    `own_names`, its number before every name it writes)."""
    folder.mkdir(parents=True, exist_ok=True)
    bodies = [(p.name.rsplit("_", 1)[0], p.read_bytes()) for p in sources]
    paths = []
    for i in range(count):
        kind, body = bodies[i % len(bodies)]
        old = orjson.loads(body)["odpis"]
        old_number = (old.get("naglowekA") or old["naglowekP"])["numerKRS"]
        number = f"{FIRST_NEW_NUMBER + i:010d}"
        path = folder / f"{kind}_{number}.json"
        replica = body.replace(f'"{old_number}"'.encode(), f'"{number}"'.encode())
        if own_names:
            named = replica.replace(b'"nazwa": "', f'"nazwa": "{number} '.encode())
            # a struck-off entity's full extract may have no data, so no name, as real ones
            assert named != replica or not old["dane"], f"no name written as the sample " \
                f"writes it in {kind}"
            replica = named
        path.write_bytes(replica)
        paths.append(path)
    return paths


def bytes_only(paths: list[Path], _: Path) -> None:
    for path in paths:
        read_body(path)


def orjson_four_fields(paths: list[Path], _: Path) -> None:
    rows = []
    for path in paths:
        odpis = orjson.loads(read_body(path))["odpis"]
        header = odpis.get("naglowekA") or odpis["naglowekP"]
        section1 = odpis["dane"].get("dzial1")  # none in a full extract without data
        subject = section1["danePodmiotu"] if section1 else {}
        rows.append((header["numerKRS"], header["rejestr"], subject.get("nazwa"),
                     subject.get("identyfikatory")))
    assert len(rows) == len(paths)


def duckdb_read_json_auto(paths: list[Path], database: Path) -> None:
    """Current and full extracts, of registers P and S, differ in shape: without
    `union_by_name` the schema detected from the first files fails on the others."""
    with duckdb.connect(str(database)) as con:
        con.execute("create or replace table raw_extracts as "
                    "select * from read_json(?, union_by_name = true)",
                    [str(paths[0].parent / "*.json")])
        assert con.execute("select count(*) from raw_extracts").fetchall()[0][0] == len(paths)


def staging_reading_only(paths: list[Path], _: Path) -> None:
    read_extract_rows(paths)


def staging_recipe(paths: list[Path], database: Path) -> None:
    settings = settings_from_env({"PES_VAR": str(ROOT / "var")})
    with duckdb.connect(str(database)) as con:
        for spec in krs_specs:
            staged(spec, con, f"staging.{spec.table}", spec.read_many(paths), settings)


#: (name, way, at most this many runs: the naive way takes minutes, so it runs once)
WAYS: list[tuple[str, Callable[[list[Path], Path], None], int]] = [
    ("bytes only (limit)", bytes_only, 99),
    ("orjson, 4 fields (ceiling)", orjson_four_fields, 99),
    ("staging, reading only", staging_reading_only, 99),
    ("staging recipe", staging_recipe, 99),
    ("DuckDB read_json (auto)", duckdb_read_json_auto, 1),
]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--files", type=int, default=20_000)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--own-names", action="store_true",
                        help="each replica with a name of its own, as real extracts have")
    parser.add_argument("--without-naive", action="store_true",
                        help="leave out DuckDB read_json (auto): minutes and gigabytes")
    args = parser.parse_args()
    ways = WAYS[:-1] if args.without_naive else WAYS
    with tempfile.TemporaryDirectory(prefix="krs_bench_") as scratch_dir:
        scratch = Path(scratch_dir)
        paths = replicate(sample_extracts(scratch), args.files, scratch / "krs", args.own_names)
        size_mb = sum(p.stat().st_size for p in paths) / 1e6
        names = "each with its own name" if args.own_names else "names repeated from the sample"
        print(f"{len(paths)} extracts ({names}), {size_mb:.0f} MB, median of {args.repeats} "
              f"runs{'' if args.without_naive else ' (one run of the naive way)'}; "
              f"{os.cpu_count()} cores, load "
              f"{os.getloadavg()[0]:.1f}\n")
        times: dict[str, list[float]] = {name: [] for name, _, _ in ways}
        # the ways take turns, so that a busy moment of the machine falls on all of them
        for run in range(args.repeats):
            for name, way, most_runs in ways:
                if run >= most_runs:
                    continue
                database = scratch / f"bench_{run}.duckdb"
                # no way pays for the garbage of the one before; every run of the recipe
                # parses, as every refresh does (the staging keeps its last parse)
                landed_extract_rows.cache_clear()
                gc.collect()
                start = time.perf_counter()
                way(paths, database)
                times[name].append(time.perf_counter() - start)
                database.unlink(missing_ok=True)
        ceiling_times = times["orjson, 4 fields (ceiling)"]
        ceiling = len(paths) / statistics.median(ceiling_times)
        print(f"| {'way':<28} | {'files/s':>8} | {'min':>7} | {'max':>7} | {'x ceiling':>9} "
              f"| {'run min':>7} | {'run max':>7} |")
        print(f"|{'-' * 30}|{'-' * 10}|{'-' * 9}|{'-' * 9}|{'-' * 11}|{'-' * 9}|{'-' * 9}|")
        for name, spent in times.items():
            rate = len(paths) / statistics.median(spent)
            # each run's share of the ceiling measured just before it, in the same turn
            shares = [c / s for c, s in zip(ceiling_times, spent, strict=False)]
            print(f"| {name:<28} | {rate:>8,.0f} | {len(paths) / max(spent):>7,.0f} | "
                  f"{len(paths) / min(spent):>7,.0f} | {rate / ceiling:>9.2f} | "
                  f"{min(shares):>7.2f} | {max(shares):>7.2f} |")


if __name__ == "__main__":
    main()
