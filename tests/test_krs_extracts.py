"""KRS extracts parse into the entity and PKD staging rows; unreadable ones are quarantined.

Expected values are read off the files by eye: the two real responses in data/reference/krs/
(register P: a limited company in Kraków; register S: the WOŚP foundation, with OPP status),
the hand-made full extract of tests/fixtures/inbox/krs and tests/fixtures/krs_api.
"""

from __future__ import annotations

import copy
import json
from datetime import date, datetime
from pathlib import Path

import duckdb
import orjson
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import sources.krs_extracts
from assets.staging.flow import staged
from assets.staging.krs import krs_specs, landed_extract_rows, read_entities, read_pkd
from pipelines.resources import settings_from_env
from quality.quarantine import Screened
from sources.krs_extracts import (
    EXTRACT_WITHOUT_DATA,
    MALFORMED_JSON,
    UNEXPECTED_SHAPE,
    ExtractProblem,
    parse_extract,
)
from sources.krs_sync import bulletin_numbers

ROOT = Path(__file__).resolve().parents[1]
REFERENCE = ROOT / "data" / "reference" / "krs"
REAL_P = REFERENCE / "current-P-0001268296.json"
REAL_S = REFERENCE / "current-S-0000030897-wosp.json"
INBOX_KRS = Path(__file__).parent / "fixtures" / "inbox" / "krs"
FULL_WITH_PKD = Path(__file__).parent / "fixtures" / "krs_api" / "odpis_pelny_0000200001.json"


def staged_tables(paths: list[Path], tmp_path: Path) -> tuple[duckdb.DuckDBPyConnection,
                                                             dict[str, Screened]]:
    """The two staging tables made from the extracts as the staging assets make them."""
    settings = settings_from_env({"PES_VAR": str(tmp_path)})
    con = duckdb.connect(str(tmp_path / "warehouse.duckdb"))
    return con, {spec.table: staged(spec, con, f"staging.{spec.table}", spec.read_many(paths),
                                    settings) for spec in krs_specs}


def edited(tmp_path: Path, number: str, edit) -> Path:
    """Extract 0000100001 of the inbox under another number, with `edit` applied to its body."""
    odpis = json.loads((INBOX_KRS / "odpis_aktualny_0000100001.json").read_text("utf-8"))
    odpis["odpis"]["naglowekA"]["numerKRS"] = number
    edit(odpis["odpis"])
    path = tmp_path / f"odpis_aktualny_{number}.json"
    path.write_text(json.dumps(odpis, ensure_ascii=False), encoding="utf-8")
    return path


def ids(odpis: dict) -> dict:
    return odpis["dane"]["dzial1"]["danePodmiotu"]["identyfikatory"]


def first_pkd(odpis: dict) -> dict:
    return odpis["dane"]["dzial3"]["przedmiotDzialalnosciOPP"]["nieodplatnyPkd"][0]


def test_real_current_extract_of_register_p() -> None:
    extract = parse_extract(REAL_P.read_bytes())
    assert extract.entity | {"problem": None} == {
        "krs": "0001268296", "register": "P", "extract_kind": "current",
        "legal_form": "SPÓŁKA Z OGRANICZONĄ ODPOWIEDZIALNOŚCIĄ",
        "name": "GYM CENTER 8.0 SPÓŁKA Z OGRANICZONĄ ODPOWIEDZIALNOŚCIĄ",
        "nip": "9452336418", "regon": "54577292400000", "is_opp": False,
        "seat_voivodeship": "MAŁOPOLSKIE", "seat_powiat": "KRAKÓW", "seat_gmina": "KRAKÓW",
        "seat_town": "KRAKÓW", "registered_on": "22.09.2026", "as_of": "23.09.2026",
        "struck_off_on": None, "struck_off_final_on": None,
        "extracted_at": "24.09.2026 02:34:18", "problem": None,
        "problem_detail": None,
    }
    # one main activity (fitness clubs) and five others, in the order the extract lists them
    codes = [(list_name, f"{d}.{c}.{s}") for _, _, list_name, d, c, s, _ in extract.pkd]
    assert codes == [("main", "93.13.Z"), ("other", "85.51.Z"), ("other", "86.95.Z"),
                     ("other", "86.99.B"), ("other", "93.19.Z"), ("other", "47.63.Z")]


