"""Marts: one table per indicator, built from the catalogue in sql/marts/indicators.yml.

One indicator = one catalogue entry = one SQL file = one table `marts.<name>`, so a reader who
starts from a number on the dashboard reaches its SQL in one hop.
"""

import json

import duckdb
import pandas as pd
from dagster import AssetKey, AssetsDefinition, MaterializeResult, MetadataValue, asset
from dagster_duckdb import DuckDBResource

from assets.checks import Check, Finding, build_checks
from assets.settings import MonitorSettings
from assets.staging import STAGING_SPECS
from assets.staging.registers import register_specs
from assets.warehouse import preview, row_count, write_table
from dashboards.catalogue import CATALOGUE_DIR, catalogue_entries
from quality.reasons import GENERAL_ADVICE_PL, REASON_ADVICE_PL, REASON_LABEL_PL
from sources.registry import inbox_sources

MARTS_SQL = CATALOGUE_DIR
CATALOGUE = catalogue_entries()


def build_indicator_asset(name: str, entry: dict) -> AssetsDefinition:
    sql_path = MARTS_SQL / f"{name}.sql"

    @asset(
        key=["marts", name],
        deps=[AssetKey(dep.split("/")) for dep in entry["depends_on"]],
        group_name="marts",
        kinds={"duckdb"},
        description=f"{entry['title_pl']} ({entry['unit_pl']}). {entry['description_pl']}",
        metadata={"sql": MetadataValue.path(str(sql_path)), "unit": entry["unit_pl"]},
    )
    def indicator(warehouse: DuckDBResource) -> MaterializeResult:
        with warehouse.get_connection() as con:
            write_indicator(con, name)
            return MaterializeResult(metadata={"rows": row_count(con, f"marts.{name}"),
                                               "preview": preview(con, f"marts.{name}")})

    return indicator


def write_indicator(con: duckdb.DuckDBPyConnection, name: str) -> None:
    """Replace ``marts.<name>`` with what its SQL gives, typed as its catalogue entry says."""
    sql = (MARTS_SQL / f"{name}.sql").read_text(encoding="utf-8")
    con.execute("create schema if not exists marts")
    con.execute(f"create or replace table marts.{name} as {typed_query(con, name, sql)}")


def typed_query(con: duckdb.DuckDBPyConnection, name: str, sql: str) -> str:
    """Return the indicator's SQL with each column cast to the type its catalogue entry
    declares (``columns``), so an empty month gives the same table as a full one; the
    query's columns must be the declared ones, in their order."""
    declared = CATALOGUE[name].get("columns")
    if declared is None:
        return sql
    found = [column[0] for column in con.execute(f"select * from ({sql}) limit 0").description]
    if found != list(declared):
        raise ValueError(f"marts.{name}: zapytanie {MARTS_SQL.name}/{name}.sql daje kolumny "
                         f"{found}, a indicators.yml deklaruje {list(declared)}.")
    casts = ", ".join(f'cast("{column}" as {kind}) as "{column}"'
                      for column, kind in declared.items())
    return f"select {casts} from ({sql})"


@asset(key=["marts", "indicator_catalogue"], group_name="marts", kinds={"duckdb"},
       deps=[AssetKey(["core", "target"])],
       description="Titles, units and definitions of the indicators, as the dashboard shows them, "
                   "which of their columns count persons, and (for the methodology) their "
                   "sources, targets and column types.")
def indicator_catalogue(warehouse: DuckDBResource) -> MaterializeResult:
    with warehouse.get_connection() as con:
        targets = con.execute("select indicator, category, valid_from::date as valid_from, "
                              "valid_to::date as valid_to, target, unit, comparison, source "
                              "from core.target order by all").df()
        return MaterializeResult(metadata={"rows": write_table(con, "marts.indicator_catalogue",
                                                                catalogue_rows(targets))})


def catalogue_rows(targets: pd.DataFrame) -> pd.DataFrame:
    """Return one row per catalogue entry as marts.indicator_catalogue holds it, with the
    entry's rows of ``targets`` (core.target's columns)."""
    return pd.DataFrame([
        {"indicator": name, "title_pl": e["title_pl"], "unit_pl": e["unit_pl"],
         "description_pl": e["description_pl"], "sql_path": f"assets/sql/marts/{name}.sql",
         # what publishing hides (quality/disclosure.py), read by the dashboard and release.json
         "persons_counts": json.dumps(e.get("persons_counts") or {}),
         "persons_counts_from": json.dumps(e["persons_counts_from"])
         if "persons_counts_from" in e else None,
         # what the methodology (dashboards/methodology.py) writes beside each figure
         "sources_pl": json.dumps([source_label_pl(dep) for dep in e["depends_on"]],
                                  ensure_ascii=False),
         # the line "Źródło: …" under the indicator's figure and in the downloads
         "source_pl": e.get("source_pl") or source_line_pl(e["depends_on"]),
         "targets": targets[targets["indicator"] == name].drop(columns="indicator").to_json(
             orient="records", date_format="iso", force_ascii=False),
         "columns": json.dumps(e.get("columns") or {})}
        for name, e in CATALOGUE.items()
    ])


