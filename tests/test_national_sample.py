"""Tests of the scale generator (sample_data/national.py): each region's inbox where its analysts
would deliver it, the same bytes for the same seed, a year of bulletins in the real shape, and
the next month's delivery the incremental benchmark reads.

Two regions at scale 0.6, written twice. The counts are the documented ones of
sample_data/entities.py times 0.6: 2 100 associations -> 1 260, 900 foundations -> 540,
100 social cooperatives -> 60, so 1 860 KRS entities, one extract each; closed 380 -> 228,
135 -> 81, 28 -> 16.8, rounded 17: 326 full extracts, 1 534 current ones; units 15, 20, 10,
40 -> 9, 12, 6, 24.
"""

import csv
import json
import shutil
from datetime import date
from pathlib import Path

import pytest

from sample_data.national import BULLETIN_FOLDER, next_month, write_national

REGIONS = ["02", "04"]
SCALE = 0.6
REGION_FILES = {
    "pes_catalogue/katalog_pes_2026-10-31.csv",
    "social_enterprises/rejestr_ps_2026-10-31.xlsx",
    "cis_register/rejestr_cis_2026-10-31.csv",
    "kis_register/wykaz_kis_2026-10-31.xlsx",
    "zaz_register/rejestr_zaz_2026-10-31.xlsx",
    "wtz_register/wykaz_wtz_2026-10-31.csv",
    "activity/dziennik_dzialan_2026-10-31.xlsx",
}


def _files(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes()
            for p in sorted(root.rglob("*")) if p.is_file()}


@pytest.fixture(scope="module")
def written(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    first, second = tmp_path_factory.mktemp("first"), tmp_path_factory.mktemp("second")
    write_national(first, REGIONS, seed=7, scale=SCALE, jobs=2)
    write_national(second, REGIONS, seed=7, scale=SCALE, jobs=1)
    return first, second


def test_the_same_seed_writes_the_same_bytes(written: tuple[Path, Path]) -> None:
    """Written in parallel and in turn: the same files, byte for byte."""
    first, second = (_files(root) for root in written)
    assert sorted(first) == sorted(second)
    assert [name for name in first if first[name] != second[name]] == []


def test_each_region_gets_its_own_inbox(written: tuple[Path, Path]) -> None:
    root = written[0]
    assert sorted(p.name for p in root.iterdir()) == [*REGIONS, BULLETIN_FOLDER]
    catalogues = {}
    for region in REGIONS:
        inbox = root / region
        names = {p.relative_to(inbox).as_posix() for p in inbox.rglob("*") if p.is_file()}
        assert names >= REGION_FILES
        assert len(list((inbox / "krs").glob("odpis_aktualny_*.json"))) == 1534
        assert len(list((inbox / "krs").glob("odpis_pelny_*.json"))) == 326
        assert len(list((inbox / "owes").glob("*.xlsx"))) == 4 * 43  # 2016 Q1 .. 2026 Q3
        with (inbox / "_truth" / "entities.csv").open(encoding="utf-8") as handle:
            gminas = {row["gmina_terc"][:2] for row in csv.DictReader(handle)}
        assert gminas == {region}  # every entity sits in a gmina of its own voivodeship
        catalogues[region] = (inbox / "pes_catalogue/katalog_pes_2026-10-31.csv").read_bytes()
    assert catalogues["02"] != catalogues["04"]  # each region drawn from its own seed


def test_bulletins_list_the_numbers_of_the_days_entries(written: tuple[Path, Path]) -> None:
    """A year of daily bulletins, 1 November 2025 to 31 October 2026 (365 days), compact JSON
    arrays of unpadded numbers as the real bulletin (data/reference/krs/biuletyn-*.json); each
    number's extract, read with json, was last entered on that day (in one of the regions: KRS
    numbers are drawn per region, and two regions may hold the same one)."""
    root = written[0]
    bulletins = sorted((root / BULLETIN_FOLDER).glob("*.json"))
    assert (bulletins[0].stem, bulletins[-1].stem, len(bulletins)) == (
        "2025-11-01", "2026-10-31", 365)
    extracts: dict[str, list[Path]] = {}
    for region in REGIONS:
        for path in (root / region / "krs").glob("*.json"):
            extracts.setdefault(path.stem.rsplit("_", 1)[1], []).append(path)
    listed = 0
    for path in bulletins:
        text = path.read_text(encoding="utf-8")
        assert " " not in text
        day = date.fromisoformat(path.stem).strftime("%d.%m.%Y")
        for number in json.loads(text):
            assert not number.startswith("0")
            odpises = [json.loads(p.read_bytes())["odpis"] for p in extracts[number.zfill(10)]]
            assert day in {(o.get("naglowekA") or o["naglowekP"])["stanZDnia"] for o in odpises}
            listed += 1
    assert listed > 0


def test_next_month_renames_one_percent_in_extracts_and_catalogue(
        written: tuple[Path, Path], tmp_path: Path) -> None:
    """1 % of the 1 534 current extracts is 15.34: 15 entities renamed in November."""
    inbox = tmp_path / "02"
    shutil.copytree(written[0] / "02", inbox)
    changed = next_month(inbox, 7, 0.01, date(2026, 11, 30))
    assert len(changed) == 15
    for number in changed:
        odpis = json.loads((inbox / "krs" / f"odpis_aktualny_{number}.json").read_bytes())["odpis"]
        assert odpis["dane"]["dzial1"]["danePodmiotu"]["nazwa"].endswith(" W LIKWIDACJI")
        assert odpis["naglowekA"]["stanZDnia"].endswith(".11.2026")
    with (inbox / "pes_catalogue/katalog_pes_2026-11-30.csv").open(encoding="cp1250") as handle:
        rows = list(csv.DictReader(handle, delimiter=";"))
    renamed = {row["Numer KRS"].zfill(10) for row in rows
               if row["Nazwa podmiotu"].endswith(" w likwidacji")}
    assert renamed == set(changed)
    assert all(day.month == 11 for day in changed.values())
