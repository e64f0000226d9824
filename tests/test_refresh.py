"""A full refresh of the hand-made inbox (tests/fixture_inbox.py), checked against hand counts.

Worked out from the fixture (period end 2020-12-31):

Catalogue (12 rows, lines 2-13): lines 10 (powiat `warszawski`) and 11 (31.02.2019) are
quarantined; line 9's NIP fails its check digit and is set aside, the row stays on its KRS
100005 (the register of social enterprises' row 6 likewise loses its REGON and stays on its name
in powiat m. Olsztyn); lines 2, 3 and 4 are one association (KRS 100001; line 4 has no KRS but
the same NIP). The unit registers add what the catalogue lacks (docs/entity_model.md):
the CIS in Ełk is catalogue line 7 (REGON 510000040) and register line 2 (51000004000011, the
same 9 digits); the WTZ in Giżycko and the ZAZ in Olsztyn are matched on REGON; the CIS in
Bartoszyce and the two KIS are only in their registers (a KIS has no REGON, and no catalogue
row shares its name and gmina). Units take their dates from their register. Twelve entities:
  association KRS 100001   olsztyński (2814)  15.02.2015 -            (KRS registration)
  foundation  KRS 100002   m. Olsztyn (2862)  01.06.2017 - 15.03.2019 (full extract: struck off)
  social coop KRS 100003   m. Elbląg  (2861)  20.12.2017 -
  CIS Ełk                  ełcki      (2805)  01.09.2016 - 30.06.2020
  WTZ                      giżycki    (2806)  15.01.2016 -
  association KRS 100004   olsztyński (2814)  05.05.2020 -            (no extract: catalogue)
  ZAZ                      m. Olsztyn (2862)  15.12.2020 -            (register; catalogue 2021)
  CIS Bartoszyce           bartoszycki (2801) 15.03.2019 -
  KIS Razem (Dywity)       olsztyński (2814)  01.02.2018 -
  KIS Olsztyn              m. Olsztyn (2862)  01.06.2019 -
  association KRS 100005   olsztyński (2814)  01.01.2017 -            (no extract: catalogue)
  foundation "Bez Statusu" m. Olsztyn (2862)  15.05.2019 -            (status granted)
Active at month end: Jan 2016 = 2 (association, WTZ); Feb 2019 = 7 (+ CIS Ełk, foundation,
cooperative, KIS Razem, association 100005); Mar 2019 = 7 (foundation struck off on 15 March,
CIS Bartoszyce started that day); May 2020 = 10 (+ foundation Bez Statusu, KIS Olsztyn,
association Nowe); June 2020 = 9 (CIS Ełk ended on the month's last day); Dec 2020 = 10
(+ ZAZ): association 3, foundation 1, social cooperative 1, CIS 1, KIS 2, ZAZ 1, WTZ 1; by
powiat 2814: 4, 2862: 3, 2861: 1, 2806: 1, 2801: 1.

JST support from 2018-01-01: 2801011 (Feb 2018), 2814 (May 2018), 2801011 again (not counted),
2862011 (Jul 2019), 2805 (Oct 2020), 2803 (Nov 2020; its 2017 support predates the project),
1465011 quarantined: cumulative 0 in Jan 2018, 2 at end 2018, 3 at end 2019, 5 at end 2020.
RKRES meetings: 2016: 0, 2017: 1, 2018: 2, 2019: 1, 2020: 3 (one row with an unreadable date
is quarantined; the 2021 meeting is after the period); the target 2 applies to 2018-2020.
"""

from __future__ import annotations

import json
import re

import pandas as pd
import pytest

from tests.conftest import Refresh, sha256_file


def test_refresh_succeeds_with_every_blocking_check_passing(refreshed: Refresh) -> None:
    assert refreshed.result.success
    evaluations = refreshed.result.get_asset_check_evaluations()
    failed = {(e.asset_key.to_user_string(), e.check_name, e.severity.value)
              for e in evaluations if not e.passed}
    # Only warnings the fixture raises on purpose: the active count moves by one entity at a
    # time, more than 10 % of five (see the month list in the docstring); the OWES report
    # declares 12 entities supported but lists 4, and 4,5 jobs but lists 3.
    assert failed == {("marts/active_pes_by_type", "month_on_month_change", "WARN"),
                      ("core/owes_headline_mismatch", "headlines_agree_with_details", "WARN")}
    checked = {(e.asset_key.to_user_string(), e.check_name) for e in evaluations}
    assert ("staging/pes_catalogue", "quarantine_share") in checked
    assert ("staging/social_enterprise", "expectation_suite") in checked
    assert ("core/pes_entity", "powiat_agrees_with_krs") in checked


def test_register_rows_become_twelve_entities(refreshed: Refresh) -> None:
    entities = refreshed.query("select * from core.pes_entity")
    assert len(entities) == 12
    dywity = entities[entities["krs"] == "0000100001"].iloc[0]
    assert dywity["catalogue_rows"] == 3
    assert str(dywity["started_on"].date()) == "2015-02-15"
    foundation = entities[entities["krs"] == "0000100002"].iloc[0]
    assert str(foundation["ended_on"].date()) == "2019-03-15"
    assert foundation["powiat_code"] == "2862"


