"""Refresh of the bundled population file from the GUS Local Data Bank (BDL) API.

Nothing needs this to run: every refresh reads the bundled file (sources/population.py). When
a network is there, `refresh_population` asks the API for the total population of every powiat
and gmina for the years asked and writes them into the file, in its own shape.

BDL names its units with 12-character ids, not TERYT codes (data/reference/population/
SOURCES.md): the units listing (`/units?level=5|6`) is read first and each id is written with
its TERYT code to `bdl_units.csv`; the data (`/data/by-variable/<id>?unit-level=5|6`) are then
placed by looking their unit up in that table, so a unit the table lacks is refused, never
guessed. Both endpoints are paged (`page`, `page-size`, `totalRecords`). Timeouts, refused
connections and answers 429/5xx are retried a bounded number of times with backoff (urllib3's
Retry); when the API still fails, nothing is written and the bundled files stay as they were.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import pandas as pd
import requests
from requests.adapters import HTTPAdapter
from urllib3.util.retry import Retry

from sources.population import (
    BDL_UNITS_FILE,
    POPULATION_FILE,
    UNIT_COLUMNS,
    read_population_wide,
    write_population_wide,
)

#: The public API's base URL (a setting of the call; tests point it at 127.0.0.1).
BDL_BASE_URL = "https://bdl.stat.gov.pl/api/v1"
#: "Ludność" (total population, 31 December), as public scripts ask the API for it by powiat
#: and gmina; its BDL definition was not checked offline (population/SOURCES.md).
POPULATION_VARIABLE = "72305"
#: BDL unit levels: 5 powiat, 6 gmina (levels 0-4 are Poland and the NUTS regions).
LEVELS = {5: "powiat", 6: "gmina"}
PAGE_SIZE = 100
#: A guard against a server whose paging never ends: 3 000 gminas are 30 pages.
MAX_PAGES = 200
RETRIED_STATUSES = (429, 500, 502, 503, 504)
BDL_UNIT_COLUMNS = ["bdl_id", "teryt", "level", "name"]


class PopulationRefreshError(Exception):
    """The API could not give the population; the message says why, in Polish."""


@dataclass(frozen=True)
class BdlSettings:
    """Where the API is and how patiently to ask it (seconds)."""

    base_url: str = BDL_BASE_URL
    variable_id: str = POPULATION_VARIABLE
    timeout_s: float = 30.0
    attempts: int = 4
    backoff_s: float = 1.0
    page_size: int = PAGE_SIZE


@dataclass(frozen=True)
class PopulationRefresh:
    """What a refresh wrote: the years, the units with a value, the files."""

    years: tuple[int, ...]
    units: int
    population_file: Path
    units_file: Path


def bdl_session(settings: BdlSettings) -> requests.Session:
    """Return a session that retries faults and 429/5xx a bounded number of times."""
    retry = Retry(total=settings.attempts - 1, backoff_factor=settings.backoff_s,
                  status_forcelist=RETRIED_STATUSES, allowed_methods={"GET"},
                  respect_retry_after_header=True)
    session = requests.Session()
    session.mount("http://", HTTPAdapter(max_retries=retry))
    session.mount("https://", HTTPAdapter(max_retries=retry))
    session.headers["Accept"] = "application/json"
    return session


def pages(session: requests.Session, url: str, params: dict[str, object],
          settings: BdlSettings) -> Iterator[dict]:
    """Yield the `results` elements of every page of a paged BDL answer."""
    for page in range(MAX_PAGES):
        response = session.get(url, params={**params, "page": page,
                                            "page-size": settings.page_size, "format": "json"},
                               timeout=settings.timeout_s)
        response.raise_for_status()
        body = response.json()
        results = body["results"]
        yield from results
        if not results or (page + 1) * settings.page_size >= int(body["totalRecords"]):
            return
    raise PopulationRefreshError(f"{url}: więcej niż {MAX_PAGES} stron odpowiedzi – "
                                 "API stronicuje inaczej niż opisano.")


def teryt_of_bdl_id(bdl_id: str, level: int) -> str:
    """Return the TERYT code a BDL id of a powiat (level 5) or gmina (level 6) carries:
    voivodeship id[2:4], powiat id[7:9], gmina and its kind id[9:12] (population/SOURCES.md)."""
    return bdl_id[2:4] + (bdl_id[7:9] if level == 5 else bdl_id[7:12])


def bdl_units(session: requests.Session, settings: BdlSettings) -> pd.DataFrame:
    """Return the API's powiats and gminas with the TERYT code of each."""
    rows = [
        {"bdl_id": unit["id"], "teryt": teryt_of_bdl_id(unit["id"], level),
         "level": name, "name": unit["name"]}
        for level, name in LEVELS.items()
        for unit in pages(session, f"{settings.base_url}/units", {"level": level}, settings)
    ]
    return pd.DataFrame(rows, columns=BDL_UNIT_COLUMNS)


