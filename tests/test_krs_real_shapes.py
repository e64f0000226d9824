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
  0000300007  current extract of a SPÓŁKA AKCYJNA in Olsztyn, main activity 88.99.Z (Q), and
              one other code of a division PKD 2007 does not have (04.1): quarantined
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import duckdb
import pandas as pd
import pytest
from dagster import DagsterInstance

from assets.krs_landing import KrsApiResource
from sources.krs_api import ApiSettings, KrsApiClient, register_now
from sources.krs_extracts import ExtractProblem, parse_extract
from sources.krs_sync import SyncStore, sync_extracts
from tests.conftest import Refresh, fixture_env, refresh_of
from tests.fixture_inbox import write_fixture_inbox
from tests.krs_api_server import KrsApiServer, KrsApiStandIn
from tests.test_krs_extracts import staged_tables
from tests.test_krs_refresh import definitions_with_krs_landing

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
    """tests/test_refresh.py lists the twelve entities. Only the social cooperative KRS 100003
    (registered 20.12.2017) has a main activity in its extract: 56.10.A, division 56, section I.
    Association 100001 (register S) lists only public-benefit codes, foundation 100002's full
    extract none, the rest have no extract. Dec 2020: 10 active, I 1 and 9 without; Feb 2019:
    7 active, I 1 and 6 without; Nov 2017, before the cooperative's registration: 5 active
    (association 100001, WTZ, CIS Ełk, association 100005 from 01.01.2017, foundation 100002
    from 01.06.2017), all without."""
    rows = refreshed.query("select strftime(month, '%Y-%m-%d') as month, pkd_section, active_pes "
                           "from marts.active_pes_by_pkd_section where active_pes > 0 "
                           "and month in ('2017-11-30', '2019-02-28', '2020-12-31') "
                           "order by month, pkd_section")
    assert [tuple(r) for r in rows.itertuples(index=False)] == [
        ("2017-11-30", "-", 5), ("2019-02-28", "-", 6), ("2019-02-28", "I", 1),
        ("2020-12-31", "-", 9), ("2020-12-31", "I", 1)]
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


# --- a whole refresh of the hand-made inbox with these extracts, from the folder and the API ---
#
# The inbox of tests/fixture_inbox.py, its krs/ folder given the bodies above and its catalogue
# seven more rows (lines 14-20), each naming one of the numbers:
CATALOGUE_ROWS = [
    "13;Stowarzyszenie Przyjaciół Gminy Dywity;stowarzyszenie;300001;;;510001051;olsztyński;"
    "Dywity;Dywity;01.05.2016;",
    "14;Fundacja Zamknięta;fundacja;300002;;;;m. Olsztyn;Olsztyn;Olsztyn;01.03.2014;",
    "15;Spółdzielnia Socjalna Chemia Domowa;spółdzielnia socjalna;300003;;5781000108;;Elbląg;"
    "Elbląg;Elbląg;01.10.2018;",
    "16;Stowarzyszenie Wędrowne;stowarzyszenie;300004;;7391000053;;m. Olsztyn;Olsztyn;Olsztyn;"
    "01.07.2015;",
    "17;Stowarzyszenie Numer Nieznany;stowarzyszenie;300005;;;;olsztyński;Purda;Purda;"
    "01.01.2019;",
    "18;Fundacja Wykreślona Bez Odpisu;fundacja;300006;;;;m. Olsztyn;Olsztyn;Olsztyn;01.01.2018;",
    "19;Fundacja Dobre Dzieło;fundacja;300007;;7391000076;;m. Olsztyn;Olsztyn;Olsztyn;"
    "01.06.2017;",
]
CATALOGUE_FILE = "katalog_pes_2020-12-31.csv"


def real_shapes_inbox(inbox: Path) -> Path:
    write_fixture_inbox(inbox)
    for path in REAL_SHAPES.glob("*.json"):
        shutil.copyfile(path, inbox / "krs" / path.name)
    with (inbox / "pes_catalogue" / CATALOGUE_FILE).open("ab") as catalogue:
        catalogue.write("".join(f"{row}\r\n" for row in CATALOGUE_ROWS).encode("cp1250"))
    return inbox


