"""Shared fixtures: one full refresh of the hand-made inbox into a temporary folder."""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import duckdb
import pandas as pd
import pytest
from dagster import DagsterInstance, ExecuteInProcessResult

from pipelines.definitions import build_definitions
from tests.fixture_inbox import write_fixture_inbox

FIXTURE_PERIOD_END = "2020-12-31"


@dataclass
class Refresh:
    """A finished refresh: its folders, the Dagster result and a way to query the warehouse."""

    root: Path
    inbox: Path
    env: dict[str, str]
    result: ExecuteInProcessResult

    @property
    def warehouse(self) -> Path:
        return self.root / "var" / "warehouse.duckdb"

    @property
    def publish(self) -> Path:
        return self.root / "var" / "publish"

    @property
    def landing(self) -> Path:
        return self.root / "var" / "landing"

    def query(self, sql: str, params: list | None = None) -> pd.DataFrame:
        with duckdb.connect(str(self.warehouse), read_only=True) as con:
            return con.execute(sql, params or []).df()


def fixture_env(root: Path, inbox: Path) -> dict[str, str]:
    return {"PES_INBOX": str(inbox), "PES_VAR": str(root / "var"),
            "PES_KEY_FILE": str(root / "secrets" / "pseudonym.key"),
            "PES_PERIOD_END": FIXTURE_PERIOD_END}


def run_refresh(env: dict[str, str]) -> ExecuteInProcessResult:
    """The monthly job, as the schedule runs it, with resources from `env`."""
    job = build_definitions(env).resolve_job_def("monthly_refresh")
    return job.execute_in_process(instance=DagsterInstance.ephemeral(), raise_on_error=False)


def sha256_file(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture(scope="session")
def refreshed(tmp_path_factory: pytest.TempPathFactory) -> Refresh:
    root = tmp_path_factory.mktemp("refresh")
    inbox = write_fixture_inbox(root / "inbox")
    env = fixture_env(root, inbox)
    return Refresh(root=root, inbox=inbox, env=env, result=run_refresh(env))


@pytest.fixture
def fresh_refresh(tmp_path: Path) -> Callable[[], Refresh]:
    """A refresh of its own (for tests that change the inbox between two runs)."""
    inbox = write_fixture_inbox(tmp_path / "inbox")
    env = fixture_env(tmp_path, inbox)
    return lambda: Refresh(root=tmp_path, inbox=inbox, env=env, result=run_refresh(env))
