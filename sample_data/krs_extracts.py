"""KRS extracts in the shape of the public KRS API: one JSON file per entity in the KRS.

An entity still in the register gets its current extract (`odpis_aktualny_<KRS>.json`, header
`naglowekA`); one struck off gets its full extract (`odpis_pelny_<KRS>.json`, header `naglowekP`
with the list of entries ending in the striking off), because the API answers 204 to the current
extract of a struck-off entity. Field names, nesting and value styles follow the real responses
in data/reference/krs/: UPPER CASE names, `dd.mm.yyyy` dates, 10-digit KRS numbers, and REGON
written with 14 digits (a 9-digit REGON padded with `00000`, as the real extract shows).

The shapes the real API has and the bundled sample must show too (issue 15;
tests/test_sample_data.py compares every path written with the real responses):
- a full extract's header holds only `rejestr`, `numerKRS`, `dataCzasOdpisu`, `stanZDnia`,
  `wpis` and `stanPozycji` (no `dataRejestracjiWKRS`: entry 1 is the registration), each entry
  with the court and, once final, `dataUprawomocnienia`;
- a struck-off entity's full extract often has no data at all (`"dane": {}`);
- PKD codes are often written at group level (`kodKlasa` "1", `kodPodklasa` "": 56.1);
- a few entities the catalogue places in the region have their KRS seat in another voivodeship
  (moved away, or a catalogue row with the wrong number): the KRS seat counts, so the pipeline
  leaves them out and reports them.
Those choices draw from their own random stream, so the rest of each extract stays as it was.
"""

import json
import random
from datetime import date, timedelta
from pathlib import Path

from sample_data import names
from sample_data.draw import part_rng, random_date
from sample_data.entities import Entity, Pkd
from sample_data.truth import SourceOutput, SourceRow

FOLDER = "krs"
SOURCE = "krs"
COURT = "SĄD REJONOWY W OLSZTYNIE, VIII WYDZIAŁ GOSPODARCZY KRAJOWEGO REJESTRU SĄDOWEGO"
CASE_PREFIX = "OL.VIII NS-REJ.KRS"
REGISTRATION = "REJESTRACJA W KRAJOWYM REJESTRZE SĄDOWYM"
CHANGE = "ZMIANA DANYCH W REJESTRZE"
STRUCK_OFF = "WYKREŚLENIE Z KRAJOWEGO REJESTRU SĄDOWEGO"
LEGAL_FORMS = {
    "stowarzyszenie": "STOWARZYSZENIE",
    "fundacja": "FUNDACJA",
    "spółdzielnia socjalna": "SPÓŁDZIELNIA",
}
#: Share of extracts without a REGON (the real extract of a foundation in the reference lacks it).
REGON_MISSING_SHARE = 0.08
#: Share of struck-off entities whose full extract comes with an empty `dane`.
EMPTY_DATA_SHARE = 0.3
#: Share of PKD codes written at group level (division and one digit of the class).
GROUP_LEVEL_SHARE = 0.2
#: How many NGOs with a current extract have their KRS seat outside the region.
SEATS_OUTSIDE_REGION = 6
#: Real seats in other voivodeships (UPPER CASE, as the API writes them).
OTHER_SEATS = (
    ("MAZOWIECKIE", "WARSZAWSKI ZACHODNI", "ŁOMIANKI", "ŁOMIANKI"),
    ("POMORSKIE", "KWIDZYŃSKI", "KWIDZYN", "KWIDZYN"),
    ("PODLASKIE", "AUGUSTOWSKI", "AUGUSTÓW", "AUGUSTÓW"),
    ("KUJAWSKO-POMORSKIE", "BRODNICKI", "BRODNICA", "BRODNICA"),
)
REPRESENTATION = ("DO SKŁADANIA OŚWIADCZEŃ WOLI W IMIENIU PODMIOTU UPRAWNIONYCH JEST DWÓCH "
                  "CZŁONKÓW ZARZĄDU DZIAŁAJĄCYCH ŁĄCZNIE.")


def _pl(day: date) -> str:
    return day.strftime("%d.%m.%Y")


