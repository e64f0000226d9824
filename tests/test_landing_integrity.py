"""Landed copies are read only as they were landed; the pseudonymised activity log is written
the same way every time and is itself a valid input (an auditor's re-run lands it again)."""

from __future__ import annotations

import time
from pathlib import Path

from quality.identifiers import pesel_is_valid
from sources.activity_log import pseudonymise_workbook, read_participants
from tests.conftest import SecondRefresh, sha256_file
from tests.fixture_inbox import activity_workbook


def test_the_pseudonymised_log_is_deterministic_and_can_be_landed_again(tmp_path: Path) -> None:
    original = tmp_path / "dziennik_dzialan_2020-12-31.xlsx"
    activity_workbook().save(original)
    key = b"k" * 32
    first, second, again = tmp_path / "first.xlsx", tmp_path / "second.xlsx", tmp_path / "a.xlsx"
    pseudonymise_workbook(original, first, key, pesel_is_valid)
    time.sleep(1.1)  # workbook and zip entry times have a resolution of seconds
    pseudonymise_workbook(original, second, key, pesel_is_valid)
    assert first.read_bytes() == second.read_bytes()
    # the landed copy given back as input: taken as it is (pseudonyms in place of PESEL)
    pseudonymise_workbook(first, again, key, pesel_is_valid)
    assert sha256_file(again) == sha256_file(first)
    participants = read_participants(again)
    assert len(participants) == 6 and participants["person_key"].notna().sum() == 4


def test_a_changed_landing_copy_stops_the_refresh_naming_it(
    published_copy: SecondRefresh,
) -> None:
    first = published_copy.first
    kept = first.publish.resolve()
    landed = next((first.landing / "pes_catalogue").glob("*.csv"))
    landed.write_bytes(landed.read_bytes().replace(b"Dywity", b"Dywity ", 1))
    second = published_copy.again()
    assert not second.result.success
    failures = [e.step_failure_data.user_failure_data.description
                for e in second.result.get_step_failure_events()
                if e.step_failure_data.user_failure_data is not None]
    assert len(failures) == 1
    assert str(landed) in failures[0] and "katalog_pes_2020-12-31.csv" in failures[0]
    assert failures[0].startswith("Kopia w landing została zmieniona po zapisie")
    assert second.publish.resolve() == kept  # nothing published from the changed copy
