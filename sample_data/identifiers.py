"""Polish identifiers (NIP, REGON, PESEL, KRS) with their real check digits.

The pipeline flags an identifier whose check digit is wrong, so the sample must hold valid ones
everywhere except a known, listed few, which this module also makes (a one-digit typo that is
guaranteed to break the check, the way a clerk's typo does).
"""

import random
from collections.abc import Callable, Sequence
from datetime import date

NIP_WEIGHTS = (6, 5, 7, 2, 3, 4, 5, 6, 7)
REGON9_WEIGHTS = (8, 9, 2, 3, 4, 5, 6, 7)
REGON14_WEIGHTS = (2, 4, 8, 5, 0, 9, 7, 3, 6, 1, 2, 4, 8)
PESEL_WEIGHTS = (1, 3, 7, 9, 1, 3, 7, 9, 1, 3)

#: First three digits of the NIPs: prefixes of tax offices of north-east Poland (plausible,
#: not matched office by office: nothing downstream may rely on the prefix).
NIP_PREFIXES = ("739", "741", "742", "743", "744", "745", "571", "578", "582", "845", "847",
                "848", "849", "876")

#: First two digits of the 9-digit REGONs (plausible, not authoritative).
REGON_PREFIXES = ("17", "28", "36", "38", "51", "52")


def _weighted_sum(digits: str, weights: Sequence[int]) -> int:
    return sum(int(d) * w for d, w in zip(digits, weights, strict=False))


def _is_digits(value: str, length: int) -> bool:
    return len(value) == length and value.isdigit()


def nip_check_digit(first9: str) -> int | None:
    """The tenth NIP digit for nine given ones, or None when the sum gives 10 (never valid)."""
    rest = _weighted_sum(first9, NIP_WEIGHTS) % 11
    return None if rest == 10 else rest


def nip_is_valid(nip: str) -> bool:
    """True for ten digits whose last one is the NIP check digit of the first nine."""
    return _is_digits(nip, 10) and nip_check_digit(nip[:9]) == int(nip[9])


def regon_check_digit(body: str) -> int:
    """The check digit of an 8-digit (REGON 9) or 13-digit (REGON 14) body; 10 counts as 0."""
    weights = REGON9_WEIGHTS if len(body) == 8 else REGON14_WEIGHTS
    return _weighted_sum(body, weights) % 11 % 10


def regon_is_valid(regon: str) -> bool:
    """True for a 9- or 14-digit REGON whose last digit is its check digit."""
    if not (_is_digits(regon, 9) or _is_digits(regon, 14)):
        return False
    return regon_check_digit(regon[:-1]) == int(regon[-1])


def pesel_check_digit(first10: str) -> int:
    """The eleventh PESEL digit for ten given ones."""
    return (10 - _weighted_sum(first10, PESEL_WEIGHTS) % 10) % 10


def pesel_is_valid(pesel: str) -> bool:
    """True for eleven digits whose last one is the PESEL check digit (the date is not checked)."""
    return _is_digits(pesel, 11) and pesel_check_digit(pesel[:10]) == int(pesel[10])


def _digits(rng: random.Random, count: int) -> str:
    return "".join(str(rng.randrange(10)) for _ in range(count))


def new_nip(rng: random.Random, taken: set[str]) -> str:
    """A valid NIP not in `taken` (and added to it), so no two entities share one."""
    while True:
        first9 = rng.choice(NIP_PREFIXES) + _digits(rng, 6)
        check = nip_check_digit(first9)
        nip = f"{first9}{check}"
        if check is not None and nip not in taken:
            taken.add(nip)
            return nip


def new_regon9(rng: random.Random, taken: set[str]) -> str:
    """A valid 9-digit REGON not in `taken` (and added to it)."""
    while True:
        body = rng.choice(REGON_PREFIXES) + _digits(rng, 6)
        regon = f"{body}{regon_check_digit(body)}"
        if regon not in taken:
            taken.add(regon)
            return regon


def new_regon14(rng: random.Random, regon9: str, taken: set[str]) -> str:
    """A valid 14-digit REGON of a local unit of the body that holds `regon9`.

    CIS, KIS, ZAZ and WTZ are units of their founder, so their REGON is the founder's REGON
    followed by a unit number: the link a reader can use to find the founder.
    """
    while True:
        body = regon9 + f"{rng.randint(1, 60):04d}"
        regon = f"{body}{regon_check_digit(body)}"
        if regon not in taken:
            taken.add(regon)
            return regon


def _pesel_month(birth: date) -> int:
    century_offset = {18: 80, 19: 0, 20: 20, 21: 40, 22: 60}[birth.year // 100]
    return birth.month + century_offset


def new_pesel(rng: random.Random, birth: date, female: bool, taken: set[str]) -> str:
    """A valid PESEL encoding `birth` and the sex (tenth digit even for a woman), not in `taken`."""
    while True:
        sex_digit = rng.choice((0, 2, 4, 6, 8)) + (0 if female else 1)
        first10 = (f"{birth.year % 100:02d}{_pesel_month(birth):02d}{birth.day:02d}"
                   f"{_digits(rng, 3)}{sex_digit}")
        pesel = f"{first10}{pesel_check_digit(first10)}"
        if pesel not in taken:
            taken.add(pesel)
            return pesel


def with_typo(rng: random.Random, value: str, is_valid: Callable[[str], bool]) -> str:
    """`value` with one digit mistyped so that `is_valid` fails: a deliberate invalid id."""
    while True:
        position = rng.randrange(len(value))
        digit = str((int(value[position]) + rng.randint(1, 9)) % 10)
        typo = value[:position] + digit + value[position + 1:]
        if not is_valid(typo):
            return typo
