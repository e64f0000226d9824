"""The registers of CIS, KIS, ZAZ and WTZ: a small real file of each, in its office's format and
with its mess, staged as the refresh stages it. Every row's fate is worked out by hand in the
comment beside it: accepted, or quarantined on which field with which reason.
"""

from __future__ import annotations

from datetime import date, datetime

import pandas as pd
import pytest
from openpyxl import Workbook

from tests.register_staging import Staged, stage

CIS_HEADER = ("Lp.;Nazwa pełna jednostki;REGON;Adres siedziby;Powiat;Gmina;"
              "Stan aktywności prawnej i ekonomicznej;Data rozpoczęcia działalności;"
              "Data zakończenia działalności;Nazwa instytucji tworzącej;"
              "Rodzaj instytucji tworzącej;NIP instytucji tworzącej;REGON instytucji tworzącej;"
              "Numer KRS instytucji tworzącej")
CIS_ROWS = [
    # lines 2-3: accepted; the address breaks a line inside quotes; the founder's NIP with
    # `PL`, its KRS without zeros; REGON 51000001100019 is unit 0001 of the founder 510000011:
    # 5*2+1*4+1*3+1*6+1*8 = 31, 31 mod 11 = 9, the check digit
    '1;CIS „Razem” w Dywitach;51000001100019;"ul. Olsztyńska 1\r\n11-001 Dywity";olsztyński;'
    "Dywity;Aktywna ;01.03.2019;;Stowarzyszenie Razem w Dywitach;stowarzyszenie;PL7391000018;"
    "510000011;100001",
    # lines 4-5: the same row again: accepted (telling it is one entity is core's job)
    '2;CIS „Razem” w Dywitach;51000001100019;"ul. Olsztyńska 1\r\n11-001 Dywity";olsztyński;'
    "Dywity;Aktywna ;01.03.2019;;Stowarzyszenie Razem w Dywitach;stowarzyszenie;PL7391000018;"
    "510000011;100001",
    # line 6: Bartoszyce is an urban and a rural gmina and no town is given: ambiguous
    "3;CIS w Bartoszycach;;ul. Bema 1;bartoszycki;Bartoszyce;aktywna;15.03.2019;;"
    "Gmina Miejska Bartoszyce;gmina;7391000076;510000070;",
    # line 7: the founder's NIP ends in 9, its check digit is 8: set aside, the row stays
    "4;CIS Zły NIP;;Dywity 2;olsztyński;Dywity;aktywna;01.01.2020;;Fundacja A;fundacja;"
    "739-100-00-19;;",
    # line 8: a status no lookup knows
    "5;CIS Nieznany Stan;;Purda 1;olsztyński;Purda;w budowie;01.01.2020;;Gmina Purda;gmina;;;",
    # line 9: the centre's REGON ends in 8, its check digit is 9: set aside, the row stays
    "6;CIS Zły REGON;51000001100018;Purda 2;olsztyński;Purda;aktywna;01.01.2020;;Gmina Purda;"
    "gmina;;;",
    # line 10: a powiat of another region; its gmina is not faulted a second time
    "7;CIS Spoza Regionu;;Warszawa 1;warszawski;Warszawa;aktywna;01.01.2020;;Miasto Warszawa;"
    "gmina;;;",
    # line 11: closed before it started
    "8;CIS Daty;;Ełk 1;ełcki;m. Ełk;zlikwidowana;01.06.2020;31.12.2019;Gmina Miasto Ełk;gmina;;;",
    # line 12: a typo in the gmina: unknown, the two Bartoszyce suggested
    "9;CIS Literówka;;Bartoszyce 3;bartoszycki;Bartoszye;aktywna;01.01.2020;;Gmina Bartoszyce;"
    "gmina;;;",
    # line 13: no 31st of September
    "10;CIS Zła Data;;Purda 3;olsztyński;Purda;aktywna;31.09.2019;;Gmina Purda;gmina;;;",
]


@pytest.fixture(scope="module")
def cis(tmp_path_factory: pytest.TempPathFactory) -> Staged:
    path = tmp_path_factory.mktemp("cis") / "rejestr_cis_2026-10-31.csv"
    path.write_bytes(("\ufeff" + "\r\n".join([CIS_HEADER, *CIS_ROWS]) + "\r\n").encode("utf-8"))
    return stage("cis_register", path)


