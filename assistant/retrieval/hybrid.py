"""Hybrid retrieval: Dutch BM25 (with glossary expansion, a route-map field and a character
n-gram field) and dense vectors (Chroma), fused, with filters that really filter.

The same class serves the 'dense' and 'lexical' baselines of the eval harness; a
`RetrievalConfig` switches each addition on or off, so the eval can show what each buys.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import numpy as np

from assistant.retrieval.dense_weights import dense_weight_for
from assistant.retrieval.fields import context_field, corpus_dir, scaled_to
from assistant.retrieval.fusion import reciprocal_rank_fusion, weighted_score_fusion
from assistant.retrieval.needs import FIGURE_SEARCH_DEPTH, Need
from assistant.retrieval.results import Hit, QuerySignals, SearchResult
from ingest.index.passage import Passage
from ingest.index.vectorstore import chroma_where

SEARCH_MODES = ("hybrid", "dense", "lexical")
FUSIONS = ("score", "rrf")

# Tuned on the dev questions only (`python -m evals eval --split dev`, rows "+ …" in the table).
CONTEXT_WEIGHT = 0.25  # the route-map field next to the passage text (weight 1.0)
FUZZY_WEIGHT = 0.2  # the character n-gram field, scaled to the word fields' best score
MASK_CACHE = 64  # distinct filter combinations whose passage masks are kept
DENSE_WIDEN = 20  # a filtered dense search first looks this many times deeper, unfiltered
BANK_FIELD_WEIGHT = 2.0  # chosen on dev + val (evals/results/bank-tuning.md)


@dataclass(frozen=True)
class RetrievalConfig:
    """What a search does besides plain BM25 and plain dense retrieval."""

    strip_framing: bool = True  # drop "Ik schrijf een notitie over …" before searching
    expand: bool = True  # glossary expansion (BM25) and matched glossary terms (dense)
    context_weight: float = CONTEXT_WEIGHT  # 0 switches the route-map field off
    fuzzy_weight: float = FUZZY_WEIGHT  # 0 switches the character n-gram field off
    fusion: str = "score"  # "score": weighted min-max scores; "rrf": reciprocal rank
    dense_weight: float | None = None  # relative to BM25's 1.0; None: the model's own (dense_weights)
    rerank: bool = True  # reorder the candidates with the learned ranker, when one fits the model
    bank: bool = True  # the question bank lifts the passages its close questions point to
    bank_field_weight: float = BANK_FIELD_WEIGHT  # BM25 over each passage's bank questions; 0: off

    def with_(self, **changes) -> RetrievalConfig:
        return replace(self, **changes)


# The retriever as it was before any of the above: RRF of raw BM25 and raw dense, 1:1.
PLAIN = RetrievalConfig(strip_framing=False, expand=False, context_weight=0.0, fuzzy_weight=0.0,
                        fusion="rrf", dense_weight=1.0, rerank=False, bank=False,
                        bank_field_weight=0.0)


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


class HybridRetriever:
    def __init__(self, index, embedder, mode: str = "hybrid", candidates: int = 50,
                 rrf_k: int = 60, weights: tuple[float, float] | None = None,
                 config: RetrievalConfig | None = None, expander=None, cross_encoder=None) -> None:
        """`weights` = (dense, lexical) overrides the config's dense weight (kept for callers
        that set it); `expander` defaults to the glossary in the index's corpus directory;
        `cross_encoder` (cross_encoder.py) reorders the best candidates last, when given."""
        if mode not in SEARCH_MODES:
            raise ValueError(f"mode must be one of {SEARCH_MODES}")
        self.config = config or RetrievalConfig()
        if self.config.fusion not in FUSIONS:
            raise ValueError(f"fusion must be one of {FUSIONS}")
        self.index = index
        self.embedder = embedder
        self.mode = mode
        self.candidates = candidates
        self.rrf_k = rrf_k
        dense_weight = self.config.dense_weight
        if dense_weight is None:
            dense_weight = dense_weight_for(embedder)
        self.weights = weights or (dense_weight, 1.0)
        self.expander = expander
        if self.config.expand and expander is None:
            from assistant.retrieval.expand import GlossaryExpander

            self.expander = GlossaryExpander.for_index(index)
        self.cross_encoder = cross_encoder
        self._masks: dict[Filters, np.ndarray] = {}
        self.row_of = {p.id: i for i, p in enumerate(index.passages)}
        lexical_side = mode != "dense"
        self.context = None
        if lexical_side and self.config.context_weight > 0:
            self.context = getattr(index, "context", None) or context_field(index)
        self.grams = getattr(index, "grams", None) if lexical_side and self.config.fuzzy_weight > 0 else None
        self.bank_field = None
        if lexical_side and self.config.bank_field_weight > 0 and getattr(index, "bank", None):
            from assistant.retrieval.bank_layer import bank_field

            self.bank_field = bank_field(index)
        self.ranker = None
        if self.config.rerank and mode == "hybrid":
            from assistant.retrieval.rerank import load_ranker

            self.ranker = load_ranker(getattr(embedder, "identity", ""))
        from assistant.retrieval.sentence_confidence import sentence_thresholds

        self.sentence_thresholds = (sentence_thresholds(embedder) if mode != "lexical"
                                    and getattr(index, "sentences", None) is not None else None)
        self.bank = None  # the bank's lift, verdict and answer candidate (bank_layer.BankLayer)
        if self.config.bank and mode != "lexical" and getattr(index, "bank", None) is not None:
            from assistant.retrieval.bank_layer import BankLayer

            self.bank = BankLayer.for_model(index.bank, embedder)
        self.answerability = None
        if self.ranker is not None:
            from assistant.retrieval.answerability import load_answerability

            self.answerability = load_answerability(embedder.identity)

    def lexical_fields(self, text: str, weights: dict[str, float]) -> dict[str, np.ndarray]:
        """Each lexical field's score for every passage: the words, the route-map text around
        the passage and the character grams (scaled to the word fields' best)."""
        fields = {"bm25": self.index.lexical.weighted_scores(weights)}
        if self.context is not None:
            fields["context"] = self.context.weighted_scores(weights)
        if self.grams is not None:
            words = fields["bm25"] + self.config.context_weight * fields.get("context", 0.0)
            fields["grams"] = scaled_to(self.grams.scores(text), words)
        if self.bank_field is not None:
            fields["bank"] = self.bank_field.weighted_scores(weights)
        return fields

    def _lexical_ranking(self, fields: dict[str, np.ndarray], filters: Filters
                         ) -> list[tuple[str, float]]:
        scores = fields["bm25"]
        if "context" in fields:
            scores = scores + self.config.context_weight * fields["context"]
        if "grams" in fields:
            scores = scores + self.config.fuzzy_weight * fields["grams"]
        if "bank" in fields:
            scores = scores + self.config.bank_field_weight * fields["bank"]
        if not filters.empty:
            scores = np.where(self._mask(filters), scores, 0.0)
        order = np.argsort(-scores, kind="stable")[: self.candidates]
        return [(self.index.passages[i].id, float(scores[i])) for i in order if scores[i] > 0]

    def _mask(self, filters: Filters) -> np.ndarray:
        """Which passages the filters allow, computed once per distinct filter: the answer layer
        searches per route-map step, and at 20,000 passages a fresh mask costs ~20 ms."""
        mask = self._masks.get(filters)
        if mask is None:
            if len(self._masks) >= MASK_CACHE:
                self._masks.clear()
            mask = np.fromiter((filters.allows(p) for p in self.index.passages), dtype=bool,
                               count=len(self.index.passages))
            self._masks[filters] = mask
        return mask

    def query_vector(self, text: str, expansion) -> np.ndarray:
        """The question's dense vector: its own words, plus the glossary's when expanding."""
        return self.embedder.embed_query(" ".join([text, *expansion.terms]) if self.config.expand
                                         else text)

    def meaning_vector(self, text: str, expansion, query_vector):
        """The vector the question's meaning is compared with sentences and bank questions (the
        sentence signal, unmet needs, the question bank, the composer's closeness): the base
        model's, where fine-tuned question-side adapters made the ranking vector another scale."""
        if query_vector is None or not getattr(self.embedder, "tuned_queries", False):
            return query_vector
        return self.embedder.embed_query_plain(" ".join([text, *expansion.terms]) if self.config.expand
                                               else text)

    def _dense_ranking(self, vector, filters: Filters) -> list[tuple[str, float]]:
        """The passages closest to the question's vector, restricted to the filters."""
        k = min(self.candidates, len(self.index.passages))
        if filters.empty:
            return self.index.vectors.search(vector, k, None)
        # Chroma's metadata-filtered query costs ~40 ms at 20,000 passages, an unfiltered one
        # of 1,000 results ~4 ms. When the wider unfiltered ranking holds at least k allowed
        # passages, those are exactly the filtered top k; otherwise ask Chroma to filter.
        wide = min(len(self.index.passages), k * DENSE_WIDEN)
        by_id = self.index.by_id
        allowed = [(pid, sim) for pid, sim in self.index.vectors.search(vector, wide, None)
                   if pid in by_id and filters.allows(by_id[pid])]
        if len(allowed) >= k or wide == len(self.index.passages):
            return allowed[:k]
        where = chroma_where(filters.kinds, filters.steps, filters.doc_ids)
        return self.index.vectors.search(vector, k, where)

    def understand(self, query: str):
        """The question as the rankers see it: (cleaned text, weighted BM25 query, expansion)."""
        from assistant.retrieval.expand import Expansion, strip_framing

        text = strip_framing(query) if self.config.strip_framing else query
        if self.config.strip_framing:  # "in onze regio Zwolle", "wij in Twente": who asks, not what
            text = self.region_phrases().strip(text)
        if self.expander is not None:
            expansion = self.expander.expand(text)
        else:
            tokens = tuple(dict.fromkeys(self.index.lexical.analyzer.query_tokens(text)))
            expansion = Expansion(weights=dict.fromkeys(tokens, 1.0), original=tokens)
        return text, expansion

    def region_phrases(self):
        if getattr(self, "_regions", None) is None:
            from assistant.retrieval.region_phrase import phrases_for_corpus

            self._regions = phrases_for_corpus(corpus_dir(self.index))
        return self._regions

    def unmet_need(self, text: str, best: list[Passage], query_vector) -> Need | None:
        """What the question (as searched) asks for that its best allowed passages (the first
        FIGURE_SEARCH_DEPTH of the ranking) cannot give."""
        if getattr(self, "_needs", None) is None:
            from assistant.retrieval.unmet import NeedChecker

            self._needs = NeedChecker.for_retriever(self)
        return self._needs.check(text, best, query_vector)

    def search(self, query: str, k: int = 8, filters: Filters | None = None) -> SearchResult:
        filters = filters or Filters()
        if not query.strip():
            return SearchResult()
        text, expansion = self.understand(query)
        dense: list[tuple[str, float]] = []
        lexical: list[tuple[str, float]] = []
        query_vector = None
        if self.mode in ("hybrid", "dense"):
            query_vector = self.query_vector(text, expansion)
            dense = self._dense_ranking(query_vector, filters)
        fields: dict[str, np.ndarray] = {}
        if self.mode in ("hybrid", "lexical"):
            fields = self.lexical_fields(text, expansion.weights)
            lexical = self._lexical_ranking(fields, filters)
        fused = self._fuse(dense, lexical)
        if self.ranker is not None and fused:
            from assistant.retrieval.rerank import rerank

            fused = rerank(self, self.ranker, query, expansion, fields, dense, lexical, fused)
        meaning = self.meaning_vector(text, expansion, query_vector)
        bank_matches = self.bank.matches(meaning) if self.bank is not None else []
        if bank_matches:
            fused = self.bank.lifted(fused, bank_matches)
        by_id = self.index.by_id
        allowed = [(pid, score) for pid, score in fused if pid in by_id and filters.allows(by_id[pid])]
        if self.cross_encoder is not None and allowed:
            allowed = self.cross_encoder.rerank(text, allowed, lambda pid: by_id[pid].text)
        best = [by_id[pid] for pid, _ in allowed[:FIGURE_SEARCH_DEPTH]]
        dense_at = {pid: (r, s) for r, (pid, s) in enumerate(dense, start=1)}
        lexical_at = {pid: (r, s) for r, (pid, s) in enumerate(lexical, start=1)}
        signals = QuerySignals(coverage=self._coverage(expansion),
                               lexical_top=lexical[0][1] if lexical else 0.0,
                               dense_top=dense[0][1] if dense else 0.0,
                               ranker_top=fused[0][1] if self.ranker is not None and fused else None,
                               sentence_top=self._sentence_top(meaning),
                               unmet=self.unmet_need(text, best, meaning),
                               bank=self.bank.verdict(bank_matches) if bank_matches else None)
        if self.answerability is not None:
            signals = replace(signals, answerable=self.answerability.probability(signals))
        hits = []
        for pid, score in allowed[:k]:
            d_rank, d_sim = dense_at.get(pid, (None, 0.0))
            l_rank, l_score = lexical_at.get(pid, (None, 0.0))
            hits.append(Hit(passage=by_id[pid], score=round(score, 6), rank=len(hits) + 1,
                            dense_rank=d_rank, lexical_rank=l_rank, dense=d_sim, lexical=l_score))
        span = self.bank.answer_span(bank_matches, hits) if bank_matches else None
        return SearchResult(hits, signals, meaning, bank_matches, span)

    def _sentence_top(self, query_vector) -> float | None:
        matrix = getattr(self.index.sentences, "matrix", None)
        if self.sentence_thresholds is None or query_vector is None or not len(matrix):
            return None
        return float(np.max(matrix @ np.asarray(query_vector)))

    def thresholds(self) -> tuple[float, float] | None:
        """(abstain below, caution below) on the scale of the signal in use: the answerability
        model's, the sentence cosine's, or None for the lexical signal's own (confidence.py)."""
        a = self.answerability
        return (a.abstain_below, a.caution_below) if a is not None else self.sentence_thresholds

    def _fuse(self, dense, lexical) -> list[tuple[str, float]]:
        rankings, weights = [], []
        for ranking, weight in ((dense, self.weights[0]), (lexical, self.weights[1])):
            if ranking:
                rankings.append(ranking)
                weights.append(weight)
        if len(rankings) == 1:  # one ranker: its own order and scores
            return list(rankings[0])
        if self.config.fusion == "rrf":
            return reciprocal_rank_fusion([[pid for pid, _ in r] for r in rankings], weights,
                                          k=self.rrf_k)
        return weighted_score_fusion([dict(r) for r in rankings], weights)

    def _coverage(self, expansion) -> float:
        """Share of the question's own words the corpus knows (directly or via the glossary)."""
        if not expansion.original:
            return 0.0
        lexical = self.index.lexical
        known = sum(1 for t in expansion.original if lexical.known(t))
        return known / len(expansion.original)
