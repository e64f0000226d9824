"""Staging of OWES quarterly reports: the headline indicators, one row per centre, quarter."""

from __future__ import annotations

import pandas as pd

from assets.settings import MonitorSettings
from assets.staging.flow import StagingSpec
from quality import rules
from quality.quarantine import RowRule
from sources.mapping import load_mapping
from sources.owes_reports import read_owes_headline


def prepare_owes(raw: pd.DataFrame, settings: MonitorSettings) -> pd.DataFrame:
    """Values with a decimal comma become numbers; `2024-Q3` becomes the quarter's first day."""
    text = raw["value"].astype("string").str.replace(r"\s", "", regex=True).str.replace(",", ".")
    quarter = raw["quarter"].astype("string").str.extract(r"^(\d{4})-?Q([1-4])$")
    starts = pd.to_datetime(quarter[0] + "-" + ((quarter[1].astype("Int64") - 1) * 3 + 1)
                            .astype("string") + "-01", errors="coerce")
    return raw.rename(columns={"value": "value_text"}).assign(
        indicator=load_mapping("owes_indicator").lookup("indicator", raw["indicator_pl"]),
        value=pd.to_numeric(text, errors="coerce"),
        quarter_start=starts.dt.date,
    )


owes_spec = StagingSpec(
    table="owes_indicator",
    label_pl="Sprawozdania OWES",
    landing_source="owes",
    read=read_owes_headline,
    prepare=prepare_owes,
    rules=[
        rules.known_value("indicator_pl", "indicator", "Nazwa wskaźnika"),
        RowRule("quarter", "invalid_period", "Okres sprawozdawczy nie ma postaci RRRR-Qn.",
                lambda f: f["quarter_start"].isna()),
        RowRule("value_text", "invalid_number", "Wartość nie jest liczbą nieujemną.",
                lambda f: ~(f["value"] >= 0)),
    ],
    description="OWES headline indicators per support centre and quarter.",
)

owes_specs = [owes_spec]
