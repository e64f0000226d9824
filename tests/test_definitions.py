"""The Dagster definitions load, validate with Dagster's own CLI and are scheduled monthly."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from pipelines.cli import dagster_home
from pipelines.definitions import build_definitions

ROOT = Path(__file__).resolve().parents[1]


def test_every_layer_is_present_with_its_group(tmp_path: Path) -> None:
    defs = build_definitions({"PES_VAR": str(tmp_path)})
    groups = {key.path[0] for key in defs.resolve_all_asset_keys()}
    assert groups == {"landing", "staging", "core", "marts", "publish"}
    schedule = defs.resolve_schedule_def("monthly_refresh_schedule")
    assert schedule.cron_schedule == "0 6 1 * *"
    assert schedule.execution_timezone == "Europe/Warsaw"


def test_dagster_definitions_validate(tmp_path: Path) -> None:
    home = dagster_home(tmp_path / "dagster")
    env = {**os.environ, "DAGSTER_HOME": str(home), "PES_VAR": str(tmp_path / "var")}
    dagster = Path(sys.executable).with_name("dagster")
    done = subprocess.run([str(dagster), "definitions", "validate", "-m", "pipelines.definitions"],
                          cwd=ROOT, env=env, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "Validation successful" in done.stdout + done.stderr
