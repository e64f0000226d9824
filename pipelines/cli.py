"""`pes-monitor`: the analyst's commands (refresh, ui, sample, reproduce), environment set up.

The refresh runs the same Dagster job the schedule runs, in this process, recorded in the
project's Dagster instance, so the UI shows it afterwards.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from contextlib import suppress
from datetime import date
from pathlib import Path

from pipelines.resources import (
    DEFAULT_INBOX,
    ENVIRONMENT,
    PROJECT_ROOT,
    lock_wait,
    var_dir,
    warehouse_path,
)

SAMPLE_AS_OF = date(2026, 10, 31)
SAMPLE_SOURCES = ("pes_catalogue", "social_enterprises", "cis_register", "kis_register",
                  "zaz_register", "wtz_register", "krs", "owes", "activity")


def dagster_home(home: Path) -> Path:
    """A Dagster home folder whose dagster.yaml is the project's (linked, so edits apply)."""
    home.mkdir(parents=True, exist_ok=True)
    link = home / "dagster.yaml"
    # two refreshes started together on a new folder both get here: the second finds the link
    with suppress(FileExistsError):
        link.symlink_to(PROJECT_ROOT / "dagster.yaml")
    return home


def prepare_environment() -> None:
    """Point Dagster at a project-local home (var/dagster) unless DAGSTER_HOME is set."""
    if "DAGSTER_HOME" not in os.environ:
        os.environ["DAGSTER_HOME"] = str(dagster_home(var_dir(os.environ) / "dagster"))
    if "PES_INBOX" not in os.environ:
        os.environ.setdefault("PES_PERIOD_END", SAMPLE_AS_OF.isoformat())


def generate(inbox: Path, seed: int, region: str = "28") -> None:
    """Write the bundled sample inputs of a region (deterministic for a seed) into `inbox`."""
    from sample_data import generate_sample

    print(f"Generating the bundled sample inputs in {inbox} (seed {seed}, region {region}) ...",
          flush=True)
    started = time.monotonic()
    counts = generate_sample(inbox, seed=seed, as_of=SAMPLE_AS_OF, region=region)
    print(f"  done in {time.monotonic() - started:.1f} s: {counts}", flush=True)


def ensure_sample(inbox: Path, seed: int = 28) -> None:
    """Generate the sample when any source folder of the default inbox is missing or empty."""
    if any(not (inbox / s).is_dir() or not any((inbox / s).iterdir()) for s in SAMPLE_SOURCES):
        generate(inbox, seed)


def run_refresh() -> int:
    """Run the full refresh; print a summary per source and, last, the dashboard's path."""
    prepare_environment()
    if "PES_INBOX" not in os.environ:
        ensure_sample(DEFAULT_INBOX)
    from dagster import DagsterInstance
    from dagster._core.utils import make_new_run_id

    from assets.writer_lock import PID_TAG, WarehouseBusy, mark_abandoned_runs, writer_lock
    from pipelines.definitions import defs

    started = time.monotonic()
    run_id = make_new_run_id()
    try:
        with writer_lock(warehouse_path(), run_id, lock_wait()):
            instance = DagsterInstance.get()  # after the lock: two first runs would both create it
            for abandoned in mark_abandoned_runs(instance, run_id):
                print(f"  Przebieg {abandoned} przerwany wcześniej: oznaczony jako nieudany.")
            result = defs.resolve_job_def("monthly_refresh").execute_in_process(
                run_config={"loggers": {"console": {"config": {"log_level": "INFO"}}}},
                instance=instance, raise_on_error=False, run_id=run_id,
                tags={PID_TAG: str(os.getpid())})
    except WarehouseBusy as busy:
        print(busy, file=sys.stderr)
        return 2
    print_summary(result)
    print(f"Odświeżenie {'zakończone' if result.success else 'NIEUDANE'} w "
          f"{time.monotonic() - started:.1f} s (przebieg {result.run_id}).")
    for failure in result.get_step_failure_events():
        error = failure.step_failure_data.user_failure_data
        if error is not None and error.description:
            print(f"  BŁĄD: {failure.step_key}: {error.description}")
    blocking = False
    for evaluation in result.get_asset_check_evaluations():
        if evaluation.passed:
            continue
        is_error = evaluation.severity.value == "ERROR"
        blocking |= is_error
        summary = evaluation.metadata.get("summary")
        print(f"  {'BŁĄD' if is_error else 'ostrzeżenie'}: "
              f"{evaluation.asset_key.to_user_string()} {evaluation.check_name}: "
              f"{summary.value if summary else ''}")
    if not result.success or blocking:
        print("Publikacja wstrzymana: poprzednia opublikowana wersja pozostaje na miejscu. "
              "Szczegóły: pes-monitor ui (strona przebiegu) lub metadane kontroli powyżej.",
              file=sys.stderr)
        return 1
    print(published_dashboard(result))
    return 0


def published_dashboard(result) -> Path:
    """The dashboard of the release this run published (`latest` may move on meanwhile)."""
    for event in result.get_asset_materialization_events():
        if event.materialization.asset_key.path == ["publish", "dashboard"]:
            return Path(event.materialization.metadata["dashboard"].value)
    raise RuntimeError("the run published no dashboard")


