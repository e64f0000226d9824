"""Entity resolution on the bundled sample, scored against the generator's ground truth.

    python bench/entity_resolution.py [--inbox data/sample] [--warehouse var/warehouse.duckdb]
                                      [--seed 28]

The sample's truth (`<inbox>/_truth/source_rows.csv`, written by sample_data) says which entity
every source row describes. Each truth row is mapped to its staging row (table, file name, file
line) and the mapping is checked on the identifiers staging read: the row's KRS, NIP and REGON
(and its founder's, for a unit) must be the truth entity's, or, where none is known on both
sides, its name key. A mapping that is off stops the script, since scores on misaligned rows
would be noise that looks like a measurement.

The resolution (`core.entity_link`) is then scored with quality.match_quality.pairwise_scores:
overall, per kind (legal entity, unit) and for the source pairs where matching is hard. Truth
rows that never reached the link table are split into quarantined (audit.quarantine) and
unexplained; the counted entities (core.pes_entity) are compared with the truth's figures by
type; the worst false merges and missed links are listed by name for a developer to look at.

Without `--warehouse`, the inbox is refreshed into a temporary folder by the monthly job, as
`pes-monitor refresh` runs it, with the period ending on the sample's as-of date. `--seed`
generates a fresh sample of that seed into the temporary folder and scores that instead.

Nothing here is a test: it prints figures for a person to read.
"""

from __future__ import annotations

import argparse
import csv
import json
import sys
import tempfile
import time
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

import duckdb
import pandas as pd

from pipelines.cli import generate
from pipelines.settings import DEFAULT_INBOX
from quality.match_quality import MatchScores, pairwise_scores
from quality.names import name_key
from sample_data.social_enterprises import HEADER_ROW as PS_HEADER_ROW
from sample_data.truth import TRUTH_DIR
from sample_data.unit_registers import ZAZ_HEADER_ROW

#: A staging row: (staging table, file name, file line where the row starts).
RowKey = tuple[str, str, int]
#: For one file of a source: its truth row number -> the file line where that row starts.
LineOf = Callable[[int], int]

UNIT_TYPES = frozenset({"CIS", "KIS", "ZAZ", "WTZ"})
#: Truth sources that are not records of an entity (OWES reports list entities they supported).
NOT_ENTITY_RECORDS = frozenset({"owes"})
IDENTIFIERS = ("krs", "nip", "regon")
#: A mapping this far off is not trusted: rows whose identifiers cannot be compared at all.
MAX_UNVERIFIABLE_SHARE = 0.05
SHOWN_ERRORS = 10


def print_table(header: list[str], rows: list[list[object]]) -> None:
    """A plain Markdown-like table: text left, numbers right, floats with four decimals."""
    def cell(value: object) -> str:
        return f"{value:.4f}" if isinstance(value, float) else str(value)

    cells = [[cell(v) for v in row] for row in rows]
    widths = [max(len(h), *(len(r[i]) for r in cells)) for i, h in enumerate(header)]
    right = [all(isinstance(row[i], int | float) for row in rows) for i in range(len(header))]

    def line(values: list[str]) -> str:
        return "| " + " | ".join(v.rjust(w) if r else v.ljust(w)
                                 for v, w, r in zip(values, widths, right, strict=True)) + " |"

    print(line(header))
    print("|" + "|".join("-" * (w + 2) for w in widths) + "|")
    for row in cells:
        print(line(row))
    print()


def csv_record_lines(encoding: str, delimiter: str) -> Callable[[Path], LineOf]:
    """Lines counted in the file itself, not assumed one per row: the CIS register's address
    and contact cells hold line breaks inside quotes, so its rows are three lines each."""

    def lines(path: Path) -> LineOf:
        starts = {}
        with path.open(encoding=encoding, newline="") as handle:
            reader = csv.reader(handle, delimiter=delimiter)
            next(reader)  # the header
            ended = reader.line_num
            for number, _ in enumerate(reader, start=1):
                starts[number] = ended + 1
                ended = reader.line_num
        return starts.__getitem__

    return lines


def rows_below_header(header_row: int) -> Callable[[Path], LineOf]:
    """A worksheet whose rows follow the header, row 1 right under it."""
    return lambda _path: lambda number: header_row + number


