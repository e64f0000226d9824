"""OWES quarterly reports: the template, an earlier variant of it, a report sent again as a new
version, and headline totals that disagree with the report's own detail sheets.

The workbooks are built here from rows a reader can check; the shared report of the fixture
inbox (tests/fixture_inbox.py: OWES-1, 2020-Q4) is the first version of the replaced report.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import pandas as pd
import pytest
from dagster import AssetKey, AssetSelection, DagsterInstance
from openpyxl import load_workbook

from assets.settings import MonitorSettings
from assets.staging.owes import headline_spec, jobs_spec, supported_spec
from pipelines.definitions import build_definitions
from quality.quarantine import screen
from sources.errors import SourceFileError
from sources.owes_reports import (
    read_owes_headline,
    read_owes_jobs,
    read_owes_supported_entities,
    write_blank_template,
)
from tests.conftest import Refresh, fixture_env, sha256_file
from tests.fixture_inbox import (
    OWES_CENTRE,
    OWES_JOBS,
    OWES_ROWS,
    OWES_SUPPORTED,
    owes_workbook,
    write_fixture_inbox,
)

TEMPLATE = Path(__file__).resolve().parents[1] / "data" / "templates" / \
    "owes_sprawozdanie_kwartalne.xlsx"
SETTINGS = MonitorSettings(inbox_dir="inbox", reference_dir="data/reference", landing_dir="l",
                           publish_dir="p", pseudonym_key_file="k")

# The template used until 2018: the at-risk group column was "Grupa docelowa", and a sheet of
# persons supported by sex was filled in as well (no longer read).
EARLIER_JOBS_HEADER = ("Lp.", "Nazwa przedsiębiorstwa społecznego", "Numer KRS", "NIP",
                       "Data zatrudnienia", "Rodzaj umowy", "Grupa docelowa")
EARLIER_EXTRA = {"Osoby wsparte": [("Płeć", "Liczba osób"), ("K", 7), ("M", 5)]}
EARLIER_CENTRE = ("OWES Subregionu Ełckiego", "OWES-3", "2018-Q2")
EARLIER_ROWS = [
    (1, "Liczba podmiotów ekonomii społecznej objętych wsparciem", 1),
    (2, "Liczba utworzonych przedsiębiorstw społecznych", 0),
    (3, "Liczba miejsc pracy utworzonych w przedsiębiorstwach społecznych", 2),
    (4, "Liczba osób objętych wsparciem", 12),
]
EARLIER_SUPPORTED = [(1, "Centrum Integracji Społecznej w Ełku", None, None,
                      datetime(2018, 4, 16))]
EARLIER_JOBS = [
    (1, "Spółdzielnia Socjalna Smak", "100003", None, datetime(2018, 5, 2), "umowa o pracę",
     "osoba bezdomna"),
    (2, "Spółdzielnia Socjalna Smak", "100003", None, datetime(2018, 6, 1), "umowa o pracę",
     "osoba opuszczająca zakład karny"),
]

# The corrected OWES-1 2020-Q4 report: totals now agree with the lists (2 entities, 3 jobs).
CORRECTED_ROWS = [
    (1, "Liczba podmiotów ekonomii społecznej objętych wsparciem", 2),
    (2, "Liczba utworzonych przedsiębiorstw społecznych", 1),
    (3, "Liczba miejsc pracy utworzonych w przedsiębiorstwach społecznych", 3),
    (4, "Liczba osób objętych wsparciem", 20),
]


def earlier_report(path: Path) -> Path:
    owes_workbook(EARLIER_CENTRE, EARLIER_ROWS, EARLIER_SUPPORTED, EARLIER_JOBS,
                  extra_sheets=EARLIER_EXTRA, jobs_header=EARLIER_JOBS_HEADER).save(path)
    return path


def screened(spec, path: Path, name: str | None = None):
    """Read a report as staging does (the file known by `name`), typed and screened."""
    raw = spec.read(path).assign(_file=name or path.name)
    return screen(spec.prepare(raw, SETTINGS), spec.rules)


def test_committed_template_is_the_one_the_mappings_define(tmp_path: Path) -> None:
    """data/templates holds the blank report written from the mapping files; re-writing it
    gives the same sheets, cells and drop-down lists, so the shipped copy has not drifted."""
    fresh = write_blank_template(tmp_path / "fresh.xlsx")
    shipped, written = load_workbook(TEMPLATE), load_workbook(fresh)
    assert shipped.sheetnames == written.sheetnames == ["Wskaźniki", "Podmioty wsparte",
                                                         "Miejsca pracy"]
    for name in shipped.sheetnames:
        assert ([list(r) for r in shipped[name].iter_rows(values_only=True)]
                == [list(r) for r in written[name].iter_rows(values_only=True)]), name
        assert ([v.formula1 for v in shipped[name].data_validations.dataValidation]
                == [v.formula1 for v in written[name].data_validations.dataValidation])
    assert [r[1] for r in shipped["Wskaźniki"].iter_rows(min_row=6, values_only=True)] == [
        row[1] for row in OWES_ROWS[:4]]


def test_blank_template_needs_its_centre_and_quarter_then_reads(tmp_path: Path) -> None:
    path = write_blank_template(tmp_path / "owes_OWES-2_2021Q1.xlsx")
    with pytest.raises(SourceFileError, match="centre's code in B2 and the quarter"):
        read_owes_headline(path)
    workbook = load_workbook(path)
    headline = workbook["Wskaźniki"]
    headline["B1"], headline["B2"], headline["B3"] = "OWES Olsztyn", "OWES-2", "2021-Q1"
    for row in range(6, 10):
        headline.cell(row=row, column=3, value=row - 5)
    workbook.save(path)
    result = screened(headline_spec, path)
    assert result.rejected.empty
    assert list(result.accepted["value"]) == [1.0, 2.0, 3.0, 4.0]
    assert set(result.accepted["quarter_start"].astype(str)) == {"2021-01-01"}
    assert read_owes_supported_entities(path).empty and read_owes_jobs(path).empty


def test_earlier_template_is_read_through_its_aliases(tmp_path: Path) -> None:
    """A renamed column is an alias in sources/mappings/owes_job.yml; the extra sheet is not
    read but named in the read notes, like an unused column."""
    path = earlier_report(tmp_path / "owes_OWES-3_2018Q2.xlsx")
    jobs = screened(jobs_spec, path)
    assert jobs.rejected.empty
    assert list(jobs.accepted["at_risk_group"]) == ["homeless", "former_prisoner"]
    assert list(jobs.accepted["at_risk_group_label"]) == ["osoba bezdomna",
                                                          "osoba opuszczająca zakład karny"]
    assert read_owes_headline(path).attrs["unread_sheets"] == ["Osoby wsparte"]


def test_file_name_must_name_the_centre_and_quarter_of_its_content(tmp_path: Path) -> None:
    """Two files can never both claim one quarter: a report whose name disagrees with B2:B3
    is quarantined whole; the name is compared ignoring case."""
    path = tmp_path / "report.xlsx"
    owes_workbook(OWES_CENTRE, OWES_ROWS, OWES_SUPPORTED, OWES_JOBS).save(path)
    for spec, rows in ((headline_spec, 5), (supported_spec, 4), (jobs_spec, 3)):
        wrong = screened(spec, path, "owes_OWES-1_2020Q3.xlsx")
        assert wrong.accepted.empty
        mismatch = wrong.rejected[wrong.rejected["reason_code"] == "report_name_mismatch"]
        assert len(mismatch) == rows
    assert len(screened(supported_spec, path, "OWES_owes-1_2020q4.xlsx").accepted) == 4


def test_detail_rows_outside_the_quarter_and_bad_identifiers_are_quarantined(
    tmp_path: Path,
) -> None:
    path = tmp_path / "owes_OWES-1_2020Q4.xlsx"
    supported = [
        (1, "Podmiot A", "100001", None, datetime(2020, 9, 30)),  # the quarter before
        (2, "Podmiot B", None, "5781000032", datetime(2020, 10, 1)),  # NIP check digit (1)
        (3, "Podmiot C", None, None, "31.12.2020"),  # fine: the quarter's last day
    ]
    jobs = [(1, "Podmiot C", None, None, datetime(2020, 11, 1), "umowa o dzieło",
             "osoba bezrobotna")]
    owes_workbook(OWES_CENTRE, OWES_ROWS, supported, jobs).save(path)
    entities = screened(supported_spec, path)
    assert set(entities.rejected[["line", "reason_code"]].itertuples(index=False, name=None)) \
        == {(2, "date_outside_period"), (3, "invalid_nip")}
    assert list(entities.accepted["entity_name"]) == ["Podmiot C"]
    job = screened(jobs_spec, path)
    assert list(job.rejected["reason_code"]) == ["unknown_value"]


MISMATCHES = ("select centre_code, quarter, indicator, headline_value, detail_rows, message_pl "
              "from core.owes_headline_mismatch order by indicator")


OWES_MARTS = ("owes_indicators_by_quarter", "owes_outputs_by_powiat", "owes_jobs_by_group")


def refresh_marts(root: Path, inbox: Path, marts: tuple[str, ...]) -> Refresh:
    """The monthly job restricted to some marts and everything upstream of them (landing,
    staging with its checks, core): the same code as a full refresh, in half the time."""
    env = fixture_env(root, inbox)
    definitions = build_definitions(env)
    # the entity tables are decided in one step: selecting one selects them all
    selection = AssetSelection.assets(*(AssetKey(["marts", m]) for m in marts)).upstream()
    keys = selection.required_multi_asset_neighbors().resolve(definitions.resolve_asset_graph())
    result = definitions.resolve_job_def("monthly_refresh").execute_in_process(
        instance=DagsterInstance.ephemeral(), raise_on_error=False, asset_selection=list(keys))
    return Refresh(root=root, inbox=inbox, env=env, result=result)


@pytest.fixture(scope="module")
def replaced(tmp_path_factory: pytest.TempPathFactory) -> tuple[Refresh, pd.DataFrame, Refresh]:
    """Two refreshes into one warehouse: the fixture inbox plus an earlier-template report;
    then the OWES-1 2020-Q4 report sent again, corrected, under the same name. Returns the
    first refresh, the mismatches it found and the second refresh."""
    root = tmp_path_factory.mktemp("owes_versions")
    inbox = write_fixture_inbox(root / "inbox")
    earlier_report(inbox / "owes" / "owes_OWES-3_2018Q2.xlsx")
    first = refresh_marts(root, inbox, OWES_MARTS)
    first_mismatches = first.query(MISMATCHES)
    corrected = owes_workbook(OWES_CENTRE, CORRECTED_ROWS, OWES_SUPPORTED[:2], OWES_JOBS)
    corrected.save(inbox / "owes" / "owes_OWES-1_2020Q4.xlsx")
    return first, first_mismatches, refresh_marts(root, inbox, OWES_MARTS)


def test_replaced_report_is_read_in_its_new_version_and_the_old_one_kept(
    replaced: tuple[Refresh, pd.DataFrame, Refresh],
) -> None:
    first, _, second = replaced
    assert first.result.success and second.result.success
    reports = second.query("select centre_code, quarter, version, versions_received, "
                           "entities_supported, entities_listed, jobs_created, jobs_listed "
                           "from core.owes_report order by quarter")
    assert [tuple(r) for r in reports.itertuples(index=False)] == [
        ("OWES-3", "2018-Q2", 1, 1, 1.0, 1, 2.0, 2),
        ("OWES-1", "2020-Q4", 2, 2, 2.0, 2, 3.0, 3),
    ]
    values = second.query("select indicator, value from staging.owes_indicator "
                          "where centre_code = 'OWES-1'")
    assert dict(zip(values.indicator, values.value, strict=True)) == {
        "owes_entities_supported": 2.0, "owes_social_enterprises_created": 1.0,
        "owes_jobs_created": 3.0, "owes_persons_supported": 20.0}
    assert second.query("select count(*) as n from staging.owes_supported_entity "
                        "where centre_code = 'OWES-1'")["n"].iloc[0] == 2
    # landing keeps both versions of the file, each under its own sha256
    copies = second.query("select landed_sha256 from landing.file_registry "
                          "where original_name = 'owes_OWES-1_2020Q4.xlsx' order by landed_at")
    assert len(copies) == 2
    assert all((second.landing / "owes" / f"{sha}.xlsx").exists() for sha in copies.landed_sha256)
    current = second.inbox / "owes" / "owes_OWES-1_2020Q4.xlsx"
    assert copies.landed_sha256.iloc[1] == sha256_file(current)


def test_headline_totals_that_disagree_are_flagged_not_blocked(
    replaced: tuple[Refresh, pd.DataFrame, Refresh],
) -> None:
    """First version: 12 entities declared, 4 listed; 4,5 jobs declared, 3 listed. The
    corrected version agrees, and so does the earlier-template report."""
    first, flagged, second = replaced
    assert [tuple(r)[:5] for r in flagged.itertuples(index=False)] == [
        ("OWES-1", "2020-Q4", "owes_entities_supported", 12.0, 4),
        ("OWES-1", "2020-Q4", "owes_jobs_created", 4.5, 3),
    ]
    assert flagged["message_pl"].iloc[1] == ("Wartość w arkuszu Wskaźniki: 4,5, wierszy w "
                                             "arkuszu Miejsca pracy: 3.")
    warning = next(e for e in first.result.get_asset_materialization_events()
                   if e.asset_key.path == ["core", "owes_headline_mismatch"])
    metadata = warning.materialization.metadata
    assert metadata["mismatches"].value == 2
    assert "2 wskaźnik" in metadata["warning"].value
    assert second.query("select count(*) as n from core.owes_headline_mismatch")["n"].iloc[0] == 0
    marked = second.query("select centre_code, indicator, agrees_with_detail, report_version "
                          "from marts.owes_indicators_by_quarter where centre_code = 'OWES-1'")
    assert marked["agrees_with_detail"].all() and set(marked["report_version"]) == {2}


def test_earlier_template_report_reaches_the_marts(
    replaced: tuple[Refresh, pd.DataFrame, Refresh],
) -> None:
    """OWES-3 2018-Q2 (earlier template): one CIS supported (catalogue powiat ełcki, 2805, by
    REGON only, so not matched by KRS or NIP: no powiat), two jobs at the Smak cooperative
    (KRS 100003, m. Elbląg 2861)."""
    _, _, second = replaced
    powiat = second.query("select powiat_code, subregion_pl, entities_supported, jobs_created "
                          "from marts.owes_outputs_by_powiat where quarter = '2018-Q2' "
                          "order by powiat_code nulls last")
    assert [tuple(None if pd.isna(v) else v for v in r) for r in powiat.itertuples(index=False)] \
        == [("2861", "subregion elbląski", 0, 2), (None, None, 1, 0)]
    groups = second.query("select at_risk_group, jobs from marts.owes_jobs_by_group "
                          "where quarter = '2018-Q2' order by at_risk_group")
    assert dict(zip(groups.at_risk_group, groups.jobs, strict=True)) == {
        "former_prisoner": 1, "homeless": 1}
