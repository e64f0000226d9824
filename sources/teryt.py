"""The TERYT TERC reference (official units, with dated names) and the resolver from the names
real files carry to TERC codes.

The reference is built from two states: the official TERC rows of 2022-01-01 and the later
names of the state boundary register (PRG, GeoJSON properties `jpt_kod_je`, `jpt_nazwa_`).
Where a unit's name changed between them, the former name stays as an alias with the dates
it was in force (the date of each change comes from `name_changes.csv`, with its legal source).

Files write places in many hands: `m. Olsztyn`, `powiat olsztyński`, `OLSZTYŃSKI`, `Elblag`,
`gm. wiejska Bartoszyce`, a town instead of its gmina. Names are folded to one key (lower
case, no Polish letters, no `powiat`/`gmina`/`m.` words) and looked up among the region's
units; a word saying the kind of gmina (`miejska`, `wiejska`, `miasto`) narrows the match. One
name can be an urban and a rural gmina at once (Bartoszyce 2801011 and 2801032): then the
written town decides (a row in the town of Bartoszyce is in the urban gmina), else the match is
ambiguous and the candidates are listed for the analyst.
"""

from __future__ import annotations

import copy
import difflib
import json
import re
import unicodedata
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

import pandas as pd

from sources.errors import SourceFileError

TERC_COLUMNS = ["WOJ", "POW", "GMI", "RODZ", "NAZWA", "NAZWA_DOD", "STAN_NA"]
NAME_CHANGE_COLUMNS = ["terc", "former_name", "name", "changed_on", "source"]
_PREFIXES = re.compile(r"^(powiat|pow\.|m\.\s*st\.|miasto|gmina|gm\.|m\.)\s*")
#: The kind of a TERC unit by its RODZ digit, as TERC and PRG write it.
GMINA_KIND_NAMES = {"1": "gmina miejska", "2": "gmina wiejska", "3": "gmina miejsko-wiejska",
                    "4": "miasto", "5": "obszar wiejski"}
#: Words that say which kind of gmina a written name means, as RODZ digits. `miasto` is a town:
#: an urban gmina or the town of an urban-rural one; `obszar wiejski` the rural part of one.
_KIND_WORDS = {"miejsko-wiejska": {"3"}, "miejska": {"1"}, "wiejska": {"2", "3"},
               "miasto": {"1", "3"}, "obszar wiejski": {"2", "3"}, "m.": {"1", "3"},
               "w.": {"2", "3"}}
_KIND = "|".join(re.escape(w) for w in sorted(_KIND_WORDS, key=len, reverse=True))
_KIND_PREFIX = re.compile(rf"^(?:gmina|gm\.?)\s*({_KIND})\s+")
_TOWN_PREFIX = re.compile(r"^(miasto|m\.)\s*")
_KIND_SUFFIX = re.compile(rf"\s*(?:[-(,]\s*)(?:gmina\s+|gm\.\s*)?({_KIND})\s*\)?$")
_POWIAT_HINT = re.compile(r"\s*[,(]\s*(?:powiat|pow\.)\s*([^,()]+?)\s*\)?$")
#: The code of a powiat named but not found: no gmina's code starts with it.
NO_UNIT = "-"
#: Units with a town: an urban gmina, or an urban-rural gmina (its town is RODZ 4).
HAS_TOWN, HAS_COUNTRYSIDE = {"1", "3"}, {"2", "3"}


def _ascii_lower(name: str) -> str:
    text = str(name).strip().lower().replace("ł", "l").replace("–", "-").replace("—", "-")
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    return re.sub(r"\s+", " ", text)


def fold_name(name: str | None) -> str | None:
    """A comparison key for a place name: lower case, ASCII, no prefixes, single spaces."""
    if name is None or pd.isna(name):
        return None
    text = _PREFIXES.sub("", _ascii_lower(name)).strip()
    return text or None


