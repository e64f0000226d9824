"""Which source rows are one real entity: the analyst's decisions, then the automatic rules.

Plain Python over one frame of records (core.entity_record), because the rules are a chain of
merges in which each merge changes what the next one may do; a few thousand records a month
take well under a second. docs/entity_model.md states the rules for a reader; in short:

- records of one kind only are merged: a legal entity with a legal entity, a unit (CIS, KIS,
  ZAZ, WTZ) with a unit; a unit points to its founder, never into it;
- candidate links, strongest first: the analyst's `ten_sam`, then equal KRS, NIP, REGON (9
  digits = the first 9 of 14), then the same name key in the same gmina (a row without a gmina:
  the same powiat, when only one entity there has the name);
- a link merges two groups when KRS agrees, or when no KRS disagrees and the agreeing keys
  (NIP, REGON, name and place) outnumber the disagreeing ones (both known and different). A
  unit's founder counts as a key too. So a NIP typo on a row whose REGON and name agree joins
  its entity, while two associations of one name with different NIPs stay two;
- a link refused although some key agreed is a conflict, reported, as is an entity whose rows
  still disagree on NIP or REGON; the analyst settles it with a decision.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Hashable, Iterable
from dataclasses import dataclass, field
from itertools import combinations

import pandas as pd

from sources.collector import cycles_not_collected
from sources.decisions import REFERENCE, Decision
from sources.teryt import gmina_name_and_kinds

#: The rules, strongest first; a record's `rule` is the strongest link that placed it.
RULES = ("decision", "krs", "nip", "regon", "name_place")


@dataclass
class Group:
    """What the records of one would-be entity say about it, to weigh the next link."""

    kind: str
    krs: set[str] = field(default_factory=set)
    nip: set[str] = field(default_factory=set)
    regon: set[str] = field(default_factory=set)
    names: set[tuple[str, str, str | None]] = field(default_factory=set)
    founders: set[str] = field(default_factory=set)
    kept_apart: set[tuple[str, str]] = field(default_factory=set)
    split_off: frozenset[str] = frozenset()

    def absorb(self, other: Group) -> None:
        self.krs |= other.krs
        self.nip |= other.nip
        self.regon |= other.regon
        self.names |= other.names
        self.founders |= other.founders
        self.kept_apart |= other.kept_apart


def regons_agree(a: str, b: str, kind: str) -> bool:
    """Legal entities: the first 9 digits (a 14-digit REGON is a local unit of the 9-digit
    one). Units: two 14-digit REGONs must be equal (a founder's units share the 9 digits)."""
    if kind == "unit" and len(a) == 14 and len(b) == 14:
        return a == b
    return a[:9] == b[:9]


def regon_sets_agree(a: set[str], b: set[str], kind: str) -> bool:
    """Whether two groups' REGONs speak for one entity. Between units, the full 14-digit
    REGONs decide when both sides have one: a 9-digit REGON fits every unit of its founder and
    must not bridge two of them."""
    if kind == "unit":
        full_a, full_b = {r for r in a if len(r) == 14}, {r for r in b if len(r) == 14}
        if full_a and full_b:
            return bool(full_a & full_b)
    return any(regons_agree(x, y, kind) for x in a for y in b)


def names_agree(a: set[tuple[str, str, str | None]], b: set[tuple[str, str, str | None]]) -> bool:
    """One name key in one powiat, in the same gmina or where one side has no gmina."""
    return any(na == nb and pa == pb and (ga is None or gb is None or ga == gb)
               for na, pa, ga in a for nb, pb, gb in b)


@dataclass(frozen=True)
class Weighing:
    agree: list[str]
    disagree: list[str]

    @property
    def merges(self) -> bool:
        if "krs" in self.disagree:
            return False
        return "krs" in self.agree or len(self.agree) > len(self.disagree)


def weigh(a: Group, b: Group) -> Weighing:
    """Which keys two groups share and which they contradict."""
    agree, disagree = [], []
    for key, left, right in (("krs", a.krs, b.krs), ("nip", a.nip, b.nip),
                             ("founder", a.founders, b.founders)):
        if left and right:
            (agree if left & right else disagree).append(key)
    if a.regon and b.regon:
        (agree if regon_sets_agree(a.regon, b.regon, a.kind) else disagree).append("regon")
    if names_agree(a.names, b.names):
        agree.append("name_place")
    # a founder in common is no proof that two units are one: it only speaks against
    return Weighing([k for k in agree if k != "founder"], disagree)


class Resolver:
    """Union-find over records with the evidence of each group at its root."""

    def __init__(self, records: pd.DataFrame, founder_of: dict[str, str]) -> None:
        ids = records["record_id"].tolist()
        self.parent = dict(zip(ids, ids, strict=True))
        #: the cluster of each record's founder, if it is one of ours (see founder_of_record)
        self.founder = dict(zip(ids, founders(records, founder_of), strict=True))
        # column by column, not row by row: a national run makes hundreds of thousands
        self.groups = {record: self._group(*values, self.founder[record]) for record, *values
                       in zip(ids, *(records[c] for c in (
                           "kind", "krs", "nip", "regon_key", "name_key", "powiat_code",
                           "gmina_code")), strict=True)}
        self.rule: dict[str, str] = {}
        self.decision: dict[str, str] = {}
        self.conflicts: list[dict] = []

    @staticmethod
    def _group(kind: str, krs: object, nip: object, regon_key: object, name_key: object,
               powiat_code: object, gmina_code: object, founder: str | None) -> Group:
        def known(value: object) -> set[str]:
            return {value} if isinstance(value, str) and value else set()

        # only a founder known among our entities is evidence; its keys alone may differ
        # between two rows of one unit (one writes the founder's KRS, the other its NIP)
        founders = {founder} if founder else set()
        names = ({(name_key, powiat_code, gmina_code)}
                 if isinstance(name_key, str) and isinstance(powiat_code, str) else set())
        return Group(kind=kind, krs=known(krs), nip=known(nip), regon=known(regon_key),
                     names=names, founders=founders)

    def root(self, record: str) -> str:
        while self.parent[record] != record:
            self.parent[record] = self.parent[self.parent[record]]
            record = self.parent[record]
        return record

    def link(self, a: str, b: str, rule: str, key: str, decision: str = "") -> bool:
        """Merge the groups of two records if the evidence allows; report a refused link."""
        ra, rb = self.root(a), self.root(b)
        if ra == rb:
            return True
        ga, gb = self.groups[ra], self.groups[rb]
        apart = any((n, "a" if s == "b" else "b") in gb.kept_apart for n, s in ga.kept_apart)
        refused = ""
        if ga.kind != gb.kind:
            refused = "kinds_differ"
        elif apart or ga.split_off != gb.split_off:
            refused = "kept_apart_by_decision"
        elif rule != "decision":
            weighing = weigh(ga, gb)
            if not weighing.merges:
                # the same name alone, against other identifiers, is two entities of one
                # name; identifiers that contradict each other are a conflict to look at
                if set(weighing.agree) - {"name_place"}:
                    refused = ("two_krs" if "krs" in weighing.disagree
                               else "identifiers_disagree")
                    self._conflict(refused, rule, key, a, b,
                                   f"zgodne: {', '.join(weighing.agree)}; "
                                   f"sprzeczne: {', '.join(weighing.disagree)}")
                return False
        if refused:
            # a rule's link kept apart by a decision is the decision working, not a conflict
            if rule == "decision":
                self._conflict(refused, rule, key, a, b, f"decyzja {decision}")
            return False
        if ra > rb:  # the smaller record id is the root: the same clusters every run
            ra, rb, ga, gb = rb, ra, gb, ga
        self.parent[rb] = ra
        ga.absorb(gb)
        for record in (a, b):
            current = self.rule.get(record)
            if current is None or RULES.index(rule) < RULES.index(current):
                self.rule[record] = rule
            if decision:
                self.decision.setdefault(record, decision)
        return True

    def _conflict(self, conflict: str, rule: str, key: str, a: str, b: str, detail: str) -> None:
        self.conflicts.append({"conflict": conflict, "rule": rule, "key": key,
                               "record_id": a, "other_record_id": b, "detail": detail})

    def link_all(self, rule: str, key_of: pd.Series) -> None:
        """Every pair of records sharing a key, in record order, is a candidate link; keys in
        their order."""
        keyed = key_of.dropna()
        keyed = keyed[keyed.duplicated(keep=False)]  # a key of one record links nothing
        for key, members in sorted(members_by_key(keyed.index, keyed).items()):
            for a, b in combinations(sorted(members), 2):
                self.link(a, b, rule, str(key))

    def link_names(self, kind_records: pd.DataFrame) -> None:
        """Same name key and place. Rows with a gmina first; then a row without one joins the
        entity of that name in its powiat only when there is exactly one."""
        placed = kind_records.dropna(subset=["name_key", "powiat_code"])
        with_gmina = placed[placed["gmina_code"].notna()]
        self.link_all("name_place", with_gmina["name_key"] + "|" + with_gmina["gmina_code"])
        rows = members_by_key(placed["record_id"],
                              zip(placed["name_key"], placed["powiat_code"], strict=True))
        without_gmina = placed[placed["gmina_code"].isna()]
        unplaced = members_by_key(without_gmina["record_id"], zip(
            without_gmina["name_key"], without_gmina["powiat_code"], strict=True))
        for (name, powiat), records in sorted(unplaced.items()):
            for record in sorted(records):
                others = sorted({self.root(o) for o in rows[(name, powiat)] if o != record}
                                - {self.root(record)})
                if len(others) == 1:
                    self.link(record, others[0], "name_place", f"{name}|{powiat}")
                elif len(others) > 1:
                    self._conflict("ambiguous_name", "name_place", f"{name}|{powiat}", record,
                                   others[0], f"kandydatów: {len(others)}")

    def clusters(self) -> pd.Series:
        return pd.Series({r: self.root(r) for r in self.parent}, name="cluster")


def members_by_key(records: Iterable[object], keys: Iterable[Hashable]) -> dict[Hashable, list]:
    """The records of each key, in their order: plain lists, as a national run groups hundreds
    of thousands of records and a pandas group costs tens of microseconds to make."""
    members: dict[Hashable, list] = defaultdict(list)
    for record, key in zip(records, keys, strict=True):
        members[key].append(record)
    return members


def records_of(reference: str, records: pd.DataFrame, previous: dict[str, set[str]]) -> set[str]:
    """The record ids a decision's reference names (see sources/decisions.py)."""
    match = REFERENCE.match(reference)
    if match is None:
        return set()
    if match["entity"]:
        return set(previous.get(match["entity"], set()))
    if match["source"]:
        record_id = f"{match['source']}:{match['file']}:{match['line']}"
        return {record_id} if record_id in records.index else set()
    value = match["id_value"]
    column = {"KRS": "krs", "NIP": "nip", "REGON": "regon_key"}[match["id_kind"]]
    if column == "krs":
        value = value.zfill(10)
    return set(records.index[records[column] == value])


def written_place_keys(records: pd.DataFrame) -> pd.Series:
    """Each row's written gmina or town as a `terc` decision's place is compared with it."""
    return records["place_written"].map(lambda p: gmina_name_and_kinds(p)[0],
                                        na_action="ignore")


def with_chosen_gminas(records: pd.DataFrame, decisions: list[Decision]) -> pd.DataFrame:
    """A row with no gmina code whose written place an analyst's `terc` decision names gets
    that code (a KRS seat `Bartoszyce` is the town or the rural gmina: the extract can't say)."""
    chosen = {gmina_name_and_kinds(d.place)[0]: d.terc for d in decisions
              if d.kind == "terc" and not d.problem}
    if not chosen:
        return records
    written = written_place_keys(records)
    code = written.map(chosen)
    fits = records["gmina_code"].isna() & code.notna() & (
        records["powiat_code"].isna() | (code.str[:4] == records["powiat_code"]))
    return records.assign(
        gmina_code=records["gmina_code"].where(~fits, code),
        powiat_code=records["powiat_code"].where(~fits, code.str[:4]))


def decision_status(decisions: list[Decision], records: pd.DataFrame,
                    previous: dict[str, set[str]], blocked: set[str]) -> pd.DataFrame:
    """Each decision as used, stale (a reference names no row now) or invalid (unreadable)."""
    written = (written_place_keys(records) if any(d.kind == "terc" for d in decisions)
               else None)
    rows = []
    for d in decisions:
        if d.problem:
            status, detail = "invalid", d.problem
        elif d.kind == "fewer_rows":
            status, detail = "used", "potwierdzenie dla kontroli liczby wierszy źródła"
        elif d.kind == "terc":
            uses = int(((written == gmina_name_and_kinds(d.place)[0])
                        & (records["gmina_code"] == d.terc)).sum())
            status, detail = ("used", f"wierszy z tą nazwą i kodem: {uses}") if uses else (
                "stale", "żaden wiersz nie ma już tej nazwy miejsca bez kodu")
        else:
            refs = [d.reference] + ([d.other] if d.kind in {"same", "different"} else [])
            missing = [ref for ref in refs if not records_of(ref, records, previous)]
            if missing:
                status, detail = "stale", "brak wierszy dla: " + ", ".join(missing)
            elif d.number in blocked:
                status, detail = "conflict", "sprzeczna z inną decyzją albo łączy różne rodzaje"
            else:
                status, detail = "used", ""
        rows.append({"decision": d.number, "file": d.file, "line": d.line, "kind": d.kind,
                     "reference": d.reference, "other_reference": d.other, "place": d.place,
                     "terc": d.terc, "reason": d.reason, "status": status, "detail": detail})
    return pd.DataFrame(rows, columns=["decision", "file", "line", "kind", "reference",
                                       "other_reference", "place", "terc", "reason", "status",
                                       "detail"])


def founder_of_record(founder_krs: object, founder_nip: object, founder_regon: object,
                      founder_of: dict[str, str]) -> str | None:
    """The cluster of the legal entity a unit's founder columns name, if it is one of ours."""
    regon = founder_regon[:9] if isinstance(founder_regon, str) else None
    for key, value in (("KRS", founder_krs), ("NIP", founder_nip), ("REGON", regon)):
        if isinstance(value, str) and f"{key}:{value}" in founder_of:
            return founder_of[f"{key}:{value}"]
    return None


def founders(records: pd.DataFrame, founder_of: dict[str, str]) -> list[str | None]:
    """founder_of_record of each record; none while no legal entity is known (the legal
    entities' own resolution)."""
    if not founder_of:
        return [None] * len(records)
    return [founder_of_record(*values, founder_of) for values in zip(
        records["founder_krs"], records["founder_nip"], records["founder_regon"], strict=True)]


def founder_entities(legal: pd.Series, records: pd.DataFrame) -> dict[str, str]:
    """`KRS:…`, `NIP:…`, `REGON:…` (9 digits) of every legal record -> its group's root."""
    rows = records.loc[legal.index]
    root_of = legal.to_dict()
    found: dict[str, str] = {}
    for column, key in (("krs", "KRS"), ("nip", "NIP"), ("regon_key", "REGON")):
        values = rows[column].dropna()
        for record, value in zip(values.index, values, strict=True):
            found.setdefault(f"{key}:{value[:9] if key == 'REGON' else value}", root_of[record])
    return found


@dataclass(frozen=True)
class Resolution:
    """Each record's cluster, the rule and decision that placed it; conflicts; decisions."""

    links: pd.DataFrame
    conflicts: pd.DataFrame
    decisions: pd.DataFrame


def resolve(records: pd.DataFrame, decisions: list[Decision],
            previous: dict[str, set[str]]) -> Resolution:
    """Legal entities first, so that a unit's founder is known as an entity when units are
    resolved. `previous` maps an entity id of the last refresh to its records now."""
    with cycles_not_collected():  # a group of evidence per record: sets, none in a cycle
        return _resolved(records.set_index("record_id", drop=False), decisions, previous)


def _resolved(records: pd.DataFrame, decisions: list[Decision],
              previous: dict[str, set[str]]) -> Resolution:
    legal = records[records["kind"] == "legal"]
    legal_resolver = _resolve_kind(legal, decisions, records, previous, {})
    legal_clusters = legal_resolver.clusters()
    units = records[records["kind"] == "unit"]
    founder_of = founder_entities(legal_clusters, records)
    unit_resolver = _resolve_kind(units, decisions, records, previous, founder_of)
    links = []
    for resolver in (legal_resolver, unit_resolver):
        clusters = resolver.clusters()
        links.append(pd.DataFrame({
            "record_id": clusters.index, "cluster": clusters.values,
            "rule": [resolver.rule.get(r, "alone") for r in clusters.index],
            "decision": [resolver.decision.get(r) for r in clusters.index],
            "founder_cluster": [resolver.founder[r] for r in clusters.index]}))
    link_frame = pd.concat(links, ignore_index=True)
    conflicts = pd.DataFrame(legal_resolver.conflicts + unit_resolver.conflicts,
                             columns=["conflict", "rule", "key", "record_id", "other_record_id",
                                      "detail"])
    blocked = set(conflicts.loc[conflicts["rule"] == "decision", "key"])
    return Resolution(
        links=link_frame,
        conflicts=pd.concat([conflicts, disagreements_within(link_frame, records)],
                            ignore_index=True),
        decisions=decision_status(decisions, records, previous, blocked))


def _resolve_kind(kind_records: pd.DataFrame, decisions: list[Decision], records: pd.DataFrame,
                  previous: dict[str, set[str]], founder_of: dict[str, str]) -> Resolver:
    resolver = Resolver(kind_records.reset_index(drop=True), founder_of)
    here = set(kind_records.index)
    for d in decisions:
        if d.problem or d.kind not in {"different", "split"}:
            continue
        first = records_of(d.reference, records, previous) & here
        if d.kind == "split":
            for record in first:
                resolver.groups[record].split_off = frozenset({d.number})
            continue
        for side, refs in (("a", first), ("b", records_of(d.other, records, previous) & here)):
            for record in refs:
                resolver.groups[record].kept_apart.add((d.number, side))
    for d in decisions:
        if d.problem or d.kind != "same":
            continue
        named = sorted((records_of(d.reference, records, previous)
                        | records_of(d.other, records, previous)) & here)
        for other in named[1:]:
            resolver.link(named[0], other, "decision", d.number, decision=d.number)
    for rule, column in (("krs", "krs"), ("nip", "nip"), ("regon", "regon_key")):
        keys = kind_records[column]
        if rule == "regon":
            keys = keys.str[:9]  # candidates; whether 14-digit ones agree is weighed per link
        resolver.link_all(rule, keys)
    resolver.link_names(kind_records)
    return resolver


def disagreements_within(links: pd.DataFrame, records: pd.DataFrame) -> pd.DataFrame:
    """Entities whose rows still name two NIPs or two REGONs: a typo to look at."""
    joined = links.merge(records[["nip", "regon_key", "kind"]], left_on="record_id",
                         right_index=True)
    found = []
    for column, conflict in (("nip", "nip_differs_within"), ("regon_key", "regon_differs_within")):
        values = joined.dropna(subset=[column]).drop_duplicates(["cluster", column])
        values = values[values["cluster"].duplicated(keep=False)]
        by_cluster = members_by_key(
            zip(values["record_id"], values[column], values["kind"], strict=True),
            values["cluster"])
        for _, members in sorted(by_cluster.items()):
            pairs = [(a, b) for a, b in combinations(members, 2)
                     if a[1] != b[1] and not (
                         column == "regon_key" and regons_agree(a[1], b[1], a[2]))]
            if pairs:
                (a, value_a, _), (b, value_b, _) = pairs[0]
                found.append({"conflict": conflict, "rule": "", "key": f"{value_a}, {value_b}",
                              "record_id": a, "other_record_id": b, "detail": ""})
    return pd.DataFrame(found, columns=["conflict", "rule", "key", "record_id",
                                        "other_record_id", "detail"])
