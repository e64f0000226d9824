"""The TERYT TERC reference (official units, with dated names) and the resolver from the names
real files carry to TERC codes.

The reference of any voivodeship is built from two national TERC lists (data/reference/teryt/):
the official ("urzędowy") rows of 2022-01-01 and the "adresowy" list of 2026-01-01, the
region's units filtered from both. Where a unit's name changed between them, the former name
stays as an alias with the dates it was in force (the date of each change comes from
`name_changes.csv`, with its legal source). A rural gmina that became urban-rural (its town got
town rights: 2212062 Kobylnica is 2212063 in 2026) is one unit under its later code.

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
#: The kind of a TERC unit by its RODZ digit, as TERC and PRG write it (8: a district of
#: Warsaw, 9: a delegation of Kraków, Łódź, Poznań or Wrocław).
GMINA_KIND_NAMES = {"1": "gmina miejska", "2": "gmina wiejska", "3": "gmina miejsko-wiejska",
                    "4": "miasto", "5": "obszar wiejski", "8": "dzielnica", "9": "delegatura"}
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

#: The two national TERC lists the dated reference is built from, and the dated renames.
EARLIER_TERC_FILE = ("teryt", "terc_PL_2022-01-01.csv")
LATER_TERC_FILE = ("teryt", "terc_PL_2026-01-01_adresowy.csv")
NAME_CHANGES_FILE = ("teryt", "name_changes.csv")
REGION_VARIABLE = "PES_REGION"


class RegionNotInReference(ValueError):
    """The configured region has no units in the reference: the message (Polish) names the
    variable, the value and the accepted codes."""


def _terc_rows(path: Path) -> pd.DataFrame:
    try:
        raw = pd.read_csv(path, sep=";", dtype=str, encoding="utf-8-sig", keep_default_na=False)
    except (OSError, UnicodeDecodeError, pd.errors.ParserError) as error:
        raise SourceFileError(path, "a TERC file (UTF-8, ';')", str(error)) from error
    if list(raw.columns) != TERC_COLUMNS:
        raise SourceFileError(path, f"TERC columns {TERC_COLUMNS}", f"found {list(raw.columns)}")
    return raw


def _with_urban_rural_gminas(rows: pd.DataFrame) -> pd.DataFrame:
    """The rows with a RODZ 3 row (gmina miejsko-wiejska) for every town (RODZ 4) that lacks
    one: the TERC "adresowy" list leaves them out; the gmina is named like its town."""
    towns = rows[rows["RODZ"] == "4"]
    have = set(rows.loc[rows["RODZ"] == "3", ["WOJ", "POW", "GMI"]].itertuples(index=False,
                                                                                name=None))
    missing = towns[[key not in have for key in towns[["WOJ", "POW", "GMI"]].itertuples(
        index=False, name=None)]]
    if missing.empty:
        return rows
    added = missing.assign(RODZ="3", NAZWA_DOD=GMINA_KIND_NAMES["3"])
    return pd.concat([rows, added]).sort_values(["WOJ", "POW", "GMI", "RODZ"], kind="stable")


def read_terc(path: Path, region_code: str) -> pd.DataFrame:
    """Units of one region from an official TERC file (`;`, UTF-8 with BOM), one row each.

    Columns: terc (2, 4 or 7 characters), powiat_code, kind (voivodeship, powiat, city_powiat,
    gmina), gmina_kind (RODZ digit), name, name_kind (NAZWA_DOD), valid_on. A list without
    the urban-rural gminas (RODZ 3, the "adresowy" list) gets them from their towns' rows.
    """
    raw = _terc_rows(path)
    units = _with_urban_rural_gminas(raw[raw["WOJ"] == region_code]).copy()
    units["terc"] = units["WOJ"] + units["POW"] + units["GMI"] + units["RODZ"]
    units["powiat_code"] = (units["WOJ"] + units["POW"]).where(units["POW"] != "")
    units["kind"] = "gmina"
    units.loc[units["POW"] == "", "kind"] = "voivodeship"
    units.loc[(units["POW"] != "") & (units["GMI"] == ""), "kind"] = "powiat"
    units.loc[units["NAZWA_DOD"] == "miasto na prawach powiatu", "kind"] = "city_powiat"
    return units.rename(
        columns={"RODZ": "gmina_kind", "NAZWA": "name", "NAZWA_DOD": "name_kind",
                 "STAN_NA": "valid_on"}
    )[["terc", "powiat_code", "kind", "gmina_kind", "name", "name_kind", "valid_on"]
      ].reset_index(drop=True)


def terc_regions(path: Path) -> dict[str, str]:
    """The voivodeships of a TERC file: code -> name as TERC writes it (`POMORSKIE`)."""
    raw = _terc_rows(path)
    voivodeships = raw[(raw["WOJ"] != "") & (raw["POW"] == "")]
    return dict(zip(voivodeships["WOJ"], voivodeships["NAZWA"], strict=True))


def region_name_pl(reference_dir: Path | str, region_code: str) -> str:
    """`województwo pomorskie` for `22`: the region as TERYT names it, once it is checked to
    have units in both TERC lists of the reference.

    Raises RegionNotInReference, in Polish, naming the variable, the value and the codes the
    reference accepts: an unknown region would otherwise fail deep inside the refresh.
    """
    folder = Path(reference_dir)
    files = [folder.joinpath(*EARLIER_TERC_FILE), folder.joinpath(*LATER_TERC_FILE)]
    regions = [terc_regions(path) for path in files]
    if all(region_code in found for found in regions):
        return f"województwo {regions[0][region_code].lower()}"
    accepted = sorted(set(regions[0]) & set(regions[1]))
    listed = ", ".join(f"{code} ({regions[0][code].lower()})" for code in accepted)
    raise RegionNotInReference(
        f"{REGION_VARIABLE}={region_code!r}: brak jednostek TERYT tego województwa w danych "
        f"referencyjnych ({', '.join(str(path) for path in files)}). Co zrobić: ustaw "
        f"{REGION_VARIABLE} na dwucyfrowy kod województwa, jeden z: {listed}.")


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
    source. A renamed unit has one row per name. `former_codes`: the earlier code of a unit
    recoded between the two states (a rural gmina that became urban-rural) -> its code now.
    """

    units: pd.DataFrame
    names: pd.DataFrame
    former_codes: dict[str, str]


