"""The resolution rules and the stable ids on a few records written out by hand.

tests/test_entity_resolution.py measures the whole chain on a labelled inbox; here each rule
of docs/entity_model.md gets the smallest case that shows it, without a refresh.
"""

from __future__ import annotations

import pandas as pd

from assets.entities.clusters import resolve
from assets.entities.stable_ids import assign_ids, new_id, record_keys
from sources.decisions import Decision

COLUMNS = ["record_id", "source", "source_file", "source_line", "kind", "entity_type", "name",
           "name_key", "krs", "nip", "regon", "regon_key", "founder_krs", "founder_nip",
           "founder_regon", "powiat_code", "gmina_code", "place_written"]


def record(short_id: str, kind: str = "legal", **values: str | None) -> dict:
    """A record of file `f.csv`; `short_id` is `<source>:<line>`, as the tests name them."""
    row = dict.fromkeys(COLUMNS)
    source, line = short_id.split(":")
    row.update(record_id=f"{source}:f.csv:{line}", source=source, source_file="f.csv",
               source_line=int(line), kind=kind, powiat_code="2814", **values)
    if row["regon"] and not row["regon_key"]:
        row["regon_key"] = row["regon"]
    return row


def clusters_of(*records: dict, decisions: list[Decision] | None = None) -> list[set[str]]:
    frame = pd.DataFrame(list(records), columns=COLUMNS)
    links = resolve(frame, decisions or [], {}).links
    short = links["record_id"].str.replace(":f.csv:", ":")
    return sorted((set(group) for _, group in short.groupby(links["cluster"])),
                  key=lambda s: sorted(s))


def conflicts_of(*records: dict) -> list[str]:
    frame = pd.DataFrame(list(records), columns=COLUMNS)
    return sorted(resolve(frame, [], {}).conflicts["conflict"])


def test_one_nip_on_two_krs_numbers_is_two_entities_and_a_conflict() -> None:
    a = record("krs_entity:1", krs="0000000001", nip="7391000018", name_key="A")
    b = record("krs_entity:2", krs="0000000002", nip="7391000018", name_key="B")
    assert clusters_of(a, b) == [{"krs_entity:1"}, {"krs_entity:2"}]
    assert conflicts_of(a, b) == ["two_krs"]


def test_a_nip_typo_joins_where_regon_and_name_agree_and_is_reported() -> None:
    right = record("pes_catalogue:2", nip="7391000018", regon="510000011",
                   name_key="STOWARZYSZENIE RAZEM", gmina_code="2814042")
    typo = record("pes_catalogue:3", nip="7391000081", regon="510000011",
                  name_key="STOWARZYSZENIE RAZEM", gmina_code="2814042")
    assert clusters_of(right, typo) == [{"pes_catalogue:2", "pes_catalogue:3"}]
    assert conflicts_of(right, typo) == ["nip_differs_within"]


def test_one_name_in_one_gmina_with_two_nips_is_two_entities_without_a_conflict() -> None:
    first = record("pes_catalogue:2", nip="7391000018", name_key="OSP", gmina_code="2814042")
    second = record("pes_catalogue:3", nip="7391000024", name_key="OSP", gmina_code="2814042")
    assert clusters_of(first, second) == [{"pes_catalogue:2"}, {"pes_catalogue:3"}]
    assert conflicts_of(first, second) == []


def test_a_unit_is_never_merged_into_its_founder_but_points_to_it() -> None:
    founder = record("krs_entity:1", krs="0000000001", nip="7391000018", regon="510000011",
                     name_key="FUNDACJA")
    unit = record("cis_register:2", kind="unit", regon="51000001100019", name_key="CIS",
                  founder_krs="0000000001", founder_nip="7391000018", gmina_code="2814042")
    frame = pd.DataFrame([founder, unit], columns=COLUMNS)
    links = resolve(frame, [], {}).links.set_index("record_id")
    unit_link, founder_link = links.loc["cis_register:f.csv:2"], links.loc["krs_entity:f.csv:1"]
    assert unit_link["cluster"] != founder_link["cluster"]
    assert unit_link["founder_cluster"] == founder_link["cluster"]


