"""Rank fusion as pure functions: the hybrid retriever's arithmetic, testable with literals."""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence


def reciprocal_rank_fusion(rankings: Sequence[Sequence[str]], weights: Sequence[float] | None = None,
                           k: int = 60) -> list[tuple[str, float]]:
    """Fuse ranked id lists: score(d) = sum_i w_i / (k + rank_i(d)), ranks starting at 1.

    Ties are broken by the best single rank, then by id, so the order is deterministic.
    """
    weights = list(weights) if weights is not None else [1.0] * len(rankings)
    if len(weights) != len(rankings):
        raise ValueError("one weight per ranking")
    contributions: dict[str, list[float]] = {}
    best_rank: dict[str, int] = {}
    for ranking, weight in zip(rankings, weights, strict=True):
        seen: set[str] = set()
        for rank, doc in enumerate(ranking, start=1):
            if doc in seen:
                continue  # a duplicate within one ranking counts once, at its best rank
            seen.add(doc)
            contributions.setdefault(doc, []).append(weight / (k + rank))
            best_rank[doc] = min(best_rank.get(doc, rank), rank)
    # fsum is exact, so the score does not depend on the order of the rankings.
    scores = {doc: math.fsum(parts) for doc, parts in contributions.items()}
    return sorted(scores.items(), key=lambda item: (-item[1], best_rank[item[0]], item[0]))


def min_max(scores: Mapping[str, float]) -> dict[str, float]:
    """Scale one ranker's candidate scores to [0, 1]; all-equal scores become 1.0."""
    if not scores:
        return {}
    low, high = min(scores.values()), max(scores.values())
    if high == low:
        return dict.fromkeys(scores, 1.0)
    return {doc: (s - low) / (high - low) for doc, s in scores.items()}


def weighted_score_fusion(score_lists: Sequence[Mapping[str, float]],
                          weights: Sequence[float] | None = None) -> list[tuple[str, float]]:
    """Fuse rankers by their min-max scaled scores: score(d) = sum_i w_i * scaled_i(d).

    A document a ranker did not return counts 0 there. Unlike reciprocal rank fusion this
    keeps how far apart the scores are, so a weak ranker with flat scores (an English model
    on Dutch text) moves the order only where it is sure. Ties: best weighted input, then id.
    """
    weights = list(weights) if weights is not None else [1.0] * len(score_lists)
    if len(weights) != len(score_lists):
        raise ValueError("one weight per ranking")
    fused: dict[str, float] = {}
    for scores, weight in zip(score_lists, weights, strict=True):
        for doc, scaled in min_max(scores).items():
            fused[doc] = fused.get(doc, 0.0) + weight * scaled
    return sorted(fused.items(), key=lambda item: (-item[1], item[0]))
