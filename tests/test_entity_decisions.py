"""Stable ids, the analyst's decisions and dated events, on copies of the hand-made inbox.

The first refresh of tests/test_refresh.py gives twelve entities (its docstring lists them). Each
test here changes a copy of that inbox and refreshes it again into the same warehouse, so the
entity registry of the first refresh is there, as it is for an office month after month.
"""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd

from tests.conftest import Refresh, SecondRefresh

CATALOGUE = "pes_catalogue:katalog_pes_2020-12-31.csv"
KIS = "kis_register:wykaz_kis_2020-12-31.xlsx"
KRS_FIXTURES = Path(__file__).parent / "fixtures" / "inbox" / "krs"

DECISIONS = "\n".join([
    "decyzja;rekord;drugi_rekord;miejsce;kod_terc;uzasadnienie",
    # line 2: the NIP-only row of the Dywity association becomes an entity of its own
    f"wydziel;{CATALOGUE}:4;;;;osobny podmiot",
    # line 3: the two KIS are declared one club
    f"ten_sam;{KIS}:2;{KIS}:3;;;jeden klub",
    # line 4: the CIS in Ełk of the catalogue is not the one of the register
    f"różne;{CATALOGUE}:7;REGON:51000004000011;;;inny CIS",
    # line 5: the KRS seat `Bartoszyce` (see new_krs_extract) is the town
    "terc;;;Bartoszyce;2801011;siedziba w mieście",
    # line 6: a KRS number no source has: stale
    "ten_sam;KRS:0000999999;NIP:7391000047;;;podmiot zniknął",
    # line 7: a kind of decision that does not exist: invalid, applied nowhere
    "połącz;KRS:0000100001;KRS:0000100003;;;",
]) + "\n"


def entities(refresh: Refresh) -> pd.DataFrame:
    return refresh.query("select * from core.pes_entity order by entity_id")


def entity_of(refresh: Refresh, record_id: str) -> str:
    found = refresh.query("select entity_id from core.entity_link "
                          "where source || ':' || source_file || ':' || source_line = ?",
                          [record_id])
    return found["entity_id"].iloc[0]


def active_at(refresh: Refresh, month: str) -> int:
    return int(refresh.query("select sum(active_pes) as n from marts.active_pes_by_type "
                             "where month = ?", [month])["n"].iloc[0])


def new_krs_extract(inbox: Path) -> None:
    """KRS 100004 (association `Nowe`, only in the catalogue so far) gets an extract whose seat
    gmina, `BARTOSZYCE`, is both the town 2801011 and the rural gmina 2801032."""
    body = json.loads((KRS_FIXTURES / "odpis_aktualny_0000100003.json").read_text("utf-8"))
    header, data = body["odpis"]["naglowekA"], body["odpis"]["dane"]["dzial1"]
    header.update(rejestr="RejS", numerKRS="0000100004", dataRejestracjiWKRS="05.05.2020",
                  stanZDnia="05.05.2020")
    data["danePodmiotu"].update(formaPrawna="STOWARZYSZENIE", nazwa="STOWARZYSZENIE NOWE",
                                identyfikatory={"nip": "7391000047"})
    data["siedzibaIAdres"]["siedziba"].update(powiat="BARTOSZYCKI", gmina="BARTOSZYCE",
                                              miejscowosc="BARTOSZYCE")
    (inbox / "krs" / "odpis_aktualny_0000100004.json").write_text(
        json.dumps(body, ensure_ascii=False), encoding="utf-8")


