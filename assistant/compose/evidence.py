"""What the composer gets to work with: the main ranking plus, per route-map step, the
step-tagged passages that are relevant enough to fill that step from evidence."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from assistant.retrieval.confidence import retrieval_confidence
from assistant.retrieval.hybrid import Filters, Hit, QuerySignals

STEPS = (1, 2, 3, 4, 5)
MAIN_K = 20  # the main ranking the composer and the per-step relevance test see
PER_STEP_K = 4
DEPTH = 50  # how deep the one search goes that per-step evidence is drawn from
DENSE_MARGIN = 0.9  # a per-step hit outside the main top MAIN_K needs this share of the best dense


@dataclass
class Evidence:
    question: str  # the query as searched (after condensing a follow-up)
    hits: list[Hit]
    step_hits: dict[int, list[Hit]] = field(default_factory=dict)
    confidence: float = 0.0
    steps_considered: tuple[int, ...] = STEPS
    signals: QuerySignals = QuerySignals()
    ranked: list[Hit] = field(default_factory=list)  # the deep ranking (DEPTH) the steps drew on
    query_vector: object = None  # the question's dense vector, for sentence similarity
    # scores texts as answers to the question with the configured cross-encoder (None: not set);
    # when set it, not the sentence vectors, says how close a sentence is to the question
    sentence_scorer: Callable[[list[str]], Sequence[float]] | None = None
    # the answering spans of close bank questions: (passage id, quotes, lift 0..1), best first
    bank_spans: list[tuple[str, tuple[str, ...], float]] = field(default_factory=list)
    answer_span: object = None  # a close bank question (BankMatch) whose quotes answer this one

    def passages(self) -> dict[str, Hit]:
        """Every hit by passage id, the main ranking's hit winning over a per-step one."""
        out: dict[str, Hit] = {}
        for hits in [self.hits, *(self.step_hits[s] for s in sorted(self.step_hits))]:
            for hit in hits:
                out.setdefault(hit.passage.id, hit)
        return out


def relevant_step_hits(step_hits: list[Hit], main: list[Hit]) -> list[Hit]:
    """Keep a per-step hit when the main ranking also has it, or when it matches the words of
    the question and is nearly as close in meaning as the main ranking's best."""
    main_ids = {h.passage.id for h in main}
    best_dense = max((h.dense for h in main), default=0.0)
    kept = []
    for hit in step_hits:
        close = hit.dense >= DENSE_MARGIN * best_dense
        if hit.passage.id in main_ids or (close and hit.lexical > 0):
            kept.append(hit)
    return kept


def gather_evidence(retriever, question: str, filters: Filters | None = None, *,
                    per_step: bool = True, k: int = MAIN_K, per_step_k: int = PER_STEP_K,
                    depth: int = DEPTH) -> Evidence:
    """The main ranking, and per route-map step its best step-tagged hits that are relevant.

    One deep search serves both: a step's hits are the deep ranking restricted to that step,
    which is what a search filtered to the step returns, without searching again. Only a
    step with no passage in the deep ranking gets its own filtered search."""
    filters = filters or Filters()
    deep = retriever.search(question, k=max(k, depth) if per_step else k, filters=filters)
    hits = deep.hits[:k]
    steps = tuple(s for s in STEPS if not filters.steps or s in filters.steps)
    step_hits: dict[int, list[Hit]] = {}
    if per_step and hits:
        for step in steps:
            found = [h for h in deep.hits if step in h.passage.steps][:per_step_k]
            if not found:
                step_filter = Filters(kinds=filters.kinds, steps=(step,), doc_ids=filters.doc_ids)
                found = retriever.search(question, k=per_step_k, filters=step_filter).hits
            step_hits[step] = relevant_step_hits(found, hits)
    cross_encoder = getattr(retriever, "cross_encoder", None)
    scorer = (lambda texts: cross_encoder.scores(question, texts)) if cross_encoder is not None else None
    bank = getattr(retriever, "bank", None)
    spans = bank.spans(deep.bank) if bank is not None else []
    return Evidence(question=question, hits=hits, step_hits=step_hits,
                    confidence=retrieval_confidence(deep), steps_considered=steps,
                    signals=deep.signals, ranked=list(deep.hits), query_vector=deep.query_vector,
                    sentence_scorer=scorer, bank_spans=spans,
                    answer_span=getattr(deep, "answer_span", None))
