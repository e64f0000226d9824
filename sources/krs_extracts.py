"""KRS extracts (current `OdpisAktualny` and full `OdpisPelny`) parsed into one row each.

Field paths follow the real API (data/reference/krs/SOURCES.md). In a full extract every value
is a list of its historical versions; the version not yet removed (`nrWpisuWykr` absent) is
the one in force when the entity was struck off.
"""

from __future__ import annotations

import json
from datetime import date, datetime
from pathlib import Path

import pandas as pd

from sources.errors import SourceFileError

STRUCK_OFF = "WYKREŚLENIE Z KRAJOWEGO REJESTRU SĄDOWEGO"
REGISTERS = {"RejP": "P", "RejS": "S"}


def _live_version(versions: list) -> dict:
    """The version of a full extract's field that no later entry removed."""
    dicts = [v for v in versions if isinstance(v, dict)]
    live = [v for v in dicts if not v.get("nrWpisuWykr")] or dicts
    return live[-1] if live else {}


def _in_force(value: object, field: str) -> object:
    """A field's current value: as is in a current extract, the live version in a full one."""
    return _live_version(value).get(field) if isinstance(value, list) else value


def _polish_date(text: str | None) -> date | None:
    return datetime.strptime(text, "%d.%m.%Y").date() if text else None


def parse_extract(document: dict) -> dict:
    """One staging row from an extract's JSON: identity, seat names, dates, OPP status."""
    odpis = document["odpis"]
    header = odpis.get("naglowekA") or odpis["naglowekP"]
    entity = odpis["dane"]["dzial1"]["danePodmiotu"]
    ids = _in_force(entity.get("identyfikatory", {}), "identyfikatory") or {}
    seat = odpis["dane"]["dzial1"]["siedzibaIAdres"]["siedziba"]
    if isinstance(seat, list):
        seat = _live_version(seat)
    entries = header.get("wpis", [])
    struck_off = [e for e in entries if e.get("opis") == STRUCK_OFF]
    return {
        "krs": header["numerKRS"],
        "register": REGISTERS[header["rejestr"]],
        "extract_kind": "current" if "naglowekA" in odpis else "full",
        "legal_form": _in_force(entity["formaPrawna"], "formaPrawna"),
        "name": _in_force(entity["nazwa"], "nazwa"),
        "nip": ids.get("nip"),
        "regon": ids.get("regon"),
        "is_opp": bool(_in_force(entity.get("czyPosiadaStatusOPP", False), "czyPosiadaStatusOPP")),
        "seat_voivodeship": seat.get("wojewodztwo"),
        "seat_powiat": seat.get("powiat"),
        "seat_gmina": seat.get("gmina"),
        "seat_town": seat.get("miejscowosc"),
        "registered_on": _polish_date(header.get("dataRejestracjiWKRS")),
        "as_of": _polish_date(header.get("stanZDnia")),
        "struck_off_on": _polish_date(struck_off[-1]["dataWpisu"]) if struck_off else None,
    }


def read_krs_extracts(paths: list[Path]) -> pd.DataFrame:
    """One row per extract file; a file that is not an extract fails with its name."""
    rows = []
    for path in paths:
        try:
            row = parse_extract(json.loads(path.read_bytes()))
        except (OSError, ValueError, KeyError, TypeError, AttributeError) as error:
            raise SourceFileError(path, "a KRS extract in the API's JSON shape",
                                  f"{type(error).__name__}: {error}") from error
        rows.append({**row, "_file": path.name, "_sheet": None, "_line": 1})
    return pd.DataFrame(rows)
