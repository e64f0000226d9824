"""The one recipe every staging table follows: read landed files, type, screen, write, reconcile.

A file that cannot be read leaves the table as it was (the previous accepted version) and
marks the source stale with the reason, so one broken export does not stop the refresh.
"""


from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import duckdb
import pandas as pd
from dagster import (
    AssetExecutionContext,
    AssetKey,
    AssetsDefinition,
    Failure,
    MaterializeResult,
    MetadataValue,
    asset,
)
from dagster_duckdb import DuckDBResource

from assets.header_audit import record_headers, written_headers
from assets.landed_copies import verify_landed_copies
from assets.landing import INBOX_SOURCES, unexpected_files
from assets.release import restore_accepted
from assets.settings import MonitorSettings
from assets.warehouse import (
    append_rows,
    declared_types,
    ensure_audit_tables,
    preview,
    write_table,
)
from quality.quarantine import QUARANTINE_COLUMNS, RowRule, Screened, screen
from sources.cells import written_text
from sources.errors import SourceFileError
from sources.mapping import TOO_LONG, field_label
from sources.tables import MAX_CELL_CHARS


@dataclass(frozen=True, kw_only=True)
class StagingSpec:
    """What makes one staging table: its landed source, reader, typing step and row rules."""

    table: str
    label_pl: str
    landing_source: str
    read: Callable[[Path], pd.DataFrame]
    prepare: Callable[[pd.DataFrame, MonitorSettings], pd.DataFrame] | None = None
    rules: list[RowRule] = field(default_factory=list)
    description: str
    # For sources of thousands of small files (KRS extracts): read them all in one call, which
    # returns `_file` as the landed file's name and `attrs` of notes by landed file name.
    read_many: Callable[[list[Path]], pd.DataFrame] | None = None
    # For sources of tens of thousands of rows (KRS extracts): type, screen and write the rows
    # read in DuckDB SQL, in place of `prepare`, `rules` and the write of a pandas frame, the
    # slowest part there. Given the connection, the table's name, the rows read and the
    # settings; returns what `screen` returns (the accepted rows may keep only `_file`...).
    stage: Callable[[duckdb.DuckDBPyConnection, str, pd.DataFrame, MonitorSettings],
                    Screened] | None = None


