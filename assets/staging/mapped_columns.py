"""Columns typed as their mapping file declares them: one recipe for every table read through
a mapping (the registers, the activity log's sheets, the OWES reports' sheets).

A column's `types` entry says how its cells are read (sources/mapping.py, COLUMN_TYPES); each
lookup codes the written `<name>_pl` as `<name>`, and a `<name>_label` lookup gives the code's
official wording. So a new date column or a new coded value is a mapping edit, not code.
"""

from __future__ import annotations

import pandas as pd

from quality.identifiers import digits_only, normalise_krs
from sources.cells import (
    amounts_pln,
    whole_numbers,
    with_parsed,
    with_parsed_dates,
    with_parsed_numbers,
    with_written_text,
)
from sources.mapping import TableMapping


def typed_as_mapped(frame: pd.DataFrame, mapping: TableMapping) -> pd.DataFrame:
    """The frame with its columns typed by the mapping: text as written, identifiers normalised
    (never repaired), dates, numbers and amounts parsed with the written text kept as
    `<column>_text` (so a rule tells an empty cell from an unreadable one), then the lookups'
    codes and labels."""
    typed = with_written_text(frame, *mapping.columns_of_type("text"))
    typed = typed.assign(**{column: digits_only(typed[column])
                            for column in mapping.columns_of_type("nip", "regon")},
                         **{column: normalise_krs(typed[column])
                            for column in mapping.columns_of_type("krs")})
    typed = with_parsed_dates(typed, *mapping.columns_of_type("date"),
                              formats=mapping.date_formats)
    typed = with_parsed_numbers(typed, *mapping.columns_of_type("decimal"))
    typed = with_parsed(typed, mapping.columns_of_type("integer"), whole_numbers)
    typed = with_parsed(typed, mapping.columns_of_type("amount"), amounts_pln)
    return with_lookup_codes(typed, mapping)


def with_lookup_codes(frame: pd.DataFrame, mapping: TableMapping) -> pd.DataFrame:
    """`<name>` coded from the written `<name>_pl` by each lookup of that name, and
    `<name>_label` in official wording where the mapping has a `<name>_label` lookup."""
    codes = {name: mapping.lookup(name, frame[f"{name}_pl"])
             for name in mapping.lookups if f"{name}_pl" in frame.columns}
    labels = {f"{name}_label": mapping.lookup(f"{name}_label", code)
              for name, code in codes.items() if f"{name}_label" in mapping.lookups}
    return frame.assign(**codes, **labels)
