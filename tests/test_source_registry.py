"""One source registry (sources/registry.yml): the lists landing, staging, checks, entity
records and the CLI use are derived from it, and a source added through the registry and a
mapping file only is landed, staged, checked, resolved and counted (issue 20, point 5)."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import duckdb
import pandas as pd
import pytest
import yaml

from assets.entities.assets import entity_tables
from assets.landing import INBOX_SOURCES
from assets.staging.registers import register_specs
from assets.warehouse import declared_types
from pipelines.cli import SAMPLE_SOURCES
from quality.identifiers import nip_is_valid, regon_is_valid
from quality.suites import STAGING_SUITES
from sources.mapping import MAPPINGS_DIR, load_mapping
from sources.registry import EXTRA_SOURCES_ENV, entity_record_sql, entity_sources, sources_in
from tests.conftest import fixture_env
from tests.fixture_inbox import write_fixture_inbox

ROOT = Path(__file__).resolve().parents[1]
PES_MONITOR = str(Path(sys.executable).with_name("pes-monitor"))
REGISTERS = ["pes_catalogue", "social_enterprise", "cis_register", "kis_register",
             "zaz_register", "wtz_register", "kgw_register"]


def test_the_shipped_lists_are_the_registrys() -> None:
    # the nine inbox folders and six registers the code listed by hand before the registry,
    # and the register of rural housewives' circles added since
    assert SAMPLE_SOURCES == ("pes_catalogue", "social_enterprises", "cis_register",
                              "kis_register", "zaz_register", "wtz_register", "kgw_register",
                              "krs", "owes", "activity")
    assert [s.name for s in INBOX_SOURCES] == [f for f in SAMPLE_SOURCES if f != "krs"]
    assert [s.table for s in register_specs] == REGISTERS
    assert set(REGISTERS) <= set(STAGING_SUITES)
    deps = {key.path[-1] for spec in entity_tables.specs for key in
            [dep.asset_key for dep in spec.deps] if key.path[0] == "staging"}
    assert deps == {*REGISTERS, "krs_entity"}


#: The columns each staging table's registry record reads (sources/registry.yml).
STAGING_COLUMNS = {
    "pes_catalogue": "entity_type name name_key krs nip regon founder_krs powiat_code "
                     "gmina_code gmina_written town started_on ended_on",
    "social_enterprise": "name name_key krs nip regon powiat_code granted_on lost_on",
    "zaz_register": "name name_key regon founder_krs founder_nip powiat_code gmina_code "
                    "gmina_written granted_on lost_on",
    "wtz_register": "name name_key regon founder_krs founder_nip founder_regon powiat_code "
                    "gmina_code gmina_written started_on ended_on",
    "kgw_register": "name name_key nip regon powiat_code gmina_code gmina_written town "
                    "registered_on struck_off_on",
    "krs_entity": "name name_key krs nip regon is_opp legal_form seat_in_region "
                  "seat_powiat_code seat_gmina_code seat_gmina registered_on struck_off_on",
}


def empty_staging_table(con: duckdb.DuckDBPyConnection, table: str, columns: str) -> None:
    def kind(column: str) -> str:
        return ("date" if column.endswith("_on") else "boolean"
                if column in ("is_opp", "seat_in_region") else "varchar")

    typed = ", ".join(f"null::{kind(c)} as {c}" for c in columns.split())
    con.execute(f"create table staging.{table} as select {typed}, null::varchar as "
                f"source_file, null::bigint as source_line where false")


def test_entity_records_are_united_by_column_name_a_missing_column_null() -> None:
    """Two staging tables give different columns in a different order: each value lands in
    its own entity_record column, a column a source lacks is null, types are the declared."""
    with duckdb.connect() as con:
        con.execute("create schema staging")
        for table, columns in STAGING_COLUMNS.items():
            empty_staging_table(con, table, columns)
        # the reference tables the records' types are looked up in, empty as declared
        con.execute("create schema core")
        for table in ("core.entity_type", "core.krs_legal_form_type"):
            columns = ", ".join(f"{c} {t}" for c, t in declared_types()[table].items())
            con.execute(f"create table {table} ({columns})")
        # a KIS row: no REGON column at all; a CIS row gives founder_regon, KIS does not
        con.execute("""create table staging.kis_register as select
            'k.xlsx' as source_file, 2 as source_line, 'Klub' as name, 'KLUB' as name_key,
            '0000100001' as founder_krs, null as founder_nip, '2814' as powiat_code,
            '2814011' as gmina_code, null as gmina_written, 'Dywity' as town,
            date '2019-02-01' as started_on, null::date as ended_on""")
        con.execute("""create table staging.cis_register as select
            'c.csv' as source_file, 3 as source_line, date '2016-09-01' as started_on,
            date '2020-06-30' as ended_on, 'Centrum' as name, 'CENTRUM' as name_key,
            '510000040' as regon, '0000100001' as founder_krs, null as founder_nip,
            '510000011' as founder_regon, '2805' as powiat_code, '2805011' as gmina_code,
            'Ełk' as gmina_written""")
        records = con.execute(entity_record_sql()).df().set_index("record_id")
        described = con.execute(f"describe {entity_record_sql()}").fetchall()
    types = {column: kind for column, kind, *_ in described}
    assert list(records.index) == ["cis_register:c.csv:3", "kis_register:k.xlsx:2"]
    cis, kis = records.loc["cis_register:c.csv:3"], records.loc["kis_register:k.xlsx:2"]
    assert (cis["kind"], cis["entity_type"], cis["regon"], cis["founder_regon"]) == (
        "unit", "cis", "510000040", "510000011")
    assert pd.isna(kis["regon"]) and pd.isna(kis["founder_regon"]) and pd.isna(kis["krs"])
    assert kis["place_written"] == "Dywity"  # no gmina written: the town
    assert cis["activity_end"] == pd.Timestamp("2020-06-30") and pd.isna(kis["activity_end"])
    assert (cis["source_role"], cis["source_rank"]) == ("register", 2)
    assert types["activity_start"] == "DATE" and types["source_line"] == "BIGINT"
    assert types["status_start"] == "DATE" and types["is_opp"] == "BOOLEAN"


def test_every_type_a_source_may_carry_is_a_known_entity_type() -> None:
    known = set(pd.read_csv(ROOT / "data" / "reference" / "pes_legal_types.csv")["entity_type"])
    carried = {t for source in entity_sources() for t in source.entity.types}
    assert carried == known  # the 16 types of the Act, each from some source


def test_a_registers_staging_types_follow_from_its_mapping() -> None:
    """What a mapping implies equals what tables.yml declares for every shipped register, so
    an added register is written with the right types without a declaration of its own."""
    declared = yaml.safe_load((ROOT / "assets" / "sql" / "tables.yml").read_text("utf-8"))
    for table in REGISTERS:
        assert load_mapping(table).register_staging_types() == declared[f"staging.{table}"]


def test_a_registry_entry_of_an_unknown_role_is_refused_naming_the_source(tmp_path) -> None:
    path = tmp_path / "extra.yml"
    path.write_text(EXTRA_REGISTRY.replace("role: register", "role: owner"), encoding="utf-8")
    with pytest.raises(ValueError, match=r"extra\.yml: source 'ordinary_association': role"):
        sources_in(path)


# A throw-away source: the starosta's list of ordinary associations (stowarzyszenia zwykłe have
# no KRS number, only NIP and REGON), written here as an office would add it.
EXTRA_REGISTRY = """
sources:
  ordinary_association:
    inbox:
      folder: ordinary_associations
      patterns: ["*.csv"]
      newest_only: true
      name_pl: ewidencja stowarzyszeń zwykłych
      description: The starosta's list of ordinary associations (CSV).
    register:
      label_pl: Ewidencja stowarzyszeń zwykłych
      description: Ordinary associations, with NIP and REGON and no KRS number.
      required: [started_on_text]
      ordered: [[started_on, ended_on]]
      suite: legal_register
    entity:
      kind: legal
      role: register
      types: [association]
      record:
        columns: [name, name_key, nip, regon, powiat_code, gmina_code]
        place_written: gmina_written
        activity_start: started_on
        activity_end: ended_on
