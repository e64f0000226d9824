"""Full and incremental refresh at the scale of 1, 4 or 16 voivodeships: wall time, peak memory
and time per stage.

    python bench/refresh.py --regions 28 --repeats 3 --incremental
    python bench/refresh.py --regions 28,14,22,02 --repeats 3
    python bench/refresh.py --regions all --repeats 1

A region is monitored by its own refresh (PES_REGION is one voivodeship), so N voivodeships
are N refreshes, one after the other, each of its region's inbox into its own `var/` (as N
offices, or one machine serving them in turn). The inboxes are written first by
`sample_data/national.py` (scale 1.96: about 6 240 entities and 6 080 KRS extracts a region,
100 000 PES in the country) and the time that takes is printed too.

Each refresh is `pes-monitor refresh` in a child process; its peak memory is the largest sum of
the resident sets of its process tree, sampled from /proc every 0.1 s; its stages come from the
run's step statistics in its Dagster instance: a step of `landing`, `staging`, `core`, `marts`
or `publish` by its key's prefix, `checks` for an asset-check step, `entity resolution` for
the entity tables and their checks; `outside steps` is the wall time no step accounts for
(Python and Dagster start-up, loading the definitions, the run's set-up and the summary).

`--incremental` then makes each region's inbox the next month's delivery (1 % of the
entities with a current KRS extract renamed: extracts re-downloaded, a new catalogue version,
`sample_data.national.next_month`, and November's bulletins listing their numbers, which a
refresh from the inbox does not read: only the KRS sync from the API does) and times, against
the same-run baseline of a full refresh of that month into an empty `var/`, a refresh into the
`var/` the month before left. Nothing is skipped for being unchanged today; the figure says
what reusing the warehouse saves.
"""

import argparse
import json
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from dataclasses import asdict, dataclass, field
from datetime import date
from pathlib import Path

from assets.entities.assets import TABLES as ENTITY_TABLES
from sample_data.national import (
    NATIONAL_SCALE,
    VOIVODESHIPS,
    next_month,
    write_bulletins,
    write_national,
)

ROOT = Path(__file__).resolve().parents[1]

PES_MONITOR = Path(sys.executable).with_name("pes-monitor")
PERIOD_END = date(2026, 10, 31)
NEXT_PERIOD_END = date(2026, 11, 30)
CHANGED_SHARE = 0.01
STAGES = ("landing", "staging", "entity resolution", "core", "marts", "checks", "publish",
          "outside steps")
SAMPLE_SECONDS = 0.1
INTO_LAST_MONTH = "next month, into last month's var/"
NEXT_MONTH_FULL = "next month, full (empty var/)"


@dataclass
class Refresh:
    """One region's refresh: its wall time, peak memory, exit code and seconds per stage."""

    wall: float
    cpu: float
    peak_mb: float
    exit_code: int
    stages: dict[str, float] = field(default_factory=dict)


def machine() -> str:
    """Cores, RAM, CPU model and load, as this bench's tables are headed."""
    model = next((line.split(":", 1)[1].strip()
                  for line in Path("/proc/cpuinfo").read_text().splitlines()
                  if line.startswith("model name")), "unknown CPU")
    mem_kb = int(next(line.split()[1] for line in Path("/proc/meminfo").read_text().splitlines()
                      if line.startswith("MemTotal")))
    load = " ".join(Path("/proc/loadavg").read_text().split()[:3])
    return f"{os.cpu_count()} cores, {mem_kb / 2**20:.0f} GB RAM, {model}; load {load}"


def _tree(pid: int) -> list[int]:
    """`pid` and its descendants, from /proc's children lists."""
    found, pending = [], [pid]
    while pending:
        current = pending.pop()
        found.append(current)
        for task in Path(f"/proc/{current}/task").glob("*"):
            try:
                pending += [int(c) for c in (task / "children").read_text().split()]
            except OSError:
                continue
    return found


def _rss_mb(pids: list[int]) -> float:
    total_kb = 0
    for pid in pids:
        try:
            status = Path(f"/proc/{pid}/status").read_text()
        except OSError:
            continue
        total_kb += next((int(line.split()[1]) for line in status.splitlines()
                          if line.startswith("VmRSS:")), 0)
    return total_kb / 1024


def _peak_while_running(process: subprocess.Popen) -> float:
    """The largest resident memory of the process tree, sampled until the process ends."""
    peak = 0.0
    while process.poll() is None:
        peak = max(peak, _rss_mb(_tree(process.pid)))
        time.sleep(SAMPLE_SECONDS)
    return peak