@pytest.mark.parametrize(("month", "expected"), [
    ("2016-01-31", 2), ("2019-02-28", 7), ("2019-03-31", 7), ("2020-05-31", 10),
    ("2020-06-30", 9), ("2020-12-31", 10),
])
def test_active_pes_at_month_end(refreshed: Refresh, month: str, expected: int) -> None:
    total = refreshed.query(
        "select sum(active_pes) as n from marts.active_pes_by_type where month = ?", [month])
    assert total["n"].iloc[0] == expected


def test_active_pes_by_type_and_powiat_at_period_end(refreshed: Refresh) -> None:
    by_type = refreshed.query("select entity_type, active_pes from marts.active_pes_by_type "
                              "where month = '2020-12-31' and active_pes > 0")
    assert dict(zip(by_type.entity_type, by_type.active_pes, strict=True)) == {
        "association": 3, "foundation": 1, "social_cooperative": 1, "cis": 1, "kis": 2,
        "zaz": 1, "wtz": 1}
    by_powiat = refreshed.query("select powiat_code, powiat_name, active_pes "
                                "from marts.active_pes_by_powiat "
                                "where month = '2020-12-31' and active_pes > 0")
    assert dict(zip(by_powiat.powiat_code, by_powiat.active_pes, strict=True)) == {
        "2814": 4, "2862": 3, "2861": 1, "2806": 1, "2801": 1}
    assert set(by_powiat.powiat_name) == {"olsztyński", "m. Olsztyn", "m. Elbląg", "giżycki",
                                          "bartoszycki"}
    months = refreshed.query("select count(distinct month) as n from marts.active_pes_by_powiat")
    assert months["n"].iloc[0] == 60  # 2016-01 .. 2020-12
    powiats = refreshed.query("select count(distinct powiat_code) as n "
                              "from marts.active_pes_by_powiat")
    assert powiats["n"].iloc[0] == 21  # 19 powiats and 2 cities with powiat rights


def test_social_enterprises_counted_while_their_status_holds(refreshed: Refresh) -> None:
    # Spółdzielnia Socjalna Smak, granted 01.03.2018, not lost; Fundacja Bez Statusu, granted
    # 15.05.2019 (its REGON set aside): none before March 2018, one, then two.
    counts = refreshed.query("select month, social_enterprises "
                             "from marts.social_enterprises_active")
    by_month = {str(m.date()): n for m, n in counts.itertuples(index=False)}
    assert (by_month["2018-02-28"], by_month["2018-03-31"], by_month["2019-04-30"],
            by_month["2019-05-31"], by_month["2020-12-31"]) == (0, 1, 1, 2, 2)
    assert len(by_month) == 60


def test_jst_supported_cumulative_against_target(refreshed: Refresh) -> None:
    jst = refreshed.query("select month, jst_supported, target from marts.jst_supported_cumulative")
    by_month = {str(m.date()): (n, t) for m, n, t in jst.itertuples(index=False)}
    assert len(by_month) == 36  # from the project start, 2018-01
    assert by_month["2018-01-31"] == (0, 16)
    assert by_month["2018-12-31"] == (2, 16)
    assert by_month["2019-12-31"] == (3, 16)
    assert by_month["2020-10-31"] == (4, 16)
    assert by_month["2020-12-31"] == (5, 16)


def test_rkres_meetings_per_year_against_target(refreshed: Refresh) -> None:
    meetings = refreshed.query("select year, meetings, target from marts.rkres_meetings_per_year")
    rows = {int(y): (int(n), None if pd.isna(t) else int(t))
            for y, n, t in meetings.itertuples(index=False)}
    assert rows == {2016: (0, None), 2017: (1, None), 2018: (2, 2), 2019: (1, 2), 2020: (3, 2)}


def test_rows_read_equal_accepted_plus_quarantined_per_file(refreshed: Refresh) -> None:
    files = refreshed.query("select source, file_name, rows_read, rows_accepted, rows_quarantined "
                            "from audit.source_file")
    counts = {(s, f): (r, a, q) for s, f, r, a, q in files.itertuples(index=False)}
    assert counts[("pes_catalogue", "katalog_pes_2020-12-31.csv")] == (12, 10, 2)
    assert counts[("social_enterprise", "rejestr_ps_2020-12-31.xlsx")] == (2, 2, 0)
    assert counts[("owes_indicator", "owes_OWES-1_2020Q4.xlsx")] == (5, 4, 1)
    assert counts[("rkres_meeting", "dziennik_dzialan_2020-12-31.xlsx")] == (9, 8, 1)
    assert counts[("jst_support", "dziennik_dzialan_2020-12-31.xlsx")] == (8, 7, 1)
    assert counts[("participation", "dziennik_dzialan_2020-12-31.xlsx")] == (6, 4, 2)
    assert all(r == a + q for r, a, q in counts.values())
    set_aside = refreshed.query("select source, values_set_aside from audit.source_file "
                                "where values_set_aside > 0")
    # catalogue line 9's NIP, the register of social enterprises' row 6's REGON
    assert set(set_aside.itertuples(index=False, name=None)) == {
        ("pes_catalogue", 1), ("social_enterprise", 1)}


