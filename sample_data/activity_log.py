"""The project office's activity log: one XLSX with RKRES meetings, JST support, events and
participants, cumulative from 2016 to the as-of date, and the sheets added for the project's
other tasks: JST that adopted social clauses, contracts and tasks they gave to PES, the
"Zakup Prospołeczny" certificates and the study visits.

The figures the committee checks are fixed by construction, whatever the seed: RKRES meetings
per year (one year, 2020, under the target of two), 17 distinct JST supported in 2018-2020 over
19 support rows, the study visits (Italy 2018, Austria 2019, Spain 2020), one regional
"Dni z Ekonomią Społeczną" a year, two meetings of the OWES network a year, 600 distinct
participants with a few bad PESEL. The later sheets and the OWES network meetings are drawn from
their own random streams, so the rows of the first four sheets are the same as before them
(the OWES network's events are numbered after the others and their attendances appended).
"""

import random
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path

from openpyxl import Workbook

from sample_data import names
from sample_data.draw import part_rng, random_date, weighted_sample, workday
from sample_data.entities import Entity
from sample_data.identifiers import new_pesel, pesel_is_valid, with_typo
from sample_data.owes_reports import centres
from sample_data.spelling import krs_as_written, name_as_written, nip_as_written
from sample_data.territory import Territory
from sample_data.truth import InvalidId, SourceOutput
from sample_data.xlsx import save_stamped, set_date_format

FOLDER = "activity"
SOURCE = "activity"
MEETINGS_SHEET = "Posiedzenia RKRES"
JST_SHEET = "Wsparcie JST"
EVENTS_SHEET = "Wydarzenia"
PARTICIPANTS_SHEET = "Uczestnicy"
MEETINGS_HEADER = ("Nr posiedzenia", "Data posiedzenia", "Obecni - administracja publiczna",
                   "Obecni - PES", "Obecni - biznes", "Obecni - nauka")
JST_HEADER = ("Kod TERYT JST", "Nazwa JST", "Rodzaj wsparcia", "Data rozpoczęcia",
              "Data zakończenia")
EVENTS_HEADER = ("Id wydarzenia", "Nazwa wydarzenia", "Rodzaj wydarzenia", "Data", "Miejsce")
PARTICIPANTS_HEADER = ("Id wydarzenia", "PESEL", "Imię", "Nazwisko", "Płeć", "Instytucja",
                       "Typ instytucji")
CLAUSES_SHEET = "JST z klauzulami"
CLAUSES_HEADER = ("Kod TERYT JST", "Nazwa JST", "Data przyjęcia", "Dokument")
CONTRACTS_SHEET = "Zamówienia i zlecenia"
CONTRACTS_HEADER = ("Kod TERYT JST", "Nazwa JST", "Rok", "Rodzaj", "Liczba umów",
                    "Wartość (zł)")
CERTIFICATES_SHEET = "Zakup Prospołeczny"
CERTIFICATES_HEADER = ("Nazwa podmiotu", "Numer KRS", "NIP", "Produkt lub usługa",
                       "Data przyznania", "Ważny do")
VISITS_SHEET = "Wizyty studyjne"
VISITS_HEADER = ("Nazwa wizyty", "Data rozpoczęcia", "Data zakończenia", "Kraj", "Miejsce",
                 "Liczba uczestników", "Id wydarzenia")

#: RKRES meetings per year: the target is two; 2020 (the pandemic) had one.
RKRES_MEETINGS = {2016: 2, 2017: 3, 2018: 3, 2019: 2, 2020: 1, 2021: 2, 2022: 3, 2023: 2,
                  2024: 2, 2025: 3, 2026: 2}
FIRST_YEAR = 2016

#: Expert support of JST in the project (2018-2020): 13 gminas and 4 powiats, 2 of them twice.
PROJECT_START, PROJECT_END = date(2018, 1, 1), date(2020, 12, 31)
PROJECT_GMINAS = 13
PROJECT_POWIATS = 4
PROJECT_TWICE = 2
#: Support rows after the project: JST new to it, and JST supported again.
LATER_NEW = 3
LATER_AGAIN = 3
SUPPORT_KINDS = ("klauzule społeczne", "zlecanie zadań publicznych")

