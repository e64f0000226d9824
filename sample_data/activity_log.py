"""The project office's activity log: one XLSX with RKRES meetings, JST support, events and
participants, cumulative from 2016 to the as-of date.

The figures the committee checks are fixed by construction, whatever the seed: RKRES meetings
per year (one year, 2020, under the target of two), 17 distinct JST supported in 2018-2020 over
19 support rows, the study visits (Italy 2018, Austria 2019, Spain 2020), one regional
"Dni z Ekonomią Społeczną" a year, 600 distinct participants with a few bad PESEL.
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
from sample_data.owes_reports import CENTRES
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
DAYS_NAME = "Warmińsko-Mazurskie Dni z Ekonomią Społeczną"
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

#: Distinct persons in the log, and rows whose PESEL is left empty or mistyped on purpose.
PERSONS = 600
EMPTY_PESEL = 12
INVALID_PESEL = 13
FEMALE_SHARE = 0.62
INSTITUTION_TYPES = {"JST": 38, "PES": 27, "OWES": 7, "administracja rządowa": 7, "biznes": 8,
                     "nauka": 5, "inne": 8}
GOVERNMENT = ("Warmińsko-Mazurski Urząd Wojewódzki w Olsztynie",
              "Zakład Ubezpieczeń Społecznych Oddział w Olsztynie",
              "Kuratorium Oświaty w Olsztynie",
              "Państwowy Fundusz Rehabilitacji Osób Niepełnosprawnych Oddział Warmińsko-Mazurski")
SCIENCE = ("Uniwersytet Warmińsko-Mazurski w Olsztynie", "Akademia Nauk Stosowanych w Elblągu")
OTHER = ("Caritas Archidiecezji Warmińskiej", "Caritas Diecezji Ełckiej", "Gazeta Olsztyńska",
         "Radio Olsztyn")
REGIONAL_JST = ("Regionalny Ośrodek Polityki Społecznej w Olsztynie",
                "Urząd Marszałkowski Województwa Warmińsko-Mazurskiego w Olsztynie")

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
    jst = [*REGIONAL_JST]
    for gmina in territory.gminas:
        office = "Urząd Miasta" if gmina.kind == 1 else "Urząd Gminy"
        jst += [f"{office} {gmina.name}", f"Ośrodek Pomocy Społecznej – {gmina.jst_name}"]
    jst += [f"Starostwo Powiatu {(p.name[:-1] + 'iego').capitalize()}"
            for p in territory.powiats if not p.is_city]
    return {
        "JST": jst,
        "PES": [e.name for e in entities if e.active_on(date(2020, 12, 31))],
        "OWES": [c.name for c in CENTRES],
        "administracja rządowa": list(GOVERNMENT),
        "biznes": [f"{w} Sp. z o.o." for w in rng.sample(names.WORDS, 30)],
        "nauka": list(SCIENCE),
        "inne": list(OTHER),
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
    capital = "Olsztyn" if "Olsztyn" in towns else towns[0]
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
            events.append(Event(days_date, DAYS, f"{DAYS_NAME} {year}", place))
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
    participants = [
        (event.event_id, written.get(i, person.pesel), person.first_name, person.last_name,
         "K" if person.female else "M", person.institution, person.institution_type)
        for i, (event, person) in enumerate(attendance)
    ]
    meetings = [e for e in events if e.kind == RKRES]

    workbook = Workbook()
    workbook.remove(workbook.active)
    _sheet(workbook, MEETINGS_SHEET, MEETINGS_HEADER,
           [(n, e.day, *e.present.values()) for n, e in enumerate(meetings, start=1)], (2,))
    _sheet(workbook, JST_SHEET, JST_HEADER, support, (4, 5))
    _sheet(workbook, EVENTS_SHEET, EVENTS_HEADER,
           [(e.event_id, e.name, e.kind, e.day, e.place) for e in events], (4,))
    _sheet(workbook, PARTICIPANTS_SHEET, PARTICIPANTS_HEADER, participants, ())
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
        rows=len(meetings) + len(support) + len(events) + len(participants),
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
                               for k in (RKRES, DAYS, NETWORKING, TRAINING, VISIT)},
            "study_visits": [[e.day.year, e.place] for e in events if e.kind == VISIT],
            "participant_rows": len(participants),
            "distinct_persons": len({p.person_id for _, p in attendance}),
            "distinct_persons_2018_2020": len(in_project),
            "distinct_women_2018_2020": sum(1 for p in in_project.values() if p.female),
            "pesel_empty_rows": EMPTY_PESEL,
            "pesel_invalid_rows": INVALID_PESEL,
        },
    )
    return output, file_rows
