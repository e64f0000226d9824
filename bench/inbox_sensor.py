"""What one tick of the inbox sensor costs on an inbox of 3 100 KRS extracts.

    python bench/inbox_sensor.py [--files 3100] [--runs 5]

Writes `--files` KRS extracts (the 17 kB real-shaped fixture extract, one field changed per
file so every file has its own hash) into a temporary inbox, then measures, as medians of
`--runs` runs:
- baseline: listing the folder and `stat` of every file, the least any watcher must do;
- first tick: no cursor, every file hashed (from the page cache: the files were just written);
- quiet tick: the cursor of the tick before, nothing changed: only (size, mtime) compared;
- one file changed: the cursor of the tick before, one file rewritten: one hash;
each tick evaluated through Dagster's sensor evaluation (`evaluate_tick`), as the daemon
does. It prints the cursor's size too (the daemon stores it when it changes).

Nothing here is a test: it prints figures for a person to read.
"""

from __future__ import annotations

import argparse
import logging
import os
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from dagster import DagsterInstance, build_sensor_context

from pipelines.definitions import monthly_refresh
from pipelines.resources import settings_from_env
from pipelines.sensors import inbox_sensor

EXTRACT = Path(__file__).resolve().parents[1] / "tests" / "fixtures" / "inbox" / "krs" / \
    "odpis_aktualny_0000030897.json"


def write_extracts(folder: Path, count: int) -> None:
    template = EXTRACT.read_text(encoding="utf-8")
    folder.mkdir(parents=True)
    settled = time.time() - 600
    for number in range(count):
        krs = f"{number + 1:010d}"
        path = folder / f"odpis_aktualny_{krs}.json"
        path.write_text(template.replace("0000030897", krs), encoding="utf-8")
        os.utime(path, (settled, settled))


def median_seconds(action: Callable[[], object], runs: int) -> float:
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        action()
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--files", type=int, default=3100)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    logging.disable(logging.INFO)  # the sensor's note of each tick
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        folder = root / "inbox" / "krs"
        write_extracts(folder, args.files)
        settings = settings_from_env({"PES_INBOX": str(root / "inbox"),
                                      "PES_VAR": str(root / "var")})
        sensor = inbox_sensor(monthly_refresh)
        instance = DagsterInstance.ephemeral()

        def tick(cursor: str | None):
            return sensor.evaluate_tick(build_sensor_context(
                instance=instance, cursor=cursor, resources={"settings": settings}))

        baseline = median_seconds(lambda: [p.stat() for p in folder.iterdir()], args.runs)
        first = median_seconds(lambda: tick(None), args.runs)
        cursor = tick(None).cursor
        quiet = median_seconds(lambda: tick(cursor), args.runs)
        changed_file = folder / "odpis_aktualny_0000000001.json"
        versions = iter(range(args.runs))

        def one_changed() -> None:
            version = next(versions)  # new bytes and a new mtime each time: one new hash
            changed_file.write_text(f'{{"wersja": {version}}}', encoding="utf-8")
            moment = time.time() - 600 + version
            os.utime(changed_file, (moment, moment))
            assert len(tick(cursor).run_requests) == 1

        one = median_seconds(one_changed, args.runs)
    size_mb = EXTRACT.stat().st_size * args.files / 1e6
    print(f"{args.files} extracts, {size_mb:.0f} MB; medians of {args.runs} runs")
    print(f"  baseline (list + stat):   {baseline * 1000:8.1f} ms")
    print(f"  first tick (hash all):    {first * 1000:8.1f} ms")
    print(f"  quiet tick (stat only):   {quiet * 1000:8.1f} ms")
    print(f"  one file changed:         {one * 1000:8.1f} ms")
    print(f"  cursor: {len(cursor.encode()) / 1000:.0f} kB")


if __name__ == "__main__":
    main()
