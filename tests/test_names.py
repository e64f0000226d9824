"""The matching key of organisation names (quality/names.py), by hand and on any text."""

from __future__ import annotations

import re
import unicodedata

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from quality.names import name_key


@pytest.mark.parametrize(("written", "key"), [
    ("Fundacja „Razem”", "FUNDACJA RAZEM"),
    ("FUNDACJA RAZEM ", "FUNDACJA RAZEM"),
    ('Spółdzielnia Socjalna "Łąka" w Ełku', "SPOLDZIELNIA SOCJALNA LAKA W ELKU"),
    ("Koło Gospodyń Wiejskich w Żabim Rogu – Źródła",
     "KOLO GOSPODYN WIEJSKICH W ZABIM ROGU ZRODLA"),
    ("OSP\tw  Pasymiu\n", "OSP W PASYMIU"),
    ("A-B", "A B"),  # punctuation between words parts them
    ("A„B", "AB"),  # a quote has no ASCII letter: it is dropped, as a Polish letter's accent is
    ("Caféﬁ 2", "CAFEFI 2"),
    ("„ – ”", None),
    ("A\x00B", "A B"),  # the character that parts the names folded together is a space here
])
def test_keys_of_names_as_written(written: str, key: str | None) -> None:
    assert name_key(pd.Series([written])).iloc[0] == key


def test_missing_names_have_no_key() -> None:
    assert name_key(pd.Series([None, float("nan")], dtype=object)).isna().all()


def test_keys_stay_with_their_names() -> None:
    """Names folded together as one text: each key comes back at its name's place, a name
    without letters and a missing one leave theirs empty."""
    names = pd.Series(["Łąka", None, "  ", "OSP  Pasym "], index=[7, 3, 5, 1], dtype=object)
    keys = name_key(names)
    assert keys.index.tolist() == [7, 3, 5, 1]
    assert keys.tolist() == ["LAKA", None, None, "OSP PASYM"]


def key_by_definition(name: str) -> str | None:
    """The key as its docstring defines it, in the plainest code: the test's oracle."""
    text = unicodedata.normalize("NFKD", name.upper().replace("Ł", "L"))
    text = text.encode("ascii", "ignore").decode("ascii")
    return " ".join(re.sub(r"[^0-9A-Za-z]+", " ", text).split()) or None


@settings(max_examples=300, deadline=None)
@given(st.lists(st.text(alphabet=st.characters(codec="utf-8"), max_size=40), max_size=20))
def test_any_text_gets_the_key_of_the_definition(names: list[str]) -> None:
    assert name_key(pd.Series(names, dtype=object)).tolist() == [
        key_by_definition(name) for name in names]
