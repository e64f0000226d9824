"""Landing: immutable, sha256-named copies of the inbox files each refresh reads.

An auditor re-runs a published period from these copies, so they are never overwritten. The
activity log holds personal data: it is pseudonymised first and only that copy is landed,
with the sha256 of the original kept beside it.
"""


import hashlib
import logging
import re
import shutil
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from fnmatch import fnmatch
from pathlib import Path

import pandas as pd
from dagster import AssetExecutionContext, AssetsDefinition, MaterializeResult, MetadataValue, asset
from dagster_duckdb import DuckDBResource

from assets.settings import MonitorSettings
from assets.warehouse import append_rows, ensure_audit_tables
from quality.identifiers import pesel_is_valid
from sources.activity_log import PseudonymisedSheet, pseudonymise_workbook
from sources.pseudonyms import load_or_create_key

DATE_IN_NAME = re.compile(r"(\d{4}-\d{2}-\d{2})")


@dataclass(frozen=True)
class InboxSource:
    """A sub-folder of the inbox: which files to take and whether they hold personal data."""

    name: str
    pattern: str
    newest_only: bool
    description: str
    personal_data: bool = False
    # further patterns read the same way: a register comes as CSV or XLSX, as the office sends
    also: tuple[str, ...] = ()

    @property
    def patterns(self) -> tuple[str, ...]:
        return (self.pattern, *self.also)


#: A register is read from a CSV or an XLSX alike (sources/tables.read_table); the first
#: pattern is the form its office usually sends.
CSV_OR_XLSX = {"pattern": "*.csv", "also": ("*.xlsx",)}
XLSX_OR_CSV = {"pattern": "*.xlsx", "also": ("*.csv",)}

INBOX_SOURCES = [
    InboxSource("pes_catalogue", newest_only=True, **CSV_OR_XLSX,
                description="Regional PES catalogue (CSV, CP-1250, or XLSX)."),
    InboxSource("social_enterprises", newest_only=True, **XLSX_OR_CSV,
                description="Register of social enterprises (XLSX, or CSV)."),
    InboxSource("cis_register", newest_only=True, **CSV_OR_XLSX,
                description="Register of Social Integration Centres, format UW CIS 01 (CSV, "
                            "or XLSX)."),
    InboxSource("kis_register", newest_only=True, **XLSX_OR_CSV,
                description="List of Social Integration Clubs (XLSX, or CSV)."),
    InboxSource("zaz_register", newest_only=True, **XLSX_OR_CSV,
                description="Register of Vocational Activity Establishments, format UW SIZAZ 01 "
                            "(XLSX, or CSV)."),
    InboxSource("wtz_register", newest_only=True, **CSV_OR_XLSX,
                description="List of Occupational Therapy Workshops (CSV, or XLSX)."),
    InboxSource("kgw_register", newest_only=True, **XLSX_OR_CSV,
                description="National Register of Rural Housewives' Circles, ARiMR (XLSX, or "
                            "CSV)."),
    InboxSource("owes", "*.xlsx", False, "OWES quarterly reports (XLSX)."),
    InboxSource("activity", "*.xlsx", True, "Project activity log (XLSX, pseudonymised).",
                personal_data=True),
]


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def matches_source(path: Path, source: InboxSource) -> bool:
    """Whether a file is one the source reads; `KATALOG.CSV` from Windows is a `*.csv`."""
    return any(fnmatch(path.name.lower(), pattern) for pattern in source.patterns)


def files_to_land(folder: Path, source: InboxSource) -> list[Path]:
    """The inbox files a refresh reads: all of them, or the newest snapshot (by the date in
    its name, then by name, so a CSV and a later XLSX of one register compare by date)."""
    if not folder.is_dir():
        return []
    found = sorted(p for p in folder.iterdir() if p.is_file() and matches_source(p, source))
    if not source.newest_only:
        return found
    return sorted(found, key=lambda p: (data_date(p.name) or date.min, p.name))[-1:]


def unexpected_files(folder: Path, source: InboxSource) -> list[str]:
    """Files in a source's folder that no refresh reads (an `.xls`, an `.ods`, a PDF): the
    analyst is told of them when the source has nothing readable."""
    if not folder.is_dir():
        return []
    return sorted(p.name for p in folder.iterdir() if p.is_file()
                  and not matches_source(p, source) and not p.name.startswith((".", "~$"))
                  and not p.name.lower().startswith("readme"))


def data_date(name: str) -> date | None:
    """The export date a file name carries (`..._2026-10-31.csv`), if any."""
    match = DATE_IN_NAME.search(name)
    return date.fromisoformat(match.group(1)) if match else None


def land_file(path: Path, target_dir: Path, make_copy: Callable[[Path, Path], None]) -> Path:
    """Write a landed copy named by its own sha256 and return its path."""
    target_dir.mkdir(parents=True, exist_ok=True)
    with tempfile.NamedTemporaryFile(dir=target_dir, suffix=path.suffix, delete=False) as tmp:
        staged = Path(tmp.name)
    make_copy(path, staged)
    landed = target_dir / f"{sha256_of(staged)}{path.suffix}"
    if landed.exists():
        staged.unlink()
    else:
        staged.replace(landed)
    return landed


