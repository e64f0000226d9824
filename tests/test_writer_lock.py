"""One writer per warehouse: of two refreshes started together one writes, the other is refused
at once with a message naming the running one."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

from assets.writer_lock import WarehouseBusy, writer_lock
from tests.conftest import SecondRefresh, fixture_env, run_refresh
from tests.refresh_process import finished, start_refresh


def hold_lock(warehouse: Path) -> subprocess.Popen:
    """Another process holding the warehouse's lock as run `run-one`, until killed."""
    holder = subprocess.Popen(
        [sys.executable, "-c", "import sys, time; from pathlib import Path; "
         "from assets.writer_lock import writer_lock\n"
         f"with writer_lock(Path({str(warehouse)!r}), 'run-one'):\n"
         "    print('held', flush=True); time.sleep(60)"],
        stdout=subprocess.PIPE, text=True)
    assert holder.stdout.readline().strip() == "held"
    return holder


def test_a_second_holder_is_refused_with_the_first_ones_pid_and_run(tmp_path: Path) -> None:
    warehouse = tmp_path / "warehouse.duckdb"
    holder = hold_lock(warehouse)
    try:
        with pytest.raises(WarehouseBusy) as refused, writer_lock(warehouse, "run-two"):
            pass
        message = str(refused.value)
        assert f"pid {holder.pid}" in message and "run-one" in message
        assert message.startswith("Inne odświeżenie zapisuje już do tej hurtowni")
    finally:
        holder.kill()
        holder.wait()
    with writer_lock(warehouse, "run-two"):  # released by the OS when its process died
        pass


def test_two_refreshes_started_together_never_both_write(published_copy: SecondRefresh) -> None:
    first = published_copy.first
    one, two = start_refresh(first), start_refresh(first)
    (code_one, out_one, err_one), (code_two, out_two, err_two) = finished(one), finished(two)
    assert sorted([code_one, code_two]) == [0, 3], (err_one[-2000:], err_two[-2000:])
    winner, loser = (one, two) if code_one == 0 else (two, one)
    out_winner, err_loser = (out_one, err_two) if code_one == 0 else (out_two, err_one)
    run_id = re.search(r"\(przebieg ([0-9a-f-]{36})\)", out_winner).group(1)
    assert f"pid {winner.pid}" in err_loser and run_id in err_loser
    assert "Inne odświeżenie zapisuje już do tej hurtowni" in err_loser
    assert out_winner.strip().splitlines()[-1].endswith("dashboard.html")
    releases = first.query("select run_id from accepted.release")["run_id"].tolist()
    assert releases == [first.result.run_id, run_id]  # the loser accepted nothing


def test_a_run_started_by_the_schedule_or_ui_is_refused_too(tmp_path: Path) -> None:
    """Runs the daemon launches take the lock when their warehouse resource starts."""
    env = fixture_env(tmp_path, tmp_path / "inbox")
    holder = hold_lock(tmp_path / "var" / "warehouse.duckdb")
    try:
        result = run_refresh(env)
    finally:
        holder.kill()
        holder.wait()
    assert not result.success
    failure = next(e for e in result.all_events
                   if e.event_type_value == "RESOURCE_INIT_FAILURE")
    assert f"pid {holder.pid}" in str(failure.event_specific_data)
    assert not (tmp_path / "var" / "landing").exists()  # nothing written
