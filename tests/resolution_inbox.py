"""The hand-made inbox of the entity-resolution quality test: 63 register rows, traps included.

The CSV files and KRS extracts are committed under tests/fixtures/resolution/inbox; the three
workbooks are written here from the rows below, so every cell the truth relies on is visible.
tests/fixtures/resolution/truth.csv gives each row its true cluster; the traps and the hand
count of entities are listed in tests/test_entity_resolution.py.

Identifiers are made up with valid check digits (NIP weights 6 5 7 2 3 4 5 6 7; REGON-9
weights 8 9 2 3 4 5 6 7; REGON-14 weights 2 4 8 5 0 9 7 3 6 1 2 4 8): a unit's 14-digit REGON
is its founder's nine digits, four of its own and a check digit.
"""

from __future__ import annotations

import shutil
from datetime import datetime
from pathlib import Path

from tests.fixture_inbox import sheets_workbook

FIXTURES = Path(__file__).parent / "fixtures" / "resolution"
COMMITTED = FIXTURES / "inbox"
TRUTH = FIXTURES / "truth.csv"

SOCIAL_ENTERPRISE_HEADER = (
    "Lp.", "Nazwa jednostki", "Numer decyzji o przyznaniu statusu przedsiębiorstwa społecznego",
    "Data przyznania statusu", "Data utraty statusu", "Numer KRS", "NIP", "REGON", "Powiat",
    "Charakter prowadzonej działalności przedsiębiorstw społecznych")
#: Worksheet rows 5-15 (title on rows 1-2, row 3 empty, header on row 4).
SOCIAL_ENTERPRISES = [
    # Lp., name, decision, granted, lost, KRS, NIP, REGON, powiat, activity
    (1, "Fundacja Dobrych Serc", "PS.28.10.2019", datetime(2019, 9, 1), None, None, None,
     "510200030", "piski", "usługi opiekuńcze"),  # the Pisz one: no gmina, one in its powiat
    (2, "Spoldzielnia Socjalna Pod Debem", "PS.28.3.2018", "01.06.2018", None, "200003", None,
     None, "olsztyński", "gastronomia"),  # KRS only, a fourth spelling
    (3, "Stowarzyszenie Przyjaciół Szkoły", "PS.28.4.2019", datetime(2019, 3, 1), None, None,
     "7392000606", None, "olsztyński", "edukacja"),  # the second of the two in Purda
    (4, "Stowarzyszenie Sportowe Orlik", "PS.28.5.2019", datetime(2019, 4, 1), None,
     "0000200008", "7392000807", "510200081", "olsztyński", "sport"),
    (5, "Fundacja Mazurskie Inicjatywy", "PS.28.6.2019", "15.05.2019", None, 200009,
     "7022004902", None, "mrągowski", "turystyka"),  # NIP digits 2 and 7 swapped, still valid
    (6, "Stowarzyszenie Ekologiczne Łyna", "PS.28.7.2019", datetime(2019, 6, 1), None,
     "0000200012", None, None, "olsztyński", "usługi komunalne"),  # KRS only
    (7, "Spółdzielnia Socjalna Razem Lepiej", "PS.28.8.2019", datetime(2019, 8, 1), None, None,
     "578-200-13-05", None, "Elbląg", "usługi porządkowe"),
    (8, "Stowarzyszenie „Tęcza”", "PS.28.9.2019", datetime(2019, 9, 2), None, None,
     "PL5782001506", None, "m. Elbląg", "rękodzieło"),  # name shortened
    (9, "SPÓŁDZIELNIA SOCJALNA WARMIANKA", "PS.28.11.2019", datetime(2019, 10, 1), None, None,
     "739 200 22 03", "510200224", "olsztyński", "piekarnia"),
    (10, "Fundacja Aktywni Razem", "PS.28.12.2019", datetime(2019, 11, 4), None, None,
     "7392002309", "510200230", "m. Olsztyn", "reintegracja zawodowa"),
    (11, "Spółdzielnia Socjalna „Kuchnia Mazurska”", "PS.28.13.2020", datetime(2020, 2, 3),
     None, None, "8472003116", "510200313", "olecki", "catering"),  # in no other source
]

KIS_HEADER = (
    "Lp.", "Nazwa pełna klubu", "Miejscowość", "Adres", "Gmina", "Data utworzenia klubu",
    "Data rozpoczęcia działalności", "Data zakończenia działalności",
    "Nazwa pełna podmiotu prowadzącego", "Dane kontaktowe podmiotu prowadzącego",
    "Numer KRS podmiotu prowadzącego", "NIP podmiotu prowadzącego")