def gmina_name_and_kinds(written: str | None) -> tuple[str | None, set[str] | None, str | None]:
    """The folded gmina name, the RODZ kinds its qualifier allows (None: no qualifier) and the
    folded powiat it names, if any.

    `Gmina Miejska Bartoszyce`, `Bartoszyce - gmina wiejska`, `gm. w. Bartoszyce`,
    `m. Bartoszyce` and `Bartoszyce (obszar wiejski)` all fold to `bartoszyce`;
    `Świętajno, pow. olecki` to `swietajno` in powiat `olecki`.
    """
    if written is None or pd.isna(written):
        return None, None, None
    text, kinds, powiat = _ascii_lower(written), None, None
    hint = _POWIAT_HINT.search(text)
    if hint:
        powiat, text = fold_name(hint.group(1)), text[:hint.start()]
    for pattern in (_KIND_PREFIX, _KIND_SUFFIX, _TOWN_PREFIX):
        match = pattern.search(text)
        if match:
            kinds = _KIND_WORDS[match.group(1)] if kinds is None else kinds & _KIND_WORDS[
                match.group(1)]
            text = (text[:match.start()] + text[match.end():]).strip()
    return fold_name(text), kinds, powiat


def gmina_with_kind(written: pd.Series, kinds: pd.Series) -> pd.Series:
    """The written gmina with the kind a separate column gives (`gmina wiejska`), in the form
    `Nowe Miasto Lubawskie - gmina wiejska` the resolver reads. A kind the resolver does not
    know, or a gmina name that already says its kind, leaves the gmina as written."""
    def joined(name: object, kind: object) -> object:
        if pd.isna(name) or pd.isna(kind) or gmina_name_and_kinds(name)[1] is not None:
            return name
        with_kind = f"{name} - {str(kind).strip()}"
        return with_kind if gmina_name_and_kinds(with_kind)[1] is not None else name
    return pd.Series([joined(n, k) for n, k in zip(written, kinds, strict=True)],
                     index=written.index, dtype=object)


# --- the reference --------------------------------------------------------------------------

def read_terc(path: Path, region_code: str) -> pd.DataFrame:
    """Units of one region from an official TERC file (`;`, UTF-8 with BOM), one row each.

    Columns: terc (2, 4 or 7 characters), powiat_code, kind (voivodeship, powiat, city_powiat,
    gmina), gmina_kind (RODZ digit), name, name_kind (NAZWA_DOD), valid_on.
    """
    try:
        raw = pd.read_csv(path, sep=";", dtype=str, encoding="utf-8-sig", keep_default_na=False)
    except (OSError, UnicodeDecodeError, pd.errors.ParserError) as error:
        raise SourceFileError(path, "a TERC file (UTF-8, ';')", str(error)) from error
    if list(raw.columns) != TERC_COLUMNS:
        raise SourceFileError(path, f"TERC columns {TERC_COLUMNS}", f"found {list(raw.columns)}")
    units = raw[raw["WOJ"] == region_code].copy()
    units["terc"] = units["WOJ"] + units["POW"] + units["GMI"] + units["RODZ"]
    units["powiat_code"] = (units["WOJ"] + units["POW"]).where(units["POW"] != "")
    units["kind"] = "gmina"
    units.loc[units["POW"] == "", "kind"] = "voivodeship"
    units.loc[(units["POW"] != "") & (units["GMI"] == ""), "kind"] = "powiat"
    units.loc[units["NAZWA_DOD"] == "miasto na prawach powiatu", "kind"] = "city_powiat"
    return units.rename(
        columns={"RODZ": "gmina_kind", "NAZWA": "name", "NAZWA_DOD": "name_kind",
                 "STAN_NA": "valid_on"}
    )[["terc", "powiat_code", "kind", "gmina_kind", "name", "name_kind", "valid_on"]]


