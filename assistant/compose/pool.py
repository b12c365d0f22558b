"""The quotable sentences of the evidence for one question, and the numbered citations used."""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping, Sequence

from assistant.compose.answer import Citation, Point
from assistant.compose.context import ComposerContext
from assistant.compose.evidence import Evidence
from assistant.compose.select import Candidate, passage_prior, relevance, score_candidate
from assistant.compose.sentences import is_question
from ingest.index.passage import Passage


class SentencePool:
    """Sentences of every passage in the evidence, split into claims and questions."""

    def __init__(self, evidence: Evidence, ctx: ComposerContext) -> None:
        self.ctx = ctx
        self.evidence = evidence
        self.terms = ctx.query_terms(evidence.question)
        self.hits = evidence.passages()
        main_ids = [h.passage.id for h in evidence.hits]
        ranks = {pid: r for r, pid in enumerate(main_ids, start=1)}
        extra = len(main_ids)
        for step in sorted(evidence.step_hits):
            for hit in evidence.step_hits[step]:
                if hit.passage.id not in ranks:
                    extra += 1
                    ranks[hit.passage.id] = extra
        self.ranks = ranks
        self.claims: list[Candidate] = []
        self.questions: list[Candidate] = []
        self.priors: dict[str, float] = {}  # passage id -> how close the passage is, 0..1
        best_dense = max((h.dense for h in evidence.hits), default=0.0)
        for pid in sorted(ranks, key=ranks.get):
            hit = self.hits[pid]
            prior = self.priors[pid] = passage_prior(hit.dense, best_dense, ranks[pid])
            for position, text in enumerate(ctx.sentences(hit.passage)):
                c = Candidate(text=text, passage=hit.passage, rank=ranks[pid], hit_score=hit.score,
                              position=position, tokens=ctx.tokens(text), prior=prior)
                if is_question(text):
                    self.questions.append(c)
                elif not text.endswith(":"):  # a lead-in ("De tien wegwijzers zijn:") says nothing
                    self.claims.append(c)

    def relevance(self, c: Candidate) -> float:
        return relevance(self.terms, c.tokens)

    def closeness(self, candidates: Sequence[Candidate]) -> dict[tuple, float]:
        """How close each candidate is in meaning to the question, 0..1 across these candidates
        (the best 1, the furthest 0): by the cross-encoder when one is configured, else by the
        sentence vectors; empty when there are neither."""
        vectors, query = self.ctx.sentence_vectors, self.evidence.query_vector
        if self.evidence.sentence_scorer is not None and candidates:
            scores = self.evidence.sentence_scorer([c.text for c in candidates])
            cosines = {c.key: float(s) for c, s in zip(candidates, scores, strict=True)}
        elif vectors is None or query is None:
            return {}
        else:
            cosines = {c.key: vectors.similarity(c.passage.id, c.text, query) for c in candidates}
        known = [v for v in cosines.values() if v is not None]
        if len(known) < 2:
            return {}
        low, high = min(known), max(known)
        spread = (high - low) or 1.0
        return {k: (v - low) / spread for k, v in cosines.items() if v is not None}

    def scored(self, candidates: Iterable[Candidate], prefer_blocks: Collection[str] = (),
               min_relevance: float = 0.0) -> list[tuple[float, Candidate]]:
        return [(score_candidate(c, self.terms, prefer_blocks), c) for c in candidates
                if self.relevance(c) >= min_relevance]

    def step_ids(self, step: int, main_top: int) -> set[str]:
        """Passages that count as evidence for a step: step-tagged hits of the main ranking's
        top, plus the relevant per-step hits."""
        ids = {h.passage.id for h in self.evidence.hits[:main_top] if step in h.passage.steps}
        ids |= {h.passage.id for h in self.evidence.step_hits.get(step, [])}
        return ids


class CitationBook:
    """Numbers passages in order of first use; remembers which sentences were quoted."""

    def __init__(self, ctx: ComposerContext, scores: Mapping[str, float]) -> None:
        self.ctx = ctx
        self.scores = scores
        self._by_id: dict[str, Citation] = {}
        self._quotes: dict[str, list[str]] = {}

    def cite(self, c: Candidate) -> int:
        return self.cite_text(c.passage, c.text)

    def cite_text(self, passage: Passage, text: str | None) -> int:
        pid = passage.id
        if pid not in self._by_id:
            source = self.ctx.source(passage.doc_id)
            title = None
            if passage.wegwijzer is not None:
                try:
                    title = self.ctx.routekaart.wegwijzer(passage.wegwijzer).titel
                except KeyError:
                    title = None
            self._by_id[pid] = Citation(
                n=len(self._by_id) + 1, passage=passage, score=self.scores.get(pid, 0.0),
                author=source.author if source else None, year=source.year if source else None,
                wegwijzer_title=title)
            self._quotes[pid] = []
        if text and text not in self._quotes[pid]:
            self._quotes[pid].append(text)
        return self._by_id[pid].n

    def point(self, c: Candidate) -> Point:
        return Point(text=c.text, citations=[self.cite(c)])

    def citations(self) -> list[Citation]:
        out = []
        for pid, citation in self._by_id.items():
            citation.quote = " … ".join(self._quotes[pid]) or None
            citation.quotes = list(self._quotes[pid])
            out.append(citation)
        return sorted(out, key=lambda c: c.n)