def test_cis_register_rows_accepted_and_quarantined(cis: Staged) -> None:
    assert cis.accepted_lines == [2, 4, 7, 9]
    assert cis.set_aside == {(7, "founder_nip", "invalid_nip"), (9, "regon", "invalid_regon")}
    assert cis.quarantined == {
        (6, "gmina_written", "ambiguous_teryt_unit"),
        (8, "status_pl", "unknown_value"),
        (10, "powiat_written", "unknown_teryt_unit"),
        (11, "ended_on", "end_before_start"),
        (12, "gmina_written", "unknown_teryt_unit"),
        (13, "started_on_text", "invalid_date"),
    }
    reconciliation = cis.screened.reconciliation(cis.raw.assign(_file=cis.typed["_file"]))
    assert reconciliation[["rows_read", "rows_accepted", "rows_quarantined",
                           "values_set_aside"]].values.tolist() == [[10, 4, 6, 2]]


def test_cis_register_values_are_normalised(cis: Staged) -> None:
    assert cis.accepted("founder_krs")[:2] == ["0000100001"] * 2
    # line 7's founder NIP and line 9's REGON set aside: empty, the rest of the row kept
    assert cis.accepted("founder_nip")[:2] == ["7391000018"] * 2
    assert pd.isna(cis.accepted("founder_nip")[2]) and pd.isna(cis.accepted("regon")[3])
    assert cis.accepted("status") == ["active"] * 4
    assert cis.accepted("founder_kind") == ["ngo"] * 3 + ["local_government"]
    assert cis.accepted("gmina_code") == ["2814042"] * 3 + ["2814102"]
    assert cis.accepted("started_on") == [date(2019, 3, 1)] * 2 + [date(2020, 1, 1)] * 2
    assert cis.raw.attrs["encoding"] == "utf-8-sig"


def test_cis_quarantine_lists_the_teryt_candidates(cis: Staged) -> None:
    assert cis.message(6, "ambiguous_teryt_unit").endswith(
        "Kandydaci: 2801011 Bartoszyce (gmina miejska, powiat bartoszycki); "
        "2801032 Bartoszyce (gmina wiejska, powiat bartoszycki).")
    assert "Podobne nazwy: 2801011 Bartoszyce" in cis.message(12, "unknown_teryt_unit")


KIS_HEADER = ["Lp.", "Nazwa pełna klubu", "Miejscowość", "Adres", "Gmina",
              "Data utworzenia klubu", "Data rozpoczęcia działalności",
              "Data zakończenia działalności", "Nazwa pełna podmiotu prowadzącego",
              "Numer KRS podmiotu prowadzącego", "NIP podmiotu prowadzącego"]
KIS_ROWS = [
    # row 2: accepted; no gmina, the town is the urban gmina; 43132 is Excel's 2018-02-01; the
    # operator's KRS typed as a number lost its zeros
    [1, "KIS w Bartoszycach", "Bartoszyce", "ul. Bema 1", None, datetime(2018, 1, 10), 43132,
     None, "Gmina Miejska Bartoszyce", None, "7391000076"],
    # row 3: two rural gminas are named Świętajno and the form has no powiat: ambiguous
    [2, "KIS Świętajno", "Świętajno", "Świętajno 1", "Świętajno", "01.02.2020", "01.03.2020",
     None, "Gmina Świętajno", None, None],
    # row 4: accepted; the powiat written with the gmina tells them apart
    [3, "KIS Świętajno Olecko", "Świętajno", "Świętajno 2", "Świętajno, pow. olecki", None,
     "01.03.2020", None, "Stowarzyszenie A", 100001, None],
    # row 5: created after it started
    [4, "KIS Daty", "Dywity", "Dywity 1", "Dywity", "01.05.2020", "01.03.2020", None,
     "Gmina Dywity", None, None],
    # row 6: no start date
    [5, "KIS Bez Daty", "Purda", "Purda 1", "Purda", None, None, None, "Gmina Purda", None,
     None],
    # row 7: a village (not in TERC) and no gmina: the place is unknown
    [6, "KIS we Wsi", "Gutkowo", "Gutkowo 5", None, None, "2020-01-15", None, "Fundacja B", None,
     None],
]


