"""The hand-made inbox the end-to-end tests refresh: small enough to count by hand.

CSV and JSON files are committed under tests/fixtures/inbox; the workbooks are written here
from the rows below, so every cell a test relies on is visible in this file. The figures the
tests expect are worked out in tests/test_refresh.py from these rows (those of the OWES
report and of the activity log's later sheets in tests/test_owes_marts.py and
tests/test_activity_marts.py).
"""

from __future__ import annotations

import shutil
from datetime import datetime
from pathlib import Path

from openpyxl import Workbook

from sample_data.kgw_register import HEADER as KGW_HEADER

COMMITTED = Path(__file__).parent / "fixtures" / "inbox"

SOCIAL_ENTERPRISES = [
    # Lp., name, decision, granted, lost, KRS, NIP, REGON, powiat, activity
    (1, "Spółdzielnia Socjalna Smak", "PS.28.1.2018", datetime(2018, 3, 1), None, "100003",
     "5781000031", "510000034", "Elbląg", "gastronomia"),
    (2, "Fundacja Bez Statusu", "PS.28.2.2019", "15.05.2019", None, None, None, "123456789",
     "m. Olsztyn", "usługi porządkowe"),  # REGON check digit wrong (should be 5)
]

KGW_REGISTER = [
    # Lp., number, name, REGON, NIP, voivodeship, powiat, gmina, town, address, entered,
    # struck off, status, area, representatives. The association of Dywity (KRS 100001) entered
    # in the KGW register too, as a circle registered as an association before the Act of 2018
    # may be: one entity by its NIP and REGON, still an association (its catalogue rows say so),
    # active from its KRS registration (15.02.2015, before this entry): no count changes.
    (1, "1101", "Stowarzyszenie Razem w Dywitach", "510000011", "739-100-00-18",
     "warmińsko-mazurskie", "olsztyński", "Dywity", "Dywity", None, datetime(2019, 3, 1), None,
     "aktywne", "Dywity", None),
]

OWES_CENTRE = ("OWES Subregionu Elbląskiego", "OWES-1", "2020-Q4")
OWES_ROWS = [
    (1, "Liczba podmiotów ekonomii społecznej objętych wsparciem", 12),
    (2, "Liczba utworzonych przedsiębiorstw społecznych", 3),
    (3, "Liczba miejsc pracy utworzonych w przedsiębiorstwach społecznych", "4,5"),
    (4, "Liczba osób objętych wsparciem", 25),
    (5, "Liczba spotkań sieciujących", 2),  # not an indicator of the template
]
# The headline says 12 entities and 4,5 jobs; the detail sheets list 4 and 3: both flagged.
OWES_SUPPORTED = [
    # Lp., name, KRS, NIP, date; matched to the catalogue's entities by KRS, else by NIP
    (1, "Stowarzyszenie Razem w Dywitach", "100001", None, datetime(2020, 10, 5)),  # 2814
    (2, "Spółdzielnia Socjalna Smak", None, "578-100-00-31", datetime(2020, 11, 12)),  # 2861
    (3, "Warsztat Terapii Zajęciowej w Giżycku", None, "8451000058", "01.12.2020"),  # 2806
    (4, "Stowarzyszenie Spoza Katalogu", "100099", None, datetime(2020, 12, 15)),  # no entity
]
OWES_JOBS = [
    # Lp., enterprise, KRS, NIP, start, contract, at-risk group (no person's name)
    (1, "Spółdzielnia Socjalna Smak", "100003", None, datetime(2020, 10, 1), "umowa o pracę",
     "osoba bezrobotna"),
    (2, "Spółdzielnia Socjalna Smak", "100003", None, datetime(2020, 11, 2),
     "spółdzielcza umowa o pracę", "osoba z niepełnosprawnością"),
    (3, "Spółdzielnia Socjalna Smak", "100003", None, "01.12.2020", "umowa o pracę",
     "osoba bezrobotna"),
]
OWES_SUPPORTED_HEADER = ("Lp.", "Nazwa podmiotu", "Numer KRS", "NIP", "Data wsparcia")
OWES_JOBS_HEADER = ("Lp.", "Nazwa przedsiębiorstwa społecznego", "Numer KRS", "NIP",
                    "Data zatrudnienia", "Rodzaj umowy", "Grupa zagrożona wykluczeniem")

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
    ("E4", "Spotkanie sieciujące Regionalnej Platformy Współpracy", "spotkanie sieciujące",
     datetime(2020, 3, 5), "Ełk"),
    ("E5", "Spotkanie sieci OWES", "spotkanie sieci OWES", "14.05.2020", "Olsztyn"),
]

JST_SOCIAL_CLAUSES = [
    # TERC, JST, adopted on, act
    ("2801011", "Gmina Miejska Bartoszyce", datetime(2018, 9, 1), "Zarządzenie nr 12/2018"),
    ("2862011", "Gmina Olsztyn", "15.03.2019", "Uchwała nr VIII/100/19"),  # before its support
    ("2807", "powiat iławski", datetime(2017, 4, 3), "Uchwała nr 5/2017"),  # never supported
    ("2801011", "Gmina Miejska Bartoszyce", datetime(2020, 1, 10), "Zarządzenie nr 3/2020"),
    ("2805", "powiat ełcki", datetime(2021, 2, 1), "Uchwała nr 1/2021"),  # after the period
]

