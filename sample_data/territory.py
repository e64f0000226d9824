"""The region's real powiats and gminas (TERYT TERC) and where entities are placed.

Entities sit in real gminas so that a reader's TERYT matching is tested on real names (the same
name for an urban and a rural gmina included); the number of entities per powiat follows the
powiat's population, so per-10 000-inhabitant indicators come out in a realistic range.
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

    def __init__(self, name: str, powiats: list[Powiat], gminas: list[Gmina]) -> None:
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


def load_territory(teryt_csv: Path, population_csv: Path) -> Territory:
    """Powiats and gminas (kinds 1-3) from a TERC file, with population per powiat.

    Raises ValueError when a powiat has no population row: a silent default weight would skew
    the whole sample without anyone noticing.
    """
    population = _read_population(population_csv)
    with teryt_csv.open(encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.DictReader(handle, delimiter=";"))
    region = next(r for r in rows if not r["POW"])
    powiats: dict[str, Powiat] = {}
    missing = []
    for row in rows:
        if row["POW"] and not row["GMI"]:
            is_city = row["NAZWA_DOD"] == "miasto na prawach powiatu"
            key = _population_key(row["NAZWA"], is_city)
            if key not in population:
                missing.append(key)
                continue
            code = row["WOJ"] + row["POW"]
            powiats[code] = Powiat(code, row["NAZWA"], is_city, population[key])
    if missing:
        raise ValueError(f"no population for powiats {missing} in {population_csv}")
    gminas = [
        Gmina(row["WOJ"] + row["POW"] + row["GMI"] + row["RODZ"], row["NAZWA"], int(row["RODZ"]),
              powiats[row["WOJ"] + row["POW"]])
        for row in rows
        if row["RODZ"] in ("1", "2", "3")
    ]
    return Territory(region["NAZWA"], list(powiats.values()), gminas)
