"""The ground truth: the synthetic population of the region's PES, one object per real entity.

Every file of the sample is written from this population, each source seeing it its own way;
`_truth/entities.csv` keeps it, so that a benchmark can tell how well the pipeline put the
pieces back together (entity resolution, active counts over time).
"""

import random
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta

from sample_data import names
from sample_data.draw import part_rng, random_date
from sample_data.identifiers import new_nip, new_regon9, new_regon14
from sample_data.territory import Gmina, Territory

#: How many entities of each type (the `Typ PES` values) the sample holds: the order of
#: magnitude of the real region. Fixed, so the documented figures hold for every seed. The
#: rural housewives' circles (KGW) are drawn apart, after the rest (sample_data/kgw_register.py).
TYPE_COUNTS = {
    "stowarzyszenie": 2100,
    "fundacja": 900,
    "spółdzielnia socjalna": 100,
    "CIS": 15,
    "KIS": 20,
    "ZAZ": 10,
    "WTZ": 40,
    "KGW": 240,
}
NGO_TYPES = ("stowarzyszenie", "fundacja")
KRS_TYPES = (*NGO_TYPES, "spółdzielnia socjalna")
UNIT_TYPES = ("CIS", "KIS", "ZAZ", "WTZ")

#: How many entities of each type closed (struck off the KRS for KRS entities) since 2016.
CLOSED_COUNTS = {
    "stowarzyszenie": 380,
    "fundacja": 135,
    "spółdzielnia socjalna": 28,
    "CIS": 1,
    "KIS": 2,
    "ZAZ": 0,
    "WTZ": 1,
    "KGW": 12,
}

#: Closures happen from here on: the catalogue holds what was known when monitoring began.
MONITORING_START = date(2016, 1, 1)

#: Share of NGOs founded before the KRS (2001) and moved into it from an older register.
PRE_KRS_SHARE = 0.08
#: Share of NGOs at least two years in the KRS that hold public-benefit (OPP) status.
OPP_SHARE = 0.12
#: Share of NGOs without a NIP anywhere (small associations that never applied for one).
NO_NIP_SHARE = 0.02
#: Share of units run by an NGO rather than by a gmina.
UNIT_RUN_BY_NGO = {"CIS": 0.4, "KIS": 0.3, "ZAZ": 0.6, "WTZ": 0.7}
#: Years in which units of each type were founded.
UNIT_YEARS = {"CIS": (2005, 2023), "KIS": (2008, 2025), "ZAZ": (1999, 2024), "WTZ": (1993, 2022)}

#: KRS numbers grow with the date of registration: (date, approximate next number).
KRS_GROWTH = (
    (date(2001, 1, 1), 1), (date(2002, 1, 1), 80_000), (date(2004, 1, 1), 190_000),
    (date(2008, 1, 1), 300_000), (date(2012, 1, 1), 420_000), (date(2016, 1, 1), 595_000),
    (date(2020, 1, 1), 820_000), (date(2023, 1, 1), 1_010_000), (date(2026, 10, 31), 1_275_000),
)

#: First digits of the postcodes of each powiat (TERC name): addresses look local.
POSTCODE_PREFIXES = {
    "Olsztyn": "10-", "olsztyński": "11-0", "bartoszycki": "11-2", "braniewski": "14-5",
    "działdowski": "13-2", "elbląski": "82-3", "Elbląg": "82-3", "ełcki": "19-3",
    "giżycki": "11-5", "gołdapski": "19-5", "iławski": "14-2", "kętrzyński": "11-4",
    "lidzbarski": "11-1", "mrągowski": "11-7", "nidzicki": "13-1", "nowomiejski": "13-3",
    "olecki": "19-4", "ostródzki": "14-1", "piski": "12-2", "szczycieński": "12-1",
    "węgorzewski": "11-6",
}

