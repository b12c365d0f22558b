"""`python -m evals.ranker`: train the ranking stage on the tuning questions (dev + val).

For every answerable tuning question, each candidate of the hybrid search (both rankers'
top-k) becomes a row of features, labelled 1 when the passage holds a gold quote. A logistic
regression on standardised features is cross-validated by question (5 folds) for the report,
then fitted on all rows and written to assistant/retrieval/ranker.json. Deterministic: the
same index and questions give the same weights, which a test checks against the shipped file.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from collections.abc import Sequence
from pathlib import Path

import numpy as np

import evals.answerability as answerability_model
from assistant.retrieval.answerability import ANSWERABILITY_FILE
from assistant.retrieval.rerank import (
    FEATURES,
    RANKER_FILE,
    LinearRanker,
    QuestionCues,
    candidate_signals,
    feature_rows,
)
from evals.dataset import GoldQuote, Query, load_evidence, load_queries, resolve_qrels

TUNING = ("dev", "val")
C = 1.0  # inverse regularisation; the report's fold figures barely move between 0.1 and 10
RESULTS_MD = Path(__file__).resolve().parent / "results" / "ranker.md"


def candidate_rows(retriever, question: str) -> tuple[list[str], np.ndarray]:
    """(candidate ids in fused order, their feature rows) for one question, unfiltered."""
    text, expansion = retriever.understand(question)
    from assistant.retrieval.hybrid import Filters

    dense = retriever._dense_ranking(retriever.query_vector(text, expansion), Filters())
    fields = retriever.lexical_fields(text, expansion.weights)
    lexical = retriever._lexical_ranking(fields, Filters())
    signals = candidate_signals(retriever, expansion, fields, dense, lexical,
                                retriever._fuse(dense, lexical))
    return [c.passage.id for c in signals], feature_rows(signals, QuestionCues.of(question))


def collect(retriever, queries: Sequence[Query], evidence: Sequence[GoldQuote]):
    """Rows, labels and the question of each row, for the answerable questions given."""
    passages = [(p.id, p.doc_id, p.text) for p in retriever.index.passages]
    qrels = resolve_qrels(passages, evidence)
    rows, labels, groups = [], [], []
    for q in queries:
        if not q.answerable or not qrels.get(q.id):
            continue
        ids, x = candidate_rows(retriever, q.text)
        rows.append(x)
        labels.extend(1 if qrels[q.id].get(pid, 0) > 0 else 0 for pid in ids)
        groups.extend([q.id] * len(ids))
    return np.vstack(rows), np.asarray(labels), np.asarray(groups)


def fit(x: np.ndarray, y: np.ndarray, model: str, trained_on: str = "") -> LinearRanker:
    from sklearn.linear_model import LogisticRegression

    mean = x.mean(axis=0)
    scale = x.std(axis=0)
    scale[scale == 0] = 1.0
    clf = LogisticRegression(C=C, class_weight="balanced", max_iter=5000, solver="lbfgs")
    clf.fit((x - mean) / scale, y)
    return LinearRanker(features=FEATURES, mean=tuple(round(float(v), 6) for v in mean),
                        scale=tuple(round(float(v), 6) for v in scale),
                        weights=tuple(round(float(v), 6) for v in clf.coef_[0]),
                        bias=round(float(clf.intercept_[0]), 6), model=model, trained_on=trained_on)


def ranked_metrics(ranker: LinearRanker | None, x, y, groups) -> dict[str, float]:
    """hit@1, hit@5 and MRR@10 of the ranker's order (None: the fused order) per question."""
    hits1 = hits5 = rr = 0.0
    questions = list(dict.fromkeys(groups))
    for g in questions:
        mask = groups == g
        labels = y[mask]
        order = np.arange(mask.sum()) if ranker is None else np.argsort(-ranker.scores(x[mask]),
                                                                         kind="stable")
        ranked = labels[order]
        first = int(np.argmax(ranked)) if ranked.any() else None
        hits1 += first == 0
        hits5 += first is not None and first < 5
        rr += 1.0 / (first + 1) if first is not None and first < 10 else 0.0
    n = len(questions)
    return {"hit@1": hits1 / n, "hit@5": hits5 / n, "MRR@10": rr / n, "questions": n}


