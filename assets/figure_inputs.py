"""The tables the published figures read, directly or upstream.

A figure is an entry of the indicator catalogue (assets/sql/marts/indicators.yml): one mart
table. It reads the tables its entry names (`depends_on`, its asset's parents), and each of
those reads its own upstream: its parents in the asset graph and, for a table written by a SQL
file of assets/sql/, the tables that SQL names (core.pes_entity is made in one step with its
siblings and reads core.entity_link, which the graph does not say). A check on any other table
is about data no figure shows: it may warn, but never holds the publication back
(assets/checks.py).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import cache
from pathlib import Path

from dagster import AssetKey
from dagster._core.definitions.assets.graph.base_asset_graph import BaseAssetGraph

SQL_DIR = Path(__file__).parent / "sql"
#: A warehouse table as SQL names it: `schema.table`.
TABLE_NAME = re.compile(r"\b(staging|core|marts)\.([a-z_][a-z0-9_]*)\b")


def tables_named(sql: str) -> frozenset[AssetKey]:
    """The warehouse tables a query names (a name in a comment counts too: when in doubt, a
    table is read, and its checks keep their severity)."""
    return frozenset(AssetKey([schema, table]) for schema, table in TABLE_NAME.findall(sql))


@cache
def sql_reads() -> dict[AssetKey, frozenset[AssetKey]]:
    """For each table written by assets/sql/<schema>/<table>.sql, the tables that SQL names."""
    return {AssetKey([path.parent.name, path.stem]): tables_named(path.read_text(encoding="utf-8"))
            for path in SQL_DIR.glob("*/*.sql")}


def figure_inputs(asset_graph: BaseAssetGraph, figures: Iterable[AssetKey]) -> frozenset[AssetKey]:
    """The figures and every table they read, directly or upstream."""
    read: set[AssetKey] = set()
    waiting = list(figures)
    while waiting:
        key = waiting.pop()
        if key in read:
            continue
        read.add(key)
        parents = asset_graph.get(key).parent_keys if asset_graph.has(key) else set()
        waiting += [*parents, *sql_reads().get(key, ())]
    return frozenset(read)


def indicator_figures() -> list[AssetKey]:
    """The mart of each entry of the indicator catalogue."""
    from assets.marts import CATALOGUE  # assets.marts builds its own checks with assets.checks

    return [AssetKey(["marts", name]) for name in CATALOGUE]