def struck_off_extract(inbox: Path, day: str) -> None:
    """A full extract of the social cooperative KRS 100003 ending in a strike-off on `day`
    (dd.mm.yyyy), in the full shape (every value a list of versions)."""
    body = {"odpis": {"rodzaj": "Pełny", "naglowekP": {
        "rejestr": "RejP", "numerKRS": "0000100003", "dataCzasOdpisu": "05.01.2021 10:15:00",
        "stanZDnia": day, "dataRejestracjiWKRS": "20.12.2017", "numerOstatniegoWpisu": 2,
        "dataOstatniegoWpisu": day, "wpis": [
            {"numerWpisu": 1, "opis": "WPIS DO REJESTRU", "dataWpisu": "20.12.2017"},
            {"numerWpisu": 2, "opis": "WYKREŚLENIE Z KRAJOWEGO REJESTRU SĄDOWEGO",
             "dataWpisu": day}]},
        "dane": {"dzial1": {
            "danePodmiotu": {
                "formaPrawna": [{"formaPrawna": "SPÓŁDZIELNIA", "nrWpisuWprow": "1"}],
                "identyfikatory": [{"identyfikatory": {"regon": "51000003400000",
                                                       "nip": "5781000031"},
                                    "nrWpisuWprow": "1"}],
                "nazwa": [{"nazwa": "SPÓŁDZIELNIA SOCJALNA \"SMAK\"", "nrWpisuWprow": "1"}],
                "czyPosiadaStatusOPP": [{"czyPosiadaStatusOPP": False, "nrWpisuWprow": "1"}]},
            "siedzibaIAdres": {"siedziba": [{
                "kraj": "POLSKA", "wojewodztwo": "WARMIŃSKO-MAZURSKIE", "powiat": "ELBLĄG",
                "gmina": "ELBLĄG", "miejscowosc": "ELBLĄG", "nrWpisuWprow": "1"}]}}}}}
    (inbox / "krs" / "odpis_pelny_0000100003.json").write_text(
        json.dumps(body, ensure_ascii=False), encoding="utf-8")


def test_a_second_refresh_keeps_every_id(published_copy: SecondRefresh) -> None:
    first = published_copy.first
    second = published_copy.again()
    assert second.result.success
    assert entities(second)["entity_id"].tolist() == entities(first)["entity_id"].tolist()
    links = "select record_id, entity_id from core.entity_link l join core.entity_record r " \
            "using (record_id) order by record_id"
    assert second.query(links).equals(first.query(links))
    assert second.query("select count(*) as n from core.entity_id_change")["n"].iloc[0] == 0