def counted(units: pd.DataFrame) -> pd.Series:
    """Return which units are rows of the population file: powiats and gminas of kinds 1-3
    (the town and the rural area of an urban-rural gmina, kinds 4 and 5, would count twice)."""
    return (units["level"] == "powiat") | units["teryt"].str[-1].isin(["1", "2", "3"])


def bdl_values(session: requests.Session, settings: BdlSettings,
               years: Sequence[int]) -> pd.DataFrame:
    """Return `bdl_id`, `year`, `population` for every powiat and gmina the API gives."""
    url = f"{settings.base_url}/data/by-variable/{settings.variable_id}"
    return pd.DataFrame([
        {"bdl_id": unit["id"], "name": unit["name"], "year": int(value["year"]),
         "population": int(value["val"])}
        for level in LEVELS
        for unit in pages(session, url, {"unit-level": level, "year": list(years)}, settings)
        for value in unit["values"]
        if value.get("val") is not None
    ], columns=["bdl_id", "name", "year", "population"])


def merged_population(wide: pd.DataFrame, units: pd.DataFrame, values: pd.DataFrame,
                      years: Sequence[int]) -> pd.DataFrame:
    """Return the file with the fetched years set (new units added), and the voivodeship and
    Poland rows of those years as sums of their powiats, as the bundled file has them."""
    placed = values.merge(units[["bdl_id", "teryt", "level"]], on="bdl_id", how="left")
    unplaced = placed[placed["teryt"].isna()]
    if not unplaced.empty:
        first = unplaced.iloc[0]
        raise PopulationRefreshError(
            f"jednostka BDL {first['bdl_id']} ({first['name']}) nie ma kodu TERYT w "
            f"{BDL_UNITS_FILE[-1]}. Co zrobić: sprawdź listę jednostek API (/units).")
    placed = placed[counted(placed)]
    units = units[counted(units)]
    new_units = units[~units["teryt"].isin(wide["teryt"])][UNIT_COLUMNS]
    out = pd.concat([wide, new_units], ignore_index=True)
    by_year = placed.pivot_table(index="teryt", columns="year", values="population",
                                 aggfunc="first")
    powiats = placed[placed["level"] == "powiat"]
    for year in years:
        column = str(year)
        fetched = by_year[year] if year in by_year else pd.Series(dtype="Int64")
        sums = powiats[powiats["year"] == year].groupby(powiats["teryt"].str[:2])["population"]
        totals = {**fetched.dropna().to_dict(), **sums.sum().to_dict()}
        if len(sums):
            totals["0"] = int(powiats.loc[powiats["year"] == year, "population"].sum())
        out[column] = out["teryt"].map(totals).astype("Int64")
    year_columns = sorted((c for c in out.columns if c not in UNIT_COLUMNS), key=int)
    return out[UNIT_COLUMNS + year_columns]


def refresh_population(reference_dir: Path, years: Sequence[int] | None = None,
                       settings: BdlSettings | None = None) -> PopulationRefresh:
    """Fetch the population of `years` (default: from the year after the file's last one to
    last year) from the BDL API and write it into the bundled population file.

    Call it when a network is there; the refresh of the warehouse never does. The file and
    `bdl_units.csv` are replaced only once every page has been read: a timeout or an error
    answer the retries do not cure raises PopulationRefreshError and leaves both as they were.
    """
    settings = settings or BdlSettings()
    population_path = Path(reference_dir).joinpath(*POPULATION_FILE)
    units_path = Path(reference_dir).joinpath(*BDL_UNITS_FILE)
    wide = read_population_wide(population_path)
    last = max(int(c) for c in wide.columns if c not in UNIT_COLUMNS)
    years = tuple(range(last + 1, date.today().year) if years is None else years)
    if not years:
        return PopulationRefresh((), 0, population_path, units_path)
    try:
        with bdl_session(settings) as session:
            fetched_units = bdl_units(session, settings)
            values = bdl_values(session, settings, years)
    except (requests.RequestException, ValueError, KeyError, TypeError) as error:
        raise PopulationRefreshError(
            f"API BDL ({settings.base_url}) nie podało ludności: {error}. Plik "
            f"{population_path.name} został bez zmian. Co zrobić: spróbuj później albo "
            "zostaw plik z pakietu.") from error
    known = pd.read_csv(units_path, sep=";", dtype=str, keep_default_na=False)
    units = pd.concat([known[~known["bdl_id"].isin(fetched_units["bdl_id"])], fetched_units],
                      ignore_index=True).sort_values(["teryt", "bdl_id"], ignore_index=True)
    merged = merged_population(wide, units, values, years)
    _replace(population_path, lambda tmp: write_population_wide(merged, tmp))
    _replace(units_path, lambda tmp: units.to_csv(tmp, sep=";", index=False,
                                                  lineterminator="\n"))
    return PopulationRefresh(years, int(values["bdl_id"].nunique()), population_path,
                             units_path)


def _replace(path: Path, write: Callable[[Path], None]) -> None:
    """Write a file beside `path` and move it into place in one step."""
    tmp = path.with_name(f".{path.name}.tmp")
    write(tmp)
    os.replace(tmp, path)
