"""Checks of the core entity tables (assets/entities/ builds them) and the reference tables.

The entity checks that only point the analyst at something to look at (a conflict between
identifiers, a decision whose rows are gone, a seat that moved) are warnings: the figures are
still the best the data allows, and the analyst settles them with a decision or a correction.
"""

import duckdb
import pandas as pd
from dagster import AssetKey

from assets.checks import Check, Finding, build_checks, suite_evaluation, suite_unless_empty
from assets.entities.assets import PES_ENTITY
from assets.krs_core import krs_findings
from assets.reference import no_targets_pl
from assets.settings import MonitorSettings
from quality.suites import entity_link_suite, pes_entity_suite, target_suite, teryt_unit_suite


def identifier_conflicts(con: duckdb.DuckDBPyConnection, settings: MonitorSettings) -> Finding:
    """Conflicts are reported, not hidden: each one with the rows on both sides."""
    conflicts = con.execute("""
        select conflict, rule, key, record_id, other_record_id, entity_id, other_entity_id
        from core.entity_conflict order by conflict, key, record_id
    """).df()
    counts = conflicts["conflict"].value_counts().to_dict()
    return Finding(
        passed=conflicts.empty,
        summary_pl=f"Sprzeczności identyfikatorów do wyjaśnienia: {len(conflicts)} — lista w "
        "części „Łączenie podmiotów”.",
        advice_pl="" if conflicts.empty else "Sprawdź wiersze obu stron w rejestrach i w KRS; "
        "popraw literówkę w pliku źródłowym albo zapisz decyzję (ten_sam / różne / wydziel) "
        "w folderze decyzji — opis w docs/entity_model.md.",
        details={"conflicts": counts, "examples": conflicts.head(10).to_dict("records")},
        warning_only=True,
    )


def decisions_in_use(con: duckdb.DuckDBPyConnection, settings: MonitorSettings) -> Finding:
    """A decision whose rows are gone, or that cannot be read, no longer does anything."""
    decisions = con.execute("""
        select decision, kind, reference, other_reference, place, status, detail
        from core.entity_decision order by decision
    """).df()
    idle = decisions[decisions["status"] != "used"]
    return Finding(
        passed=idle.empty,
        summary_pl=f"Decyzje analityka: {len(decisions)}, zastosowane: "
        f"{len(decisions) - len(idle)}, nieaktualne lub błędne: {len(idle)}.",
        advice_pl="" if idle.empty else "Usuń decyzje nieaktualne (ich wiersze zniknęły ze "
        "źródeł) albo popraw odwołanie; błędne wiersze pliku decyzji nie są stosowane.",
        details={"decisions": len(decisions), "idle": idle.to_dict("records")},
        warning_only=True,
    )


def powiat_agrees_with_krs(con: duckdb.DuckDBPyConnection, settings: MonitorSettings) -> Finding:
    """The catalogue's powiat against the KRS seat: a move, or a typo in the catalogue."""
    differ = con.execute("""
        select entity_id, krs, catalogue_powiat_code, powiat_code as krs_powiat_code
        from core.pes_entity
        where has_krs_extract and catalogue_powiat_code is not null
          and catalogue_powiat_code <> powiat_code
        order by entity_id
    """).df()
    outside = seats_outside_region(con)
    return Finding(
        passed=differ.empty and outside.empty,
        summary_pl=f"Podmiotów z innym powiatem w katalogu niż w KRS: {len(differ)}. "
        f"Z siedzibą w KRS poza województwem (niepoliczonych): {len(outside)}.",
        advice_pl="" if differ.empty and outside.empty else "Sprawdź siedzibę w KRS i popraw "
        "powiat w katalogu PES; do czasu poprawki liczy się powiat siedziby z KRS, a podmiot "
        "z siedzibą w KRS poza województwem nie jest liczony (lista w części „Odpisy KRS”).",
        details={"entities": len(differ), "examples": differ.head(10).to_dict("records"),
                 "outside_region": outside.head(10).to_dict("records")},
        warning_only=True,
    )


def seats_outside_region(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """Entities a register places in the region whose KRS seat is elsewhere (not counted)."""
    return con.execute("""
        select entity_id, krs, krs_seat, catalogue_powiat_code, source_rows
        from core.krs_seat_outside_region order by entity_id
    """).df()


core_checks = [build_checks(AssetKey(["core", "teryt_unit"]), [
    Check("teryt_suite", "Jednostki TERYT województwa: każdy kod raz, znany rodzaj",
          suite_evaluation("core.teryt_unit", teryt_unit_suite)),
]), build_checks(AssetKey(["core", "target"]), [
    Check("target_suite", "Cele wskaźników: okres ważności, źródło, wartość nieujemna",
          suite_unless_empty("core.target", target_suite, no_targets_pl)),
]), build_checks(PES_ENTITY, [
    Check("entity_suite",
          "Spójność podmiotów: unikalne identyfikatory, znane typy, powiaty województwa",
          suite_evaluation("core.pes_entity", pes_entity_suite)),
    Check("powiat_agrees_with_krs", "Powiat w katalogu PES zgodny z powiatem siedziby w KRS",
          powiat_agrees_with_krs),
    Check("identifier_conflicts", "Identyfikatory podmiotów bez sprzeczności",
          identifier_conflicts),
    Check("decisions_in_use", "Decyzje analityka zastosowane (żadna nieaktualna)",
          decisions_in_use),
    Check("krs_findings", "Numery KRS znane w KRS, siedziby w województwie, typy zgodne z "
          "formą prawną", krs_findings),
]), build_checks(AssetKey(["core", "entity_link"]), [
    Check("link_suite", "Powiązania wierszy z podmiotami: każdy wiersz raz, znana reguła",
          suite_evaluation("core.entity_link", entity_link_suite)),
])]