def _entries(rng: random.Random, entity: Entity, as_of: date,
             shapes: random.Random) -> list[dict[str, object]]:
    """The register entries: registration, some changes, and the striking off if closed; an
    entry is final (`dataUprawomocnienia`) two to six weeks after it was made, if by `as_of`."""
    registered = entity.krs_registered
    last = (entity.end or as_of) - timedelta(days=1)
    years = (last - registered).days // 365
    changes = sorted(random_date(rng, registered + timedelta(days=1), last)
                     for _ in range(rng.randint(0, years // 2 + 1))) if last > registered else []
    dated = [(REGISTRATION, registered), *((CHANGE, d) for d in changes)]
    if entity.end is not None:
        dated.append((STRUCK_OFF, entity.end))
    entries = [
        {
            "numerWpisu": number,
            "opis": description,
            "dataWpisu": _pl(day),
            "sygnaturaAktSprawyDotyczacejWpisu": (f"{CASE_PREFIX}/{rng.randint(1000, 29999)}/"
                                                  f"{day.year % 100:02d}/{rng.randint(1, 999)}"),
            "oznaczenieSaduDokonujacegoWpisu": COURT,
        }
        for number, (description, day) in enumerate(dated, start=1)
    ]
    for entry, (_, day) in zip(entries, dated, strict=True):
        final = day + timedelta(days=shapes.randint(14, 42))
        if final <= as_of:
            entry["dataUprawomocnienia"] = _pl(final)
    return entries


def _identifiers(rng: random.Random, entity: Entity) -> dict[str, str]:
    ids = {}
    if rng.random() >= REGON_MISSING_SHARE:
        ids["regon"] = entity.regon + "00000"
    if entity.nip is not None:
        ids["nip"] = entity.nip
    return ids


def _seat(entity: Entity, region: str, elsewhere: tuple[str, ...] | None) -> dict[str, str]:
    """The seat: the entity's gmina in the region, or `elsewhere` (voivodeship, powiat, gmina,
    town) for one whose KRS seat is outside it."""
    gmina = entity.gmina
    voivodeship, powiat, gmina_name, town = elsewhere or (
        region.upper(), gmina.powiat.name.upper(), gmina.name.upper(), entity.town.upper())
    return {"kraj": "POLSKA", "wojewodztwo": voivodeship, "powiat": powiat, "gmina": gmina_name,
            "miejscowosc": town}


def _address(entity: Entity, town: str) -> dict[str, str]:
    address = {"ulica": f"UL. {entity.street}"} if entity.street else {}
    return {**address, "nrDomu": entity.house_no, "miejscowosc": town,
            "kodPocztowy": entity.postcode, "poczta": town, "kraj": "POLSKA"}


def _masked(word: str) -> str:
    return word[0] + "*" * (len(word) - 1)


def _board(rng: random.Random) -> list[dict[str, object]]:
    """Board members as the API shows them: names and PESEL masked but for the first letter."""
    members = []
    for position, role in enumerate(("PREZES ZARZĄDU", "WICEPREZES ZARZĄDU", "CZŁONEK ZARZĄDU")):
        if position and rng.random() < 0.4:
            break
        female = rng.random() < 0.5
        first = rng.choice(names.FEMALE_FIRST_NAMES if female else names.MALE_FIRST_NAMES)
        last = names.surname(rng.choice(names.SURNAMES), female)
        members.append({
            "nazwisko": {"nazwiskoICzlon": _masked(last.upper())},
            "imiona": {"imie": _masked(first.upper())},
            "identyfikator": {"pesel": rng.choice("5678") + "*" * 10},
            "funkcjaWOrganie": role,
        })
    return members


def _pkd(items: list[Pkd], shapes: random.Random) -> list[dict[str, str]]:
    """PKD codes as the register writes them: some at group level (`56.1`: one digit of the
    class, no subclass), the others as subclasses."""
    written = []
    for o, d, k, p in items:
        group_level = shapes.random() < GROUP_LEVEL_SHARE
        written.append({"opis": o, "kodDzial": d, "kodKlasa": k[0] if group_level else k,
                        "kodPodklasa": "" if group_level else p})
    return written


def _activity(rng: random.Random, entity: Entity, shapes: random.Random) -> dict[str, object]:
    """Section 3 of the current extract: PKD for a cooperative, purpose (and OPP PKD) for an NGO."""
    if entity.register == "P":
        return {"przedmiotDzialalnosci": {
            "przedmiotPrzewazajacejDzialalnosci": _pkd(entity.pkd_main, shapes),
            "przedmiotPozostalejDzialalnosci": _pkd(entity.pkd_other, shapes),
        }}
    section: dict[str, object] = {
        "celDzialaniaOrganizacji": {"celDzialania": rng.choice(names.PURPOSES)}}
    if entity.opp:
        section["przedmiotDzialalnosciOPP"] = {
            "odplatnyPkd": _pkd(entity.opp_paid_pkd, shapes),
            "nieodplatnyPkd": _pkd(entity.opp_free_pkd, shapes),
        }
    return section


def _previous_register(entity: Entity) -> dict[str, str]:
    if entity.previous_register_no is None:
        return {}
    register = "REJESTR FUNDACJI" if entity.kind == "fundacja" else "REJESTR STOWARZYSZEŃ"
    return {"nazwaPoprzedniegoRejestru": register,
            "numerWPoprzednimRejestrze": entity.previous_register_no,
            "sadProwadzacyRejestr": "SĄD WOJEWÓDZKI W OLSZTYNIE"}


def _header(entity: Entity, entries: list[dict[str, object]], downloaded: str) -> dict:
    """The current extract's header (`naglowekA`)."""
    last = entries[-1]
    return {
        "rejestr": f"Rej{entity.register}",
        "numerKRS": entity.krs,
        "dataCzasOdpisu": downloaded,
        "stanZDnia": last["dataWpisu"],
        "dataRejestracjiWKRS": _pl(entity.krs_registered),
        "numerOstatniegoWpisu": last["numerWpisu"],
        "dataOstatniegoWpisu": last["dataWpisu"],
        "sygnaturaAktSprawyDotyczacejOstatniegoWpisu": last["sygnaturaAktSprawyDotyczacejWpisu"],
        "oznaczenieSaduDokonujacegoOstatniegoWpisu": COURT,
    }


def current_extract(rng: random.Random, entity: Entity, region: str, as_of: date,
                    downloaded: str, shapes: random.Random,
                    elsewhere: tuple[str, ...] | None = None) -> dict:
    """The body of `OdpisAktualny` for an entity in the register (seated `elsewhere`, if
    given, outside the region)."""
    entries = _entries(rng, entity, as_of, shapes)
    seat = _seat(entity, region, elsewhere)
    subject: dict[str, object] = {
        "formaPrawna": LEGAL_FORMS[entity.kind],
        "identyfikatory": _identifiers(rng, entity),
        "nazwa": entity.name.upper(),
        "daneOWczesniejszejRejestracji": _previous_register(entity),
    }
    if entity.register == "P":
        subject["czyProwadziDzialalnoscZInnymiPodmiotami"] = False
    subject["czyPosiadaStatusOPP"] = entity.opp
    board = "ZARZĄD FUNDACJI" if entity.kind == "fundacja" else "ZARZĄD"
    return {"odpis": {
        "rodzaj": "Aktualny",
        "naglowekA": {**_header(entity, entries, downloaded), "stanPozycji": 1},
        "dane": {
            "dzial1": {
                "danePodmiotu": subject,
                "siedzibaIAdres": {"siedziba": seat,
                                   "adres": _address(entity, seat["miejscowosc"])},
                "umowaStatut": {"informacjaOZawarciuZmianieUmowyStatutu": [
                    {"zawarcieZmianaUmowyStatutu": "[REDACTED]"}
                    for _ in range(rng.randint(1, 4))]},
                "pozostaleInformacje": {"czasNaJakiUtworzonyZostalPodmiot": "NIEOZNACZONY"},
            },
            "dzial2": {"reprezentacja": {"nazwaOrganu": board,
                                         "sposobReprezentacji": REPRESENTATION,
                                         "sklad": _board(rng)}},
            "dzial3": _activity(rng, entity, shapes),
            "dzial4": {},
            "dzial5": {},
            "dzial6": {},
        },
    }}


def _versioned(key: str, value: object) -> list[dict[str, object]]:
    """A value of the full extract: the list of its versions, here the one from entry 1."""
    return [{key: value, "nrWpisuWprow": "1"}]


def _versioned_pkd(items: list[Pkd], shapes: random.Random) -> list[dict[str, object]]:
    return ([{"pozycja": [{**p, "nrWpisuWprow": "1"} for p in _pkd(items, shapes)]}]
            if items else [])


def full_extract(rng: random.Random, entity: Entity, region: str, as_of: date,
                 downloaded: str, shapes: random.Random) -> dict:
    """The body of `OdpisPelny` for an entity struck off: every value a list of its versions,
    or no data at all (`dane` empty) as the API often gives for a struck-off entity."""
    entries = _entries(rng, entity, as_of, shapes)
    header = {"rejestr": f"Rej{entity.register}", "numerKRS": entity.krs,
              "dataCzasOdpisu": downloaded, "stanZDnia": entries[-1]["dataWpisu"],
              "wpis": entries, "stanPozycji": 1}
    if shapes.random() < EMPTY_DATA_SHARE:
        return {"odpis": {"rodzaj": "Pełny", "naglowekP": header, "dane": {}}}
    subject = {
        "formaPrawna": _versioned("formaPrawna", LEGAL_FORMS[entity.kind]),
        "identyfikatory": _versioned("identyfikatory", _identifiers(rng, entity)),
        "nazwa": _versioned("nazwa", entity.name.upper()),
        "czyPosiadaStatusOPP": _versioned("czyPosiadaStatusOPP", entity.opp),
    }
    if entity.register == "P":
        activity: dict[str, object] = {"przedmiotDzialalnosci": {
            "przedmiotPrzewazajacejDzialalnosci": _versioned_pkd(entity.pkd_main, shapes),
            "przedmiotPozostalejDzialalnosci": _versioned_pkd(entity.pkd_other, shapes),
        }}
    else:
        activity = {"celDzialaniaOrganizacji": {
            "celDzialania": _versioned("celDzialania", rng.choice(names.PURPOSES))}}
        if entity.opp:
            activity["przedmiotDzialalnosciOPP"] = {
                "odplatnyPkd": _versioned_pkd(entity.opp_paid_pkd, shapes),
                "nieodplatnyPkd": _versioned_pkd(entity.opp_free_pkd, shapes),
            }
    return {"odpis": {
        "rodzaj": "Pełny",
        "naglowekP": header,
        "dane": {
            "dzial1": {
                "danePodmiotu": subject,
                "siedzibaIAdres": {
                    "siedziba": [{**_seat(entity, region, None), "nrWpisuWprow": "1"}],
                    "adres": [{**_address(entity, entity.town.upper()), "nrWpisuWprow": "1"}],
                },
            },
            "dzial2": {"reprezentacja": {
                "nazwaOrganu": _versioned("nazwaOrganu",
                                          "ZARZĄD FUNDACJI" if entity.kind == "fundacja"
                                          else "ZARZĄD")}},
            "dzial3": activity,
            "dzial4": {},
            "dzial5": {},
            "dzial6": {},
        },
    }}


def write_extracts(seed: int, entities: list[Entity], region: str, out_dir: Path,
                   as_of: date) -> SourceOutput:
    """Writes one extract per entity with a KRS number, as downloaded on the as-of night."""
    rng, shapes = part_rng(seed, "krs"), part_rng(seed, "krs-shapes")
    folder = out_dir / FOLDER
    folder.mkdir(parents=True, exist_ok=True)
    output = SourceOutput()
    current = full = 0
    ngos_in_register = sorted((e for e in entities if e.krs is not None and e.end is None
                               and e.register == "S"), key=lambda e: e.krs)
    elsewhere = [seat for seat in OTHER_SEATS if seat[0] != region.upper()]
    moved = {e.krs: shapes.choice(elsewhere)
             for e in shapes.sample(ngos_in_register, SEATS_OUTSIDE_REGION)}
    for entity in entities:
        if entity.krs is None:
            continue
        downloaded = (f"{_pl(as_of)} {rng.randint(1, 5):02d}:{rng.randint(0, 59):02d}:"
                      f"{rng.randint(0, 59):02d}")
        if entity.end is None:
            body = current_extract(rng, entity, region, as_of, downloaded, shapes,
                                   moved.get(entity.krs))
            relative = f"{FOLDER}/odpis_aktualny_{entity.krs}.json"
            current += 1
        else:
            body = full_extract(rng, entity, region, as_of, downloaded, shapes)
            relative = f"{FOLDER}/odpis_pelny_{entity.krs}.json"
            full += 1
        (out_dir / relative).write_text(json.dumps(body, ensure_ascii=False, indent=1),
                                        encoding="utf-8")
        output.files.append(relative)
        output.source_rows.append(SourceRow(SOURCE, relative, 1, entity.entity_id))
    output.rows = len(output.files)
    output.figures = {"krs_current_extracts": current, "krs_full_extracts_struck_off": full,
                      "krs_seats_outside_region": len(moved),
                      "krs_seats_outside_region_numbers": sorted(moved)}
    return output
