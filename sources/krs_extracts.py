"""KRS extracts (current `OdpisAktualny` and full `OdpisPelny`) parsed into staging rows.

Field paths follow the real API (data/reference/krs/SOURCES.md). In a full extract every value
is a list of its historical versions; the version not removed by a later entry (`nrWpisuWykr`
absent) is the one in force when the extract was made.

One extract gives one entity row and one row per PKD code it lists: the main and other
activities (`dzial3.przedmiotDzialalnosci`) and, for a public-benefit organisation of register
S, the paid and unpaid public-benefit activities (`dzial3.przedmiotDzialalnosciOPP`).

A real full extract's header has no registration date (`dataRejestracjiWKRS`): the date is
that of entry 1 of its list of entries (`wpis`), the registration. The striking off is the
entry "WYKREŚLENIE Z KRAJOWEGO REJESTRU SĄDOWEGO": its `dataWpisu` (the day of the entry) and
its `dataUprawomocnienia` (the day it became final) are both kept (docs/entity_model.md says
which ends activity). A struck-off entity's full extract may come with no data at all
(`dane` empty): its number, register and dates are still an extract's rows.

An extract that is a complete file but not readable (truncated JSON, another shape, a number or
a list where the API writes text) is not an error of the whole source: its entity row carries
the reason in `problem`, so that the staging rules put that one number in the quarantine and
every other extract goes on.

Tens of thousands of extracts are read each month, so there are two ways in. Every extract of
the shapes the API writes, current or full, is decoded by msgspec into typed structures (the
`_...` structures below): just the ~30 values the tables use are built, the rest of the
document is skipped without building it, about twice as fast as building every value as Python
objects. Any other body (a value of another type, a field missing) is parsed whole with orjson
and read the general way, which also says what is wrong with a body that is no extract. Both
ways give the same rows for the same extract (tests/test_krs_extracts.py).
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from dataclasses import dataclass
from itertools import chain
from pathlib import Path
from typing import Literal

import msgspec
import numpy as np
import orjson
import pandas as pd

from sources.collector import cycles_not_collected
from sources.errors import SourceFileError

STRUCK_OFF = "WYKREŚLENIE Z KRAJOWEGO REJESTRU SĄDOWEGO"
REGISTERS = {"RejP": "P", "RejS": "S"}

#: Reason codes of a complete body that is not a usable extract.
MALFORMED_JSON = "malformed_json"
UNEXPECTED_SHAPE = "unexpected_extract_shape"
#: A JSON body with no extract in it (no `odpis`): what the API or a proxy answers on an error.
API_ERROR_BODY = "api_error_body"
#: An extract with a header but no `dane` at all (an empty `dane` is an extract's data).
EXTRACT_WITHOUT_DATA = "extract_without_data"

#: The PKD lists of section 3, by container: (list, the name our table gives the list).
PKD_LISTS = (
    ("przedmiotDzialalnosci", (("przedmiotPrzewazajacejDzialalnosci", "main"),
                               ("przedmiotPozostalejDzialalnosci", "other"))),
    ("przedmiotDzialalnosciOPP", (("odplatnyPkd", "opp_paid"),
                                  ("nieodplatnyPkd", "opp_unpaid"))),
)

ENTITY_COLUMNS = [
    "krs", "register", "extract_kind", "legal_form", "name", "nip", "regon", "is_opp",
    "seat_voivodeship", "seat_powiat", "seat_gmina", "seat_town", "registered_on", "as_of",
    "struck_off_on", "struck_off_final_on", "extracted_at", "problem", "problem_detail",
]
PKD_COLUMNS = ["krs", "register", "pkd_list", "pkd_division", "pkd_class", "pkd_subclass",
               "description"]
PROVENANCE = ["_file", "_sheet", "_line"]
#: The entity's values that the API writes as text (or leaves out), in ENTITY_COLUMNS order.
ENTITY_TEXTS = [c for c in ENTITY_COLUMNS
                if c not in ("register", "extract_kind", "is_opp", "problem", "problem_detail")]
TEXT_TYPES = frozenset({str, type(None)})


class ExtractProblem(ValueError):
    """A complete body that is not a usable extract; `reason_code` says which way."""

    def __init__(self, reason_code: str, detail: str) -> None:
        self.reason_code = reason_code
        self.detail = detail
        super().__init__(f"{reason_code}: {detail}")


@dataclass(frozen=True)
class Extract:
    """What one extract gives the staging tables: its entity row and its PKD rows."""

    entity: dict
    pkd: list[tuple]


def _live_version(versions: list) -> dict:
    """The version of a full extract's field that no later entry removed."""
    dicts = [v for v in versions if isinstance(v, dict)]
    live = [v for v in dicts if not v.get("nrWpisuWykr")] or dicts
    return live[-1] if live else {}


