"""The dated TERYT reference and the resolver, against the names real files carry."""

from __future__ import annotations

import shutil
from datetime import date
from pathlib import Path

import pandas as pd
import pytest

from assets.reference import NAME_CHANGES_FILE, PRG_FILES, PRG_STATE, TERC_FILE
from sources.errors import SourceFileError
from sources.teryt import (
    PlaceResolver,
    TerytReference,
    dated_reference,
    powiat_display_names,
    read_name_changes,
    read_prg_names,
    read_terc,
    resolve_powiat_codes,
)

REFERENCE = Path(__file__).resolve().parents[1] / "data" / "reference"
TERC = REFERENCE.joinpath(*TERC_FILE)


def build(reference_dir: Path) -> TerytReference:
    changes = reference_dir.joinpath(*NAME_CHANGES_FILE)
    return dated_reference(read_terc(reference_dir.joinpath(*TERC_FILE), "28"),
                           read_prg_names([reference_dir.joinpath(*p) for p in PRG_FILES], "28"),
                           PRG_STATE, read_name_changes(changes), changes)


@pytest.fixture(scope="module")
def reference() -> TerytReference:
    return build(REFERENCE)


@pytest.fixture(scope="module")
def resolver(reference: TerytReference) -> PlaceResolver:
    return PlaceResolver(reference)


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


def test_prg_names_lose_their_kind_words() -> None:
    names = read_prg_names([REFERENCE.joinpath(*p) for p in PRG_FILES], "28")
    by_code = dict(zip(names["terc"], names["name"], strict=True))
    assert len(names) == 21 + 116
    assert by_code["2814"] == "olsztyński"  # `powiat olsztyński`
    assert by_code["2801032"] == "Bartoszyce"  # `Bartoszyce - gmina wiejska`
    assert by_code["2812052"] == "Bratian"


def test_a_renamed_gmina_keeps_its_former_name_with_dates(reference: TerytReference) -> None:
    """2812052 was the rural gmina Nowe Miasto Lubawskie until 2025-12-31, Bratian since."""
    renamed = reference.names[reference.names["terc"] == "2812052"].sort_values("name")
    assert renamed[["name", "valid_from", "valid_to"]].values.tolist() == [
        ["Bratian", date(2026, 1, 1), None],
        ["Nowe Miasto Lubawskie", None, date(2025, 12, 31)],
    ]
    unit = reference.units.set_index("terc").loc["2812052"]
    assert (unit["name"], unit["valid_on"]) == ("Bratian", "2026-05-11")
    # every other unit has one name, not bounded by the two states
    others = reference.names[reference.names["terc"] != "2812052"]
    assert others["valid_from"].isna().all() and others["valid_to"].isna().all()
    assert len(others) == len(reference.units) - 1


def test_an_undated_rename_stops_the_reference(tmp_path: Path) -> None:
    """Without the date of the change, an old file could be read against the new name."""
    shutil.copytree(REFERENCE / "teryt", tmp_path / "teryt")
    shutil.copytree(REFERENCE / "geo", tmp_path / "geo")
    changes = tmp_path.joinpath(*NAME_CHANGES_FILE)
    changes.write_text(changes.read_text(encoding="utf-8").splitlines()[0] + "\n",
                       encoding="utf-8")
    with pytest.raises(SourceFileError, match="name_changes.csv: expected a dated row for each "
                                              "unit renamed .*2812052: 'Nowe Miasto Lubawskie' "
                                              "-> 'Bratian'"):
        build(tmp_path)


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
def test_written_powiat_names_resolve(units: pd.DataFrame, resolver: PlaceResolver,
                                      written: str | None, code: str | None) -> None:
    series = pd.Series([written], dtype="object")
    resolved = resolve_powiat_codes(series, units).iloc[0]
    assert (None if pd.isna(resolved) else resolved) == code
    found = resolver.powiats(series).iloc[0]
    assert (None if pd.isna(found["code"]) else found["code"]) == code


def test_an_unknown_powiat_suggests_similar_ones(resolver: PlaceResolver) -> None:
    found = resolver.powiats(pd.Series(["olszyński"])).iloc[0]
    assert found["problem"] == "unknown"
    assert found["candidates"] == "2814 olsztyński; 2862 Olsztyn"


def test_cities_read_as_m_city(units: pd.DataFrame) -> None:
    names = dict(powiat_display_names(units).itertuples(index=False))
    assert names["2862"] == "m. Olsztyn"
    assert names["2814"] == "olsztyński"


BEFORE_RENAME, AFTER_RENAME = date(2024, 6, 30), date(2026, 10, 31)


