"""The region's real powiats and gminas (TERYT TERC) and where entities are placed.

Entities sit in real gminas so that a reader's TERYT matching is tested on real names (the same
name for an urban and a rural gmina included); the number of entities per powiat follows the
powiat's population, so per-10 000-inhabitant indicators come out in a realistic range. A
region without a bundled population file (only region 28 has one) weighs each powiat by its
number of gminas instead.
"""

import csv
import itertools
import random
from dataclasses import dataclass
from pathlib import Path

from sample_data.spelling import ascii_fold

#: Within a powiat, how much more likely an urban (1) or urban-rural (3) gmina is to be the seat
#: of an entity than a rural one (2): no population per gmina is bundled, and NGOs gather in towns.
GMINA_KIND_WEIGHT = {1: 3.0, 2: 1.0, 3: 2.0}
#: The weight of one gmina where no population of its powiat is bundled.
PERSONS_PER_GMINA = 10_000

@dataclass(frozen=True)
class Powiat:
    """A powiat or a city with powiat rights (`is_city`), named as in TERC."""

    code: str
    name: str
    is_city: bool
    population: int

    @property
    def jst_name(self) -> str:
        """The name of the local government unit, e.g. `Powiat Olsztyński`, `Miasto Elbląg`."""
        return f"Miasto {self.name}" if self.is_city else f"Powiat {self.name.capitalize()}"

    @property
    def land_genitive(self) -> str:
        """`olsztyński` -> `Olsztyńskiej`, for names such as `Towarzystwo Ziemi Olsztyńskiej`."""
        return f"{self.name[:-1]}iej".capitalize()


@dataclass(frozen=True)
class Gmina:
    """A gmina: 7-digit TERC code (its last digit the kind: 1 urban, 2 rural, 3 urban-rural)."""

    code: str
    name: str
    kind: int
    powiat: Powiat

    @property
    def jst_name(self) -> str:
        """The name of the local government unit, e.g. `Gmina Miejska Bartoszyce`."""
        if self.kind == 1 and not self.powiat.is_city:
            return f"Gmina Miejska {self.name}"
        if self.powiat.is_city:
            return f"Miasto {self.name}"
        return f"Gmina {self.name}"


class Territory:
    """The powiats and gminas of one voivodeship, with a population-weighted draw of a gmina."""

    def __init__(self, code: str, name: str, powiats: list[Powiat], gminas: list[Gmina]) -> None:
        self.code = code
        self.name = name
        self.powiats = powiats
        self.gminas = gminas
        weights = []
        for powiat in powiats:
            own = [g for g in gminas if g.powiat is powiat]
            total = sum(GMINA_KIND_WEIGHT[g.kind] for g in own)
            weights += [powiat.population * GMINA_KIND_WEIGHT[g.kind] / total for g in own]
        self._drawable = [g for p in powiats for g in gminas if g.powiat is p]
        self._cum_weights = list(itertools.accumulate(weights))

    @property
    def name_pl(self) -> str:
        """`województwo pomorskie`: the region as a title names it."""
        return f"województwo {self.name.lower()}"

    def draw_gmina(self, rng: random.Random) -> Gmina:
        """A gmina, drawn with the weight of its powiat's population and of its kind."""
        return rng.choices(self._drawable, cum_weights=self._cum_weights)[0]

    def namesakes(self, gmina: Gmina) -> list[Gmina]:
        """The other gminas of the region with the same name (an urban and a rural Bartoszyce,
        two rural Świętajno in two powiats): a reader needs more than the name for these."""
        return [g for g in self.gminas if g.name == gmina.name and g is not gmina]


def _population_key(powiat_name: str, is_city: bool) -> str:
    folded = ascii_fold(powiat_name)
    return folded if is_city else f"powiat_{folded}"


def _read_population(population_csv: Path) -> dict[str, int]:
    with population_csv.open(encoding="utf-8-sig", newline="") as handle:
        rows = csv.DictReader(handle, delimiter=";")
        return {row["county_name"].strip(): int(row["numb_of_citizens"]) for row in rows}


def load_territory(teryt_csv: Path, region_code: str, population_csv: Path | None) -> Territory:
    """Powiats and gminas (kinds 1-3) of one region from a TERC file, with population per
    powiat (without a population file, PERSONS_PER_GMINA for each of its gminas).

    Raises ValueError when the file has no such region, or a powiat has no population row: a
    silent default weight would skew the whole sample without anyone noticing.
    """
    population = _read_population(population_csv) if population_csv else None
    with teryt_csv.open(encoding="utf-8-sig", newline="") as handle:
        rows = [r for r in csv.DictReader(handle, delimiter=";") if r["WOJ"] == region_code]
    if not rows:
        raise ValueError(f"no units of region {region_code!r} in {teryt_csv}")
    region = next(r for r in rows if not r["POW"])
    gmina_rows = [r for r in rows if r["RODZ"] in ("1", "2", "3")]
    powiats: dict[str, Powiat] = {}
    missing = []
    for row in rows:
        if row["POW"] and not row["GMI"]:
            is_city = row["NAZWA_DOD"] == "miasto na prawach powiatu"
            code = row["WOJ"] + row["POW"]
            if population is None:
                people = PERSONS_PER_GMINA * sum(1 for g in gmina_rows
                                                 if g["WOJ"] + g["POW"] == code)
            else:
                key = _population_key(row["NAZWA"], is_city)
                if key not in population:
                    missing.append(key)
                    continue
                people = population[key]
            powiats[code] = Powiat(code, row["NAZWA"], is_city, people)
    if missing:
        raise ValueError(f"no population for powiats {missing} in {population_csv}")
    gminas = [
        Gmina(row["WOJ"] + row["POW"] + row["GMI"] + row["RODZ"], row["NAZWA"], int(row["RODZ"]),
              powiats[row["WOJ"] + row["POW"]])
        for row in gmina_rows
    ]
    return Territory(region_code, region["NAZWA"], list(powiats.values()), gminas)
