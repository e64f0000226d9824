"""The bundled sample's OWES reports and activity log against the readers and their truth.

The generator writes `_truth/summary.json` with what it put in (sample_data/owes_reports.py,
sample_data/activity_log.py); here the readers and staging rules read the files back, without
Dagster, and must find exactly that: every row accepted (but the deliberately bad PESEL), both
OWES templates read, the deliberately short job lists found as headline mismatches.
(The full refresh of the sample, with every indicator, is `pes-monitor refresh`; it takes over a
minute, too long for the test suite.)
"""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest

from assets.settings import MonitorSettings
from assets.staging.activity import activity_specs
from assets.staging.owes import headline_spec, jobs_spec, supported_spec
from quality.identifiers import pesel_is_valid
from quality.quarantine import Screened, screen
from sample_data import DEFAULT_TERYT_CSV, generate_sample
from sources.activity_log import pseudonymise_workbook

SETTINGS = MonitorSettings(inbox_dir="inbox", reference_dir="data/reference", landing_dir="l",
                           publish_dir="p", pseudonym_key_file="k")


@pytest.fixture(scope="module")
def sample(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict]:
    root = tmp_path_factory.mktemp("sample28")
    generate_sample(root, DEFAULT_TERYT_CSV, seed=28)
    return root, json.loads((root / "_truth" / "summary.json").read_text(encoding="utf-8"))


def staged(spec, paths: list[Path]) -> Screened:
    raw = pd.concat([spec.read(p).assign(_file=p.name) for p in paths], ignore_index=True)
    return screen(spec.prepare(raw, SETTINGS), spec.rules)


def test_owes_reports_read_back_as_written(sample: tuple[Path, dict]) -> None:
    root, truth = sample
    paths = sorted((root / "owes").glob("*.xlsx"))
    headline, jobs = staged(headline_spec, paths), staged(jobs_spec, paths)
    assert headline.rejected.empty and jobs.rejected.empty
    assert len(jobs.accepted) == truth["owes_job_rows"]
    # the entity lists (tests/test_sample_data.py counts their rows): every 10th report
    entities = staged(supported_spec, paths[::10])
    assert entities.rejected.empty and len(entities.accepted) > 0
    # reports up to 2018 are in the earlier template, read through its alias
    earlier = jobs.accepted[jobs.accepted["quarter_start"].astype(str) < "2019-01-01"]
    assert earlier["at_risk_group"].notna().all() and len(earlier) > 0
    assert truth["owes_reports_earlier_template"] == 4 * 12
    # the headline's jobs against the rows listed: short exactly where the truth says
    declared = headline.accepted[headline.accepted["indicator"] == "owes_jobs_created"].set_index(
        "_file")["value"]
    listed = jobs.accepted.groupby("_file").size().reindex(declared.index, fill_value=0)
    short = sorted(f"owes/{name}" for name in declared.index[declared != listed])
    assert short == sorted(truth["owes_jobs_headline_mismatches"]) and short


def test_activity_log_reads_back_with_only_the_bad_pesel_rejected(
    sample: tuple[Path, dict], tmp_path: Path,
) -> None:
    root, truth = sample
    landed = tmp_path / "dziennik.xlsx"
    pseudonymise_workbook(next((root / "activity").glob("*.xlsx")), landed, b"key",
                          pesel_is_valid)
    tables = {spec.table: staged(spec, [landed]) for spec in activity_specs}
    rejected = {table: len(s.rejected) for table, s in tables.items() if len(s.rejected)}
    bad_pesel = truth["pesel_empty_rows"] + truth["pesel_invalid_rows"]
    assert rejected == {"participation": bad_pesel}
    assert len(tables["unidentified_attendance"].accepted) == bad_pesel
    assert len(tables["participation"].accepted) == truth["participant_rows"] - bad_pesel
    assert tables["jst_social_clause"].accepted["jst_terc"].nunique() == truth[
        "jst_with_social_clauses"]
    assert len(tables["pes_contract"].accepted) == truth["pes_contract_rows"]
    assert len(tables["prosocial_certificate"].accepted) == truth["prosocial_certificates"]
    visits = tables["study_visit"].accepted
    abroad = {(d.year, c) for d, c in zip(visits["started_on"], visits["country"], strict=True)
              if c != "Polska"}
    assert abroad == {(2018, "Włochy"), (2019, "Austria"), (2020, "Hiszpania")}
    kinds = tables["project_event"].accepted["event_kind"].value_counts().to_dict()
    assert kinds["owes_network_meeting"] == truth["events_by_kind"]["spotkanie sieci OWES"]
    assert kinds["platform_networking"] == truth["events_by_kind"]["spotkanie sieciujące"]