def stand_in_api() -> KrsApiStandIn:
    """The API as it would answer for these numbers: 300002 and 100002 struck off (204, their
    full extracts), 300006 struck off whose full extract is the error body, 300005 and 100004
    in neither register (404, 404)."""
    api = KrsApiStandIn()
    for folder in (Path(__file__).parent / "fixtures" / "inbox" / "krs", REAL_SHAPES):
        for path in sorted(folder.glob("*.json")):
            if path.name != "odpis_pelny_0000300006.json":
                api.add_extract_file(path)
    api.full[("0000300006", "S")] = body("odpis_pelny_0000300006.json")
    api.struck_off.add(("0000300006", "S"))
    # a live entity's full extract is served as its current one would be: the header is
    # naglowekP, so the stand-in files it as struck off; 300001 is live
    api.struck_off.discard(("0000300001", "S"))
    api.current[("0000300001", "S")] = body("odpis_pelny_0000300001.json")
    return api


@pytest.fixture(scope="module")
def from_folder(tmp_path_factory: pytest.TempPathFactory) -> Refresh:
    return refresh_of(tmp_path_factory.mktemp("real_shapes_folder"), real_shapes_inbox)


@pytest.fixture(scope="module")
def from_api(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Refresh]:
    root = tmp_path_factory.mktemp("real_shapes_api")
    with KrsApiServer(stand_in_api()) as server:
        inbox = real_shapes_inbox(root / "inbox")
        env = fixture_env(root, inbox)
        job = definitions_with_krs_landing(env, KrsApiResource(
            base_url=server.base_url, requests_per_second=1000.0)).resolve_job_def(
            "monthly_refresh")
        result = job.execute_in_process(instance=DagsterInstance.ephemeral(),
                                        raise_on_error=False)
        yield Refresh(root=root, inbox=inbox, env=env, result=result)


def entity_of(run: Refresh, krs: str) -> dict | None:
    rows = run.query("select * from core.pes_entity where krs = ?", [krs])
    return rows.iloc[0].to_dict() if len(rows) else None


def quality_report(run: Refresh) -> str:
    return (run.publish / "raport_jakosci.html").read_text(encoding="utf-8")


@pytest.mark.parametrize("mode", ["from_folder", "from_api"])
def test_the_refresh_publishes(mode: str, request: pytest.FixtureRequest) -> None:
    run = request.getfixturevalue(mode)
    assert run.result.success
    assert (run.publish / "dashboard.html").exists()


@pytest.mark.parametrize("mode", ["from_folder", "from_api"])
def test_full_extracts_are_staged_with_their_dates(mode: str,
                                                   request: pytest.FixtureRequest) -> None:
    run = request.getfixturevalue(mode)
    staged = run.query("select krs, registered_on::varchar as r, struck_off_on::varchar as s, "
                       "struck_off_final_on::varchar as f from staging.krs_entity "
                       "where krs in ('0000300001', '0000300002') order by krs")
    assert [tuple(r) for r in staged.itertuples(index=False)] == [
        ("0000300001", "2016-04-12", None, None),
        ("0000300002", "2014-02-03", "2020-08-20", "2020-09-15")]
    quarantined = run.query("select file, reason_code from audit.quarantine "
                            "where source = 'krs_entity' order by file")
    assert [tuple(r) for r in quarantined.itertuples(index=False)] == [
        ("odpis_pelny_0000300006.json", "api_error_body")]


@pytest.mark.parametrize("mode", ["from_folder", "from_api"])
def test_entities_and_counts_at_the_period_end(mode: str, request: pytest.FixtureRequest) -> None:
    """tests/test_refresh.py counts 9 active from July to November 2020 and 10 in December. Here
    + 300001 (KRS registration 12.04.2016), + 300003 (14.09.2018), + 300005 (no extract:
    catalogue, 01.01.2019), + 300006 (its extract unusable: catalogue, 01.01.2018), + 300007
    (11.05.2017), and 300002 until it was struck off on 20.08.2020 (the day of the entry, not
    the 15.09.2020 it became final); 300004's KRS seat is in Mazowieckie, so it is not counted
    at all. July 9 + 6 = 15, August 9 + 5 = 14, December 10 + 5 = 15."""
    run = request.getfixturevalue(mode)
    struck = entity_of(run, "0000300002")
    assert (str(struck["started_on"].date()), str(struck["ended_on"].date())) == (
        "2014-02-03", "2020-08-20")
    assert str(entity_of(run, "0000300001")["started_on"].date()) == "2016-04-12"
    assert entity_of(run, "0000300004") is None
    total = run.query("select month::varchar as month, sum(active_pes) as n "
                      "from marts.active_pes_by_type where month in ('2020-07-31', "
                      "'2020-08-31', '2020-12-31') group by month order by month")
    assert total["n"].tolist() == [15, 14, 15]
    by_section = run.query("select pkd_section, active_pes from marts.active_pes_by_pkd_section "
                           "where month = '2020-12-31' and active_pes > 0 order by pkd_section")
    assert dict(zip(by_section.pkd_section, by_section.active_pes, strict=True)) == {
        "-": 12, "C": 1, "I": 1, "Q": 1}


