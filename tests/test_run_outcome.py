"""A failed step told in one Polish line: the innermost error without its class name, and a
warehouse another process holds recognised as such (the CLI then exits with code 3)."""

from __future__ import annotations

from dagster._core.execution.plan.objects import StepFailureData, UserFailureData
from dagster._utils.error import SerializableErrorInfo

from pipelines.run_outcome import step_failure_line

LOCKED = ('IO Error: Could not set lock on file "/srv/pes/var/warehouse.duckdb": Conflicting '
          'lock is held in /usr/bin/python3.11 (PID 4242)')


def error(message: str, cls_name: str, cause: SerializableErrorInfo | None = None):
    return SerializableErrorInfo(message=message, stack=[], cls_name=cls_name, cause=cause)


def test_the_innermost_error_is_the_reason_without_its_class() -> None:
    inner = error("sources.errors.SourceFileError: katalog.csv: brak wymaganej kolumny „NIP”\n"
                  "more detail\n", "SourceFileError")
    outer = error("dagster._core.errors.DagsterExecutionStepExecutionError: Error occurred "
                  "while executing op\n", "DagsterExecutionStepExecutionError", inner)
    line, locked = step_failure_line("staging__pes_catalogue", StepFailureData(outer, None))
    assert line == "staging__pes_catalogue: katalog.csv: brak wymaganej kolumny „NIP”"
    assert not locked


def test_a_warehouse_held_by_another_process_is_named_so() -> None:
    inner = error(f"duckdb.duckdb.IOException: {LOCKED}\n", "IOException")
    line, locked = step_failure_line("core__teryt_unit", StepFailureData(
        error("Error occurred while executing op\n", "DagsterExecutionStepExecutionError",
              inner), None))
    assert locked
    assert line == f"core__teryt_unit: hurtownia zablokowana przez inny proces ({LOCKED})"


def test_a_failure_the_step_described_is_told_by_its_description() -> None:
    data = StepFailureData(error("Failure\n", "Failure"), UserFailureData(
        label="intentional-failure", description="Katalog PES: brak pliku.\nszczegóły"))
    assert step_failure_line("staging__pes_catalogue", data) == (
        "staging__pes_catalogue: Katalog PES: brak pliku.", False)
