"""`pes-monitor`: the analyst's commands, for people who do not open the Dagster UI.

refresh, status, check, reproduce, ui, serve, sample and population. The refresh runs the same
Dagster job the schedule runs, in this process, recorded in the project's Dagster instance (so
the UI and `status` show it afterwards). Settings are read and validated once, at start
(pipelines/settings.py). Help is Polish; English with `--lang en` or when LANG starts with
`en`. Exit codes: see EXIT_CODES.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from collections.abc import Mapping
from contextlib import suppress
from datetime import datetime
from pathlib import Path

from pipelines.settings import (
    DEFAULT_INBOX,
    PROJECT_ROOT,
    SAMPLE_AS_OF,
    SETTINGS_FILE_ENV,
    Settings,
    SettingsError,
    load_settings,
    settings_help,
)
from sources.registry import sample_folders

EXIT_OK, EXIT_HELD_BACK, EXIT_USAGE, EXIT_BUSY = 0, 1, 2, 3
EXIT_CODES = {
    "pl": {EXIT_OK: "powodzenie (odświeżenie: opublikowano nową wersję)",
           EXIT_HELD_BACK: "publikacja wstrzymana albo odświeżenie nieudane (check: plik "
                           "zostałby odrzucony w całości lub w części; reproduce: różnice)",
           EXIT_USAGE: "złe wywołanie albo złe ustawienia (komunikat mówi, co poprawić)",
           EXIT_BUSY: "hurtownia zajęta: inne odświeżenie (lub inny proces) do niej zapisuje"},
    "en": {EXIT_OK: "success (refresh: a new release was published)",
           EXIT_HELD_BACK: "publication held back or refresh failed (check: the file would be "
                           "rejected in whole or in part; reproduce: differences)",
           EXIT_USAGE: "bad usage or bad settings (the message says what to fix)",
           EXIT_BUSY: "warehouse busy: another refresh (or process) is writing to it"},
}
#: Commands that read the configured region's reference data: refused at start without it.
REGION_COMMANDS = ("refresh", "check", "serve", "ui")
#: The inbox folders the bundled sample fills: one per source of sources/registry.yml.
SAMPLE_SOURCES = sample_folders()
#: argparse's own words, in Polish (it looks them up through gettext at call time).
ARGPARSE_PL = {
    "usage: ": "użycie: ",
    "positional arguments": "argumenty",
    "options": "opcje",
    "show this help message and exit": "pokaż tę pomoc i zakończ",
    "%(prog)s: error: %(message)s\n": "%(prog)s: błąd: %(message)s\n",
    "the following arguments are required: %s": "brak wymaganych argumentów: %s",
    "unrecognized arguments: %s": "nieznane argumenty: %s",
    "invalid choice: %(value)r (choose from %(choices)s)":
        "niepoprawny wybór: %(value)r (do wyboru: %(choices)s)",
    "argument %(argument_name)s: %(message)s": "argument %(argument_name)s: %(message)s",
    "invalid %(type)s value: %(value)r": "niepoprawna wartość (%(type)s): %(value)r",
    "expected one argument": "oczekiwano jednej wartości",
}
TEXTS = {
    "pl": {
        "description": "PES Monitor: odświeżenie wskaźników ekonomii społecznej i strony "
                       "z wykresami.",
        "settings": "plik ustawień TOML (klucze jak w kolumnie „settings file key” README; "
                    "zmienne środowiska mają pierwszeństwo); także PES_SETTINGS",
        "lang": "język pomocy: pl (domyślnie) lub en (także gdy LANG zaczyna się od en)",
        "refresh": "pełne odświeżenie: postęp krok po kroku, podsumowanie, na końcu ścieżka "
                   "opublikowanej strony",
        "inbox": "folder skrzynki na to odświeżenie (zamiast PES_INBOX)",
        "period_end": "ostatni monitorowany koniec miesiąca RRRR-MM-DD (zamiast PES_PERIOD_END)",
        "verbose": "pokaż też dziennik Dagstera (domyślnie tylko jego błędy krytyczne)",
        "status": "ostatnie odświeżenia (co się nie udało i dlaczego), bieżąca publikacja, "
                  "nieaktualne źródła",
        "runs": "ile ostatnich odświeżeń pokazać (domyślnie 5)",
        "check": "sprawdź plik, zanim trafi do skrzynki: wiersze przyjęte i odrzucone, nieznane "
                 "nagłówki; nic nie jest zapisywane",
        "file": "sprawdzany plik",
        "source": "źródło (folder skrzynki), do którego plik ma trafić",
        "reproduce": "odtwórz publikację z zachowanych kopii w pustej hurtowni i wypisz "
                     "„identical” albo każdą różniącą się wartość (docs/audit.md)",
        "release": "identyfikator publikacji (folder w $PES_PUBLISH/releases) albo ścieżka "
                   "jej folderu lub pliku release.json",
        "ui": "otwórz interfejs Dagstera na 127.0.0.1",
        "port": "port (domyślnie 3000)",
        "sample": "wygeneruj (ponownie) dołączone dane przykładowe",
        "seed": "ziarno generatora (domyślnie 28)",
        "out": "folder docelowy (domyślnie data/sample)",
        "region": "kod TERYT województwa, np. 22 (domyślnie 28); odśwież je z PES_REGION "
                  "ustawionym na ten sam kod",
        "serve": "uruchom serwer Dagstera i jego demona: comiesięczny harmonogram i czujnik "
                 "skrzynki działają same (docs/operations.md)",
        "host": "adres, na którym słucha serwer (domyślnie 127.0.0.1)",
        "population": "odśwież data/reference/population z API Banku Danych Lokalnych GUS "
                      "(wymaga sieci; odświeżenie hurtowni czyta dołączony plik)",
        "year": "rok do pobrania (można powtórzyć); domyślnie lata po ostatnim roku pliku, "
                "do zeszłego roku",
        "base_url": "adres bazowy API (domyślnie publiczny)",
        "settings_title": "Ustawienia (zmienne środowiska):",
        "exit_title": "Kody wyjścia:",
        "file_metavar": "PLIK",
    },
    "en": {
        "description": "PES Monitor: refresh the social economy indicators and the dashboard.",
        "settings": "a TOML settings file (keys as in the README's \"settings file key\" "
                    "column; environment variables win); also PES_SETTINGS",
        "lang": "language of the help: pl (default) or en (also when LANG starts with en)",
        "refresh": "full refresh: progress step by step, a summary, and last the published "
                   "dashboard's path",
        "inbox": "inbox folder for this refresh (instead of PES_INBOX)",
        "period_end": "last month end monitored, YYYY-MM-DD (instead of PES_PERIOD_END)",
        "verbose": "show Dagster's log too (by default only its critical errors)",
        "status": "last refreshes (what failed and why), the current release, stale sources",
        "runs": "how many recent refreshes to show (default 5)",
        "check": "check a file before dropping it in the inbox: rows accepted and rejected, "
                 "unknown headers; nothing is written",
        "file": "the file to check",
        "source": "the source (inbox folder) the file is meant for",
        "reproduce": "rebuild a release from its kept inputs in an empty warehouse and print "
                     "'identical' or every differing value (docs/audit.md)",
        "release": "release id (a folder of $PES_PUBLISH/releases), or the path of a release "
                   "folder or its release.json",
        "ui": "open the Dagster UI on 127.0.0.1",
        "port": "port (default 3000)",
        "sample": "(re)generate the bundled sample inputs",
        "seed": "the generator's seed (default 28)",
        "out": "target folder (default data/sample)",
        "region": "TERYT code of the voivodeship, e.g. 22 (default 28); refresh it with "
                  "PES_REGION set to the same code",
        "serve": "run the Dagster webserver and daemon: the monthly schedule and the inbox "
                 "sensor run by themselves (docs/operations.md)",
        "host": "address the server listens on (default 127.0.0.1)",
        "population": "refresh data/reference/population from the GUS BDL API (needs a "
                      "network; refreshes read the bundled file)",
        "year": "a year to fetch (repeatable); default: the years after the file's last one, "
                "up to last year",
        "base_url": "the API's base URL (default: the public one)",
        "settings_title": "Settings (environment variables):",
        "exit_title": "Exit codes:",
        "file_metavar": "FILE",
    },
}


def help_language(argv: list[str], env: Mapping[str, str]) -> str:
    """`--lang` when given, else English when LANG starts with `en`, else Polish."""
    for i, arg in enumerate(argv):
        if arg == "--lang" and i + 1 < len(argv):
            return argv[i + 1] if argv[i + 1] in TEXTS else "pl"
        if arg.startswith("--lang="):
            return arg.split("=", 1)[1] if arg.split("=", 1)[1] in TEXTS else "pl"
    return "en" if env.get("LANG", "").startswith("en") else "pl"


def polish_argparse(message: str) -> str:
    return ARGPARSE_PL.get(message, message)


def dagster_home(home: Path) -> Path:
    """A Dagster home folder whose dagster.yaml is the project's (linked, so edits apply)."""
    home.mkdir(parents=True, exist_ok=True)
    link = home / "dagster.yaml"
    # two refreshes started together on a new folder both get here: the second finds the link
    with suppress(FileExistsError):
        link.symlink_to(PROJECT_ROOT / "dagster.yaml")
    return home


