"""Metrics: ranking quality through ir-measures (trec_eval underneath), plus the few we need
that it lacks (step accuracy, abstention precision/recall, latency percentiles). Pure functions:
inputs are never mutated."""

from __future__ import annotations

import statistics
from collections.abc import Mapping, Sequence

RANKING_MEASURES = ("Success@1", "Success@3", "Success@5", "Success@10", "RR@10", "nDCG@10")
LABELS = {"Success@1": "hit@1", "Success@3": "hit@3", "Success@5": "hit@5",
          "Success@10": "hit@10", "RR@10": "MRR@10", "nDCG@10": "nDCG@10"}


def per_query(qrels: Mapping[str, Mapping[str, int]], run: Mapping[str, Mapping[str, float]],
              measures: Sequence[str] = RANKING_MEASURES) -> dict[str, dict[str, float]]:
    """measure -> {query: value} over the judged queries (those with a relevant passage; the
    unanswerable are left out); a query with no retrieved passage scores 0."""
    import ir_measures

    judged = {q: dict(docs) for q, docs in qrels.items() if any(g > 0 for g in docs.values())}
    out: dict[str, dict[str, float]] = {m: dict.fromkeys(judged, 0.0) for m in measures}
    if not judged:
        return out
    full_run = {q: dict(run.get(q, {})) or {"__none__": 0.0} for q in judged}
    parsed = {str(ir_measures.parse_measure(m)): m for m in measures}
    for metric in ir_measures.iter_calc([ir_measures.parse_measure(m) for m in measures],
                                        judged, full_run):
        out[parsed[str(metric.measure)]][metric.query_id] = metric.value
    return out


def ranking_metrics(qrels: Mapping[str, Mapping[str, int]],
                    run: Mapping[str, Mapping[str, float]]) -> dict[str, float]:
    """Mean over the judged queries; a query with no retrieved passage scores 0."""
    values = per_query(qrels, run)
    return {LABELS[m]: sum(v.values()) / len(v) if v else 0.0 for m, v in values.items()}


def percentile(values: Sequence[float], q: float) -> float:
    if not values:
        return 0.0
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(q / 100 * (len(ordered) - 1))))
    return ordered[index]


def abstention(flags: Mapping[str, bool], answerable: Mapping[str, bool]) -> dict[str, float]:
    """Precision/recall of abstaining on the unanswerable questions, and the false-abstain rate."""
    unanswerable = [q for q, ok in answerable.items() if not ok]
    answerable_q = [q for q, ok in answerable.items() if ok]
    flagged = [q for q, f in flags.items() if f]
    true_pos = sum(1 for q in flagged if not answerable[q])
    return {
        "abstain_precision": true_pos / len(flagged) if flagged else 1.0,
        "abstain_recall": true_pos / len(unanswerable) if unanswerable else 1.0,
        "false_abstain": (sum(1 for q in answerable_q if flags.get(q)) / len(answerable_q)
                          if answerable_q else 0.0),
    }


def step_accuracy(predicted: Mapping[str, int | None], gold: Mapping[str, int | None]) -> float | None:
    scored = [q for q, step in gold.items() if step is not None]
    if not scored:
        return None
    return sum(1 for q in scored if predicted.get(q) == gold[q]) / len(scored)


def calibrate_threshold(confidence: Mapping[str, float], answerable: Mapping[str, bool],
                        max_false_abstain: float = 0.05) -> float:
    """Highest threshold that abstains on at most `max_false_abstain` of answerable questions.

    Abstain when confidence < threshold. Chosen on development questions only.
    """
    answerable_conf = sorted(confidence[q] for q, ok in answerable.items() if ok)
    if not answerable_conf:
        return 0.0
    allowed = int(max_false_abstain * len(answerable_conf))
    # Abstaining below the (allowed)-th lowest answerable confidence flags at most `allowed`.
    return answerable_conf[allowed] if allowed < len(answerable_conf) else answerable_conf[-1]


def median(values: Sequence[float]) -> float:
    return float(statistics.median(values)) if values else 0.0


def hits_at(run: Mapping[str, Mapping[str, float]], qrels: Mapping[str, Mapping[str, int]],
            k: int = 5) -> dict[str, float]:
    """Per answerable question: 1.0 when a relevant passage is in the top k (the table's hit@k)."""
    return per_query(qrels, run, [f"Success@{k}"])[f"Success@{k}"]


def paired_bootstrap(a: Sequence[float], b: Sequence[float], samples: int = 2000,
                     seed: int = 0) -> tuple[float, float, float]:
    """Mean of a - b over paired questions, with its 95% bootstrap interval (questions resampled)."""
    import numpy as np

    diff = np.asarray(a, dtype=float) - np.asarray(b, dtype=float)
    if diff.size == 0:
        return 0.0, 0.0, 0.0
    rng = np.random.default_rng(seed)
    means = diff[rng.integers(0, diff.size, size=(samples, diff.size))].mean(axis=1)
    low, high = np.percentile(means, [2.5, 97.5])
    return float(diff.mean()), float(low), float(high)