def _in_force(value: object, field: str) -> object:
    """A field's current value: as is in a current extract, the live version in a full one."""
    return _live_version(value).get(field) if isinstance(value, list) else value


def _live_items(items: list) -> Iterable[dict]:
    """Items of a list field still in force; a full extract may group them under `pozycja`."""
    for item in items:
        if not isinstance(item, dict) or item.get("nrWpisuWykr"):
            continue
        if "pozycja" in item:
            yield from _live_items(item["pozycja"])
        else:
            yield item


def _struck_off(entries: list) -> tuple[str | None, str | None]:
    """The day of the last striking-off entry of a full extract's header and the day it
    became final, as written (None, None without one)."""
    struck = [e for e in entries if e.get("opis") == STRUCK_OFF]
    return (struck[-1].get("dataWpisu"), struck[-1].get("dataUprawomocnienia")) if struck \
        else (None, None)


def _registration_entry(entries: list) -> object:
    """Entry 1 of a full extract's list (the registration), else its first entry."""
    return next((e for e in entries if str(e.get("numerWpisu")) == "1"), entries[0])


def _texts(values: tuple, columns: list[str]) -> tuple:
    """The values, checked to be text or missing: a number or a list where the API writes text
    is another shape, not a value to pass on (one set operation per row, as thousands are)."""
    if not TEXT_TYPES.issuperset(map(type, values)):
        wrong = [c for c, v in zip(columns, values, strict=True) if type(v) not in TEXT_TYPES]
        raise TypeError(f"not text: {', '.join(wrong)}")
    return values


def _entity(odpis: dict, file: str | None) -> tuple:
    """The entity row, in ENTITY_COLUMNS + PROVENANCE order (a tuple: thousands are built)."""
    header = odpis.get("naglowekA") or odpis["naglowekP"]
    section1 = odpis["dane"].get("dzial1")
    if section1 is None:  # no data: a struck-off entity's full extract may have none
        subject, seat = {"formaPrawna": None, "nazwa": None}, {}
    else:
        subject = section1["danePodmiotu"]
        seat = section1["siedzibaIAdres"]["siedziba"]
    ids = _in_force(subject.get("identyfikatory"), "identyfikatory") or {}
    if isinstance(seat, list):
        seat = _live_version(seat)
    entries = header.get("wpis")  # only a full extract lists its entries
    registered_on = header.get("dataRejestracjiWKRS")
    if registered_on is None and entries:
        registered_on = _registration_entry(entries).get("dataWpisu")
    krs, legal_form, name, nip, regon, *place_and_dates = _texts((
        header["numerKRS"],
        _in_force(subject["formaPrawna"], "formaPrawna"),
        _in_force(subject["nazwa"], "nazwa"),
        ids.get("nip"),
        ids.get("regon"),
        seat.get("wojewodztwo"),
        seat.get("powiat"),
        seat.get("gmina"),
        seat.get("miejscowosc"),
        registered_on,
        header.get("stanZDnia"),
        *(_struck_off(entries) if entries else (None, None)),
        header.get("dataCzasOdpisu"),
    ), ENTITY_TEXTS)
    return (
        krs,
        REGISTERS[header["rejestr"]],
        "current" if "naglowekA" in odpis else "full",
        legal_form,
        name,
        nip,
        regon,
        bool(_in_force(subject.get("czyPosiadaStatusOPP", False), "czyPosiadaStatusOPP")),
        *place_and_dates,
        None,
        None,
        file,
        None,
        1,
    )