def instance_of(settings: Settings):
    """The project's Dagster instance (its home from the settings)."""
    from dagster import DagsterInstance

    return DagsterInstance.from_config(str(dagster_home(settings.dagster_home)))


def export_for_readers(settings: Settings, settings_file: Path | None) -> None:
    """The readers of sources/ take the mapping folder, the extra sources and the key from the
    environment, and Dagster (UI, daemon, their code server) its home and our settings file:
    hand them the validated values."""
    from sources.mapping import MAPPINGS_ENV
    from sources.pseudonyms import KEY_ENV
    from sources.registry import EXTRA_SOURCES_ENV

    os.environ["DAGSTER_HOME"] = str(settings.dagster_home)
    os.environ[MAPPINGS_ENV] = str(settings.mappings)
    if settings.extra_sources is not None:
        os.environ[EXTRA_SOURCES_ENV] = str(settings.extra_sources)
    if settings_file is not None:
        os.environ[SETTINGS_FILE_ENV] = str(settings_file.resolve())
    if settings.pseudonym_key:
        os.environ[KEY_ENV] = settings.pseudonym_key


def generate(inbox: Path, seed: int, region: str = "28") -> None:
    """Write the bundled sample inputs of a region (deterministic for a seed) into `inbox`."""
    from sample_data import generate_sample

    print(f"Generuję dane przykładowe w {inbox} (ziarno {seed}, województwo {region}) ...",
          flush=True)
    started = time.monotonic()
    counts = generate_sample(inbox, seed=seed, as_of=SAMPLE_AS_OF, region=region)
    print(f"  gotowe w {seconds(time.monotonic() - started)}: {counts}", flush=True)