def _successor(code: str, later_codes: set[str]) -> str | None:
    """The unit's code in the later state: the same, or for a rural gmina (RODZ 2) whose town
    got town rights the urban-rural one (RODZ 3) of the same WOJ+POW+GMI; None if absent."""
    if code in later_codes:
        return code
    urban_rural = code[:-1] + "3"
    return urban_rural if len(code) == 7 and code[-1] == "2" and urban_rural in later_codes \
        else None


def dated_reference(earlier: pd.DataFrame, later: pd.DataFrame, changes: pd.DataFrame,
                    changes_path: Path) -> TerytReference:
    """Units with their latest names and codes, and the dated history of names.

    `earlier` and `later` are the region's units in two TERC states. A name that differs
    between them must be listed in `changes` with the date it changed: a reference that cannot
    date a name could resolve an old file wrongly. A unit only in the earlier state stays as
    it was (the "adresowy" list leaves out some units); one only in the later state is new.
    """
    earlier_state, later_state = str(earlier["valid_on"].iloc[0]), str(later["valid_on"].iloc[0])
    later_units = later.set_index("terc")
    successors = {code: _successor(code, set(later_units.index)) for code in earlier["terc"]}
    dated = {(c.terc, c.former_name, c.name): c for c in changes.itertuples()}
    names, undated = [], []
    for unit in earlier.itertuples():
        code = successors[unit.terc]
        if code is None:
            names.append((unit.terc, unit.name, None, None, f"TERC {earlier_state}"))
            continue
        now = later_units.loc[code, "name"]
        recoded = "" if code == unit.terc else f" jako {unit.terc} {unit.name_kind}"
        if now == unit.name:
            names.append((code, unit.name, None, None,
                          f"TERC {earlier_state}{recoded}, TERC {later_state}"))
            continue
        change = dated.get((code, unit.name, now))
        if change is None:
            undated.append(f"{code}: '{unit.name}' -> '{now}'")
            continue
        names.append((code, unit.name, None, change.changed_on - timedelta(days=1),
                      f"TERC {earlier_state}{recoded}; {change.source}"))
        names.append((code, now, change.changed_on, None, f"TERC {later_state}; {change.source}"))
    if undated:
        raise SourceFileError(changes_path, "a dated row for each unit renamed between the "
                              "two TERC states", "; ".join(undated))
    followed = set(successors.values())
    names += [(unit.terc, unit.name, None, None,
               f"TERC {later_state} (nie ma jej w TERC {earlier_state})")
              for unit in later.itertuples() if unit.terc not in followed]
    units = pd.concat([later, earlier[[successors[c] is None for c in earlier["terc"]]]])
    frame = pd.DataFrame(names, columns=["terc", "name", "valid_from", "valid_to", "source"])
    return TerytReference(
        units=units.sort_values("terc", kind="stable").reset_index(drop=True), names=frame,
        former_codes={old: new for old, new in successors.items() if new not in (None, old)})


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