"""
EXTRA_MAPPING = """
expected_rows: [1, 500]
columns:
  name: ["Nazwa stowarzyszenia"]
  nip: ["NIP"]
  regon: ["REGON"]
  powiat_written: ["Powiat"]
  gmina_written: ["Gmina"]
  started_on: ["Data wpisu do ewidencji"]
  ended_on: ["Data wykreślenia z ewidencji"]
optional: [nip, regon, ended_on]
types:
  nip: nip
  regon: regon
  started_on: date
  ended_on: date
"""
# Row 1 is the association of the fixture's catalogue lines 2-4 (NIP 739-100-00-18, KRS
# 100001); row 2 is new: NIP 739100009 + check digit (7*6+3*5+9*7+1*2+9*7 = 185, 185 mod 11 = 9),
# REGON 51000009 + check digit (5*8+1*9+9*7 = 112, 112 mod 11 = 2).
EXTRA_CSV = (
    "Lp.;Nazwa stowarzyszenia;NIP;REGON;Powiat;Gmina;Data wpisu do ewidencji;"
    "Data wykreślenia z ewidencji\n"
    "1;Stowarzyszenie Razem w Dywitach;7391000018;;olsztyński;Dywity;15.02.2015;\n"
    "2;Stowarzyszenie Zwykłe Przyjaciół Barczewa;7391000099;510000092;olsztyński;Barczewo;"
    "12.04.2019;\n")


@pytest.fixture(scope="module")
def with_extra_source(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The fixture inbox refreshed by the CLI with the throw-away source added by a registry
    file and a mapping file (the shipped mappings copied beside it, as an office keeps its
    own); returns the warehouse."""
    root = tmp_path_factory.mktemp("extra_source")
    inbox = write_fixture_inbox(root / "inbox")
    (inbox / "ordinary_associations").mkdir()
    (inbox / "ordinary_associations" / "ewidencja_2020-12-31.csv").write_text(
        EXTRA_CSV, encoding="utf-8")
    mappings = root / "mappings"
    shutil.copytree(MAPPINGS_DIR, mappings)
    (mappings / "ordinary_association.yml").write_text(EXTRA_MAPPING, encoding="utf-8")
    (root / "sources.yml").write_text(EXTRA_REGISTRY, encoding="utf-8")
    env = {**os.environ, **fixture_env(root, inbox), "PES_MAPPINGS": str(mappings),
           EXTRA_SOURCES_ENV: str(root / "sources.yml")}
    env.pop("DAGSTER_HOME", None)
    done = subprocess.run([PES_MONITOR, "refresh"], env=env, capture_output=True, text=True,
                          timeout=900)
    assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-2000:]
    return root / "var" / "warehouse.duckdb"


