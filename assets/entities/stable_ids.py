"""Entity ids that survive refreshes, and the map from old ids when entities merge or split.

A published figure names entities by id (in the quality report, in downloads, in an auditor's
question), so an entity keeps its id as long as any of its keys do: its KRS, NIP or REGON, or
its name in its gmina. The warehouse keeps every key with the id it last belonged to
(registry.entity_key, never rebuilt by a refresh). Each refresh:

- an entity whose keys all point to one old id keeps it;
- when the keys of several old ids meet in one entity (a merge), the id holding most of its
  keys survives and the others are mapped to it;
- when the keys of one old id spread over several entities (a split), the part holding most of
  them keeps the id and the others get new ids, each mapped from the old one;
- a new entity's id is derived from its strongest key, so a first run from an empty warehouse
  gives the same ids on every machine.

The maps are appended to registry.entity_id_change, with the run that made them.
"""

from __future__ import annotations

import hashlib
from collections import Counter, defaultdict

import pandas as pd

#: Key kinds, strongest first: the strongest key names a new entity.
KEY_ORDER = ("KRS", "NIP", "REGON", "NAME")


def record_keys(records: pd.DataFrame) -> pd.DataFrame:
    """(record_id, key) pairs; keys carry the kind, as a legal entity and a unit never share."""
    place = records["gmina_code"].fillna(records["powiat_code"])
    name = ("NAME:" + records["name_key"] + "|" + place).where(place.notna())
    columns = {"KRS": records["krs"], "NIP": records["nip"], "REGON": records["regon_key"],
               "NAME": name}
    kind = records["kind"].str[0].str.upper() + "|"
    pairs = []
    for label, values in columns.items():
        keys = values if label == "NAME" else label + ":" + values
        pairs.append(pd.DataFrame({"record_id": records["record_id"], "key": kind + keys}))
    return pd.concat(pairs, ignore_index=True).dropna().drop_duplicates()


def previous_members(keys: pd.DataFrame, registry: pd.DataFrame) -> dict[str, set[str]]:
    """Entity id of the last refresh -> the records now carrying one of its keys (for an
    analyst's decision that names an entity by id)."""
    joined = keys.merge(registry, on="key")
    members: dict[str, set[str]] = defaultdict(set)  # not a pandas group per id: 100 000 ids
    for entity_id, record_id in zip(joined["entity_id"], joined["record_id"], strict=True):
        members[entity_id].add(record_id)
    return dict(members)


def strongest_keys(cluster_keys: pd.DataFrame) -> dict[str, str]:
    """Cluster -> its strongest key: the first kind in KEY_ORDER, then the first key in text
    order (sorted in columns: a national run holds hundreds of thousands of keys)."""
    # `L|KRS:…`, `U|NAME:…`: the kind's first three letters name it
    rank = cluster_keys["key"].str[2:5].map({k[:3]: i for i, k in enumerate(KEY_ORDER)})
    ordered = cluster_keys.assign(rank=rank).sort_values(["rank", "key"], kind="stable")
    first = ordered.drop_duplicates("cluster")
    return dict(zip(first["cluster"], first["key"], strict=True))


def new_id(anchor: str, taken: set[str]) -> str:
    """`PES-` and 12 hex digits of the anchor key's sha256; salted if already taken."""
    salt = 0
    while True:
        text = anchor if salt == 0 else f"{anchor}#{salt}"
        candidate = "PES-" + hashlib.sha256(text.encode("utf-8")).hexdigest()[:12].upper()
        if candidate not in taken:
            return candidate
        salt += 1


def assign_ids(links: pd.DataFrame, keys: pd.DataFrame,
               registry: pd.DataFrame) -> tuple[dict[str, str], pd.DataFrame]:
    """Cluster -> entity id, and the id changes (old_id, new_id, change) of this refresh.

    Only keys held by one cluster now vote for its id: two entities of one name in one gmina
    share their NAME key, which says nothing about which of them an old id was. Every key
    tells where an old id's rows went, so a split along a shared key is still recorded.
    """
    cluster_keys = keys.merge(links[["record_id", "cluster"]], on="record_id")
    cluster_keys = cluster_keys[["cluster", "key"]].drop_duplicates()
    unique = cluster_keys[~cluster_keys["key"].duplicated(keep=False)]
    old_of_key = dict(zip(registry["key"], registry["entity_id"], strict=True))
    votes: dict[str, Counter] = defaultdict(Counter)
    for cluster, key in zip(unique["cluster"], unique["key"], strict=True):
        if key in old_of_key:
            votes[cluster][old_of_key[key]] += 1

    ranked = sorted(((count, old, cluster) for cluster, counter in votes.items()
                     for old, count in counter.items()), key=lambda t: (-t[0], t[1], t[2]))
    ids: dict[str, str] = {}
    kept: set[str] = set()  # the old ids given so far (a set: a national run keeps 100 000)
    for _, old, cluster in ranked:
        if cluster not in ids and old not in kept:
            ids[cluster] = old
            kept.add(old)
    taken = set(registry["entity_id"]) | kept
    anchor_of = strongest_keys(cluster_keys)
    for cluster in sorted(set(links["cluster"]) - set(ids)):
        anchor = anchor_of.get(cluster, cluster)
        ids[cluster] = new_id(anchor, taken)
        taken.add(ids[cluster])

    # every key, shared or not, shows where an old id's rows went
    holders: dict[str, set[str]] = defaultdict(set)
    for cluster, key in zip(cluster_keys["cluster"], cluster_keys["key"], strict=True):
        if key in old_of_key:
            holders[old_of_key[key]].add(cluster)
    changes = [{"old_id": old, "new_id": ids[cluster],
                "change": "split" if len(clusters) > 1 else "merged"}
               for old, clusters in sorted(holders.items()) for cluster in sorted(clusters)
               if ids[cluster] != old]
    return ids, pd.DataFrame(changes, columns=["old_id", "new_id", "change"])
