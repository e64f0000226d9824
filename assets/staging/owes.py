"""Staging of OWES quarterly reports: headline indicators, entities supported, jobs created.

Each report is one centre's quarter and its file name says which (`owes_OWES-1_2024Q3.xlsx`).
A corrected report is sent under the same name: landing keeps every copy it received, and the
inbox holds only the newest, so staging reads one version per centre and quarter; which
version that is (and how many came before) is in core.owes_report. A file whose name and
content disagree is quarantined whole, so two files can never both claim one quarter.
"""

from __future__ import annotations

from datetime import date

import pandas as pd

from assets.settings import MonitorSettings
from assets.staging.flow import StagingSpec
from quality import rules
from quality.identifiers import digits_only, normalise_krs
from quality.quarantine import RowRule
from sources import owes_reports
from sources.cells import with_parsed_dates, with_parsed_numbers, with_written_text
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


def with_entity_identifiers(raw: pd.DataFrame) -> pd.DataFrame:
    return raw.assign(krs=normalise_krs(raw["krs"]), nip=digits_only(raw["nip"]))


def prepare_headline(raw: pd.DataFrame, settings: MonitorSettings) -> pd.DataFrame:
    """Values with a decimal comma become numbers; each indicator gets its code and label."""
    mapping = load_mapping(owes_reports.HEADLINE)
    indicator = mapping.lookup("indicator", raw["indicator_pl"])
    return with_parsed_numbers(with_report_period(raw, settings.period_end_date()), "value").assign(
        indicator=indicator,
        indicator_label=mapping.lookup("indicator_label", indicator),
    )


def prepare_supported(raw: pd.DataFrame, settings: MonitorSettings) -> pd.DataFrame:
    period = with_report_period(raw, settings.period_end_date())
    named = with_written_text(with_entity_identifiers(period), "entity_name")
    return with_parsed_dates(named, "supported_on")


def prepare_jobs(raw: pd.DataFrame, settings: MonitorSettings) -> pd.DataFrame:
    mapping = load_mapping(owes_reports.JOBS)
    contract = mapping.lookup("contract_type", raw["contract_type_pl"])
    group = mapping.lookup("at_risk_group", raw["at_risk_group_pl"])
    period = with_report_period(raw, settings.period_end_date())
    named = with_written_text(with_entity_identifiers(period), "enterprise_name")
    return with_parsed_dates(named, "started_on").assign(
        contract_type=contract,
        contract_type_label=mapping.lookup("contract_type_label", contract),
        at_risk_group=group,
        at_risk_group_label=mapping.lookup("at_risk_group_label", group),
    )


REPORT_RULES = [
    RowRule("Okres (B3)", "invalid_period", "Okres sprawozdawczy (B3) nie ma postaci RRRR-Qn.",
            lambda f: f["quarter_start"].isna()),
    RowRule("Nazwa pliku", "report_name_mismatch",
            "Nazwa pliku nie odpowiada kodowi OWES (B2) i kwartałowi (B3) sprawozdania; plik "
            "powinien nazywać się owes_<kod>_<RRRR>Q<n>.xlsx. Korektę sprawozdania zapisz pod "
            "tą samą nazwą co poprzednią wersję.",
            lambda f: f["quarter_start"].notna() & ~f["name_agrees"]),
    RowRule("Okres (B3)", "report_after_period",
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
    prepare=prepare_headline,
    rules=[
        *REPORT_RULES,
        rules.known_value("indicator_pl", "indicator", "Nazwa wskaźnika"),
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
    prepare=prepare_supported,
    rules=[
        *REPORT_RULES,
        rules.required("entity_name", "Nazwa podmiotu"),
        *ENTITY_RULES,
        *rules.required_date("supported_on", "Data wsparcia"),
        within_quarter("supported_on", "Data wsparcia"),
    ],
    description="Entities an OWES supported in a quarter, with KRS and NIP normalised.",
)

jobs_spec = StagingSpec(
    table=owes_reports.JOBS,
    label_pl="Sprawozdania OWES – miejsca pracy",
    landing_source="owes",
    read=owes_reports.read_owes_jobs,
    prepare=prepare_jobs,
    rules=[
        *REPORT_RULES,
        rules.required("enterprise_name", "Nazwa przedsiębiorstwa społecznego"),
        *ENTITY_RULES,
        *rules.required_date("started_on", "Data zatrudnienia"),
        within_quarter("started_on", "Data zatrudnienia"),
        rules.known_value("contract_type_pl", "contract_type", "Rodzaj umowy"),
        rules.known_value("at_risk_group_pl", "at_risk_group", "Grupa zagrożona wykluczeniem"),
    ],
    description="Jobs created in social enterprises, reported by the OWES: no names, the "
                "employer, start date, contract type and the person's at-risk group.",
)

owes_specs = [headline_spec, supported_spec, jobs_spec]
