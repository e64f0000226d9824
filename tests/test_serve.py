"""`pes-monitor serve` end to end: the webserver answers on 127.0.0.1, the daemon beats, the
schedule and the inbox sensor are on, a file in the inbox starts a run through the daemon, and
SIGTERM leaves no process behind (the run's included)."""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from contextlib import suppress
from pathlib import Path

import pytest
import requests
from dagster import DagsterInstance, RunsFilter

from assets.writer_lock import PID_TAG
from pipelines.cli import dagster_home, main

START_TIMEOUT_S = 240
STOP_TIMEOUT_S = 60
# The daemons that run the schedule, the sensors and the one-run-at-a-time queue.
DAEMONS = {"SCHEDULER", "SENSOR", "QUEUED_RUN_COORDINATOR"}
INSTIGATORS = """
{ repositoriesOrError { ... on RepositoryConnection { nodes {
    schedules { name scheduleState { status } }
    sensors { name sensorState { status } } } } } }
"""


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def descendants(pid: int) -> set[int]:
    """Every process below `pid`, from /proc."""
    children: dict[int, list[int]] = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        children.setdefault(int(fields[1]), []).append(int(stat.parent.name))
    found, todo = set(), [pid]
    while todo:
        for child in children.get(todo.pop(), []):
            found.add(child)
            todo.append(child)
    return found


def alive(pid: int) -> bool:
    """A process that exists and is not a zombie."""
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


def wait_for(what: str, condition, timeout: float, process: subprocess.Popen):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        assert process.poll() is None, f"serve ended while waiting for {what}"
        value = condition()
        if value:
            return value
        time.sleep(1)
    pytest.fail(f"{what}: nothing after {timeout} s")


def webserver_instigators(port: int) -> dict[str, str] | None:
    """The schedules' and sensors' status as the webserver reports them (None: not up yet)."""
    try:
        info = requests.get(f"http://127.0.0.1:{port}/server_info", timeout=5)
        answer = requests.post(f"http://127.0.0.1:{port}/graphql",
                               json={"query": INSTIGATORS}, timeout=30)
    except requests.ConnectionError:
        return None
    if info.status_code != 200 or answer.status_code != 200:
        return None
    nodes = answer.json()["data"]["repositoriesOrError"].get("nodes") or []
    found = {}
    for repository in nodes:
        found |= {s["name"]: s["scheduleState"]["status"] for s in repository["schedules"]}
        found |= {s["name"]: s["sensorState"]["status"] for s in repository["sensors"]}
    return found or None


def test_serve_runs_webserver_and_daemon_and_stops_cleanly(tmp_path: Path) -> None:
    home = dagster_home(tmp_path / "dagster")
    catalogue = tmp_path / "inbox" / "pes_catalogue" / "katalog_pes_2020-12-31.csv"
    catalogue.parent.mkdir(parents=True)
    shutil.copyfile(Path(__file__).parent / "fixtures" / "inbox" / "pes_catalogue" /
                    catalogue.name, catalogue)
    os.utime(catalogue, (time.time() - 600, time.time() - 600))  # settled, not being copied
    port = free_port()
    env = {**os.environ, "DAGSTER_HOME": str(home), "PES_VAR": str(tmp_path / "var"),
           "PES_INBOX": str(tmp_path / "inbox"),
           "PES_KEY_FILE": str(tmp_path / "secrets" / "pseudonym.key")}
    command = [str(Path(sys.executable).with_name("pes-monitor")), "serve", "--port", str(port)]
    serve = subprocess.Popen(command, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                             text=True, start_new_session=True)
    below: set[int] = set()
    try:
        instigators = wait_for("the webserver on 127.0.0.1",
                               lambda: webserver_instigators(port), START_TIMEOUT_S, serve)
        assert instigators["monthly_refresh_schedule"] == "RUNNING"
        assert instigators["inbox_sensor"] == "RUNNING"
        instance = DagsterInstance.from_config(str(home))
        wait_for("the daemon's heartbeats",
                 lambda: set(instance.get_daemon_heartbeats()) >= DAEMONS, START_TIMEOUT_S, serve)
        liveness = subprocess.run(
            [str(Path(sys.executable).with_name("dagster-daemon")), "liveness-check"],
            env=env, capture_output=True, text=True, timeout=120)
        assert liveness.returncode == 0, liveness.stdout + liveness.stderr
        # the inbox sensor's first tick finds the catalogue new; the queue launches its run,
        # whose process tags the run with its pid once it holds the warehouse
        runs = wait_for("a run of the inbox sensor, executing", lambda: [
            run for run in instance.get_runs(RunsFilter(tags={"pes_monitor/trigger": "inbox"}))
            if PID_TAG in run.tags], START_TIMEOUT_S, serve)
        assert len(runs) == 1
        below = descendants(serve.pid)
        assert int(runs[0].tags[PID_TAG]) in below
        assert len(below) >= 2  # the webserver and the daemon, with their code servers
        serve.send_signal(signal.SIGTERM)
        output, _ = serve.communicate(timeout=STOP_TIMEOUT_S)
    finally:  # a failed test leaves nothing running either: serve's group and its children's
        for group in {serve.pid, *below} if serve.poll() is None else below:
            with suppress(ProcessLookupError):
                os.killpg(group, signal.SIGKILL)
    assert serve.returncode == 0, output
    assert "Zatrzymano serwer WWW i demona Dagstera." in output
    assert f"http://127.0.0.1:{port}" in output
    assert [pid for pid in below if alive(pid)] == []
    with pytest.raises(requests.ConnectionError):
        requests.get(f"http://127.0.0.1:{port}/server_info", timeout=5)


@pytest.mark.parametrize("make_home", [False, True])
def test_serve_refuses_a_dagster_home_without_its_dagster_yaml(
        tmp_path: Path, make_home: bool, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    home = tmp_path / "dagster"
    if make_home:
        home.mkdir()
    monkeypatch.setenv("DAGSTER_HOME", str(home))
    assert main(["serve", "--port", str(free_port())]) == 2
    error = capsys.readouterr().err
    assert f"DAGSTER_HOME={home}: brak pliku {home / 'dagster.yaml'}" in error
    assert "deploy/dagster.postgres.yaml" in error
