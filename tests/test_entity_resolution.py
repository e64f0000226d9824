"""Quality of the entity resolution, measured on a hand-labelled inbox (tests/resolution_inbox.py).

63 source rows: the catalogue 28, the social-enterprise register 11, CIS 3, KIS 3, ZAZ 2, WTZ 2,
KRS extracts 14. tests/fixtures/resolution/truth.csv gives each its true cluster (C01..C30) or
QUARANTINE, with a note naming its trap. The traps:

- founder and unit: C02 (a CIS) and C03 (a KIS) run by the association C01, C17 (WTZ) and C18
  (KIS) by the foundation C16, C22 (WTZ) and C23 (ZAZ) by the association C21, C28 (CIS) by the
  foundation C27 (known to its unit by NIP and REGON only): each unit carries its founder's KRS
  and NIP in founder columns and is an entity of its own; two units of one founder stay two.
  C19 (ZAZ), C20 (CIS) and C29 (KIS) are run by gminas, which are no PES: no founder entity.
- a unit in the catalogue and in its register under another name: C02 with the founder's
  9-digit REGON in the catalogue and its 14-digit REGON in the CIS register; C17 and C28 with
  the same 14-digit REGON; C18 and C23 with no identifier of their own (name and gmina).
- the same name in two gminas: C04 (Dywity, with identifiers) and C05 (Pisz, none; its
  social-enterprise row has no gmina, only the powiat, where it is the one candidate); the
  KIS C18 (Olecko) and C29 (Nidzica), neither with identifiers of its own.
- one name spelled three ways in one gmina (C06, Gietrzwałd): `Spółdzielnia Socjalna „Pod
  Dębem”` with KRS/NIP/REGON, `SPÓŁDZIELNIA SOCJALNA POD DĘBEM` with none, `Spoldzielnia
  Socjalna "Pod Debem"` with a NIP only; and a fourth in the social-enterprise register with a
  KRS only.
- NIP typos: catalogue line 11 has C10's NIP with a wrong check digit (the NIP is set aside,
  the row joins C10 on its KRS and REGON, beside C10's social-enterprise row and KRS extract);
  C11's social-enterprise row has NIP digits 2 and 7 swapped (equal weights, so the check digit
  passes) beside the right KRS; C12's second catalogue row has digits 3 and 9 swapped beside
  the right REGON, name and gmina (two keys agree, one disagrees).
- identifier formats: KRS unpadded and as a number cell; NIP with dashes, `PL`, spaces, a
  `NIP: ` label; a 9-digit REGON against the KRS extract's 14 digits padded with zeros (C24 has
  nothing else).
- two associations of one name in one gmina with different NIPs (C07, C08 in Purda): two.
- exact duplicate catalogue rows (C09, lines 9 and 10); a full KRS extract whose seat moved.
- C14: a NIP-only catalogue row and a KRS-only social-enterprise row, joined through the KRS
  extract that has both.
- C13 is known only from its KRS extract: linked, but not counted.

Hand count of entities: 30 clusters, 29 counted (C13 is not). Legal entities 19 counted:
associations 8 (C01, C07, C08, C10, C12, C14, C21, C25), foundations 7 (C04, C05, C09, C11,
C16, C24, C27), social cooperatives 4 (C06, C15, C26, and C30, known only from the
social-enterprise register by its name). Units 10: CIS 3 (C02, C20, C28), KIS 3 (C03, C18,
C29), ZAZ 2 (C19, C23), WTZ 2 (C17, C22).

True pairs (n choose 2 per cluster): C06 has 5 rows (10 pairs); C09, C10, C11, C12, C14, C21
and C26 have 3 (3 pairs each, 21); C01, C02, C04, C05, C07, C08, C15, C16, C17, C18, C19,
C23, C24, C27 and C28 have 2 (15); the other 7 clusters (C03, C13, C20, C22, C25, C29, C30)
1 row each: 10 + 21 + 15 = 46 pairs over 5 + 7 * 3 + 15 * 2 + 7 = 63 rows (none quarantined
whole).
"""