PES_CONTRACTS = [
    # TERC, JST, year, kind, contracts, value in złoty (text with a decimal comma, or a number)
    ("2801011", "Gmina Miejska Bartoszyce", 2019, "zamówienie z klauzulą społeczną", 2,
     "125 000,50"),
    ("2862011", "Gmina Olsztyn", 2019, "zlecenie zadania publicznego PES", 3, 45999.99),
    ("2801011", "Gmina Miejska Bartoszyce", 2020, "zamówienie z klauzulą społeczną", 1,
     "80 000,00"),
    ("2814", "powiat olsztyński", 2020, "zamówienie z klauzulą społeczną", 2, "19 999,51"),
    ("2814", "powiat olsztyński", 2021, "zlecenie zadania publicznego PES", 1, "10 000,00"),
]

PROSOCIAL_CERTIFICATES = [
    # entity, KRS, NIP, product, granted, valid until
    ("Spółdzielnia Socjalna „Smak”", "100003", "5781000031", "catering", datetime(2019, 5, 20),
     datetime(2020, 5, 19)),
    ("Spółdzielnia Socjalna Smak", "0000100003", None, "catering", datetime(2020, 5, 20),
     datetime(2021, 5, 19)),  # renewed: the same entity by its KRS
    ("Warsztat Terapii Zajęciowej w Giżycku", None, "845-100-00-58", "ceramika", "10.10.2019",
     "09.10.2020"),
]

STUDY_VISITS = [
    # name, from, to, country, place, participants, event id
    ("Wizyta studyjna we Włoszech", datetime(2018, 5, 14), datetime(2018, 5, 18), "Włochy",
     "Bolonia", 15, None),
    ("Wizyta studyjna w Austrii", datetime(2019, 10, 7), datetime(2019, 10, 11), "Austria",
     "Wiedeń", 2, "E3"),
    ("Krajowa wizyta studyjna", "12.06.2020", "13.06.2020", "Polska", "Kraków", 18, None),
]  # no visit to Spain in 2020, although planned

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


def sheets_workbook(sheets: dict[str, list[tuple]]) -> Workbook:
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
    register = sheets_workbook({"Rejestr PS": [
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

    circles = sheets_workbook({"Rejestr KGW": [
        ("Krajowy Rejestr Kół Gospodyń Wiejskich – województwo warmińsko-mazurskie",),
        ("Stan na 31.12.2020",),
        (),
        KGW_HEADER,
        *KGW_REGISTER,
    ]})
    (inbox / "kgw_register").mkdir(parents=True, exist_ok=True)
    circles.save(inbox / "kgw_register" / "rejestr_kgw_2020-12-31.xlsx")

    (inbox / "owes").mkdir(parents=True, exist_ok=True)
    owes_workbook(OWES_CENTRE, OWES_ROWS, OWES_SUPPORTED, OWES_JOBS).save(
        inbox / "owes" / "owes_OWES-1_2020Q4.xlsx")
    (inbox / "activity").mkdir(parents=True, exist_ok=True)
    activity_workbook().save(inbox / "activity" / "dziennik_dzialan_2020-12-31.xlsx")
    return inbox


def owes_workbook(centre: tuple[str, str, str], headline: list[tuple],
                  supported: list[tuple], jobs: list[tuple],
                  extra_sheets: dict[str, list[tuple]] | None = None,
                  jobs_header: tuple[str, ...] = OWES_JOBS_HEADER) -> Workbook:
    """An OWES report in the current template (docs/owes_template.md); an earlier template is
    the same with its own jobs header and extra sheets."""
    name, code, quarter = centre
    return sheets_workbook({
        "Wskaźniki": [("Nazwa OWES", name), ("Kod OWES", code), ("Okres", quarter), (),
                      ("Lp.", "Nazwa wskaźnika", "Wartość w okresie"), *headline],
        "Podmioty wsparte": [OWES_SUPPORTED_HEADER, *supported],
        "Miejsca pracy": [jobs_header, *jobs],
        **(extra_sheets or {}),
    })


def activity_workbook(events: list[tuple] = EVENTS,
                      participants: list[tuple] = PARTICIPANTS) -> Workbook:
    """The activity log, one sheet per kind, with the rows above (tests may pass their own)."""
    return sheets_workbook({
        "Posiedzenia RKRES": [("Nr posiedzenia", "Data posiedzenia",
                               "Obecni - administracja publiczna", "Obecni - PES",
                               "Obecni - biznes", "Obecni - nauka"), *RKRES_MEETINGS],
        "Wsparcie JST": [("Kod TERYT JST", "Nazwa JST", "Rodzaj wsparcia", "Data rozpoczęcia",
                          "Data zakończenia"), *JST_SUPPORT],
        "JST z klauzulami": [("Kod TERYT JST", "Nazwa JST", "Data przyjęcia", "Dokument"),
                             *JST_SOCIAL_CLAUSES],
        "Zamówienia i zlecenia": [("Kod TERYT JST", "Nazwa JST", "Rok", "Rodzaj", "Liczba umów",
                                   "Wartość (zł)"), *PES_CONTRACTS],
        "Zakup Prospołeczny": [("Nazwa podmiotu", "Numer KRS", "NIP", "Produkt lub usługa",
                                "Data przyznania", "Ważny do"), *PROSOCIAL_CERTIFICATES],
        "Wizyty studyjne": [("Nazwa wizyty", "Data rozpoczęcia", "Data zakończenia", "Kraj",
                             "Miejsce", "Liczba uczestników", "Id wydarzenia"), *STUDY_VISITS],
        "Wydarzenia": [("Id wydarzenia", "Nazwa wydarzenia", "Rodzaj wydarzenia", "Data",
                        "Miejsce"), *events],
        "Uczestnicy": [("Id wydarzenia", "PESEL", "Imię", "Nazwisko", "Płeć", "Instytucja",
                        "Typ instytucji"), *participants],
    })
