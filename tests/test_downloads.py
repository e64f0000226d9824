"""The downloads of a release: indicator values and the entity list, CSV and XLSX, with a
metadata sheet, linked from the page, listed in the manifest, and no count of 1 or 2 persons.

Expected rows are worked out by hand from the fixture inbox (period end 31.12.2020; see
tests/test_target_status.py, test_owes_marts.py).
"""

from __future__ import annotations

import io
import json

import pandas as pd
import pytest
from openpyxl import load_workbook

from assets.downloads import indicator_values_frame
from assets.marts import CATALOGUE
from dashboards.download_links import DOWNLOAD_LINKS
from quality.disclosure import persons_counts
from tests.conftest import Refresh, sha256_file

REGION = "województwo warmińsko-mazurskie"


def read_csv(run: Refresh, name: str) -> pd.DataFrame:
    raw = (run.publish / name).read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")  # UTF-8, marked so for Excel
    return pd.read_csv(io.BytesIO(raw), sep=";", dtype=str, encoding="utf-8-sig",
                       keep_default_na=False)


def test_long_rows_from_published_values() -> None:
    """Two published rows of owes_jobs_by_group, the first hidden: one row each per measure,
    the marker in place of the number, the group and contract as the category."""
    values = {"owes_jobs_by_group": [
        {"quarter_start": "2020-10-01", "quarter": "2020-Q4", "year": 2020,
         "centre_code": "OWES-1", "centre_name": None, "at_risk_group": "disabled",
         "at_risk_group_label": "osoba z niepełnosprawnością", "contract_type": "coop",
         "contract_type_label": "spółdzielcza umowa o pracę", "jobs": None,
         "jobs_suppressed": "<3"},
        {"quarter_start": "2020-10-01", "quarter": "2020-Q4", "year": 2020,
         "centre_code": "OWES-1", "centre_name": None, "at_risk_group": "unemployed",
         "at_risk_group_label": "osoba bezrobotna", "contract_type": "employment",
         "contract_type_label": "umowa o pracę", "jobs": 4, "jobs_suppressed": None}]}
    keys = {"owes_jobs_by_group": ["quarter_start", "quarter", "year", "centre_code",
                                   "at_risk_group",
                                   "at_risk_group_label", "contract_type",
                                   "contract_type_label"]}
    frame = indicator_values_frame(values, keys, REGION)
    assert frame[["okres", "terytorium", "kategoria", "miara", "wartosc"]].values.tolist() == [
        ["2020-Q4", "OWES-1", "osoba z niepełnosprawnością · spółdzielcza umowa o pracę",
         "jobs", "<3"],
        ["2020-Q4", "OWES-1", "osoba bezrobotna · umowa o pracę", "jobs", 4]]
    assert set(frame["jednostka"]) == {CATALOGUE["owes_jobs_by_group"]["unit_pl"]}


def test_indicator_values_by_hand(refreshed: Refresh) -> None:
    """JST at 31.12.2020: 5 of the 16 targeted, missed; Spain 2020: 0 visits of 1 planned,
    missed; active PES at 31.12.2020: 3 associations. One row per indicator, period,
    territory, category and measure; every indicator of the catalogue is there."""
    rows = read_csv(refreshed, "wskazniki.csv")
    assert list(rows.columns) == ["wskaznik", "nazwa_wskaznika", "okres", "terytorium",
                                  "kategoria", "miara", "wartosc", "jednostka", "cel",
                                  "status_celu"]
    jst = rows[(rows["wskaznik"] == "jst_supported_cumulative") & (rows["okres"] == "2020-12-31")]
    assert jst[["terytorium", "miara", "wartosc", "cel", "status_celu"]].values.tolist() == [
        [REGION, "jst_supported", "5", "16", "nieosiągnięty"]]
    assert set(jst["jednostka"]) == {CATALOGUE["jst_supported_cumulative"]["unit_pl"]}
    spain = rows[(rows["wskaznik"] == "study_visits_per_year") & (rows["okres"] == "2020")
                 & (rows["kategoria"] == "Hiszpania")]
    assert spain[["miara", "wartosc", "cel", "status_celu"]].values.tolist() == [
        ["visits", "0", "1", "nieosiągnięty"], ["participants", "0", "1", "nieosiągnięty"]]
    associations = rows[(rows["wskaznik"] == "active_pes_by_type")
                        & (rows["okres"] == "2020-12-31") & (rows["kategoria"] == "stowarzyszenia")]
    assert associations["wartosc"].tolist() == ["3"]
    budget = rows[rows["wskaznik"] == "project_budget"]
    assert "2158612,28" in budget["wartosc"].tolist()  # decimal comma, no thousands spaces
    assert set(rows["wskaznik"]) == set(CATALOGUE)
    assert not rows.duplicated(["wskaznik", "okres", "terytorium", "kategoria", "miara"]).any()


