"""The Dagster Definitions of PES Monitor: every asset and check, the refresh job, the monthly
schedule (pipelines/schedules.py) and the sensors (pipelines/sensors.py).

Loaded by `dagster dev -m pipelines.definitions`, `dagster definitions validate` and the CLI.
"""

from __future__ import annotations

import os
from collections.abc import Mapping

from dagster import AssetSelection, Definitions, define_asset_job, in_process_executor

from assets.activity_core import activity_core_assets, activity_core_checks
from assets.core import core_checks
from assets.entities.assets import entity_tables
from assets.krs_core import krs_core_assets
from assets.krs_landing import krs_landing
from assets.landing import landing_assets
from assets.marts import mart_assets, mart_checks
from assets.owes_core import owes_core_assets, owes_core_checks
from assets.publish import publish_assets
from assets.reference import reference_assets
from assets.run_hooks import held_back_report, kill_point
from assets.staging import staging_assets, staging_checks
from pipelines.notify import notification_sensors
from pipelines.resources import resources_of
from pipelines.schedules import monthly_schedule
from pipelines.sensors import abandoned_runs_sensor, inbox_sensor
from pipelines.settings import Settings, load_settings

monthly_refresh = define_asset_job(
    "monthly_refresh",
    selection=AssetSelection.all(),
    description="Full refresh: land the inbox, stage, resolve entities, compute indicators, "
                "publish the dashboard.",
    hooks={held_back_report, kill_point},
)


def build_definitions(env: Mapping[str, str] = os.environ,
                      settings: Settings | None = None) -> Definitions:
    """Everything Dagster loads, with resources from the given settings, else from the given
    environment (tests pass theirs)."""
    settings = settings or load_settings(env)
    resources = resources_of(settings)
    return Definitions(
        assets=[*landing_assets, krs_landing, *staging_assets, *reference_assets, entity_tables,
                *owes_core_assets, *activity_core_assets, *mart_assets, *publish_assets,
                *krs_core_assets],
        asset_checks=[*staging_checks, *core_checks, *owes_core_checks, *activity_core_checks,
                      *mart_checks],
        jobs=[monthly_refresh],
        schedules=[monthly_schedule(monthly_refresh, resources["settings"])],
        sensors=[inbox_sensor(monthly_refresh), abandoned_runs_sensor,
                 *notification_sensors(settings)],
        resources=resources,
        # Steps run one after another in one process: the DuckDB file has a single writer.
        executor=in_process_executor,
    )


defs = build_definitions()
