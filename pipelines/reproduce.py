"""`pes-monitor reproduce RELEASE`: rebuild a release in an empty warehouse and compare.

The auditors' promise: from the landing copies and the kept reference, mapping and decision
files that a release's manifest names (each checked against its sha256), a refresh in a
temporary folder recomputes every indicator; the command prints "identical" or every value
that differs, and exits 0 or 1. docs/audit.md explains it for auditors.
"""

from __future__ import annotations

import json
import os
import secrets
import shutil
import tempfile
import time
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path

import duckdb

from assets.landed_copies import landed_copy_problem
from assets.manifest import KEPT_FOLDERS, code_version, indicator_values, value_differences
from assets.release import MANIFEST_FILE, RELEASES_DIR
from sources.mapping import MAPPINGS_ENV


def manifest_path(release: str, publish_dir: Path) -> Path:
    """A release named by its id, its folder or its manifest file."""
    given = Path(release)
    if given.is_file():
        return given
    if given.is_dir():
        return given / MANIFEST_FILE
    return publish_dir / RELEASES_DIR / release / MANIFEST_FILE


def kept_copy_problems(manifest: dict, landing_dir: Path) -> list[str]:
    """Every landing copy or kept file the manifest names that is missing or altered."""
    problems = [landed_copy_problem(landing_dir, row["landed_path"], row["landed_sha256"],
                                    row["original_name"]) for row in manifest["inputs"]]
    problems += [landed_copy_problem(landing_dir, row["kept_copy"], row["sha256"], row["path"])
                 for kind in KEPT_FOLDERS for row in manifest.get(kind, [])]
    return [problem for problem in problems if problem]


def rebuilt_environment(manifest: dict, landing_dir: Path, work: Path) -> dict[str, str]:
    """An inbox, reference, mapping and decision folders as the release used them, in `work`,
    and the settings of a refresh that reads them into an empty warehouse."""
    inbox = work / "inbox"
    for row in manifest["inputs"]:
        target = inbox / row["source"] / row["original_name"]
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(landing_dir / row["landed_path"], target)
    folders = {kind: work / name for kind, name in KEPT_FOLDERS.items()}
    for kind, folder in folders.items():
        folder.mkdir(parents=True, exist_ok=True)
        for row in manifest.get(kind, []):
            (folder / row["path"]).parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(landing_dir / row["kept_copy"], folder / row["path"])
    key = work / "pseudonym.key"  # never used: the log's landed copy is already pseudonymised
    key.write_text(secrets.token_hex(32), encoding="ascii")
    settings = manifest["settings"]
    return {
        "PES_INBOX": str(inbox), "PES_VAR": str(work / "var"),
        "PES_REFERENCE": str(folders["reference_files"]),
        MAPPINGS_ENV: str(folders["mapping_files"]),
        "PES_DECISIONS": str(folders["decision_files"]),
        "PES_KEY_FILE": str(key),
        "PES_PERIOD_END": manifest["period_end"],
        "PES_REGION": settings["region_code"], "PES_REGION_NAME": settings["region_name_pl"],
        "PES_MAX_QUARANTINE_SHARE": str(settings["max_quarantine_share"]),
        "PES_MAX_MONTHLY_CHANGE": str(settings["max_monthly_change"]),
        "PES_MIN_PERSONS": str(settings["min_persons"]),
        "PES_KRS_BASE_URL": "",  # extracts as landed, never the API
    }


@contextmanager
def environment(values: Mapping[str, str]) -> Iterator[None]:
    """The variables set for this process (mapping files are found through one of them)."""
    before = {name: os.environ.get(name) for name in values}
    os.environ.update(values)
    try:
        yield
    finally:
        for name, value in before.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value


def recompute(manifest: dict, env: dict[str, str]) -> dict[str, list[dict]] | str:
    """Every indicator as the rebuilt refresh publishes it, or why the refresh failed."""
    from dagster import DagsterInstance

    from pipelines.definitions import build_definitions

    with environment(env):
        job = build_definitions(env).resolve_job_def("monthly_refresh")
        result = job.execute_in_process(instance=DagsterInstance.ephemeral(),
                                        raise_on_error=False)
    if not result.success:
        failed = [e.step_key for e in result.get_step_failure_events()]
        return f"odświeżenie w pustej hurtowni nie powiodło się (kroki: {', '.join(failed)})"
    warehouse = Path(env["PES_VAR"]) / "warehouse.duckdb"
    with duckdb.connect(str(warehouse), read_only=True) as con:
        return indicator_values(con, int(env["PES_MIN_PERSONS"]))


def reproduce(release: str, publish_dir: Path, landing_dir: Path) -> int:
    """Print "identical" or every differing value; 0 when identical, 1 otherwise."""
    started = time.monotonic()
    path = manifest_path(release, publish_dir)
    if not path.exists():
        print(f"Nie ma publikacji {release}: brak pliku {path}.")
        return 1
    manifest = json.loads(path.read_text(encoding="utf-8"))
    print(f"Publikacja {manifest['release_id']} (dane do {manifest['period_end']}, "
          f"{len(manifest['inputs'])} plików wejściowych).")
    now, then = code_version(), manifest["code_version"]
    if now != then:
        print(f"  uwaga: kod {now} zamiast {then} użytego w publikacji")
    problems = kept_copy_problems(manifest, landing_dir)
    if problems:
        print("Nie można odtworzyć publikacji:", *problems, sep="\n  ")
        return 1
    with tempfile.TemporaryDirectory(prefix="pes-reproduce-") as work:
        recomputed = recompute(manifest, rebuilt_environment(manifest, landing_dir, Path(work)))
    if isinstance(recomputed, str):
        print(f"Nie można odtworzyć publikacji: {recomputed}.")
        return 1
    differences = value_differences(manifest["indicators"], recomputed,
                                    manifest["indicator_keys"])
    elapsed = f"{time.monotonic() - started:.1f} s"
    if not differences:
        print(f"identical: wszystkie wartości {len(recomputed)} wskaźników zgodne "
              f"z opublikowanymi ({elapsed})")
        return 0
    print(f"Różnice: {len(differences)} ({elapsed})")
    print("wskaźnik\tokres\tobszar\tkolumna\topublikowano\tprzeliczono")
    for d in differences:
        print(f"{d['indicator']}\t{d['period']}\t{d['territory']}\t{d['column']}\t"
              f"{d['old']}\t{d['new']}")
    return 1
