"""What a release's manifest records, so an auditor can rebuild it and see what changed.

Inputs as used (fresh, or the accepted version a stale source fell back to, with the file it
replaced), kept copies of the reference, mapping and decision files by sha256, the code and
package versions, settings, and every indicator value as published. Written as strict JSON:
a missing value is null, never NaN.
"""

from __future__ import annotations

import json
import math
import shutil
import subprocess
from collections.abc import Iterable
from datetime import date, datetime, time
from importlib import metadata
from pathlib import Path

import duckdb
import pandas as pd

from assets.landing import land_file, sha256_of
from assets.marts import CATALOGUE
from assets.release import accepted_inputs
from assets.settings import MonitorSettings
from assets.staging import STAGING_SPECS
from quality.disclosure import published_rows
from sources.mapping import mappings_dir

PROJECT_ROOT = Path(__file__).resolve().parents[1]
LOCK_FILE = PROJECT_ROOT / "requirements.lock"
INPUT_COLUMNS = ["source", "original_name", "original_sha256", "landed_sha256", "landed_path",
                 "data_as_of"]
# Where kept copies of the files beside the inbox go, under the landing folder.
KEPT_FOLDERS = {"reference_files": "reference", "mapping_files": "mappings",
                "decision_files": "decisions"}
# Columns that name a row of an indicator although they hold numbers, and text columns that
# are values of the row (a verdict on the target), not names of it.
NUMERIC_KEYS = {"year", "meeting_number"}
TEXT_VALUE_SUFFIXES = ("status", "status_pl")
PERIOD_COLUMNS = ("month", "quarter", "year", "met_on", "valid_from")
TERRITORY_COLUMNS = ("powiat_code", "centre_code", "subregion_pl")


def plain(value: object) -> object:
    """A value as strict JSON holds it: NaN and NaT as null, dates as ISO text."""
    if value is None or value is pd.NaT:
        return None
    if isinstance(value, float) and math.isnan(value):
        return None
    if isinstance(value, datetime) and value.time() == time(0):
        return value.date().isoformat()  # a DATE column, read by pandas as a timestamp
    if isinstance(value, datetime | date):
        return value.isoformat()
    if hasattr(value, "item"):  # numpy and decimal-like scalars
        return plain(value.item())
    if isinstance(value, int | float | str | bool):
        return value
    return str(value)


def records(frame: pd.DataFrame) -> list[dict]:
    return [{k: plain(v) for k, v in row.items()} for row in frame.to_dict("records")]


def strict_json(document: dict) -> str:
    return json.dumps(document, ensure_ascii=False, indent=1, allow_nan=False)


def staging_source_of() -> dict[str, str]:
    return {spec.table: spec.landing_source for spec in STAGING_SPECS}


