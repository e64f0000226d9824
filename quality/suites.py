"""Great Expectations suites as code, run on pandas frames inside Dagster asset checks.

GX is imported inside the functions: it takes seconds to import and only the checks need it.
The context is ephemeral, so nothing is written outside the project.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import pandas as pd


@dataclass(frozen=True)
class SuiteOutcome:
    """What an analyst needs from a validation: passed or not, and which expectation failed."""

    success: bool
    failures: list[dict[str, Any]] = field(default_factory=list)
    evaluated: int = 0

    def metadata(self) -> dict[str, Any]:
        return {"expectations": self.evaluated, "failed": len(self.failures),
                "failures": self.failures}


def pes_entity_suite(entity_types: list[str], powiat_codes: list[str]) -> list:
    """Expectations on core.pes_entity: one row per id, a known type and powiat, a start date."""
    import great_expectations as gx

    return [
        gx.expectations.ExpectColumnValuesToNotBeNull(column="entity_id"),
        gx.expectations.ExpectColumnValuesToBeUnique(column="entity_id"),
        gx.expectations.ExpectColumnValuesToBeInSet(column="entity_type", value_set=entity_types),
        gx.expectations.ExpectColumnValuesToNotBeNull(column="entity_type"),
        gx.expectations.ExpectColumnValuesToBeInSet(column="powiat_code", value_set=powiat_codes),
        gx.expectations.ExpectColumnValuesToNotBeNull(column="started_on"),
        gx.expectations.ExpectColumnValuesToMatchRegex(column="krs", regex=r"^\d{10}$"),
    ]


def validate_frame(frame: pd.DataFrame, expectations: list) -> SuiteOutcome:
    """Run expectations on a frame; failures list the expectation, its column and counts."""
    import great_expectations as gx
    from great_expectations.data_context.types.base import ProgressBarsConfig

    context = gx.get_context(mode="ephemeral")
    context.variables.progress_bars = ProgressBarsConfig(globally=False)
    batch = (
        context.data_sources.add_pandas("frames")
        .add_dataframe_asset("frame")
        .add_batch_definition_whole_dataframe("whole")
        .get_batch(batch_parameters={"dataframe": frame})
    )
    failures = []
    for expectation in expectations:
        result = batch.validate(expectation)
        if not result.success:
            failures.append({
                "expectation": type(expectation).__name__,
                "column": getattr(expectation, "column", None),
                "unexpected_count": result.result.get("unexpected_count"),
                "unexpected_examples": [str(v) for v in
                                        (result.result.get("partial_unexpected_list") or [])[:5]],
            })
    return SuiteOutcome(success=not failures, failures=failures, evaluated=len(expectations))