def query(warehouse: Path, sql: str) -> pd.DataFrame:
    with duckdb.connect(str(warehouse), read_only=True) as con:
        return con.execute(sql).df()


def test_the_hand_computed_identifiers_of_the_new_row_are_valid() -> None:
    assert nip_is_valid(pd.Series(["7391000099", "7391000018"])).all()
    assert regon_is_valid(pd.Series(["510000092"])).all()


def test_an_added_source_is_landed_staged_and_checked(with_extra_source: Path) -> None:
    landed = query(with_extra_source, "select original_name from landing.current_input "
                                      "where source = 'ordinary_associations'")
    assert landed["original_name"].tolist() == ["ewidencja_2020-12-31.csv"]
    staged = query(with_extra_source, "select name, nip, regon, powiat_code, gmina_code, "
                                      "started_on from staging.ordinary_association "
                                      "order by source_line")
    assert staged["nip"].tolist() == ["7391000018", "7391000099"]
    assert staged["powiat_code"].tolist() == ["2814", "2814"]  # olsztyński
    assert staged["gmina_code"].notna().all()
    checks = query(with_extra_source, "select check_name, passed from audit.check_result "
                                      "where asset = 'staging/ordinary_association'")
    assert dict(zip(checks["check_name"], checks["passed"], strict=True))[
        "expectation_suite"]  # the registry's `legal_register` suite ran and passed
    rejected = query(with_extra_source, "select count(*) as n from audit.quarantine "
                                        "where source = 'ordinary_association'")
    assert rejected["n"].item() == 0


def test_an_added_source_is_resolved_and_counted(with_extra_source: Path) -> None:
    links = query(with_extra_source, """
        select r.source_line, l.rule, l.entity_id,
            (select list(distinct o.source order by o.source) from core.entity_link o
             where o.entity_id = l.entity_id) as sources
        from core.entity_link l join core.entity_record r using (record_id)
        where r.source = 'ordinary_association' order by r.source_line""")
    matched, new = links.itertuples()
    # joined the association of the catalogue, KRS and the KGW register (tests/fixture_inbox.py)
    # by its NIP
    assert matched.rule == "nip"
    assert list(matched.sources) == ["kgw_register", "krs_entity", "ordinary_association",
                                     "pes_catalogue"]
    assert list(new.sources) == ["ordinary_association"]
    entity = query(with_extra_source, f"select entity_type, started_on, dates_from from "
                                      f"core.pes_entity where entity_id = '{new.entity_id}'")
    assert entity.iloc[0].tolist() == ["association", pd.Timestamp("2019-04-12"), "rejestr"]
    # tests/test_refresh.py works out 3 associations active at 2020-12-31 in the fixture
    # inbox; the matched association is counted once, the new one adds one: 4
    by_type = query(with_extra_source, "select active_pes from marts.active_pes_by_type "
                                       "where month = date '2020-12-31' and "
                                       "entity_type = 'association'")
    assert by_type["active_pes"].item() == 4