#: Truth source (inbox folder) -> (staging table, how its rows lie in a file), from the
#: writers in sample_data: the catalogue CP-1250 `;`, CIS UTF-8 `;` with multi-line cells, WTZ
#: CP-1250 `,`; the PS register's header on row 4, KIS's on row 1, ZAZ's on rows 4-5; a KRS
#: extract is one row on line 1.
SOURCES: dict[str, tuple[str, Callable[[Path], LineOf]]] = {
    "pes_catalogue": ("pes_catalogue", csv_record_lines("cp1250", ";")),
    "social_enterprises": ("social_enterprise", rows_below_header(PS_HEADER_ROW)),
    "krs": ("krs_entity", lambda _path: lambda _number: 1),
    "cis_register": ("cis_register", csv_record_lines("utf-8-sig", ";")),
    "kis_register": ("kis_register", rows_below_header(1)),
    "zaz_register": ("zaz_register", rows_below_header(ZAZ_HEADER_ROW + 1)),
    "wtz_register": ("wtz_register", csv_record_lines("cp1250", ",")),
}
TABLES = tuple(table for table, _ in SOURCES.values())
UNIT_TABLES = ("cis_register", "kis_register", "zaz_register", "wtz_register")


@dataclass(frozen=True)
class Truth:
    """The sample's truth: the entity of every staging row, the entities, the figures."""

    entity_of: dict[RowKey, str]
    entities: pd.DataFrame  # entities.csv by entity_id, all columns text, and the name_key
    summary: dict
    invalid: frozenset[RowKey]  # rows with an identifier written wrong on purpose


def read_truth(inbox: Path) -> Truth:
    folder = inbox / TRUTH_DIR
    rows = pd.read_csv(folder / "source_rows.csv", dtype=str)
    unknown = set(rows["source"]) - SOURCES.keys() - NOT_ENTITY_RECORDS
    if unknown:
        raise SystemExit(f"source_rows.csv names sources this bench does not know: {unknown}")
    rows = rows[rows["source"].isin(SOURCES.keys())]
    key_of: dict[tuple[str, str], RowKey] = {}
    for (source, file), group in rows.groupby(["source", "file"]):
        table, lines = SOURCES[source]
        line_of = lines(inbox / file)
        for number in group["row"].astype(int):
            key_of[file, str(number)] = (table, Path(file).name, line_of(number))
    entity_of = {key_of[file, row]: entity
                 for file, row, entity in rows[["file", "row", "entity_id"]].itertuples(False)}
    if len(entity_of) != len(rows):
        raise SystemExit("two truth rows map to one staging row: the row -> line rule is off")
    invalid_rows = pd.read_csv(folder / "invalid_ids.csv", dtype=str)
    invalid = frozenset(key_of[file, row] for file, row in
                        invalid_rows[["file", "row"]].itertuples(False) if (file, row) in key_of)
    entities = pd.read_csv(folder / "entities.csv", dtype=str, keep_default_na=False)
    entities["name_key"] = name_key(entities["nazwa"])
    summary = json.loads((folder / "summary.json").read_text(encoding="utf-8"))
    return Truth(entity_of, entities.set_index("entity_id"), summary, invalid)


def staging_rows(con: duckdb.DuckDBPyConnection) -> dict[RowKey, dict]:
    """Name, name key and identifiers of every staging row of the entity sources, by row key."""
    rows = {}
    for table in TABLES:
        columns = {c for (c,) in con.execute(
            "select column_name from information_schema.columns "
            "where table_schema = 'staging' and table_name = ?", [table]).fetchall()}
        if not columns:
            raise SystemExit(f"staging.{table} is not in this warehouse: nothing to map or score "
                             "(did its staging step fail?)")
        wanted = [c for c in ("name", "name_key", *IDENTIFIERS,
                              *(f"founder_{i}" for i in IDENTIFIERS)) if c in columns]
        frame = con.execute(f"select source_file, source_line, {', '.join(wanted)} "
                            f"from staging.{table}").df()
        for record in frame.to_dict("records"):
            rows[table, record.pop("source_file"), int(record.pop("source_line"))] = record
    return rows


def identifier_key(column: str, value: object) -> str:
    """An identifier as compared: digits only, KRS without its leading zeros (a number cell
    loses them), a REGON padded with 00000 to 14 digits as its 9 (as KRS extracts write it)."""
    if value is None or (isinstance(value, float) and pd.isna(value)):
        return ""
    digits = "".join(ch for ch in str(value) if ch.isdigit())
    if column == "krs":
        return digits.lstrip("0")
    if column == "regon" and len(digits) == 14 and digits.endswith("00000"):
        return digits[:9]
    return digits


