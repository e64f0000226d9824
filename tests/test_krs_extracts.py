"""KRS extracts parse into the entity and PKD staging rows; unreadable ones are quarantined.

Expected values are read off the files by eye: the two real responses in data/reference/krs/
(register P: a limited company in Kraków; register S: the WOŚP foundation, with OPP status),
the hand-made full extract of tests/fixtures/inbox/krs and tests/fixtures/krs_api.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from assets.staging.krs import krs_spec, pkd_spec, prepare_krs, prepare_pkd, read_entities, read_pkd
from pipelines.resources import settings_from_env
from quality.quarantine import screen
from sources.krs_extracts import (
    MALFORMED_JSON,
    UNEXPECTED_SHAPE,
    ExtractProblem,
    parse_extract,
    read_extract_rows,
)
from sources.krs_sync import bulletin_numbers

ROOT = Path(__file__).resolve().parents[1]
REFERENCE = ROOT / "data" / "reference" / "krs"
REAL_P = REFERENCE / "current-P-0001268296.json"
REAL_S = REFERENCE / "current-S-0000030897-wosp.json"
INBOX_KRS = Path(__file__).parent / "fixtures" / "inbox" / "krs"
FULL_WITH_PKD = Path(__file__).parent / "fixtures" / "krs_api" / "odpis_pelny_0000200001.json"


def test_real_current_extract_of_register_p() -> None:
    extract = parse_extract(REAL_P.read_bytes())
    assert extract.entity | {"problem": None} == {
        "krs": "0001268296", "register": "P", "extract_kind": "current",
        "legal_form": "SPÓŁKA Z OGRANICZONĄ ODPOWIEDZIALNOŚCIĄ",
        "name": "GYM CENTER 8.0 SPÓŁKA Z OGRANICZONĄ ODPOWIEDZIALNOŚCIĄ",
        "nip": "9452336418", "regon": "54577292400000", "is_opp": False,
        "seat_voivodeship": "MAŁOPOLSKIE", "seat_powiat": "KRAKÓW", "seat_gmina": "KRAKÓW",
        "seat_town": "KRAKÓW", "registered_on": "22.09.2026", "as_of": "23.09.2026",
        "struck_off_on": None, "extracted_at": "24.09.2026 02:34:18", "problem": None,
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
     UNEXPECTED_SHAPE),  # no register, no `dane`
    (REAL_P.read_bytes().replace(b'"RejP"', b'"RejX"'), UNEXPECTED_SHAPE),
])
def test_a_body_that_is_no_extract_is_named_so(body: bytes, reason: str) -> None:
    with pytest.raises(ExtractProblem) as raised:
        parse_extract(body)
    assert raised.value.reason_code == reason


def test_unreadable_extract_is_quarantined_and_the_others_stay(tmp_path: Path) -> None:
    """Three files: two readable (100001, 100003 of the inbox) and a truncated one."""
    settings = settings_from_env({"PES_VAR": str(tmp_path)})
    cut = tmp_path / "odpis_aktualny_0000100009.json"
    cut.write_bytes((INBOX_KRS / "odpis_aktualny_0000100001.json").read_bytes()[:700])
    paths = [INBOX_KRS / "odpis_aktualny_0000100001.json", cut,
             INBOX_KRS / "odpis_aktualny_0000100003.json"]
    raw = read_entities(paths)
    screened = screen(prepare_krs(raw, settings), krs_spec.rules)
    assert sorted(screened.accepted["krs"]) == ["0000100001", "0000100003"]
    rejected = screened.rejected[["file", "line", "field", "reason_code"]]
    assert rejected.values.tolist() == [[cut.name, 1, "odpis", MALFORMED_JSON]]  # one reason
    assert read_entities([cut]).attrs[cut.name]["unreadable"].startswith("unexpected end of data")
    assert read_pkd([cut]).empty


def test_seat_is_mapped_to_powiat_and_gmina_only_when_unambiguous(tmp_path: Path) -> None:
    """100001: Dywity, olsztyński (2814, gmina 2814042 rural); 100003: Elbląg, a city with
    powiat rights (2861, gmina 2861011); 200001: Bartoszyce, where an urban (2801011) and a
    rural gmina (2801032) share the name, so the gmina stays open; WOŚP: outside the region."""
    settings = settings_from_env({"PES_VAR": str(tmp_path)})
    entities, _ = read_extract_rows([INBOX_KRS / "odpis_aktualny_0000100001.json",
                                     INBOX_KRS / "odpis_aktualny_0000100003.json",
                                     FULL_WITH_PKD, REAL_S])
    typed = prepare_krs(entities, settings).set_index("krs")
    assert typed["seat_powiat_code"].to_dict() == {
        "0000100001": "2814", "0000100003": "2861", "0000200001": "2801", "0000030897": None}
    gminas = typed["seat_gmina_code"].astype(object).where(typed["seat_gmina_code"].notna(), None)
    assert gminas.to_dict() == {"0000100001": "2814042", "0000100003": "2861011",
                                "0000200001": None, "0000030897": None}
    assert str(typed.loc["0000200001", "struck_off_on"]) == "2024-06-30"


def test_pkd_rows_carry_the_code_and_their_place() -> None:
    _, pkd = read_extract_rows([REAL_P])
    screened = screen(prepare_pkd(pkd, None), pkd_spec.rules)
    assert screened.rejected.empty
    assert screened.accepted["pkd_code"].tolist() == ["93.13.Z", "85.51.Z", "86.95.Z", "86.99.B",
                                                      "93.19.Z", "47.63.Z"]
    assert screened.accepted["_line"].tolist() == [1, 2, 3, 4, 5, 6]


def test_bulletin_numbers_are_padded_and_distinct() -> None:
    """The real hourly bulletin lists `38883` four times and `5204` once."""
    body = (REFERENCE / "biuletyn-godzinowy-2026-09-22-10-11.json").read_bytes()
    numbers = bulletin_numbers(body)
    assert {"0000005204", "0000038883"} <= numbers
    assert all(len(n) == 10 and n.isdigit() for n in numbers)
    assert bulletin_numbers(b'["12", "12", "0000000012"]') == {"0000000012"}
    with pytest.raises(ValueError):
        bulletin_numbers(b'{"numery": []}')