def ensure_sample(inbox: Path, seed: int = 28) -> None:
    """Generate the sample when any source folder of the default inbox is missing or empty."""
    if any(not (inbox / s).is_dir() or not any((inbox / s).iterdir()) for s in SAMPLE_SOURCES):
        generate(inbox, seed)


def seconds(value: float) -> str:
    """A duration the Polish way: `12,3 s`."""
    from dashboards.formatting import format_number

    return f"{format_number(value, 1)} s"


def now_local() -> datetime:
    from pipelines.run_outcome import WARSAW

    return datetime.now(WARSAW)


def progress_printer():
    """A listener of the run's events printing one line per finished step, with its time."""
    from dagster import DagsterEventType

    started: dict[str, float] = {}

    def on_event(entry) -> None:
        event = entry.dagster_event
        if event is None or event.step_key is None:
            return
        if event.event_type == DagsterEventType.STEP_START:
            started[event.step_key] = entry.timestamp
            return
        words = {DagsterEventType.STEP_SUCCESS: "gotowe ",
                 DagsterEventType.STEP_FAILURE: "BŁĄD   ",
                 DagsterEventType.STEP_SKIPPED: "pominięto"}
        if event.event_type not in words:
            return
        took = entry.timestamp - started.get(event.step_key, entry.timestamp)
        clock = now_local().strftime("%H:%M:%S")
        print(f"  {clock}  {words[event.event_type]}  {event.step_key.replace('__', '.')}"
              f"  {seconds(took)}", flush=True)

    return on_event