#: The first digit of the postcodes of each voivodeship, for regions other than 28.
REGION_POSTCODE_DIGIT = {"02": "5", "04": "8", "06": "2", "08": "6", "10": "9", "12": "3",
                         "14": "0", "16": "4", "18": "3", "20": "1", "22": "8", "24": "4",
                         "26": "2", "28": "1", "30": "6", "32": "7"}

Pkd = tuple[str, str, str, str]


@dataclass(slots=True, eq=False)
class Entity:
    """One real-world PES. `start`/`end` bound its activity; `end` is None while active."""

    entity_id: str
    kind: str
    name: str
    gmina: Gmina
    start: date
    regon: str
    end: date | None = None
    krs: str | None = None
    krs_registered: date | None = None
    previous_register_no: str | None = None
    nip: str | None = None
    opp: bool = False
    founder: "Entity | None" = None
    founder_gmina: Gmina | None = None
    street: str | None = None
    house_no: str = ""
    postcode: str = ""
    pkd_main: list[Pkd] = field(default_factory=list)
    pkd_other: list[Pkd] = field(default_factory=list)
    opp_paid_pkd: list[Pkd] = field(default_factory=list)
    opp_free_pkd: list[Pkd] = field(default_factory=list)

    @property
    def town(self) -> str:
        """The town of the seat: the gmina's seat, named as the gmina (no SIMC list is bundled)."""
        return self.gmina.name

    @property
    def register(self) -> str | None:
        """The KRS register: `S` for NGOs, `P` for cooperatives, None for units."""
        if self.kind in NGO_TYPES:
            return "S"
        return "P" if self.kind == "spółdzielnia socjalna" else None

    def active_on(self, day: date) -> bool:
        """Active on `day`: started on or before it and not closed on or before it."""
        return self.start <= day and (self.end is None or day < self.end)


def _of_gmina(gmina: Gmina) -> str:
    return f"Miasta {gmina.name}" if gmina.kind == 1 else f"Gminy {gmina.name}"


def _ngo_name(rng: random.Random, kind: str, gmina: Gmina) -> str:
    word = rng.choice(names.WORDS)
    draw = rng.random()
    region = (f"Miasta {gmina.name}" if gmina.powiat.is_city
              else f"Ziemi {gmina.powiat.land_genitive}")
    if kind == "fundacja":
        if draw < 0.55:
            return f"{rng.choice(names.FOUNDATION_PREFIXES)} „{word}”"
        if draw < 0.75:
            return f"Fundacja {word}"
        if draw < 0.9:
            return f"Fundacja Rozwoju {_of_gmina(gmina)}"
        return f"Fundacja „{word}” {region}"
    if draw < 0.45:
        return f"{rng.choice(names.ASSOCIATION_PREFIXES)} „{word}”"
    if draw < 0.7:
        return f"{rng.choice(names.CLUB_PREFIXES)} „{word}” {gmina.name}"
    if draw < 0.8:
        return f"Stowarzyszenie na rzecz Rozwoju {_of_gmina(gmina)}"
    if draw < 0.88:
        return f"Towarzystwo Przyjaciół {region}"
    return f"Stowarzyszenie „{word}” {gmina.name}"


def _unique(used: set[str], candidates: Iterable[str]) -> str:
    """The first unused candidate; names repeat in real life too, but a unique name keeps the
    ground truth readable. When all are used a number makes the last one unique."""
    candidate = ""
    for candidate in candidates:
        if candidate not in used:
            used.add(candidate)
            return candidate
    number = 2
    while f"{candidate} {number}" in used:
        number += 1
    used.add(f"{candidate} {number}")
    return f"{candidate} {number}"


def _registration_year(rng: random.Random, kind: str, as_of: date) -> int:
    if kind == "spółdzielnia socjalna":
        years = range(2006, as_of.year + 1)
        weights = [2 if y < 2010 else 6 if y < 2016 else 8 if y <= 2020 else 4 for y in years]
    else:
        years = range(2001, as_of.year + 1)
        weights = [3 if y < 2010 else 4 if y < 2015 else 5 for y in years]
    weights[-1] *= as_of.timetuple().tm_yday / 366
    return rng.choices(years, weights)[0]


