"""KRS extracts in the shape of the public KRS API: one JSON file per entity in the KRS.

An entity still in the register gets its current extract (`odpis_aktualny_<KRS>.json`, header
`naglowekA`); one struck off gets its full extract (`odpis_pelny_<KRS>.json`, header `naglowekP`
with the list of entries ending in the striking off), because the API answers 204 to the current
extract of a struck-off entity. Field names, nesting and value styles follow the real responses
in data/reference/krs/: UPPER CASE names, `dd.mm.yyyy` dates, 10-digit KRS numbers, and REGON
written with 14 digits (a 9-digit REGON padded with `00000`, as the real extract shows).
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
REPRESENTATION = ("DO SKŁADANIA OŚWIADCZEŃ WOLI W IMIENIU PODMIOTU UPRAWNIONYCH JEST DWÓCH "
                  "CZŁONKÓW ZARZĄDU DZIAŁAJĄCYCH ŁĄCZNIE.")


def _pl(day: date) -> str:
    return day.strftime("%d.%m.%Y")


def _entries(rng: random.Random, entity: Entity, as_of: date) -> list[dict[str, object]]:
    """The register entries: registration, some changes, and the striking off if closed."""
    registered = entity.krs_registered
    last = (entity.end or as_of) - timedelta(days=1)
    years = (last - registered).days // 365
    changes = sorted(random_date(rng, registered + timedelta(days=1), last)
                     for _ in range(rng.randint(0, years // 2 + 1))) if last > registered else []
    dated = [(REGISTRATION, registered), *((CHANGE, d) for d in changes)]
    if entity.end is not None:
        dated.append((STRUCK_OFF, entity.end))
    return [
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


def _identifiers(rng: random.Random, entity: Entity) -> dict[str, str]:
    ids = {}
    if rng.random() >= REGON_MISSING_SHARE:
        ids["regon"] = entity.regon + "00000"
    if entity.nip is not None:
        ids["nip"] = entity.nip
    return ids


def _seat(entity: Entity, region: str) -> dict[str, str]:
    gmina = entity.gmina
    return {
        "kraj": "POLSKA",
        "wojewodztwo": region.upper(),
        "powiat": gmina.powiat.name.upper(),
        "gmina": gmina.name.upper(),
        "miejscowosc": entity.town.upper(),
    }


def _address(entity: Entity) -> dict[str, str]:
    address = {"ulica": f"UL. {entity.street}"} if entity.street else {}
    return {**address, "nrDomu": entity.house_no, "miejscowosc": entity.town.upper(),
            "kodPocztowy": entity.postcode, "poczta": entity.town.upper(), "kraj": "POLSKA"}


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


def _pkd(items: list[Pkd]) -> list[dict[str, str]]:
    return [{"opis": o, "kodDzial": d, "kodKlasa": k, "kodPodklasa": p} for o, d, k, p in items]


def _activity(rng: random.Random, entity: Entity) -> dict[str, object]:
    """Section 3 of the current extract: PKD for a cooperative, purpose (and OPP PKD) for an NGO."""
    if entity.register == "P":
        return {"przedmiotDzialalnosci": {
            "przedmiotPrzewazajacejDzialalnosci": _pkd(entity.pkd_main),
            "przedmiotPozostalejDzialalnosci": _pkd(entity.pkd_other),
        }}
    section: dict[str, object] = {
        "celDzialaniaOrganizacji": {"celDzialania": rng.choice(names.PURPOSES)}}
    if entity.opp:
        section["przedmiotDzialalnosciOPP"] = {
            "odplatnyPkd": _pkd(entity.opp_paid_pkd),
            "nieodplatnyPkd": _pkd(entity.opp_free_pkd),
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
                    downloaded: str) -> dict:
    """The body of `OdpisAktualny` for an entity in the register."""
    entries = _entries(rng, entity, as_of)
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
                "siedzibaIAdres": {"siedziba": _seat(entity, region),
                                   "adres": _address(entity)},
                "umowaStatut": {"informacjaOZawarciuZmianieUmowyStatutu": [
                    {"zawarcieZmianaUmowyStatutu": "[REDACTED]"}
                    for _ in range(rng.randint(1, 4))]},
                "pozostaleInformacje": {"czasNaJakiUtworzonyZostalPodmiot": "NIEOZNACZONY"},
            },
            "dzial2": {"reprezentacja": {"nazwaOrganu": board,
                                         "sposobReprezentacji": REPRESENTATION,
                                         "sklad": _board(rng)}},
            "dzial3": _activity(rng, entity),
            "dzial4": {},
            "dzial5": {},
            "dzial6": {},
        },
    }}


def _versioned(key: str, value: object) -> list[dict[str, object]]:
    """A value of the full extract: the list of its versions, here the one from entry 1."""
    return [{key: value, "nrWpisuWprow": "1"}]


def _versioned_pkd(items: list[Pkd]) -> list[dict[str, object]]:
    return [{"pozycja": [{**p, "nrWpisuWprow": "1"} for p in _pkd(items)]}] if items else []


def full_extract(rng: random.Random, entity: Entity, region: str, as_of: date,
                 downloaded: str) -> dict:
    """The body of `OdpisPelny` for an entity struck off: every value a list of its versions."""
    entries = _entries(rng, entity, as_of)
    subject = {
        "formaPrawna": _versioned("formaPrawna", LEGAL_FORMS[entity.kind]),
        "identyfikatory": _versioned("identyfikatory", _identifiers(rng, entity)),
        "nazwa": _versioned("nazwa", entity.name.upper()),
        "czyPosiadaStatusOPP": _versioned("czyPosiadaStatusOPP", entity.opp),
    }
    if entity.register == "P":
        activity: dict[str, object] = {"przedmiotDzialalnosci": {
            "przedmiotPrzewazajacejDzialalnosci": _versioned_pkd(entity.pkd_main),
            "przedmiotPozostalejDzialalnosci": _versioned_pkd(entity.pkd_other),
        }}
    else:
        activity = {"celDzialaniaOrganizacji": {
            "celDzialania": _versioned("celDzialania", rng.choice(names.PURPOSES))}}
        if entity.opp:
            activity["przedmiotDzialalnosciOPP"] = {
                "odplatnyPkd": _versioned_pkd(entity.opp_paid_pkd),
                "nieodplatnyPkd": _versioned_pkd(entity.opp_free_pkd),
            }
    return {"odpis": {
        "rodzaj": "Pełny",
        "naglowekP": {**_header(entity, entries, downloaded), "wpis": entries},
        "dane": {
            "dzial1": {
                "danePodmiotu": subject,
                "siedzibaIAdres": {
                    "siedziba": [{**_seat(entity, region), "nrWpisuWprow": "1"}],
                    "adres": [{**_address(entity), "nrWpisuWprow": "1"}],
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
    rng = part_rng(seed, "krs")
    folder = out_dir / FOLDER
    folder.mkdir(parents=True, exist_ok=True)
    output = SourceOutput()
    current = full = 0
    for entity in entities:
        if entity.krs is None:
            continue
        downloaded = (f"{_pl(as_of)} {rng.randint(1, 5):02d}:{rng.randint(0, 59):02d}:"
                      f"{rng.randint(0, 59):02d}")
        if entity.end is None:
            body = current_extract(rng, entity, region, as_of, downloaded)
            relative = f"{FOLDER}/odpis_aktualny_{entity.krs}.json"
            current += 1
        else:
            body = full_extract(rng, entity, region, as_of, downloaded)
            relative = f"{FOLDER}/odpis_pelny_{entity.krs}.json"
            full += 1
        (out_dir / relative).write_text(json.dumps(body, ensure_ascii=False, indent=1),
                                        encoding="utf-8")
        output.files.append(relative)
        output.source_rows.append(SourceRow(SOURCE, relative, 1, entity.entity_id))
    output.rows = len(output.files)
    output.figures = {"krs_current_extracts": current, "krs_full_extracts_struck_off": full}
    return output
