"""The core entity tables as one Dagster step: they are decided together, in one pass.

Resolution needs every register and KRS at once and gives the links, the ids, the conflicts and
the decisions' status together; the dated events, statuses and the entity table follow from
them in SQL. Each table is its own asset, so the UI shows where each comes from and the
indicators depend on the one they read.
"""


from pathlib import Path

import duckdb
import pandas as pd
from dagster import (
    AssetExecutionContext,
    AssetKey,
    AssetSpec,
    Failure,
    MaterializeResult,
    MetadataValue,
    multi_asset,
)
from dagster_duckdb import DuckDBResource

from assets.entities.clusters import resolve, with_chosen_gminas
from assets.entities.stable_ids import assign_ids, previous_members, record_keys
from assets.settings import MonitorSettings
from assets.warehouse import preview, row_count, write_table
from sources.decisions import read_decisions
from sources.errors import SourceFileError
from sources.krs_sync import STATE_DDL as KRS_STATE_DDL
from sources.registry import entity_record_sql, entity_sources

SQL = Path(__file__).parents[1] / "sql" / "core"
PES_ENTITY = AssetKey(["core", "pes_entity"])
TABLES = {
    "entity_record": "Every accepted register and KRS row that describes an entity, in one shape.",
    "entity_link": "Which entity each source row belongs to, by which rule or decision.",
    "entity_conflict": "Links refused although a key agreed, and entities whose rows disagree "
                       "on NIP or REGON: for the analyst to settle.",
    "entity_decision": "The analyst's decisions and whether each was used or is stale.",
    "entity_id_change": "Old entity ids mapped to new ones when entities merged or split.",
    "krs_struck_off": "KRS numbers known to be struck off: the date of the strike-off entry "
                      "(and when it became final), or only the day the API answered 204.",
    "krs_seat_outside_region": "Entities whose KRS seat is outside the region: not counted, "
                               "listed for the analyst with the register rows placing them here.",
    "krs_review": "What KRS says that the analyst must see: struck-off dates known or only "
                  "bounded, seats outside the region, numbers neither register knows, catalogue "
                  "types contradicting the KRS legal form.",
    "entity_event": "Dated events of each entity: registered, struck off, unit started or "
                    "closed, social-enterprise status granted or lost.",
    "entity_status": "Periods of activity and of social-enterprise status, from the events.",
    "pes_entity": "One row per real PES of the region, counted once across the registers.",
}


def ensure_registry(con: duckdb.DuckDBPyConnection) -> None:
    """The tables a refresh never rebuilds: ids must outlive the core tables."""
    con.execute("create schema if not exists registry")
    con.execute("""create table if not exists registry.entity_key (
        key varchar primary key, entity_id varchar not null, run_id varchar, seen_on date)""")
    con.execute("""create table if not exists registry.entity_id_change (
        old_id varchar, new_id varchar, change varchar, run_id varchar, changed_on date)""")


def resolved_links(con: duckdb.DuckDBPyConnection, records: pd.DataFrame, decisions: list,
                   run_id: str) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """(links, conflicts, decisions) with entity ids; the registry updated for the next run."""
    keys = record_keys(records)
    registry = con.execute("select key, entity_id from registry.entity_key").df()
    resolution = resolve(records, decisions, previous_members(keys, registry))
    ids, changes = assign_ids(resolution.links, keys, registry)
    links = resolution.links.assign(
        entity_id=resolution.links["cluster"].map(ids),
        founder_entity_id=resolution.links["founder_cluster"].map(ids))
    links = records[["record_id", "source", "source_file", "source_line", "kind"]].merge(
        links.drop(columns=["cluster", "founder_cluster"]), on="record_id")

    entity_of = links.set_index("record_id")["entity_id"]
    conflicts = resolution.conflicts.assign(
        entity_id=resolution.conflicts["record_id"].map(entity_of),
        other_entity_id=resolution.conflicts["other_record_id"].map(entity_of))

    # a key now shared by two entities names neither: it leaves the registry
    current = keys.merge(links[["record_id", "entity_id"]], on="record_id")
    current = current[["key", "entity_id"]].drop_duplicates()
    con.register("current_keys", current)
    con.execute("delete from registry.entity_key where key in (select key from current_keys)")
    con.execute("""insert into registry.entity_key
                   select key, any_value(entity_id), ?, current_date from current_keys
                   group by key having count(*) = 1""", [run_id])
    con.register("id_changes", changes)
    con.execute("insert into registry.entity_id_change "
                "select old_id, new_id, change, ?, current_date from id_changes", [run_id])
    return links, conflicts, resolution.decisions