def inputs_used(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """Each landing source's files as this refresh used them.

    A source whose file could not be read used the accepted version (`stale_fallback`), and
    `replaced` names the inbox file it stood in for.
    """
    current = con.execute(f"select {', '.join(INPUT_COLUMNS)} from landing.current_input "
                          "order by source, original_name").df()
    stale_tables = [t for (t,) in con.execute(
        "select distinct source from audit.source_file where is_stale").fetchall()]
    stale = {staging_source_of().get(t, t) for t in stale_tables}
    accepted = accepted_inputs(con)
    used = current[~current["source"].isin(stale)].assign(use="fresh", replaced="")
    for source in sorted(stale):
        replaced = ", ".join(current.loc[current["source"] == source, "original_name"])
        if accepted is not None:
            kept = accepted[accepted["source"] == source][INPUT_COLUMNS]
            used = pd.concat([used, kept.assign(use="stale_fallback", replaced=replaced)],
                             ignore_index=True)
    return used.sort_values(["source", "original_name"], ignore_index=True)


def kept_files(folder: Path, landing_dir: Path, kind: str,
               pattern: str = "**/*") -> list[dict]:
    """Every file of `folder` with its sha256, a copy kept in landing under its hash."""
    if not folder.is_dir():
        return []
    found = []
    for path in sorted(p for p in folder.glob(pattern) if p.is_file()):
        kept = land_file(path, landing_dir / KEPT_FOLDERS[kind], shutil.copyfile)
        found.append({"path": path.relative_to(folder).as_posix(), "sha256": sha256_of(kept),
                      "kept_copy": kept.relative_to(landing_dir).as_posix()})
    return found


def code_version() -> dict:
    """The git commit of the code that computed the figures and whether it had local edits."""
    def git(*args: str) -> str:
        return subprocess.run(["git", "-C", str(PROJECT_ROOT), *args], capture_output=True,
                              text=True, timeout=10, check=True).stdout.strip()
    try:
        return {"commit": git("rev-parse", "HEAD"),
                "clean": not git("status", "--porcelain", "--untracked-files=no")}
    except (OSError, subprocess.SubprocessError):
        return {"commit": None, "clean": None}


def locked_packages() -> dict[str, str]:
    """`name==version` lines of the lock file."""
    if not LOCK_FILE.exists():
        return {}
    pins = (line.split(";")[0].strip() for line in LOCK_FILE.read_text().splitlines())
    return dict(pin.split("==", 1) for pin in pins if "==" in pin and not pin.startswith("#"))


def package_versions() -> dict:
    """The lock file's pins, the versions installed, and any that differ."""
    locked = locked_packages()
    installed = {}
    for name in locked:
        try:
            installed[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            installed[name] = None
    return {"lock_file": LOCK_FILE.name,
            "lock_sha256": sha256_of(LOCK_FILE) if LOCK_FILE.exists() else None,
            "installed": installed,
            "differ_from_lock": sorted(n for n, v in installed.items() if v != locked[n])}


def settings_record(settings: MonitorSettings) -> dict:
    return {name: plain(getattr(settings, name)) for name in type(settings).model_fields}


def indicator_values(con: duckdb.DuckDBPyConnection, min_persons: int) -> dict[str, list[dict]]:
    """Every indicator's rows as published: small counts of persons hidden, as on the page."""
    return {name: records(published_rows(con, name, min_persons)) for name in CATALOGUE}


def kept_inputs(settings: MonitorSettings) -> dict[str, list[dict]]:
    landing = Path(settings.landing_dir)
    return {"reference_files": kept_files(Path(settings.reference_dir), landing,
                                          "reference_files"),
            "mapping_files": kept_files(mappings_dir(), landing, "mapping_files", "*.yml"),
            "decision_files": kept_files(settings.decisions_path(), landing, "decision_files")}


NUMERIC_TYPES = ("BIGINT", "INTEGER", "HUGEINT", "SMALLINT", "DOUBLE", "FLOAT", "DECIMAL")


def key_columns(con: duckdb.DuckDBPyConnection) -> dict[str, list[str]]:
    """Per indicator, the columns that name a row (period, territory, category), not values.

    An entry of the catalogue may state them (``key_columns``: the cards' dates are values)."""
    columns = con.execute(
        "select table_name, column_name, data_type from information_schema.columns "
        "where table_schema = 'marts' order by table_name, ordinal_position").fetchall()
    keys: dict[str, list[str]] = {name: [] for name in CATALOGUE}
    for table, column, data_type in columns:
        if table in keys and "key_columns" in CATALOGUE[table]:
            keys[table] = list(CATALOGUE[table]["key_columns"])
        elif table in keys and (column in NUMERIC_KEYS or not (
                data_type.startswith(NUMERIC_TYPES) or column.endswith(TEXT_VALUE_SUFFIXES))):
            keys[table].append(column)
    return keys


def described(row: dict, keys: list[str]) -> tuple[str, str]:
    """The period and the territory a row of an indicator is about, for people to read."""
    period = next((str(row[c]) for c in PERIOD_COLUMNS if row.get(c) is not None), "")
    territory = next((str(row[c]) for c in TERRITORY_COLUMNS if row.get(c) is not None),
                     "województwo")
    details = [f"{k}={row[k]}" for k in keys if k not in PERIOD_COLUMNS + TERRITORY_COLUMNS
               and not k.endswith(("_pl", "_label", "_name")) and row.get(k) is not None]
    return period, territory + (f" ({', '.join(details)})" if details else "")


def value_differences(before: dict[str, list[dict]], after: dict[str, list[dict]],
                      keys: dict[str, list[str]], past_only: bool = False) -> list[dict]:
    """Every value that differs between two sets of indicator rows.

    With `past_only`, rows of periods that `before` did not have (a new month) are not
    differences: they are news, not revisions.
    """
    found = []
    for indicator in sorted(set(before) | set(after)):
        key_of = keys.get(indicator, [])
        old = {tuple(r.get(k) for k in key_of): r for r in before.get(indicator, [])}
        new = {tuple(r.get(k) for k in key_of): r for r in after.get(indicator, [])}
        old_periods = {described(r, key_of)[0] for r in old.values()}
        for key in sorted(set(old) | set(new), key=str):
            was, now = old.get(key, {}), new.get(key, {})
            period, territory = described(was or now, key_of)
            if past_only and not was and period not in old_periods:
                continue
            for column in sorted((set(was) | set(now)) - set(key_of)):
                if was.get(column) != now.get(column):
                    found.append({"indicator": indicator, "period": period,
                                  "territory": territory, "column": column,
                                  "old": was.get(column), "new": now.get(column)})
    return found


def input_changes(before: Iterable[dict], after: Iterable[dict]) -> list[dict]:
    """Files of each source that came, went or stood in (stale) between two releases."""
    def by_source(inputs: Iterable[dict]) -> dict[str, set[tuple[str, str]]]:
        grouped: dict[str, set[tuple[str, str]]] = {}
        for row in inputs:
            grouped.setdefault(row["source"], set()).add(
                (row["original_name"], row["landed_sha256"]))
        return grouped
    old, new = by_source(before), by_source(after)
    return [{"source": source,
             "removed": sorted(name for name, _ in old.get(source, set()) - new.get(source, set())),
             "added": sorted(name for name, _ in new.get(source, set()) - old.get(source, set()))}
            for source in sorted(set(old) | set(new)) if old.get(source) != new.get(source)]


def entity_changes(before: pd.DataFrame | None, after: pd.DataFrame) -> dict[str, list[str]]:
    """Entity ids added, removed and changed (any published field) between two releases."""
    if before is None:
        return {"added": sorted(after["id_podmiotu"]), "removed": [], "changed": []}
    old = before.set_index("id_podmiotu")
    new = after.set_index("id_podmiotu")
    common = old.index.intersection(new.index)
    columns = old.columns.intersection(new.columns)
    differs = (old.loc[common, columns].fillna("") != new.loc[common, columns].fillna("")).any(
        axis=1)
    return {"added": sorted(new.index.difference(old.index)),
            "removed": sorted(old.index.difference(new.index)),
            "changed": sorted(differs[differs].index)}


def revisions(previous: dict | None, previous_entities: pd.DataFrame | None, *,
              indicators: dict[str, list[dict]], keys: dict[str, list[str]],
              inputs: list[dict], entities: pd.DataFrame,
              sources_of: dict[str, list[str]]) -> dict:
    """What changed since the previous release: past values (each with the changed inputs
    its indicator is computed from, by `sources_of`), inputs, entities."""
    if previous is None:
        return {"previous_release_id": None, "values": [], "inputs": [],
                "entities": entity_changes(previous_entities, entities)}
    changed_inputs = input_changes(previous["inputs"], inputs)
    changed = {row["source"] for row in changed_inputs}
    revised = {name for name, entry in CATALOGUE.items() if entry.get("revisions", True)}
    values = [{**row, "inputs": [s for s in sources_of.get(row["indicator"], []) if s in changed]}
              for row in value_differences(
                  {k: v for k, v in previous["indicators"].items() if k in revised},
                  {k: v for k, v in indicators.items() if k in revised}, keys, past_only=True)]
    return {"previous_release_id": previous.get("release_id"), "values": values,
            "inputs": changed_inputs, "entities": entity_changes(previous_entities, entities)}
