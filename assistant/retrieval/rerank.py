"""The ranking stage: a small learned linear model over the candidates of both rankers.

Fusion adds two rankings with one weight for every question; the ranker instead looks at each
candidate's own signals (each BM25 field, the dense similarity, how many of the question's
words the passage holds, its block type against the kind of question) and learns from the
eval's tuning questions (dev + val) how much each is worth. Its weights are a data file
(`ranker.json`, written by `python -m evals.ranker`), so what it does can be read off.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from pathlib import Path

import numpy as np

from ingest.index.dutch import fold
from ingest.index.passage import Passage

RANKER_FILE = Path(__file__).with_name("ranker.json")

_HOW = re.compile(r"\b(hoe|aanpak|aanpakken|tips?|advies|wat kan|wat kunnen|wat moet|stappen)\b")
_EXAMPLE = re.compile(r"\b(voorbeelden?|praktijk|verhalen?|ervaring\w*|casus\w*)\b")
_DEFINITION = re.compile(r"^(wat (is|zijn|betekent|betekenen)|wat (wordt|bedoel\w*)|definitie)\b")
BLOCKS = ("verhaal", "onderzoek", "handreiking", "perspectief", "stap")

FEATURES = (
    "fused_share",  # the fusion score relative to the question's best (the ranking before this stage)
    "fused_rr",  # 1 / fused rank
    "bm25_share",  # the passage's main BM25 score relative to the question's best
    "bm25_log",  # log(1 + main BM25 score)
    "context_share",  # the route-map field, relative to the best
    "grams_share",  # the character n-gram field, relative to the best
    "dense",  # dense cosine similarity
    "dense_gap",  # dense similarity minus the question's best
    "lexical_rr",  # 1 / lexical rank (0 outside the lexical top-k)
    "dense_rr",  # 1 / dense rank
    "term_share",  # share of the question's own words the passage holds
    "expanded_share",  # weighted share of the glossary-expanded query the passage holds
    *(f"block_{b}" for b in BLOCKS),
    "how_x_handreiking",  # a how-question meeting advice
    "example_x_story",  # an example question meeting a story or case
    "definition_x_text",  # a definition question meeting plain text
    "length",  # words / 150
)


@dataclass(frozen=True)
class QuestionCues:
    how: bool
    example: bool
    definition: bool

    @classmethod
    def of(cls, question: str) -> QuestionCues:
        q = fold(question)
        return cls(bool(_HOW.search(q)), bool(_EXAMPLE.search(q)), bool(_DEFINITION.search(q.strip())))


@dataclass(frozen=True)
class CandidateSignals:
    """What the two rankers know about one candidate passage for one question."""

    passage: Passage
    bm25: float
    context: float
    grams: float
    dense: float
    lexical_rank: int | None
    dense_rank: int | None
    term_share: float
    expanded_share: float
    fused: float = 0.0
    fused_rank: int = 0


def feature_rows(candidates: Sequence[CandidateSignals], cues: QuestionCues) -> np.ndarray:
    """One row of FEATURES per candidate; the question's best values scale the relative ones."""
    if not candidates:
        return np.zeros((0, len(FEATURES)), dtype=np.float64)
    best_bm25 = max(c.bm25 for c in candidates) or 1.0
    best_context = max(c.context for c in candidates) or 1.0
    best_grams = max(c.grams for c in candidates) or 1.0
    best_dense = max(c.dense for c in candidates)
    best_fused = max(c.fused for c in candidates) or 1.0
    rows = []
    for c in candidates:
        block = c.passage.block
        rows.append([
            c.fused / best_fused, 1.0 / c.fused_rank if c.fused_rank else 0.0,
            c.bm25 / best_bm25, math.log1p(max(c.bm25, 0.0)), c.context / best_context,
            c.grams / best_grams, c.dense, c.dense - best_dense,
            1.0 / c.lexical_rank if c.lexical_rank else 0.0,
            1.0 / c.dense_rank if c.dense_rank else 0.0,
            c.term_share, c.expanded_share,
            *(1.0 if block == b else 0.0 for b in BLOCKS),
            1.0 if cues.how and block == "handreiking" else 0.0,
            1.0 if cues.example and (block == "verhaal" or c.passage.kind == "casus") else 0.0,
            1.0 if cues.definition and block == "tekst" else 0.0,
            len(c.passage.text.split()) / 150,
        ])
    return np.asarray(rows, dtype=np.float64)