def _pkd(odpis: dict, krs: str, register: str, file: str | None) -> list[tuple]:
    """The PKD rows, in PKD_COLUMNS + PROVENANCE order, numbered from 1 in the file."""
    section3 = odpis["dane"].get("dzial3") or {}
    rows = []
    for container, lists in PKD_LISTS:
        holder = section3.get(container)
        if not holder:  # most extracts list no activities at all
            continue
        if isinstance(holder, list):
            holder = _live_version(holder)
        for key, list_name in lists:
            for item in _live_items(holder.get(key) or []):
                rows.append((krs, register, list_name, *_texts(
                    (item.get("kodDzial"), item.get("kodKlasa"), item.get("kodPodklasa"),
                     item.get("opis")), PKD_COLUMNS[3:]), file, None, len(rows) + 1))
    return rows


def read_body(path: Path) -> bytes:
    """A file's bytes in three system calls (open, fstat, read): on thousands of small files
    this takes about half the time of `Path.read_bytes`."""
    fd = os.open(path, os.O_RDONLY)
    try:
        size = os.fstat(fd).st_size
        data = os.read(fd, size + 1)
        if len(data) > size:  # the file grew since fstat: read on to its end
            data += b"".join(iter(lambda: os.read(fd, 1 << 20), b""))
        return data
    finally:
        os.close(fd)


def _rows(data: bytes, file: str | None) -> tuple[tuple, list[tuple]]:
    """The entity row and PKD rows of a body, each ending with its place in `file`;
    ExtractProblem if the body is no extract."""
    return _typed_extract_rows(data, file) or _any_extract_rows(data, file)


def _any_extract_rows(data: bytes, file: str | None) -> tuple[tuple, list[tuple]]:
    """`_rows` of any body, over the whole document (the general way)."""
    try:
        document = orjson.loads(data)
    except orjson.JSONDecodeError as error:
        raise ExtractProblem(MALFORMED_JSON, str(error)) from error
    if isinstance(document, dict) and "odpis" not in document:
        raise ExtractProblem(API_ERROR_BODY, f"no odpis; keys: {', '.join(list(document)[:5])}")
    if (isinstance(document, dict) and isinstance(document["odpis"], dict)
            and "dane" not in document["odpis"]):
        raise ExtractProblem(EXTRACT_WITHOUT_DATA, "odpis without dane")
    try:
        odpis = document["odpis"]
        entity = _entity(odpis, file)
        return entity, _pkd(odpis, entity[0], entity[1], file)
    except (KeyError, TypeError, AttributeError) as error:
        raise ExtractProblem(UNEXPECTED_SHAPE, f"{type(error).__name__}: {error}") from error


# --- the typed way: both shapes of the API, decoded into structures ----------------------------
# Field names are the API's. A current extract writes each value as it is; a full extract writes
# a list of its versions (`..._Version`), and may group PKD codes under `pozycja`. A field
# declared with a default may be missing; an unknown field is skipped. A value of another type
# (or a null where the API never writes one) fails the decoding, and the body goes the general
# way, which reads it as before or names the problem.

class _Decoded(msgspec.Struct, gc=False):
    """A structure decoded from a body: it holds text, numbers and other such structures, never
    a reference back, so the cycle collector need not track it (~5% of the parse: a full
    extract's header alone lists dozens of entries)."""


class _Ids(_Decoded):
    nip: str | None = None
    regon: str | None = None


class _Removable(_Decoded):
    """A version of a full extract's value: removed by the entry `nrWpisuWykr`, if any."""

    nrWpisuWykr: str | None = None


class _IdsVersion(_Removable):
    identyfikatory: _Ids | None = None


class _LegalFormVersion(_Removable):
    formaPrawna: str | None = None


class _NameVersion(_Removable):
    nazwa: str | None = None


class _PublicBenefitStatusVersion(_Removable):
    czyPosiadaStatusOPP: bool | None = None


class _Subject(_Decoded):
    formaPrawna: str | list[_LegalFormVersion] | None
    nazwa: str | list[_NameVersion] | None
    identyfikatory: _Ids | list[_IdsVersion] | None = None
    czyPosiadaStatusOPP: bool | list[_PublicBenefitStatusVersion] | None = False