@multi_asset(
    specs=[AssetSpec(["core", name], description=text, group_name="core", kinds={"duckdb"},
                     deps=[AssetKey(["staging", s.name]) for s in entity_sources()]
                     + [AssetKey(["core", "teryt_unit"]), AssetKey(["core", "entity_type"]),
                        AssetKey(["core", "krs_legal_form_type"]), AssetKey(["core", "month"])])
           for name, text in TABLES.items()],
)
def entity_tables(context: AssetExecutionContext, settings: MonitorSettings,
                  warehouse: DuckDBResource):  # noqa: ANN201 - yields one result per table
    try:
        decisions = read_decisions(settings.decisions_path())
    except SourceFileError as error:
        raise Failure(f"Decision file {error}. Fix or remove it and run the refresh again; "
                      "the last publication stays in place.") from error
    with warehouse.get_connection() as con:
        con.execute("create schema if not exists core")
        ensure_registry(con)
        records = con.execute(entity_record_sql()).df()
        records = with_chosen_gminas(records, decisions)
        write_table(con, "core.entity_record", records)
        links, conflicts, decision_status = resolved_links(con, records, decisions,
                                                           context.run.run_id)
        write_table(con, "core.entity_link", links.assign(counted=False))
        write_table(con, "core.entity_conflict", conflicts)
        write_table(con, "core.entity_decision", decision_status)
        con.execute("create or replace table core.entity_id_change as "
                    "select * from registry.entity_id_change order by changed_on, old_id")
        con.execute(KRS_STATE_DDL)  # the API's answers, empty when KRS is read from a folder
        for table in ("krs_struck_off", "entity_event", "entity_status",
                      "krs_seat_outside_region", "pes_entity", "krs_review"):
            sql = (SQL / f"{table}.sql").read_text(encoding="utf-8")
            con.execute(f"create or replace table core.{table} as {sql}")
        con.execute("update core.entity_link set counted = entity_id in "
                    "(select entity_id from core.pes_entity)")
        context.log.info(
            f"{len(records)} rows -> {row_count(con, 'core.pes_entity')} entities; "
            f"{len(conflicts)} conflicts; decisions: "
            f"{decision_status['status'].value_counts().to_dict()}")
        for name in TABLES:
            yield MaterializeResult(asset_key=AssetKey(["core", name]),
                                    metadata=table_metadata(con, name))


def table_metadata(con: duckdb.DuckDBPyConnection, name: str) -> dict:
    """Rows and a preview, plus the breakdown an analyst looks for first in each table."""
    breakdown = {
        "entity_link": "select rule, count(*) from core.entity_link group by 1 order by 1",
        "entity_conflict": "select conflict, count(*) from core.entity_conflict group by 1",
        "entity_decision": "select status, count(*) from core.entity_decision group by 1",
        "pes_entity": "select entity_type, count(*) from core.pes_entity group by 1 order by 1",
    }
    metadata = {"rows": row_count(con, f"core.{name}"), "preview": preview(con, f"core.{name}")}
    if name in breakdown:
        metadata["by"] = MetadataValue.json(dict(con.execute(breakdown[name]).fetchall()))
    return metadata