def read_landed(
    con: duckdb.DuckDBPyConnection, spec: StagingSpec, landing_dir: Path
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Rows of every landed file of the source, `_file` set to the name the analyst sent.

    What a reader noted about each file in the frame's `attrs` (the columns no mapping uses,
    a detected encoding...) is kept in the result's `attrs["read_notes"]` by file name, for
    the materialisation's metadata.
    """
    inputs = con.execute(
        "select * from landing.current_input where source = ? order by original_name",
        [spec.landing_source],
    ).df()
    if inputs.empty:
        raise SourceFileError(spec.landing_source, f"at least one file in the inbox folder "
                              f"'{spec.landing_source}'", problem_pl=(
                                  f"w folderze „{spec.landing_source}” skrzynki nie ma pliku, "
                                  "który odświeżenie czyta"))
    verify_landed_copies(inputs, landing_dir)
    if spec.read_many is not None:
        return read_landed_at_once(spec, inputs, landing_dir), inputs
    frames, notes = [], {}
    for landed in inputs.itertuples():
        try:
            frame = spec.read(landing_dir / landed.landed_path)
        except SourceFileError as error:
            raise error.renamed(landed.original_name) from error
        if frame.attrs:
            notes[landed.original_name] = dict(frame.attrs)
        frames.append(frame.assign(_file=landed.original_name))
    rows = pd.concat(frames, ignore_index=True)
    rows.attrs = {"read_notes": notes}
    return rows, inputs


def read_landed_at_once(spec: StagingSpec, inputs: pd.DataFrame, landing_dir: Path) -> pd.DataFrame:
    """All landed files of the source read by one call, `_file` renamed as the analyst sent it."""
    paths = [landing_dir / landed for landed in inputs["landed_path"]]
    original = dict(zip([p.name for p in paths], inputs["original_name"], strict=True))
    try:
        rows = spec.read_many(paths)
    except SourceFileError as error:
        raise error.renamed(original.get(error.path.name, error.path.name)) from error
    notes = {original.get(name, name): note for name, note in rows.attrs.items()}
    rows["_file"] = rows["_file"].map(original)
    rows.attrs = {"read_notes": notes}
    return rows


def staged(spec: StagingSpec, con: duckdb.DuckDBPyConnection, table: str, raw: pd.DataFrame,
           settings: MonitorSettings) -> Screened:
    """The rows read, typed and screened, the accepted ones written to `table`."""
    if spec.stage is not None:
        return spec.stage(con, table, raw, settings)
    screened = without_long_cells(spec.prepare(raw, settings), spec.rules)
    accepted = screened.accepted.rename(columns={"_file": "source_file", "_line": "source_line"})
    # the reader's own columns (_sheet, _cells_beyond_header) served the rules only
    write_table(con, table, mixed_cells_as_text(accepted.drop(
        columns=[c for c in accepted.columns if c.startswith("_")])))
    return screened


def without_long_cells(frame: pd.DataFrame, rules: list[RowRule]) -> Screened:
    """The rows screened by the rules, but a row with a cell too long to be data (blanked by
    the reader) set aside first, with that cell's header: one bad cell costs its row, never
    the file, and the row is not faulted again for the value the blanking removed."""
    long_cell = (frame[TOO_LONG].notna() if TOO_LONG in frame
                 else pd.Series(False, index=frame.index))
    screened = screen(frame[~long_cell], rules)
    bad = frame[long_cell]
    set_aside = pd.DataFrame({
        "file": bad["_file"], "sheet": bad["_sheet"], "line": bad["_line"],
        "field": bad[TOO_LONG] if len(bad) else None, "reason_code": "cell_too_long",
        "message": f"Komórka ma więcej niż {MAX_CELL_CHARS:,} znaków".replace(",", " ")
        + " (więcej, niż mieści komórka Excela); wiersz odłożony, jego wartości nie odczytano.",
        "scope": "row",
    }, columns=QUARANTINE_COLUMNS)
    rejected = pd.concat([set_aside, screened.rejected], ignore_index=True) if len(bad) else \
        screened.rejected
    return Screened(accepted=screened.accepted, rejected=rejected)


def mixed_cells_as_text(frame: pd.DataFrame) -> pd.DataFrame:
    """Columns whose cells hold values of more than one Python type, as the text written in
    them; the others as they are.

    The typing step parses the columns the rules read; the rest (an address, a founder's
    name) keep each workbook cell's type. A number beside a date cell has no SQL type in
    common and stops the write; with text among them DuckDB writes the date in its own form.
    """
    mixed = [column for column in frame.columns if frame[column].dtype == object
             and len(set(map(type, frame[column].dropna()))) > 1]
    return frame.assign(**{column: written_text(frame[column]) for column in mixed})


def mark_stale(con: duckdb.DuckDBPyConnection, source: str, reason: str, run_id: str) -> None:
    """Keep the previous counts of the source, flagged stale with the reason."""
    con.execute(
        "update audit.source_file set is_stale = true, stale_reason = ?, run_id = ? "
        "where source = ?", [reason, run_id, source],
    )
    if not con.execute("select count(*) from audit.source_file where source = ?",
                       [source]).fetchall()[0][0]:
        append_rows(con, "audit.source_file", pd.DataFrame([{
            "source": source, "is_stale": True, "stale_reason": reason, "run_id": run_id}]))


def stale_reason(error: SourceFileError, settings: MonitorSettings, landing_source: str) -> str:
    """Why a source is stale, and the files lying in its folder that no refresh reads (an
    `.xls`, an `.ods`): often the export the analyst meant to send."""
    source = next((s for s in INBOX_SOURCES if s.name == landing_source), None)
    others = unexpected_files(settings.inbox(landing_source), source) if source else []
    if not others:
        return error.message_pl
    return (f"{error.message_pl.rstrip('.')}. W folderze „{landing_source}” leżą też pliki, "
            f"których odświeżenie nie czyta: {', '.join(others)} (czytane są pliki "
            f"{', '.join(source.patterns)}). Co zrobić: zapisz eksport jako CSV lub XLSX "
            "w tym folderze")


def record_screening(con: duckdb.DuckDBPyConnection, source: str, reconciliation: pd.DataFrame,
                     rejected: pd.DataFrame, inputs: pd.DataFrame, run_id: str,
                     written: dict[tuple[str, str], str] | None = None) -> None:
    """Replace the source's quarantine rows and per-file counts with this run's.

    A rejected field is named by the header its file gives it (`written`, by file and field),
    else by the mapping's official header.
    """
    con.execute("delete from audit.quarantine where source = ?", [source])
    written = written or {}
    labelled = rejected.assign(field=[
        written.get((file, field.removesuffix("_text"))) or field_label(source, field)
        for file, field in zip(rejected["file"], rejected["field"], strict=True)])
    append_rows(con, "audit.quarantine", labelled.assign(source=source, run_id=run_id))
    files = inputs[["original_name", "landed_sha256", "data_as_of"]].rename(
        columns={"original_name": "file_name"})
    rows = reconciliation.merge(files, on="file_name", how="left")
    con.execute("delete from audit.source_file where source = ?", [source])
    append_rows(con, "audit.source_file",
                rows.assign(source=source, is_stale=False, stale_reason=None, run_id=run_id))


def build_staging_asset(spec: StagingSpec) -> AssetsDefinition:
    @asset(
        key=["staging", spec.table],
        deps=[AssetKey(["landing", spec.landing_source])],
        group_name="staging",
        description=spec.description,
        kinds={"duckdb"},
    )
    def staging_asset(
        context: AssetExecutionContext, settings: MonitorSettings, warehouse: DuckDBResource
    ) -> MaterializeResult:
        table = f"staging.{spec.table}"
        with warehouse.get_connection() as con:
            ensure_audit_tables(con)
            try:
                raw, inputs = read_landed(con, spec, Path(settings.landing_dir))
            except SourceFileError as error:
                reason = stale_reason(error, settings, spec.landing_source)
                if not restore_accepted(con, spec.table):
                    if table not in declared_types():
                        raise Failure(
                            f"{spec.label_pl}: {error}. No earlier accepted version to fall "
                            "back on; fix the file and run the refresh again.") from error
                    # the source's first refresh: nothing accepted to fall back on, so its
                    # table is empty (of its declared columns) and the source stale, with the
                    # reason; every other source is read and published as usual
                    write_table(con, table, pd.DataFrame(columns=list(declared_types()[table])))
                mark_stale(con, spec.table, reason, context.run.run_id)
                context.log.error(f"{reason}: keeping the previous accepted {table}")
                return MaterializeResult(metadata={"stale": True, "stale_reason": reason})
            context.log.info(f"{spec.table}: read {len(raw)} rows from {len(inputs)} file(s)")
            notes = raw.attrs["read_notes"]
            unused = {f: n["unused_columns"] for f, n in notes.items() if n.get("unused_columns")}
            if unused:
                context.log.warning(f"{spec.table}: columns no mapping uses: {unused}")
            unknown_headers = record_headers(con, spec.table, notes, context.run.run_id)
            screened = staged(spec, con, table, raw, settings)
            reconciliation = screened.reconciliation(raw)
            record_screening(con, spec.table, reconciliation, screened.rejected, inputs,
                             context.run.run_id, written_headers(notes))
            reasons = screened.rejected["reason_code"].value_counts().to_dict()
            return MaterializeResult(metadata={
                "rows_read": len(raw),
                "rows_accepted": len(screened.accepted),
                "rows_quarantined": int(reconciliation["rows_quarantined"].sum()),
                "values_set_aside": int(reconciliation["values_set_aside"].sum()),
                "files": len(inputs),
                "quarantine_reasons": MetadataValue.json(reasons),
                "unused_columns": MetadataValue.json(unused),
                "unknown_headers_pl": MetadataValue.json(unknown_headers),
                "read_notes": MetadataValue.json(notes if len(notes) <= 20 else
                                                 dict(list(notes.items())[:20])),
                "reconciliation": MetadataValue.md(reconciliation.to_markdown(index=False)),
                "preview": preview(con, table),
            })

    return staging_asset
