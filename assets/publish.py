"""Publish: the dashboard, the CSV downloads (quarantine, entities, id changes), the quality
report and the release manifest, as one release folder (assets/release.py).

The folder is written whole, accepted, then made current by one switch of `latest`, so a reader
never sees half a publication; blocking checks upstream keep the last good one in place.
"""


from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import duckdb
import pandas as pd
from dagster import AssetExecutionContext, AssetKey, MaterializeResult, MetadataValue, asset
from dagster_duckdb import DuckDBResource

from assets.checks import record_accepted_volumes
from assets.downloads import (
    ReleaseFacts,
    write_entity_xlsx,
    write_indicator_downloads,
)
from assets.landing import sha256_of
from assets.manifest import (
    code_version,
    indicator_values,
    inputs_used,
    kept_inputs,
    key_columns,
    package_versions,
    records,
    revisions,
    settings_record,
    strict_json,
)
from assets.marts import CATALOGUE, mart_assets
from assets.reference import region_name
from assets.release import (
    HELD_BACK_DIR,
    MANIFEST_FILE,
    accept_release,
    checkpoint,
    current_manifest,
    current_release,
    release_folder,
    release_path,
    repair_latest,
    switch_latest,
)
from assets.settings import MonitorSettings
from dashboards.methodology import METHODOLOGY_FILE_NAME as METHODOLOGY_FILE
from dashboards.methodology import write_methodology
from dashboards.page import ENTITIES_FILE_NAME as ENTITIES_FILE
from dashboards.page import ID_CHANGES_FILE_NAME as ID_CHANGES_FILE
from dashboards.page import QUALITY_REPORT_FILE_NAME as QUALITY_REPORT_FILE
from dashboards.page import QUARANTINE_FILE_NAME as QUARANTINE_FILE
from dashboards.page import write_dashboard
from dashboards.quality_report import write_quality_report

