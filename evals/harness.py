"""`python -m evals eval`: every retriever side by side on the same questions, in one run.

Prints one table per split and saves the figures (and the resolved qrels and runs, in
the BEIR shape) under evals/results/.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from evals.dataset import GoldQuote, Query, resolve_qrels, write_qrels_tsv
from evals.metrics import (
    abstention,
    calibrate_threshold,
    median,
    percentile,
    ranking_metrics,
    step_accuracy,
)

RESULTS_DIR = Path(__file__).resolve().parent / "results"


@dataclass
class RunResult:
    label: str
    split: str
    metrics: dict[str, float | None] = field(default_factory=dict)
    run: dict[str, dict[str, float]] = field(default_factory=dict)
    qrels: dict[str, dict[str, int]] = field(default_factory=dict)
    unresolved: list[str] = field(default_factory=list)


@dataclass
class System:
    """A retriever plus, where it has them, its step prediction and confidence signal."""

    runner: object
    predict_step: Callable[[str, list], int | None] | None = None
    confidence: Callable[[str, list], float] | None = None


# The abstention thresholds are calibrated per retriever on the tuning questions (dev + val):
# abstain where at most ABSTAIN_TARGET of their answerable questions would be refused, and add the
# "weinig houvast" caution where at most CAUTION_TARGET would carry it.
ABSTAIN_TARGET = 0.03
CAUTION_TARGET = 0.20


def evaluate(system: System, queries: Sequence[Query], evidence: Sequence[GoldQuote],
             tuning_queries: Sequence[Query], k: int = 10) -> RunResult:
    runner = system.runner
    passages = runner.passages()
    words = [len(text.split()) for _, _, text in passages]
    qrels = resolve_qrels(passages, evidence)
    result = RunResult(label=runner.label, split="")
    result.unresolved = sorted({e.query_id for e in evidence if not qrels.get(e.query_id)})

    def run_queries(qs: Sequence[Query]):
        run, latencies, steps, confidences = {}, [], {}, {}
        for q in qs:
            start = time.perf_counter()
            hits = runner.hits(q.text, k) if hasattr(runner, "hits") else None
            ranked = ([(h.passage.id, h.score) for h in hits] if hits is not None
                      else runner.search(q.text, k))
            latencies.append((time.perf_counter() - start) * 1000)
            run[q.id] = {pid: float(k - i) for i, (pid, _) in enumerate(ranked)}
            if system.predict_step and hits is not None:
                steps[q.id] = system.predict_step(q.text, hits)
            if system.confidence and hits is not None:
                confidences[q.id] = system.confidence(q.text, hits)
        return run, latencies, steps, confidences

    threshold = caution = None
    if system.confidence:
        _, _, _, tuning_conf = run_queries(tuning_queries)
        tuning = {q.id: q.answerable for q in tuning_queries}
        threshold = calibrate_threshold(tuning_conf, tuning, ABSTAIN_TARGET)
        caution = max(threshold, calibrate_threshold(tuning_conf, tuning, CAUTION_TARGET))

    run, latencies, steps, confidences = run_queries(queries)
    answerable = [q for q in queries if q.answerable]
    metrics: dict[str, float | None] = ranking_metrics(
        {q.id: qrels.get(q.id, {}) for q in answerable}, run)
    metrics["step_acc"] = (step_accuracy(steps, {q.id: q.step for q in answerable})
                           if system.predict_step else None)
    if threshold is not None:
        flags = {q.id: confidences[q.id] < threshold for q in queries}
        metrics.update(abstention(flags, {q.id: q.answerable for q in queries}))
        cautioned = {q.id: confidences[q.id] < caution for q in queries}
        unanswerable = [q.id for q in queries if not q.answerable]
        metrics["caution_recall"] = (sum(cautioned[q] for q in unanswerable) / len(unanswerable)
                                     if unanswerable else None)
        metrics["caution_answerable"] = (sum(cautioned[q.id] and not flags[q.id] for q in answerable)
                                         / len(answerable) if answerable else None)
        metrics["threshold"] = threshold
        metrics["caution_threshold"] = caution
    metrics["median_words"] = median(words)
    metrics["p50_ms"] = percentile(latencies, 50)
    metrics["p95_ms"] = percentile(latencies, 95)
    result.metrics = metrics
    result.run = run
    result.qrels = {q.id: qrels.get(q.id, {}) for q in queries}
    return result


COLUMNS = [("hit@1", "hit@1"), ("hit@3", "hit@3"), ("hit@5", "hit@5"), ("hit@10", "hit@10"),
           ("MRR@10", "MRR@10"), ("nDCG@10", "nDCG@10"), ("step_acc", "stap"),
           ("abstain_precision", "abst. P"), ("abstain_recall", "abst. R"),
           ("false_abstain", "fout-abst."), ("caution_recall", "let-op R"),
           ("caution_answerable", "let-op bij beantw."), ("median_words", "woorden"),
           ("p50_ms", "p50 ms"), ("p95_ms", "p95 ms")]


def format_table(results: Sequence[RunResult], title: str) -> str:
    header = "| retriever | " + " | ".join(label for _, label in COLUMNS) + " |"
    lines = [f"**{title}**", "", header, "|" + "---|" * (len(COLUMNS) + 1)]
    for r in results:
        cells = []
        for key, _ in COLUMNS:
            value = r.metrics.get(key)
            if value is None:
                cells.append("–")
            elif key in ("median_words",):
                cells.append(f"{value:.0f}")
            elif key.endswith("_ms"):
                cells.append(f"{value:.1f}")
            else:
                cells.append(f"{value:.2f}")
        lines.append(f"| {r.label} | " + " | ".join(cells) + " |")
    return "\n".join(lines)


def save(results_by_split: dict[str, list[RunResult]], tables: str, config: dict,
         out_dir: Path = RESULTS_DIR) -> Path:
    out_dir.mkdir(parents=True, exist_ok=True)
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    payload = {
        "created": stamp,
        "config": config,
        "results": {split: [{"retriever": r.label, "metrics": r.metrics,
                             "unresolved_evidence": r.unresolved} for r in rs]
                    for split, rs in results_by_split.items()},
    }
    (out_dir / "latest.json").write_text(json.dumps(payload, indent=2, ensure_ascii=False),
                                         encoding="utf-8")
    (out_dir / "latest.md").write_text(tables + "\n", encoding="utf-8")
    runs_dir = out_dir / "runs"
    runs_dir.mkdir(exist_ok=True)
    for split, rs in results_by_split.items():
        for r in rs:
            slug = "".join(c if c.isalnum() else "-" for c in r.label.lower()).strip("-")
            write_qrels_tsv(out_dir / "qrels" / f"{split}-{slug}.tsv", r.qrels)
            with (runs_dir / f"{split}-{slug}.tsv").open("w", encoding="utf-8") as fh:
                fh.write("query-id\tcorpus-id\tscore\n")
                for qid, docs in sorted(r.run.items()):
                    for pid, score in sorted(docs.items(), key=lambda x: -x[1]):
                        fh.write(f"{qid}\t{pid}\t{score:g}\n")
    return out_dir / "latest.json"


__all__ = ["System", "RunResult", "evaluate", "format_table", "save"]