RKRES = "posiedzenie RKRES"
DAYS = "Dni Ekonomii Społecznej"
NETWORKING = "spotkanie sieciujące"
VISIT = "wizyta studyjna"
TRAINING = "szkolenie"
OWES_NETWORK = "spotkanie sieci OWES"
OWES_NETWORK_NAME = "Spotkanie sieci współpracy OWES województwa"
OWES_NETWORK_PER_YEAR = 2
#: How much more likely each institution type is to attend an OWES network meeting.
OWES_NETWORK_PREFERENCE = {"OWES": 8.0, "PES": 1.0, "JST": 0.5}
OWES_NETWORK_SIZE = (8, 15)
#: The region's yearly fair, after its name: `Warmińsko-Mazurskie Dni z Ekonomią Społeczną`.
DAYS_NAME = "{region} Dni z Ekonomią Społeczną"
NETWORKING_NAME = "Spotkanie sieciujące Regionalnej Platformy Współpracy CIS, KIS, ZAZ i WTZ"
TRAINING_NAMES = ("Szkolenie: klauzule społeczne w zamówieniach publicznych",
                  "Szkolenie: zlecanie zadań publicznych podmiotom ekonomii społecznej")
NETWORKING_PER_YEAR = 3
TRAININGS_PER_YEAR = 2
#: Study visits: (year, month, country, name); foreign ones as in the project plan.
STUDY_VISITS = (
    (2017, 10, "Polska", "Krajowa wizyta studyjna – Małopolska"),
    (2018, 5, "Włochy", "Wizyta studyjna we Włoszech"),
    (2019, 9, "Austria", "Wizyta studyjna w Austrii"),
    (2020, 2, "Hiszpania", "Wizyta studyjna w Hiszpanii"),
    (2022, 6, "Polska", "Krajowa wizyta studyjna – Wielkopolska"),
    (2024, 5, "Polska", "Krajowa wizyta studyjna – Pomorze"),
)

#: Where each study visit went, by country (the events give the country as their place).
VISIT_PLACES = {"Polska": "Kraków", "Włochy": "Bolonia", "Austria": "Wiedeń",
                "Hiszpania": "Barcelona"}

#: Social clauses: the share of JST supported in the project that then adopt them, how many
#: JST had adopted them before the project on their own, how many adopt an amended act.
CLAUSES_AFTER_SUPPORT = 0.6
CLAUSES_BEFORE_PROJECT = 3
CLAUSES_AMENDED = 2
#: Contracts a JST with clauses gives a year, and the value of one (złoty); tasks likewise.
CONTRACTS_PER_YEAR = (0, 4)
CONTRACT_VALUE = (15_000, 350_000)
TASKS_PER_YEAR = (1, 3)
TASK_VALUE = (8_000, 120_000)
CLAUSE_CONTRACT = "zamówienie z klauzulą społeczną"
TASK_COMMISSION = "zlecenie zadania publicznego PES"
#: "Zakup Prospołeczny": new certificates a year (granted in June from 2017), the share renewed
#: after their year, and the products or services certified.
CERTIFICATES_FROM = 2017
NEW_CERTIFICATES = (4, 8)
RENEWED_SHARE = 0.5
PRODUCTS = ("catering", "usługi porządkowe", "ceramika artystyczna", "usługi opiekuńcze",
            "rękodzieło", "usługi remontowo-budowlane", "pielęgnacja terenów zielonych",
            "usługi poligraficzne", "produkty spożywcze")

#: Distinct persons in the log, and rows whose PESEL is left empty or mistyped on purpose.
PERSONS = 600
EMPTY_PESEL = 12
INVALID_PESEL = 13
FEMALE_SHARE = 0.62
INSTITUTION_TYPES = {"JST": 38, "PES": 27, "OWES": 7, "administracja rządowa": 7, "biznes": 8,
                     "nauka": 5, "inne": 8}
