"""Wall time and peak memory of `pes-monitor refresh` on the bundled sample, before and after.

    python bench/bundled_refresh.py --before /tmp/pes-base [--runs 3]

`--before` is a clean checkout of the commit to compare with (e.g.
`git archive e86ef25 | tar -x -C /tmp/pes-base`); the "after" tree is this checkout. Both run
with this interpreter (the same installed packages), each from its own folder, so each reads
its own code, writes its own `data/sample` (generated once, before the timed runs) and its own
`var/`. Every timed run starts from an empty `var/` (the README's first line: a first refresh),
and the two trees take turns, run by run, so that the load of a shared machine falls on both
alike. Time is from the start of the command to its exit: Python's and Dagster's start-up,
the whole job, the summary.

Prints, per tree, the median, min and max of the wall time, of the CPU time (user + system;
less sensitive to other processes than wall time) and of the peak resident memory, then the
ratios after/before of the medians, the machine and its load. Nothing here is a test.
"""

from __future__ import annotations

import argparse
import os
import platform
import shutil
import statistics
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

AFTER = Path(__file__).resolve().parents[1]
COMMAND = "import sys; from pipelines.cli import main; sys.exit(main())"


@dataclass(frozen=True)
class Run:
    wall: float
    cpu: float
    peak_mb: float
    load: float


def cli(tree: Path, *args: str) -> subprocess.Popen:
    """`pes-monitor ARGS` reading the code of `tree` (first on the path) with this Python."""
    env = {**os.environ, "PYTHONPATH": str(tree), "LANG": "C.UTF-8"}
    env.pop("PES_SETTINGS", None)
    return subprocess.Popen([sys.executable, "-c", COMMAND, *args], cwd=tree, env=env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)


def timed_refresh(tree: Path) -> Run:
    """One refresh from an empty var/: wall, CPU and peak memory of the process tree."""
    shutil.rmtree(tree / "var", ignore_errors=True)
    load = os.getloadavg()[0]
    started = time.perf_counter()
    process = cli(tree, "refresh")
    _, status, usage = os.wait4(process.pid, 0)
    wall = time.perf_counter() - started
    process.returncode = os.waitstatus_to_exitcode(status)
    error = process.stderr.read().decode(errors="replace")
    if process.returncode != 0:
        raise SystemExit(f"refresh in {tree} failed ({process.returncode}):\n{error}")
    return Run(wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024, load)


def machine() -> str:
    cpu = next((line.split(":", 1)[1].strip() for line in
                Path("/proc/cpuinfo").read_text().splitlines() if line.startswith("model name")),
               platform.processor())
    memory = next(line.split()[1] for line in Path("/proc/meminfo").read_text().splitlines()
                  if line.startswith("MemTotal"))
    return (f"{platform.node()}: {cpu}, {os.cpu_count()} cores, {int(memory) / 2**20:.0f} GB, "
            f"Python {platform.python_version()}, {platform.platform()}")


def spread(values: list[float], unit: str, digits: int = 1) -> str:
    return (f"{statistics.median(values):.{digits}f} {unit} "
            f"({min(values):.{digits}f}–{max(values):.{digits}f})")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--before", type=Path, required=True,
                        help="a clean checkout of the commit to compare with")
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    trees = {"before": args.before.resolve(), "after": AFTER}
    for tree in trees.values():  # the bundled sample, outside the timed runs
        if cli(tree, "sample").wait() != 0:
            raise SystemExit(f"pes-monitor sample failed in {tree}")
    runs: dict[str, list[Run]] = {name: [] for name in trees}
    for number in range(args.runs):
        for name, tree in trees.items():
            run = timed_refresh(tree)
            runs[name].append(run)
            print(f"run {number + 1} {name:6}: {run.wall:6.1f} s wall, {run.cpu:6.1f} s CPU, "
                  f"{run.peak_mb:5.0f} MB, load {run.load:.1f}", flush=True)
    print(f"\nMachine: {machine()}")
    print(f"Load (1-minute average) at the starts: "
          f"{spread([r.load for n in runs for r in runs[n]], '')}; now {os.getloadavg()[0]:.1f}")
    print("\n| tree | runs | wall time | CPU time (user+sys) | peak RSS |\n|---|---|---|---|---|")
    for name, measured in runs.items():
        print(f"| {name} | {len(measured)} | {spread([r.wall for r in measured], 's')} | "
              f"{spread([r.cpu for r in measured], 's')} | "
              f"{spread([r.peak_mb for r in measured], 'MB', 0)} |")

    def ratio(field: str) -> float:
        return (statistics.median(getattr(r, field) for r in runs["after"])
                / statistics.median(getattr(r, field) for r in runs["before"]))

    print(f"\nafter/before (medians): wall {ratio('wall'):.2f}, CPU {ratio('cpu'):.2f}, "
          f"peak RSS {ratio('peak_mb'):.2f}")


if __name__ == "__main__":
    main()
