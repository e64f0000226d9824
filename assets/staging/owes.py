"""Staging of OWES quarterly reports: headline indicators, entities supported, jobs created.

Each report is one centre's quarter and its file name says which (`owes_OWES-1_2024Q3.xlsx`).
A corrected report is sent under the same name: landing keeps every copy it received, and the
inbox holds only the newest, so staging reads one version per centre and quarter; which
version that is (and how many came before) is in core.owes_report. A file whose name and
content disagree is quarantined whole, so two files can never both claim one quarter.
"""

from __future__ import annotations

from datetime import date
from functools import partial

import pandas as pd

from assets.settings import MonitorSettings
from assets.staging.flow import StagingSpec
from assets.staging.mapped_columns import typed_as_mapped
from quality import rules
from quality.quarantine import RowRule
from sources import owes_reports
from sources.mapping import load_mapping


def with_report_period(raw: pd.DataFrame, period_end: date) -> pd.DataFrame:
    """The quarter `2024-Q3` as its first and last day; whether the file name agrees with B2:B3;
    whether the quarter begins after the refresh's period end (a report sent too early, or a
    typo in B3)."""
    quarter = raw["quarter"].astype("string").str.strip().str.upper().str.extract(
        r"^(\d{4})-?Q([1-4])$")
    first_month = (quarter[1].astype("Int64") - 1) * 3 + 1
    starts = pd.to_datetime(quarter[0] + "-" + first_month.astype("string") + "-01",
                            errors="coerce")
    label = quarter[0] + "-Q" + quarter[1]
    named = owes_reports.report_name_parts(raw["_file"])
    name_agrees = (named["centre_code"].str.casefold()
                   == raw["centre_code"].astype("string").str.strip().str.casefold()) & (
        named["quarter"] == label)
    return raw.assign(
        quarter=label.fillna(raw["quarter"].astype("string")),
        quarter_start=starts.dt.date,
        quarter_end=(starts + pd.offsets.QuarterEnd(0)).dt.date,
        name_agrees=name_agrees.fillna(False).astype(bool),
        # the reader's own columns serve the rules only, and are not written
        _after_period=(starts.dt.date > period_end).fillna(False).astype(bool),
        _period_end=period_end,
    )


def prepare_report_table(raw: pd.DataFrame, settings: MonitorSettings,
                         table: str) -> pd.DataFrame:
    """The report's quarter read (`with_report_period`), then every column typed as the
    table's mapping declares: identifiers normalised, dates and numbers parsed, written values
    coded with their official wording."""
    period = with_report_period(raw, settings.period_end_date())
    return typed_as_mapped(period, load_mapping(table))


HEADLINE = load_mapping(owes_reports.HEADLINE)
SUPPORTED = load_mapping(owes_reports.SUPPORTED)
JOBS = load_mapping(owes_reports.JOBS)
#: The cells of the headline sheet that name the centre and the quarter, as the file shows them.
CODE_CELL, PERIOD_CELL = HEADLINE.cells["centre_code"], HEADLINE.cells["quarter"]
PERIOD_FIELD = f"{PERIOD_CELL.caption} ({PERIOD_CELL.at})"

REPORT_RULES = [
    RowRule(PERIOD_FIELD, "invalid_period",
            f"Okres sprawozdawczy ({PERIOD_CELL.at}) nie ma postaci RRRR-Qn.",
            lambda f: f["quarter_start"].isna()),
    RowRule("Nazwa pliku", "report_name_mismatch",
            f"Nazwa pliku nie odpowiada kodowi OWES ({CODE_CELL.at}) i kwartałowi "
            f"({PERIOD_CELL.at}) sprawozdania; plik "
            "powinien nazywać się owes_<kod>_<RRRR>Q<n>.xlsx. Korektę sprawozdania zapisz pod "
            "tą samą nazwą co poprzednią wersję.",
            lambda f: f["quarter_start"].notna() & ~f["name_agrees"]),
    RowRule(PERIOD_FIELD, "report_after_period",
            "Sprawozdanie dotyczy kwartału, który zaczyna się po końcu okresu tego odświeżenia; "
            "nie jest liczone, dopóki odświeżenie nie obejmie tego kwartału.",
            lambda f: f["_after_period"],
            detail=lambda f: "Kwartał " + f["quarter"].astype("string") + ", koniec okresu "
            + f["_period_end"].map(lambda d: d.strftime("%d.%m.%Y")) + "."),
]


def within_quarter(parsed: str, label: str) -> RowRule:
    """A detail row dated outside the report's quarter belongs to another report."""
    return RowRule(f"{parsed}_text", "date_outside_period",
                   f"{label} spoza kwartału, którego dotyczy sprawozdanie.",
                   lambda f: f[parsed].notna() & ((pd.to_datetime(f[parsed])
                                                   < pd.to_datetime(f["quarter_start"]))
                                                  | (pd.to_datetime(f[parsed])
                                                     > pd.to_datetime(f["quarter_end"]))))


ENTITY_RULES = [rules.valid_krs(), rules.valid_nip()]

headline_spec = StagingSpec(
    table=owes_reports.HEADLINE,
    label_pl="Sprawozdania OWES – wskaźniki",
    landing_source="owes",
    read=owes_reports.read_owes_headline,
    prepare=partial(prepare_report_table, table=owes_reports.HEADLINE),
    rules=[
        *REPORT_RULES,
        rules.known_value("indicator_pl", "indicator", HEADLINE.label("indicator_pl")),
        RowRule("value_text", "invalid_number", "Wartość nie jest liczbą nieujemną.",
                lambda f: ~(f["value"] >= 0)),
    ],
    description="OWES headline indicators per support centre and quarter.",
)

supported_spec = StagingSpec(
    table=owes_reports.SUPPORTED,
    label_pl="Sprawozdania OWES – podmioty wsparte",
    landing_source="owes",
    read=owes_reports.read_owes_supported_entities,
    prepare=partial(prepare_report_table, table=owes_reports.SUPPORTED),
    rules=[
        *REPORT_RULES,
        rules.required("entity_name", SUPPORTED.label("entity_name")),
        *ENTITY_RULES,
        *rules.required_date("supported_on", SUPPORTED.label("supported_on")),
        within_quarter("supported_on", SUPPORTED.label("supported_on")),
    ],
    description="Entities an OWES supported in a quarter, with KRS and NIP normalised.",
)

jobs_spec = StagingSpec(
    table=owes_reports.JOBS,
    label_pl="Sprawozdania OWES – miejsca pracy",
    landing_source="owes",
    read=owes_reports.read_owes_jobs,
    prepare=partial(prepare_report_table, table=owes_reports.JOBS),
    rules=[
        *REPORT_RULES,
        rules.required("enterprise_name", JOBS.label("enterprise_name")),
        *ENTITY_RULES,
        *rules.required_date("started_on", JOBS.label("started_on")),
        within_quarter("started_on", JOBS.label("started_on")),
        *(rules.known_value(f"{name}_pl", name, JOBS.label(f"{name}_pl"))
          for name in ("contract_type", "at_risk_group")),
    ],
    description="Jobs created in social enterprises, reported by the OWES: no names, the "
                "employer, start date, contract type and the person's at-risk group.",
)

owes_specs = [headline_spec, supported_spec, jobs_spec]
