"""One writer per warehouse: a refresh holds an OS lock on `<warehouse>.lock` for its whole run.

DuckDB's own file lock is taken and released by every step, so two refreshes started together
would interleave step by step; Dagster's run queue covers only queued runs, not one the CLI
runs in its own process. This lock covers both: the CLI takes it before the run starts, the
warehouse resource when a run starts anywhere else (schedule, UI, sensor). A second refresh
is refused at once (or waits `PES_LOCK_WAIT` seconds) with a message naming the running one.
The operating system releases the lock when its process dies, even by SIGKILL.

A killed process also leaves its run STARTED in the Dagster instance, and with one run at a
time the queue would never start another: `mark_abandoned_runs` marks such runs failed.
"""

from __future__ import annotations

import fcntl
import json
import os
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path

from dagster import DagsterInstance, DagsterRunStatus, RunsFilter

PID_TAG = "pes_monitor/pid"
# A run with no pid tag yet may be one still starting up; older than this, it is abandoned.
STARTING_GRACE_SECONDS = 120
# The lock's file descriptor and depth, per lock file, for the process that holds it.
_held: dict[str, list[int]] = {}


#: How a refusal begins: the run outcome (pipelines/run_outcome.py) recognises it by this.
BUSY_PL = "Inne odświeżenie zapisuje już do tej hurtowni"


class WarehouseBusy(RuntimeError):
    """Another refresh is writing to the warehouse."""

    def __init__(self, lock_file: Path, holder: dict) -> None:
        self.holder = holder
        super().__init__(
            f"{BUSY_PL} (pid {holder.get('pid', '?')}, "
            f"przebieg {holder.get('run_id', '?')}, od {holder.get('started_at', '?')}). "
            f"To odświeżenie nie zostało uruchomione: poczekaj, aż tamto się skończy, i uruchom "
            f"je ponownie (albo ustaw PES_LOCK_WAIT, by czekać). Blokada: {lock_file}")


def lock_file_of(warehouse: Path) -> Path:
    return warehouse.with_name(warehouse.name + ".lock")


def lock_holder(lock_file: Path, patience: float = 2.0) -> dict:
    """Who holds the lock, as it wrote itself into the file (it may still be writing)."""
    deadline = time.monotonic() + patience
    while True:
        try:
            return json.loads(lock_file.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            if time.monotonic() >= deadline:
                return {}
            time.sleep(0.05)


@contextmanager
def writer_lock(warehouse: Path, run_id: str | None, wait_seconds: float = 0.0) -> Iterator[None]:
    """Hold the warehouse's writer lock; re-entrant within the process that holds it."""
    lock_file = lock_file_of(warehouse)
    key = str(lock_file.resolve())
    if key in _held:
        _held[key][1] += 1
        try:
            yield
        finally:
            _held[key][1] -= 1
        return
    lock_file.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(lock_file, os.O_RDWR | os.O_CREAT, 0o644)
    deadline = time.monotonic() + wait_seconds
    while True:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            break
        except BlockingIOError:
            if time.monotonic() >= deadline:
                os.close(fd)
                raise WarehouseBusy(lock_file, lock_holder(lock_file)) from None
            time.sleep(0.5)
    holder = {"pid": os.getpid(), "run_id": run_id,
              "started_at": datetime.now().isoformat(timespec="seconds")}
    os.ftruncate(fd, 0)
    os.pwrite(fd, json.dumps(holder).encode(), 0)
    _held[key] = [fd, 1]
    try:
        yield
    finally:
        del _held[key]
        os.ftruncate(fd, 0)
        fcntl.flock(fd, fcntl.LOCK_UN)
        os.close(fd)


def process_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def mark_abandoned_runs(instance: DagsterInstance, current_run_id: str | None = None) -> list[str]:
    """Mark failed the runs left STARTED by a process that is gone; returns their ids."""
    marked = []
    for run in instance.get_runs(filters=RunsFilter(statuses=[DagsterRunStatus.STARTED])):
        if run.run_id == current_run_id:
            continue
        pid = run.tags.get(PID_TAG)
        if pid is not None and process_alive(int(pid)):
            continue
        if pid is None:
            record = instance.get_run_record_by_id(run.run_id)
            started = record.start_time if record else None
            if started is None or time.time() - started < STARTING_GRACE_SECONDS:
                continue
        instance.report_run_failed(run, message=(
            f"Przebieg przerwany: jego proces (pid {pid or 'nieznany'}) już nie działa (zabity "
            f"lub awaria maszyny). Oznaczony jako nieudany przy starcie "
            f"{'przebiegu ' + current_run_id if current_run_id else 'kolejnego przebiegu'}."))
        marked.append(run.run_id)
    return marked