def test_real_current_extract_of_register_s_with_public_benefit_lists() -> None:
    extract = parse_extract(REAL_S.read_bytes())
    entity = extract.entity
    assert (entity["krs"], entity["register"], entity["legal_form"]) == ("0000030897", "S",
                                                                        "FUNDACJA")
    assert entity["name"] == "FUNDACJA WIELKA ORKIESTRA ŚWIĄTECZNEJ POMOCY"
    assert (entity["nip"], entity["regon"], entity["is_opp"]) == ("5213003700", None, True)
    assert (entity["seat_powiat"], entity["seat_gmina"]) == ("WARSZAWSKI", "WARSZAWA-CENTRUM")
    # `odplatnyPkd` is empty, `nieodplatnyPkd` lists 16 codes from 86.90.E to 93.29.B
    lists = [row[2] for row in extract.pkd]
    assert lists == ["opp_unpaid"] * 16
    assert extract.pkd[0][3:6] == ("86", "90", "E") and extract.pkd[-1][3:6] == ("93", "29", "B")


def test_full_extract_takes_values_in_force_and_the_strike_off_date() -> None:
    extract = parse_extract((INBOX_KRS / "odpis_pelny_0000100002.json").read_bytes())
    entity = extract.entity
    assert entity["extract_kind"] == "full"
    assert entity["struck_off_on"] == "15.03.2019"  # the WYKREŚLENIE entry
    assert entity["seat_powiat"] == "OLSZTYN"  # the Stawiguda seat was removed by entry 2
    assert (entity["nip"], entity["regon"]) == ("7391000024", "510000028")
    assert extract.pkd == []


def test_full_extract_pkd_groups_keep_the_codes_in_force() -> None:
    extract = parse_extract(FULL_WITH_PKD.read_bytes())
    assert extract.entity["name"] == 'SPÓŁDZIELNIA SOCJALNA "PIEKARNIA POD LIPAMI"'
    # 56.10.A was removed by entry 2; 56.21.Z came in with it
    codes = [(row[2], f"{row[3]}.{row[4]}.{row[5]}") for row in extract.pkd]
    assert codes == [("main", "10.71.Z"), ("other", "47.24.Z"), ("other", "56.21.Z")]


@pytest.mark.parametrize(("body", "reason"), [
    (REAL_P.read_bytes()[:2000], MALFORMED_JSON),  # cut mid-way
    (b"", MALFORMED_JSON),
    (b"[]", UNEXPECTED_SHAPE),
    (b'{"odpis": {"rodzaj": "Aktualny", "naglowekA": {"numerKRS": "0000100001"}}}',
     EXTRACT_WITHOUT_DATA),  # no register, no `dane`: an extract without data
    (REAL_P.read_bytes().replace(b'"RejP"', b'"RejX"'), UNEXPECTED_SHAPE),
])
def test_a_body_that_is_no_extract_is_named_so(body: bytes, reason: str) -> None:
    with pytest.raises(ExtractProblem) as raised:
        parse_extract(body)
    assert raised.value.reason_code == reason


