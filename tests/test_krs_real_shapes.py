"""KRS extracts in the shapes the real API answers (issue 15), read as they are.

The bodies in tests/fixtures/krs_real_shapes are hand-made on the model of the real responses
in data/reference/krs and of the real full extracts described in its SOURCES.md:

  0000300001  full extract of a live association: header without `dataRejestracjiWKRS`
              (registration = entry 1, 12.04.2016), a name changed by entry 2; Dywity
  0000300002  full extract of an entity struck off, `dane` empty: registered 03.02.2014
              (entry 1), struck off 20.08.2020 (entry 2), final 15.09.2020
  0000300003  current extract of a social cooperative in Elbląg: main activity at group level
              (20.1, section C), others 19.20.Z (C), division 21 (C), class 46.75 (G)
  0000300004  current extract of an association whose seat is in Mazowieckie (Łomianki)
  0000300006  no extract: the body of an API error (a JSON object without `odpis`)
  0000300007  current extract of a SPÓŁKA AKCYJNA in Olsztyn, main activity 88.99.Z (Q)
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import duckdb

from sources.krs_api import ApiSettings, KrsApiClient
from sources.krs_extracts import ExtractProblem, parse_extract
from sources.krs_sync import SyncStore, sync_extracts
from tests.conftest import Refresh
from tests.krs_api_server import KrsApiServer, KrsApiStandIn
from tests.test_krs_extracts import staged_tables

REAL_SHAPES = Path(__file__).parent / "fixtures" / "krs_real_shapes"


def body(name: str) -> bytes:
    return (REAL_SHAPES / name).read_bytes()


def test_a_full_extract_without_registration_date_in_its_header_takes_entry_1() -> None:
    entity = parse_extract(body("odpis_pelny_0000300001.json")).entity
    assert (entity["krs"], entity["register"], entity["extract_kind"]) == ("0000300001", "S",
                                                                           "full")
    assert entity["registered_on"] == "12.04.2016"
    assert (entity["struck_off_on"], entity["struck_off_final_on"]) == (None, None)
    assert entity["name"] == "STOWARZYSZENIE PRZYJACIÓŁ GMINY DYWITY"  # entry 2's name


def test_a_struck_off_extract_with_empty_data_gives_its_number_and_dates() -> None:
    entity = parse_extract(body("odpis_pelny_0000300002.json")).entity
    assert {k: entity[k] for k in ("krs", "register", "registered_on", "struck_off_on",
                                   "struck_off_final_on", "name", "legal_form",
                                   "seat_voivodeship", "problem")} == {
        "krs": "0000300002", "register": "S", "registered_on": "03.02.2014",
        "struck_off_on": "20.08.2020", "struck_off_final_on": "15.09.2020", "name": None,
        "legal_form": None, "seat_voivodeship": None, "problem": None}


def test_real_full_extracts_are_staged_not_quarantined(tmp_path: Path) -> None:
    con, screened = staged_tables([REAL_SHAPES / "odpis_pelny_0000300001.json",
                                   REAL_SHAPES / "odpis_pelny_0000300002.json"], tmp_path)
    assert screened["krs_entity"].rejected.empty
    assert con.execute(
        "select krs, registered_on, struck_off_on, struck_off_final_on, seat_in_region, "
        "seat_powiat_code, seat_gmina_code from staging.krs_entity order by krs").fetchall() == [
        ("0000300001", date(2016, 4, 12), None, None, True, "2814", "2814042"),
        ("0000300002", date(2014, 2, 3), date(2020, 8, 20), date(2020, 9, 15), None, None,
         None)]


def test_pkd_codes_at_every_level_keep_their_level_and_section(tmp_path: Path) -> None:
    con, screened = staged_tables([REAL_SHAPES / "odpis_aktualny_0000300003.json"], tmp_path)
    assert screened["krs_pkd"].rejected.empty
    assert con.execute("select pkd_list, pkd_code, pkd_level, pkd_section from staging.krs_pkd "
                       "order by source_line").fetchall() == [
        ("main", "20.1", "group", "C"), ("other", "19.20.Z", "subclass", "C"),
        ("other", "21", "division", "C"), ("other", "46.75", "class", "G")]


def test_an_api_error_body_is_no_extract() -> None:
    try:
        parse_extract(body("odpis_pelny_0000300006.json"))
    except ExtractProblem as problem:
        assert problem.reason_code == "api_error_body"
    else:
        raise AssertionError("an error body was read as an extract")


def test_active_pes_by_pkd_section_of_the_hand_made_inbox(refreshed: Refresh) -> None:
    """tests/test_refresh.py lists the ten entities. Only the social cooperative KRS 100003
    (registered 20.12.2017) has a main activity in its extract: 56.10.A, division 56, section I.
    Association 100001 (register S) lists only public-benefit codes, foundation 100002's full
    extract none, the rest have no extract. Dec 2020: 8 active, I 1 and 7 without; Feb 2019:
    6 active, I 1 and 5 without; Nov 2017, before the cooperative's registration: 4 active
    (association, WTZ, CIS Ełk, foundation 100002 from 01.06.2017), all without."""
    rows = refreshed.query("select strftime(month, '%Y-%m-%d') as month, pkd_section, active_pes "
                           "from marts.active_pes_by_pkd_section where active_pes > 0 "
                           "and month in ('2017-11-30', '2019-02-28', '2020-12-31') "
                           "order by month, pkd_section")
    assert [tuple(r) for r in rows.itertuples(index=False)] == [
        ("2017-11-30", "-", 4), ("2019-02-28", "-", 5), ("2019-02-28", "I", 1),
        ("2020-12-31", "-", 7), ("2020-12-31", "I", 1)]
    sections = refreshed.query("select count(distinct pkd_section) as n "
                               "from marts.active_pes_by_pkd_section")
    assert sections["n"].iloc[0] == 22  # A-U and the row of those without a main activity


def test_bulletin_days_answered_404_or_empty_do_not_stop_later_days(tmp_path: Path) -> None:
    """Synced on 1 October; on 1 November the API has no bulletin for 5 October (404) and
    answers 6 October with no body: the days after them are read all the same, 100003 listed
    on the 20th is asked again, and krs.bulletin_day says how each of the 31 days went."""
    api = KrsApiStandIn()
    api.add_folder(Path(__file__).parent / "fixtures" / "inbox" / "krs")
    api.bulletins = {"2026-10-20": ["100003"]}
    api.bulletin_answers = {"2026-10-05": (404, b""), "2026-10-06": (200, b"")}
    numbers = {"0000100001": "S", "0000100003": "P"}
    with KrsApiServer(api) as server, \
            duckdb.connect(str(tmp_path / "warehouse.duckdb")) as con:
        client = KrsApiClient(ApiSettings(base_url=server.base_url, requests_per_second=1000.0))
        store = SyncStore(con, tmp_path / "landing", "october")
        sync_extracts(client, store, numbers, date(2026, 10, 1))
        store.run_id = "november"
        november = sync_extracts(client, store, numbers, date(2026, 11, 1))
        days = con.execute("select strftime(day, '%d'), status, numbers from krs.bulletin_day "
                           "where run_id = 'november' order by day").fetchall()
    assert november.bulletin_failure is None
    assert (november.bulletins_from, november.bulletins_through) == (date(2026, 10, 1),
                                                                     date(2026, 10, 31))
    assert november.asked == ["0000100003"]
    assert november.bulletin_days_without_list == {"2026-10-05": "not_found",
                                                   "2026-10-06": "empty"}
    assert len(days) == 31
    assert days[4:6] == [("05", "not_found", 0), ("06", "empty", 0)]
    assert days[19] == ("20", "read", 1)
