"""What one search returns: its ranked hits and what it learned about the question itself."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from assistant.retrieval.needs import Need
from ingest.index.passage import Passage


@dataclass(frozen=True)
class QuerySignals:
    """What one search learned about the question itself, beside its ranking."""

    coverage: float = 0.0  # share of the question's own words the corpus knows
    lexical_top: float = 0.0  # best (glossary-weighted) BM25 score
    dense_top: float = 0.0  # best dense cosine similarity
    sentence_top: float | None = None  # best sentence cosine, where the model is calibrated for it
    ranker_top: float | None = None  # the ranker's probability for its best candidate
    answerable: float | None = None  # the answerability model's probability, when one is shipped
    unmet: Need | None = None  # what the question asks for that the sources cannot give (needs.py)
    # what the closest bank questions say (bank_layer.bank_verdict): "answerable" when an answerable
    # one is very close, "unanswerable" when an unanswerable one is closer and close; else None
    bank: str | None = None


@dataclass
class Hit:
    passage: Passage
    score: float
    rank: int
    dense_rank: int | None = None
    lexical_rank: int | None = None
    dense: float = 0.0  # this passage's dense cosine similarity (0 when outside the dense top-k)
    lexical: float = 0.0  # its BM25 score (0 when outside the lexical top-k)


@dataclass
class SearchResult(Sequence[Hit]):
    """The ranked hits of one search and the per-question signals; reads as the list of hits."""

    hits: list[Hit] = field(default_factory=list)
    signals: QuerySignals = QuerySignals()
    query_vector: object = None  # the question's vector for sentence-level meaning, when dense search ran
    bank: list = field(default_factory=list)  # the closest bank questions (BankMatch), best first
    answer_span: object = None  # the BankMatch whose quotes answer the question, when one is close

    def __getitem__(self, i):
        return self.hits[i]

    def __len__(self) -> int:
        return len(self.hits)