def test_no_count_of_one_or_two_persons_in_the_downloads(refreshed: Refresh) -> None:
    """The fixture's OWES jobs are 2 and 1 (IV kw. 2020): both hidden in the CSV and the XLSX,
    marked "ukryto" as every hidden cell of a column whose totals are published (the page's
    bars, the jobs card). No measure that counts persons reads 1 or 2 anywhere; the entity
    list counts none."""
    persons = {(name, count.column) for name, entry in CATALOGUE.items()
               for count in persons_counts(entry.get("persons_counts"))}
    persons |= {(name, column) for name, entry in CATALOGUE.items()
                for column in entry.get("persons_counts_from", {}).get("columns", {})}
    rows = read_csv(refreshed, "wskazniki.csv")
    # of the cards only the jobs count persons (the rule's `rows`); the others count meetings,
    # JST, visits, złoty, entities
    other_cards = (rows["wskaznik"] == "headline_cards") & ~rows["kategoria"].str.startswith(
        "jobs_created")
    counted = rows[[(n, m) in persons and not other for n, m, other in zip(
        rows["wskaznik"], rows["miara"], other_cards, strict=True)]]
    assert len(counted) > 20
    assert not counted["wartosc"].isin(["1", "2"]).any()
    jobs = counted[counted["wskaznik"] == "owes_jobs_by_group"]
    assert jobs["wartosc"].tolist() == ["ukryto", "ukryto"]
    book = load_workbook(refreshed.publish / "wskazniki.xlsx", read_only=True)
    sheet = list(book["wskazniki"].values)
    header = sheet[0]
    in_xlsx = [dict(zip(header, row, strict=True)) for row in sheet[1:]]
    assert len(in_xlsx) == len(rows)
    assert not [row for row in in_xlsx if (row["wskaznik"], row["miara"]) in persons
                and row["wartosc"] in (1, 2, "1", "2") and not (
                    row["wskaznik"] == "headline_cards"
                    and not str(row["kategoria"]).startswith("jobs_created"))]
    assert [row["wartosc"] for row in in_xlsx if row["wskaznik"] == "owes_jobs_by_group"] == [
        "ukryto", "ukryto"]
    entities = read_csv(refreshed, "podmioty.csv")
    assert "wierszy_zrodel" in entities.columns  # rows of registers, not persons
    assert not {"uczestnicy", "osoby", "miejsca_pracy"} & set(entities.columns)


@pytest.mark.parametrize(("name", "sheet"), [("wskazniki.xlsx", "wskazniki"),
                                             ("podmioty.xlsx", "podmioty")])
def test_xlsx_has_its_metadata_sheet(refreshed: Refresh, name: str, sheet: str) -> None:
    book = load_workbook(refreshed.publish / name, read_only=True)
    assert book.sheetnames == [sheet, "metadane"]
    meta = [row for row in book["metadane"].values if any(row)]
    head = {row[0]: row[1] for row in meta[:8]}
    assert head["Dane według stanu na"] == "31.12.2020"
    assert head["Licencja"].startswith("CC BY 4.0")
    assert head["Źródło"] and "/" not in head["Źródło"]  # registers named, not paths
    assert head["Obszar"] == REGION
    if name == "wskazniki.xlsx":
        definitions = {row[0]: row for row in meta[9:]}
        for indicator, entry in CATALOGUE.items():
            assert definitions[indicator][3] == " ".join(entry["description_pl"].split())
            assert definitions[indicator][4]  # its source in Polish
    else:
        entities = read_csv(refreshed, "podmioty.csv")
        assert book["podmioty"].max_row == len(entities) + 1


def test_downloads_are_in_the_release_listed_and_linked(refreshed: Refresh) -> None:
    release = json.loads((refreshed.publish / "release.json").read_text(encoding="utf-8"))
    listed = {row["file"]: row["sha256"] for row in release["files"]}
    page = (refreshed.publish / "dashboard.html").read_text(encoding="utf-8")
    for link in DOWNLOAD_LINKS:
        assert listed[link.file_name] == sha256_file(refreshed.publish / link.file_name)
        assert f'<a href="{link.file_name}" download>' in page
    assert "CC BY 4.0" in page