#: Institutions of region 28 whose staff attend; other regions get names made from their own.
REGION_28_INSTITUTIONS = {
    "administracja rządowa": (
        "Warmińsko-Mazurski Urząd Wojewódzki w Olsztynie",
        "Zakład Ubezpieczeń Społecznych Oddział w Olsztynie", "Kuratorium Oświaty w Olsztynie",
        "Państwowy Fundusz Rehabilitacji Osób Niepełnosprawnych Oddział Warmińsko-Mazurski"),
    "nauka": ("Uniwersytet Warmińsko-Mazurski w Olsztynie",
              "Akademia Nauk Stosowanych w Elblągu"),
    "inne": ("Caritas Archidiecezji Warmińskiej", "Caritas Diecezji Ełckiej",
             "Gazeta Olsztyńska", "Radio Olsztyn"),
    "regional JST": ("Regionalny Ośrodek Polityki Społecznej w Olsztynie",
                     "Urząd Marszałkowski Województwa Warmińsko-Mazurskiego w Olsztynie"),
}


def _institutions_of_the_region(territory: Territory, capital: str) -> dict[str, tuple[str, ...]]:
    """Government offices, universities, others and the regional JST: region 28's own, else
    names made from the region's name (`Pomorski Urząd Wojewódzki`) and its capital."""
    if territory.code == "28":
        return REGION_28_INSTITUTIONS
    words = territory.name.lower().split("-")
    adjective = "-".join(w.capitalize() for w in words)[:-1]  # pomorskie -> Pomorski
    genitive = "-".join(w[:-1].capitalize() + "iego" if w.endswith("kie") else w.capitalize()
                        for w in words)
    return {
        "administracja rządowa": (
            f"{adjective} Urząd Wojewódzki", f"Zakład Ubezpieczeń Społecznych – {capital}",
            f"Kuratorium Oświaty – {capital}",
            f"Państwowy Fundusz Rehabilitacji Osób Niepełnosprawnych Oddział {adjective}"),
        "nauka": (f"Uniwersytet – {capital}", f"Akademia Nauk Stosowanych – {capital}"),
        "inne": (f"Caritas – {capital}", "Gazeta regionalna", "Radio regionalne"),
        "regional JST": (f"Regionalny Ośrodek Polityki Społecznej – {capital}",
                         f"Urząd Marszałkowski Województwa {genitive}"),
    }


def capital_of(territory: Territory) -> str:
    """Where the committee meets: the most populous city with powiat rights (Olsztyn in 28),
    else the first town."""
    cities = [p for p in territory.powiats if p.is_city]
    if cities:
        return max(cities, key=lambda p: p.population).name
    return next(g.name for g in territory.gminas if g.kind == 1)

#: RKRES members by sector (`Obecni - ...` column), the institution types they come from, and
#: how many are present at a meeting.
COMMITTEE = {
    "administracja publiczna": (12, ("JST", "administracja rządowa"), (5, 11)),
    "PES": (10, ("PES", "OWES"), (4, 9)),
    "biznes": (5, ("biznes",), (1, 4)),
    "nauka": (4, ("nauka",), (1, 3)),
}
#: Participants per event, and how much more likely each institution type is to attend.
EVENT_SIZE = {DAYS: (50, 90), NETWORKING: (12, 25), VISIT: (12, 20), TRAINING: (15, 30)}
TYPE_PREFERENCE = {
    DAYS: {},
    NETWORKING: {"PES": 4.0, "OWES": 3.0, "JST": 1.0},
    VISIT: {"JST": 2.0, "PES": 2.0, "OWES": 2.0},
    TRAINING: {"JST": 5.0},
}
OTHERWISE_PREFERENCE = {DAYS: 1.0, NETWORKING: 0.3, VISIT: 0.3, TRAINING: 0.5}