# Tables an indicator reads besides the sources' staging tables, as the methodology names them.
CORE_TABLES_PL = {
    "core/pes_entity": "podmioty ekonomii społecznej po połączeniu rejestrów i KRS",
    "core/entity_status": "statusy przedsiębiorstw społecznych",
    "core/entity_type": "typy podmiotów ekonomii społecznej według ustawy "
                        "(data/reference/pes_legal_types.csv)",
    "core/teryt_unit": "jednostki podziału terytorialnego TERYT (data/reference/teryt)",
    "core/target": "cele wskaźników (data/reference/targets.csv)",
    "core/month": "kalendarz miesięcy okresu monitorowania",
    "core/participant": "uczestnicy (osoby po pseudonimie numeru PESEL)",
    "core/owes_report": "sprawozdania OWES w najnowszej wersji",
    "core/owes_headline_mismatch": "zgodność sum sprawozdań OWES z ich arkuszami szczegółowymi",
    "core/owes_subregion": "podregiony OWES (data/reference/owes_subregions.csv)",
    "core/population": "ludność na 31 grudnia, GUS Bank Danych Lokalnych "
                       "(data/reference/population)",
    "marts/unit_boundary": "granice powiatów i gmin (data/reference/geo)",
}


# Where the figures come from, as a reader names the register or report (not a table): per
# landing source of a staging table, and per core table an indicator reads beside them.
LANDING_SOURCES_PL = {s.inbox.folder: s.inbox.name_pl for s in inbox_sources()}
CORE_SOURCES_PL = {
    "core/pes_entity": ("katalog PES ROPS", "rejestry CIS, KIS, ZAZ i WTZ",
                        "rejestr przedsiębiorstw społecznych", "KRS"),
    "core/entity_status": ("rejestr przedsiębiorstw społecznych", "KRS"),
    "core/teryt_unit": ("TERYT (GUS)",),
    "core/pkd_section": ("PKD 2007 (GUS)",),
    "core/target": ("opis projektu",),
    "core/participant": ("dziennik działań projektu",),
    "core/owes_report": ("sprawozdania kwartalne OWES",),
    "core/owes_headline_mismatch": ("sprawozdania kwartalne OWES",),
    "core/owes_subregion": ("podział województwa na subregiony OWES",),
}


def source_line_pl(depends_on: list[str]) -> str:
    """Return the registers and reports an indicator is computed from, in Polish, each once
    and in the order of ``depends_on`` (the calendar and the type list are not sources)."""
    landing = {f"staging/{spec.table}": spec.landing_source for spec in STAGING_SPECS}
    names: list[str] = []
    for dependency in depends_on:
        found = CORE_SOURCES_PL.get(dependency, ())
        if dependency in landing:
            found = (LANDING_SOURCES_PL.get(landing[dependency], landing[dependency]),)
        names += [name for name in found if name not in names]
    return ", ".join(names)


def source_label_pl(dependency: str) -> str:
    """Return what an indicator reads, in Polish, with the table's name for an auditor."""
    labels = {f"staging/{spec.table}": spec.label_pl for spec in STAGING_SPECS}
    table = dependency.replace("/", ".")
    label = labels.get(dependency) or CORE_TABLES_PL.get(dependency)
    return f"{label} ({table})" if label else table


@asset(key=["marts", "source_status"], group_name="marts", kinds={"duckdb"},
       deps=[AssetKey(["staging", spec.table]) for spec in STAGING_SPECS],
       description="Per source file: its date, when it was received, rows read, accepted, "
                   "quarantined; stale sources and why.")
