"""Rank fusion as pure functions: the hybrid retriever's arithmetic, testable with literals."""

from __future__ import annotations

import math
from collections.abc import Sequence


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
