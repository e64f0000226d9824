"""The register of rural housewives' circles (KGW) from file to figures, on a small inbox of its
own (the shared fixture inbox stays as it is): a catalogue of 3 rows and a KGW extract of 8 rows,
each row's fate worked out by hand beside it. The circles are staged and checked, resolved with
the catalogue on NIP and on name and gmina (they have no KRS), and counted by type.

Identifiers are made up with valid check digits (NIP weights 6 5 7 2 3 4 5 6 7, REGON weights
8 9 2 3 4 5 6 7), except the one NIP mistyped on purpose.
"""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

import pandas as pd
import pytest
from openpyxl import Workbook

from sample_data.kgw_register import HEADER
from tests.conftest import Refresh, refresh_of
from tests.register_staging import Staged, stage

CATALOGUE = "katalog_pes_2020-12-31.csv"
KGW_FILE = "rejestr_kgw_2020-12-31.xlsx"
CATALOGUE_HEADER = ("Lp.;Nazwa podmiotu;Typ PES;Numer KRS;KRS podmiotu prowadzącego;NIP;REGON;"
                    "Powiat;Gmina;Miejscowość;Data rozpoczęcia działalności;"
                    "Data zakończenia działalności")
CATALOGUE_ROWS = [
    # line 2: an association, active since 2015
    "1;Stowarzyszenie Razem dla Dywit;stowarzyszenie;;;7393000100;510300010;olsztyński;Dywity;"
    "Dywity;01.03.2015;",
    # line 3: the circle of KGW line 5, by its NIP; the catalogue says it started on 1.02.2019
    "2;Koło Gospodyń Wiejskich w Gadach;koło gospodyń wiejskich;;;7393000206;;olsztyński;Dywity;"
    "Gady;01.02.2019;",
    # line 4: the circle of KGW line 6, no identifiers: the same name key in the same gmina
    "3;Koło Gospodyń Wiejskich w Barczewku;KGW;;;;;olsztyński;Barczewo;Barczewko;01.06.2019;",
]
REGION = "warmińsko-mazurskie"
# Lp., number, name, REGON, NIP, voivodeship, powiat, gmina, town, address, entered, struck off,
# status, area, representatives (worksheet rows 5-12: title rows 1-2, row 3 empty, header row 4)
KGW_ROWS = [
    # line 5: accepted; NIP with dashes; entered 14.01.2019 (a date cell)
    [1, "1204", "Koło Gospodyń Wiejskich w Gadach", "510300026", "739-300-02-06", REGION,
     "olsztyński", "Dywity", "Gady", "Gady 5", datetime(2019, 1, 14), None, "aktywne", "Gady",
     None],
    # line 6: accepted; entered lately in the register's eyes: no REGON or NIP; an Excel serial
    # 43600 = 15.05.2019
    [2, "1205", "KOŁO GOSPODYŃ WIEJSKICH W BARCZEWKU", None, None, REGION, "powiat olsztyński",
     "Barczewo", "Barczewko", None, 43600, None, "wpisane", "Barczewko", None],
    # line 7: accepted; struck off on 15.02.2020, active from 1.07.2019 until then
    [3, "1206", "KGW Sokolica", "510300032", "PL7393000301", REGION, "bartoszycki",
     "Bartoszyce - gmina wiejska", "Sokolica", None, "01.07.2019", "15.02.2020", "wykreślone",
     "Sokolica", None],
    # line 8: accepted; in liquidation, still active; entered 2.03.2020 (ISO text)
    [4, "1207", "Koło Gospodyń Wiejskich w Purdzie", "510300049", "7393000407", REGION,
     "olsztyński", "Purda", "Purda", None, "2020-03-02", None, "w likwidacji", "Purda", None],
    # line 9: line 8 again, exactly: accepted, the same entity
    [4, "1207", "Koło Gospodyń Wiejskich w Purdzie", "510300049", "7393000407", REGION,
     "olsztyński", "Purda", "Purda", None, "2020-03-02", None, "w likwidacji", "Purda", None],
    # line 10: a circle of another voivodeship (a national extract): its powiat is not the
    # region's, the row is quarantined
    [6, "9001", "Koło Gospodyń Wiejskich w Łomiankach", None, None, "mazowieckie",
     "warszawski zachodni", "Łomianki", "Łomianki", None, datetime(2019, 3, 1), None,
     "aktywne", "Łomianki", None],
    # line 11: NIP 7393000501, its check digit is 2: the NIP set aside, the row accepted and
    # identified by its REGON; entered 20.01.2020
    [7, "1208", "Koło Gospodyń Wiejskich w Nikielkowie", "510300055", "7393000501", REGION,
     "olsztyński", "Barczewo", "Nikielkowo", None, datetime(2020, 1, 20), None, "aktywne",
     "Nikielkowo", None],
    # line 12: a status no lookup knows: quarantined
    [8, "1209", "Koło Gospodyń Wiejskich w Tuławkach", None, "7393000608", REGION, "olsztyński",
     "Dywity", "Tuławki", None, datetime(2020, 5, 4), None, "zawieszone", "Tuławki", None],
]


def write_kgw_register(path: Path) -> Path:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Rejestr KGW"
    sheet.append([f"Krajowy Rejestr Kół Gospodyń Wiejskich – województwo {REGION}"])
    sheet.append(["Stan na 31.12.2020"])
    sheet.append([])
    sheet.append(list(HEADER))
    for row in KGW_ROWS:
        sheet.append(row)
    sheet.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(HEADER))
    path.parent.mkdir(parents=True, exist_ok=True)
    workbook.save(path)
    return path