@dataclass(frozen=True)
class LinearRanker:
    """Standardised features times learned weights; the score is the logistic probability
    that the candidate answers the question."""

    features: tuple[str, ...]
    mean: tuple[float, ...]
    scale: tuple[float, ...]
    weights: tuple[float, ...]
    bias: float
    model: str  # the embedding model whose similarities it was trained on
    trained_on: str = ""  # which questions, for the report

    def scores(self, rows: np.ndarray) -> np.ndarray:
        if rows.shape[0] == 0:
            return np.zeros(0)
        z = (rows - np.asarray(self.mean)) / np.asarray(self.scale)
        return 1.0 / (1.0 + np.exp(-(z @ np.asarray(self.weights) + self.bias)))

    def to_json(self) -> str:
        return json.dumps(asdict(self), ensure_ascii=False, indent=2) + "\n"

    @classmethod
    def from_json(cls, text: str) -> LinearRanker:
        data = json.loads(text)
        return cls(**{k: tuple(v) if isinstance(v, list) else v for k, v in data.items()})


def load_ranker(model_identity: str, path: Path = RANKER_FILE) -> LinearRanker | None:
    """The shipped ranker when it was trained for this embedding model and these features."""
    try:
        ranker = LinearRanker.from_json(path.read_text(encoding="utf-8"))
    except (OSError, ValueError, TypeError):
        return None
    if ranker.model != model_identity or ranker.features != FEATURES:
        return None
    return ranker


def candidate_signals(retriever, expansion, fields: dict[str, np.ndarray],
                      dense: Sequence[tuple[str, float]], lexical: Sequence[tuple[str, float]],
                      fused: Sequence[tuple[str, float]]) -> list[CandidateSignals]:
    """The signals of each fused candidate (the union of both rankers' top-k), in fused order."""
    index = retriever.index
    row_of = retriever.row_of
    dense_at = {pid: (r, s) for r, (pid, s) in enumerate(dense, start=1)}
    lexical_rank = {pid: r for r, (pid, _) in enumerate(lexical, start=1)}
    own = dict.fromkeys(expansion.original, 1.0)
    own_present = index.lexical.presence(own)
    all_present = index.lexical.presence(expansion.weights)
    total = sum(expansion.weights.values()) or 1.0
    zeros = np.zeros(len(index.passages), dtype=np.float32)
    bm25, context, grams = (fields.get(name, zeros) for name in ("bm25", "context", "grams"))
    out = []
    for rank, (pid, fused_score) in enumerate((f for f in fused if f[0] in row_of), start=1):
        i = row_of[pid]
        d_rank, d_sim = dense_at.get(pid, (None, 0.0))
        out.append(CandidateSignals(
            passage=index.passages[i], bm25=float(bm25[i]), context=float(context[i]),
            grams=float(grams[i]), dense=float(d_sim), lexical_rank=lexical_rank.get(pid),
            dense_rank=d_rank, term_share=float(own_present[i]) / (len(own) or 1),
            expanded_share=float(all_present[i]) / total, fused=float(fused_score), fused_rank=rank))
    return out


def rerank(retriever, ranker: LinearRanker, query: str, expansion, fields, dense, lexical,
           fused: Sequence[tuple[str, float]]) -> list[tuple[str, float]]:
    """The fused candidates (both rankers' top-k) reordered by the ranker's probability, best
    first; ties keep the fused order."""
    candidates = candidate_signals(retriever, expansion, fields, dense, lexical, fused)
    ids = [c.passage.id for c in candidates]
    scores = ranker.scores(feature_rows(candidates, QuestionCues.of(query)))
    order = sorted(range(len(ids)), key=lambda j: -scores[j])
    return [(ids[j], float(scores[j])) for j in order]