def identifier_checks(key: RowKey, row: dict, entity: str, truth: Truth) -> list[bool]:
    """One verdict per identifier known on both sides: does staging agree with the truth?
    A unit's founder_* columns are checked against its founder entity (none for a gmina); a
    row with an identifier wrong on purpose (invalid_ids.csv) is left to its name."""
    if key in truth.invalid:
        return []
    checks = []
    for column, value in row.items():
        if column in ("name", "name_key"):
            continue
        founder = column.startswith("founder_")
        plain = column.removeprefix("founder_")
        owner = truth.entities.at[entity, "founder_entity_id"] if founder else entity
        written, true = identifier_key(plain, value), ""
        if owner:
            true = identifier_key(plain, truth.entities.at[owner, plain])
        if written and true:
            checks.append(written == true)
    return checks


def row_verdict(key: RowKey, row: dict, entity: str, truth: Truth) -> str:
    """`verified` on identifiers, `contradicted` when one disagrees, else `verified by name`
    when the name keys agree (a KIS run by a gmina names no identifier of the population)."""
    checks = identifier_checks(key, row, entity, truth)
    if checks:
        return "verified" if all(checks) else "contradicted"
    if row.get("name_key") and row["name_key"] == truth.entities.at[entity, "name_key"]:
        return "verified by name"
    return "unverifiable"


def verify_mapping(truth: Truth, staged: dict[RowKey, dict]) -> set[RowKey]:
    """Prints how the truth rows met the staging rows; stops on any sign the mapping is off.
    Returns the truth rows that have no staging row (quarantined or lost)."""
    tally: dict[str, Counter] = {table: Counter() for table in TABLES}
    contradicted = []
    for key, entity in truth.entity_of.items():
        verdict = row_verdict(key, staged[key], entity, truth) if key in staged else "not staged"
        tally[key[0]][verdict] += 1
        if verdict == "contradicted":
            contradicted.append(key)
    stray = [key for key in staged if key not in truth.entity_of]
    for key in stray:
        tally[key[0]]["staged, not in truth"] += 1

    print("Mapping truth rows -> staging rows, checked on KRS/NIP/REGON (the founder's for a "
          "unit's founder_* columns), else on the name key")
    verdicts = ("verified", "verified by name", "unverifiable", "contradicted", "not staged",
                "staged, not in truth")
    total = sum(tally.values(), Counter())
    print_table(["staging table", *verdicts],
                [[table, *(counts[v] for v in verdicts)] for table, counts in tally.items()]
                + [["all", *(total[v] for v in verdicts)]])

    mapped = sum(total[v] for v in verdicts[:4])
    problems = []
    if contradicted:
        problems.append(f"{len(contradicted)} rows disagree with their truth entity's "
                        f"identifiers, e.g. {contradicted[:3]}")
    if stray:
        problems.append(f"{len(stray)} staging rows match no truth row, e.g. {stray[:3]}")
    if not mapped or total["unverifiable"] > MAX_UNVERIFIABLE_SHARE * mapped:
        problems.append(f"{total['unverifiable']} of {mapped} mapped rows could not be verified")
    if problems:
        raise SystemExit("The truth -> staging mapping is off, nothing scored:\n  "
                         + "\n  ".join(problems))
    return {key for key in truth.entity_of if key not in staged}


def cross_scores(predicted: dict, truth: dict, left: set, right: set) -> MatchScores:
    """Scores of the pairs with one row in `left` and one in `right` (disjoint): the pairs
    among both sets less those within each."""
    def restricted(keys: set) -> MatchScores:
        return pairwise_scores({k: predicted[k] for k in keys if k in predicted},
                               {k: truth[k] for k in keys if k in truth})

    both, only_left, only_right = restricted(left | right), restricted(left), restricted(right)

    def across(field: str) -> int:
        return getattr(both, field) - getattr(only_left, field) - getattr(only_right, field)

    predicted_pairs, true_pairs = across("predicted_pairs"), across("true_pairs")
    common = across("common_pairs")
    return MatchScores(
        rows=only_left.rows + only_right.rows, predicted_pairs=predicted_pairs,
        true_pairs=true_pairs, common_pairs=common,
        precision=common / predicted_pairs if predicted_pairs else 1.0,
        recall=common / true_pairs if true_pairs else 1.0)


