"""Releases are folders written whole and switched in one step; a held-back refresh changes
nothing a later one falls back to; the manifest is strict JSON naming the inputs as used.
"""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path

from assets.manifest import key_columns, value_differences
from pipelines.settings import PROJECT_ROOT
from tests.conftest import Refresh, SecondRefresh, sha256_file
from tests.declared_warehouse import empty_warehouse


def release_files(folder: Path) -> dict[str, str]:
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in folder.iterdir()}


def manifest_of(refresh: Refresh) -> dict:
    def no_nan(name: str) -> None:
        raise AssertionError(f"{name} in release.json is not JSON")
    return json.loads((refresh.publish / "release.json").read_text(encoding="utf-8"),
                      parse_constant=no_nan)


def test_a_release_is_a_folder_made_current_by_the_latest_link(refreshed: Refresh) -> None:
    latest = refreshed.root / "var" / "publish" / "latest"
    assert latest.is_symlink()
    target = os.readlink(latest)
    assert target.startswith("releases/")  # relative: the publish folder can move
    manifest = manifest_of(refreshed)
    assert Path(target).name == manifest["release_id"]
    assert sorted(release_files(latest)) == [
        "dashboard.html", "kwarantanna.csv", "metodologia.html", "podmioty.csv",
        "podmioty.xlsx", "raport_jakosci.html", "release.json", "wskazniki.csv",
        "wskazniki.xlsx", "zmiany_identyfikatorow.csv"]
    assert not list((latest.parent / "releases").glob(".*"))  # no partial folder left


def test_the_manifest_records_inputs_reference_code_and_packages(refreshed: Refresh) -> None:
    manifest = manifest_of(refreshed)
    catalogue = refreshed.inbox / "pes_catalogue" / "katalog_pes_2020-12-31.csv"
    used = {row["original_name"]: row for row in manifest["inputs"]}
    assert used[catalogue.name]["original_sha256"] == sha256_file(catalogue)
    assert used[catalogue.name]["use"] == "fresh"
    for row in manifest["inputs"]:
        assert sha256_file(refreshed.landing / row["landed_path"]) == row["landed_sha256"]
    reference = {row["path"]: row["sha256"] for row in manifest["reference_files"]}
    targets = PROJECT_ROOT / "data" / "reference" / "targets.csv"
    assert reference["targets.csv"] == sha256_file(targets)
    assert "teryt/terc_PL_2022-01-01.csv" in reference
    assert "teryt/terc_PL_2026-01-01_adresowy.csv" in reference
    mappings = {row["path"]: row["sha256"] for row in manifest["mapping_files"]}
    assert mappings["pes_catalogue.yml"] == sha256_file(
        PROJECT_ROOT / "sources" / "mappings" / "pes_catalogue.yml")
    for kind in ("reference_files", "mapping_files"):
        for row in manifest[kind]:
            assert sha256_file(refreshed.landing / row["kept_copy"]) == row["sha256"]
    assert len(manifest["code_version"]["commit"]) == 40
    assert manifest["code_version"]["clean"] in (True, False)
    assert manifest["packages"]["installed"]["dagster"] == "1.13.27"
    assert manifest["packages"]["lock_sha256"] == sha256_file(PROJECT_ROOT / "requirements.lock")
    assert manifest["settings"]["min_persons"] == 3
    assert manifest["revisions"]["previous_release_id"] is None


def test_a_held_back_table_is_never_what_a_later_refresh_falls_back_to(
    published_copy: SecondRefresh,
) -> None:
    first = published_copy.first
    first_release = first.publish.resolve()
    first_files = release_files(first_release)
    before = first.query("select * from staging.pes_catalogue order by source_line")

    # An export with its header only: the row count check holds the publication back ...
    newer = first.inbox / "pes_catalogue" / "katalog_pes_2021-01-31.csv"
    header = (first.inbox / "pes_catalogue" / "katalog_pes_2020-12-31.csv").read_bytes()
    newer.write_bytes(header.split(b"\r\n", 1)[0] + b"\r\n")
    held = published_copy.again()
    assert not held.result.success
    assert held.publish.resolve() == first_release
    assert held.query("select count(*) as n from staging.pes_catalogue")["n"].iloc[0] == 0
    # ... and says so beside the current release, in Polish
    held_back = held.root / "var" / "publish" / "held_back"
    report = (held_back / "raport_jakosci.html").read_text(encoding="utf-8")
    assert "NIE OPUBLIKOWANO" in report and first_release.name in report
    assert "Przyjętych wierszy: 0" in report
    assert (held_back / "kwarantanna.csv").exists()

    # The same name now unreadable: the source falls back to the last *published* catalogue,
    # not to the empty table the held-back run left in staging.
    newer.write_bytes(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj << /Type /Catalog >> endobj\n")
    third = published_copy.again()
    assert third.result.success
    assert third.query("select * from staging.pes_catalogue order by source_line").equals(before)
    manifest = manifest_of(third)
    catalogue = [row for row in manifest["inputs"] if row["source"] == "pes_catalogue"]
    assert [(r["original_name"], r["use"], r["replaced"]) for r in catalogue] == [
        ("katalog_pes_2020-12-31.csv", "stale_fallback", "katalog_pes_2021-01-31.csv")]
    assert third.publish.resolve() != first_release
    assert release_files(first_release) == first_files  # a release never changes
    assert not list(held_back.iterdir())  # answered by the new release


def test_a_revised_target_status_is_one_value_with_old_and_new() -> None:
    con = empty_warehouse()
    keys = key_columns(con)
    assert keys["rkres_meetings_per_year"] == ["year"]
    before = {"rkres_meetings_per_year": [
        {"year": 2019, "meetings": 1, "target": 2, "target_status": "nieosiągnięty"}]}
    after = {"rkres_meetings_per_year": [
        {"year": 2019, "meetings": 2, "target": 2, "target_status": "osiągnięty"},
        {"year": 2020, "meetings": 3, "target": 2, "target_status": "osiągnięty"}]}
    moved = value_differences(before, after, keys, past_only=True)
    assert [(m["period"], m["column"], m["old"], m["new"]) for m in moved] == [
        ("2019", "meetings", 1, 2), ("2019", "target_status", "nieosiągnięty", "osiągnięty")]
