"""Hooks the refresh job runs after its steps.

A refresh whose publication is held back (a blocking check failed, or a step broke) still
writes its quality report and quarantine list to `publish/held_back/`, marked in Polish as not
published, beside the current release: the analyst sees why without opening the UI.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from dagster import HookContext, failure_hook, success_hook

from assets.marts import header_review, quality_finding, quarantine_summary, source_status
from assets.publish import DOWNLOADS
from assets.reference import region_name
from assets.release import HELD_BACK_DIR, checkpoint, current_release
from assets.warehouse import table_exists
from dashboards.page import QUALITY_REPORT_FILE_NAME, QUARANTINE_FILE_NAME
from dashboards.quality_report import write_quality_report


def replace_atomically(target: Path, write: Callable[[Path], object]) -> Path:
    """Write through a temporary file in the same folder, then rename over the target."""
    target.parent.mkdir(parents=True, exist_ok=True)
    staged = target.with_name(f".{target.name}.tmp")
    write(staged)
    os.replace(staged, target)
    return target


@failure_hook(required_resource_keys={"settings", "warehouse"})
def held_back_report(context: HookContext) -> None:
    settings, warehouse = context.resources.settings, context.resources.warehouse
    with warehouse.get_connection() as con:
        if not table_exists(con, "audit.check_result"):
            return  # failed before anything was checked: nothing to report yet
    # the marts the report reads lie downstream of the failed step: bring them up to date
    for mart in (source_status, quality_finding, quarantine_summary, header_review):
        mart(warehouse=warehouse)
    root = Path(settings.publish_dir)
    folder = root / HELD_BACK_DIR
    with warehouse.get_connection() as con:
        quarantine = con.execute(DOWNLOADS[QUARANTINE_FILE_NAME]).df()
        replace_atomically(folder / QUARANTINE_FILE_NAME, lambda path: quarantine.to_csv(
            path, index=False, sep=";", encoding="utf-8-sig"))
        replace_atomically(folder / QUALITY_REPORT_FILE_NAME, lambda path: write_quality_report(
            con, path, refreshed_at=datetime.now(ZoneInfo("Europe/Warsaw")).replace(
                tzinfo=None, second=0, microsecond=0),
            data_as_of=settings.period_end_date(), region_name_pl=region_name(settings),
            held_back_of=current_release(root) or ""))
    context.log.warning(f"Publication held back; its quality report: "
                        f"{folder / QUALITY_REPORT_FILE_NAME}")


@success_hook
def kill_point(context: HookContext) -> None:
    """Tests kill the refresh after a chosen step (assets/release.py: checkpoint)."""
    checkpoint(f"after:{context.step_key}")
