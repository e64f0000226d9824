"""Check digits worked out by hand, and the written forms offices use."""

from __future__ import annotations

import pandas as pd
import pytest

from quality.identifiers import (
    digits_only,
    nip_is_valid,
    normalise_krs,
    pesel_is_valid,
    regon_is_valid,
)
from quality.rules import valid_krs


def test_written_forms_of_a_nip_normalise_to_ten_digits() -> None:
    written = pd.Series(["739-100-00-18", "PL7391000018", " 739 100 00 18 ", "pl7391000018", ""])
    assert digits_only(written).tolist()[:4] == ["7391000018"] * 4
    assert pd.isna(digits_only(written).iloc[4])


@pytest.mark.parametrize("written", ["NIP: 739 100 00 18", "nip 739-100-00-18",
                                     "PL 739-100-00-18", "739.100.00.18", "739\u00a0100\u00a00018"])
def test_labels_and_separators_around_a_nip_are_dropped(written: str) -> None:
    assert digits_only(pd.Series([written])).tolist() == ["7391000018"]


def test_what_is_not_a_written_number_is_left_for_the_check_to_reject() -> None:
    """A spreadsheet's scientific notation lost digits: it must fail, not be guessed."""
    kept = digits_only(pd.Series(["7,39E+09", "brak"])).tolist()
    assert kept == ["7,39E+09", "BRAK"]
    assert not nip_is_valid(pd.Series(kept)).any()


def test_krs_gets_its_leading_zeros_back() -> None:
    assert normalise_krs(pd.Series(["100001", "0000100001", "30897", "KRS 100001"])).tolist() == [
        "0000100001", "0000100001", "0000030897", "0000100001"]


@pytest.mark.parametrize(("nip", "valid"), [
    # 7*6+3*5+9*7+1*2+0+0+0+0+1*7 = 129; 129 mod 11 = 8 -> check digit 8
    ("7391000018", True),
    ("7391000019", False),
    # 5*6+2*5+1*7+3*2+0+0+3*5+7*6+0*7 = 110; mod 11 = 0 (a real NIP, from the KRS sample)
    ("5213003700", True),
    # 1*6+2*5+3*7+4*2+5*3+6*4+7*5+8*6+9*7 = 230; mod 11 = 10: no NIP can end this way
    ("1234567890", False),
    ("739100001", False),  # nine digits
    # 8*6+4*5+5*7+1*2+0+0+0+0+6*7 = 147; 147 mod 11 = 4 -> check digit 4
    ("8451000064", True),
    ("8451000065", False),
])
def test_nip_check_digit(nip: str, valid: bool) -> None:
    assert nip_is_valid(pd.Series([nip])).iloc[0] == valid


@pytest.mark.parametrize(("regon", "valid"), [
    # 5*8+1*9+0+0+0+0+0+1*7 = 56; 56 mod 11 = 1 -> check digit 1
    ("510000011", True),
    ("510000012", False),
    # 1*8+2*9+3*2+4*3+5*4+6*5+7*6+8*7 = 192; mod 11 = 5
    ("123456785", True),
    ("123456789", False),
    # a 9-digit REGON padded with five zeros, as KRS writes it
    ("54577292400000", True),
    # 14 digits: weights 2 4 8 5 0 9 7 3 6 1 2 4 8 on 1234567850001 -> 2+8+24+20+0+54+49+24+
    # 30+0+0+0+8 = 219; 219 mod 11 = 10 -> 0
    ("12345678500010", True),
    ("12345678500011", False),
    # 5*8+1*9+0+0+0+0+7*7 = 98; 98 mod 11 = 10, which counts as 0 -> check digit 0
    ("510000070", True),
    ("510000071", False),
    # a CIS of the founder 510000040: 5*2+1*4+4*3+1*8 = 34 (unit 0001); 34 mod 11 = 1
    ("51000004000011", True),
    ("51000004000012", False),
    ("5100000400001", False),  # thirteen digits
])
def test_regon_check_digit(regon: str, valid: bool) -> None:
    assert regon_is_valid(pd.Series([regon])).iloc[0] == valid


@pytest.mark.parametrize(("pesel", "valid"), [
    # 8+15+7+18+1+6+0+27+4+15 = 101; (10 - 1) mod 10 = 9; born 12.12.1985
    ("85121203459", True),
    ("85121203458", False),
    # month 22 = February of the 2000s: born 05.02.2001; weighted sum 148 -> check 2
    ("01220507892", True),
    # the check digit is right (0+0+0+18+3+3+0+0+0+0 = 24 -> 6) but 31.02.1900 is no date
    ("00023100006", False),
    ("8512120345", False),  # ten digits
])
def test_pesel_check_digit_and_birth_date(pesel: str, valid: bool) -> None:
    assert pesel_is_valid(pd.Series([pesel])).iloc[0] == valid


#: 7391000018 (a valid NIP), 123456785 (a valid REGON), 0000100001 (a KRS number) and
#: 85121203459 (a valid PESEL) written in fullwidth digits: digits to Python's `isdigit`, but
#: no identifier's.
FULLWIDTH = str.maketrans("0123456789", "０１２３４５６７８９")


def test_digits_of_other_scripts_make_no_identifier() -> None:
    nip, regon, krs, pesel = (n.translate(FULLWIDTH) for n in (
        "7391000018", "123456785", "100001", "85121203459"))
    assert not nip_is_valid(pd.Series([nip, None])).any()
    assert not pesel_is_valid(pd.Series([pesel])).any()  # no pseudonym: status `niepoprawny`
    assert not regon_is_valid(pd.Series([regon, regon + "0" * 5])).any()
    assert normalise_krs(pd.Series([krs])).tolist() == [krs]  # not padded as a number would be
    frame = pd.DataFrame({"krs": [krs, "0000100001"]})
    assert valid_krs().fails(frame).tolist() == [True, False]
