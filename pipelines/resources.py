"""Resources built from the validated settings (pipelines/settings.py): the one place where the
assets' view of paths and thresholds is decided.

Defaults put everything under the clone (bundled sample inbox, `var/` for the warehouse,
landing, publication and Dagster storage); an office sets the variables (or a settings file) to
its own folders.
"""

from __future__ import annotations

import os
from collections.abc import Mapping

from assets.krs_landing import KrsApiResource
from assets.settings import MonitorSettings
from assets.warehouse import Warehouse
from pipelines.settings import Settings, load_settings


def monitor_settings(settings: Settings) -> MonitorSettings:
    """The resource the assets receive, from the validated settings."""
    return MonitorSettings(
        inbox_dir=str(settings.inbox),
        reference_dir=str(settings.reference),
        landing_dir=str(settings.landing),
        publish_dir=str(settings.publish),
        pseudonym_key_file=str(settings.key_file),
        region_code=settings.region,
        region_name_pl=settings.region_name,
        period_end=settings.period_end.isoformat() if settings.period_end else "",
        max_quarantine_share=settings.max_quarantine_share,
        max_monthly_change=settings.max_monthly_change,
        min_persons=settings.min_persons,
        decisions_dir=str(settings.decisions or ""),
        max_row_drop_share=settings.max_row_drop_share,
        max_duplicate_share=settings.max_duplicate_share,
    )


def settings_from_env(env: Mapping[str, str] = os.environ) -> MonitorSettings:
    return monitor_settings(load_settings(env))


def resources_of(settings: Settings) -> dict:
    """The resources assets ask for: `settings`, the `warehouse` and the `krs_api` client."""
    settings.warehouse.parent.mkdir(parents=True, exist_ok=True)
    return {
        "settings": monitor_settings(settings),
        "warehouse": Warehouse(database=str(settings.warehouse),
                               lock_wait_seconds=settings.lock_wait),
        "krs_api": KrsApiResource(base_url=settings.krs_base_url,
                                  requests_per_second=settings.krs_requests_per_second),
    }


def resources_from_env(env: Mapping[str, str] = os.environ) -> dict:
    return resources_of(load_settings(env))