def source_status(warehouse: DuckDBResource) -> MaterializeResult:
    labels = pd.DataFrame([{"source": s.table, "source_pl": s.label_pl, "sort_order": i}
                           for i, s in enumerate(STAGING_SPECS)])
    with warehouse.get_connection() as con:
        con.register("source_label", labels)
        status = con.execute("""
            select f.source, l.source_pl, f.file_name, f.data_as_of, r.loaded_at, f.rows_read,
                   f.rows_accepted, f.rows_quarantined, f.is_stale,
                   case when f.is_stale then 'Plik nieczytelny, pokazano poprzednią wersję: '
                        || f.stale_reason end as stale_reason_pl,
                   'Nieznane kolumny, które mogą wiązać lub umiejscawiać wiersze: '
                        || h.headers || '. Co zrobić: raport jakości danych, sekcja '
                        || '„Nagłówki kolumn”.' as header_warning_pl
            from audit.source_file f join source_label l using (source)
            left join (
                -- when the version in use was received: a stale source's is its fallback's
                select landed_sha256, min(landed_at) as loaded_at from landing.file_registry
                group by all
            ) r on r.landed_sha256 = f.landed_sha256
            left join (
                select source, file,
                       string_agg('„' || header || '” (przypomina „' || field_header || '”)',
                                  '; ' order by header) as headers
                from audit.source_header where status = 'unknown' and links_or_places
                group by all
            ) h on h.source = f.source and h.file = f.file_name
            order by l.sort_order, f.file_name
        """).df()
        con.unregister("source_label")
        count = write_table(con, "marts.source_status", status)
        return MaterializeResult(metadata={"rows": count, "stale_sources": int(
            status["is_stale"].sum()), "preview": preview(con, "marts.source_status")})


CHECKED_ASSETS = [AssetKey(["staging", spec.table]) for spec in STAGING_SPECS] + [
    AssetKey(["core", "pes_entity"]), AssetKey(["core", "entity_link"]),
    AssetKey(["core", "owes_headline_mismatch"]),
    AssetKey(["core", "owes_report"]), AssetKey(["core", "participant"]),
    AssetKey(["core", "teryt_unit"]), AssetKey(["core", "target"]),
    AssetKey(["core", "owes_subregion"]),
    AssetKey(["marts", "active_pes_by_type"])]


@asset(key=["marts", "quality_finding"], group_name="marts", kinds={"duckdb"},
       deps=CHECKED_ASSETS,
       description="Every data-quality check of the refresh: passed or not, why, what to do.")
def quality_finding(warehouse: DuckDBResource) -> MaterializeResult:
    labels = pd.DataFrame([{"asset": f"staging/{s.table}", "subject_pl": s.label_pl}
                           for s in STAGING_SPECS] + [
        {"asset": "core/pes_entity", "subject_pl": "Podmioty (po połączeniu źródeł)"},
        {"asset": "core/entity_link", "subject_pl": "Powiązania wierszy z podmiotami"},
        {"asset": "core/owes_headline_mismatch", "subject_pl": "Sprawozdania OWES"},
        {"asset": "core/owes_report", "subject_pl": "Sprawozdania OWES (po wersjach)"},
        {"asset": "core/participant", "subject_pl": "Uczestnicy (osoby)"},
        {"asset": "core/teryt_unit", "subject_pl": "Jednostki TERYT"},
        {"asset": "core/target", "subject_pl": "Cele wskaźników"},
        {"asset": "core/owes_subregion", "subject_pl": "Podregiony OWES"},
        {"asset": "marts/active_pes_by_type", "subject_pl": "Wskaźnik: aktywne PES"}])
    with warehouse.get_connection() as con:
        con.register("check_subject", labels)
        findings = con.execute("""
            select coalesce(s.subject_pl, c.asset) as subject_pl, c.asset, c.check_name,
                   c.check_label_pl,
                   c.severity, c.passed, c.summary_pl, c.advice_pl, c.details, c.checked_at
            from audit.check_result c left join check_subject s using (asset)
            order by c.passed, c.severity, c.asset, c.check_name
        """).df()
        con.unregister("check_subject")
        count = write_table(con, "marts.quality_finding", findings)
        failed = findings[~findings["passed"]]
        return MaterializeResult(metadata={
            "checks": count, "warnings": int((failed["severity"] == "warning").sum()),
            "preview": preview(con, "marts.quality_finding")})


@asset(key=["marts", "quarantine_summary"], group_name="marts", kinds={"duckdb"},
       deps=[AssetKey(["marts", "source_status"])],
       description="Quarantined rows grouped by source, file and reason, with example lines.")