def test_quarantine_names_file_line_field_and_reason(refreshed: Refresh) -> None:
    quarantine = refreshed.query("select source, file, sheet, line, field, reason_code "
                                 "from audit.quarantine order by source, line")
    rows = set(quarantine.itertuples(index=False, name=None))
    # fields are named as the file's column headers, so the analyst finds the cell
    assert ("pes_catalogue", "katalog_pes_2020-12-31.csv", None, 9, "NIP", "invalid_nip") in rows
    assert ("pes_catalogue", "katalog_pes_2020-12-31.csv", None, 10, "Powiat",
            "unknown_teryt_unit") in rows
    assert ("pes_catalogue", "katalog_pes_2020-12-31.csv", None, 11,
            "Data rozpoczęcia działalności", "invalid_date") in rows
    assert ("social_enterprise", "rejestr_ps_2020-12-31.xlsx", "Rejestr PS", 6, "REGON",
            "invalid_regon") in rows
    assert ("participation", "dziennik_dzialan_2020-12-31.xlsx", "Uczestnicy", 5, "PESEL",
            "invalid_pesel") in rows
    assert ("participation", "dziennik_dzialan_2020-12-31.xlsx", "Uczestnicy", 6, "PESEL",
            "missing_pesel") in rows
    assert len(rows) == 9  # catalogue 3, register 1, OWES 1, RKRES 1, JST 1, participants 2
    scopes = refreshed.query("select source, line, scope from audit.quarantine "
                             "where scope = 'field'")
    assert set(scopes.itertuples(index=False, name=None)) == {
        ("pes_catalogue", 9, "field"), ("social_enterprise", 6, "field")}
    published = (refreshed.publish / "kwarantanna.csv").read_text(encoding="utf-8-sig")
    assert published.count("\n") == 10  # header + 9 rows


def test_landing_keeps_sha256_named_copies(refreshed: Refresh) -> None:
    registry = refreshed.query("select * from landing.file_registry")
    # 1 catalogue, 1 register, 4 unit registers (CIS, KIS, ZAZ, WTZ), 1 KGW register, 4 KRS,
    # 1 OWES, 1 log
    assert len(registry) == 13
    for row in registry.itertuples():
        original = next(refreshed.inbox.rglob(row.original_name))
        assert row.original_sha256 == sha256_file(original)
        landed = refreshed.landing / row.source / f"{row.landed_sha256}{original.suffix}"
        assert landed.exists() and sha256_file(landed) == row.landed_sha256
        # only the activity log (personal data) is landed as a rewritten copy
        assert (row.landed_sha256 != row.original_sha256) == (row.source == "activity")


def test_dashboard_and_release_are_published(refreshed: Refresh) -> None:
    page = (refreshed.publish / "dashboard.html").read_text(encoding="utf-8")
    assert '<html lang="pl"' in page
    assert "31 grudnia 2020" in page
    markup = re.sub(r"<script[^>]*>.*?</script>", "", page, flags=re.S)  # plotly.js embedded
    assert not re.search(r'(src|href)="https?://', markup)
    assert "<script src=" not in page
    release = json.loads((refreshed.publish / "release.json").read_text(encoding="utf-8"))
    assert release["period_end"] == "2020-12-31"
    assert release["region_code"] == "28"
    landed = {row["original_name"]: row["original_sha256"] for row in release["inputs"]}
    catalogue = refreshed.inbox / "pes_catalogue" / "katalog_pes_2020-12-31.csv"
    assert landed[catalogue.name] == sha256_file(catalogue)
    assert set(release["indicators"]) == {
        "active_pes_by_type", "active_pes_by_powiat", "social_enterprises_active",
        "jst_supported_cumulative", "rkres_meetings_per_year",
        # the project's own tasks, OWES and participants (tests/test_activity_marts.py,
        # tests/test_owes_marts.py, tests/test_participants_counts.py)
        "rkres_attendance_by_sector", "project_events_per_year",
        "prosocial_certificates_by_month", "jst_social_clauses_cumulative",
        "pes_contracts_per_year", "owes_indicators_by_quarter", "owes_outputs_by_powiat",
        "owes_jobs_by_group", "study_visits_per_year", "participants_new_by_quarter",
        "participation_by_quarter", "institutions_supported_by_quarter", "project_budget",
        "active_pes_by_pkd_section",
        # the map's counts per 10 000 inhabitants (tests/test_population_map.py)
        "active_pes_per_10k",
        # the page's headline cards, read from the marts above (tests/test_headline_cards.py)
        "headline_cards"}