def read_prg_names(paths: list[Path], region_code: str) -> pd.DataFrame:
    """Unit names of the region from PRG GeoJSON files (powiats and gminas): terc, name.

    PRG writes `powiat olsztyński` and `Bartoszyce - gmina wiejska`; the kind words are cut
    off (and checked against the code's RODZ digit) so the name compares with TERC's.
    """
    rows = []
    for path in paths:
        try:
            features = json.loads(path.read_bytes())["features"]
            properties = [(f["properties"]["jpt_kod_je"], f["properties"]["jpt_nazwa_"])
                          for f in features]
        except (OSError, ValueError, KeyError, TypeError) as error:
            raise SourceFileError(path, "a PRG GeoJSON file with properties jpt_kod_je and "
                                  "jpt_nazwa_", f"{type(error).__name__}: {error}") from error
        for code, written in properties:
            if not str(code).startswith(region_code):
                continue
            name = str(written).strip()
            if len(code) == 4:
                name = name.removeprefix("powiat ")
            else:
                name, _, kind = name.rpartition(" - ")
                if kind != GMINA_KIND_NAMES.get(code[-1]):
                    raise SourceFileError(path, f"the kind of gmina {code} to match its code",
                                          f"found '{written}'")
            rows.append({"terc": code, "name": name})
    return pd.DataFrame(rows, columns=["terc", "name"])


def read_name_changes(path: Path) -> pd.DataFrame:
    """Dated renames of units (`;`, UTF-8): terc, former_name, name, changed_on, source."""
    try:
        changes = pd.read_csv(path, sep=";", dtype=str, encoding="utf-8", keep_default_na=False)
    except (OSError, UnicodeDecodeError, pd.errors.ParserError) as error:
        raise SourceFileError(path, "a CSV of unit renames (UTF-8, ';')", str(error)) from error
    if list(changes.columns) != NAME_CHANGE_COLUMNS:
        raise SourceFileError(path, f"columns {NAME_CHANGE_COLUMNS}",
                              f"found {list(changes.columns)}")
    return changes.assign(changed_on=pd.to_datetime(changes["changed_on"]).dt.date)


@dataclass(frozen=True)
class TerytReference:
    """The region's units (one row per code, its latest name) and every name with its dates.

    `names`: terc, name, valid_from, valid_to (missing = not bounded by what the sources show),
    source. A renamed unit has one row per name.
    """

    units: pd.DataFrame
    names: pd.DataFrame


def dated_reference(units: pd.DataFrame, later: pd.DataFrame, later_state: date,
                    changes: pd.DataFrame, changes_path: Path) -> TerytReference:
    """Units with their latest names and the dated history of names.

    `units` is the earlier state (TERC), `later` the names of a later state (PRG) dated
    `later_state`. A name that differs between them must be listed in `changes` with the date
    it changed: a reference that cannot date a name could resolve an old file wrongly.
    """
    earlier_state = str(units["valid_on"].iloc[0])
    later_names = dict(zip(later["terc"], later["name"], strict=True))
    dated = {(c.terc, c.former_name, c.name): c for c in changes.itertuples()}
    names, undated = [], []
    current = units.copy()
    for unit in units.itertuples():
        now = later_names.get(unit.terc, unit.name)
        if now == unit.name:
            source = f"TERC {earlier_state}" + (f", PRG {later_state}"
                                                 if unit.terc in later_names else "")
            names.append((unit.terc, unit.name, None, None, source))
            continue
        change = dated.get((unit.terc, unit.name, now))
        if change is None:
            undated.append(f"{unit.terc}: '{unit.name}' -> '{now}'")
            continue
        names.append((unit.terc, unit.name, None, change.changed_on - timedelta(days=1),
                      f"TERC {earlier_state}; {change.source}"))
        names.append((unit.terc, now, change.changed_on, None,
                      f"PRG {later_state}; {change.source}"))
        current.loc[current["terc"] == unit.terc, "name"] = now
    created = sorted(set(later_names) - set(units["terc"]))
    if created:
        raise SourceFileError(changes_path.parent, "a TERC file that holds every unit of the "
                              "PRG state", f"codes {created} are not in TERC {earlier_state}: "
                              "units were created or recoded; bring a newer TERC file")
    if undated:
        raise SourceFileError(changes_path, "a dated row for each unit renamed between the "
                              "TERC and PRG states", "; ".join(undated))
    in_later = current["terc"].isin(later_names)
    current.loc[in_later, "valid_on"] = str(later_state)
    frame = pd.DataFrame(names, columns=["terc", "name", "valid_from", "valid_to", "source"])
    return TerytReference(units=current.reset_index(drop=True), names=frame)