def landed_copy_writer(
    source: InboxSource, settings: MonitorSettings, log: logging.Logger,
    pseudonymised: dict[str, PseudonymisedSheet] | None = None,
) -> Callable[[Path, Path], None]:
    """How an inbox file becomes its landed copy: byte for byte, or pseudonymised first.

    What pseudonymisation did to each original (by file name) goes into `pseudonymised`.
    """
    if not source.personal_data:
        return shutil.copyfile
    key = load_or_create_key(Path(settings.pseudonym_key_file))

    def pseudonymised_copy(original: Path, staged: Path) -> None:
        done = pseudonymise_workbook(original, staged, key, pesel_is_valid)
        if pseudonymised is not None:
            pseudonymised[original.name] = done
        log.info(f"Pseudonymised {original.name}: PESEL status counts {done.statuses}, "
                 f"columns dropped: {done.dropped}")
        if done.withheld:
            log.warning(f"{original.name}: participants sheet withheld: {done.withheld}")

    return pseudonymised_copy


def dropped_columns(source: InboxSource, original: Path, original_sha: str,
                    done: PseudonymisedSheet | None, run_id: str) -> pd.DataFrame:
    """The headers pseudonymisation dropped from an original, one row each."""
    return pd.DataFrame([
        {"source": source.name, "original_sha256": original_sha, "original_name": original.name,
         "sheet": done.sheet, "header": header, "run_id": run_id}
        for header in (done.dropped if done else [])])


def build_landing_asset(source: InboxSource) -> AssetsDefinition:
    @asset(
        key=["landing", source.name],
        group_name="landing",
        description=source.description,
        kinds={"duckdb", "file"},
    )
    def landing_asset(
        context: AssetExecutionContext, settings: MonitorSettings, warehouse: DuckDBResource
    ) -> MaterializeResult:
        pseudonymised: dict[str, PseudonymisedSheet] = {}
        make_copy = landed_copy_writer(source, settings, context.log, pseudonymised)
        paths = files_to_land(settings.inbox(source.name), source)
        landing_dir = Path(settings.landing_dir)
        target_dir = landing_dir / source.name
        with warehouse.get_connection() as con:
            ensure_audit_tables(con)
            known = con.execute(
                "select original_sha256, landed_path, landed_sha256 from landing.file_registry "
                "where source = ?", [source.name]
            ).df()
            known_by_sha = {row.original_sha256: row for row in known.itertuples()}
            current, registered, dropped = [], [], []
            for i, path in enumerate(paths, start=1):
                original_sha = sha256_of(path)
                seen = known_by_sha.get(original_sha)
                if seen is not None and (landing_dir / seen.landed_path).exists():
                    landed, landed_sha = landing_dir / seen.landed_path, seen.landed_sha256
                else:
                    landed = land_file(path, target_dir, make_copy)
                    landed_sha = landed.stem
                    dropped.append(dropped_columns(source, path, original_sha,
                                                   pseudonymised.get(path.name),
                                                   context.run.run_id))
                    registered.append({
                        "source": source.name, "original_name": path.name,
                        "original_sha256": original_sha, "landed_sha256": landed_sha,
                        "landed_path": landed.relative_to(landing_dir).as_posix(),
                        "size_bytes": landed.stat().st_size,
                        "pseudonymised": source.personal_data, "landed_at": datetime.now(),
                        "run_id": context.run.run_id,
                    })
                current.append({
                    "source": source.name, "original_name": path.name,
                    "original_sha256": original_sha, "landed_sha256": landed_sha,
                    "landed_path": landed.relative_to(landing_dir).as_posix(),
                    "data_as_of": data_date(path.name),
                })
                if i % 1000 == 0:
                    context.log.info(f"Landed {i} of {len(paths)} {source.name} files")
            append_rows(con, "landing.file_registry", pd.DataFrame(registered))
            if dropped:
                append_rows(con, "landing.dropped_column", pd.concat(dropped, ignore_index=True))
            con.execute("delete from landing.current_input where source = ?", [source.name])
            append_rows(con, "landing.current_input", pd.DataFrame(current))
        if not paths:
            context.log.warning(f"No {source.patterns} files in {settings.inbox(source.name)}")
        return MaterializeResult(metadata={
            "files": len(paths),
            "newly_landed": len(registered),
            "withheld_sheets_pl": MetadataValue.json(
                {name: done.withheld for name, done in pseudonymised.items() if done.withheld}),
            "dropped_columns": MetadataValue.json(
                {name: done.dropped for name, done in pseudonymised.items()}),
            "inbox_folder": MetadataValue.path(str(settings.inbox(source.name))),
            "landing_folder": MetadataValue.path(str(target_dir)),
        })

    return landing_asset


landing_assets = [build_landing_asset(source) for source in INBOX_SOURCES]