def print_scores(predicted: dict[RowKey, str], truth: Truth) -> None:
    true_of = truth.entity_of
    types = truth.entities["typ"]
    keys = predicted.keys() & true_of.keys()

    def of_tables(*tables: str) -> set[RowKey]:
        return {k for k in keys if k[0] in tables}

    def restricted(rows: set[RowKey]) -> MatchScores:
        return pairwise_scores({k: predicted[k] for k in rows}, {k: true_of[k] for k in rows})

    units = {k for k in keys if types[true_of[k]] in UNIT_TYPES}
    scopes = [
        ("all rows", restricted(keys)),
        ("legal entities (true kind)", restricted(keys - units)),
        ("units (true kind)", restricted(units)),
        ("legal <-> unit (never one)", cross_scores(predicted, true_of, keys - units, units)),
        ("within the catalogue", restricted(of_tables("pes_catalogue"))),
        ("catalogue <-> KRS", cross_scores(predicted, true_of, of_tables("pes_catalogue"),
                                           of_tables("krs_entity"))),
        ("unit registers <-> catalogue", cross_scores(predicted, true_of, of_tables(*UNIT_TABLES),
                                                      of_tables("pes_catalogue"))),
        ("PS register <-> others", cross_scores(predicted, true_of, of_tables("social_enterprise"),
                                                keys - of_tables("social_enterprise"))),
    ]
    print("Pairwise scores: pairs of rows put in one entity, over the rows both in the truth and "
          "in core.entity_link")
    print_table(["scope", "rows", "predicted pairs", "true pairs", "common", "precision",
                 "recall"],
                [[name, s.rows, s.predicted_pairs, s.true_pairs, s.common_pairs, s.precision,
                  s.recall] for name, s in scopes])
    print(f"Entities among these rows: {len({predicted[k] for k in keys})} predicted, "
          f"{len({true_of[k] for k in keys})} true.\n")


def print_missing(predicted: dict[RowKey, str], truth: Truth, not_staged: set[RowKey],
                  quarantined: set[RowKey]) -> None:
    """Truth rows absent from core.entity_link, and link rows the truth does not know."""
    missing = [k for k in truth.entity_of if k not in predicted]
    print("Truth rows missing from core.entity_link")
    table_rows = []
    for table in TABLES:
        rows = [k for k in missing if k[0] == table]
        lost = [k for k in rows if k in not_staged]
        in_quarantine = sum(1 for k in lost if k in quarantined)
        table_rows.append([table, in_quarantine, len(lost) - in_quarantine, len(rows) - len(lost)])
    print_table(["staging table", "quarantined", "not staged, not quarantined",
                 "staged, not linked"], table_rows)
    unknown = [k for k in predicted if k not in truth.entity_of]
    print(f"Link rows with no truth row: {len(unknown)}"
          + (f", e.g. {unknown[:3]}" if unknown else "") + "\n")


def unregistered_by_type(truth: Truth, staged: dict[RowKey, dict]) -> Counter:
    """True entities none of whose register rows reached staging (all quarantined): known only
    from KRS, which the resolution does not count."""
    registered = {truth.entity_of[k] for k in staged
                  if k in truth.entity_of and k[0] != "krs_entity"}
    return Counter(truth.entities.at[e, "typ"]
                   for e in set(truth.entity_of.values()) - registered)


def print_counted(con: duckdb.DuckDBPyConnection, truth: Truth, unregistered: Counter) -> None:
    """Counted entities by type against the truth; types are the catalogue's Polish words,
    translated by the catalogue's own staging (entity_type_pl -> entity_type)."""
    code_of = dict(con.execute("select distinct entity_type_pl, entity_type "
                               "from staging.pes_catalogue where entity_type is not null")
                   .fetchall())
    counted = dict(con.execute("select entity_type, count(*) from core.pes_entity group by 1")
                   .fetchall())
    expected = truth.summary["entities_by_type"]
    table_rows = []
    for type_pl, true_count in expected.items():
        found = counted.pop(code_of.get(type_pl, type_pl), 0)
        table_rows.append([type_pl, true_count, unregistered[type_pl], found,
                           found - true_count + unregistered[type_pl]])
    table_rows += [[str(code), 0, 0, found, found] for code, found in counted.items()]
    total, lost = sum(expected.values()), sum(unregistered.values())
    found = con.execute("select count(*) from core.pes_entity").fetchone()[0]
    print("Counted entities (core.pes_entity) by type; an entity whose register rows were all "
          "quarantined is known only from KRS and not counted")
    print_table(["type", "truth", "register rows all quarantined", "counted",
                 "unexplained difference"],
                [*table_rows, ["all", total, lost, found, found - total + lost]])