def test_unreadable_extract_is_quarantined_and_the_others_stay(tmp_path: Path) -> None:
    """Three files: two readable (100001, 100003 of the inbox) and a truncated one."""
    cut = tmp_path / "odpis_aktualny_0000100009.json"
    cut.write_bytes((INBOX_KRS / "odpis_aktualny_0000100001.json").read_bytes()[:700])
    paths = [INBOX_KRS / "odpis_aktualny_0000100001.json", cut,
             INBOX_KRS / "odpis_aktualny_0000100003.json"]
    con, screened = staged_tables(paths, tmp_path)
    assert con.execute("select krs from staging.krs_entity").fetchall() == [("0000100001",),
                                                                            ("0000100003",)]
    rejected = screened["krs_entity"].rejected[["file", "line", "field", "reason_code"]]
    assert rejected.values.tolist() == [[cut.name, 1, "odpis", MALFORMED_JSON]]  # one reason
    assert read_entities([cut]).attrs[cut.name]["unreadable"].startswith("unexpected end of data")
    assert read_pkd([cut]).empty


def test_every_rule_quarantines_its_rows_and_passes_the_others(tmp_path: Path) -> None:
    """Eight edits of extract 100001 (NIP 7391000018: 7*6+3*5+9*7+1*2+1*7 = 129, 129 mod 11
    = 8, its check digit; one unpaid-OPP code 88.99.Z, its PKD line 1):

      100011 as it is                   accepted, PKD accepted
      100012 NIP 7391000019             invalid_nip (9 is not 8), PKD accepted
      100013 NIP 739-100-00-18          accepted as 7391000018, PKD accepted
      100014 NIP the number 7391000018  unexpected shape: no PKD row
      100015 no registration date       missing_value, PKD accepted
      100016 as-of date 30.13.2020      invalid_date (no 13th month), PKD accepted
      100017 PKD subclass ZZ            accepted; its PKD row invalid_pkd (88.99.ZZ)
      100018 KRS number 100018          invalid_krs (6 digits), and its PKD row too

    Entity: 3 accepted, 5 quarantined; PKD: 7 read (not 100014), 5 accepted.
    """
    numbers = {"0000100011": lambda o: None,
               "0000100012": lambda o: ids(o).update(nip="7391000019"),
               "0000100013": lambda o: ids(o).update(nip="739-100-00-18"),
               "0000100014": lambda o: ids(o).update(nip=7391000018),
               "0000100015": lambda o: o["naglowekA"].pop("dataRejestracjiWKRS"),
               "0000100016": lambda o: o["naglowekA"].update(stanZDnia="30.13.2020"),
               "0000100017": lambda o: first_pkd(o).update(kodPodklasa="ZZ"),
               "100018": lambda o: None}
    paths = [edited(tmp_path, number, edit) for number, edit in numbers.items()]
    con, screened = staged_tables(paths, tmp_path)
    name = {number: path.name for number, path in zip(numbers, paths, strict=True)}
    # rule by rule, as `screen` lists them: shape, KRS, NIP, registration date, as-of date
    assert screened["krs_entity"].rejected[["file", "field", "reason_code"]].values.tolist() == [
        [name["0000100014"], "odpis", UNEXPECTED_SHAPE],
        [name["100018"], "krs", "invalid_krs"],
        [name["0000100012"], "nip", "invalid_nip"],
        [name["0000100015"], "registered_on_text", "missing_value"],
        [name["0000100016"], "as_of_text", "invalid_date"],
    ]
    assert screened["krs_entity"].rejected["message"].iloc[2] == (
        "NIP: NIP ma błędną długość lub cyfrę kontrolną.")
    assert read_entities(paths).attrs == {name["0000100014"]: {"unreadable":
                                                               "TypeError: not text: nip"}}
    assert con.execute("select krs, nip from staging.krs_entity").fetchall() == [
        ("0000100011", "7391000018"), ("0000100013", "7391000018"), ("0000100017", "7391000018")]
    assert len(screened["krs_entity"].accepted) == 3
    pkd_rejected = screened["krs_pkd"].rejected[["file", "line", "field", "reason_code"]]
    assert pkd_rejected.values.tolist() == [
        [name["100018"], 1, "krs", "invalid_krs"],
        [name["0000100017"], 1, "pkd_code", "invalid_pkd"],
    ]
    assert con.execute("select count(*) from staging.krs_pkd").fetchall() == [(5,)]


