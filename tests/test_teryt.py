"""The powiat resolver against the names real files carry."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from sources.teryt import powiat_display_names, read_terc, resolve_powiat_codes

REFERENCE = Path(__file__).resolve().parents[1] / "data" / "reference"
TERC = REFERENCE / "teryt" / "terc_28_2022-01-01.csv"


@pytest.fixture(scope="module")
def units() -> pd.DataFrame:
    return read_terc(TERC, "28")


def test_region_28_has_its_official_units(units: pd.DataFrame) -> None:
    assert (units["kind"] == "powiat").sum() == 19
    assert set(units.loc[units["kind"] == "city_powiat", "powiat_code"]) == {"2861", "2862"}
    gminas = units[(units["kind"] == "gmina") & units["gmina_kind"].isin(["1", "2", "3"])]
    assert len(gminas) == 116
    # one name, two gminas: the town of Bartoszyce (urban) and the rural gmina around it
    assert set(units.loc[units["name"] == "Bartoszyce", "terc"]) == {"2801011", "2801032"}


@pytest.mark.parametrize(("written", "code"), [
    ("olsztyński", "2814"),
    ("powiat olsztyński", "2814"),
    ("OLSZTYŃSKI", "2814"),
    ("Olsztyński ", "2814"),
    ("m. Olsztyn", "2862"),
    ("Olsztyn", "2862"),
    ("OLSZTYN", "2862"),
    ("Elblag", "2861"),
    ("ELBLĄG", "2861"),
    ("elbląski", "2804"),
    ("elblaski", "2804"),
    ("ełcki", "2805"),
    ("Ełk", None),  # a town, not a powiat
    ("warszawski", None),  # another region
    (None, None),
])
def test_written_powiat_names_resolve(units: pd.DataFrame, written: str | None,
                                      code: str | None) -> None:
    resolved = resolve_powiat_codes(pd.Series([written], dtype="object"), units).iloc[0]
    assert (None if pd.isna(resolved) else resolved) == code


def test_cities_read_as_m_city(units: pd.DataFrame) -> None:
    names = dict(powiat_display_names(units).itertuples(index=False))
    assert names["2862"] == "m. Olsztyn"
    assert names["2814"] == "olsztyński"