def print_summary(result) -> None:
    """One line per staged source, in Polish: rows read, accepted, quarantined; a stale source
    with the reason (file, what is wrong, what to do); then each unknown header of its files."""
    from assets.staging import STAGING_SPECS

    labels = {spec.table: spec.label_pl for spec in STAGING_SPECS}
    for event in result.get_asset_materialization_events():
        materialization = event.materialization
        meta = {k: v.value for k, v in materialization.metadata.items()}
        for file, headers in (meta.get("dropped_columns") or {}).items():
            if headers:
                print(f"  {file}: kolumny arkusza z danymi osobowymi usunięte przed zapisem "
                      f"(nie są czytane): {', '.join(f'„{h}”' for h in headers)}")
        if materialization.asset_key.path[0] != "staging":
            continue
        name = materialization.asset_key.path[-1]
        label = labels.get(name, name)
        if meta.get("stale"):
            print(f"  {label}: NIEAKTUALNE, pokazano poprzednią wersję. {meta.get('stale_reason')}")
        else:
            print(f"  {label}: wczytano {meta.get('rows_read')}, przyjęto "
                  f"{meta.get('rows_accepted')}, w kwarantannie {meta.get('rows_quarantined')}")
        for note in meta.get("unknown_headers_pl") or []:
            print(f"      {note}")


def run_ui(port: int) -> int:
    """Start the Dagster UI on 127.0.0.1 with the project's instance and definitions."""
    prepare_environment()
    from dagster import DagsterInstance

    from assets.writer_lock import mark_abandoned_runs

    mark_abandoned_runs(DagsterInstance.get())  # so the queue can start the next run
    dagster = str(Path(sys.executable).with_name("dagster"))  # the one installed beside us
    command = [dagster, "dev", "-m", "pipelines.definitions", "-h", "127.0.0.1", "-p", str(port)]
    os.execvp(command[0], command)
    return 0


def run_serve(host: str, port: int) -> int:
    """The Dagster webserver and daemon, so the schedule and the inbox sensor run by themselves."""
    prepare_environment()
    from pipelines.serve import serve

    return serve(host, port)


def run_reproduce(release: str) -> int:
    from pipelines.reproduce import reproduce
    from pipelines.resources import settings_from_env

    settings = settings_from_env(os.environ)
    return reproduce(release, Path(settings.publish_dir), Path(settings.landing_dir))


def run_population(years: list[int] | None, base_url: str | None) -> int:
    """Refresh the bundled population file from the GUS BDL API (the only command that needs
    a network; a refresh of the warehouse reads the file as it is)."""
    from pipelines.resources import settings_from_env
    from sources.population_bdl import (
        BDL_BASE_URL,
        BdlSettings,
        PopulationRefreshError,
        refresh_population,
    )

    reference = Path(settings_from_env(os.environ).reference_dir)
    try:
        done = refresh_population(reference, years,
                                  BdlSettings(base_url=base_url or BDL_BASE_URL))
    except PopulationRefreshError as error:
        print(f"Nie odświeżono ludności: {error}", file=sys.stderr)
        return 1
    if not done.years:
        print(f"{done.population_file}: brak nowych lat do pobrania.")
    else:
        print(f"{done.population_file}: zapisano lata {', '.join(map(str, done.years))} "
              f"({done.units} jednostek BDL); sprawdź zmiany przed publikacją.")
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="pes-monitor",
        description="PES Monitor: refresh the social economy indicators and the dashboard.",
        epilog="Settings (environment variables):\n" + "\n".join(
            f"  {name:<20} {meaning}" for name, meaning in ENVIRONMENT.items()),
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    commands = parser.add_subparsers(dest="command", required=True)
    commands.add_parser("refresh", help="run the full refresh and print the dashboard's path")
    ui = commands.add_parser("ui", help="open the Dagster UI on 127.0.0.1")
    ui.add_argument("--port", type=int, default=3000)
    serve = commands.add_parser(
        "serve", help="run the Dagster webserver and daemon: the monthly schedule and the inbox "
                      "sensor run by themselves (docs/operations.md)")
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=int, default=3000)
    reproduce = commands.add_parser(
        "reproduce", help="rebuild a release from its kept inputs in an empty warehouse and "
                          "print 'identical' or every differing value (docs/audit.md)")
    reproduce.add_argument("release", help="release id (a folder of $PES_PUBLISH/releases), "
                                           "or the path of a release folder or its release.json")
    sample = commands.add_parser("sample", help="(re)generate the bundled sample inputs")
    sample.add_argument("--seed", type=int, default=28)
    sample.add_argument("--out", type=Path, default=DEFAULT_INBOX)
    sample.add_argument("--region", default="28",
                        help="TERYT code of the voivodeship, e.g. 22 (default 28); refresh it "
                             "with PES_REGION set to the same code")
    population = commands.add_parser(
        "population", help="refresh data/reference/population from the GUS BDL API "
                           "(needs a network; refreshes read the bundled file)")
    population.add_argument("--year", type=int, action="append", dest="years",
                            help="a year to fetch (repeatable); default: the years after "
                                 "the file's last one, up to last year")
    population.add_argument("--base-url", help="the API's base URL (default: the public one)")
    args = parser.parse_args(argv)
    if args.command == "population":
        return run_population(args.years, args.base_url)
    if args.command == "refresh":
        return run_refresh()
    if args.command == "ui":
        return run_ui(args.port)
    if args.command == "serve":
        return run_serve(args.host, args.port)
    if args.command == "reproduce":
        return run_reproduce(args.release)
    generate(args.out, args.seed, args.region)
    return 0


if __name__ == "__main__":
    sys.exit(main())
