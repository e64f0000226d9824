"""Notifications of a refresh's outcome: a command and a webhook on 127.0.0.1 are told what,
when, why and where the report is, by the run status sensors the daemon evaluates (runs of the
schedule or the UI); a notification that fails never fails anything."""

from __future__ import annotations

import json
import socket
from pathlib import Path

import pytest
from dagster import AssetKey, DagsterEventType, DagsterInstance, build_run_status_sensor_context
from pytest_httpserver import HTTPServer

from pipelines.cli import dagster_home
from pipelines.definitions import build_definitions
from pipelines.notify import NOTIFIED_TAG, send
from pipelines.settings import Settings, load_settings
from tests.conftest import fixture_env


@pytest.fixture(scope="session")
def httpserver_listen_address() -> tuple[str, int]:
    return "127.0.0.1", 0


def settings_of(root: Path, **notify: str) -> Settings:
    """Settings of a refresh in `root` whose reference folder is empty: its TERYT step fails."""
    (root / "reference").mkdir(parents=True)
    return load_settings({**fixture_env(root, root / "inbox"),
                          "PES_REFERENCE": str(root / "reference"), **notify})


def finished_run(settings: Settings, root: Path, **tags: str) -> tuple[DagsterInstance, str]:
    """A real run of the refresh job (the TERYT reference step alone) in a real instance."""
    instance = DagsterInstance.from_config(str(dagster_home(root / "dagster")))
    result = build_definitions(settings=settings).resolve_job_def(
        "monthly_refresh").execute_in_process(
        instance=instance, raise_on_error=False, tags=tags,
        asset_selection=[AssetKey(["core", "teryt_unit"])])
    assert not result.success
    return instance, result.run_id


def evaluate_failure_sensor(settings: Settings, instance: DagsterInstance, run_id: str) -> None:
    """What the daemon does when the run has failed: evaluate `notify_on_failure` on it."""
    sensor = next(sensor for sensor in build_definitions(settings=settings).sensors
                  if sensor.name == "notify_on_failure")
    event = instance.all_logs(run_id, of_type=DagsterEventType.RUN_FAILURE)[0].dagster_event
    sensor(build_run_status_sensor_context(
        sensor_name=sensor.name, dagster_event=event, dagster_instance=instance,
        dagster_run=instance.get_run_by_id(run_id)))


def test_a_failed_run_of_the_schedule_is_told_to_the_command_and_the_webhook(
        tmp_path: Path, httpserver: HTTPServer) -> None:
    httpserver.expect_request("/pes", method="POST").respond_with_data("ok")
    told = tmp_path / "told.json"
    settings = settings_of(tmp_path, PES_NOTIFY_COMMAND=f"cat > '{told}'",
                           PES_NOTIFY_URL=httpserver.url_for("/pes"))
    instance, run_id = finished_run(settings, tmp_path)
    evaluate_failure_sensor(settings, instance, run_id)

    by_command = json.loads(told.read_text(encoding="utf-8"))
    (request, _), = httpserver.log
    assert json.loads(request.get_data(as_text=True)) == by_command
    assert request.headers["Content-Type"] == "application/json"
    assert by_command["what"] == "failed" and by_command["what_pl"] == "NIEUDANE"
    assert by_command["run_id"] == run_id and by_command["release"] is None
    assert by_command["when"].endswith(("+01:00", "+02:00"))  # Warsaw time
    (why,) = by_command["why"]
    # the missing file
    assert why.startswith("core__teryt_unit: ") and "terc_PL_2022-01-01.csv" in why


def test_a_run_the_cli_told_itself_is_not_told_again(tmp_path: Path) -> None:
    told = tmp_path / "told.json"
    settings = settings_of(tmp_path, PES_NOTIFY_COMMAND=f"cat > '{told}'")
    instance, run_id = finished_run(settings, tmp_path, **{NOTIFIED_TAG: "cli"})
    evaluate_failure_sensor(settings, instance, run_id)
    assert not told.exists()


def closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def test_a_notification_that_fails_is_reported_never_raised(
        tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    settings = settings_of(tmp_path, PES_NOTIFY_COMMAND="echo nie ma takiego >&2; exit 7",
                           PES_NOTIFY_URL=f"http://127.0.0.1:{closed_port()}/pes")
    problems = send({"what": "failed"}, settings)
    assert problems[0] == ("polecenie powiadomienia (PES_NOTIFY_COMMAND) zakończyło się kodem "
                           "7: nie ma takiego")
    assert problems[1].startswith("powiadomienie na adres PES_NOTIFY_URL nie doszło: ")
    assert "odświeżenie nie jest przez to nieudane" in caplog.text
    instance, run_id = finished_run(settings, tmp_path)
    evaluate_failure_sensor(settings, instance, run_id)  # logs, does not raise