def test_dates_are_read_in_the_forms_the_api_writes_and_no_other(tmp_path: Path) -> None:
    """The API writes `dd.mm.yyyy` (`dd.mm.yyyy hh:mm:ss` for the moment of the extract); ISO
    days are read too. A two-digit year, a spreadsheet's serial number or a day that does not
    exist is unreadable: the extract is quarantined, never given a guessed date."""
    written = {"0000100021": ("02.03.2015", date(2015, 3, 2)),
               "0000100022": ("2.3.2015", date(2015, 3, 2)),
               "0000100023": ("2015-03-02", date(2015, 3, 2)),
               "0000100024": ("2.3.15", None),  # not the year 15
               "0000100025": ("42065", None),  # 02.03.2015 as an Excel serial
               "0000100026": ("29.02.2015", None)}  # 2015 is no leap year
    paths = [edited(tmp_path, number, lambda o, day=day: o["naglowekA"].update(
        dataRejestracjiWKRS=day, dataCzasOdpisu="05.01.2021 7:12:00"))
        for number, (day, _) in written.items()]
    con, screened = staged_tables(paths, tmp_path)
    unreadable = [number for number, (_, day) in written.items() if day is None]
    assert screened["krs_entity"].rejected[["file", "reason_code"]].values.tolist() == [
        [f"odpis_aktualny_{number}.json", "invalid_date"] for number in unreadable]
    assert con.execute("select krs, registered_on, extracted_at from staging.krs_entity "
                       "order by krs").fetchall() == [
        (number, day, datetime(2021, 1, 5, 7, 12)) for number, (_, day) in written.items()
        if day is not None]


def test_the_entity_table_has_the_columns_and_types_entity_resolution_reads(
        tmp_path: Path) -> None:
    """Extract 100001 of the inbox: Dywity, powiat olsztyński (2814), rural gmina 2814042."""
    con, _ = staged_tables([INBOX_KRS / "odpis_aktualny_0000100001.json"], tmp_path)
    columns = con.execute("select column_name, data_type from information_schema.columns "
                          "where table_name = 'krs_entity' order by ordinal_position").fetchall()
    assert columns == [
        ("krs", "VARCHAR"), ("register", "VARCHAR"), ("extract_kind", "VARCHAR"),
        ("legal_form", "VARCHAR"), ("name", "VARCHAR"), ("nip", "VARCHAR"), ("regon", "VARCHAR"),
        ("is_opp", "BOOLEAN"), ("seat_voivodeship", "VARCHAR"), ("seat_powiat", "VARCHAR"),
        ("seat_gmina", "VARCHAR"), ("seat_town", "VARCHAR"), ("registered_on_text", "VARCHAR"),
        ("as_of_text", "VARCHAR"), ("struck_off_on_text", "VARCHAR"),
        ("struck_off_final_on_text", "VARCHAR"),
        ("extracted_at", "TIMESTAMP_NS"), ("problem", "VARCHAR"), ("source_file", "VARCHAR"),
        ("source_line", "BIGINT"), ("registered_on", "DATE"), ("as_of", "DATE"),
        ("struck_off_on", "DATE"), ("struck_off_final_on", "DATE"), ("name_key", "VARCHAR"),
        ("seat_in_region", "BOOLEAN"),
        ("seat_powiat_code", "VARCHAR"), ("seat_gmina_code", "VARCHAR"),
    ]
    assert con.execute("select * from staging.krs_entity").fetchall() == [(
        "0000100001", "S", "current", "STOWARZYSZENIE", "STOWARZYSZENIE RAZEM W DYWITACH",
        "7391000018", "51000001100000", True, "WARMIŃSKO-MAZURSKIE", "OLSZTYŃSKI", "DYWITY",
        "DYWITY", "15.02.2015", "30.12.2020", None, None, datetime(2021, 1, 5, 10, 12), None,
        "odpis_aktualny_0000100001.json", 1, date(2015, 2, 15), date(2020, 12, 30), None, None,
        "STOWARZYSZENIE RAZEM W DYWITACH", True, "2814", "2814042")]


