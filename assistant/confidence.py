"""Signals the answer layer uses: which route-map step a question is about, and whether
the sources say anything about it at all (so the assistant can abstain)."""

from __future__ import annotations

from collections.abc import Sequence


def predict_step(hits: Sequence, top: int = 5) -> int | None:
    """Rank-weighted vote of the steps of the best passages; None when none carries a step."""
    votes: dict[int, float] = {}
    for hit in hits[:top]:
        steps = hit.passage.steps
        for step in steps:
            weight = 1.0 / hit.rank / len(steps)
            if hit.passage.steps_inferred:
                weight *= 0.5  # a step the report assigned itself outweighs a guessed one
            votes[step] = votes.get(step, 0.0) + weight
    if not votes:
        return None
    return max(sorted(votes), key=lambda s: votes[s])


def retrieval_confidence(hits: Sequence) -> float:
    """How well the best passages match: the top dense similarity plus a bonus when the
    lexical and dense rankings agree on a passage. 0.0 when nothing was found."""
    if not hits:
        return 0.0
    best_dense = max(h.signals.get("dense", 0.0) for h in hits[:5])
    agreement = max((1.0 / (h.dense_rank + h.lexical_rank) for h in hits[:5]
                     if h.dense_rank and h.lexical_rank), default=0.0)
    return best_dense + agreement
