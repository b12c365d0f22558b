"""Choosing sentences: relevance to the question, the hit's rank, and diversity (MMR-like).

Pure: tokens come in as sets and weights as mappings, so tests use literal inputs.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterable, Sequence
from dataclasses import dataclass

from ingest.index.passage import Passage

NEAR_DUPLICATE = 0.5  # Jaccard overlap of tokens above which two sentences say the same
# How a sentence's own words weigh against how close its passage is to the question
# (tuned on the dev questions: the gold sentence ranks first or in the top three most often).
RELEVANCE_WEIGHT, PASSAGE_WEIGHT = 0.6, 0.4


@dataclass(frozen=True)
class Candidate:
    """A quotable sentence of a retrieved passage, with what is needed to score it."""

    text: str
    passage: Passage
    rank: int  # the passage's rank in the main ranking (per-step hits rank after it)
    hit_score: float
    position: int  # sentence number within the passage
    tokens: frozenset[str]
    prior: float = 0.0  # how close the passage is to the question, 0..1 (see passage_prior)

    @property
    def key(self) -> tuple:
        return (self.passage.id, self.position)


@dataclass(frozen=True)
class QueryTerm:
    """One content word of the question: its own stem, its compound parts, and its weight.

    A sentence with the word itself covers it fully; one with only a part ("raad" for
    "gemeenteraad") covers it half."""

    token: str
    parts: tuple[str, ...] = ()
    weight: float = 1.0


def relevance(terms: Sequence[QueryTerm], tokens: Collection[str]) -> float:
    """Share of the question's (idf-weighted) content that the sentence covers, 0..1."""
    total = sum(t.weight for t in terms)
    if total <= 0:
        return 0.0
    covered = 0.0
    for t in terms:
        if t.token in tokens:
            covered += t.weight
        elif any(p in tokens for p in t.parts):
            covered += 0.5 * t.weight
    return covered / total


def rank_prior(rank: int) -> float:
    """1.0 for the best hit, falling off slowly: rank 5 -> 0.5, rank 13 -> 0.25."""
    return 1.0 / (1.0 + 0.25 * (max(rank, 1) - 1))


def passage_prior(dense: float | None, best_dense: float, rank: int) -> float:
    """The passage's closeness in meaning relative to the best hit's; by rank without one."""
    if dense is None or best_dense <= 0:
        return rank_prior(rank)
    return max(0.0, min(1.0, dense / best_dense))


def jaccard(a: Collection[str], b: Collection[str]) -> float:
    if not a or not b:
        return 0.0
    sa, sb = set(a), set(b)
    return len(sa & sb) / len(sa | sb)


def overlaps(a: str, b: str) -> bool:
    """True when one quoted text holds the other: a sentence and the claim it is joined into."""
    return a in b or b in a


def overlaps_any(text: str, shown: Iterable[str]) -> bool:
    """Already shown: the same sentence, or a claim that holds it (or that it holds)."""
    return any(overlaps(text, s) for s in shown)


def score_candidate(c: Candidate, terms: Sequence[QueryTerm],
                    prefer_blocks: Collection[str] = (), block_bonus: float = 0.15) -> float:
    score = RELEVANCE_WEIGHT * relevance(terms, c.tokens) + PASSAGE_WEIGHT * c.prior
    if c.passage.block in prefer_blocks:
        score += block_bonus
    if c.position == 0:
        score += 0.03  # opening sentences tend to state the point
    return score


def mmr_select(scored: Iterable[tuple[float, Candidate]], k: int, taken: Sequence[Candidate] = (),
               diversity: float = 0.3, per_group: int = 1,
               group: Callable[[Candidate], str] = lambda c: c.passage.id) -> list[Candidate]:
    """Greedy selection: best score minus similarity to what is chosen; no near-duplicates,
    at most `per_group` sentences per group (by default: per passage). Ties break on rank,
    passage id, position."""
    pool = sorted(scored, key=lambda sc: (-sc[0], sc[1].rank, sc[1].passage.id, sc[1].position))
    chosen: list[Candidate] = []
    used: dict[str, int] = {}
    taken_keys = {t.key for t in taken}
    while len(chosen) < k:
        best, best_value = None, None
        for score, c in pool:
            if c in chosen or c.key in taken_keys:
                continue
            if used.get(group(c), 0) >= per_group:
                continue
            similarity = max((jaccard(c.tokens, o.tokens) for o in [*taken, *chosen]), default=0.0)
            if similarity > NEAR_DUPLICATE or overlaps_any(c.text, (o.text for o in [*taken, *chosen])):
                continue
            value = score - diversity * similarity
            if best_value is None or value > best_value + 1e-12:
                best, best_value = c, value
        if best is None:
            break
        chosen.append(best)
        used[group(best)] = used.get(group(best), 0) + 1
    return chosen