def test_decisions_change_the_result_as_documented(published_copy: SecondRefresh) -> None:
    first = published_copy.first
    dywity, kis_razem, kis_olsztyn, cis_elk = (
        entity_of(first, r) for r in (f"{CATALOGUE}:2", f"{KIS}:2", f"{KIS}:3",
                                      f"{CATALOGUE}:7"))
    folder = first.inbox / "decisions"
    folder.mkdir()
    (folder / "decyzje.csv").write_text(DECISIONS, encoding="utf-8")
    new_krs_extract(first.inbox)
    second = published_copy.again()
    assert second.result.success

    # 12 entities + the split-off row + the CIS kept apart - the two KIS made one = 13
    after = entities(second)
    assert len(after) == 13
    split_off = entity_of(second, f"{CATALOGUE}:4")
    assert split_off != dywity and entity_of(second, f"{CATALOGUE}:2") == dywity
    row = after.set_index("entity_id").loc[split_off]
    assert (row["krs"], row["nip"], row["entity_type"], row["powiat_code"]) == (
        None, "7391000018", "association", "2814")
    assert str(row["started_on"].date()) == "2015-03-01"  # the catalogue's date: no KRS

    one_club = entity_of(second, f"{KIS}:2")
    assert entity_of(second, f"{KIS}:3") == one_club
    assert one_club in {kis_razem, kis_olsztyn}  # the older id holding as many keys survives
    # the CIS of the register keeps its id; the catalogue row kept apart gets a new one
    assert entity_of(second, "cis_register:rejestr_cis_2020-12-31.csv:2") == cis_elk
    assert entity_of(second, f"{CATALOGUE}:7") != cis_elk

    nowe = after[after["krs"] == "0000100004"].iloc[0]
    assert (nowe["powiat_code"], nowe["gmina_code"]) == ("2801", "2801011")

    changes = second.query("select old_id, new_id, change from core.entity_id_change")
    assert set(changes.itertuples(index=False, name=None)) == {
        (dywity, split_off, "split"),
        (cis_elk, entity_of(second, f"{CATALOGUE}:7"), "split"),
        ({kis_razem, kis_olsztyn}.difference({one_club}).pop(), one_club, "merged"),
    }
    status = second.query("select line, kind, status from core.entity_decision order by line")
    assert list(status.itertuples(index=False, name=None)) == [
        (2, "split", "used"), (3, "same", "used"), (4, "different", "used"),
        (5, "terc", "used"), (6, "same", "stale"), (7, "", "invalid")]
    link_rules = second.query("select rule, decision from core.entity_link "
                              "where source = 'kis_register' order by source_line")
    assert link_rules["rule"].tolist() == ["decision", "decision"]
    assert link_rules["decision"].tolist() == ["decyzje.csv:3", "decyzje.csv:3"]
    warnings = {(e.check_name, e.passed) for e in second.result.get_asset_check_evaluations()
                if e.asset_key.to_user_string() == "core/pes_entity"}
    assert ("decisions_in_use", False) in warnings  # the stale and the invalid one

    # Dec 2020: 10 - the KIS merged + the split-off association (the CIS row ended in June)
    assert active_at(second, "2020-12-31") == 10
    # Jan 2016: association, WTZ and the split-off row (started 01.03.2015)
    assert active_at(second, "2016-01-31") == 3

    # published: the entities and the id map for tracing figures, the review in the report
    published = pd.read_csv(second.publish / "podmioty.csv", sep=";", dtype=str)
    assert sorted(published["id_podmiotu"]) == sorted(after["entity_id"])
    id_map = pd.read_csv(second.publish / "zmiany_identyfikatorow.csv", sep=";", dtype=str)
    assert set(zip(id_map["dawny_id"], id_map["nowy_id"], strict=True)) == {
        (old, new) for old, new, _ in changes.itertuples(index=False, name=None)}
    report = (second.publish / "raport_jakosci.html").read_text(encoding="utf-8")
    assert "decyzje.csv:6" in report and "nieaktualna – wiersze zniknęły" in report

    # decisions survive the next refresh: same entities, no new id changes
    third = published_copy.again()
    assert entities(third)["entity_id"].tolist() == after["entity_id"].tolist()
    assert len(third.query("select * from core.entity_id_change")) == len(changes)


def test_a_later_strike_off_leaves_earlier_months_alone(published_copy: SecondRefresh) -> None:
    first = published_copy.first
    before = first.query("select month, entity_type, active_pes from marts.active_pes_by_type "
                         "order by month, entity_type")
    struck_off_extract(first.inbox, "20.11.2020")
    second = published_copy.again()
    assert second.result.success
    after = second.query("select month, entity_type, active_pes from marts.active_pes_by_type "
                         "order by month, entity_type")
    earlier = before["month"] < pd.Timestamp("2020-11-01")
    assert after[earlier].reset_index(drop=True).equals(before[earlier].reset_index(drop=True))
    # Oct 2020: 9 (Dec 2020's 10 without the ZAZ granted in December); Nov: the cooperative is
    # struck off on the 20th: 8; Dec: 10 - 1 = 9
    assert [active_at(second, m) for m in ("2020-10-31", "2020-11-30", "2020-12-31")] == [9, 8, 9]
    coop = second.query("select ended_on, is_social_enterprise from core.pes_entity "
                        "where krs = '0000100003'").iloc[0]
    assert str(coop["ended_on"].date()) == "2020-11-20"
    assert not coop["is_social_enterprise"]  # its status ended with it
    status = second.query("select month, social_enterprises from marts.social_enterprises_active "
                          "where month >= '2020-10-31'")
    # Oct, Nov, Dec 2020: the cooperative and the foundation Bez Statusu, then the foundation
    assert status["social_enterprises"].tolist() == [2, 1, 1]
    events = second.query("select event, event_on from core.entity_event e join core.pes_entity "
                          "p using (entity_id) where p.krs = '0000100003' order by event_on")
    assert ("struck_off", pd.Timestamp("2020-11-20")) in set(events.itertuples(index=False,
                                                                              name=None))