def _children_cpu() -> float:
    """User and system CPU seconds of this process's finished children: on a shared machine
    the CPU a refresh needed says more than its wall time."""
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def stage_of(step_key: str) -> str:
    """The stage a Dagster step belongs to, by its key (`core__pes_entity_checks`: entity
    resolution, `staging__krs_entity_checks`: checks)."""
    if step_key == "entity_tables" or step_key in {f"core__{t}_checks" for t in ENTITY_TABLES}:
        return "entity resolution"
    if step_key.endswith("_checks"):
        return "checks"
    prefix = step_key.split("__", 1)[0]
    return prefix if prefix in STAGES else "core"


def step_seconds(dagster_home: Path) -> dict[str, float]:
    """Seconds per stage of the newest run in the instance at `dagster_home`."""
    from dagster import DagsterInstance

    with DagsterInstance.from_config(str(dagster_home)) as instance:
        run = instance.get_run_records(limit=1)[0].dagster_run
        stats = instance.get_run_step_stats(run.run_id)
    seconds: dict[str, float] = defaultdict(float)
    for step in stats:
        if step.start_time is not None and step.end_time is not None:
            seconds[stage_of(step.step_key)] += step.end_time - step.start_time
    return dict(seconds)


def refresh(inbox: Path, var: Path, region: str, period_end: date) -> Refresh:
    """Runs `pes-monitor refresh` of one region's inbox into `var` and measures it."""
    env = {**os.environ, "PES_VAR": str(var), "PES_REGION": region,
           "PES_PSEUDONYM_KEY": "bench-refresh", "PYTHONUNBUFFERED": "1"}
    env.pop("DAGSTER_HOME", None)
    started, cpu_before = time.perf_counter(), _children_cpu()
    with open(var.parent / f"{var.name}.log", "ab") as log:
        process = subprocess.Popen(
            [str(PES_MONITOR), "refresh", "--inbox", str(inbox),
             "--period-end", period_end.isoformat()],
            env=env, stdout=log, stderr=subprocess.STDOUT, cwd=ROOT)
        peak = _peak_while_running(process)
    wall, cpu = time.perf_counter() - started, _children_cpu() - cpu_before
    stages = step_seconds(var / "dagster")
    stages["outside steps"] = wall - sum(stages.values())
    return Refresh(wall, cpu, peak, process.returncode, stages)


def refresh_regions(work: Path, regions: list[str], var_name: str,
                    period_end: date) -> list[Refresh]:
    """One refresh per region, in turn, each into `work/<var_name>/<region>`."""
    results = []
    for region in regions:
        var = work / var_name / region
        var.parent.mkdir(parents=True, exist_ok=True)
        results.append(refresh(work / "inboxes" / region, var, region, period_end))
    return results


@dataclass
class Totals:
    """N regions' refreshes taken together: wall and stages summed, peak the largest."""

    wall: float
    cpu: float
    peak_mb: float
    stages: dict[str, float]
    outcome: str

    @classmethod
    def of(cls, refreshes: list[Refresh]) -> "Totals":
        stages = {s: sum(r.stages.get(s, 0.0) for r in refreshes) for s in STAGES}
        codes = sorted({r.exit_code for r in refreshes})
        outcome = "published" if codes == [0] else f"exit codes {codes}"
        return cls(sum(r.wall for r in refreshes), sum(r.cpu for r in refreshes),
                   max(r.peak_mb for r in refreshes), stages,
                   outcome)


def spread(values: list[float], digits: int = 1) -> str:
    """`median (min–max, n=…)`."""
    return (f"{statistics.median(values):.{digits}f} ({min(values):.{digits}f}–"
            f"{max(values):.{digits}f}, n={len(values)})")


def table(title: str, runs: dict[str, list[Totals]]) -> str:
    """A markdown table: one column per kind of run, rows wall, peak and the stages."""
    kinds = list(runs)
    lines = [f"### {title}", "", "| | " + " | ".join(kinds) + " |",
             "|---|" + "---|" * len(kinds)]
    lines.append("| wall time, s | " + " | ".join(spread([t.wall for t in runs[k]])
                                                 for k in kinds) + " |")
    lines.append("| CPU time (user + system), s | " + " | ".join(
        spread([t.cpu for t in runs[k]]) for k in kinds) + " |")
    lines.append("| peak memory, MB | " + " | ".join(spread([t.peak_mb for t in runs[k]], 0)
                                                    for k in kinds) + " |")
    for stage in STAGES:
        lines.append(f"| {stage}, s | " + " | ".join(
            spread([t.stages[stage] for t in runs[k]]) for k in kinds) + " |")
    lines.append("| outcome | " + " | ".join(", ".join(sorted({t.outcome for t in runs[k]}))
                                            for k in kinds) + " |")
    return "\n".join(lines)