def test_a_204_ends_the_entity_by_the_day_of_the_answer(from_folder: Refresh,
                                                        from_api: Refresh) -> None:
    """The folder says nothing of 300006 (its file is an error body): counted from the
    catalogue, open. The API answered 204: struck off by the day of the answer (today), its
    date unknown, whatever its full extract is."""
    assert pd.isna(entity_of(from_folder, "0000300006")["ended_on"])
    assert entity_of(from_api, "0000300006")["ended_on"].date() == register_now().date()
    state = from_api.query("select status, problem from krs.extract_state "
                           "where krs = '0000300006'")
    assert tuple(state.iloc[0]) == ("struck_off", "api_error_body")
    struck = from_api.query("select krs, date_known from core.krs_struck_off order by krs")
    assert [tuple(r) for r in struck.itertuples(index=False)] == [
        ("0000100002", True), ("0000300002", True), ("0000300006", False)]


@pytest.mark.parametrize("mode", ["from_folder", "from_api"])
def test_the_quality_report_says_what_krs_says(mode: str, request: pytest.FixtureRequest) -> None:
    run = request.getfixturevalue(mode)
    report = quality_report(run)
    lines = {(r.topic, r.krs): (r.krs_says, r.source_rows) for r in run.query(
        "select * from marts.krs_review").itertuples()}
    assert lines[("outside_region", "0000300004")] == (
        "siedziba w KRS poza województwem: MAZOWIECKIE, pow. WARSZAWSKI ZACHODNI, "
        "gm. ŁOMIANKI, ŁOMIANKI", f"pes_catalogue:{CATALOGUE_FILE}:17")
    assert lines[("struck_off", "0000300002")][0] == (
        "wykreślony 20.08.2020 (prawomocnie 15.09.2020)")
    assert lines[("type_contradiction", "0000300007")][0] == "forma prawna w KRS: SPÓŁKA AKCYJNA"
    for text in ("siedziba w KRS poza województwem", "MAZOWIECKIE, pow. WARSZAWSKI ZACHODNI",
                 f"pes_catalogue:{CATALOGUE_FILE}:17", "forma prawna w KRS: SPÓŁKA AKCYJNA",
                 "wykreślony 20.08.2020 (prawomocnie 15.09.2020)",
                 "To zapisana odpowiedź API z błędem, nie odpis"):
        assert text in report, text
    # the PKD-section indicator reads the PKD codes, so their rules keep their severity (only a
    # table no figure reads is judged by warnings alone: tests/test_figure_inputs.py)
    pkd = run.query("select line, reason_code from audit.quarantine where source = 'krs_pkd'")
    assert [tuple(r) for r in pkd.itertuples(index=False)] == [(2, "invalid_pkd")]
    severity = run.query("select asset, severity from marts.quality_finding "
                         "where check_name = 'quarantine_share' and asset like 'staging/krs_%'")
    assert dict(zip(severity.asset, severity.severity, strict=True)) == {
        "staging/krs_pkd": "error", "staging/krs_entity": "error"}
    # the existing catalogue-vs-KRS powiat check catches the seat outside the region
    finding = run.query("select passed, summary_pl from marts.quality_finding "
                        "where check_name = 'powiat_agrees_with_krs'")
    assert not finding["passed"].iloc[0]
    assert "poza województwem (niepoliczonych): 1" in finding["summary_pl"].iloc[0]


def test_the_api_tells_numbers_no_register_knows_and_dates_only_bounded(
        from_api: Refresh) -> None:
    report = quality_report(from_api)
    answered = register_now().date().strftime("%d.%m.%Y")
    lines = {(r.topic, r.krs): (r.krs_says, r.source_rows) for r in from_api.query(
        "select * from marts.krs_review").itertuples()}
    assert lines[("unknown_number", "0000300005")] == (
        f"numer nieznany w rejestrach P i S (API KRS: 404 w obu rejestrach, {answered})",
        f"pes_catalogue:{CATALOGUE_FILE}:18")
    assert lines[("struck_off", "0000300006")][0].startswith(f"wykreślony przed {answered}")
    assert f"wykreślony przed {answered}" in report
    assert "numer KRS nieznany w KRS" in report
