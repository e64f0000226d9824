"""`pes-monitor refresh` as a separate process, for tests that kill it or race two of them."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from tests.conftest import Refresh

PES_MONITOR = str(Path(sys.executable).with_name("pes-monitor"))


def start_refresh(refresh: Refresh, **extra: str) -> subprocess.Popen:
    """Start the CLI's refresh on the folders of `refresh` (its Dagster home under var/)."""
    env = {**os.environ, **refresh.env, **extra}
    env.pop("DAGSTER_HOME", None)
    return subprocess.Popen([PES_MONITOR, "refresh"], env=env, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True)


def finished(process: subprocess.Popen, timeout: float = 600) -> tuple[int, str, str]:
    out, err = process.communicate(timeout=timeout)
    return process.returncode, out, err


def start_publish_step(refresh: Refresh, **extra: str) -> subprocess.Popen:
    """Start a run of the publish step alone, on marts a full refresh has already computed."""
    env = {**os.environ, **refresh.env, **extra,
           "DAGSTER_HOME": str(refresh.root / "var" / "dagster")}
    return subprocess.Popen([sys.executable, "-m", "tests.refresh_process"], env=env,
                            cwd=Path(__file__).resolve().parents[1], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True)


def run_publish_step() -> None:
    from dagster import AssetKey, DagsterInstance

    from assets.writer_lock import PID_TAG
    from pipelines.definitions import build_definitions

    job = build_definitions(os.environ).resolve_job_def("monthly_refresh")
    result = job.execute_in_process(instance=DagsterInstance.get(), raise_on_error=False,
                                    asset_selection=[AssetKey(["publish", "dashboard"])],
                                    tags={PID_TAG: str(os.getpid())})
    sys.exit(0 if result.success else 1)


if __name__ == "__main__":
    run_publish_step()