#: Worksheet rows 2-4 (header on row 1). A club has no identifier of its own.
KIS_CLUBS = [
    (1, "Klub Integracji Społecznej przy Stowarzyszeniu „Przystań”", "Barczewo",
     "ul. Mickiewicza 5", "Barczewo", datetime(2016, 1, 10), datetime(2016, 2, 1), None,
     "Stowarzyszenie „Przystań”", "tel. 89 000 00 01", 200001, "739-200-01-09"),
    (2, "Klub Integracji Społecznej „Szansa”", "Nidzica", "ul. Rynek 1", "Nidzica", None,
     "01.03.2017", None, "Gmina Nidzica", "tel. 89 000 00 02", None, "5712003109"),
    (3, "Klub Integracji Społecznej „Szansa”", "Olecko", "ul. Kolejowa 3", None,
     datetime(2019, 1, 15), 43497, None, "Fundacja „Nadzieja”", None, "0000200014",
     "847-200-14-07"),  # serial 43497 = 2019-02-01; gmina from the town
]

ZAZ_TITLE = [("Rejestr zakładów aktywności zawodowej – województwo warmińsko-mazurskie",),
             ("Stan na 31.12.2020",), ()]
ZAZ_HEADER = [
    ("Lp.", "Nazwa pełna jednostki", "REGON", "Adres siedziby", "Powiat", "Gmina", "Status ZAZ",
     None, "Zatrudnienie", None, "Nazwa organizatora", "NIP organizatora",
     "Numer KRS organizatora"),
    (None, None, None, None, None, None, "Data przyznania statusu ZAZ", "Data utraty statusu ZAZ",
     "Zatrudnienie w ZAZ", "Pracujący niepełnosprawni", None, None, None),
]
#: Worksheet rows 6-7 (title rows 1-2, two-row header on rows 4-5).
ZAZ_ESTABLISHMENTS = [
    (1, "Zakład Aktywności Zawodowej w Morągu", "510200402", "ul. Mickiewicza 10, 14-300 Morąg",
     "ostródzki", "Morąg", datetime(2017, 3, 1), None, "20,5", 15, "Gmina Morąg", "7412003307",
     None),
    (2, "Zakład Aktywności Zawodowej „Tęcza”", "51020015800020",
     "ul. Królewiecka 20, 82-300 Elbląg", "m. Elbląg", "Elbląg", datetime(2016, 6, 1), None, 30,
     24, "Stowarzyszenie na Rzecz Osób Niepełnosprawnych „Tęcza”", "PL5782001506", 200015),
]
ZAZ_MERGED = ["A1:M1", "A2:M2", "G4:H4", "I4:J4",
              *(f"{column}4:{column}5" for column in "ABCDEFKLM")]


def write_resolution_inbox(inbox: Path) -> Path:
    """Copy the committed files and write the three workbooks; returns the inbox folder."""
    shutil.copytree(COMMITTED, inbox, dirs_exist_ok=True)
    register = sheets_workbook({"Rejestr PS": [
        ("Rejestr przedsiębiorstw społecznych – województwo warmińsko-mazurskie",),
        ("Stan na 31.12.2020",), (), SOCIAL_ENTERPRISE_HEADER, *SOCIAL_ENTERPRISES]})
    (inbox / "social_enterprises").mkdir(parents=True, exist_ok=True)
    register.save(inbox / "social_enterprises" / "rejestr_ps_2020-12-31.xlsx")

    (inbox / "kis_register").mkdir(parents=True, exist_ok=True)
    sheets_workbook({"Wykaz KIS": [KIS_HEADER, *KIS_CLUBS]}).save(
        inbox / "kis_register" / "wykaz_kis_2020-12-31.xlsx")

    zaz = sheets_workbook({"UW SIZAZ 01": [*ZAZ_TITLE, *ZAZ_HEADER, *ZAZ_ESTABLISHMENTS]})
    for cells in ZAZ_MERGED:
        zaz["UW SIZAZ 01"].merge_cells(cells)
    (inbox / "zaz_register").mkdir(parents=True, exist_ok=True)
    zaz.save(inbox / "zaz_register" / "rejestr_zaz_2020-12-31.xlsx")
    return inbox
