"""Normalisation and check digits of the Polish identifiers that tie sources together.

Checks are vectorised over pandas Series because registers hold thousands of rows and the
same functions serve the expectation suites. A value is never "repaired": a normalised
identifier that fails its check goes to quarantine with a reason code.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

NIP_WEIGHTS = (6, 5, 7, 2, 3, 4, 5, 6, 7)
REGON9_WEIGHTS = (8, 9, 2, 3, 4, 5, 6, 7)
REGON14_WEIGHTS = (2, 4, 8, 5, 0, 9, 7, 3, 6, 1, 2, 4, 8)
PESEL_WEIGHTS = (1, 3, 7, 9, 1, 3, 7, 9, 1, 3)


def digits_only(values: pd.Series) -> pd.Series:
    """Strip a label (`NIP:`, `KRS nr`), a country prefix, dashes, dots and spaces.

    `739-100-00-18`, `PL 7391000018`, `NIP: 739 100 00 18` become `7391000018`; anything else
    (letters, a spreadsheet's `7,39E+09`) is left for the check to reject. Empty becomes missing.
    """
    text = values.astype("string").str.strip().str.upper()
    text = text.str.replace(r"^(NIP|KRS|REGON)\s*(NR\.?)?\s*:?\s*", "", regex=True)
    cleaned = text.str.removeprefix("PL").str.replace(r"[\s\u00a0\-\.]", "", regex=True)
    return cleaned.mask(cleaned == "")


def normalise_krs(values: pd.Series) -> pd.Series:
    """KRS numbers lose their leading zeros in spreadsheets; the register keeps 10 digits."""
    cleaned = digits_only(values)
    short_number = cleaned.str.fullmatch(r"[0-9]{1,9}").fillna(False).astype(bool)
    return cleaned.mask(short_number, cleaned.str.zfill(10))


def _digit_matrix(values: pd.Series, length: int) -> tuple[np.ndarray, np.ndarray]:
    """Rows of digits for the values that have exactly `length` digits, and that mask.

    Digits are 0-9: Python's `isdigit` also takes the digits of other scripts (a fullwidth
    `７３９`, typed with an East Asian keyboard), which no identifier is written in.
    """
    text = values.fillna("").astype(str).to_numpy()
    shaped = np.array([len(v) == length and v.isascii() and v.isdigit() for v in text],
                      dtype=bool)
    matrix = np.zeros((len(text), length), dtype=np.int64)
    if shaped.any():
        joined = "".join(v for v, ok in zip(text, shaped, strict=True) if ok)
        matrix[shaped] = (np.frombuffer(joined.encode("ascii"), dtype=np.uint8) - 48).reshape(
            -1, length
        )
    return matrix, shaped


def _mod11_checks(matrix: np.ndarray, weights: tuple[int, ...], ten_means_zero: bool) -> np.ndarray:
    """Whether each row of digits ends with the mod-11 check digit of the others."""
    remainder = (matrix[:, :-1] * np.array(weights)).sum(axis=1) % 11
    if ten_means_zero:
        remainder = np.where(remainder == 10, 0, remainder)
    return remainder == matrix[:, -1]


def _mod11_valid(values: pd.Series, weights: tuple[int, ...], ten_means_zero: bool) -> pd.Series:
    matrix, shaped = _digit_matrix(values, len(weights) + 1)
    return pd.Series(shaped & _mod11_checks(matrix, weights, ten_means_zero), index=values.index)


def nip_is_valid(values: pd.Series) -> pd.Series:
    """NIP: a remainder of 10 can never be a check digit, so such numbers are invalid."""
    return _mod11_valid(values, NIP_WEIGHTS, ten_means_zero=False)


def regon_is_valid(values: pd.Series) -> pd.Series:
    """REGON of 9 digits (entities) or 14 digits (local units); a remainder of 10 counts as 0.

    KRS extracts write an entity's 9-digit REGON padded with five zeros to 14 digits; such a
    number is checked as the 9-digit REGON it is.
    """
    nine = _mod11_valid(values, REGON9_WEIGHTS, ten_means_zero=True)
    matrix, shaped = _digit_matrix(values, 14)
    fourteen = shaped & _mod11_checks(matrix, REGON14_WEIGHTS, ten_means_zero=True)
    padded_nine = (shaped & (matrix[:, 9:] == 0).all(axis=1)
                   & _mod11_checks(matrix[:, :9], REGON9_WEIGHTS, ten_means_zero=True))
    return nine | (fourteen | padded_nine)


def pesel_is_valid(values: pd.Series) -> pd.Series:
    """PESEL: the check digit and a real birth date (the month carries the century)."""
    matrix, shaped = _digit_matrix(values, 11)
    check = (10 - (matrix[:, :-1] * np.array(PESEL_WEIGHTS)).sum(axis=1) % 10) % 10
    valid = shaped & (check == matrix[:, -1])
    births = pesel_birth_dates(values.where(pd.Series(valid, index=values.index)))
    return pd.Series(valid, index=values.index) & births.notna()


def pesel_birth_dates(values: pd.Series) -> pd.Series:
    """Birth date encoded in a PESEL; missing where the digits do not form a real date."""
    text = values.fillna("").astype(str)
    century_by_offset = {0: 1900, 20: 2000, 40: 2100, 60: 2200, 80: 1800}
    raw_month = pd.to_numeric(text.str[2:4], errors="coerce")
    offset = (raw_month // 20) * 20
    year = pd.to_numeric(text.str[0:2], errors="coerce") + offset.map(century_by_offset)
    parts = pd.DataFrame({"year": year, "month": raw_month - offset,
                          "day": pd.to_numeric(text.str[4:6], errors="coerce")})
    return pd.to_datetime(parts, errors="coerce")