def run_refresh(settings: Settings, verbose: bool) -> int:
    """Run the full refresh; progress, a Polish summary and, last, the dashboard's path."""
    if not settings.inbox_given:
        ensure_sample(settings.inbox)
    from dagster._core.utils import make_new_run_id

    from assets.writer_lock import PID_TAG, WarehouseBusy, mark_abandoned_runs, writer_lock
    from pipelines.definitions import build_definitions
    from pipelines.notify import NOTIFIED_TAG, notification, notify_run, send
    from pipelines.run_outcome import FAILED, RunOutcome, run_outcome, shown_time
    from pipelines.sqlite_syncs import fewer_disk_syncs

    begun = time.monotonic()
    run_id = make_new_run_id()
    period = settings.period_end.isoformat() if settings.period_end else "koniec poprzedniego " \
                                                                         "miesiąca"
    print(f"Odświeżenie {run_id[:8]}: skrzynka {settings.inbox}, dane do {period}; start "
          f"{shown_time(now_local())} (czas polski).", flush=True)
    try:
        with (writer_lock(settings.warehouse, run_id, settings.lock_wait),
              fewer_disk_syncs(settings.dagster_home)):
            instance = instance_of(settings)  # after the lock: two first runs would both make it
            for abandoned in mark_abandoned_runs(instance, run_id):
                print(f"  Przebieg {abandoned} przerwany wcześniej: oznaczony jako nieudany.")
            instance.add_event_listener(run_id, progress_printer())
            level = "INFO" if verbose else "CRITICAL"
            result = build_definitions(settings=settings).resolve_job_def(
                "monthly_refresh").execute_in_process(
                run_config={"loggers": {"console": {"config": {"log_level": level}}}},
                instance=instance, raise_on_error=False, run_id=run_id,
                tags={PID_TAG: str(os.getpid()), NOTIFIED_TAG: "cli"})
    except WarehouseBusy as busy:
        print(f"Odświeżenie NIEURUCHOMIONE: {busy}", file=sys.stderr)
        refused = RunOutcome(run_id, FAILED, started=now_local(), finished=now_local(),
                             failures=[str(busy)], warehouse_locked=True)
        for problem in send(notification(refused, settings.publish), settings):
            print(f"  uwaga: {problem}", file=sys.stderr)
        return EXIT_BUSY
    outcome = run_outcome(instance, result.run_id)
    print_summary(result)
    print_outcome(outcome, time.monotonic() - begun)
    for problem in notify_run(instance, result.run_id, settings):
        print(f"  uwaga: {problem} (odświeżenie nie jest przez to nieudane)", file=sys.stderr)
    if outcome.dashboard is None:
        print("Publikacja wstrzymana: poprzednia opublikowana wersja pozostaje na miejscu. "
              "Szczegóły: pes-monitor status, raport jakości w "
              f"{settings.publish / 'held_back'} albo pes-monitor ui.", file=sys.stderr)
        return EXIT_BUSY if outcome.warehouse_locked else EXIT_HELD_BACK
    print(outcome.dashboard)
    return EXIT_OK


def print_outcome(outcome, elapsed: float) -> None:
    """The run's end: what it came to, when (Warsaw time), and each reason in one line."""
    from pipelines.run_outcome import OUTCOME_PL, shown_time

    print(f"Odświeżenie: {OUTCOME_PL[outcome.what]}; koniec {shown_time(outcome.finished)} "
          f"(czas polski), trwało {seconds(elapsed)} (przebieg {outcome.run_id}).")
    print_each("  BŁĄD: ", outcome.failures)
    print_each("  BŁĄD kontroli: ", outcome.failed_checks)
    print_each("  ostrzeżenie: ", outcome.warnings)


def print_each(prefix: str, lines: list[str]) -> None:
    for line in lines:
        print(f"{prefix}{line}")


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


def run_status(settings: Settings, count: int) -> int:
    """The last refreshes, what failed and why, the current release and its stale sources.
    0 when the newest finished refresh published, 1 when it did not."""
    from dagster import RunsFilter

    from assets.release import MANIFEST_FILE, current_release
    from pipelines.run_outcome import OUTCOME_PL, PUBLISHED, RUNNING, run_outcome, shown_time

    release = current_release(settings.publish)
    if release is None:
        print("Bieżąca publikacja: brak (jeszcze nic nie opublikowano).")
    else:
        manifest = json.loads((settings.publish / "releases" / release / MANIFEST_FILE)
                              .read_text(encoding="utf-8"))
        print(f"Bieżąca publikacja: {release} (dane do {manifest['period_end']}), "
              f"{settings.publish / 'latest' / 'dashboard.html'}")
        stale = [row for row in manifest["inputs"] if row.get("use") == "stale_fallback"]
        for row in stale:
            print(f"  źródło NIEAKTUALNE: {row['source']}: użyto poprzedniej wersji "
                  f"({row['original_name']})")
        if not stale:
            print("  wszystkie źródła aktualne")
    instance = instance_of(settings)
    runs = instance.get_runs(filters=RunsFilter(job_name="monthly_refresh"), limit=count)
    if not runs:
        print("Odświeżenia: jeszcze żadnego nie było.")
        return EXIT_OK
    print("Ostatnie odświeżenia (czas polski), najnowsze pierwsze:")
    outcomes = [run_outcome(instance, run.run_id) for run in runs]
    for outcome in outcomes:
        print(f"  {shown_time(outcome.started)}  {OUTCOME_PL[outcome.what]:<22} "
              f"przebieg {outcome.run_id}")
        print_each("      przyczyna: ", outcome.reasons)
        print_each("      źródło nieaktualne: ", outcome.stale_sources)
    newest = next((o for o in outcomes if o.what != RUNNING), None)
    return EXIT_OK if newest is None or newest.what == PUBLISHED else EXIT_HELD_BACK