from __future__ import annotations

from collections import defaultdict
from pathlib import Path

import pandas as pd
import pytest

from quality.match_quality import pairwise_scores
from tests.conftest import Refresh, refresh_of
from tests.resolution_inbox import TRUTH, write_resolution_inbox

SOURCES = ["pes_catalogue", "social_enterprise", "cis_register", "kis_register",
           "zaz_register", "wtz_register", "krs_entity"]
#: The sources this inbox leaves out: published empty and stale (a step that fails names them).
ABSENT_FOLDERS = ("inbox folder 'activity'", "inbox folder 'owes'")
QUARANTINE = "QUARANTINE"
KEY = ["source", "file", "line"]
#: Unit -> founder (None: run by a gmina, which is no PES).
FOUNDERS = {"C02": "C01", "C03": "C01", "C17": "C16", "C18": "C16", "C22": "C21",
            "C23": "C21", "C28": "C27", "C19": None, "C20": None, "C29": None}


@pytest.fixture(scope="module")
def resolved(tmp_path_factory: pytest.TempPathFactory) -> Refresh:
    return refresh_of(tmp_path_factory.mktemp("resolution"), write_resolution_inbox)


@pytest.fixture(scope="module")
def truth() -> pd.DataFrame:
    return pd.read_csv(TRUTH, dtype={"line": int}, keep_default_na=False)


@pytest.fixture(scope="module")
def links(resolved: Refresh) -> pd.DataFrame:
    return resolved.query(
        "select source, source_file as file, source_line as line, entity_id, kind, rule, "
        "counted from core.entity_link")


def row_keys(frame: pd.DataFrame) -> list[tuple[str, str, int]]:
    return [(s, f, int(n)) for s, f, n in frame[KEY].itertuples(index=False)]


def clustered(truth: pd.DataFrame) -> pd.DataFrame:
    return truth[truth["cluster"] != QUARANTINE]


def entity_of(cluster: str, truth: pd.DataFrame, links: pd.DataFrame) -> str:
    """The one entity id the resolution gave the rows of a true cluster."""
    rows = clustered(truth).merge(links, on=KEY)
    ids = set(rows.loc[rows["cluster"] == cluster, "entity_id"])
    assert len(ids) == 1, f"{cluster} is split over {sorted(ids)}"
    return ids.pop()


def test_the_inbox_is_staged_with_no_row_in_quarantine(resolved: Refresh,
                                                       truth: pd.DataFrame):
    """Catalogue 28 rows read, 28 accepted (one NIP set aside); every other file accepted."""
    events = resolved.result.all_events
    succeeded = {e.step_key for e in events if e.event_type_value == "STEP_SUCCESS"}
    failures = {e.step_key: e.event_specific_data.error.message for e in events
                if e.event_type_value == "STEP_FAILURE"}
    assert {f"staging__{source}" for source in SOURCES} <= succeeded
    assert all(any(folder in message for folder in ABSENT_FOLDERS)
               for message in failures.values()), failures

    # the sources whose folders this inbox lacks are published empty and stale, nothing else
    stale = resolved.query("select source, rows_read from audit.source_file where is_stale")
    assert stale["rows_read"].isna().all()
    assert not set(stale["source"]) & set(SOURCES)
    files = resolved.query(
        "select source, file_name, rows_read, rows_accepted, rows_quarantined, "
        "values_set_aside from audit.source_file where not is_stale order by source, file_name")
    assert len(files) == 6 + 14
    assert files["rows_read"].sum() == 63 == len(truth)
    catalogue = files[files["source"] == "pes_catalogue"].iloc[0]
    assert (catalogue["rows_read"], catalogue["rows_accepted"],
            catalogue["values_set_aside"]) == (28, 28, 1)
    assert files["rows_quarantined"].sum() == 0
    assert (truth["cluster"] == QUARANTINE).sum() == 0


