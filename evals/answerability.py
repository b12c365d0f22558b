"""Train the answerability model (does the corpus answer this question at all?) on the tuning
questions, answerable and unanswerable alike, and calibrate its two thresholds.

The thresholds are chosen on 5-fold cross-validated probabilities, so they are set on
questions the model had not seen: abstain where at most ABSTAIN_TARGET of the answerable
tuning questions would be refused, caution where at most CAUTION_TARGET would carry the notice.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from assistant.retrieval.answerability import FEATURES, Answerability, feature_row
from evals.dataset import Query
from evals.harness import ABSTAIN_TARGET, CAUTION_TARGET
from evals.metrics import calibrate_threshold

C = 1.0


def collect(retriever, queries: Sequence[Query]) -> tuple[np.ndarray, np.ndarray, list[str]]:
    rows, labels, ids = [], [], []
    for q in queries:
        rows.append(feature_row(retriever.search(q.text, k=20).signals))
        labels.append(1 if q.answerable else 0)
        ids.append(q.id)
    return np.asarray(rows, dtype=np.float64), np.asarray(labels), ids


def _fit(x: np.ndarray, y: np.ndarray):
    from sklearn.linear_model import LogisticRegression

    mean, scale = x.mean(axis=0), x.std(axis=0)
    scale[scale == 0] = 1.0
    clf = LogisticRegression(C=C, class_weight="balanced", max_iter=5000, solver="lbfgs")
    clf.fit((x - mean) / scale, y)
    return mean, scale, clf


def _probabilities(mean, scale, clf, x) -> np.ndarray:
    return clf.predict_proba((x - mean) / scale)[:, 1]


def cross_validated(x: np.ndarray, y: np.ndarray, folds: int = 5) -> np.ndarray:
    order = np.random.default_rng(0).permutation(len(y))
    out = np.zeros(len(y))
    for f in range(folds):
        held = order[f::folds]
        train = np.setdiff1d(order, held)
        out[held] = _probabilities(*_fit(x[train], y[train]), x[held])
    return out


def auc(scores: np.ndarray, labels: np.ndarray) -> float:
    pos, neg = scores[labels == 1], scores[labels == 0]
    if not len(pos) or not len(neg):
        return float("nan")
    return float(((pos[:, None] > neg[None, :]).sum() + 0.5 * (pos[:, None] == neg[None, :]).sum())
                 / (len(pos) * len(neg)))


def train(retriever, queries: Sequence[Query], trained_on: str) -> tuple[Answerability, str]:
    x, y, ids = collect(retriever, queries)
    cv = cross_validated(x, y)
    answerable = {q: bool(label) for q, label in zip(ids, y, strict=True)}
    probs = dict(zip(ids, cv, strict=True))
    abstain = calibrate_threshold(probs, answerable, ABSTAIN_TARGET)
    caution = max(abstain, calibrate_threshold(probs, answerable, CAUTION_TARGET))
    mean, scale, clf = _fit(x, y)
    model = Answerability(features=FEATURES, mean=tuple(round(float(v), 6) for v in mean),
                          scale=tuple(round(float(v), 6) for v in scale),
                          weights=tuple(round(float(v), 6) for v in clf.coef_[0]),
                          bias=round(float(clf.intercept_[0]), 6), abstain_below=round(abstain, 4),
                          caution_below=round(caution, 4), model=retriever.embedder.identity,
                          trained_on=trained_on)
    flagged = cv < abstain
    unanswerable = y == 0
    lines = ["## Beantwoordbaarheid", "",
             f"{len(y)} vragen ({int(unanswerable.sum())} onbeantwoordbaar); AUC kruisgevalideerd "
             f"{auc(cv, y):.3f}.", "",
             f"Drempel onthouden {abstain:.3f}: herkent {flagged[unanswerable].mean():.2f} van de "
             f"onbeantwoordbare, weigert {flagged[~unanswerable].mean():.2f} van de beantwoordbare "
             f"(kruisgevalideerd); *Weinig houvast* onder {caution:.3f}.", "",
             "| kenmerk | gewicht |", "|---|---|"]
    lines += [f"| {n} | {w:+.3f} |" for n, w in zip(model.features, model.weights, strict=True)]
    return model, "\n".join(lines) + "\n"
