"""An auditor's re-run: two releases from different inputs, the first rebuilt in an empty
warehouse from the copies its manifest names gives "identical"; a changed copy is named."""

from __future__ import annotations

import json

import pytest

from pipelines.cli import main
from tests.conftest import SecondRefresh
from tests.test_killed_refresh import drop_catalogue_line


def test_two_releases_then_the_first_reproduced_identical(
    published_copy: SecondRefresh, monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    first = published_copy.first
    release_a = json.loads((first.publish / "release.json").read_text(encoding="utf-8"))
    # The association Nowe (olsztyński, active from May 2020) leaves the newer catalogue.
    drop_catalogue_line(first.inbox, b"11;")
    second = published_copy.again()
    assert second.result.success
    release_b = json.loads((second.publish / "release.json").read_text(encoding="utf-8"))
    assert release_b["release_id"] != release_a["release_id"]

    revisions = release_b["revisions"]
    assert revisions["previous_release_id"] == release_a["release_id"]
    assert revisions["inputs"] == [{"source": "pes_catalogue",
                                    "removed": ["katalog_pes_2020-12-31.csv"],
                                    "added": ["katalog_pes_2021-01-31.csv"]}]
    moved = {(r["period"], r["territory"], r["old"], r["new"]) for r in revisions["values"]
             if r["indicator"] == "active_pes_by_powiat"}
    # olsztyński had 4 active from May 2020 to December 2020 (tests/test_refresh.py: KRS
    # 100001, 100004 from May 2020, KIS Razem, KRS 100005): now 3
    assert ("2020-12-31", "2814", 4, 3) in moved
    assert len(moved) == 8  # May .. December 2020
    # each moved value names the changed inputs its indicator is computed from
    assert {tuple(r["inputs"]) for r in revisions["values"]} == {("pes_catalogue",)}
    assert len(revisions["entities"]["removed"]) == 1
    report = (second.publish / "raport_jakosci.html").read_text(encoding="utf-8")
    assert "Zmiany od poprzedniej publikacji" in report and "active_pes_by_powiat" in report

    for name, value in first.env.items():
        monkeypatch.setenv(name, value)
    assert main(["reproduce", release_a["release_id"]]) == 0
    out = capsys.readouterr().out
    assert "identical" in out.splitlines()[-1]

    # a landing copy changed after the fact: named, and not reproduced
    landed = first.landing / next(r["landed_path"] for r in release_a["inputs"]
                                  if r["source"] == "wtz_register")
    landed.write_bytes(landed.read_bytes() + b"\r\n")
    assert main(["reproduce", release_a["release_id"]]) == 1
    out = capsys.readouterr().out
    assert str(landed) in out and "wykaz_wtz_2020-12-31.csv" in out
    assert "identical" not in out