class _Seat(_Removable):
    wojewodztwo: str | None = None
    powiat: str | None = None
    gmina: str | None = None
    miejscowosc: str | None = None


class _SeatAndAddress(_Decoded):
    siedziba: _Seat | list[_Seat]


class _Section1(_Decoded):
    danePodmiotu: _Subject
    siedzibaIAdres: _SeatAndAddress


class _Code(_Removable):
    kodDzial: str | None = None
    kodKlasa: str | None = None
    kodPodklasa: str | None = None
    opis: str | None = None
    pozycja: list[_Code] | msgspec.UnsetType = msgspec.UNSET  # a full extract's group


class _Activities(_Removable):
    przedmiotPrzewazajacejDzialalnosci: list[_Code] | None = None
    przedmiotPozostalejDzialalnosci: list[_Code] | None = None


class _PublicBenefitActivities(_Removable):
    odplatnyPkd: list[_Code] | None = None
    nieodplatnyPkd: list[_Code] | None = None


class _Section3(_Decoded):
    przedmiotDzialalnosci: _Activities | list[_Activities] | None = None
    przedmiotDzialalnosciOPP: (_PublicBenefitActivities | list[_PublicBenefitActivities]
                               | None) = None


class _Data(_Decoded):
    dzial1: _Section1 | None = None  # none: a struck-off entity's extract without data
    dzial3: _Section3 | None = None


class _Entry(_Decoded):
    numerWpisu: int | str | None = None
    opis: str | None = None
    dataWpisu: str | None = None
    dataUprawomocnienia: str | None = None


class _Header(_Decoded):
    rejestr: Literal["RejP", "RejS"]
    numerKRS: str | None
    dataRejestracjiWKRS: str | None = None
    stanZDnia: str | None = None
    dataCzasOdpisu: str | None = None
    wpis: list[_Entry] | None = None  # only a full extract lists its entries


class _Odpis(_Decoded):
    dane: _Data
    naglowekA: _Header | msgspec.UnsetType = msgspec.UNSET  # a current extract's header
    naglowekP: _Header | msgspec.UnsetType = msgspec.UNSET  # a full extract's header


class _Document(_Decoded):
    odpis: _Odpis


_TYPED = msgspec.json.Decoder(_Document)
#: The subject of an extract without data: no name, form or identifiers.
_NO_SUBJECT = _Subject(formaPrawna=None, nazwa=None)


def _live(value: object) -> object:
    """A value as it is, or the version of a list of versions that no later entry removed
    (as `_live_version`; None for an empty list)."""
    if type(value) is not list:
        return value
    live = [version for version in value if not version.nrWpisuWykr] or value
    return live[-1] if live else None


def _live_field(value: object, field: str) -> object:
    """`_in_force` of the typed structures."""
    if type(value) is not list:
        return value
    version = _live(value)
    return getattr(version, field) if version is not None else None


def _live_codes(codes: list[_Code]) -> Iterable[_Code]:
    """`_live_items` of the typed structures."""
    for code in codes:
        if code.nrWpisuWykr:
            continue
        if code.pozycja is not msgspec.UNSET:
            yield from _live_codes(code.pozycja)
        else:
            yield code


def _typed_extract_rows(data: bytes, file: str | None) -> tuple[tuple, list[tuple]] | None:
    """`_rows` of an extract of either shape as the API writes it; None for any other body."""
    try:
        odpis = _TYPED.decode(data).odpis
    except msgspec.DecodeError:  # also a value of another type (msgspec.ValidationError)
        return None
    current = odpis.naglowekA is not msgspec.UNSET
    header = odpis.naglowekA if current else odpis.naglowekP
    if header is msgspec.UNSET:
        return None
    register = REGISTERS[header.rejestr]
    section1 = odpis.dane.dzial1
    subject = section1.danePodmiotu if section1 is not None else _NO_SUBJECT
    seat = _live(section1.siedzibaIAdres.siedziba) if section1 is not None else None
    ids = _live_field(subject.identyfikatory, "identyfikatory") or _Ids()
    if seat is None:
        seat = _Seat()
    entries = header.wpis
    registered_on = header.dataRejestracjiWKRS
    if registered_on is None and entries:
        registered_on = next((e for e in entries if str(e.numerWpisu) == "1"),
                             entries[0]).dataWpisu
    struck_off = [e for e in entries if e.opis == STRUCK_OFF] if entries else None
    entity = (header.numerKRS, register, "current" if current else "full",
              _live_field(subject.formaPrawna, "formaPrawna"), _live_field(subject.nazwa, "nazwa"),
              ids.nip, ids.regon,
              bool(_live_field(subject.czyPosiadaStatusOPP, "czyPosiadaStatusOPP")),
              seat.wojewodztwo, seat.powiat, seat.gmina, seat.miejscowosc,
              registered_on, header.stanZDnia,
              struck_off[-1].dataWpisu if struck_off else None,
              struck_off[-1].dataUprawomocnienia if struck_off else None,
              header.dataCzasOdpisu, None, None, file, None, 1)
    return entity, _typed_pkd(odpis.dane.dzial3, header.numerKRS, register, file)