def run_check(settings: Settings, file: Path, source: str) -> int:
    """Read and screen a file as a refresh would; 0 when every row would be accepted."""
    from pipelines.file_check import check_file
    from pipelines.resources import monitor_settings

    checked = check_file(file, source, monitor_settings(settings))
    print(f"Plik {file} jako źródło „{source}” (nic nie zostało zapisane):")
    for note in checked.notes:
        print(f"  {note}")
    for table in checked.tables:
        if table.unreadable:
            print(f"  {table.label_pl}: PLIK NIE DO ODCZYTANIA. {table.unreadable}")
            continue
        print(f"  {table.label_pl}: wczytano {table.rows_read}, przyjęto {table.rows_accepted}, "
              f"do kwarantanny {table.rows_quarantined}, odłożonych wartości "
              f"{table.values_set_aside}")
        for row in table.rejected.itertuples():
            print(f"      wiersz {row.line}: {row.message}")
        for note in table.unknown_headers:
            print(f"      {note}")
    if checked.refused:
        print("Wynik: plik zostałby odrzucony w całości lub w części (szczegóły powyżej).")
        return EXIT_HELD_BACK
    print("Wynik: wszystkie wiersze zostałyby przyjęte.")
    return EXIT_OK


def run_ui(settings: Settings, port: int) -> int:
    """Start the Dagster UI on 127.0.0.1 with the project's instance and definitions."""
    from assets.writer_lock import mark_abandoned_runs

    mark_abandoned_runs(instance_of(settings))  # so the queue can start the next run
    dagster = str(Path(sys.executable).with_name("dagster"))  # the one installed beside us
    command = [dagster, "dev", "-m", "pipelines.definitions", "-h", "127.0.0.1", "-p", str(port)]
    os.execvp(command[0], command)
    return EXIT_OK


def run_serve(settings: Settings, host: str, port: int) -> int:
    """The Dagster webserver and daemon, so the schedule and the inbox sensor run by themselves."""
    from pipelines.serve import serve

    if settings.dagster_home == settings.var / "dagster":
        dagster_home(settings.dagster_home)  # the project-local home; one set by hand must
        # already hold its dagster.yaml, which serve checks (docs/operations.md)
    return serve(host, port)


def run_reproduce(settings: Settings, release: str) -> int:
    from pipelines.reproduce import reproduce

    return reproduce(release, settings.publish, settings.landing)


def run_population(settings: Settings, years: list[int] | None,
                   base_url: str | None) -> int:
    """Refresh the bundled population file from the GUS BDL API (the only command that needs
    a network; a refresh of the warehouse reads the file as it is)."""
    from sources.population_bdl import (
        BDL_BASE_URL,
        BdlSettings,
        PopulationRefreshError,
        refresh_population,
    )

    reference = settings.reference
    try:
        done = refresh_population(reference, years,
                                  BdlSettings(base_url=base_url or BDL_BASE_URL))
    except PopulationRefreshError as error:
        print(f"Nie odświeżono ludności: {error}", file=sys.stderr)
        return EXIT_HELD_BACK
    if not done.years:
        print(f"{done.population_file}: brak nowych lat do pobrania.")
    else:
        print(f"{done.population_file}: zapisano lata {', '.join(map(str, done.years))} "
              f"({done.units} jednostek BDL); sprawdź zmiany przed publikacją.")
    return EXIT_OK


