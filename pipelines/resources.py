"""Resources built from environment variables: the one place where paths are decided.

Defaults put everything under the clone (bundled sample inbox, `var/` for the warehouse,
landing, publication and Dagster storage); an office sets the variables to its own folders.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path

from assets.krs_landing import KrsApiResource
from assets.settings import MonitorSettings
from assets.warehouse import Warehouse

PROJECT_ROOT = Path(__file__).resolve().parents[1]
DEFAULT_INBOX = PROJECT_ROOT / "data" / "sample"

ENVIRONMENT = {
    "PES_INBOX": "inbox folder, one sub-folder per source (default data/sample)",
    "PES_REFERENCE": "reference data folder (default data/reference)",
    "PES_DECISIONS": "folder of the analyst's entity-resolution decisions "
                     "(default $PES_INBOX/decisions)",
    "PES_MAPPINGS": "folder of the per-source mapping files (default sources/mappings)",
    "PES_VAR": "folder for everything a refresh writes (default var/)",
    "PES_WAREHOUSE": "DuckDB file (default $PES_VAR/warehouse.duckdb)",
    "PES_LANDING": "landing folder (default $PES_VAR/landing)",
    "PES_PUBLISH": "publication folder (default $PES_VAR/publish)",
    "DAGSTER_HOME": "Dagster instance home (default $PES_VAR/dagster, linking dagster.yaml)",
    "PES_KEY_FILE": "pseudonymisation key file (default .secrets/pseudonym.key)",
    "PES_PSEUDONYM_KEY": "the pseudonymisation key itself, instead of the file",
    "PES_REGION": "TERYT code of the voivodeship (default 28)",
    "PES_REGION_NAME": "region's name in Polish for the dashboard (default: TERYT's name "
                       "of PES_REGION, e.g. województwo pomorskie)",
    "PES_PERIOD_END": "last month end monitored, YYYY-MM-DD (default: end of last month)",
    "PES_KRS_BASE_URL": "KRS API base URL; empty = read extracts from the inbox's krs/ folder",
    "PES_KRS_REQUESTS_PER_SECOND": "politeness limit of the KRS API client (default 3)",
    "PES_MAX_QUARANTINE_SHARE": "largest share of a file's rows in quarantine before the "
                                "publication is held back (default 0.05)",
    "PES_MAX_MONTHLY_CHANGE": "month-on-month change of active PES flagged for review "
                              "(default 0.10)",
    "PES_MIN_PERSONS": "smallest count of persons published; smaller ones are hidden "
                       "(default 3)",
    "PES_MAX_ROW_DROP_SHARE": "largest drop of a source's rows against its last published "
                              "version before the publication is held back (default 0.10)",
    "PES_MAX_DUPLICATE_SHARE": "share of duplicated rows in a file flagged for review "
                               "(default 0.10)",
    "PES_LOCK_WAIT": "seconds a refresh waits for another one writing to the same warehouse; "
                     "0 refuses at once (default 0)",
}


def var_dir(env: Mapping[str, str]) -> Path:
    return Path(env.get("PES_VAR", PROJECT_ROOT / "var"))


def settings_from_env(env: Mapping[str, str] = os.environ) -> MonitorSettings:
    var = var_dir(env)
    return MonitorSettings(
        inbox_dir=env.get("PES_INBOX", str(DEFAULT_INBOX)),
        reference_dir=env.get("PES_REFERENCE", str(PROJECT_ROOT / "data" / "reference")),
        landing_dir=env.get("PES_LANDING", str(var / "landing")),
        publish_dir=env.get("PES_PUBLISH", str(var / "publish")),
        pseudonym_key_file=env.get("PES_KEY_FILE", str(PROJECT_ROOT / ".secrets" /
                                                       "pseudonym.key")),
        region_code=env.get("PES_REGION", "28"),
        region_name_pl=env.get("PES_REGION_NAME", ""),
        period_end=env.get("PES_PERIOD_END", ""),
        max_quarantine_share=float(env.get("PES_MAX_QUARANTINE_SHARE", "0.05")),
        max_monthly_change=float(env.get("PES_MAX_MONTHLY_CHANGE", "0.10")),
        min_persons=int(env.get("PES_MIN_PERSONS", "3")),
        decisions_dir=env.get("PES_DECISIONS", ""),
        max_row_drop_share=float(env.get("PES_MAX_ROW_DROP_SHARE", "0.10")),
        max_duplicate_share=float(env.get("PES_MAX_DUPLICATE_SHARE", "0.10")),
    )


def warehouse_path(env: Mapping[str, str] = os.environ) -> Path:
    return Path(env.get("PES_WAREHOUSE", var_dir(env) / "warehouse.duckdb"))


def lock_wait(env: Mapping[str, str] = os.environ) -> float:
    return float(env.get("PES_LOCK_WAIT", "0"))


def resources_from_env(env: Mapping[str, str] = os.environ) -> dict:
    """The resources assets ask for: `settings`, the `warehouse` and the `krs_api` client."""
    path = warehouse_path(env)
    path.parent.mkdir(parents=True, exist_ok=True)
    return {
        "settings": settings_from_env(env),
        "warehouse": Warehouse(database=str(path), lock_wait_seconds=lock_wait(env)),
        "krs_api": KrsApiResource(
            base_url=env.get("PES_KRS_BASE_URL", ""),
            requests_per_second=float(env.get("PES_KRS_REQUESTS_PER_SECOND", "3"))),
    }