def _address(rng: random.Random, entity: Entity) -> None:
    gmina = entity.gmina
    if gmina.kind != 2 or rng.random() < 0.3:
        entity.street = rng.choice(names.STREETS)
    entity.house_no = str(rng.randint(1, 120)) + ("" if rng.random() < 0.85 else rng.choice("ABC"))
    prefix = POSTCODE_PREFIXES.get(gmina.powiat.name) if gmina.code.startswith("28") else None
    prefix = prefix or f"{REGION_POSTCODE_DIGIT.get(gmina.code[:2], '1')}0-"
    digits = 6 - len(prefix)
    entity.postcode = prefix + "".join(str(rng.randrange(10)) for _ in range(digits))


def _krs_number(registered: date) -> int:
    for (day0, number0), (day1, number1) in zip(KRS_GROWTH, KRS_GROWTH[1:], strict=False):
        if registered < day1:
            share = (registered - day0).days / (day1 - day0).days
            return int(number0 + share * (number1 - number0))
    return KRS_GROWTH[-1][1]


class _Builder:
    """Draws the population; holds the identifiers already given so none repeats."""

    def __init__(self, seed: int, territory: Territory, as_of: date) -> None:
        self.rng = part_rng(seed, "entities")
        self.territory = territory
        self.as_of = as_of
        self.nips: set[str] = set()
        self.regons: set[str] = set()
        self.names: set[str] = set()
        self.gmina_regons: dict[str, str] = {}
        self.entities: list[Entity] = []

    def _new_id(self) -> str:
        return f"PES-{len(self.entities) + 1:05d}"

    def krs_entity(self, kind: str) -> Entity:
        rng = self.rng
        gmina = self.territory.draw_gmina(rng)
        year = _registration_year(rng, kind, self.as_of)
        registered = random_date(rng, date(year, 1, 1), min(date(year, 12, 31), self.as_of))
        start, previous = registered, None
        if kind in NGO_TYPES and rng.random() < PRE_KRS_SHARE:
            start = random_date(rng, date(1989, 6, 1), date(2000, 12, 31))
            registered = random_date(rng, date(2001, 3, 1), date(2004, 12, 31))
            previous = f"NR {rng.randint(1, 900)}"
        if kind == "spółdzielnia socjalna":
            word = rng.choice(names.WORDS)
            name = _unique(self.names, [f"Spółdzielnia Socjalna „{word}”",
                                        f"Spółdzielnia Socjalna „{word}” {gmina.name}"])
        else:
            name = _unique(self.names, (_ngo_name(rng, kind, gmina) for _ in range(50)))
        has_nip = kind not in NGO_TYPES or rng.random() >= NO_NIP_SHARE
        entity = Entity(
            entity_id=self._new_id(), kind=kind, name=name, gmina=gmina, start=start,
            regon=new_regon9(rng, self.regons), krs_registered=registered,
            previous_register_no=previous, nip=new_nip(rng, self.nips) if has_nip else None,
        )
        _address(rng, entity)
        if kind == "spółdzielnia socjalna":
            pkd = rng.sample(names.BUSINESS_PKD, rng.randint(3, 5))
            entity.pkd_main, entity.pkd_other = pkd[:1], pkd[1:]
        elif registered <= self.as_of - timedelta(days=730) and rng.random() < OPP_SHARE:
            entity.opp = True
            entity.opp_free_pkd = rng.sample(names.SOCIAL_PKD, rng.randint(1, 4))
            entity.opp_paid_pkd = rng.sample(names.SOCIAL_PKD, rng.randint(0, 2))
        self.entities.append(entity)
        return entity

    def unit(self, kind: str, ngos: list[Entity]) -> Entity:
        rng = self.rng
        first, last = UNIT_YEARS[kind]
        start = random_date(rng, date(first, 1, 1), min(date(last, 12, 31), self.as_of))
        gmina = self.territory.draw_gmina(rng)
        founder = None
        if rng.random() < UNIT_RUN_BY_NGO[kind]:
            usable = [n for n in ngos if n.end is None and n.start <= start]
            nearby = [n for n in usable if n.gmina.powiat is gmina.powiat]
            if nearby or usable:
                founder = rng.choice(nearby or usable)
                gmina = founder.gmina
        word = rng.choice(names.WORDS)
        full = names.UNIT_NAMES[kind]
        if founder is None:
            name = _unique(self.names, [f"{full} {_of_gmina(gmina)}", f"{full} „{word}”"])
            if gmina.code not in self.gmina_regons:
                self.gmina_regons[gmina.code] = new_regon9(rng, self.regons)
            base_regon = self.gmina_regons[gmina.code]
        else:
            name = _unique(self.names, [f"{full} „{word}”", f"{full} „{word}” {gmina.name}"])
            base_regon = founder.regon
        entity = Entity(
            entity_id=self._new_id(), kind=kind, name=name, gmina=gmina, start=start,
            regon=new_regon14(rng, base_regon, self.regons), founder=founder,
            founder_gmina=gmina if founder is None else None,
        )
        _address(rng, entity)
        self.entities.append(entity)
        return entity

    def close(self, members: list[Entity], count: int) -> None:
        """Closes `count` of `members`, each on a date after monitoring began."""
        latest_start = self.as_of - timedelta(days=400)
        eligible = [e for e in members if e.start <= latest_start
                    and (e.krs_registered or e.start) <= latest_start]
        for entity in self.rng.sample(eligible, count):
            earliest = max((entity.krs_registered or entity.start) + timedelta(days=365),
                           MONITORING_START)
            entity.end = random_date(self.rng, earliest, self.as_of - timedelta(days=1))

    def number_krs(self) -> None:
        """KRS numbers in the order of registration, so that they grow with time as real ones."""
        taken: set[int] = set()
        in_krs = sorted((e for e in self.entities if e.krs_registered is not None),
                        key=lambda e: (e.krs_registered, e.entity_id))
        for entity in in_krs:
            number = _krs_number(entity.krs_registered) + self.rng.randint(0, 2500)
            while number in taken:
                number += 1
            taken.add(number)
            entity.krs = f"{number:010d}"