def test_the_nip_typo_costs_the_nip_not_the_organisation(resolved: Refresh, truth: pd.DataFrame,
                                                         links: pd.DataFrame):
    """Catalogue line 11: its NIP set aside (scope `field`), the row linked to C10 by KRS."""
    quarantined = resolved.query("select source, file, line, field, reason_code, scope "
                                 "from audit.quarantine")
    assert list(quarantined.itertuples(index=False, name=None)) == [
        ("pes_catalogue", "katalog_pes_2020-12-31.csv", 11, "NIP", "invalid_nip", "field")]
    row = links[(links["source"] == "pes_catalogue") & (links["line"] == 11)]
    assert row["rule"].tolist() == ["krs"]
    assert row["entity_id"].iloc[0] == entity_of("C10", truth, links)


def test_every_accepted_row_is_linked_once_and_no_row_is_invented(truth: pd.DataFrame,
                                                                  links: pd.DataFrame):
    linked = row_keys(links)
    assert len(linked) == len(set(linked)), "a source row is linked twice"
    expected = set(row_keys(clustered(truth)))
    assert expected - set(linked) == set(), "rows lost"
    assert set(linked) - expected == set(), "rows invented"
    assert links["entity_id"].str.fullmatch(r"PES-[0-9A-F]{12}").all()


def test_pairwise_precision_and_recall(truth: pd.DataFrame, links: pd.DataFrame):
    predicted = dict(zip(row_keys(links), links["entity_id"], strict=True))
    true = dict(zip(row_keys(clustered(truth)), clustered(truth)["cluster"], strict=True))
    scores = pairwise_scores(predicted, true)
    print(f"\nhand-labelled fixture: {scores}")
    assert (scores.rows, scores.true_pairs) == (63, 46)
    assert scores.precision >= 0.99
    assert scores.recall >= 0.99


def test_each_true_cluster_is_exactly_one_entity(truth: pd.DataFrame, links: pd.DataFrame):
    """On failure, the message names each wrong grouping with the notes of its rows."""
    rows = clustered(truth).merge(links, on=KEY)
    entities_of, clusters_of = defaultdict(set), defaultdict(set)
    for cluster, entity in zip(rows["cluster"], rows["entity_id"], strict=True):
        entities_of[cluster].add(entity)
        clusters_of[entity].add(cluster)
    split = {c: sorted(e) for c, e in entities_of.items() if len(e) > 1}
    merged = {e: sorted(c) for e, c in clusters_of.items() if len(c) > 1}

    def described(clusters: list[str]) -> str:
        picked = rows[rows["cluster"].isin(clusters)]
        return "\n".join(f"  {r.cluster} {r.source}:{r.file}:{r.line} [{r.entity_id}, "
                         f"{r.rule}] {r.note}" for r in picked.itertuples())

    problems = [f"{c} split over {len(e)} entities:\n{described([c])}"
                for c, e in split.items()]
    problems += [f"{e} merges {c}:\n{described(c)}" for e, c in merged.items()]
    assert not problems, "\n".join(problems)


def test_founder_and_unit_are_two_entities_linked_by_founder(resolved: Refresh,
                                                             truth: pd.DataFrame,
                                                             links: pd.DataFrame):
    entities = resolved.query("select entity_id, kind, founder_entity_id from core.pes_entity")
    founder_of = dict(zip(entities["entity_id"], entities["founder_entity_id"], strict=True))
    for unit, founder in FOUNDERS.items():
        unit_id = entity_of(unit, truth, links)
        expected = entity_of(founder, truth, links) if founder else None
        assert unit_id != expected, f"{unit} merged into its founder {founder}"
        assert (founder_of[unit_id] if pd.notna(founder_of[unit_id]) else None) == expected, unit


@pytest.mark.parametrize(("one", "other"), [("C04", "C05"), ("C18", "C29"), ("C07", "C08")],
                         ids=["same name, two gminas", "same unit name, two gminas",
                              "same name and gmina, two NIPs"])
