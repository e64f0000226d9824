"""Custom Great Expectations for the Polish identifiers: NIP and REGON check digits.

Imported only inside asset checks (GX takes seconds to import). The conditions reuse the
vectorised checks of quality/identifiers.py, so a suite and the row rules agree by design.
Missing values are not counted as unexpected: pair these with a not-null expectation.
"""

from great_expectations.execution_engine import PandasExecutionEngine
from great_expectations.expectations.expectation import ColumnMapExpectation
from great_expectations.expectations.metrics import (
    ColumnMapMetricProvider,
    column_condition_partial,
)

from quality.identifiers import nip_is_valid, regon_is_valid


class ColumnValuesValidNip(ColumnMapMetricProvider):
    condition_metric_name = "column_values.valid_nip"

    @column_condition_partial(engine=PandasExecutionEngine)
    def _pandas(cls, column, **kwargs):  # noqa: N805 (GX calls it as a class method)
        return nip_is_valid(column.astype("string"))


class ExpectColumnValuesToBeValidNip(ColumnMapExpectation):
    """Every NIP has 10 digits and a correct check digit."""

    map_metric = "column_values.valid_nip"
    success_keys = ("mostly",)


class ColumnValuesValidRegon(ColumnMapMetricProvider):
    condition_metric_name = "column_values.valid_regon"

    @column_condition_partial(engine=PandasExecutionEngine)
    def _pandas(cls, column, **kwargs):  # noqa: N805
        return regon_is_valid(column.astype("string"))


class ExpectColumnValuesToBeValidRegon(ColumnMapExpectation):
    """Every REGON has 9 or 14 digits and a correct check digit."""

    map_metric = "column_values.valid_regon"
    success_keys = ("mostly",)