def record(runs: dict[str, list[Totals]], kind: str, totals: Totals, save: Path | None) -> None:
    """Keeps a run for the table, prints it, and appends it to `save` (JSON lines) if given,
    so that runs of several invocations can be tabled together (`--table`)."""
    runs.setdefault(kind, []).append(totals)
    load = machine().rsplit("load ", 1)[1]
    print(f"{kind} {len(runs[kind])}: {totals.wall:.1f} s ({totals.cpu:.1f} s CPU), "
          f"{totals.peak_mb:.0f} MB, {totals.outcome}; load {load}", flush=True)
    if save is not None:
        with save.open("a", encoding="utf-8") as handle:
            handle.write(json.dumps({"kind": kind, "load": load, **asdict(totals)}) + "\n")


def saved_runs(paths: list[Path]) -> dict[str, list[Totals]]:
    """The runs `record` saved, by kind, in the order saved."""
    runs: dict[str, list[Totals]] = {}
    for path in paths:
        for line in path.read_text(encoding="utf-8").splitlines():
            fields = json.loads(line)
            kind = fields.pop("kind")
            fields.pop("load")
            runs.setdefault(kind, []).append(Totals(**fields))
    return runs


def main(argv: list[str] | None = None) -> int:
    """Writes the inboxes, runs the refreshes, prints the machine and the tables."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--regions", default="28",
                        help="TERYT codes, comma-separated, or `all` (default 28)")
    parser.add_argument("--repeats", type=int, default=3, help="runs of each kind (default 3)")
    parser.add_argument("--scale", type=float, default=NATIONAL_SCALE,
                        help=f"entities per region against the bundled sample's (default "
                             f"{NATIONAL_SCALE})")
    parser.add_argument("--incremental", action="store_true",
                        help="also the next month: into last month's var/ against an empty one")
    parser.add_argument("--work", type=Path, default=None,
                        help="folder for inboxes and var/ (default: a temporary one, removed)")
    parser.add_argument("--save", type=Path, default=None,
                        help="append each run to this JSON-lines file")
    parser.add_argument("--table", type=Path, nargs="+", default=None,
                        help="print the table of runs saved in these files, run nothing")
    args = parser.parse_args(argv)
    regions = list(VOIVODESHIPS) if args.regions == "all" else args.regions.split(",")
    title = f"{len(regions)} voivodeship(s) ({','.join(regions)}), scale {args.scale}"
    if args.table:
        print(table(title, saved_runs(args.table)))
        return 0
    work = args.work or Path(tempfile.mkdtemp(prefix="bench-refresh-"))
    print(f"machine: {machine()}", flush=True)
    try:
        started = time.perf_counter()
        write_national(work / "inboxes", regions, scale=args.scale, jobs=2)
        print(f"inboxes of {len(regions)} region(s) at scale {args.scale} written in "
              f"{time.perf_counter() - started:.1f} s", flush=True)
        runs: dict[str, list[Totals]] = {}
        for repeat in range(args.repeats):
            record(runs, "full", Totals.of(refresh_regions(work, regions, f"var-{repeat}",
                                                           PERIOD_END)), args.save)
        if args.incremental:
            by_day: dict[date, set[str]] = {}
            for region in regions:
                changed = next_month(work / "inboxes" / region, 28, CHANGED_SHARE,
                                     NEXT_PERIOD_END)
                for number, day in changed.items():
                    by_day.setdefault(day, set()).add(number)
            write_bulletins(work / "inboxes", by_day, NEXT_PERIOD_END.replace(day=1),
                            NEXT_PERIOD_END)
            for repeat in range(args.repeats):
                for kind, var_name in ((INTO_LAST_MONTH, f"var-{repeat}"),
                                       (NEXT_MONTH_FULL, f"var-next-{repeat}")):
                    record(runs, kind, Totals.of(refresh_regions(work, regions, var_name,
                                                                 NEXT_PERIOD_END)), args.save)
        print()
        print(f"machine: {machine()}")
        print(table(title, runs))
    finally:
        if args.work is None:
            shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
