"""A matching key for organisation names typed in many hands."""

from __future__ import annotations

import re
import unicodedata

import pandas as pd

NOT_ALNUM = re.compile(r"[^0-9A-Za-z]+")


def name_key(names: pd.Series) -> pd.Series:
    """Upper case, no Polish letters, no quotes or punctuation, single spaces.

    `Fundacja „Razem”`, `FUNDACJA RAZEM ` and `Fundacja Razem` get one key; deciding that
    two keys are the same entity is the entity resolution's job, not this function's.
    """
    def fold(name: object) -> str | None:
        if name is None or pd.isna(name):
            return None
        text = str(name).upper().replace("Ł", "L")
        text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
        return " ".join(NOT_ALNUM.sub(" ", text).split()) or None

    return names.map(fold)
