"""Sensors: a refresh when the inbox holds content not seen before; abandoned runs marked failed.

The inbox sensor compares files by their content (sha256), not by name or time: a file dropped
twice, or renamed, starts nothing; a file whose bytes changed starts a refresh. The cursor
holds, per file, its size, modification time and sha256. A file whose size and modification
time are those of the cursor is not read again, so an inbox of 3 100 KRS extracts costs one
`stat` per file every minute and a hash only of what changed (bench/inbox_sensor.py measures
both). A file modified in the last SETTLE_SECONDS may still be being copied in: it waits for the
next evaluation.

The refresh it starts is the whole monthly job, not the changed source's landing asset and
what is downstream of it. Every source feeds the entities (one real organisation across all
registers and KRS), so most of the graph is downstream of any source anyway; and a release is
published whole: its manifest names every input as this run used it, and the blocking checks of
every source must pass in the run that publishes (a subset run would publish past another
source's failed check of an earlier run). Sources that did not change cost little: their
landed copies are reused by sha256.
"""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple

from dagster import (
    DefaultSensorStatus,
    RunRequest,
    SensorDefinition,
    SensorEvaluationContext,
    SkipReason,
    sensor,
)

from assets.krs_landing import FOLDER as KRS_FOLDER
from assets.landing import INBOX_SOURCES, InboxSource, matches_source, sha256_of
from assets.settings import MonitorSettings
from assets.writer_lock import mark_abandoned_runs

if TYPE_CHECKING:  # what define_asset_job returns
    from dagster._core.definitions.unresolved_asset_job_definition import (
        UnresolvedAssetJobDefinition,
    )

SETTLE_SECONDS = 30.0
LOGGED_FILES = 10  # a first drop of 3 100 KRS extracts is named by its count and first files
DECISIONS = InboxSource("decisions", "*.csv", False, "The analyst's entity-resolution "
                        "decisions (sources/decisions.py).", also=("*.yml", "*.yaml"))
# The files a refresh reads, per folder: anything else there (a note, an editor's lock file)
# is not a reason to refresh.
WATCHED = {source.name: source for source in [*INBOX_SOURCES, KRS_FOLDER, DECISIONS]}


class SeenFile(NamedTuple):
    """A file as the sensor last saw it; size and mtime decide whether to hash it again."""

    size: int
    mtime_ns: int
    sha256: str


InboxState = dict[str, SeenFile]


def watched_folders(settings: MonitorSettings) -> dict[str, Path]:
    """Each watched folder by its name: the sources' inbox folders and the decisions folder."""
    folders = {name: settings.inbox(name) for name in WATCHED}
    folders[DECISIONS.name] = settings.decisions_path()
    return folders


def watched_files(settings: MonitorSettings) -> Iterator[tuple[str, Path]]:
    """Every file a refresh would read, keyed `<folder name>/<file name>`."""
    for name, folder in watched_folders(settings).items():
        if not folder.is_dir():
            continue
        for path in sorted(folder.iterdir()):
            if (not path.name.startswith((".", "~$")) and path.is_file()
                    and matches_source(path, WATCHED[name])):
                yield f"{name}/{path.name}", path


def inbox_state(settings: MonitorSettings, previous: InboxState,
                now: float | None = None) -> InboxState:
    """The settled files of the inbox with their hashes, reusing `previous` where a file's size
    and modification time are unchanged; a file still being written keeps its previous entry."""
    now = time.time() if now is None else now
    state: InboxState = {}
    for key, path in watched_files(settings):
        stat = path.stat()
        seen = previous.get(key)
        if now - stat.st_mtime < SETTLE_SECONDS:
            if seen:
                state[key] = seen
            continue
        if seen and (seen.size, seen.mtime_ns) == (stat.st_size, stat.st_mtime_ns):
            state[key] = seen
        else:
            state[key] = SeenFile(stat.st_size, stat.st_mtime_ns, sha256_of(path))
    return state


def new_contents(previous: InboxState, current: InboxState) -> list[str]:
    """The files of `current` whose content no file of `previous` had."""
    known = {seen.sha256 for seen in previous.values()}
    return sorted(key for key, seen in current.items() if seen.sha256 not in known)


def state_of_cursor(cursor: str | None) -> InboxState:
    return {key: SeenFile(*entry) for key, entry in json.loads(cursor or "{}").items()}


def cursor_of_state(state: InboxState) -> str:
    return json.dumps({key: list(seen) for key, seen in sorted(state.items())},
                      separators=(",", ":"))


def inbox_sensor(job: UnresolvedAssetJobDefinition) -> SensorDefinition:
    """The sensor that runs `job` when the inbox holds content it has not seen before."""

    @sensor(name="inbox_sensor", job=job, minimum_interval_seconds=60,
            default_status=DefaultSensorStatus.RUNNING,
            description="Starts a refresh when a new or changed file (by its content) is in the "
                        "inbox; a file dropped again or renamed starts nothing.")
    def new_inbox_content(context: SensorEvaluationContext,
                          settings: MonitorSettings) -> RunRequest | SkipReason:
        previous = state_of_cursor(context.cursor)
        current = inbox_state(settings, previous)
        if current != previous:
            context.update_cursor(cursor_of_state(current))
        new = new_contents(previous, current)
        if not new:
            return SkipReason(f"Brak nowych plików w skrzynce ({len(current)} znanych).")
        folders = sorted({key.split("/", 1)[0] for key in new})
        shown = ", ".join(new[:LOGGED_FILES]) + (" …" if len(new) > LOGGED_FILES else "")
        context.log.info(f"Nowe lub zmienione pliki w skrzynce: {len(new)} ({shown}).")
        return RunRequest(tags={"pes_monitor/trigger": "inbox",
                                "pes_monitor/inbox_folders": ",".join(folders)})

    return new_inbox_content


@sensor(minimum_interval_seconds=60, default_status=DefaultSensorStatus.RUNNING,
        description="Marks failed the runs a killed process left STARTED, which would otherwise "
                    "keep the one-run-at-a-time queue (and the monthly schedule) waiting.")
def abandoned_runs_sensor(context: SensorEvaluationContext) -> SkipReason:
    marked = mark_abandoned_runs(context.instance)
    return SkipReason(f"Marked failed: {', '.join(marked)}" if marked else "No abandoned runs.")