def write_kgw_inbox(inbox: Path) -> Path:
    """The catalogue (CP-1250, `;`, CRLF) and the KGW extract; every other folder absent."""
    (inbox / "pes_catalogue").mkdir(parents=True)
    (inbox / "pes_catalogue" / CATALOGUE).write_bytes(
        ("\r\n".join([CATALOGUE_HEADER, *CATALOGUE_ROWS]) + "\r\n").encode("cp1250"))
    write_kgw_register(inbox / "kgw_register" / KGW_FILE)
    return inbox


@pytest.fixture(scope="module")
def staged(tmp_path_factory: pytest.TempPathFactory) -> Staged:
    return stage("kgw_register", write_kgw_register(tmp_path_factory.mktemp("kgw") / KGW_FILE))


@pytest.fixture(scope="module")
def refreshed_kgw(tmp_path_factory: pytest.TempPathFactory) -> Refresh:
    return refresh_of(tmp_path_factory.mktemp("kgw_refresh"), write_kgw_inbox)


def test_each_row_of_the_extract_is_accepted_or_quarantined_as_worked_out(
        staged: Staged) -> None:
    assert staged.accepted_lines == [5, 6, 7, 8, 9, 11]
    assert {(line, field) for line, field, _ in staged.quarantined} == {
        (10, "powiat_written"), (12, "status_pl")}
    assert staged.set_aside == {(11, "nip", "invalid_nip")}
    assert staged.accepted("status") == ["active", "active", "closed", "in_liquidation",
                                         "in_liquidation", "active"]
    assert staged.accepted("registered_on")[:3] == [
        date(2019, 1, 14), date(2019, 5, 15), date(2019, 7, 1)]
    nips = staged.accepted("nip")
    assert [nips[0], nips[2]] == ["7393000206", "7393000301"] and pd.isna(nips[1])


def test_the_extract_is_staged_and_checked_in_the_refresh(refreshed_kgw: Refresh) -> None:
    files = refreshed_kgw.query(
        "select rows_read, rows_accepted, rows_quarantined, values_set_aside, is_stale "
        "from audit.source_file where source = 'kgw_register'")
    assert files.iloc[0].tolist() == [8, 6, 2, 1, False]
    checks = refreshed_kgw.query(
        "select check_name, severity, passed from audit.check_result "
        "where asset = 'staging/kgw_register'").set_index("check_name")
    assert checks.loc["expectation_suite", "passed"]  # quality/suites.py kgw_register_suite
    assert checks.loc[checks["severity"] == "error", "passed"].all()


def test_circles_join_the_catalogue_on_nip_and_on_name_and_gmina(refreshed_kgw: Refresh) -> None:
    links = refreshed_kgw.query(
        "select record_id, entity_id, rule from core.entity_link").set_index("record_id")
    kgw = f"kgw_register:{KGW_FILE}:"
    catalogue = f"pes_catalogue:{CATALOGUE}:"
    for one, other in ((f"{catalogue}3", f"{kgw}5"), (f"{catalogue}4", f"{kgw}6"),
                       (f"{kgw}8", f"{kgw}9")):
        assert links.loc[one, "entity_id"] == links.loc[other, "entity_id"], (one, other)
    assert links["entity_id"].nunique() == 6  # 1 association + 5 circles
    assert {links.loc[f"{catalogue}3", "rule"], links.loc[f"{kgw}5", "rule"]} & {"nip"}
    assert "name_place" in {links.loc[f"{catalogue}4", "rule"], links.loc[f"{kgw}6", "rule"]}


def test_circles_are_counted_by_type(refreshed_kgw: Refresh) -> None:
    """Entities: the association, and the circles of lines 5 (+ catalogue line 3), 6 (+ line 4),
    7, 8-9 and 11: 5. Active at 31.12.2020: the association and 4 circles (line 7 struck off on
    15.02.2020). At 31.12.2019: 3 circles (lines 5, 6, 7; 8 and 11 entered in 2020). At
    31.01.2019: 1, line 5 entered 14.01.2019 — the register is the circle's source of record,
    though the catalogue says 1.02.2019."""
    entities = refreshed_kgw.query(
        "select entity_type, count(*) as n from core.pes_entity group by 1")
    assert dict(zip(entities["entity_type"], entities["n"], strict=True)) == {
        "association": 1, "rural_housewives_circle": 5}
    by_type = refreshed_kgw.query(
        "select month, entity_type, entity_type_pl, active_pes from marts.active_pes_by_type")
    by_type["month"] = pd.to_datetime(by_type["month"]).dt.date

    def active(month: date) -> dict[str, int]:
        rows = by_type[(by_type["month"] == month) & (by_type["active_pes"] > 0)]
        return dict(zip(rows["entity_type"], rows["active_pes"], strict=True))

    assert active(date(2020, 12, 31)) == {"association": 1, "rural_housewives_circle": 4}
    assert active(date(2019, 12, 31)) == {"association": 1, "rural_housewives_circle": 3}
    assert active(date(2019, 1, 31)) == {"association": 1, "rural_housewives_circle": 1}
    # every type of the Act is a row of the mart, with its Polish name
    last = by_type[by_type["month"] == date(2020, 12, 31)]
    assert len(last) == 16
    assert "koła gospodyń wiejskich" in set(last["entity_type_pl"])