def clusters(labels: dict[RowKey, str]) -> dict[str, list[RowKey]]:
    grouped: dict[str, list[RowKey]] = defaultdict(list)
    for key in sorted(labels):
        grouped[labels[key]].append(key)
    return grouped


def wrong_pairs(rows: list[RowKey], label: dict[RowKey, str]) -> int:
    """Pairs of `rows` (one cluster on one side) that the other side's `label` splits."""
    size = len(rows)
    return size * (size - 1) // 2 - sum(n * (n - 1) // 2 for n in Counter(
        label[k] for k in rows).values())


def print_errors(predicted: dict[RowKey, str], truth: Truth, staged: dict[RowKey, dict],
                 rule_of: dict[RowKey, str]) -> None:
    """The worst false merges (one predicted entity, several true ones) and missed links (one
    true entity, several predicted), each row with its name, link rule and the other side."""
    keys = predicted.keys() & truth.entity_of.keys()
    mine = {k: predicted[k] for k in keys}
    true = {k: truth.entity_of[k] for k in keys}

    def true_entity(entity: str) -> str:
        row = truth.entities.loc[entity]
        return f"truth {entity} ({row['typ']}: {row['nazwa'][:50]!r})"

    def describe(key: RowKey) -> str:
        name = str(staged.get(key, {}).get("name", "?")).strip()
        return f"{key[0]}:{key[1]}:{key[2]}  [{rule_of.get(key, '?')}]  {name[:60]!r}"

    false_merges = ("False merges (one predicted entity, several true ones)", mine, true,
                    lambda label: f"predicted {label}", lambda key: true_entity(true[key]))
    missed_links = ("Missed links (one true entity, several predicted ones)", true, mine,
                    true_entity, lambda key: f"predicted {mine[key]}")
    for title, by, other, cluster_name, other_side in (false_merges, missed_links):
        worst = sorted(((wrong_pairs(rows, other), label, rows)
                        for label, rows in clusters(by).items()), reverse=True)
        worst = [w for w in worst if w[0]]
        print(f"{title}: {len(worst)} clusters, {sum(w[0] for w in worst)} wrong pairs"
              + (f", the {SHOWN_ERRORS} worst:" if len(worst) > SHOWN_ERRORS else ""))
        for pairs, label, rows in worst[:SHOWN_ERRORS]:
            print(f"  {cluster_name(label)}: {len(rows)} rows, {pairs} wrong pairs")
            for key in rows:
                print(f"    {describe(key)}  -> {other_side(key)}")
        print()


def refresh(inbox: Path, scratch: Path, period_end: str) -> tuple[Path, list[str]]:
    """Runs the monthly job on `inbox` into `scratch`; returns the warehouse and timing lines."""
    from dagster import AssetKey, DagsterInstance

    from pipelines.definitions import build_definitions

    env = {"PES_INBOX": str(inbox), "PES_VAR": str(scratch / "var"),
           "PES_KEY_FILE": str(scratch / "secrets" / "pseudonym.key"),
           "PES_PERIOD_END": period_end}
    print(f"Refreshing {inbox} into {scratch} (period end {period_end}) ...", flush=True)
    instance = DagsterInstance.ephemeral()
    started = time.monotonic()
    result = build_definitions(env).resolve_job_def("monthly_refresh").execute_in_process(
        run_config={"loggers": {"console": {"config": {"log_level": "ERROR"}}}},
        instance=instance, raise_on_error=False)
    failed = sorted({event.step_key for event in result.get_step_failure_events()})
    timing = [f"refresh {'succeeded' if result.success else 'FAILED'} in "
              f"{time.monotonic() - started:.1f} s"
              + (f", failed steps: {', '.join(failed)}" if failed else "")]
    resolving = {event.step_key for event in result.get_asset_materialization_events()
                 if event.asset_key == AssetKey(["core", "entity_link"])}
    for stats in instance.get_run_step_stats(result.run_id):
        if stats.step_key in resolving and stats.end_time and stats.start_time:
            timing.append(f"step {stats.step_key} (writes core.entity_link): "
                          f"{stats.end_time - stats.start_time:.1f} s")
    return scratch / "var" / "warehouse.duckdb", timing