def powiat_display_names(units: pd.DataFrame) -> pd.DataFrame:
    """Powiat code and the name people read: `olsztyński` for a powiat, `m. Olsztyn` for a city."""
    powiats = units[units["kind"].isin(["powiat", "city_powiat"])].copy()
    is_city = powiats["kind"] == "city_powiat"
    powiats["powiat_name"] = powiats["name"].where(~is_city, "m. " + powiats["name"])
    return powiats[["powiat_code", "powiat_name"]].reset_index(drop=True)


def resolve_powiat_codes(names: pd.Series, units: pd.DataFrame) -> pd.Series:
    """Powiat code for each written powiat name; missing where no unit has that name."""
    powiats = units[units["kind"].isin(["powiat", "city_powiat"])]
    lookup = dict(zip(powiats["name"].map(fold_name), powiats["powiat_code"], strict=True))
    return names.map(fold_name).map(lookup).astype("string")


# --- the resolver ---------------------------------------------------------------------------

@dataclass(frozen=True)
class _Name:
    """One name a gmina goes by (its own, its town's, or a former one) and when."""

    gmina: str
    gmina_kind: str
    is_town: bool
    valid_from: date | None
    valid_to: date | None

    def in_force(self, day: date | None) -> bool:
        return day is None or ((self.valid_from is None or self.valid_from <= day)
                               and (self.valid_to is None or day <= self.valid_to))


