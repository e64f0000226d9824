"""Only data a published figure shows holds the publication back (issue 15, point 3).

The tables a figure reads are derived from the indicator catalogue, the asset graph and the
SQL (assets/figure_inputs.py). A failed check of any other table is a warning and the
publication goes out; a failed check of a table a figure reads still holds it back. Shown with
real Dagster asset checks evaluated in a materialisation on a real DuckDB file.
"""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest
from dagster import AssetCheckSeverity, AssetKey, MaterializeResult, asset, materialize

from assets.checks import NOT_READ_BY_A_FIGURE_PL, Check, Finding, build_checks
from assets.figure_inputs import figure_inputs, indicator_figures, tables_named
from pipelines.definitions import defs
from pipelines.resources import resources_from_env

#: A catalogue indicator (its mart is a figure) and two tables: one it reads, one it does not.
FIGURE = AssetKey(["marts", "active_pes_by_type"])
READ = AssetKey(["staging", "figure_source_fixture"])
NOT_READ = AssetKey(["staging", "side_notes_fixture"])


@asset(key=READ)
def figure_source() -> MaterializeResult:
    return MaterializeResult()


@asset(key=NOT_READ)
def side_notes() -> MaterializeResult:
    return MaterializeResult()


@asset(key=FIGURE, deps=[READ])
def figure() -> MaterializeResult:
    return MaterializeResult()


@asset(key=["publish", "dashboard"], deps=[FIGURE, NOT_READ])
def publication() -> MaterializeResult:
    """Stands for the publish step, which waits for every checked table (as the real one does
    through marts.quality_finding)."""
    return MaterializeResult()


def failing(summary: str) -> Check:
    return Check("unique_keys", "Klucze bez powtórzeń",
                 lambda con, settings: Finding(False, summary, "Popraw plik."))


def passing() -> Check:
    return Check("unique_keys", "Klucze bez powtórzeń",
                 lambda con, settings: Finding(True, "Klucze bez powtórzeń."))


def refresh(tmp_path: Path, read_check: Check, not_read_check: Check):
    env = {"PES_VAR": str(tmp_path / "var"), "PES_INBOX": str(tmp_path / "inbox")}
    return materialize(
        [figure_source, side_notes, figure, publication,
         build_checks(READ, [read_check]), build_checks(NOT_READ, [not_read_check])],
        resources=resources_from_env(env), raise_on_error=False), tmp_path / "var"


def recorded(var: Path) -> dict[str, tuple[str, bool, str]]:
    with duckdb.connect(str(var / "warehouse.duckdb"), read_only=True) as con:
        rows = con.execute("select asset, severity, passed, summary_pl "
                           "from audit.check_result").fetchall()
    return {a: (severity, passed, summary) for a, severity, passed, summary in rows}


def materialized(result) -> set[str]:
    return {e.asset_key.to_user_string() for e in result.get_asset_materialization_events()}


def test_a_failed_check_of_a_table_no_figure_reads_warns_and_the_publication_goes_out(
        tmp_path: Path) -> None:
    result, var = refresh(tmp_path, passing(), failing("Powtórzony klucz: 2 wiersze."))
    evaluations = {e.asset_key: e for e in result.get_asset_check_evaluations()}
    assert not evaluations[NOT_READ].passed
    assert evaluations[NOT_READ].severity == AssetCheckSeverity.WARN
    assert evaluations[READ].passed
    assert "publish/dashboard" in materialized(result)
    assert recorded(var)["staging/side_notes_fixture"] == (
        "warning", False, "Powtórzony klucz: 2 wiersze." + NOT_READ_BY_A_FIGURE_PL)


def test_a_failed_check_of_a_table_a_figure_reads_still_holds_the_publication_back(
        tmp_path: Path) -> None:
    result, var = refresh(tmp_path, failing("Powtórzony klucz: 2 wiersze."), passing())
    evaluations = {e.asset_key: e for e in result.get_asset_check_evaluations()}
    assert not evaluations[READ].passed
    assert evaluations[READ].severity == AssetCheckSeverity.ERROR
    assert {"marts/active_pes_by_type", "publish/dashboard"}.isdisjoint(materialized(result))
    assert recorded(var)["staging/figure_source_fixture"] == (
        "error", False, "Powtórzony klucz: 2 wiersze.")


@pytest.fixture(scope="module")
def project_figure_inputs() -> frozenset[AssetKey]:
    return figure_inputs(defs.resolve_asset_graph(), indicator_figures())


def test_the_project_s_figures_read_their_catalogue_tables_and_what_those_read(
        project_figure_inputs: frozenset[AssetKey]) -> None:
    read = {key.to_user_string() for key in project_figure_inputs}
    # named by the PKD-section indicator's depends_on: its checks keep their severity
    assert "staging/krs_pkd" in read
    # upstream in the asset graph: core.pes_entity is made from the registers
    assert {"staging/pes_catalogue", "staging/social_enterprise", "staging/krs_entity"} <= read
    # made in the same step as core.pes_entity, read by its SQL, not a parent in the graph
    assert "core/entity_link" in read
    # the quality report's tables and the id changes: no figure reads them
    assert {"marts/quality_finding", "marts/source_status", "core/entity_id_change"}.isdisjoint(
        read)


def test_every_checked_table_of_the_project_is_read_by_a_figure_today(
        project_figure_inputs: frozenset[AssetKey]) -> None:
    checked = {key.asset_key for key in defs.resolve_asset_graph().asset_check_keys}
    assert checked <= project_figure_inputs


def test_tables_named_in_sql() -> None:
    assert tables_named("select * from core.pes_entity e join staging.krs_pkd p using (krs) "
                        "-- not audit.quarantine") == {
        AssetKey(["core", "pes_entity"]), AssetKey(["staging", "krs_pkd"])}