def print_active(con: duckdb.DuckDBPyConnection, inbox: Path, as_of: str) -> None:
    """Entities active at the sample's date by type, as published (marts.active_pes_by_type),
    against the truth's active counts (`_truth/active_by_month.csv`)."""
    truth = pd.read_csv(inbox / TRUTH_DIR / "active_by_month.csv", dtype={"active": int})
    truth = truth[truth["month_end"] == as_of]
    published = dict(con.execute(
        "select entity_type_pl, active_pes from marts.active_pes_by_type where month = ?",
        [as_of]).fetchall())
    code_of = dict(con.execute("select distinct entity_type_pl, entity_type "
                               "from staging.pes_catalogue where entity_type is not null")
                   .fetchall())
    by_code = dict(con.execute("select entity_type, entity_type_pl from core.entity_type")
                   .fetchall())
    rows = []
    for type_pl, active in zip(truth["typ"], truth["active"], strict=True):
        found = int(published.get(by_code.get(code_of.get(type_pl, type_pl), ""), 0))
        rows.append([type_pl, int(active), found, found - int(active)])
    print(f"Active at {as_of} (marts.active_pes_by_type) against the truth")
    print_table(["type", "truth", "counted", "difference"],
                [*rows, ["all", sum(r[1] for r in rows), sum(r[2] for r in rows),
                         sum(r[3] for r in rows)]])


def has_table(con: duckdb.DuckDBPyConnection, schema: str, table: str) -> bool:
    return bool(con.execute("select count(*) from information_schema.tables "
                            "where table_schema = ? and table_name = ?",
                            [schema, table]).fetchone()[0])


def quarantined_rows(con: duckdb.DuckDBPyConnection) -> set[RowKey]:
    return {(source, file, int(line)) for source, file, line in con.execute(
        "select distinct source, file, line from audit.quarantine").fetchall()}


def bench(inbox: Path, warehouse: Path, timing: Iterable[str]) -> int:
    truth = read_truth(inbox)
    print(f"Entity resolution vs the generator's truth: inbox {inbox} "
          f"(seed {truth.summary['seed']}, as of {truth.summary['as_of']}), "
          f"warehouse {warehouse}")
    for line in timing:
        print(f"  {line}")
    print()
    with duckdb.connect(str(warehouse), read_only=True) as con:
        staged = staging_rows(con)
        not_staged = verify_mapping(truth, staged)
        if not has_table(con, "core", "entity_link"):
            print("core.entity_link is not in this warehouse: nothing to score.")
            return 1
        link = con.execute("select source, source_file, source_line, entity_id, rule "
                           "from core.entity_link").fetchall()
        predicted = {(s, f, int(n)): e for s, f, n, e, _ in link}
        rule_of = {(s, f, int(n)): r for s, f, n, _, r in link}
        print_scores(predicted, truth)
        print_missing(predicted, truth, not_staged, quarantined_rows(con))
        print_counted(con, truth, unregistered_by_type(truth, staged))
        if has_table(con, "marts", "active_pes_by_type"):
            print()
            print_active(con, inbox, truth.summary["as_of"])
    print_errors(predicted, truth, staged, rule_of)
    return 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--inbox", type=Path, default=DEFAULT_INBOX,
                        help="an inbox with the generator's _truth/ (default data/sample)")
    parser.add_argument("--warehouse", type=Path,
                        help="score this warehouse (read only) instead of refreshing the inbox")
    parser.add_argument("--seed", type=int,
                        help="generate a sample of this seed in a temporary folder and score it")
    args = parser.parse_args()
    if args.seed is not None and args.warehouse is not None:
        parser.error("--seed generates a new sample: it has no warehouse yet")
    if args.warehouse is not None:
        return bench(args.inbox, args.warehouse, [])
    with tempfile.TemporaryDirectory(prefix="er_bench_") as scratch_dir:
        scratch = Path(scratch_dir)
        inbox = args.inbox
        if args.seed is not None:
            inbox = scratch / "inbox"
            generate(inbox, args.seed)
        as_of = json.loads((inbox / TRUTH_DIR / "summary.json").read_text("utf-8"))["as_of"]
        warehouse, timing = refresh(inbox, scratch, as_of)
        return bench(inbox, warehouse, timing)


if __name__ == "__main__":
    sys.exit(main())