def test_two_units_of_one_founder_stay_two_though_their_regons_share_9_digits() -> None:
    first = record("wtz_register:2", kind="unit", regon="51000001100019", name_key="WTZ A",
                   gmina_code="2814042")
    second = record("wtz_register:3", kind="unit", regon="51000001100026", name_key="WTZ B",
                    gmina_code="2814042")
    nine = record("pes_catalogue:4", kind="unit", regon="510000011", name_key="WTZ A",
                  gmina_code="2814042")
    assert clusters_of(first, second, nine) == [{"pes_catalogue:4", "wtz_register:2"},
                                                {"wtz_register:3"}]


def test_a_row_without_a_gmina_joins_only_the_one_entity_of_its_name_in_the_powiat() -> None:
    dywity = record("pes_catalogue:2", nip="7391000018", name_key="KGW", gmina_code="2814042")
    purda = record("pes_catalogue:3", nip="7391000024", name_key="KGW", gmina_code="2814092")
    no_gmina = record("social_enterprise:5", name_key="KGW")
    assert clusters_of(dywity, purda, no_gmina) == [
        {"pes_catalogue:2"}, {"pes_catalogue:3"}, {"social_enterprise:5"}]
    assert conflicts_of(dywity, purda, no_gmina) == ["ambiguous_name"]
    assert clusters_of(dywity, no_gmina) == [{"pes_catalogue:2", "social_enterprise:5"}]


def test_decisions_come_before_the_rules() -> None:
    a = record("pes_catalogue:2", nip="7391000018", name_key="A", gmina_code="2814042")
    b = record("pes_catalogue:3", nip="7391000018", name_key="B", gmina_code="2814042")
    c = record("pes_catalogue:4", name_key="C", gmina_code="2814092")

    def decision(kind: str, reference: str, other: str = "") -> Decision:
        return Decision(number="d.csv:2", file="d.csv", line=2, kind=kind, reference=reference,
                        other=other, place="", terc="", reason="")

    assert clusters_of(a, b, c, decisions=[decision("split", "pes_catalogue:f.csv:3")]) == [
        {"pes_catalogue:2"}, {"pes_catalogue:3"}, {"pes_catalogue:4"}]
    assert clusters_of(a, b, c, decisions=[decision(
        "different", "pes_catalogue:f.csv:2", "pes_catalogue:f.csv:3")]) == [
        {"pes_catalogue:2"}, {"pes_catalogue:3"}, {"pes_catalogue:4"}]
    assert clusters_of(a, b, c, decisions=[decision("same", "NIP:7391000018",
                                                    "pes_catalogue:f.csv:4")]) == [
        {"pes_catalogue:2", "pes_catalogue:3", "pes_catalogue:4"}]


def test_ids_survive_and_merges_and_splits_are_mapped() -> None:
    a = record("krs_entity:1", krs="0000000001", name_key="A", gmina_code="2814042")
    b = record("krs_entity:2", krs="0000000002", name_key="B", gmina_code="2814042")
    frame = pd.DataFrame([a, b], columns=COLUMNS)
    keys = record_keys(frame)
    links = pd.DataFrame({"record_id": frame["record_id"], "cluster": frame["record_id"]})
    empty = pd.DataFrame(columns=["key", "entity_id"])
    ids, changes = assign_ids(links, keys, empty)
    # a first run: each id from the strongest key, the same on every machine
    assert ids["krs_entity:f.csv:1"] == new_id("L|KRS:0000000001", set())
    assert changes.empty
    registry = pd.DataFrame({"key": keys["key"],
                             "entity_id": keys["record_id"].map(ids)})

    # both rows now one entity: the smaller id of two holding one key each survives
    merged = links.assign(cluster="krs_entity:f.csv:1")
    ids_after, changes = assign_ids(merged, keys, registry)
    survivor, gone = sorted(ids.values())
    assert ids_after["krs_entity:f.csv:1"] == survivor
    assert changes.values.tolist() == [[gone, survivor, "merged"]]

    # a split: the part holding more of the old id's keys keeps it
    registry_merged = registry.assign(entity_id=survivor)
    ids_split, changes = assign_ids(links, keys, registry_merged)
    assert sorted(ids_split.values())[0] != sorted(ids_split.values())[1]
    assert survivor in ids_split.values()
    other = next(v for v in ids_split.values() if v != survivor)
    assert changes.values.tolist() == [[survivor, other, "split"]]