def _typed_pkd(section3: _Section3 | None, krs: str | None, register: str,
               file: str | None) -> list[tuple]:
    """`_pkd` of the typed structures."""
    rows: list[tuple] = []
    if section3 is None:
        return rows
    for container, lists in PKD_LISTS:
        holder = _live(getattr(section3, container))
        for key, list_name in lists if holder is not None else ():
            for code in _live_codes(getattr(holder, key) or ()):
                rows.append((krs, register, list_name, code.kodDzial, code.kodKlasa,
                             code.kodPodklasa, code.opis, file, None, len(rows) + 1))
    return rows


def parse_extract(data: bytes) -> Extract:
    """An extract's rows from the body the API answered; ExtractProblem if it is none."""
    entity, pkd = _rows(data, None)
    return Extract(dict(zip(ENTITY_COLUMNS, entity[:len(ENTITY_COLUMNS)], strict=True)),
                   [row[:len(PKD_COLUMNS)] for row in pkd])


def _frame(rows: list[tuple], columns: list[str]) -> pd.DataFrame:
    """A frame of the row tuples, all values in one object array of their shape.

    `pd.DataFrame(rows)` looks into every value for its type, and a frame built column by
    column is copied again into one block; `np.fromiter` only stores the values, once. The
    staging states the types itself.
    """
    values = np.fromiter(chain.from_iterable(rows), dtype=object,
                         count=len(rows) * len(columns)).reshape(len(rows), len(columns))
    return pd.DataFrame(values, columns=columns, copy=False)


def _extract_rows(paths: list[Path]) -> tuple[list[tuple], list[tuple]]:
    """`read_extract_rows` as row tuples."""
    entities, pkd = [], []
    unreadable = (None,) * (len(ENTITY_COLUMNS) - 2)
    for path in paths:
        name = path.name
        try:
            entity, codes = _rows(read_body(path), name)
        except ExtractProblem as problem:
            entities.append((*unreadable, problem.reason_code, problem.detail, name, None, 1))
            continue
        entities.append(entity)
        pkd += codes
    return entities, pkd


def read_extract_rows(paths: list[Path]) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Entity rows (one per file) and PKD rows (one per code, `_line` its place in the file),
    both from one parse of each file.

    A file that is not a usable extract gives an entity row with `problem` set and no PKD rows.
    """
    with cycles_not_collected():
        # the frames hold the values, so the row tuples are gone before the collector runs
        # again: walking the tens of thousands of them once more cost ~7% of the parse
        return _frames(*_extract_rows(paths))


def _frames(entities: list[tuple], pkd: list[tuple]) -> tuple[pd.DataFrame, pd.DataFrame]:
    return _frame(entities, ENTITY_COLUMNS + PROVENANCE), _frame(pkd, PKD_COLUMNS + PROVENANCE)


def read_krs_extracts(paths: list[Path]) -> pd.DataFrame:
    """Entity rows of extracts that must all be readable: the first that is not fails, named."""
    entities, _ = read_extract_rows(paths)
    unreadable = entities[entities["problem"].notna()]
    if not unreadable.empty:
        first = unreadable.iloc[0]
        raise SourceFileError(first["_file"], "a KRS extract in the API's JSON shape",
                              f"{first['problem']}: {first['problem_detail']}")
    return entities
