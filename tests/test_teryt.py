"""The dated TERYT reference and the resolver, against the names real files carry."""

from __future__ import annotations

import shutil
from datetime import date
from pathlib import Path

import pandas as pd
import pytest

from sources.errors import SourceFileError
from sources.teryt import (
    EARLIER_TERC_FILE,
    LATER_TERC_FILE,
    NAME_CHANGES_FILE,
    PlaceResolver,
    RegionNotInReference,
    TerytReference,
    dated_reference,
    powiat_display_names,
    read_name_changes,
    read_terc,
    region_name_pl,
    resolve_powiat_codes,
)

REFERENCE = Path(__file__).resolve().parents[1] / "data" / "reference"
TERC = REFERENCE.joinpath(*EARLIER_TERC_FILE)


def build(reference_dir: Path, region: str = "28") -> TerytReference:
    changes = reference_dir.joinpath(*NAME_CHANGES_FILE)
    return dated_reference(read_terc(reference_dir.joinpath(*EARLIER_TERC_FILE), region),
                           read_terc(reference_dir.joinpath(*LATER_TERC_FILE), region),
                           read_name_changes(changes), changes)


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


def test_the_2026_list_gets_its_urban_rural_gminas_from_their_towns() -> None:
    """The 'adresowy' list of 2026 has no RODZ 3 rows: 34 towns of region 28 (RODZ 4) each
    give theirs, named like the town, so the 116 gminas of 2022 are all there."""
    later = read_terc(REFERENCE.joinpath(*LATER_TERC_FILE), "28")
    gminas = later[(later["kind"] == "gmina") & later["gmina_kind"].isin(["1", "2", "3"])]
    assert len(gminas) == 116
    assert (gminas["gmina_kind"] == "3").sum() == 34
    barczewo = later.set_index("terc").loc["2814013"]  # miasto 2814014 Barczewo in the file
    assert (barczewo["name"], barczewo["name_kind"]) == ("Barczewo", "gmina miejsko-wiejska")
    assert later.set_index("terc").loc["2812052", "name"] == "Bratian"


def test_a_renamed_gmina_keeps_its_former_name_with_dates(reference: TerytReference) -> None:
    """2812052 was the rural gmina Nowe Miasto Lubawskie until 2025-12-31, Bratian since."""
    renamed = reference.names[reference.names["terc"] == "2812052"].sort_values("name")
    assert renamed[["name", "valid_from", "valid_to"]].values.tolist() == [
        ["Bratian", date(2026, 1, 1), None],
        ["Nowe Miasto Lubawskie", None, date(2025, 12, 31)],
    ]
    unit = reference.units.set_index("terc").loc["2812052"]
    assert (unit["name"], unit["valid_on"]) == ("Bratian", "2026-01-01")
    # every other unit has one name, not bounded by the two states
    others = reference.names[reference.names["terc"] != "2812052"]
    assert others["valid_from"].isna().all() and others["valid_to"].isna().all()
    assert len(others) == len(reference.units) - 1


def test_an_undated_rename_stops_the_reference(tmp_path: Path) -> None:
    """Without the date of the change, an old file could be read against the new name."""
    shutil.copytree(REFERENCE / "teryt", tmp_path / "teryt")
    changes = tmp_path.joinpath(*NAME_CHANGES_FILE)
    changes.write_text(changes.read_text(encoding="utf-8").splitlines()[0] + "\n",
                       encoding="utf-8")
    with pytest.raises(SourceFileError, match="name_changes.csv: expected a dated row for each "
                                              "unit renamed .*2812052: 'Nowe Miasto Lubawskie' "
                                              "-> 'Bratian'"):
        build(tmp_path)


def test_region_22_is_dated_like_region_28() -> None:
    """Pomorskie (data/reference/teryt/SOURCES.md): the rural gmina 2212082 Słupsk is named
    Redzikowo from 2024-01-01 (name_changes.csv); the rural gmina 2212062 Kobylnica is the
    urban-rural 2212063 in 2026 (its town 2212064, its countryside 2212065), one unit."""
    reference = build(REFERENCE, "22")
    units = reference.units.set_index("terc")
    assert (units["kind"] == "powiat").sum() == 16
    assert set(units.loc[units["kind"] == "city_powiat", "powiat_code"]) == {
        "2261", "2262", "2263", "2264"}
    renamed = reference.names[reference.names["terc"] == "2212082"].sort_values("name")
    assert renamed[["name", "valid_from", "valid_to"]].values.tolist() == [
        ["Redzikowo", date(2024, 1, 1), None], ["Słupsk", None, date(2023, 12, 31)]]
    assert "2212062" not in units.index
    assert units.loc["2212063", ["name", "name_kind"]].tolist() == ["Kobylnica",
                                                                  "gmina miejsko-wiejska"]
    assert reference.former_codes == {"2212062": "2212063"}
    resolver = PlaceResolver(reference)
    # a file of 2022 writing the rural gmina finds the unit under its code now
    assert resolver.gmina("Kobylnica - gmina wiejska", None, None, date(2022, 6, 30))[0] == \
        "2212063"
    assert resolver.gmina("Kobylnica", "Kobylnica", "2212", date(2026, 6, 30))[0] == "2212063"
    # the former name of the rural gmina is not the city of Słupsk (2263011)
    assert resolver.gmina("Słupsk - gmina wiejska", None, None, date(2023, 6, 30))[0] == \
        "2212082"
    assert resolver.gmina("Redzikowo", None, None, date(2026, 6, 30))[0] == "2212082"


@pytest.mark.parametrize(("code", "name"), [("22", "województwo pomorskie"),
                                            ("28", "województwo warmińsko-mazurskie"),
                                            ("24", "województwo śląskie")])
def test_a_known_region_is_named_by_teryt(code: str, name: str) -> None:
    assert region_name_pl(REFERENCE, code) == name


@pytest.mark.parametrize("code", ["99", "2", "", "28 ", "pomorskie"])
def test_a_region_without_reference_data_is_refused_in_polish(code: str) -> None:
    with pytest.raises(RegionNotInReference) as refused:
        region_name_pl(REFERENCE, code)
    message = str(refused.value)
    assert message.startswith(f"PES_REGION={code!r}: brak jednostek TERYT tego województwa")
    assert "terc_PL_2022-01-01.csv" in message
    # all 16 voivodeships are accepted, each named
    assert message.count(" (") == 1 + 16
    assert "02 (dolnośląskie)" in message and "32 (zachodniopomorskie)." in message


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


def test_a_district_of_warsaw_is_suggested_by_its_kind() -> None:
    """TERC writes Warsaw's districts with RODZ 8 (`14;65;05;8;Mokotów;dzielnica`) and the
    delegations of four other cities with 9: a typo near one is suggested, not a crash (a KIS
    register of region 14 from sample_data.national stopped its refresh with KeyError '8')."""
    resolver = PlaceResolver(build(REFERENCE, "14"))
    code, problem, text = resolver.gmina("Mokotuw", None, None, None)
    assert (code, problem) == (None, "unknown")
    assert text.startswith("1465058 Mokotów (dzielnica, ")