def cross_validate(x, y, groups, model: str, folds: int = 5) -> dict[str, float]:
    """The ranker's figures on questions it was not fitted on, folds split by question."""
    questions = sorted(set(groups))
    rng = np.random.default_rng(0)
    rng.shuffle(questions)
    parts = [set(questions[i::folds]) for i in range(folds)]
    scored = {"hit@1": 0.0, "hit@5": 0.0, "MRR@10": 0.0, "questions": 0}
    for held in parts:
        test = np.isin(groups, list(held))
        ranker = fit(x[~test], y[~test], model)
        m = ranked_metrics(ranker, x[test], y[test], groups[test])
        for key in ("hit@1", "hit@5", "MRR@10"):
            scored[key] += m[key] * m["questions"]
        scored["questions"] += m["questions"]
    return {k: (v / scored["questions"] if k != "questions" else v) for k, v in scored.items()}


def train(retriever, splits: Sequence[str] = TUNING) -> tuple[LinearRanker, str]:
    """The ranker fitted on the given splits, and a Markdown report of what it learned."""
    queries = [q for q in load_queries() if q.split in splits]
    x, y, groups = collect(retriever, queries, load_evidence())
    model = retriever.embedder.identity
    ranker = fit(x, y, model, trained_on="+".join(splits))
    fused = ranked_metrics(None, x, y, groups)
    cv = cross_validate(x, y, groups, model)
    lines = [f"# Ranker ({'+'.join(splits)}, {int(cv['questions'])} vragen, {len(y)} kandidaten, "
             f"{int(y.sum())} raak)", "", f"Model: `{model}`", "",
             "| volgorde | hit@1 | hit@5 | MRR@10 |", "|---|---|---|---|",
             f"| fusie (zonder ranker) | {fused['hit@1']:.3f} | {fused['hit@5']:.3f} | "
             f"{fused['MRR@10']:.3f} |",
             f"| ranker, 5-voudig kruisgevalideerd per vraag | {cv['hit@1']:.3f} | {cv['hit@5']:.3f} | "
             f"{cv['MRR@10']:.3f} |", "", "Gewichten (op gestandaardiseerde kenmerken):", "",
             "| kenmerk | gewicht |", "|---|---|"]
    lines += [f"| {name} | {w:+.3f} |" for name, w in
              sorted(zip(ranker.features, ranker.weights, strict=True), key=lambda fw: -abs(fw[1]))]
    return ranker, "\n".join(lines) + "\n"


def main(argv: Sequence[str] | None = None) -> int:
    from assistant.retrieval.hybrid import HybridRetriever
    from ingest.build import ingest
    from ingest.config import load_settings, quiet_third_parties
    from ingest.index.embedders import make_embedder
    from ingest.index.reader import open_index

    quiet_third_parties()
    parser = argparse.ArgumentParser(prog="python -m evals.ranker", description=__doc__)
    parser.add_argument("--write", action="store_true", help=f"schrijf {RANKER_FILE.name} en het rapport")
    args = parser.parse_args(argv)
    settings = load_settings()
    embedder = make_embedder(settings)
    ingest(settings, progress=sys.stderr.isatty(), embedder=embedder)
    index = open_index(settings, embedder.identity)
    ranker, report = train(HybridRetriever(index, embedder))
    ranker_file = RANKER_FILE if args.write else Path(tempfile.mkdtemp()) / RANKER_FILE.name
    ranker_file.write_text(ranker.to_json(), encoding="utf-8")
    # The answerability model learns from searches that use this ranker (its top probability).
    tuning = [q for q in load_queries() if q.split in TUNING]
    with_ranker = HybridRetriever(index, embedder)
    with_ranker.ranker = LinearRanker.from_json(ranker_file.read_text(encoding="utf-8"))
    answerability, part = answerability_model.train(with_ranker, tuning, "+".join(TUNING))
    report += "\n" + part
    print(report)
    if args.write:
        ANSWERABILITY_FILE.write_text(answerability.to_json(), encoding="utf-8")
        RESULTS_MD.write_text(report, encoding="utf-8")
        print(f"Geschreven: {RANKER_FILE}, {ANSWERABILITY_FILE} en {RESULTS_MD}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
