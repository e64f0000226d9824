"""Volume guard: a source far smaller than its last published version holds the publication
back until the analyst confirms it; many duplicated rows are a warning.

Each test copies the published refresh of the hand-made inbox (its catalogue: 12 rows in
katalog_pes_2020-12-31.csv, lines 2 and 3 the same row) and changes the catalogue.
"""

from __future__ import annotations

from pathlib import Path

from tests.conftest import Refresh, SecondRefresh
from tests.test_quality_gate import assert_publication_kept, failed_checks, published_run

ORIGINAL = "katalog_pes_2020-12-31.csv"
SMALLER = "katalog_pes_2020-12-30.csv"
CHECK = ("staging/pes_catalogue", "rows_not_fewer_than_published")


def catalogue_lines(inbox: Path) -> list[bytes]:
    return (inbox / "pes_catalogue" / ORIGINAL).read_bytes().splitlines(keepends=True)


def test_a_shrunken_catalogue_is_held_back_until_the_analyst_confirms_it(
        published_copy: SecondRefresh) -> None:
    first = published_copy.first
    folder = first.inbox / "pes_catalogue"
    lines = catalogue_lines(first.inbox)
    # the header and the first 3 of 12 rows, under another name: 9 rows fewer, 75 % < 10 %
    (folder / ORIGINAL).unlink()
    (folder / SMALLER).write_bytes(b"".join(lines[:4]))
    second = published_copy.again()
    assert_publication_kept(first, second)
    finding = failed_checks(second)[CHECK]
    assert finding["summary"] == (
        f"{SMALLER} – wierszy: 3; w ostatniej publikacji ({ORIGINAL}) – wierszy: 12: mniej o 75% "
        "(dopuszczalne 10%). Publikacja wstrzymana: wykresy nie zostaną przeliczone z "
        "niepełnego pliku. Jeśli plik jest kompletny, potwierdź to w pliku decyzji: "
        f"mniej_wierszy;pes_catalogue:{SMALLER}.")
    assert f"mniej_wierszy;pes_catalogue:{SMALLER};;;;<uzasadnienie>" in finding["advice"]

    # a held-back run is no baseline: the next refresh is held back as well
    third = published_copy.again()
    assert_publication_kept(first, third)
    assert CHECK in failed_checks(third)

    # the analyst confirms in the decision file; the publication goes out
    decisions = first.inbox / "decisions"
    decisions.mkdir()
    (decisions / "decyzje.csv").write_text(
        "decyzja;rekord;drugi_rekord;miejsce;kod_terc;uzasadnienie\n"
        f"mniej_wierszy;pes_catalogue:{SMALLER};;;;katalog oczyszczony z podmiotów "
        "zlikwidowanych\n", encoding="utf-8")
    confirmed = published_copy.again()
    assert confirmed.result.success
    assert published_run(confirmed) == confirmed.result.run_id
    baseline = confirmed.query("select files, rows_read from audit.accepted_volume "
                               "where source = 'pes_catalogue'")
    assert baseline.values.tolist() == [[SMALLER, 3]]
    status = confirmed.query("select kind, status from core.entity_decision")
    assert status.values.tolist() == [["fewer_rows", "used"]]
    report = (confirmed.publish / "raport_jakosci.html").read_text(encoding="utf-8")
    assert "potwierdzone decyzją decyzje.csv:2" in report


def test_a_catalogue_within_the_allowed_drop_is_published(published_copy: SecondRefresh) -> None:
    """One row of 12 fewer is 8 %, under the default 10 %."""
    first = published_copy.first
    lines = catalogue_lines(first.inbox)
    (first.inbox / "pes_catalogue" / ORIGINAL).write_bytes(b"".join(lines[:-1]))
    second = published_copy.again()
    assert CHECK not in failed_checks(second)
    assert published_run(second) == second.result.run_id


def test_many_duplicated_rows_are_a_warning(published_copy: SecondRefresh) -> None:
    """Rows 2-4 pasted again at the end: 15 rows read, 13 accepted (lines 10 and 11 are
    quarantined), of which 4 repeat another (the fixture's own pair and the 3 pasted): 31 % >
    10 %, a warning; the publication goes out."""
    first = published_copy.first
    lines = catalogue_lines(first.inbox)
    (first.inbox / "pes_catalogue" / ORIGINAL).write_bytes(b"".join(lines + lines[1:4]))
    second: Refresh = published_copy.again()
    assert second.result.success
    warnings = {(e.asset_key.to_user_string(), e.check_name): e for e in
                second.result.get_asset_check_evaluations() if not e.passed}
    finding = warnings[("staging/pes_catalogue", "duplicated_rows_share")]
    assert finding.severity.value == "WARN"
    assert finding.metadata["summary"].value == (
        f"Plików z udziałem powtórzonych wierszy powyżej 10%: 1. {ORIGINAL}: 4 z 13.")
