"""The unit registers in a full refresh of the hand-made inbox (tests/fixtures/inbox): each is
its own staging table, reconciled per file, with what the reader detected in the metadata.

The inbox holds, clean: CIS 2 rows (Ełk, Bartoszyce urban), KIS 2 (Dywity; Olsztyn from the
town alone), ZAZ 1 (Olsztyn, a two-row header), WTZ 1 (Giżycko).
"""

from __future__ import annotations

import pytest

from tests.conftest import Refresh


@pytest.mark.parametrize(("source", "file_name", "counts"), [
    ("cis_register", "rejestr_cis_2020-12-31.csv", (2, 2, 0)),
    ("kis_register", "wykaz_kis_2020-12-31.xlsx", (2, 2, 0)),
    ("zaz_register", "rejestr_zaz_2020-12-31.xlsx", (1, 1, 0)),
    ("wtz_register", "wykaz_wtz_2020-12-31.csv", (1, 1, 0)),
])
def test_unit_registers_reconcile_per_file(refreshed: Refresh, source: str, file_name: str,
                                           counts: tuple[int, int, int]) -> None:
    files = refreshed.query("select file_name, rows_read, rows_accepted, rows_quarantined "
                            "from audit.source_file where source = ?", [source])
    assert files.values.tolist() == [[file_name, *counts]]
    assert refreshed.query(f"select count(*) as n from staging.{source}")["n"].iloc[0] == counts[1]


def read_notes(refreshed: Refresh, table: str) -> dict:
    events = [e for e in refreshed.result.get_asset_materialization_events()
              if e.materialization.asset_key.path == ["staging", table]]
    return events[-1].materialization.metadata["read_notes"].value


def test_the_detected_format_is_in_the_materialisation_metadata(refreshed: Refresh) -> None:
    cis = read_notes(refreshed, "cis_register")["rejestr_cis_2020-12-31.csv"]
    assert (cis["encoding"], cis["separator"], cis["header_row"]) == ("utf-8-sig", "';'", 1)
    wtz = read_notes(refreshed, "wtz_register")["wykaz_wtz_2020-12-31.csv"]
    assert (wtz["encoding"], wtz["separator"]) == ("cp1250", "','")
    zaz = read_notes(refreshed, "zaz_register")["rejestr_zaz_2020-12-31.xlsx"]
    assert (zaz["sheet"], zaz["header_row"]) == ("UW SIZAZ 01", "4-5")
    catalogue = read_notes(refreshed, "pes_catalogue")["katalog_pes_2020-12-31.csv"]
    assert (catalogue["encoding"], catalogue["separator"]) == ("cp1250", "';'")


def test_unit_registers_are_placed_and_typed(refreshed: Refresh) -> None:
    cis = refreshed.query("select gmina_code, status, founder_krs from staging.cis_register "
                          "order by source_line")
    assert cis.values.tolist() == [["2805011", "closed", "0000100001"],
                                   ["2801011", "active", None]]
    kis = refreshed.query("select powiat_code, gmina_code, cast(started_on as varchar) as s "
                          "from staging.kis_register order by source_line")
    # 43132 is Excel's serial of 2018-02-01
    assert kis.values.tolist() == [["2814", "2814042", "2018-02-01"],
                                   ["2862", "2862011", "2019-06-01"]]
    zaz = refreshed.query("select employment_fte, disabled_workers from staging.zaz_register")
    assert zaz.values.tolist() == [[12.5, 9.0]]


def test_the_dated_teryt_reference_is_in_the_warehouse(refreshed: Refresh) -> None:
    names = refreshed.query("select name, cast(valid_from as varchar) as f, "
                            "cast(valid_to as varchar) as t from core.teryt_name "
                            "where terc = '2812052' order by name")
    assert names.values.tolist() == [["Bratian", "2026-01-01", None],
                                     ["Nowe Miasto Lubawskie", None, "2025-12-31"]]
    unit = refreshed.query("select name from core.teryt_unit where terc = '2812052'")
    assert unit["name"].tolist() == ["Bratian"]
