"""The TERYT TERC reference (official units) and the resolver from written names to codes.

Files carry powiat names in many hands (`m. Olsztyn`, `powiat olsztyński`, `OLSZTYŃSKI`,
`Elblag`); they are folded to one key (lower case, no Polish letters, no `powiat`/`m.`
prefixes) and looked up among the units of the configured region.
"""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path

import pandas as pd

from sources.errors import SourceFileError

TERC_COLUMNS = ["WOJ", "POW", "GMI", "RODZ", "NAZWA", "NAZWA_DOD", "STAN_NA"]
_PREFIXES = re.compile(r"^(powiat|pow\.|m\.\s*st\.|miasto|gmina|gm\.|m\.)\s*")


def fold_name(name: str | None) -> str | None:
    """A comparison key for a place name: lower case, ASCII, no prefixes, single spaces."""
    if name is None or pd.isna(name):
        return None
    text = str(name).strip().lower().replace("ł", "l")
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    text = _PREFIXES.sub("", re.sub(r"\s+", " ", text)).strip()
    return text or None


def read_terc(path: Path, region_code: str) -> pd.DataFrame:
    """Units of one region from an official TERC file (`;`, UTF-8 with BOM), one row each.

    Columns: terc (2, 4 or 7 characters), powiat_code, kind (voivodeship, powiat, city_powiat,
    gmina), gmina_kind (RODZ digit), name, name_kind (NAZWA_DOD), valid_on.
    """
    try:
        raw = pd.read_csv(path, sep=";", dtype=str, encoding="utf-8-sig", keep_default_na=False)
    except (OSError, UnicodeDecodeError, pd.errors.ParserError) as error:
        raise SourceFileError(path, "a TERC file (UTF-8, ';')", str(error)) from error
    if list(raw.columns) != TERC_COLUMNS:
        raise SourceFileError(path, f"TERC columns {TERC_COLUMNS}", f"found {list(raw.columns)}")
    units = raw[raw["WOJ"] == region_code].copy()
    units["terc"] = units["WOJ"] + units["POW"] + units["GMI"] + units["RODZ"]
    units["powiat_code"] = (units["WOJ"] + units["POW"]).where(units["POW"] != "")
    units["kind"] = "gmina"
    units.loc[units["POW"] == "", "kind"] = "voivodeship"
    units.loc[(units["POW"] != "") & (units["GMI"] == ""), "kind"] = "powiat"
    units.loc[units["NAZWA_DOD"] == "miasto na prawach powiatu", "kind"] = "city_powiat"
    return units.rename(
        columns={"RODZ": "gmina_kind", "NAZWA": "name", "NAZWA_DOD": "name_kind",
                 "STAN_NA": "valid_on"}
    )[["terc", "powiat_code", "kind", "gmina_kind", "name", "name_kind", "valid_on"]]


def powiat_display_names(units: pd.DataFrame) -> pd.DataFrame:
    """Powiat code and the name people read: `olsztyński` for a powiat, `m. Olsztyn` for a city."""
    powiats = units[units["kind"].isin(["powiat", "city_powiat"])].copy()
    is_city = powiats["kind"] == "city_powiat"
    powiats["powiat_name"] = powiats["name"].where(~is_city, "m. " + powiats["name"])
    return powiats[["powiat_code", "powiat_name"]].reset_index(drop=True)


def resolve_powiat_codes(names: pd.Series, units: pd.DataFrame) -> pd.Series:
    """Powiat code for each written powiat name; missing where no unit has that name."""
    powiats = units[units["kind"].isin(["powiat", "city_powiat"])]
    lookup = dict(zip(powiats["name"].map(fold_name), powiats["powiat_code"], strict=True))
    return names.map(fold_name).map(lookup).astype("string")