@pytest.fixture(scope="module")
def kis(tmp_path_factory: pytest.TempPathFactory) -> Staged:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Wykaz KIS"
    for row in [KIS_HEADER, *KIS_ROWS]:
        sheet.append(row)
    path = tmp_path_factory.mktemp("kis") / "wykaz_kis_2026-10-31.xlsx"
    workbook.save(path)
    return stage("kis_register", path)


def test_kis_register_rows_accepted_and_quarantined(kis: Staged) -> None:
    assert kis.accepted_lines == [2, 4]
    assert kis.quarantined == {
        (3, "gmina_written", "ambiguous_teryt_unit"),
        (5, "started_on", "end_before_start"),
        (6, "started_on_text", "missing_value"),
        (7, "town", "unknown_teryt_unit"),
    }


def test_kis_register_places_and_dates(kis: Staged) -> None:
    assert kis.accepted("gmina_code") == ["2801011", "2813052"]
    assert kis.accepted("powiat_code") == ["2801", "2813"]  # from the gmina: no powiat column
    assert kis.accepted("started_on") == [date(2018, 2, 1), date(2020, 3, 1)]
    assert kis.accepted("created_on") == [date(2018, 1, 10), None]
    assert kis.accepted("founder_krs")[1] == "0000100001"
    assert "2813052 Świętajno (gmina wiejska, powiat olecki); 2817072 Świętajno" in kis.message(
        3, "ambiguous_teryt_unit")


ZAZ_TOP = ["Lp.", "Nazwa pełna jednostki", "Powiat", "Gmina", "Status ZAZ", None, "Zatrudnienie",
           None, "Nazwa organizatora", "NIP organizatora"]
ZAZ_SUB = [None, None, None, None, "Data przyznania statusu ZAZ", "Data utraty statusu ZAZ",
           "Zatrudnienie w ZAZ", "Pracujący niepełnosprawni", None, None]
ZAZ_ROWS = [
    # row 6: accepted; 23,5 full-time jobs written with a decimal comma
    [1, "ZAZ w Olsztynie", "m. Olsztyn", "Olsztyn", datetime(2019, 5, 1), None, "23,5", 19,
     "Fundacja A", "PL7391000018"],
    # row 7: employment written in words
    [2, "ZAZ Słownie", "ełcki", "m. Ełk", "01.02.2020", None, "dwadzieścia", 10, "Gmina Ełk",
     None],
    # row 8: half a person
    [3, "ZAZ Pół Osoby", "ełcki", "m. Ełk", "01.02.2020", None, 12.5, "12,5", "Gmina Ełk", None],
    # row 9: the organiser's NIP ends in 9, its check digit is 8: set aside, the row stays
    [4, "ZAZ Zły NIP", "olsztyński", "Dywity", datetime(2020, 1, 1), None, 10, 8, "Fundacja B",
     "PL7391000019"],
    # row 10: no date the status was granted
    [5, "ZAZ Bez Statusu", "olsztyński", "Purda", None, None, 10, 8, "Gmina Purda", None],
    # row 11: status lost before it was granted
    [6, "ZAZ Utracony", "olsztyński", "Purda", "2021-06-01", datetime(2020, 1, 1), 14, 10,
     "Gmina Purda", None],
]


@pytest.fixture(scope="module")
def zaz(tmp_path_factory: pytest.TempPathFactory) -> Staged:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "UW SIZAZ 01"
    for row in [["Rejestr zakładów aktywności zawodowej"], ["Stan na 31.10.2026"], [], ZAZ_TOP,
                ZAZ_SUB, *ZAZ_ROWS]:
        sheet.append(row)
    for cells in ("A1:J1", "A2:J2", "E4:F4", "G4:H4", "A4:A5", "B4:B5", "C4:C5", "D4:D5",
                  "I4:I5", "J4:J5"):
        sheet.merge_cells(cells)
    path = tmp_path_factory.mktemp("zaz") / "rejestr_zaz_2026-10-31.xlsx"
    workbook.save(path)
    return stage("zaz_register", path)