def scaled_count(count: int, scale: float) -> int:
    """`count` entities at `scale` (1.0: the documented figures), rounded half to even."""
    return round(count * scale)


def build_entities(seed: int, territory: Territory, as_of: date,
                   scale: float = 1.0) -> list[Entity]:
    """The whole population: NGOs, social cooperatives, then units (each run by an active NGO
    or by a gmina), with closures and KRS numbers; ids `PES-00001`... in that order.

    `scale` multiplies the counts of `TYPE_COUNTS` and `CLOSED_COUNTS` (a benchmark's bigger or
    smaller region); at 1.0 the draws, and so the sample, are those documented."""
    builder = _Builder(seed, territory, as_of)
    ngos: list[Entity] = []
    for kind in KRS_TYPES:
        count = scaled_count(TYPE_COUNTS[kind], scale)
        members = [builder.krs_entity(kind) for _ in range(count)]
        builder.close(members, scaled_count(CLOSED_COUNTS[kind], scale))
        if kind in NGO_TYPES:
            ngos += members
    for kind in UNIT_TYPES:
        count = scaled_count(TYPE_COUNTS[kind], scale)
        units = [builder.unit(kind, ngos) for _ in range(count)]
        builder.close(units, scaled_count(CLOSED_COUNTS[kind], scale))
    builder.number_krs()
    return builder.entities
