"""Publish: the dashboard, the CSV downloads (quarantine, entities, id changes) and the
release manifest.

Files are written beside each other in the publish folder and replaced atomically, so a reader
never sees half a publication; blocking checks upstream keep the last good one in place.
"""


import json
import os
import subprocess
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from dagster import AssetExecutionContext, AssetKey, MaterializeResult, MetadataValue, asset
from dagster_duckdb import DuckDBResource

from assets.marts import CATALOGUE, mart_assets
from assets.settings import MonitorSettings
from dashboards.page import ENTITIES_FILE_NAME as ENTITIES_FILE
from dashboards.page import ID_CHANGES_FILE_NAME as ID_CHANGES_FILE
from dashboards.page import QUALITY_REPORT_FILE_NAME as QUALITY_REPORT_FILE
from dashboards.page import QUARANTINE_FILE_NAME as QUARANTINE_FILE
from dashboards.page import write_dashboard
from dashboards.quality_report import write_quality_report
from quality.disclosure import published_rows

DASHBOARD_FILE = "dashboard.html"
MANIFEST_FILE = "release.json"
# The tables behind the CSV downloads, with Polish column names for the analyst's spreadsheet.
# None of them counts persons (rows, entities, ids), so none needs quality/disclosure.py.
DOWNLOADS = {
    QUARANTINE_FILE: "select source as zrodlo, file as plik, sheet as arkusz, line as wiersz, "
                     "field as pole, reason_code as kod_przyczyny, message as opis "
                     "from audit.quarantine order by source, file, line, field",
    # entity ids are what published figures are traced by: every counted entity, and how
    # earlier ids map to today's when entities merged or split (docs/entity_model.md)
    ENTITIES_FILE: "select e.entity_id as id_podmiotu, e.name as nazwa, t.entity_type_pl as typ, "
                   "e.krs, e.nip, e.regon, e.powiat_code as powiat_terc, "
                   "e.gmina_code as gmina_terc, e.started_on::date as poczatek, "
                   "e.ended_on::date as koniec, "
                   "if(e.is_social_enterprise, 'tak', 'nie') as przedsiebiorstwo_spoleczne, "
                   "if(e.is_opp, 'tak', 'nie') as opp, "
                   "e.founder_entity_id as id_podmiotu_prowadzacego, "
                   "e.source_rows as wierszy_zrodel "
                   "from core.pes_entity e left join core.entity_type t using (entity_type) "
                   "order by e.entity_id",
    ID_CHANGES_FILE: "select old_id as dawny_id, new_id as nowy_id, change as zmiana, "
                     "changed_on as data_zmiany from core.entity_id_change "
                     "order by changed_on, old_id, new_id",
}
PROJECT_ROOT = Path(__file__).resolve().parents[1]


def code_version() -> str:
    """The git commit of the code that computed the figures, when run from a clone."""
    try:
        found = subprocess.run(["git", "-C", str(PROJECT_ROOT), "rev-parse", "HEAD"],
                               capture_output=True, text=True, timeout=10, check=True)
        dirty = subprocess.run(["git", "-C", str(PROJECT_ROOT), "status", "--porcelain"],
                               capture_output=True, text=True, timeout=10, check=True)
        return found.stdout.strip() + ("+uncommitted" if dirty.stdout.strip() else "")
    except (OSError, subprocess.SubprocessError):
        return "unknown"


def replace_atomically(target: Path, write) -> Path:
    """Write through a temporary file in the same folder, then rename over the target."""
    target.parent.mkdir(parents=True, exist_ok=True)
    staged = target.with_name(f".{target.name}.tmp")
    write(staged)
    os.replace(staged, target)
    return target


@asset(
    key=["publish", "dashboard"],
    deps=[a.key for a in mart_assets] + [AssetKey(["core", "entity_id_change"]),
                                          AssetKey(["core", "entity_decision"]),
                                          AssetKey(["marts", "krs_review"])],
    group_name="publish",
    kinds={"html", "plotly"},
    description="The committee's dashboard (one offline HTML page in Polish), the data-quality "
                "report and the quarantine CSV beside it, and the release manifest.",
)
def dashboard(context: AssetExecutionContext, settings: MonitorSettings,
              warehouse: DuckDBResource) -> MaterializeResult:
    out_dir = Path(settings.publish_dir)
    refreshed_at = datetime.now(ZoneInfo("Europe/Warsaw")).replace(second=0, microsecond=0,
                                                                   tzinfo=None)
    with warehouse.get_connection() as con:
        period_end = settings.period_end_date()
        for name, sql in DOWNLOADS.items():
            frame = con.execute(sql).df()
            replace_atomically(out_dir / name, lambda path, frame=frame: frame.to_csv(
                path, index=False, sep=";", encoding="utf-8-sig"))
        replace_atomically(out_dir / QUALITY_REPORT_FILE, lambda path: write_quality_report(
            con, path, refreshed_at=refreshed_at, data_as_of=period_end,
            region_name_pl=settings.region_name_pl))
        replace_atomically(out_dir / DASHBOARD_FILE, lambda path: write_dashboard(
            con, path, refreshed_at=refreshed_at, data_as_of=period_end,
            region_name_pl=settings.region_name_pl, min_persons=settings.min_persons))
        inputs = con.execute(
            "select source, original_name, original_sha256, landed_sha256 "
            "from landing.current_input order by source, original_name").df()
        # as published: small counts of persons hidden, like on the dashboard
        values = {name: published_rows(con, name, settings.min_persons).to_dict("records")
                  for name in CATALOGUE}
        decisions = con.execute("select decision, kind, reference, other_reference, place, "
                                "terc, status from core.entity_decision").df()
    manifest = {
        "period_end": period_end.isoformat(),
        "min_persons": settings.min_persons,
        "region_code": settings.region_code,
        "refreshed_at": refreshed_at.isoformat(),
        "run_id": context.run.run_id,
        "code_version": code_version(),
        "inputs": inputs.to_dict("records"),
        "entity_decisions": decisions.to_dict("records"),
        "indicators": values,
    }
    replace_atomically(out_dir / MANIFEST_FILE, lambda path: path.write_text(
        json.dumps(manifest, ensure_ascii=False, indent=1, default=str), encoding="utf-8"))
    dashboard_path = out_dir / DASHBOARD_FILE
    context.log.info(f"Dashboard published: {dashboard_path}")
    return MaterializeResult(metadata={
        "dashboard": MetadataValue.path(str(dashboard_path)),
        **{name.split(".")[0]: MetadataValue.path(str(out_dir / name)) for name in DOWNLOADS},
        "quality_report": MetadataValue.path(str(out_dir / QUALITY_REPORT_FILE)),
        "manifest": MetadataValue.path(str(out_dir / MANIFEST_FILE)),
        "period_end": period_end.isoformat(),
        "inputs": len(inputs),
        "size_bytes": dashboard_path.stat().st_size,
    })


publish_assets = [dashboard]
