"""Blocking checks hold back the publication (the last good one stays); warnings reach the report.

Each test first publishes the hand-made inbox, then breaks one thing and refreshes again.
"Unchanged" is shown by the release manifest: it carries the run id of the run that wrote it.
"""

from __future__ import annotations

import json
from pathlib import Path

from openpyxl import Workbook

from tests.conftest import Refresh, SecondRefresh, refresh_of
from tests.fixture_inbox import write_fixture_inbox


def published_run(refresh: Refresh) -> str:
    return json.loads((refresh.publish / "release.json").read_text(encoding="utf-8"))["run_id"]


def failed_checks(refresh: Refresh) -> dict[tuple[str, str], dict]:
    return {(e.asset_key.to_user_string(), e.check_name): {k: v.value for k, v in
                                                           e.metadata.items()}
            for e in refresh.result.get_asset_check_evaluations()
            if not e.passed and e.severity.value == "ERROR"}


def assert_publication_kept(first: Refresh, second: Refresh) -> None:
    assert not second.result.success
    assert published_run(second) == first.result.run_id
    assert (second.publish / "dashboard.html").read_bytes() == (
        first.publish / "dashboard.html").read_bytes()


def test_a_file_with_too_many_rejected_rows_holds_back_the_publication(
    published_copy: SecondRefresh,
) -> None:
    first = published_copy.first
    page = (first.publish / "dashboard.html").read_bytes()
    # At the default 5 %, the catalogue's 2 rejected rows of 12 (2/12 = 0.1667) are too many
    # (line 9's NIP is set aside, its row kept: it does not count against the file).
    second = published_copy.again(PES_MAX_QUARANTINE_SHARE="0.05")
    assert_publication_kept(first, second)
    assert (second.publish / "dashboard.html").read_bytes() == page
    finding = failed_checks(second)[("staging/pes_catalogue", "quarantine_share")]
    over = finding["details"]["files_over_limit"]
    assert over == [{"file": "katalog_pes_2020-12-31.csv", "rows_read": 12,
                     "rows_quarantined": 2, "share": 0.1667}]
    assert "kwarantanna.csv" in finding["advice"]


def test_an_empty_export_holds_back_the_publication(published_copy: SecondRefresh) -> None:
    first = published_copy.first
    header = (first.inbox / "pes_catalogue" / "katalog_pes_2020-12-31.csv").read_bytes()
    newer = first.inbox / "pes_catalogue" / "katalog_pes_2021-01-31.csv"
    newer.write_bytes(header.split(b"\r\n", 1)[0] + b"\r\n")  # the header and no rows
    second = published_copy.again()
    assert_publication_kept(first, second)
    finding = failed_checks(second)[("staging/pes_catalogue", "row_count_in_range")]
    assert finding["details"]["rows_accepted"] == 0
    assert "Przyjętych wierszy: 0" in finding["summary"]


def test_a_first_refresh_held_back_still_writes_its_quality_report(tmp_path: Path) -> None:
    """Held back before entities or KRS findings exist: the report says why all the same."""

    def inbox_with_an_empty_catalogue(inbox: Path) -> Path:
        write_fixture_inbox(inbox)
        catalogue = inbox / "pes_catalogue" / "katalog_pes_2020-12-31.csv"
        catalogue.write_bytes(catalogue.read_bytes().split(b"\r\n", 1)[0] + b"\r\n")
        return inbox

    first = refresh_of(tmp_path, inbox_with_an_empty_catalogue)
    assert not first.result.success
    assert not [e for e in first.result.all_events if e.event_type_value == "HOOK_ERRORED"]
    held_back = tmp_path / "var" / "publish" / "held_back"
    report = (held_back / "raport_jakosci.html").read_text(encoding="utf-8")
    assert "NIE OPUBLIKOWANO" in report and "Przyjętych wierszy: 0" in report
    assert not (tmp_path / "var" / "publish" / "latest").exists()


def write_register(path: Path, rows: list[tuple]) -> None:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Rejestr PS"
    sheet.append(("Lp.", "Nazwa jednostki",
                  "Numer decyzji o przyznaniu statusu przedsiębiorstwa społecznego",
                  "Data przyznania statusu", "Data utraty statusu", "Numer KRS", "NIP", "REGON",
                  "Powiat"))
    for row in rows:
        sheet.append(row)
    workbook.save(path)


def test_a_repeated_decision_number_fails_the_register_suite(
    published_copy: SecondRefresh,
) -> None:
    first = published_copy.first
    # Both rows pass every row rule, but one decision cannot grant two statuses.
    write_register(first.inbox / "social_enterprises" / "rejestr_ps_2021-01-31.xlsx", [
        (1, "Spółdzielnia Socjalna Smak", "PS.28.1.2018", "01.03.2018", None, "100003",
         "5781000031", "510000034", "Elbląg"),
        (2, "Warsztat Terapii Zajęciowej w Giżycku", "PS.28.1.2018", "01.04.2018", None, None,
         "8451000058", "510000057", "giżycki"),
    ])
    second = published_copy.again()
    assert_publication_kept(first, second)
    finding = failed_checks(second)[("staging/social_enterprise", "expectation_suite")]
    failures = finding["details"]["failures"]
    assert [(f["expectation"], f["column"], f["unexpected_count"]) for f in failures] == [
        ("ExpectColumnValuesToBeUnique", "decision_number", 2)]
    assert failures[0]["unexpected_examples"] == ["PS.28.1.2018", "PS.28.1.2018"]
    # the analyst reads what was expected and the column as the register heads it
    assert "Niespełnione: każda wartość tylko raz (kolumna Numer decyzji o przyznaniu statusu " \
           "przedsiębiorstwa społecznego)." in finding["summary"]
    report = (second.publish.parent / "held_back" / "raport_jakosci.html").read_text("utf-8")
    assert "ExpectColumn" not in report and "decision_number" not in report


def test_warnings_are_published_in_the_quality_report(
    published_copy: SecondRefresh,
) -> None:
    first = published_copy.first
    # The association of KRS 100001 moves its seat to Ostróda: the catalogue still says
    # olsztyński. That is possible (a move), so it warns and the publication goes out.
    extract = first.inbox / "krs" / "odpis_aktualny_0000100001.json"
    moved = extract.read_text(encoding="utf-8").replace(
        '"powiat": "OLSZTYŃSKI", "gmina": "DYWITY", "miejscowosc": "DYWITY"',
        '"powiat": "OSTRÓDZKI", "gmina": "OSTRÓDA", "miejscowosc": "OSTRÓDA"')
    assert moved != extract.read_text(encoding="utf-8")
    extract.write_text(moved, encoding="utf-8")
    second = published_copy.again()
    assert second.result.success
    assert published_run(second) == second.result.run_id
    report = (second.publish / "raport_jakosci.html").read_text(encoding="utf-8")
    assert '<html lang="pl">' in report
    assert "Powiat w katalogu PES zgodny z powiatem siedziby w KRS" in report
    assert "Podmiotów z innym powiatem w katalogu niż w KRS: 1." in report
    assert "Zmiana liczby aktywnych PES z miesiąca na miesiąc" in report
    assert "ostrzeżenie – do sprawdzenia" in report
    # the dashboard links the report
    assert 'href="raport_jakosci.html"' in (second.publish / "dashboard.html").read_text(
        encoding="utf-8")