def parser_of(lang: str) -> argparse.ArgumentParser:
    """The command line, its help in `lang`, with the settings and exit codes listed."""
    from pipelines.file_check import SOURCE_NAMES

    text = TEXTS[lang]
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--settings", type=Path, default=argparse.SUPPRESS,
                        metavar=text["file_metavar"],
                        help=text["settings"])
    common.add_argument("--lang", choices=sorted(TEXTS), default=argparse.SUPPRESS,
                        help=text["lang"])
    codes = "\n".join(f"  {code}  {meaning}" for code, meaning in EXIT_CODES[lang].items())
    parser = argparse.ArgumentParser(
        prog="pes-monitor", description=text["description"], parents=[common],
        epilog=f"{text['exit_title']}\n{codes}\n\n{text['settings_title']}\n"
               f"{settings_help(lang)}",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    commands = parser.add_subparsers(dest="command", required=True)

    def command(name: str) -> argparse.ArgumentParser:
        return commands.add_parser(name, help=text[name], description=text[name],
                                   parents=[common], epilog=f"{text['exit_title']}\n{codes}",
                                   formatter_class=argparse.RawDescriptionHelpFormatter)

    refresh = command("refresh")
    refresh.add_argument("--inbox", metavar="FOLDER", help=text["inbox"])
    refresh.add_argument("--period-end", metavar="RRRR-MM-DD", help=text["period_end"])
    refresh.add_argument("--verbose", action="store_true", help=text["verbose"])
    status = command("status")
    status.add_argument("--runs", type=int, default=5, help=text["runs"])
    check = command("check")
    check.add_argument("file", type=Path, metavar=text["file_metavar"], help=text["file"])
    check.add_argument("--source", required=True, choices=SOURCE_NAMES, help=text["source"])
    reproduce = command("reproduce")
    reproduce.add_argument("release", help=text["release"])
    ui = command("ui")
    ui.add_argument("--port", type=int, default=3000, help=text["port"])
    sample = command("sample")
    sample.add_argument("--seed", type=int, default=28, help=text["seed"])
    sample.add_argument("--out", type=Path, default=None, help=text["out"])
    sample.add_argument("--region", default="28", help=text["region"])
    serve = command("serve")
    serve.add_argument("--host", default="127.0.0.1", help=text["host"])
    serve.add_argument("--port", type=int, default=3000, help=text["port"])
    population = command("population")
    population.add_argument("--year", type=int, action="append", dest="years",
                            help=text["year"])
    population.add_argument("--base-url", help=text["base_url"])
    return parser


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    lang = help_language(argv, os.environ)
    if lang == "pl":
        argparse._ = polish_argparse
    args = parser_of(lang).parse_args(argv)  # exits with 2 on bad usage
    overrides = {}
    if getattr(args, "inbox", None):
        overrides["inbox"] = ("--inbox", args.inbox)
    if getattr(args, "period_end", None):
        overrides["period_end"] = ("--period-end", args.period_end)
    try:
        settings = load_settings(os.environ, getattr(args, "settings", None), overrides)
    except SettingsError as error:
        print("Złe ustawienia, nic nie zostało uruchomione:", *error.problems, sep="\n  ",
              file=sys.stderr)
        return EXIT_USAGE
    if args.command in REGION_COMMANDS:
        from sources.teryt import RegionNotInReference, region_name_pl

        try:
            region_name_pl(settings.reference, settings.region)
        except RegionNotInReference as error:
            print(f"Złe ustawienia, nic nie zostało uruchomione:\n  {error}", file=sys.stderr)
            return EXIT_USAGE
    export_for_readers(settings, getattr(args, "settings", None))
    if args.command == "refresh":
        return run_refresh(settings, args.verbose)
    if args.command == "status":
        return run_status(settings, args.runs)
    if args.command == "check":
        if not args.file.is_file():
            print(f"Nie ma pliku {args.file}.", file=sys.stderr)
            return EXIT_USAGE
        return run_check(settings, args.file, args.source)
    if args.command == "ui":
        return run_ui(settings, args.port)
    if args.command == "serve":
        return run_serve(settings, args.host, args.port)
    if args.command == "reproduce":
        return run_reproduce(settings, args.release)
    if args.command == "population":
        return run_population(settings, args.years, args.base_url)
    generate(args.out or DEFAULT_INBOX, args.seed, args.region)
    return EXIT_OK


if __name__ == "__main__":
    sys.exit(main())
