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
