"""The hand-made inbox the end-to-end tests refresh: small enough to count by hand.

CSV and JSON files are committed under tests/fixtures/inbox; the workbooks are written here
from the rows below, so every cell a test relies on is visible in this file. The figures the
tests expect are worked out in tests/test_refresh.py from these rows.
"""

from __future__ import annotations

import shutil
from datetime import datetime
from pathlib import Path

from openpyxl import Workbook

COMMITTED = Path(__file__).parent / "fixtures" / "inbox"

SOCIAL_ENTERPRISES = [
    # Lp., name, decision, granted, lost, KRS, NIP, REGON, powiat, activity
    (1, "Spółdzielnia Socjalna Smak", "PS.28.1.2018", datetime(2018, 3, 1), None, "100003",
     "5781000031", "510000034", "Elbląg", "gastronomia"),
    (2, "Fundacja Bez Statusu", "PS.28.2.2019", "15.05.2019", None, None, None, "123456789",
     "m. Olsztyn", "usługi porządkowe"),  # REGON check digit wrong (should be 5)
]

OWES_ROWS = [
    (1, "Liczba podmiotów ekonomii społecznej objętych wsparciem", 12),
    (2, "Liczba utworzonych przedsiębiorstw społecznych", 3),
    (3, "Liczba miejsc pracy utworzonych w przedsiębiorstwach społecznych", "4,5"),
    (4, "Liczba osób objętych wsparciem", 25),
    (5, "Liczba spotkań sieciujących", 2),  # not an indicator of the template
]

RKRES_MEETINGS = [
    (1, datetime(2017, 6, 20), 5, 3, 1, 1),
    (2, datetime(2018, 3, 15), 6, 4, 1, 1),
    (3, "20.11.2018", 5, 4, 0, 1),
    (4, datetime(2019, 6, 10), 6, 3, 1, 0),
    (5, datetime(2020, 2, 12), 5, 3, 1, 1),
    (6, datetime(2020, 6, 18), 5, 4, 1, 1),
    (7, datetime(2020, 11, 26), 6, 4, 1, 1),
    (8, "pół roku", 4, 2, 0, 0),  # unreadable date
    (9, datetime(2021, 3, 1), 6, 4, 1, 1),  # after the fixture's period end
]

JST_SUPPORT = [
    ("2803", "powiat działdowski", "klauzule społeczne", datetime(2017, 5, 1), None),
    ("2801011", "Gmina Miejska Bartoszyce", "klauzule społeczne", datetime(2018, 2, 10), None),
    ("2814", "powiat olsztyński", "zlecanie zadań publicznych", datetime(2018, 5, 1), None),
    ("2801011", "Gmina Miejska Bartoszyce", "zlecanie zadań publicznych", datetime(2019, 3, 1),
     None),
    ("2862011", "Gmina Olsztyn", "klauzule społeczne", "01.07.2019", None),
    ("2805", "powiat ełcki", "klauzule społeczne", datetime(2020, 10, 1), None),
    ("1465011", "Warszawa", "klauzule społeczne", datetime(2019, 1, 1), None),  # not region 28
    ("2803", "powiat działdowski", "zlecanie zadań publicznych", datetime(2020, 11, 15), None),
]

EVENTS = [
    ("E1", "Posiedzenie RKRES", "posiedzenie RKRES", datetime(2019, 6, 10), "Olsztyn"),
    ("E2", "Warmińsko-Mazurskie Dni z Ekonomią Społeczną", "Dni Ekonomii Społecznej",
     datetime(2019, 9, 20), "Olsztyn"),
    ("E3", "Wizyta studyjna", "wizyta studyjna", datetime(2019, 10, 7), "Austria"),
]