def test_zaz_register_rows_accepted_and_quarantined(zaz: Staged) -> None:
    assert zaz.accepted_lines == [6, 9]
    assert zaz.set_aside == {(9, "founder_nip", "invalid_nip")}
    assert zaz.quarantined == {
        (7, "employment_fte_text", "invalid_number"),
        (8, "disabled_workers_text", "invalid_number"),
        (10, "granted_on_text", "missing_value"),
        (11, "lost_on", "end_before_start"),
    }
    assert zaz.accepted("employment_fte") == [23.5, 10.0]
    assert zaz.accepted("disabled_workers") == [19.0, 8.0]
    assert zaz.accepted("gmina_code") == ["2862011", "2814042"]


WTZ_LINES = [
    "Lp.,Nazwa pełna jednostki,REGON,Adres siedziby,Powiat,Gmina,Data utworzenia,"
    "Data zakończenia działalności,Liczba uczestników,Nazwa jednostki prowadzącej,"
    "Rodzaj jednostki prowadzącej,NIP jednostki prowadzącej,REGON jednostki prowadzącej,"
    "Numer KRS jednostki prowadzącej",
    # line 2: accepted; the address has a comma, in quotes
    '1,Warsztat Terapii Zajęciowej w Purdzie,510000057,"Purda 1, 11-030 Purda",olsztyński,'
    "Purda,2016-01-15,,30,Gmina Purda,JST,7391000076,510000070,",
    # line 3: a name with a comma typed without quotes: the row is shifted, rejected once
    "2,Warsztat Terapii Zajęciowej, Szczytno,510000057,Szczytno 1,szczycieński,m. Szczytno,"
    "2016-01-15,,30,Gmina Miejska Szczytno,JST,,,",
    # line 4: half a participant
    '3,WTZ Pół,510000057,Purda 2,olsztyński,Purda,2016-01-15,,"30,5",Gmina Purda,JST,,,',
    # line 5: the running body's REGON ends in 1, its check digit is 0: set aside, row kept
    "4,WTZ Zły REGON,510000057,Purda 3,olsztyński,Purda,2016-01-15,,30,Gmina Purda,JST,,"
    "510000071,",
    # line 6: a kind of running body no lookup knows
    "5,WTZ Spółka,510000057,Purda 4,olsztyński,Purda,2016-01-15,,30,Firma Sp. z o.o.,"
    "spółka z o.o.,,,",
    # line 7: accepted; a dd.mm.yyyy date among ISO ones, quotes inside a quoted name
    '6,Warsztat Terapii Zajęciowej w Giżycku,510000057,"ul. Warszawska 2, 11-500 Giżycko",'
    'giżycki,m. Giżycko,15.01.2016,,25,"Stowarzyszenie ""Nadzieja"", Giżycko",stowarzyszenie,'
    "845-100-00-64,510000100,",
]


@pytest.fixture(scope="module")
def wtz(tmp_path_factory: pytest.TempPathFactory) -> Staged:
    path = tmp_path_factory.mktemp("wtz") / "wykaz_wtz_2026-10-31.csv"
    path.write_bytes(("\n".join(WTZ_LINES) + "\n").encode("cp1250"))
    return stage("wtz_register", path)


def test_wtz_register_rows_accepted_and_quarantined(wtz: Staged) -> None:
    assert wtz.accepted_lines == [2, 5, 7]
    assert wtz.set_aside == {(5, "founder_regon", "invalid_regon")}
    assert wtz.quarantined == {
        (3, "_cells_beyond_header", "cells_beyond_header"),
        (4, "participants_text", "invalid_number"),
        (6, "founder_kind_pl", "unknown_value"),
    }
    assert wtz.accepted("founder_name")[2] == 'Stowarzyszenie "Nadzieja", Giżycko'
    assert wtz.accepted("founder_kind") == ["local_government"] * 2 + ["ngo"]
    assert wtz.accepted("gmina_code") == ["2814102"] * 2 + ["2806011"]
    assert wtz.accepted("started_on") == [date(2016, 1, 15)] * 3
    assert (wtz.raw.attrs["encoding"], wtz.raw.attrs["separator"]) == ("cp1250", "','")
