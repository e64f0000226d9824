"""The population of powiats and gminas on 31 December, from the bundled GUS BDL file.

The file (data/reference/population/SOURCES.md) has one row per unit of all Poland (`teryt`,
`level`, `name`) and one column per year (`2010`..`2019`): total population on 31 December.
Per-10 000-inhabitant indicators divide by it, so the page names its year and source. The
file is what every refresh reads; `sources.population_bdl` rewrites it from the BDL API when a
network is there, in the same shape.
"""

from __future__ import annotations

import csv
from pathlib import Path

import pandas as pd

from sources.errors import SourceFileError

POPULATION_FILE = ("population", "population_total_31XII_PL.csv")
BDL_UNITS_FILE = ("population", "bdl_units.csv")
#: What the page says the figures come from.
POPULATION_SOURCE_PL = "GUS, Bank Danych Lokalnych"
UNIT_COLUMNS = ["teryt", "level", "name"]
LEVELS = {"polska", "wojewodztwo", "powiat", "gmina"}


def read_population_wide(path: Path) -> pd.DataFrame:
    """Return the file as it stands: unit columns as text, a nullable integer per year.

    Raises SourceFileError naming the row and column of a value that is not a whole number,
    or the header when the unit columns or the year columns are missing.
    """
    try:
        frame = pd.read_csv(path, sep=";", dtype=str, keep_default_na=False)
    except (OSError, UnicodeDecodeError, pd.errors.ParserError) as error:
        raise SourceFileError(path, "a ';'-separated UTF-8 CSV", str(error)) from error
    years = [column for column in frame.columns if column not in UNIT_COLUMNS]
    if list(frame.columns[:3]) != UNIT_COLUMNS or not years \
            or not all(column.isdigit() and len(column) == 4 for column in years):
        raise SourceFileError(path, "columns teryt;level;name;<year>;<year>...",
                              problem_pl="nagłówek pliku ludności musi mieć kolumny "
                                         "teryt;level;name, a po nich lata (np. 2019). "
                                         "Co zrobić: przywróć plik z pakietu.")
    for column in years:
        bad = frame.index[~frame[column].str.fullmatch(r"\d*")]
        if len(bad):
            line = int(bad[0]) + 2  # the header is line 1
            raise SourceFileError(
                path, f"whole numbers in column {column}",
                problem_pl=f"wiersz {line}, kolumna „{column}”: „{frame.at[bad[0], column]}” "
                           "nie jest liczbą osób. Co zrobić: wpisz liczbę całkowitą albo "
                           "zostaw pole puste (jednostka nie istniała w tym roku).")
        frame[column] = pd.to_numeric(frame[column].replace("", None)).astype("Int64")
    return frame


def population_by_year(path: Path, region_code: str) -> pd.DataFrame:
    """Return one row per unit of the region (the voivodeship, its powiats and gminas) and
    year with a value: `teryt`, `level`, `name`, `year`, `population`."""
    wide = read_population_wide(path)
    own = wide[wide["teryt"].str.startswith(region_code)]
    long = own.melt(id_vars=UNIT_COLUMNS, var_name="year", value_name="population")
    long = long.dropna(subset=["population"])
    long["year"] = long["year"].astype("int64")
    return long.sort_values(["teryt", "year"], ignore_index=True)


def write_population_wide(frame: pd.DataFrame, path: Path) -> None:
    """Write the file in its published shape (UTF-8, `;`, LF, empty where no value)."""
    frame.to_csv(path, sep=";", index=False, lineterminator="\n", quoting=csv.QUOTE_MINIMAL)
