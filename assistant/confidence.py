"""Signals the answer layer uses: which route-map step a question is about, and whether
the sources say anything about it at all (so the assistant can abstain)."""

from __future__ import annotations

import math
from collections.abc import Sequence

LEXICAL_WEIGHT = 0.4  # per unit of log BM25 score, against 1.0 for full word coverage

# Abstain below this confidence: the one place it is set. Calibrated on the dev split only, as
# the highest threshold that abstains on at most 5% of answerable dev questions; reproduce with
#   REGIOWIJZER_HOME=/tmp/rw regiowijzer eval --split dev --no-baseline
# and read "threshold" of "hybride (ons): score-fusie" in evals/results/latest.json (0.6807,
# rounded down). On dev it flags 6 of 10 unanswerable and 4 of 80 answerable questions.
ABSTAIN_BELOW = 0.68
# Between ABSTAIN_BELOW and this, the assistant answers with a visible "weinig houvast" notice.
CAUTION_BELOW = 0.75


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
    """How sure retrieval is that the sources cover the question, about 0 to 1.

    Half of it is how much of the question the corpus knows at all (the share of the
    question's own words in the index vocabulary: "WhatsApp-groep" or "ESF+-subsidie" are not),
    half how strongly the best passage matches (log of its glossary-weighted BM25 score). On the
    dev questions these two separated unanswerable from answerable questions better than the
    dense similarity or ranker agreement, which barely differ between the two with MiniLM.
    0.0 when nothing was found.
    """
    if not hits:
        return 0.0
    signals = hits[0].signals
    coverage = signals.get("coverage", 1.0)
    strength = math.log1p(max(signals.get("lexical_top", 0.0), 0.0))
    return (coverage + LEXICAL_WEIGHT * strength) / 2