@dataclass(frozen=True)
class Person:
    """A participant: the truth behind the rows that name them."""

    person_id: str
    first_name: str
    last_name: str
    female: bool
    pesel: str
    institution: str
    institution_type: str
    activity: float


@dataclass
class Event:
    """One event of the log; `present` holds RKRES attendance by sector."""

    day: date
    kind: str
    name: str
    place: str
    present: dict[str, int] | None = None
    event_id: int = 0


def _institutions(rng: random.Random, territory: Territory,
                  entities: list[Entity]) -> dict[str, list[str]]:
    of_region = _institutions_of_the_region(territory, capital_of(territory))
    jst = [*of_region["regional JST"]]
    for gmina in territory.gminas:
        office = "Urząd Miasta" if gmina.kind == 1 else "Urząd Gminy"
        jst += [f"{office} {gmina.name}", f"Ośrodek Pomocy Społecznej – {gmina.jst_name}"]
    jst += [f"Starostwo Powiatu {(p.name[:-1] + 'iego').capitalize()}"
            for p in territory.powiats if not p.is_city]
    return {
        "JST": jst,
        "PES": [e.name for e in entities if e.active_on(date(2020, 12, 31))],
        "OWES": [c.name for c in centres(territory)],
        "administracja rządowa": list(of_region["administracja rządowa"]),
        "biznes": [f"{w} Sp. z o.o." for w in rng.sample(names.WORDS, 30)],
        "nauka": list(of_region["nauka"]),
        "inne": list(of_region["inne"]),
    }


def _persons(rng: random.Random, territory: Territory, entities: list[Entity]) -> list[Person]:
    institutions = _institutions(rng, territory, entities)
    types = list(INSTITUTION_TYPES)
    taken: set[str] = set()
    persons = []
    for number in range(1, PERSONS + 1):
        female = rng.random() < FEMALE_SHARE
        birth = random_date(rng, date(1955, 1, 1), date(2001, 12, 31))
        kind = rng.choices(types, [INSTITUTION_TYPES[t] for t in types])[0]
        persons.append(Person(
            person_id=f"OS-{number:04d}",
            first_name=rng.choice(names.FEMALE_FIRST_NAMES if female else names.MALE_FIRST_NAMES),
            last_name=names.surname(rng.choice(names.SURNAMES), female),
            female=female,
            pesel=new_pesel(rng, birth, female, taken),
            institution=rng.choice(institutions[kind]),
            institution_type=kind,
            activity=1.0 + rng.expovariate(0.5),
        ))
    return persons


