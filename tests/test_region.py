"""Any voivodeship: a refresh of a generated sample of region 22 (Pomorskie), and a region
without reference data refused before anything is read.

Facts of region 22 used below, from data/reference/teryt/terc_PL_2022-01-01.csv and
terc_PL_2026-01-01_adresowy.csv: 16 powiats (2201..2216) and 4 cities with powiat rights
(2261 Gdańsk, 2262 Gdynia, 2263 Słupsk, 2264 Sopot); the rural gmina 2212062 Kobylnica is the
urban-rural 2212063 in 2026; the rural gmina 2212082 Słupsk is named Redzikowo from 2024-01-01.
data/reference/owes_subregions.csv and targets.csv hold region 28 only.
"""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pandas as pd
import pytest
from dagster import Failure

from assets.reference import check_region, region_name
from pipelines.cli import SAMPLE_AS_OF
from pipelines.resources import settings_from_env
from sample_data import generate_sample
from tests.conftest import Refresh, fixture_env, run_refresh
from tests.fixture_inbox import write_fixture_inbox

REGION_22_POWIATS = {f"22{n:02d}" for n in range(1, 17)} | {"2261", "2262", "2263", "2264"}


@pytest.fixture(scope="module")
def pomorskie(tmp_path_factory: pytest.TempPathFactory) -> Refresh:
    """The sample of region 22 (seed 22) refreshed with PES_REGION=22 and the default
    quarantine limit, as an office of Pomorskie would run it."""
    root = tmp_path_factory.mktemp("region22")
    inbox = root / "inbox"
    generate_sample(inbox, seed=22, as_of=SAMPLE_AS_OF, region="22")
    env = {**fixture_env(root, inbox), "PES_PERIOD_END": SAMPLE_AS_OF.isoformat(),
           "PES_REGION": "22"}
    env.pop("PES_MAX_QUARANTINE_SHARE")
    return Refresh(root=root, inbox=inbox, env=env, result=run_refresh(env))


def test_the_sample_of_region_22_is_placed_in_region_22(pomorskie: Refresh) -> None:
    with (pomorskie.inbox / "_truth" / "entities.csv").open(encoding="utf-8") as handle:
        truth = list(csv.DictReader(handle))
    assert {row["powiat_terc"] for row in truth} <= REGION_22_POWIATS
    assert {row["gmina_terc"][:2] for row in truth} == {"22"}


def test_a_refresh_of_region_22_publishes(pomorskie: Refresh) -> None:
    assert pomorskie.result.success
    release = json.loads((pomorskie.publish / "release.json").read_text(encoding="utf-8"))
    assert release["region_code"] == "22"
    page = (pomorskie.publish / "dashboard.html").read_text(encoding="utf-8")
    # the name comes from TERYT (no PES_REGION_NAME is set), never region 28's
    assert "Monitoring ekonomii społecznej – województwo pomorskie" in page
    assert "warmińsko-mazurskie" not in page


def test_every_counted_entity_is_in_region_22(pomorskie: Refresh) -> None:
    entities = pd.read_csv(pomorskie.publish / "podmioty.csv", sep=";", dtype=str,
                           encoding="utf-8-sig")
    assert len(entities) > 0
    placed = entities["powiat_terc"].dropna()
    assert set(placed) <= REGION_22_POWIATS
    assert set(entities["gmina_terc"].dropna().str[:4]) <= REGION_22_POWIATS


def test_region_22_places_resolve_to_their_2026_units(pomorskie: Refresh) -> None:
    """The sample writes the 2022 names and codes; the warehouse holds the 2026 units."""
    with (pomorskie.inbox / "_truth" / "entities.csv").open(encoding="utf-8") as handle:
        truth = {row["entity_id"]: row["gmina_terc"] for row in csv.DictReader(handle)}
    units = pomorskie.query("select terc, name from core.teryt_unit")
    names = dict(zip(units["terc"], units["name"], strict=True))
    assert "2212062" not in names and names["2212063"] == "Kobylnica"
    assert names["2212082"] == "Redzikowo"
    gminas = set(pomorskie.query("select distinct gmina_code from core.pes_entity "
                                 "where gmina_code is not null")["gmina_code"])
    assert "2212062" not in gminas
    if "2212062" in truth.values():  # an entity of the rural gmina Kobylnica of 2022
        assert "2212063" in gminas


def test_a_region_without_subregions_or_targets_says_so(pomorskie: Refresh) -> None:
    warnings = {(e.asset_key.to_user_string(), e.check_name): e
                for e in pomorskie.result.get_asset_check_evaluations() if not e.passed}
    subregions = warnings[("core/owes_subregion", "owes_subregion_suite")]
    assert subregions.severity.value == "WARN"
    assert subregions.metadata["summary"].value.startswith(
        "Brak podregionów OWES województwa 22 w pliku owes_subregions.csv")
    targets = warnings[("core/target", "target_suite")]
    assert targets.severity.value == "WARN"
    assert targets.metadata["summary"].value.startswith(
        "Brak celów województwa 22 w pliku targets.csv")
    assert pomorskie.query("select count(*) as n from core.owes_subregion")["n"][0] == 0
    assert pomorskie.query("select count(*) as n from core.target")["n"][0] == 0
    report = (pomorskie.publish / "raport_jakosci.html").read_text(encoding="utf-8")
    assert "Brak podregionów OWES województwa 22" in report
    assert "Brak celów województwa 22" in report
    # the powiat figure says the subregions are unknown (its axis title, wrapped by the page)
    page = (pomorskie.publish / "dashboard.html").read_text(encoding="utf-8")
    assert "Powiat (podregiony OWES\\u003cbr\\u003enieznane)" in page


def test_an_unknown_region_is_refused_naming_the_accepted_codes(tmp_path: Path) -> None:
    env = {**fixture_env(tmp_path, write_fixture_inbox(tmp_path / "inbox")), "PES_REGION": "99"}
    with pytest.raises(Failure) as refused:
        check_region(settings_from_env(env))
    message = refused.value.description
    assert message.startswith("PES_REGION='99': brak jednostek TERYT tego województwa")
    assert "22 (pomorskie)" in message and "28 (warmińsko-mazurskie)" in message
    # the job itself stops at the first step that reads the reference, with that message,
    # and publishes nothing
    result = run_refresh(env)
    assert not result.success
    reasons = [f.step_failure_data.user_failure_data.description
               for f in result.get_step_failure_events()
               if f.step_failure_data.user_failure_data is not None]
    assert message in reasons
    assert not (tmp_path / "var" / "publish" / "latest").exists()


def test_the_region_name_is_teryt_s_unless_given() -> None:
    assert region_name(settings_from_env({"PES_REGION": "22"})) == "województwo pomorskie"
    assert region_name(settings_from_env({"PES_REGION": "22", "PES_REGION_NAME": "Pomorze"})) \
        == "Pomorze"
    assert region_name(settings_from_env({})) == "województwo warmińsko-mazurskie"
