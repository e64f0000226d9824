"""A refresh with the Dagster instance on PostgreSQL (deploy/dagster.postgres.yaml).

The shared deployment keeps run history, event logs and schedule state in PostgreSQL. This runs
`pes-monitor refresh` of the hand-made inbox with that instance, in a database of its own, and
finds the run and its materialisations there, and nothing in SQLite. CI must run it (`.ci/run`
starts Debian's PostgreSQL and sets PES_TEST_POSTGRES_URL): there a missing server is a
failure, elsewhere a skip.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import uuid
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

import psycopg2
import pytest
from dagster import AssetKey, DagsterInstance, DagsterRunStatus

from tests.conftest import fixture_env
from tests.fixture_inbox import write_fixture_inbox

ROOT = Path(__file__).resolve().parents[1]
REFRESH_TIMEOUT_S = 900


def postgres_or_skip() -> str:
    """The server's URL; skip without a reachable one, but fail in CI, which must run this."""
    url = os.environ.get("PES_TEST_POSTGRES_URL", "")
    problem = "PES_TEST_POSTGRES_URL is not set (.ci/run starts PostgreSQL and sets it)"
    if url:
        try:
            psycopg2.connect(url, connect_timeout=5).close()
            return url
        except psycopg2.OperationalError as error:
            problem = f"PostgreSQL at {urlsplit(url).hostname} is not reachable: {error}"
    if os.environ.get("CI"):
        pytest.fail(problem)
    pytest.skip(problem)


def run_sql(url: str, sql: str, params: tuple = ()) -> list[tuple]:
    with psycopg2.connect(url) as con, con.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall() if cursor.description else []


@pytest.fixture
def instance_database() -> Iterator[dict[str, str]]:
    """A database of its own for this test, as the PES_DAGSTER_PG_* variables name it."""
    server = urlsplit(postgres_or_skip())
    name = f"pes_test_{uuid.uuid4().hex[:12]}"
    admin = psycopg2.connect(server.geturl())
    admin.autocommit = True
    admin.cursor().execute(f"create database {name}")
    try:
        yield {"PES_DAGSTER_PG_HOST": server.hostname or "127.0.0.1",
               "PES_DAGSTER_PG_PORT": str(server.port or 5432), "PES_DAGSTER_PG_DB": name,
               "PES_DAGSTER_PG_USER": server.username or "",
               "PES_DAGSTER_PG_PASSWORD": server.password or ""}
    finally:
        admin.cursor().execute(f"drop database if exists {name} with (force)")
        admin.close()


def test_a_refresh_is_recorded_in_the_postgres_instance(
        tmp_path: Path, instance_database: dict[str, str],
        monkeypatch: pytest.MonkeyPatch) -> None:
    home = tmp_path / "dagster"
    home.mkdir()
    shutil.copyfile(ROOT / "deploy" / "dagster.postgres.yaml", home / "dagster.yaml")
    inbox = write_fixture_inbox(tmp_path / "inbox")
    env = {**os.environ, **fixture_env(tmp_path, inbox), **instance_database,
           "DAGSTER_HOME": str(home)}
    done = subprocess.run([str(Path(sys.executable).with_name("pes-monitor")), "refresh"],
                          env=env, capture_output=True, text=True, timeout=REFRESH_TIMEOUT_S)
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    dashboard = Path(done.stdout.strip().splitlines()[-1])
    assert dashboard.is_file()
    release = json.loads((dashboard.parent / "release.json").read_text(encoding="utf-8"))

    # the run, as PostgreSQL holds it
    database = instance_database
    url = (f"postgresql://{database['PES_DAGSTER_PG_USER']}:{database['PES_DAGSTER_PG_PASSWORD']}"
           f"@{database['PES_DAGSTER_PG_HOST']}:{database['PES_DAGSTER_PG_PORT']}/"
           f"{database['PES_DAGSTER_PG_DB']}")
    runs = run_sql(url, "select run_id, pipeline_name, status from runs")
    assert runs == [(release["run_id"], "monthly_refresh", "SUCCESS")]
    published = run_sql(url, "select count(*) from event_logs where run_id = %s and "
                             "dagster_event_type = 'ASSET_MATERIALIZATION' and asset_key = %s",
                        (release["run_id"], AssetKey(["publish", "dashboard"]).to_string()))
    assert published == [(1,)]

    # ... and as Dagster reads it back through the same dagster.yaml
    for name, value in instance_database.items():
        monkeypatch.setenv(name, value)
    with DagsterInstance.from_config(str(home)) as instance:
        assert type(instance.run_storage).__name__ == "PostgresRunStorage"
        run = instance.get_run_by_id(release["run_id"])
        assert run is not None and run.status == DagsterRunStatus.SUCCESS
    assert sorted(p.name for p in home.rglob("*.db")) == []  # no SQLite storage beside it
