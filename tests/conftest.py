"""Shared fixtures: one full refresh of the hand-made inbox into a temporary folder.

The suite runs in two pytest-xdist workers (pyproject's addopts: `-n 2 --dist loadscope`).
Each worker makes the session's refresh once, when its first test asks for it; tests only read
it, and a test that changes an input refreshes a copy (`published_copy`). Whole modules go to
one worker, so a module-scoped refresh of a module's own inbox is made once too.
"""

from __future__ import annotations

import hashlib
import shutil
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
        """The current release's folder (`latest`, a link to releases/<id>)."""
        return self.root / "var" / "publish" / "latest"

    @property
    def landing(self) -> Path:
        return self.root / "var" / "landing"

    def query(self, sql: str, params: list | None = None) -> pd.DataFrame:
        with duckdb.connect(str(self.warehouse), read_only=True) as con:
            return con.execute(sql, params or []).df()


def fixture_env(root: Path, inbox: Path) -> dict[str, str]:
    """Settings of a refresh of the hand-made inbox in `root`.

    The inbox's files are a dozen rows each with faults on purpose (a third of the catalogue
    and half of the register are rejected), so the share of quarantined rows that holds back a
    publication is raised from 5 % to 60 % here; tests/test_quality_gate.py tests the default.
    """
    return {"PES_INBOX": str(inbox), "PES_VAR": str(root / "var"),
            "PES_KEY_FILE": str(root / "secrets" / "pseudonym.key"),
            "PES_PERIOD_END": FIXTURE_PERIOD_END, "PES_MAX_QUARANTINE_SHARE": "0.6"}


def run_refresh(env: dict[str, str]) -> ExecuteInProcessResult:
    """The monthly job, as the schedule runs it, with resources from `env`."""
    job = build_definitions(env).resolve_job_def("monthly_refresh")
    return job.execute_in_process(instance=DagsterInstance.ephemeral(), raise_on_error=False)


def sha256_file(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def refresh_of(root: Path, write_inbox: Callable[[Path], Path]) -> Refresh:
    """A first refresh in `root` of the inbox `write_inbox` writes into `root/inbox`."""
    inbox = write_inbox(root / "inbox")
    env = fixture_env(root, inbox)
    return Refresh(root=root, inbox=inbox, env=env, result=run_refresh(env))


@pytest.fixture(scope="session")
def refreshed(tmp_path_factory: pytest.TempPathFactory) -> Refresh:
    return refresh_of(tmp_path_factory.mktemp("refresh"), write_fixture_inbox)


@dataclass
class SecondRefresh:
    """A private copy of the session's published refresh, to change and refresh again."""

    first: Refresh

    def again(self, **overrides: str) -> Refresh:
        """Refresh the copy; keyword arguments override settings (PES_MAX_QUARANTINE_SHARE=...)."""
        env = {**self.first.env, **overrides}
        return Refresh(root=self.first.root, inbox=self.first.inbox, env=env,
                       result=run_refresh(env))


@pytest.fixture
def published_copy(refreshed: Refresh, tmp_path: Path) -> SecondRefresh:
    """The session's refresh copied whole (inbox, landing, warehouse, publication, key).

    Landing paths are relative to the landing folder, so the copy is self-contained, and tests
    that break an input need not pay for a first refresh of their own.
    """
    return SecondRefresh(copy_of_refresh(refreshed, tmp_path))


def copy_of_refresh(run: Refresh, root: Path) -> Refresh:
    """The run's whole folder (inbox and var/) copied to `root`, its settings pointed there;
    `latest` stays a link to a release of the copy (it is relative)."""
    shutil.copytree(run.root, root, symlinks=True, dirs_exist_ok=True)
    inbox = root / run.inbox.name
    return Refresh(root=root, inbox=inbox, env=fixture_env(root, inbox), result=run.result)
