"""Bad input stays local: one oversized cell costs its row, a missing required column costs its
source, a report for a quarter after the period costs that report; the refresh goes on.

One refresh of a copy of the hand-made inbox with three new files, each with one habit of
real exports (tests/fixture_inbox.py for the files they replace).
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest

from pipelines.cli import print_summary
from tests.conftest import FIXTURE_PERIOD_END, Refresh, SecondRefresh, copy_of_refresh, refresh_of
from tests.fixture_inbox import COMMITTED, OWES_ROWS, owes_workbook, write_fixture_inbox

CATALOGUE = "katalog_pes_2021-01-31.csv"
WTZ = "wykaz_wtz_2021-01-31.csv"
OWES_EARLY = "owes_OWES-1_2021Q1.xlsx"
ONE_MEGABYTE = "x" * (1 << 20)


@pytest.fixture(scope="module")
def bad_inputs(refreshed: Refresh, tmp_path_factory: pytest.TempPathFactory) -> Refresh:
    root = tmp_path_factory.mktemp("bad_inputs")
    copy = SecondRefresh(copy_of_refresh(refreshed, root))
    inbox = copy.first.inbox

    # the catalogue again, re-saved as UTF-8 with a BOM, the town of line 5 (Fundacja
    # Pomocna Dłoń) pasted a megabyte long
    text = (COMMITTED / "pes_catalogue" / "katalog_pes_2020-12-31.csv").read_bytes().decode(
        "cp1250")
    rows = list(csv.reader(io.StringIO(text, newline=""), delimiter=";"))
    assert rows[4][1] == "Fundacja Pomocna Dłoń" and rows[0][9] == "Miejscowość"
    rows[4][9] = ONE_MEGABYTE
    out = io.StringIO(newline="")
    csv.writer(out, delimiter=";", lineterminator="\r\n").writerows(rows)
    (inbox / "pes_catalogue" / CATALOGUE).write_bytes(out.getvalue().encode("utf-8-sig"))

    write_wtz_without_powiat(inbox)

    # an OWES report for the quarter after the period end (2020-12-31)
    owes_workbook(("OWES Subregionu Elbląskiego", "OWES-1", "2021-Q1"), OWES_ROWS,
                  [], []).save(inbox / "owes" / OWES_EARLY)
    return copy.again()


def write_wtz_without_powiat(inbox: Path) -> None:
    """The WTZ list exported without its "Powiat" column (CP-1250, `,`)."""
    text = (COMMITTED / "wtz_register" / "wykaz_wtz_2020-12-31.csv").read_bytes().decode("cp1250")
    rows = list(csv.reader(io.StringIO(text, newline="")))
    at = rows[0].index("Powiat")
    out = io.StringIO(newline="")
    csv.writer(out, lineterminator="\r\n").writerows([r[:at] + r[at + 1:] for r in rows])
    (inbox / "wtz_register" / WTZ).write_bytes(out.getvalue().encode("cp1250"))


def test_the_refresh_goes_on(bad_inputs: Refresh) -> None:
    assert bad_inputs.result.success
    assert (bad_inputs.publish / "dashboard.html").exists()


def test_an_oversized_cell_quarantines_its_row_only(bad_inputs: Refresh) -> None:
    status = bad_inputs.query("select file_name, is_stale, rows_read, rows_accepted, "
                              "rows_quarantined from marts.source_status "
                              "where source = 'pes_catalogue'")
    # 12 rows as before (tests/test_refresh.py: 10 accepted, lines 10, 11 quarantined whole);
    # line 5 now set aside as well
    assert status.values.tolist() == [[CATALOGUE, False, 12, 9, 3]]
    quarantined = bad_inputs.query("select line, field, reason_code, message from "
                                   "audit.quarantine where source = 'pes_catalogue' and line = 5")
    assert quarantined[["line", "field", "reason_code"]].values.tolist() == [
        [5, "Miejscowość", "cell_too_long"]]
    assert "32 767 znaków" in quarantined["message"].iloc[0]
    assert "Pomocna" not in bad_inputs.query("select string_agg(name, ' ') as n from "
                                             "staging.pes_catalogue")["n"].iloc[0]
    assert ONE_MEGABYTE[:40_000] not in bad_inputs.warehouse.read_bytes().decode("latin-1")


def test_a_missing_required_column_makes_that_source_stale(bad_inputs: Refresh,
                                                           capsys: pytest.CaptureFixture) -> None:
    status = bad_inputs.query("select source, is_stale, stale_reason_pl from marts.source_status "
                              "where source in ('wtz_register', 'cis_register', 'kis_register')")
    stale = dict(zip(status["source"], status["is_stale"], strict=True))
    assert stale == {"wtz_register": True, "cis_register": False, "kis_register": False}
    reason = status.set_index("source").loc["wtz_register", "stale_reason_pl"]
    assert f"{WTZ}: brak wymaganej kolumny „Powiat”" in reason
    assert "Co zrobić" in reason and "wtz_register.yml" in reason
    # the previous accepted WTZ list is kept: its one row
    assert bad_inputs.query("select count(*) as n from staging.wtz_register")["n"].iloc[0] == 1

    print_summary(bad_inputs.result)
    summary = capsys.readouterr().out
    assert f"Wykaz WTZ: NIEAKTUALNE, pokazano poprzednią wersję. {WTZ}: brak wymaganej " \
           "kolumny „Powiat”" in summary
    assert "Katalog PES (ROPS): wczytano 12, przyjęto 9, w kwarantannie 3" in summary


def test_a_report_after_the_period_end_is_quarantined_with_its_reason(bad_inputs: Refresh) -> None:
    quarters = bad_inputs.query("select distinct quarter from staging.owes_indicator")
    assert quarters["quarter"].tolist() == ["2020-Q4"]
    early = bad_inputs.query("select line, reason_code, message from audit.quarantine "
                             "where file = ? order by line", [OWES_EARLY])
    # the five headline rows below the header on row 5 (tests/fixture_inbox.owes_workbook);
    # row 10 names no indicator of the template, as in the 2020-Q4 report
    after = early[early["reason_code"] == "report_after_period"]
    assert after["line"].tolist() == [6, 7, 8, 9, 10]
    assert early[early["reason_code"] != "report_after_period"][
        ["line", "reason_code"]].values.tolist() == [[10, "unknown_value"]]
    assert FIXTURE_PERIOD_END == "2020-12-31"
    assert after["message"].str.endswith("Kwartał 2021-Q1, koniec okresu 31.12.2020.").all()
    report = (bad_inputs.publish / "raport_jakosci.html").read_text(encoding="utf-8")
    assert OWES_EARLY in report and "zostanie policzone w odświeżeniu za ten kwartał" in report


def test_a_missing_column_on_the_first_refresh_costs_that_source_only(tmp_path: Path) -> None:
    """The very first refresh, its WTZ list without the "Powiat" column: nothing accepted to fall
    back on, so the list is published empty and stale with the reason, and the rest goes out."""

    def inbox_with_a_broken_wtz_list(inbox: Path) -> Path:
        write_fixture_inbox(inbox)
        (inbox / "wtz_register" / "wykaz_wtz_2020-12-31.csv").unlink()
        write_wtz_without_powiat(inbox)
        return inbox

    first = refresh_of(tmp_path, inbox_with_a_broken_wtz_list)
    assert first.result.success
    status = first.query("select source, is_stale, stale_reason_pl from marts.source_status "
                         "where source in ('wtz_register', 'cis_register')").set_index("source")
    assert status["is_stale"].to_dict() == {"wtz_register": True, "cis_register": False}
    assert f"{WTZ}: brak wymaganej kolumny „Powiat”" in status.loc["wtz_register",
                                                                   "stale_reason_pl"]
    types = first.query("select column_name, data_type from information_schema.columns "
                        "where table_schema = 'staging' and table_name = 'wtz_register'")
    assert len(types) > 5 and "NULL" not in set(types["data_type"])
    assert first.query("select count(*) as n from staging.wtz_register")["n"].iloc[0] == 0
    assert (first.publish / "dashboard.html").is_file()