def test_seat_is_mapped_to_powiat_and_gmina_only_when_unambiguous(tmp_path: Path) -> None:
    """100001: Dywity, olsztyński (2814, gmina 2814042 rural); 100003: Elbląg, a city with
    powiat rights (2861, gmina 2861011); 200001: Bartoszyce, where an urban (2801011) and a
    rural gmina (2801032) share the name, so the gmina stays open; WOŚP: outside the region."""
    con, _ = staged_tables([INBOX_KRS / "odpis_aktualny_0000100001.json",
                            INBOX_KRS / "odpis_aktualny_0000100003.json", FULL_WITH_PKD, REAL_S],
                           tmp_path)
    assert con.execute("select krs, seat_in_region, seat_powiat_code, seat_gmina_code, "
                       "struck_off_on from staging.krs_entity").fetchall() == [
        ("0000100001", True, "2814", "2814042", None),
        ("0000100003", True, "2861", "2861011", None),
        ("0000200001", True, "2801", None, date(2024, 6, 30)),
        ("0000030897", False, None, None, None),
    ]


def test_pkd_rows_carry_the_code_and_their_place(tmp_path: Path) -> None:
    con, screened = staged_tables([REAL_P], tmp_path)
    assert screened["krs_pkd"].rejected.empty
    assert con.execute("select pkd_code, source_line from staging.krs_pkd").fetchall() == [
        ("93.13.Z", 1), ("85.51.Z", 2), ("86.95.Z", 3), ("86.99.B", 4), ("93.19.Z", 5),
        ("47.63.Z", 6)]


def test_both_tables_come_from_one_reading_of_the_files(monkeypatch: pytest.MonkeyPatch) -> None:
    """The entity and PKD assets read the same landed files one after the other: the second
    reuses the first one's parse (four files, four reads, not eight). PKD codes: WOŚP 16,
    100001 one, 100003 two (main 56.10.A, other 56.21.Z), the full 100002 none: 19."""
    read = []
    original = sources.krs_extracts.read_body
    monkeypatch.setattr(sources.krs_extracts, "read_body", lambda p: read.append(p) or original(p))
    landed_extract_rows.cache_clear()
    paths = sorted(INBOX_KRS.iterdir())
    entities, pkd = read_entities(paths), read_pkd(paths)
    assert len(read) == 4 and (len(entities), len(pkd)) == (4, 19)


def test_bulletin_numbers_are_padded_and_distinct() -> None:
    """The real hourly bulletin lists `38883` four times and `5204` once."""
    body = (REFERENCE / "biuletyn-godzinowy-2026-09-22-10-11.json").read_bytes()
    numbers = bulletin_numbers(body)
    assert {"0000005204", "0000038883"} <= numbers
    assert all(len(n) == 10 and n.isdigit() for n in numbers)
    assert bulletin_numbers(b'["12", "12", "0000000012"]') == {"0000000012"}
    with pytest.raises(ValueError):
        bulletin_numbers(b'{"numery": []}')
    with pytest.raises(ValueError):  # fullwidth digits: digits to `isdigit`, no KRS number
        bulletin_numbers('["１２"]'.encode())


def every_extract_at_hand() -> list[Path]:
    """The real responses, the hand-made fixtures and the bundled sample's extracts (current
    and full, registers P and S, with and without PKD codes) when the sample is generated."""
    return sorted([*REFERENCE.glob("current-*.json"), *INBOX_KRS.glob("*.json"),
                   FULL_WITH_PKD, *(ROOT / "data" / "sample" / "krs").glob("*.json")])


def general_way(body: bytes, name: str) -> tuple | str:
    """The rows the general way reads from a body, or the reason it gives for none."""
    try:
        return sources.krs_extracts._any_extract_rows(body, name)
    except ExtractProblem as problem:
        return problem.reason_code