DASHBOARD_FILE = "dashboard.html"
# The tables behind the CSV downloads, with Polish column names for the analyst's spreadsheet.
# None of them counts persons (rows, entities, ids), so none needs quality/disclosure.py.
DOWNLOADS = {
    # each row in the analyst's words: the source's name, the column as the file heads it,
    # what is wrong and what to do (the reason code last, for filtering)
    QUARANTINE_FILE: "select coalesce(s.source_pl, q.source) as zrodlo, q.file as plik, "
                     "q.sheet as arkusz, q.line as wiersz, q.field as kolumna, "
                     "q.message as opis, a.advice_pl as co_zrobic, "
                     "case q.scope when 'field' then 'wartość pominięta, wiersz przyjęty' "
                     "else 'wiersz odrzucony' end as skutek, "
                     "q.reason_code as kod_przyczyny from audit.quarantine q "
                     "left join (select distinct source, source_pl from marts.source_status) s "
                     "using (source) left join (select distinct reason_code, advice_pl "
                     "from marts.quarantine_summary) a using (reason_code) "
                     "order by q.source, q.file, q.line, q.field",
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


def write_downloads(con: duckdb.DuckDBPyConnection, out_dir: Path,
                    facts: ReleaseFacts) -> None:
    """Write the CSV lists, and the entity list again as XLSX with its metadata sheet."""
    for name, sql in DOWNLOADS.items():
        frame = con.execute(sql).df()
        frame.to_csv(out_dir / name, index=False, sep=";", encoding="utf-8-sig")
        if name == ENTITIES_FILE:
            write_entity_xlsx(frame, out_dir, facts)


def release_files(out_dir: Path) -> list[dict]:
    """Return every file of the release folder written so far, with its size and sha256."""
    return [{"file": path.name, "bytes": path.stat().st_size, "sha256": sha256_of(path)}
            for path in sorted(out_dir.iterdir()) if path.is_file()]


def landing_sources_of(context: AssetExecutionContext) -> dict[str, list[str]]:
    """Per indicator, the landing sources its mart is computed from (the asset lineage)."""
    graph = context.job_def.asset_layer.asset_graph
    known = graph.get_all_asset_keys()
    return {name: sorted(key.path[1] for key in graph.get_ancestor_asset_keys(mart)
                         if key.path[0] == "landing")
            for name in CATALOGUE if (mart := AssetKey(["marts", name])) in known}


def published_entities(folder: Path) -> pd.DataFrame | None:
    path = folder / ENTITIES_FILE
    return pd.read_csv(path, sep=";", dtype=str, encoding="utf-8-sig") if path.exists() else None


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
    root = Path(settings.publish_dir)
    now = datetime.now(ZoneInfo("Europe/Warsaw")).replace(tzinfo=None)
    refreshed_at = now.replace(second=0, microsecond=0)
    release_id = f"{now:%Y%m%d-%H%M%S}-{context.run.run_id[:8]}"
    with warehouse.get_connection() as con:
        repair_latest(con, root)
        previous = current_manifest(root)
        previous_id = current_release(root)
        period_end = settings.period_end_date()
        used = inputs_used(con)
        facts = ReleaseFacts(release_id=release_id, period_end=period_end,
                             refreshed_at=refreshed_at, region_name_pl=region_name(settings),
                             min_persons=settings.min_persons)
        with release_folder(root, release_id) as out_dir:
            write_downloads(con, out_dir, facts)
            values = indicator_values(con, settings.min_persons)
            keys = key_columns(con)
            write_indicator_downloads(con, out_dir, values, keys, facts)
            checkpoint("publish:downloads")
            changes = revisions(
                previous, published_entities(release_path(root, previous_id))
                if previous_id else None, indicators=values, keys=keys,
                inputs=records(used), entities=published_entities(out_dir),
                sources_of=landing_sources_of(context))
            write_quality_report(con, out_dir / QUALITY_REPORT_FILE, refreshed_at=refreshed_at,
                                 data_as_of=period_end, region_name_pl=region_name(settings),
                                 revisions=changes)
            checkpoint("publish:quality_report")
            write_dashboard(con, out_dir / DASHBOARD_FILE, refreshed_at=refreshed_at,
                            data_as_of=period_end, region_name_pl=region_name(settings),
                            min_persons=settings.min_persons, previous_release=previous)
            checkpoint("publish:dashboard")
            write_methodology(con, out_dir / METHODOLOGY_FILE, refreshed_at=refreshed_at,
                              data_as_of=period_end, min_persons=settings.min_persons,
                              region_name_pl=region_name(settings))
            decisions = con.execute("select decision, kind, reference, other_reference, place, "
                                    "terc, status from core.entity_decision").df()
            manifest = {
                "release_id": release_id,
                "period_end": period_end.isoformat(),
                "min_persons": settings.min_persons,
                "region_code": settings.region_code,
                "refreshed_at": refreshed_at.isoformat(),
                "run_id": context.run.run_id,
                "code_version": code_version(),
                "packages": package_versions(),
                "settings": settings_record(settings),
                "inputs": records(used),
                **kept_inputs(settings),
                "entity_decisions": records(decisions),
                "indicator_keys": keys,
                "indicators": values,
                "revisions": changes,
                "files": release_files(out_dir),
            }
            (out_dir / MANIFEST_FILE).write_text(strict_json(manifest), encoding="utf-8")
            checkpoint("publish:manifest")
        checkpoint("publish:folder")
        accept_release(con, release_id, context.run.run_id, used)
        record_accepted_volumes(con, context.run.run_id)
        checkpoint("publish:accepted")
    switch_latest(root, release_id)
    checkpoint("publish:latest")
    held_back = root / HELD_BACK_DIR
    for stale in held_back.glob("*") if held_back.is_dir() else []:
        stale.unlink()  # the report of a held-back refresh is answered by this release
    folder = release_path(root, release_id)
    dashboard_path = folder / DASHBOARD_FILE
    context.log.info(f"Dashboard published: {dashboard_path}")
    return MaterializeResult(metadata={
        "release_id": release_id,
        "dashboard": MetadataValue.path(str(dashboard_path)),
        **{name.split(".")[0]: MetadataValue.path(str(folder / name)) for name in DOWNLOADS},
        "quality_report": MetadataValue.path(str(folder / QUALITY_REPORT_FILE)),
        "methodology": MetadataValue.path(str(folder / METHODOLOGY_FILE)),
        "manifest": MetadataValue.path(str(folder / MANIFEST_FILE)),
        "period_end": period_end.isoformat(),
        "inputs": len(used),
        "revised_values": len(changes["values"]),
        "size_bytes": dashboard_path.stat().st_size,
    })


publish_assets = [dashboard]
