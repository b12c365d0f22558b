"""Hybrid retrieval: dense (Chroma) and Dutch BM25, fused by reciprocal rank, with filters.

The same class serves the 'dense' and 'lexical' baselines of the eval harness.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np

from assistant.fusion import reciprocal_rank_fusion
from ingest.model import Passage
from ingest.vectorstore import chroma_where

MODES = ("hybrid", "dense", "lexical")


@dataclass(frozen=True)
class Filters:
    kinds: tuple[str, ...] = ()
    steps: tuple[int, ...] = ()
    doc_ids: tuple[str, ...] = ()

    def allows(self, p: Passage) -> bool:
        return ((not self.kinds or p.kind in self.kinds)
                and (not self.doc_ids or p.doc_id in self.doc_ids)
                and (not self.steps or any(s in p.steps for s in self.steps)))

    @property
    def empty(self) -> bool:
        return not (self.kinds or self.steps or self.doc_ids)


@dataclass
class Hit:
    passage: Passage
    score: float
    rank: int
    dense_rank: int | None = None
    lexical_rank: int | None = None
    signals: dict[str, float] = field(default_factory=dict)


class HybridRetriever:
    def __init__(self, index, embedder, mode: str = "hybrid", candidates: int = 50,
                 rrf_k: int = 60, weights: tuple[float, float] = (1.0, 1.0)) -> None:
        if mode not in MODES:
            raise ValueError(f"mode must be one of {MODES}")
        self.index = index
        self.embedder = embedder
        self.mode = mode
        self.candidates = candidates
        self.rrf_k = rrf_k
        self.weights = weights
        self._rows = index.row_of

    def _lexical_ranking(self, query: str, filters: Filters) -> list[tuple[str, float]]:
        scores = self.index.lexical.scores(query)
        if not filters.empty:
            mask = np.array([filters.allows(p) for p in self.index.passages], dtype=bool)
            scores = np.where(mask, scores, 0.0)
        order = np.argsort(-scores, kind="stable")[: self.candidates]
        return [(self.index.passages[i].id, float(scores[i])) for i in order if scores[i] > 0]

    def _dense_ranking(self, query: str, filters: Filters) -> list[tuple[str, float]]:
        vector = self.embedder.embed_query(query)
        where = chroma_where(filters.kinds, filters.steps, filters.doc_ids)
        k = min(self.candidates, len(self.index.passages))
        return self.index.vectors.search(vector, k, where)

    def search(self, query: str, k: int = 8, filters: Filters | None = None) -> list[Hit]:
        filters = filters or Filters()
        if not query.strip():
            return []
        rankings: list[list[str]] = []
        weights: list[float] = []
        dense: list[tuple[str, float]] = []
        lexical: list[tuple[str, float]] = []
        if self.mode in ("hybrid", "dense"):
            dense = self._dense_ranking(query, filters)
            rankings.append([pid for pid, _ in dense])
            weights.append(self.weights[0])
        if self.mode in ("hybrid", "lexical"):
            lexical = self._lexical_ranking(query, filters)
            rankings.append([pid for pid, _ in lexical])
            weights.append(self.weights[1])
        fused = reciprocal_rank_fusion(rankings, weights, k=self.rrf_k)
        dense_at = {pid: (r, s) for r, (pid, s) in enumerate(dense, start=1)}
        lexical_at = {pid: (r, s) for r, (pid, s) in enumerate(lexical, start=1)}
        top_lexical = lexical[0][1] if lexical else 0.0
        hits = []
        for pid, score in fused:
            passage = self.index.by_id.get(pid)
            if passage is None or not filters.allows(passage):
                continue
            d_rank, d_sim = dense_at.get(pid, (None, 0.0))
            l_rank, l_score = lexical_at.get(pid, (None, 0.0))
            hits.append(Hit(passage=passage, score=round(score, 6), rank=len(hits) + 1,
                            dense_rank=d_rank, lexical_rank=l_rank,
                            signals={"dense": d_sim, "lexical": l_score,
                                     "lexical_top": top_lexical}))
            if len(hits) == k:
                break
        return hits


def hits_to_json(hits: Sequence[Hit]) -> list[dict]:
    """The search contract: one dict per hit with the passage's citation fields."""
    return [
        {
            "rank": h.rank, "id": h.passage.id, "doc_id": h.passage.doc_id,
            "title": h.passage.title, "kind": h.passage.kind, "page": h.passage.page,
            "section": h.passage.section, "block": h.passage.block, "steps": h.passage.steps,
            "steps_inferred": h.passage.steps_inferred, "wegwijzer": h.passage.wegwijzer,
            "speaker": h.passage.speaker, "places": h.passage.places,
            "text": h.passage.text, "score": h.score,
        }
        for h in hits
    ]