def test_every_way_in_gives_the_rows_of_the_whole_document() -> None:
    """Extracts of the API's shapes take the typed way, any other body the general one over the
    whole document; for an extract both must give the same rows, value for value."""
    kinds = []
    for path in every_extract_at_hand():
        body = path.read_bytes()
        odpis = orjson.loads(body)["odpis"]
        entity = sources.krs_extracts._entity(odpis, path.name)
        whole = (entity, sources.krs_extracts._pkd(odpis, entity[0], entity[1], path.name))
        assert sources.krs_extracts._rows(body, path.name) == whole, path.name
        assert sources.krs_extracts._any_extract_rows(body, path.name) == whole, path.name
        assert sources.krs_extracts._typed_extract_rows(body, path.name) == whole, path.name
        kinds.append(entity[2])
    # both real responses, the fixtures' current and full extracts
    assert kinds.count("current") >= 5 and kinds.count("full") >= 2


def seat_versions(odpis: dict, versions: list) -> None:
    odpis["dane"]["dzial1"]["siedzibaIAdres"]["siedziba"] = versions


@pytest.mark.parametrize("edit", [
    lambda o: first_pkd(o).update(nrWpisuWykr="2"),  # a code removed by a later entry
    lambda o: first_pkd(o).update(pozycja=[{"kodDzial": "85", "kodKlasa": "59",
                                           "kodPodklasa": "B"}]),  # a group of codes
    lambda o: o["naglowekA"].update(wpis=[{"opis": sources.krs_extracts.STRUCK_OFF,
                                          "dataWpisu": "01.02.2020"}]),  # entries
    lambda o: seat_versions(o, [{"powiat": "EŁCKI", "nrWpisuWykr": "3"},
                                {"powiat": "OLSZTYN"}]),  # a seat moved
    lambda o: seat_versions(o, [{"powiat": "EŁCKI", "nrWpisuWykr": "3"},
                                {"powiat": "GIŻYCKI", "nrWpisuWykr": "4"}]),  # all removed
    lambda o: seat_versions(o, []),  # no version at all
    lambda o: o["dane"]["dzial1"]["danePodmiotu"].update(
        nazwa=[{"nazwa": "STARA", "nrWpisuWykr": "2"}, {"nazwa": "NOWA"}]),
    lambda o: o["dane"]["dzial1"]["danePodmiotu"].update(
        formaPrawna=[{"formaPrawna": "STOWARZYSZENIE"}, {"formaPrawna": "FUNDACJA"}]),
    lambda o: o["dane"]["dzial1"]["danePodmiotu"].update(czyPosiadaStatusOPP=[]),
    lambda o: o["dane"]["dzial3"].update(przedmiotDzialalnosciOPP=[]),  # an empty history
    lambda o: o.update(naglowekP=o.pop("naglowekA")),  # a full extract's header
])
def test_history_in_any_extract_is_read_the_typed_way_as_the_general_one(edit, tmp_path: Path
                                                                          ) -> None:
    path = edited(tmp_path, "0000100011", edit)
    body = path.read_bytes()
    typed = sources.krs_extracts._typed_extract_rows(body, path.name)
    assert typed is not None and typed == general_way(body, path.name)


