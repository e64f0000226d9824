"""The inbox sensor through Dagster's own sensor evaluation, with real files in a real inbox.

A file counts by its content: new or changed bytes start one refresh, the same bytes dropped
again or under another name start nothing, and a file still being copied in waits.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import time
from pathlib import Path

import pytest
from dagster import DagsterInstance, build_sensor_context

from pipelines.definitions import monthly_refresh
from pipelines.resources import settings_from_env
from pipelines.sensors import SETTLE_SECONDS, inbox_sensor

FIXTURE_INBOX = Path(__file__).parent / "fixtures" / "inbox"
CATALOGUE = FIXTURE_INBOX / "pes_catalogue" / "katalog_pes_2020-12-31.csv"
KRS_EXTRACT = FIXTURE_INBOX / "krs" / "odpis_aktualny_0000100001.json"


class Sensor:
    """The sensor of one temporary inbox, evaluated tick after tick with the cursor it keeps."""

    def __init__(self, root: Path) -> None:
        self.inbox = root / "inbox"
        self.inbox.mkdir()
        self.settings = settings_from_env({"PES_INBOX": str(self.inbox),
                                           "PES_VAR": str(root / "var")})
        self.definition = inbox_sensor(monthly_refresh)
        self.instance = DagsterInstance.ephemeral()
        self.cursor: str | None = None

    def tick(self):
        context = build_sensor_context(instance=self.instance, cursor=self.cursor,
                                       resources={"settings": self.settings})
        result = self.definition.evaluate_tick(context)
        if result.cursor is not None:
            self.cursor = result.cursor
        return result

    def drop(self, source: Path, folder: str, name: str | None = None, age: float = 120.0,
             content: bytes | None = None) -> Path:
        """Put a file into the inbox as an analyst would, last modified `age` seconds ago."""
        target = self.inbox / folder / (name or source.name)
        target.parent.mkdir(exist_ok=True)
        target.write_bytes(source.read_bytes() if content is None else content)
        moment = time.time() - age
        os.utime(target, (moment, moment))
        return target


@pytest.fixture
def sensor(tmp_path: Path) -> Sensor:
    return Sensor(tmp_path)


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_an_empty_inbox_starts_nothing(sensor: Sensor) -> None:
    result = sensor.tick()
    assert result.run_requests == []
    assert result.skip_message


def test_a_new_file_starts_one_refresh_of_the_whole_job(sensor: Sensor) -> None:
    sensor.tick()
    sensor.drop(CATALOGUE, "pes_catalogue")
    result = sensor.tick()
    assert len(result.run_requests) == 1
    request = result.run_requests[0]
    # the whole monthly job (pipelines/sensors.py says why): no narrower asset selection
    assert request.job_name in (None, "monthly_refresh")
    assert request.asset_selection is None
    assert request.tags["pes_monitor/inbox_folders"] == "pes_catalogue"
    # the cursor holds the file's hash
    cursor = json.loads(sensor.cursor)
    assert cursor["pes_catalogue/katalog_pes_2020-12-31.csv"][2] == sha256(CATALOGUE)


def test_the_same_file_dropped_twice_starts_nothing(sensor: Sensor) -> None:
    sensor.drop(CATALOGUE, "pes_catalogue")
    assert len(sensor.tick().run_requests) == 1
    assert sensor.tick().run_requests == []
    # dropped again: the same bytes, written anew (a later modification time)
    sensor.drop(CATALOGUE, "pes_catalogue", age=60.0)
    again = sensor.tick()
    assert again.run_requests == []
    assert again.skip_message


def test_a_renamed_file_starts_nothing(sensor: Sensor) -> None:
    dropped = sensor.drop(CATALOGUE, "pes_catalogue")
    assert len(sensor.tick().run_requests) == 1
    dropped.rename(dropped.with_name("katalog_pes_kopia_2020-12-31.csv"))
    assert sensor.tick().run_requests == []
    assert "pes_catalogue/katalog_pes_kopia_2020-12-31.csv" in json.loads(sensor.cursor)


def test_a_changed_file_starts_a_refresh(sensor: Sensor) -> None:
    sensor.drop(CATALOGUE, "pes_catalogue")
    sensor.drop(KRS_EXTRACT, "krs")
    assert len(sensor.tick().run_requests) == 1
    changed = CATALOGUE.read_bytes() + "\r\n".encode("cp1250")
    sensor.drop(CATALOGUE, "pes_catalogue", content=changed, age=60.0)
    result = sensor.tick()
    assert len(result.run_requests) == 1
    assert result.run_requests[0].tags["pes_monitor/inbox_folders"] == "pes_catalogue"
    entry = json.loads(sensor.cursor)["pes_catalogue/katalog_pes_2020-12-31.csv"]
    assert entry[2] == hashlib.sha256(changed).hexdigest()


def test_every_new_source_is_named_in_one_request(sensor: Sensor) -> None:
    sensor.drop(CATALOGUE, "pes_catalogue")
    sensor.drop(KRS_EXTRACT, "krs")
    sensor.drop(FIXTURE_INBOX / "wtz_register" / "wykaz_wtz_2020-12-31.csv", "decisions",
                name="decyzje.csv")
    result = sensor.tick()
    assert len(result.run_requests) == 1
    assert result.run_requests[0].tags["pes_monitor/inbox_folders"] == \
        "decisions,krs,pes_catalogue"


def test_a_file_still_being_copied_waits_for_the_next_tick(sensor: Sensor) -> None:
    dropped = sensor.drop(CATALOGUE, "pes_catalogue", age=SETTLE_SECONDS / 3)
    waiting = sensor.tick()
    assert waiting.run_requests == []
    moment = time.time() - 2 * SETTLE_SECONDS
    os.utime(dropped, (moment, moment))
    assert len(sensor.tick().run_requests) == 1


def test_files_a_refresh_does_not_read_start_nothing(sensor: Sensor) -> None:
    sensor.drop(CATALOGUE, "pes_catalogue", name="notatki.txt")
    sensor.drop(CATALOGUE, "pes_catalogue", name="~$katalog.csv")  # an office's lock file
    sensor.drop(CATALOGUE, "nieznany_folder")
    shutil.copy(CATALOGUE, sensor.inbox / CATALOGUE.name)  # the inbox's own root
    assert sensor.tick().run_requests == []
    assert json.loads(sensor.cursor or "{}") == {}


def test_a_file_whose_size_and_time_are_unchanged_is_not_read_again(sensor: Sensor) -> None:
    """The cheap pre-check: the sensor trusts (size, mtime) and hashes only what changed.

    Bytes swapped in place under the same size and modification time go unseen; this shows the
    sensor did not read the file (an office's copy always changes the modification time).
    """
    dropped = sensor.drop(CATALOGUE, "pes_catalogue")
    assert len(sensor.tick().run_requests) == 1
    stat = dropped.stat()
    original = dropped.read_bytes()
    dropped.write_bytes(original[::-1])
    os.utime(dropped, ns=(stat.st_atime_ns, stat.st_mtime_ns))
    assert sensor.tick().run_requests == []
    entry = json.loads(sensor.cursor)["pes_catalogue/katalog_pes_2020-12-31.csv"]
    assert entry[2] == hashlib.sha256(original).hexdigest()