def quarantine_summary(warehouse: DuckDBResource) -> MaterializeResult:
    with warehouse.get_connection() as con:
        summary = con.execute("""
            select q.source, any_value(s.source_pl) as source_pl, q.file, q.sheet, q.field,
                   q.reason_code, q.message, coalesce(q.scope, 'row') as scope, count(*) as rows,
                   string_agg(cast(q.line as varchar), ', ' order by q.line)
                       filter (where q.line is not null) as lines
            from audit.quarantine q
            left join marts.source_status s on s.source = q.source and s.file_name = q.file
            group by all
            order by q.source, q.file, rows desc
        """).df()
        summary["advice_pl"] = summary["reason_code"].map(REASON_ADVICE_PL).fillna(
            GENERAL_ADVICE_PL)
        summary["lines"] = summary["lines"].map(
            lambda text: text if not text or text.count(",") < 20 else
            ", ".join(text.split(", ")[:20]) + " …")
        count = write_table(con, "marts.quarantine_summary", summary)
        return MaterializeResult(metadata={"rows": count})


CONFLICT_PL = {
    "two_krs": "Wspólny NIP lub REGON przy dwóch numerach KRS: dwa podmioty, jeden z "
               "identyfikatorów jest błędny",
    "identifiers_disagree": "Zgodny jeden identyfikator, sprzeczne inne: nie połączono",
    "ambiguous_name": "Wiersz bez gminy: ta sama nazwa u kilku podmiotów w powiecie",
    "nip_differs_within": "Wiersze jednego podmiotu z różnymi NIP (literówka?)",
    "regon_differs_within": "Wiersze jednego podmiotu z różnymi REGON (literówka?)",
    "kinds_differ": "Decyzja łączy podmiot prawny z jednostką (CIS, KIS, ZAZ, WTZ): nie połączono",
    "kept_apart_by_decision": "Decyzja „ten_sam” sprzeczna z decyzją „różne” lub „wydziel”",
}
DECISION_STATUS_PL = {"used": "zastosowana", "stale": "nieaktualna – wiersze zniknęły",
                      "conflict": "niezastosowana – sprzeczna", "invalid": "błędna – pominięta"}


@asset(key=["marts", "entity_review"], group_name="marts", kinds={"duckdb"},
       deps=[AssetKey(["core", "entity_conflict"]), AssetKey(["core", "entity_decision"])],
       description="What the analyst should look at in entity resolution: conflicts between "
                   "identifiers and the status of each decision (docs/entity_model.md).")
def entity_review(warehouse: DuckDBResource) -> MaterializeResult:
    with warehouse.get_connection() as con:
        conflicts = con.execute("""
            select 'conflict' as topic, conflict as code, key as subject,
                   record_id || ' ↔ ' || other_record_id as source_rows,
                   entity_id || case when other_entity_id <> entity_id
                                     then ' ↔ ' || other_entity_id else '' end as entity_ids
            from core.entity_conflict order by conflict, key
        """).df()
        decisions = con.execute("""
            select 'decision' as topic, status as code, decision as subject,
                   concat_ws(' ', case kind when 'same' then 'ten_sam' when 'different'
                                            then 'różne' when 'split' then 'wydziel'
                                            when 'fewer_rows' then 'mniej_wierszy' else kind end,
                             reference, other_reference, place, terc) as source_rows,
                   detail as entity_ids
            from core.entity_decision order by file, line
        """).df()
        review = pd.concat([conflicts, decisions], ignore_index=True)
        review["label_pl"] = review["code"].map({**CONFLICT_PL, **DECISION_STATUS_PL})
        count = write_table(con, "marts.entity_review", review)
        return MaterializeResult(metadata={"rows": count, "preview": preview(
            con, "marts.entity_review")})


def active_pes_month_on_month(con: duckdb.DuckDBPyConnection, settings: MonitorSettings) -> Finding:
    """A real drop is possible, a halved register is a broken export: flag large jumps."""
    changes = con.execute("""
        with totals as (
            select month, sum(active_pes) as active from marts.active_pes_by_type group by month
        )
        select month, active, lag(active) over (order by month) as previous
        from totals order by month
    """).df().dropna()
    changes = changes[changes["previous"] > 0]
    changes = changes.assign(change=(changes["active"] - changes["previous"]) / changes["previous"])
    flagged = changes[changes["change"].abs() > settings.max_monthly_change]
    limit = f"{settings.max_monthly_change:.0%}"
    examples = [{"month": str(r.month.date()), "previous": int(r.previous), "active": int(r.active),
                 "change": round(float(r.change), 4)} for r in flagged.head(10).itertuples()]
    return Finding(
        passed=flagged.empty,
        summary_pl=f"Miesięcy ze zmianą liczby aktywnych PES o więcej niż {limit}: {len(flagged)}.",
        advice_pl="" if flagged.empty else "Sprawdź, czy plik katalogu lub odpisy KRS z tego "
        "miesiąca są kompletne; duży spadek bywa prawdziwy, ale częściej to niepełny eksport.",
        details={"limit": settings.max_monthly_change, "months": examples},
        warning_only=True,
    )