# PESEL check digits worked out by hand with weights 1 3 7 9 1 3 7 9 1 3.
PARTICIPANTS = [
    ("E1", "85121203459", "Jan", "Kowalski", "M", "Gmina Dywity", "JST"),
    ("E1", "92031504563", "Anna", "Nowak", "K", "Stowarzyszenie Razem", "PES"),
    ("E2", "85121203459", "Jan", "Kowalski", "M", "Gmina Dywity", "JST"),
    ("E2", "85121203458", "Piotr", "Wiśniewski", "M", "Gmina Purda", "JST"),  # bad check digit
    ("E3", None, "Maria", "Zielińska", "K", "OWES Subregionu Olsztyńskiego", "OWES"),
    ("E3", "01220507892", "Ewa", "Lewandowska", "K", "Uniwersytet", "nauka"),
]
# What a leak search looks for: every PESEL (valid or not) and every surname. First names are
# left out because short ones ("Jan", "Ewa") occur in ordinary text (month names, place names).
PERSONAL_VALUES = sorted({v for row in PARTICIPANTS for v in (row[1], row[3]) if v})


def _workbook(sheets: dict[str, list[tuple]]) -> Workbook:
    workbook = Workbook()
    workbook.remove(workbook.active)
    for title, rows in sheets.items():
        sheet = workbook.create_sheet(title)
        for row in rows:
            sheet.append(list(row))
    return workbook


def write_fixture_inbox(inbox: Path) -> Path:
    """Copy the committed files and write the workbooks; returns the inbox folder."""
    shutil.copytree(COMMITTED, inbox, dirs_exist_ok=True)
    register = _workbook({"Rejestr PS": [
        ("Rejestr przedsiębiorstw społecznych – województwo warmińsko-mazurskie",),
        ("Stan na 31.12.2020",),
        (),
        ("Lp.", "Nazwa jednostki",
         "Numer decyzji o przyznaniu statusu przedsiębiorstwa społecznego",
         "Data przyznania statusu", "Data utraty statusu", "Numer KRS", "NIP", "REGON", "Powiat",
         "Charakter prowadzonej działalności przedsiębiorstw społecznych"),
        *SOCIAL_ENTERPRISES,
    ]})
    register["Rejestr PS"].merge_cells("A1:J1")
    register["Rejestr PS"].merge_cells("A2:J2")
    (inbox / "social_enterprises").mkdir(parents=True, exist_ok=True)
    register.save(inbox / "social_enterprises" / "rejestr_ps_2020-12-31.xlsx")

    owes = _workbook({
        "Wskaźniki": [("Nazwa OWES", "OWES Subregionu Olsztyńskiego"), ("Kod OWES", "OWES-1"),
                      ("Okres", "2020-Q4"), (), ("Lp.", "Nazwa wskaźnika", "Wartość w okresie"),
                      *OWES_ROWS],
        "Podmioty wsparte": [("Lp.", "Nazwa podmiotu", "Numer KRS", "NIP", "Data wsparcia")],
    })
    (inbox / "owes").mkdir(parents=True, exist_ok=True)
    owes.save(inbox / "owes" / "owes_OWES-1_2020Q4.xlsx")

    activity = _workbook({
        "Posiedzenia RKRES": [("Nr posiedzenia", "Data posiedzenia",
                               "Obecni - administracja publiczna", "Obecni - PES",
                               "Obecni - biznes", "Obecni - nauka"), *RKRES_MEETINGS],
        "Wsparcie JST": [("Kod TERYT JST", "Nazwa JST", "Rodzaj wsparcia", "Data rozpoczęcia",
                          "Data zakończenia"), *JST_SUPPORT],
        "Wydarzenia": [("Id wydarzenia", "Nazwa wydarzenia", "Rodzaj wydarzenia", "Data",
                        "Miejsce"), *EVENTS],
        "Uczestnicy": [("Id wydarzenia", "PESEL", "Imię", "Nazwisko", "Płeć", "Instytucja",
                        "Typ instytucji"), *PARTICIPANTS],
    })
    (inbox / "activity").mkdir(parents=True, exist_ok=True)
    activity.save(inbox / "activity" / "dziennik_dzialan_2020-12-31.xlsx")
    return inbox