class PlaceResolver:
    """Resolves written powiat, gmina and town names of the region to TERC codes.

    Each answer is a frame (code, problem, candidates): problem is `unknown` (no unit has the
    name; candidates are units of similar names, if any) or `ambiguous` (several units have
    it; candidates are those units), candidates written for the analyst as codes and names.
    """

    def __init__(self, reference: TerytReference) -> None:
        self._chosen: dict[str, str] = {}
        units = reference.units.set_index("terc")
        self._units = units
        self._former = {code: [n for n in group["name"] if n != units.loc[code, "name"]]
                        for code, group in reference.names.groupby("terc")}
        self._powiats = {fold_name(r["name"]): code for code, r in units.iterrows()
                         if r.kind in ("powiat", "city_powiat")}
        self._gminas: dict[str, list[_Name]] = {}
        for row in reference.names.itertuples():
            unit = units.loc[row.terc]
            if unit.kind != "gmina" or unit.gmina_kind == "5":
                continue
            is_town = unit.gmina_kind in ("1", "4")
            code = row.terc if unit.gmina_kind != "4" else row.terc[:-1] + "3"
            kind = units.loc[code, "gmina_kind"]
            valid_from = None if pd.isna(row.valid_from) else row.valid_from
            valid_to = None if pd.isna(row.valid_to) else row.valid_to
            self._gminas.setdefault(fold_name(row.name), []).append(
                _Name(code, kind, is_town, valid_from, valid_to))

    def choosing(self, choices: dict[str, str]) -> PlaceResolver:
        """The same resolver, settling ambiguous names as the analyst chose (written name ->
        TERC code, from a `terc` decision): `Bartoszyce` is 2801011, not 2801032."""
        chosen = copy.copy(self)
        chosen._chosen = {gmina_name_and_kinds(name)[0]: code for name, code in choices.items()}
        return chosen

    def describe(self, code: str) -> str:
        """`2801032 Bartoszyce (gmina wiejska, powiat bartoszycki)`, `2814 olsztyński`: a unit
        as the analyst reads it in a quarantine message, under its latest name (and former
        ones: `2812052 Bratian (dawniej Nowe Miasto Lubawskie, gmina wiejska, ...)`)."""
        unit = self._units.loc[code]
        if unit.kind != "gmina":
            return f"{code} {unit['name']}"
        powiat = self._units.loc[unit.powiat_code]
        where = ("miasto na prawach powiatu" if powiat.kind == "city_powiat"
                 else f"powiat {powiat['name']}")
        former = "".join(f"dawniej {name}, " for name in self._former.get(code, []))
        return f"{code} {unit['name']} ({former}{GMINA_KIND_NAMES[unit.gmina_kind]}, {where})"

    def _dated_candidates(self, found: list[str], names: list[_Name], on: date | None) -> str:
        """The candidates of an ambiguous name, each saying whether the name was its own on
        the file's date. A name that is one unit's current name and another's former name
        stays ambiguous: a file of 2026 may still write the former name (offices keep old
        stamps and forms), so the date is evidence to show, never a reason to drop a unit."""
        def dated(code: str) -> str:
            own = [n for n in names if n.gmina == code]
            if on is None or any(n.in_force(on) for n in own):
                return self.describe(code)
            when = ("nazwa dawna" if all(n.valid_to is not None and n.valid_to < on for n in own)
                    else "nazwa jeszcze nienadana")
            return f"{self.describe(code)} – w dniu {on:%d.%m.%Y} {when}"
        return "; ".join(dated(c) for c in found)

    def _similar(self, key: str, keys: list[str], codes: dict[str, list[str]]) -> str:
        close = difflib.get_close_matches(key, keys, n=3, cutoff=0.75)
        found = sorted({c for k in close for c in codes[k]})
        return "; ".join(self.describe(c) for c in found)

    def powiats(self, written: pd.Series) -> pd.DataFrame:
        """The powiat (or city with powiat rights) of each written powiat name."""
        keys = written.map(fold_name)
        codes = keys.map(self._powiats)
        known = {k: [c] for k, c in self._powiats.items()}
        unknown = keys.notna() & codes.isna()
        return pd.DataFrame({
            "code": codes.astype("string"),
            "problem": pd.Series("unknown", index=written.index).where(unknown),
            "candidates": keys.where(unknown).map(
                lambda k: self._similar(k, list(self._powiats), known), na_action="ignore"),
        }, index=written.index)

    def gminas(self, written: pd.Series, towns: pd.Series, powiat_codes: pd.Series,
               on: pd.Series) -> pd.DataFrame:
        """The gmina of each row from its written gmina, else its town, within its powiat.

        `on` is the date the names were written (the file's date): it is shown beside the
        candidates of an ambiguous name, never used to drop one (a former name of one unit that
        is another's current name is ambiguous unless the town or the kind decides). Rows with
        neither gmina nor town get none.
        """
        inputs = pd.DataFrame({"gmina": written, "town": towns, "powiat": powiat_codes,
                               "on": on}).astype(object).where(lambda f: f.notna(), None)
        answers = {key: self.gmina(*key) for key in set(inputs.itertuples(index=False,
                                                                            name=None))}
        rows = [answers[tuple(row)] for row in inputs.itertuples(index=False, name=None)]
        return pd.DataFrame(rows, columns=["code", "problem", "candidates"],
                            index=written.index).astype({"code": "string"})

    def gmina(self, written: str | None, town: str | None, powiat: str | None,
              on: date | None) -> tuple[str | None, str | None, str | None]:
        """(code, problem, candidates) for one written gmina/town in one powiat on one day."""
        key, kinds, powiat_named = gmina_name_and_kinds(written)
        town_key = fold_name(town)
        if powiat is None and powiat_named is not None:
            powiat = self._powiats.get(powiat_named, NO_UNIT)
        if key is None and town_key is None:
            return None, None, None
        if key is None:  # a town instead of a gmina: a town of that name, else a gmina
            key, names = town_key, self._gminas.get(town_key, [])
            towns_only = [n for n in names if n.is_town]
            names = towns_only or names
        else:
            names = self._gminas.get(key, [])
        names = [n for n in names if (kinds is None or n.gmina_kind in kinds)
                 and (powiat is None or n.gmina.startswith(powiat))]
        found = sorted({n.gmina for n in names})
        if len(found) > 1 and town_key is not None:
            wanted = HAS_TOWN if town_key == key else HAS_COUNTRYSIDE
            found = [c for c in found if self._units.loc[c, "gmina_kind"] in wanted] or found
        if len(found) == 1:
            return found[0], None, None
        if found:
            if self._chosen.get(key) in found:
                return self._chosen[key], None, None
            return None, "ambiguous", self._dated_candidates(found, names, on)
        in_scope = {k: [n.gmina for n in ns if powiat is None or n.gmina.startswith(powiat)]
                    for k, ns in self._gminas.items()}
        in_scope = {k: v for k, v in in_scope.items() if v}
        return None, "unknown", self._similar(key, list(in_scope), in_scope)