@asset(key=["marts", "header_review"], group_name="marts", kinds={"duckdb"},
       deps=[AssetKey(["marts", "source_status"])],
       description="Headers of the files read that no mapping knows, and the columns of sheets "
                   "with personal data dropped before landing: where, and what to do.")
def header_review(warehouse: DuckDBResource) -> MaterializeResult:
    with warehouse.get_connection() as con:
        review = con.execute("""
            select h.source, any_value(s.source_pl) as source_pl, h.file, h.sheet, h.header,
                   'nieznana' as status_pl, bool_or(h.links_or_places) as warning,
                   any_value(h.message_pl) as message_pl
            from audit.source_header h
            left join marts.source_status s on s.source = h.source and s.file_name = h.file
            where h.status = 'unknown'
            group by all
            union all
            select d.source, 'Dziennik działań projektu', d.original_name, d.sheet, d.header,
                   'usunięta przed zapisem (dane osobowe)', false,
                   'Plik ' || d.original_name || ', arkusz „' || d.sheet || '”: kolumna „'
                   || d.header || '” nie jest na liście kolumn czytanych z arkusza z danymi '
                   || 'osobowymi, więc usunięto ją przed zapisem kopii (jej wartości nie '
                   || 'trafiły nigdzie). Nic nie trzeba robić; jeśli jest potrzebna, dopisz jej '
                   || 'nagłówek do mapowania participation.yml.'
            from landing.dropped_column d
            join landing.current_input c using (source, original_sha256)
            order by warning desc, source, file, header
        """).df()
        count = write_table(con, "marts.header_review", review)
        return MaterializeResult(metadata={"rows": count, "warnings": int(review["warning"].sum())})


@asset(key=["marts", "quarantine_effect"], group_name="marts", kinds={"duckdb"},
       deps=[AssetKey(["marts", "source_status"]), AssetKey(["core", "entity_link"])],
       description="What each kind of problem cost the entity counts: register rows "
                   "quarantined whole (out of the counts unless another row holds their "
                   "entity) and values set aside on rows that stayed (entities kept).")
def quarantine_effect(warehouse: DuckDBResource) -> MaterializeResult:
    registers = [s.table for s in register_specs]
    with warehouse.get_connection() as con:
        effect = con.execute("""
            with q as (
                select source, file, sheet, line, reason_code,
                       coalesce(scope, 'row') as scope
                from audit.quarantine where list_contains(?, source)
            ),
            kept as (
                select q.source, q.reason_code,
                       count(distinct l.entity_id) filter (where l.counted) as entities_kept
                from q join core.entity_link l
                    on l.source = q.source and l.source_file = q.file and l.source_line = q.line
                where q.scope = 'field'
                group by all
            )
            select q.source, any_value(s.source_pl) as source_pl, q.reason_code,
                   count(distinct (q.file, q.sheet, q.line)) filter (where q.scope = 'row')
                       as rows_removed,
                   count(*) filter (where q.scope = 'field') as values_set_aside,
                   coalesce(any_value(k.entities_kept), 0) as entities_kept
            from q
            left join (select distinct source, source_pl from marts.source_status) s
                using (source)
            left join kept k using (source, reason_code)
            group by q.source, q.reason_code
            order by q.source, rows_removed desc, values_set_aside desc
        """, [registers]).df()
        effect["reason_pl"] = effect["reason_code"].map(REASON_LABEL_PL).fillna(
            effect["reason_code"])
        count = write_table(con, "marts.quarantine_effect", effect)
        return MaterializeResult(metadata={"rows": count, "preview": preview(
            con, "marts.quarantine_effect")})


indicator_assets = [build_indicator_asset(name, entry) for name, entry in CATALOGUE.items()]
mart_assets = [*indicator_assets, indicator_catalogue, source_status, quality_finding,
               quarantine_summary, entity_review, header_review, quarantine_effect]
mart_checks = [build_checks(AssetKey(["marts", "active_pes_by_type"]), [
    Check("month_on_month_change",
          "Zmiana liczby aktywnych PES z miesiąca na miesiąc w dopuszczalnym zakresie",
          active_pes_month_on_month),
])]