@pytest.mark.parametrize("edit", [
    lambda o: ids(o).update(nip=7391000018),  # a number where the API writes text
    lambda o: o["naglowekA"].update(rejestr="RejX"),  # no such register
    lambda o: o["dane"]["dzial1"]["danePodmiotu"].pop("nazwa"),  # no name at all
    lambda o: first_pkd(o).update(pozycja=None),  # a group that is no list
    lambda o: o["dane"]["dzial3"]["przedmiotDzialalnosciOPP"]["nieodplatnyPkd"].append(
        "85.59.B"),  # a code written as text, not as its parts
    lambda o: seat_versions(o, None),  # no seat
    lambda o: o.update(naglowekA=None),  # a header that is null
])
def test_a_body_off_the_api_shapes_goes_the_general_way(edit, tmp_path: Path) -> None:
    path = edited(tmp_path, "0000100011", edit)
    body = path.read_bytes()
    assert sources.krs_extracts._typed_extract_rows(body, path.name) is None
    expected = general_way(body, path.name)
    if isinstance(expected, str):
        with pytest.raises(ExtractProblem) as raised:
            sources.krs_extracts._rows(body, path.name)
        assert raised.value.reason_code == expected
    else:
        assert sources.krs_extracts._rows(body, path.name) == expected


#: Extracts of both shapes and both registers, parsed once for the edits below.
EDITABLE = [json.loads(path.read_text("utf-8")) for path in sorted(
    [*REFERENCE.glob("current-*.json"), *INBOX_KRS.glob("*.json"), FULL_WITH_PKD])]
#: The keys the readers look for: the edits below favour them.
READ_KEYS = ["naglowekA", "naglowekP", "rejestr", "numerKRS", "dataRejestracjiWKRS", "stanZDnia",
             "dataCzasOdpisu", "wpis", "dataWpisu", "dane", "dzial1", "danePodmiotu",
             "formaPrawna", "nazwa", "identyfikatory", "nip", "regon", "czyPosiadaStatusOPP",
             "siedzibaIAdres", "siedziba", "wojewodztwo", "powiat", "gmina", "miejscowosc",
             "dzial3", "przedmiotDzialalnosci", "przedmiotPrzewazajacejDzialalnosci",
             "przedmiotPozostalejDzialalnosci", "przedmiotDzialalnosciOPP", "odplatnyPkd",
             "nieodplatnyPkd", "kodDzial", "kodKlasa", "kodPodklasa", "opis", "pozycja",
             "nrWpisuWykr"]
#: Any JSON value, objects mostly with the keys the readers look for (so also a field's
#: history: a list of versions, some removed by a later entry).
ANY_JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=4),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(
        st.sampled_from(READ_KEYS) | st.text(max_size=3), inner, max_size=3),
    max_leaves=8)


def places(value: object, path: tuple = ()) -> list[tuple]:
    """The path of every value inside a JSON document (keys and list positions)."""
    inside = (value.items() if isinstance(value, dict)
              else enumerate(value) if isinstance(value, list) else ())
    return [path, *(p for key, item in inside for p in places(item, (*path, key)))]


@settings(max_examples=500, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.data())
def test_any_edit_of_an_extract_is_read_alike_both_ways_or_named(data: st.DataObject) -> None:
    """One value anywhere in a real or hand-made extract replaced by any JSON value, or removed:
    the body gives rows or an ExtractProblem, never another error, and when it is of the
    API's shapes the typed way gives the general way's rows."""
    document = copy.deepcopy(data.draw(st.sampled_from(EDITABLE)))
    every_place = places(document)[1:]
    read_places = [p for p in every_place if p[-1] in READ_KEYS]
    *parents, last = data.draw(st.sampled_from(read_places) | st.sampled_from(every_place))
    holder = document
    for key in parents:
        holder = holder[key]
    if data.draw(st.booleans()):
        holder.pop(last)
    else:
        holder[last] = data.draw(ANY_JSON)
    body = json.dumps(document, ensure_ascii=False).encode()
    typed = sources.krs_extracts._typed_extract_rows(body, "odpis.json")
    general = general_way(body, "odpis.json")
    if typed is not None:
        assert typed == general
    if isinstance(general, str):
        with pytest.raises(ExtractProblem):
            sources.krs_extracts._rows(body, "odpis.json")
    else:
        assert sources.krs_extracts._rows(body, "odpis.json") == general
        assert len(general[0]) == len(sources.krs_extracts.ENTITY_COLUMNS) + 3