def test_namesakes_stay_two(truth: pd.DataFrame, links: pd.DataFrame, one: str, other: str):
    assert entity_of(one, truth, links) != entity_of(other, truth, links)


def test_counted_entities_by_kind_and_unit_type(resolved: Refresh, truth: pd.DataFrame,
                                                links: pd.DataFrame):
    """29 counted of 30: C13 is known only from KRS (see the hand count above)."""
    uncounted = links[~links["counted"].astype(bool)].merge(truth, on=KEY)
    assert list(uncounted["cluster"]) == ["C13"]
    entities = resolved.query("select kind, entity_type from core.pes_entity")
    assert len(entities) == 29
    assert entities["kind"].value_counts().to_dict() == {"legal": 19, "unit": 10}
    units = entities.loc[entities["kind"] == "unit", "entity_type"].value_counts().to_dict()
    assert units == {"cis": 3, "kis": 3, "zaz": 2, "wtz": 2}


def test_rules_of_rows_without_identifiers_and_of_lone_rows(truth: pd.DataFrame,
                                                            links: pd.DataFrame):
    """Rows with no identifier of their own that join others do so by name and place
    (catalogue 5, 14, 20, 22; KIS 4); the seven one-row clusters are `alone`."""
    rows = clustered(truth).merge(links, on=KEY)
    by_name = {("pes_catalogue", 5), ("pes_catalogue", 14), ("pes_catalogue", 20),
               ("pes_catalogue", 22), ("kis_register", 4)}
    named = rows[[(s, n) in by_name for s, n in zip(rows["source"], rows["line"], strict=True)]]
    assert set(named["rule"]) == {"name_place"}, named[["cluster", "line", "rule"]]
    sizes = rows["cluster"].map(rows["cluster"].value_counts())
    lone = rows[sizes == 1]
    assert sorted(lone["cluster"]) == ["C03", "C13", "C20", "C22", "C25", "C29", "C30"]
    assert set(lone["rule"]) == {"alone"}, lone[["cluster", "rule"]]


def test_pairwise_scores_by_hand():
    """Rows a..f; truth {a,b,c} {d,e} {f}; predicted {a,b} {c,d,e} {f}, and g only predicted.

    g is left out (in one mapping only): 6 rows. True pairs: 3 + 1 = 4 (ab ac bc, de).
    Predicted pairs: 1 + 3 = 4 (ab, cd ce de). Common: ab and de = 2 (contingency cells
    {a,b}: C(2,2) = 1, {c}: 0, {d,e}: 1, {f}: 0). Precision 2/4, recall 2/4.
    """
    truth = {"a": "T1", "b": "T1", "c": "T1", "d": "T2", "e": "T2", "f": "T3"}
    predicted = {"a": "P1", "b": "P1", "c": "P2", "d": "P2", "e": "P2", "f": "P3", "g": "P1"}
    scores = pairwise_scores(predicted, truth)
    assert (scores.rows, scores.predicted_pairs, scores.true_pairs, scores.common_pairs) == (
        6, 4, 4, 2)
    assert (scores.precision, scores.recall) == (0.5, 0.5)


def test_pairwise_scores_without_pairs_are_perfect():
    """Nothing paired claims nothing false (precision 1); nothing to find misses nothing."""
    singletons = {"a": "P1", "b": "P2"}
    assert pairwise_scores(singletons, {"a": "T", "b": "T"}).precision == 1.0
    assert pairwise_scores({"a": "P", "b": "P"}, {"a": "T1", "b": "T2"}).recall == 1.0
    assert pairwise_scores({"a": "P", "b": "P"}, {"a": "T1", "b": "T2"}).precision == 0.0


def test_truth_file_names_only_files_of_the_inbox(resolved: Refresh, truth: pd.DataFrame):
    files = {path.name for path in Path(resolved.inbox).rglob("*") if path.is_file()}
    assert set(truth["file"]) == files