def _spread(rng: random.Random, year: int, count: int, last_day: date) -> list[date]:
    """`count` workdays spread over the year (one per equal part), none after `last_day`."""
    days = []
    for part in range(count):
        first = date(year, 1, 1) + timedelta(days=365 * part // count + 10)
        last = min(date(year, 1, 1) + timedelta(days=365 * (part + 1) // count - 10), last_day)
        if first <= last:
            days.append(workday(random_date(rng, first, last)))
    return days


def _events(rng: random.Random, territory: Territory, as_of: date) -> list[Event]:
    last_day = as_of - timedelta(days=3)  # a weekend draw moves to Monday, still before as_of
    towns = [g.name for g in territory.gminas if g.kind == 1]
    capital = capital_of(territory)
    days_name = DAYS_NAME.format(region=territory.name.title())
    events = []
    meeting = 0
    for year in range(FIRST_YEAR, as_of.year + 1):
        for day in _spread(rng, year, RKRES_MEETINGS.get(year, 2), last_day):
            meeting += 1
            present = {sector: rng.randint(*spec[2]) for sector, spec in COMMITTEE.items()}
            events.append(Event(day, RKRES, f"Posiedzenie RKRES nr {meeting}", capital, present))
        days_date = workday(random_date(rng, date(year, 9, 10), date(year, 10, 20)))
        if days_date <= as_of:
            place = capital if year == FIRST_YEAR else rng.choice(towns)
            events.append(Event(days_date, DAYS, f"{days_name} {year}", place))
        events += [Event(day, NETWORKING, NETWORKING_NAME, rng.choice(towns))
                   for day in _spread(rng, year, NETWORKING_PER_YEAR, last_day)]
        if year > FIRST_YEAR:
            events += [Event(day, TRAINING, TRAINING_NAMES[i % 2], rng.choice(towns))
                       for i, day in enumerate(_spread(rng, year, TRAININGS_PER_YEAR, last_day))]
    for year, month, country, name in STUDY_VISITS:
        day = workday(random_date(rng, date(year, month, 1), date(year, month, 24)))
        if day <= as_of:
            events.append(Event(day, VISIT, name, country))
    order = (RKRES, DAYS, NETWORKING, TRAINING, VISIT)
    events.sort(key=lambda e: (e.day, order.index(e.kind), e.name))
    for number, event in enumerate(events, start=1):
        event.event_id = number
    return events


def _attendance(rng: random.Random, events: list[Event],
                persons: list[Person]) -> list[tuple[Event, Person]]:
    """Who attended what: RKRES members by sector, others by interest; everyone at least once."""
    committee = {
        sector: rng.sample([p for p in persons if p.institution_type in types], size)
        for sector, (size, types, _) in COMMITTEE.items()
    }
    attended: dict[int, list[Person]] = {}
    for event in events:
        if event.present is not None:
            attended[event.event_id] = [p for sector, count in event.present.items()
                                        for p in rng.sample(committee[sector], count)]
            continue
        preference = TYPE_PREFERENCE[event.kind]
        weights = [p.activity * preference.get(p.institution_type, OTHERWISE_PREFERENCE[event.kind])
                   for p in persons]
        attended[event.event_id] = weighted_sample(rng, persons, weights,
                                                   rng.randint(*EVENT_SIZE[event.kind]))
    seen = {p.person_id for group in attended.values() for p in group}
    open_events = [e for e in events if e.present is None]
    for person in persons:
        if person.person_id not in seen:
            attended[rng.choice(open_events).event_id].append(person)
    return [(event, person) for event in events for person in attended[event.event_id]]


def _jst_support(rng: random.Random, territory: Territory,
                 as_of: date) -> list[tuple[str, str, str, date, date]]:
    """Support rows: 19 in the project for 17 distinct JST, then a few more after it."""
    land_powiats = [p for p in territory.powiats if not p.is_city]
    gminas = rng.sample(territory.gminas, PROJECT_GMINAS + LATER_NEW)
    project = ([(g.code, g.jst_name) for g in gminas[:PROJECT_GMINAS]]
               + [(p.code, p.jst_name) for p in rng.sample(land_powiats, PROJECT_POWIATS)])
    twice = {code for code, _ in rng.sample(project, PROJECT_TWICE)}
    rows = []
    for code, name in project:
        latest_start = date(2019, 6, 30) if code in twice else date(2020, 9, 30)
        start = random_date(rng, date(2018, 2, 1), latest_start)
        end = min(start + timedelta(days=rng.randint(30, 150)), PROJECT_END)
        kind = rng.choice(SUPPORT_KINDS)
        rows.append((code, name, kind, start, end))
        if code in twice:
            again = random_date(rng, end + timedelta(days=30), date(2020, 10, 31))
            other = SUPPORT_KINDS[1 - SUPPORT_KINDS.index(kind)]
            rows.append((code, name, other, again,
                         min(again + timedelta(days=rng.randint(30, 60)), PROJECT_END)))
    later_first, later_last = date(2021, 2, 1), as_of - timedelta(days=150)
    if later_first <= later_last:
        later = ([(g.code, g.jst_name) for g in gminas[PROJECT_GMINAS:]]
                 + rng.sample(project, LATER_AGAIN))
        for code, name in later:
            start = random_date(rng, later_first, later_last)
            rows.append((code, name, rng.choice(SUPPORT_KINDS), start,
                         start + timedelta(days=rng.randint(30, 120))))
    rows.sort(key=lambda r: (r[3], r[0]))
    return rows


def _owes_network(rng: random.Random, territory: Territory, as_of: date, first_id: int,
                  persons: list[Person]) -> tuple[list[Event], list[tuple[Event, Person]]]:
    """The OWES network's meetings (two a year) and who attended, numbered from `first_id`."""
    towns = [g.name for g in territory.gminas if g.kind == 1]
    events = [Event(day, OWES_NETWORK, OWES_NETWORK_NAME, rng.choice(towns))
              for year in range(FIRST_YEAR, as_of.year + 1)
              for day in _spread(rng, year, OWES_NETWORK_PER_YEAR, as_of - timedelta(days=3))]
    weights = [p.activity * OWES_NETWORK_PREFERENCE.get(p.institution_type, 0.2) for p in persons]
    attendance = []
    for number, event in enumerate(events, start=first_id):
        event.event_id = number
        attendance += [(event, person) for person in weighted_sample(
            rng, persons, weights, rng.randint(*OWES_NETWORK_SIZE))]
    return events, attendance


def _social_clauses(rng: random.Random, territory: Territory, support: list[tuple],
                    as_of: date) -> list[tuple[str, str, date, str]]:
    """Acts adopting social clauses: most JST the project supported, a few on their own
    before it, and a couple of amended acts."""
    first_support: dict[str, tuple[str, date]] = {}
    for code, name, _, start, _ in support:
        if PROJECT_START <= start <= PROJECT_END and code not in first_support:
            first_support[code] = (name, start)
    rows = []
    for code, (name, start) in first_support.items():
        if rng.random() < CLAUSES_AFTER_SUPPORT:
            adopted = start + timedelta(days=rng.randint(30, 300))
            if adopted <= as_of:
                rows.append((code, name, adopted))
    others = [g for g in territory.gminas if g.code not in first_support]
    rows += [(g.code, g.jst_name, random_date(rng, date(2016, 1, 15), date(2017, 11, 30)))
             for g in rng.sample(others, CLAUSES_BEFORE_PROJECT)]
    for code, name, adopted in rng.sample(rows, CLAUSES_AMENDED):
        amended = adopted + timedelta(days=rng.randint(365, 730))
        if amended <= as_of:
            rows.append((code, name, amended))
    acts = []
    for code, name, adopted in sorted(rows, key=lambda r: (r[2], r[0])):
        kind = "Zarządzenie" if len(code) == 7 else "Uchwała"
        acts.append((code, name, adopted, f"{kind} nr {rng.randint(1, 150)}/{adopted.year}"))
    return acts


def _amount(rng: random.Random, low: int, high: int, count: int) -> float:
    return round(sum(rng.uniform(low, high) for _ in range(count)), 2)


def _as_written(rng: random.Random, amount: float) -> str | float:
    """An amount as offices type it: `123 456,78`, or a number cell."""
    if rng.random() < 0.5:
        return amount
    return f"{amount:,.2f}".replace(",", " ").replace(".", ",")


def _contracts(rng: random.Random, clauses: list[tuple], support: list[tuple],
               as_of: date) -> list[tuple]:
    """Per JST and year: contracts with social clauses (from the year clauses were adopted) and
    public tasks commissioned to PES (from the year of support in commissioning)."""
    rows = []
    adopted: dict[str, tuple[str, int]] = {}
    for code, name, day, _ in clauses:
        adopted.setdefault(code, (name, day.year))
    for code, (name, first_year) in adopted.items():
        for year in range(first_year, as_of.year + 1):
            count = rng.randint(*CONTRACTS_PER_YEAR)
            if count:
                rows.append((code, name, year, CLAUSE_CONTRACT, count,
                             _as_written(rng, _amount(rng, *CONTRACT_VALUE, count))))
    commissioning: dict[str, tuple[str, int]] = {}
    for code, name, kind, start, _ in support:
        if kind == SUPPORT_KINDS[1]:
            commissioning.setdefault(code, (name, start.year))
    for code, (name, first_year) in commissioning.items():
        for year in range(first_year, as_of.year + 1):
            count = rng.randint(*TASKS_PER_YEAR)
            rows.append((code, name, year, TASK_COMMISSION, count,
                         _as_written(rng, _amount(rng, *TASK_VALUE, count))))
    return sorted(rows, key=lambda r: (r[2], r[0], r[3]))


def _certificates(rng: random.Random, entities: list[Entity], as_of: date) -> list[tuple]:
    """Certificates granted each June: new entities, and half of last year's renewed."""
    eligible_kinds = ("spółdzielnia socjalna", "stowarzyszenie", "fundacja", "CIS", "ZAZ")
    rows = []
    held: list[tuple[Entity, str]] = []
    for year in range(CERTIFICATES_FROM, as_of.year + 1):
        granted = workday(random_date(rng, date(year, 6, 1), date(year, 6, 20)))
        if granted > as_of:
            break
        renewed = [pair for pair in held if rng.random() < RENEWED_SHARE
                   and pair[0].active_on(granted)]
        taken = {e.entity_id for e, _ in renewed}
        pool = [e for e in entities if e.kind in eligible_kinds and e.active_on(granted)
                and e.start <= granted - timedelta(days=183) and e.entity_id not in taken]
        weights = [6.0 if e.kind == "spółdzielnia socjalna" else 1.0 for e in pool]
        new = [(e, rng.choice(PRODUCTS)) for e in weighted_sample(
            rng, pool, weights, rng.randint(*NEW_CERTIFICATES))]
        held = renewed + new
        until = date(year + 1, granted.month, granted.day) - timedelta(days=1)
        rows += [(name_as_written(rng, e.name, 0.1), krs_as_written(rng, e.krs),
                  nip_as_written(rng, e.nip), product, granted, until) for e, product in held]
    return rows


def _visits(events: list[Event], attendance: list[tuple[Event, Person]]) -> list[tuple]:
    """One row per study visit: its days (four abroad, two in Poland) and its participants."""
    size = {}
    for event, _ in attendance:
        size[event.event_id] = size.get(event.event_id, 0) + 1
    return [(e.name, e.day, e.day + timedelta(days=1 if e.place == "Polska" else 4), e.place,
             VISIT_PLACES.get(e.place), size.get(e.event_id, 0), e.event_id)
            for e in events if e.kind == VISIT]


def _sheet(workbook: Workbook, title: str, header: tuple[str, ...], rows: list[tuple],
           date_columns: tuple[int, ...]) -> None:
    sheet = workbook.create_sheet(title)
    sheet.append(header)
    for row in rows:
        sheet.append(row)
    for column in date_columns:
        set_date_format(r[0] for r in sheet.iter_rows(min_row=2, min_col=column, max_col=column))


def write_activity_log(seed: int, territory: Territory, entities: list[Entity], out_dir: Path,
                       as_of: date, stamp: datetime) -> tuple[SourceOutput, list[tuple]]:
    """Writes `activity/dziennik_dzialan_<as_of>.xlsx`; returns it and the participant truth
    rows (file, data row of sheet `Uczestnicy`, person id)."""
    rng = part_rng(seed, "activity")
    persons = _persons(rng, territory, entities)
    events = _events(rng, territory, as_of)
    attendance = _attendance(rng, events, persons)
    support = _jst_support(rng, territory, as_of)

    bad = rng.sample(range(len(attendance)), EMPTY_PESEL + INVALID_PESEL)
    written = {i: "" for i in bad[:EMPTY_PESEL]}
    written |= {i: with_typo(rng, attendance[i][1].pesel, pesel_is_valid)
                for i in bad[EMPTY_PESEL:]}
    network, network_attendance = _owes_network(part_rng(seed, "activity_owes_network"),
                                                territory, as_of, len(events) + 1, persons)
    attendance += network_attendance
    events = sorted([*events, *network], key=lambda e: (e.day, e.event_id))
    participants = [
        (event.event_id, written.get(i, person.pesel), person.first_name, person.last_name,
         "K" if person.female else "M", person.institution, person.institution_type)
        for i, (event, person) in enumerate(attendance)
    ]
    meetings = [e for e in events if e.kind == RKRES]
    tasks_rng = part_rng(seed, "activity_tasks")
    clauses = _social_clauses(tasks_rng, territory, support, as_of)
    contracts = _contracts(tasks_rng, clauses, support, as_of)
    certificates = _certificates(tasks_rng, entities, as_of)
    visits = _visits(events, attendance)

    workbook = Workbook()
    workbook.remove(workbook.active)
    _sheet(workbook, MEETINGS_SHEET, MEETINGS_HEADER,
           [(n, e.day, *e.present.values()) for n, e in enumerate(meetings, start=1)], (2,))
    _sheet(workbook, JST_SHEET, JST_HEADER, support, (4, 5))
    _sheet(workbook, EVENTS_SHEET, EVENTS_HEADER,
           [(e.event_id, e.name, e.kind, e.day, e.place) for e in events], (4,))
    _sheet(workbook, PARTICIPANTS_SHEET, PARTICIPANTS_HEADER, participants, ())
    _sheet(workbook, CLAUSES_SHEET, CLAUSES_HEADER, clauses, (3,))
    _sheet(workbook, CONTRACTS_SHEET, CONTRACTS_HEADER, contracts, ())
    _sheet(workbook, CERTIFICATES_SHEET, CERTIFICATES_HEADER, certificates, (5, 6))
    _sheet(workbook, VISITS_SHEET, VISITS_HEADER, visits, (2, 3))
    relative = f"{FOLDER}/dziennik_dzialan_{as_of.isoformat()}.xlsx"
    save_stamped(workbook, out_dir / relative, stamp)

    file_rows = [(relative, n, person.person_id)
                 for n, (_, person) in enumerate(attendance, start=1)]
    project_rows = [r for r in support if PROJECT_START <= r[3] <= PROJECT_END]
    in_project = {p.person_id: p for event, p in attendance
                  if PROJECT_START <= event.day <= PROJECT_END}
    per_year: dict[str, int] = {}
    for meeting in meetings:
        per_year[str(meeting.day.year)] = per_year.get(str(meeting.day.year), 0) + 1
    output = SourceOutput(
        files=[relative],
        rows=(len(meetings) + len(support) + len(events) + len(participants) + len(clauses)
              + len(contracts) + len(certificates) + len(visits)),
        invalid_ids=[InvalidId(SOURCE, relative, i + 1, "PESEL", written[i], "",
                               attendance[i][1].person_id) for i in sorted(bad)],
        figures={
            "rkres_meetings_per_year": per_year,
            "rkres_years_under_target": [y for y, n in per_year.items() if n < 2],
            "jst_support_rows_2018_2020": len(project_rows),
            "jst_distinct_2018_2020": len({r[0] for r in project_rows}),
            "jst_support_rows_total": len(support),
            "jst_distinct_total": len({r[0] for r in support}),
            "events_by_kind": {k: sum(1 for e in events if e.kind == k)
                               for k in (RKRES, DAYS, NETWORKING, TRAINING, VISIT, OWES_NETWORK)},
            "study_visits": [[e.day.year, e.place] for e in events if e.kind == VISIT],
            "participant_rows": len(participants),
            "distinct_persons": len({p.person_id for _, p in attendance}),
            "distinct_persons_2018_2020": len(in_project),
            "distinct_women_2018_2020": sum(1 for p in in_project.values() if p.female),
            "pesel_empty_rows": EMPTY_PESEL,
            "pesel_invalid_rows": INVALID_PESEL,
            "jst_with_social_clauses": len({r[0] for r in clauses}),
            "pes_contract_rows": len(contracts),
            "prosocial_certificates": len(certificates),
            "study_visit_rows": len(visits),
        },
    )
    return output, file_rows
