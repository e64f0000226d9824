"""How well an entity resolution agrees with a hand-made (or generated) truth.

Scored on pairs of source rows: a pair is "predicted" when the resolution puts both rows in one
entity and "true" when the truth does. Pairwise scores weigh a wrong merge of two big clusters
heavily and a stray singleton lightly, which is what matters for counting entities once: a
false merge hides many rows at a time, a false split double-counts one entity. Cluster labels
are arbitrary on both sides (entity ids vs hand labels), so only co-membership is compared.

The pair counts come from the contingency table of (predicted, true) labels as sums of
n choose 2, so scoring ten thousand rows never enumerates fifty million pairs.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Hashable, Iterable, Mapping
from dataclasses import dataclass


@dataclass(frozen=True)
class MatchScores:
    rows: int
    predicted_pairs: int
    true_pairs: int
    common_pairs: int
    precision: float
    recall: float


def _pairs(cluster_sizes: Iterable[int]) -> int:
    return sum(size * (size - 1) // 2 for size in cluster_sizes)


def pairwise_scores(
    predicted: Mapping[Hashable, str], truth: Mapping[Hashable, str]
) -> MatchScores:
    """Pairwise precision and recall over the row keys present in both mappings.

    Precision is 1.0 when nothing was paired (no claim, no false claim); recall is 1.0 when the
    truth has no pairs (nothing to find). Rows in only one mapping are left out: a lost or an
    invented row is a completeness fault for the caller to report, not a matching one.
    """
    keys = predicted.keys() & truth.keys()
    predicted_pairs = _pairs(Counter(predicted[key] for key in keys).values())
    true_pairs = _pairs(Counter(truth[key] for key in keys).values())
    common_pairs = _pairs(Counter((predicted[key], truth[key]) for key in keys).values())
    return MatchScores(
        rows=len(keys),
        predicted_pairs=predicted_pairs,
        true_pairs=true_pairs,
        common_pairs=common_pairs,
        precision=common_pairs / predicted_pairs if predicted_pairs else 1.0,
        recall=common_pairs / true_pairs if true_pairs else 1.0,
    )
