"""A file that cannot be read leaves its source's previous accepted version in place, stale."""

from __future__ import annotations

from tests.conftest import SecondRefresh


def test_unreadable_catalogue_keeps_previous_version_and_is_marked_stale(
    published_copy: SecondRefresh,
) -> None:
    first = published_copy.first
    before = first.query("select * from staging.pes_catalogue order by source_line")

    # A newer export that is a PDF under a CSV name: the refresh must not lose the catalogue.
    broken = first.inbox / "pes_catalogue" / "katalog_pes_2021-01-31.csv"
    broken.write_bytes(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj << /Type /Catalog >> endobj\n")
    second = published_copy.again()

    assert second.result.success
    after = second.query("select * from staging.pes_catalogue order by source_line")
    assert after.equals(before)
    status = second.query("select file_name, is_stale, stale_reason_pl from marts.source_status "
                          "where source = 'pes_catalogue'")
    assert status["is_stale"].all()
    assert "katalog_pes_2021-01-31.csv" in status["stale_reason_pl"].iloc[0]
    page = (second.publish / "dashboard.html").read_text(encoding="utf-8")
    assert "katalog_pes_2021-01-31.csv" in page
    report = (second.publish / "raport_jakosci.html").read_text(encoding="utf-8")
    assert "Źródła nieaktualne" in report and "katalog_pes_2021-01-31.csv" in report
    entities = second.query("select count(*) as n from core.pes_entity")
    assert entities["n"].iloc[0] == 12  # as in tests/test_refresh.py: nothing lost
