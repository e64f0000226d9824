"""`pes-monitor serve`: the Dagster webserver and daemon together, so refreshes run themselves.

`dagster dev` runs the schedule and the sensors only while it is open, and it is a development
tool. An office's machine runs the two processes Dagster deploys with: the webserver (the UI,
on 127.0.0.1 unless told otherwise) and the daemon (the monthly schedule, the inbox sensor, the
run queue). Both read the same DAGSTER_HOME. Each is started in a process group of its own, so
stopping `serve` (Ctrl+C, or SIGTERM from systemd) stops each whole group: the code servers
and any run in progress with it. A run stopped that way stays STARTED in the instance; it is
marked failed at the next start, and the previous release stays published.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from contextlib import suppress
from pathlib import Path

DEFINITIONS_MODULE = "pipelines.definitions"
STOP_GRACE_SECONDS = 20.0


def serve_commands(host: str, port: int) -> dict[str, list[str]]:
    """The webserver's and the daemon's command lines, the executables installed beside us."""
    bin_dir = Path(sys.executable).parent
    return {
        "serwer WWW Dagstera": [str(bin_dir / "dagster-webserver"), "-h", host, "-p", str(port),
                                "-m", DEFINITIONS_MODULE],
        "demon Dagstera": [str(bin_dir / "dagster-daemon"), "run", "-m", DEFINITIONS_MODULE],
    }


def stop_groups(processes: list[subprocess.Popen], grace: float = STOP_GRACE_SECONDS) -> None:
    """Stop processes and everything they started: SIGTERM to each one's process group, then
    SIGKILL to whatever is left after `grace` seconds."""
    for process in processes:
        with suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGTERM)
    deadline = time.monotonic() + grace
    while time.monotonic() < deadline and any(group_alive(p) for p in processes):
        time.sleep(0.2)
    for process in processes:
        with suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGKILL)
        process.wait()


def group_alive(process: subprocess.Popen) -> bool:
    """Whether any process of the group `process` leads is still there (the leader reaped)."""
    process.poll()
    try:
        os.killpg(process.pid, 0)
    except ProcessLookupError:
        return False
    return True


def instance_home_problem(home: str) -> str | None:
    """Why DAGSTER_HOME cannot serve, in Polish, or None. Without its dagster.yaml the daemon
    would run on Dagster's defaults: no one-run-at-a-time queue for the single-writer warehouse."""
    if not home:
        return "Nie ustawiono DAGSTER_HOME: ustaw katalog instancji Dagstera (docs/operations.md)."
    if not (Path(home) / "dagster.yaml").is_file():
        return (f"DAGSTER_HOME={home}: brak pliku {Path(home) / 'dagster.yaml'}. Utwórz katalog "
                f"i skopiuj do niego dagster.yaml projektu (SQLite) albo "
                f"deploy/dagster.postgres.yaml (PostgreSQL) jako dagster.yaml; bez DAGSTER_HOME "
                f"`pes-monitor` sam używa var/dagster.")
    return None


def serve(host: str = "127.0.0.1", port: int = 3000) -> int:
    """Run the webserver and the daemon until a signal stops them or one of them ends.

    Returns 0 when stopped by Ctrl+C or SIGTERM, 1 when a process ended on its own, 2 when the
    Dagster home is not ready.
    """
    problem = instance_home_problem(os.environ.get("DAGSTER_HOME", ""))
    if problem:
        print(problem, file=sys.stderr)
        return 2
    from dagster import DagsterInstance

    from assets.writer_lock import mark_abandoned_runs

    for abandoned in mark_abandoned_runs(DagsterInstance.get()):
        print(f"Przebieg {abandoned} przerwany wcześniej: oznaczony jako nieudany.", flush=True)
    stop_requested: list[int] = []

    def request_stop(signum: int, _frame: object) -> None:
        stop_requested.append(signum)

    previous = {sig: signal.signal(sig, request_stop) for sig in (signal.SIGINT, signal.SIGTERM)}
    processes: dict[str, subprocess.Popen] = {}
    try:
        for name, command in serve_commands(host, port).items():
            processes[name] = subprocess.Popen(command, start_new_session=True)
        print(f"Dagster działa: interfejs http://{host}:{port}, demon uruchamia harmonogram "
              f"i czujniki (DAGSTER_HOME={os.environ.get('DAGSTER_HOME', '')}). "
              f"Ctrl+C zatrzymuje oba.", flush=True)
        ended: dict[str, int] = {}
        while not stop_requested and not ended:
            time.sleep(0.5)
            ended = {name: code for name, process in processes.items()
                     if (code := process.poll()) is not None}
    finally:
        stop_groups(list(processes.values()))
        for sig, handler in previous.items():
            signal.signal(sig, handler)
    if stop_requested:
        print("Zatrzymano serwer WWW i demona Dagstera.", flush=True)
        return 0
    for name, code in ended.items():
        print(f"{name} zakończył się sam (kod {code}); zatrzymano pozostałe procesy. Przyczyna "
              f"jest w komunikatach powyżej; po jej usunięciu uruchom ponownie "
              f"`pes-monitor serve`.", file=sys.stderr, flush=True)
    return 1