@pytest.mark.parametrize(("gmina", "town", "powiat", "on", "code"), [
    # one name, an urban and a rural gmina: the town decides, or the kind written
    ("Bartoszyce", "Bartoszyce", "2801", None, "2801011"),
    ("Bartoszyce", "Bezledy", "2801", None, "2801032"),
    ("BARTOSZYCE", "BARTOSZYCE", "2801", None, "2801011"),  # upper case, as KRS writes seats
    ("Gmina Miejska Bartoszyce", None, None, None, "2801011"),
    ("miasto Bartoszyce", None, "2801", None, "2801011"),
    ("gm. wiejska Bartoszyce", None, None, None, "2801032"),
    ("Bartoszyce - gmina wiejska", "Bartoszyce", None, None, "2801032"),
    ("Bartoszyce (obszar wiejski)", None, "2801", None, "2801032"),
    # a town instead of a gmina: the urban gmina or the urban-rural gmina that holds the town
    (None, "Bartoszyce", None, None, "2801011"),
    (None, "MORĄG", None, None, "2815083"),
    (None, "Biskupiec", None, None, "2814023"),  # the town, not the rural gmina in 2812
    (None, "Dywity", "2814", None, "2814042"),  # a village seat named as its rural gmina
    ("Morąg", None, "2815", None, "2815083"),
    # cities with powiat rights, written as their powiats are
    ("m. Olsztyn", None, None, None, "2862011"),
    ("ELBLĄG", "ELBLĄG", "2861", None, "2861011"),
    ("Elblag", None, "2804", None, "2804012"),
    # the powiat, given or written with the gmina, parts two rural gminas of one name
    ("Świętajno", None, "2817", None, "2817072"),
    ("Świętajno, pow. olecki", None, None, None, "2813052"),
    ("gm. Biskupiec (powiat nowomiejski)", None, None, None, "2812022"),
    # dated names: tests/test_dated_places.py has the Nowe Miasto Lubawskie table
    ("Bratian", None, None, BEFORE_RENAME, "2812052"),
    ("Bratian", None, "2812", AFTER_RENAME, "2812052"),
])
def test_written_gminas_resolve(resolver: PlaceResolver, gmina: str | None, town: str | None,
                                powiat: str | None, on: date | None, code: str) -> None:
    assert resolver.gmina(gmina, town, powiat, on) == (code, None, None)


@pytest.mark.parametrize(("gmina", "town", "powiat", "on", "candidates"), [
    ("Bartoszyce", None, "2801", None, ["2801011", "2801032"]),
    ("Elblag", None, None, None, ["2804012", "2861011"]),
    ("Świętajno", "Świętajno", None, None, ["2813052", "2817072"]),
    ("Nowe Miasto Lubawskie", None, "2812", BEFORE_RENAME, ["2812011", "2812052"]),
])
def test_ambiguous_names_list_their_candidates(resolver: PlaceResolver, gmina: str,
                                               town: str | None, powiat: str | None,
                                               on: date | None, candidates: list[str]) -> None:
    code, problem, text = resolver.gmina(gmina, town, powiat, on)
    assert (code, problem) == (None, "ambiguous")
    assert [part.split()[0] for part in text.split("; ")] == candidates


def test_an_analysts_terc_decision_settles_an_ambiguous_name(resolver: PlaceResolver) -> None:
    chosen = resolver.choosing({"Bartoszyce": "2801032"})
    assert chosen.gmina("Bartoszyce", None, "2801", None) == ("2801032", None, None)
    # only among the candidates: a choice from another powiat settles nothing
    elsewhere = resolver.choosing({"Bartoszyce": "2814042"})
    assert elsewhere.gmina("Bartoszyce", None, "2801", None)[1] == "ambiguous"
    assert resolver.gmina("Bartoszyce", None, "2801", None)[1] == "ambiguous"  # unchanged


def test_candidates_name_the_kind_and_the_powiat(resolver: PlaceResolver) -> None:
    _, _, text = resolver.gmina("Bartoszyce", None, None, None)
    assert text == ("2801011 Bartoszyce (gmina miejska, powiat bartoszycki); "
                    "2801032 Bartoszyce (gmina wiejska, powiat bartoszycki)")
    _, _, text = resolver.gmina("Nowe Miasto Lubawskie", None, "2812", BEFORE_RENAME)
    assert "2812052 Bratian (dawniej Nowe Miasto Lubawskie, gmina wiejska" in text


@pytest.mark.parametrize(("gmina", "powiat", "similar"), [
    ("Bartoszyse", None, ["2801011", "2801032"]),  # a typo: the two Bartoszyce suggested
    ("Warszawa", None, []),  # another region: nothing like it here
    ("Dywity", "2801", []),  # a real gmina, but in another powiat than the one written
    ("Świętajno, pow. warszawski", None, []),  # a powiat that is not in the region
])
def test_unknown_names_suggest_similar_ones(resolver: PlaceResolver, gmina: str,
                                            powiat: str | None, similar: list[str]) -> None:
    code, problem, text = resolver.gmina(gmina, None, powiat, None)
    assert (code, problem) == (None, "unknown")
    assert [part.split()[0] for part in text.split("; ") if part] == similar


def test_rows_without_a_place_get_none(resolver: PlaceResolver) -> None:
    frame = resolver.gminas(pd.Series([None, "Dywity"]), pd.Series([None, None]),
                            pd.Series([None, "2814"]), pd.Series([None, None]))
    assert frame["code"].tolist()[1] == "2814042"
    assert pd.isna(frame["code"].iloc[0]) and frame["problem"].iloc[0] is None
