"""The lead ("Kort antwoord"): the span that answers the question.

The sentences of the best passages are scored on the question's words, the passage's closeness,
the sentence's closeness in meaning, what the question's kind asks for (a defining sentence, a
whole list, a figure, a story) and the close bank questions whose answering span holds them; the
best become the lead, each as the smallest self-contained span holding it. (Putting a close bank
question's own span first instead changed no answer's gold quote on dev or val.)
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import replace

from assistant.compose.intent import defined_term, definition_strength, numbers_in
from assistant.compose.kind import ROUTE_KINDS
from assistant.compose.pool import SentencePool
from assistant.compose.select import (
    PASSAGE_WEIGHT,
    RELEVANCE_WEIGHT,
    Candidate,
    mmr_select,
    overlaps_any,
    relevance,
)
from assistant.compose.spans import Span, passage_spans, span_holding
from assistant.retrieval.needs import asked_figure, has_figure

# Weights chosen on dev + val with `python -m evals.tune_lead` (never on test).
LEAD_FROM_TOP = 6  # the lead quotes one of the best passages ...
LEAD_ANYWHERE = 0.45  # ... or a span that covers much of the question
LEAD_MIN_RELEVANCE = 0.08  # below this for every span, the sources miss the question
CLOSE_IN_MEANING = 0.7  # a span sharing few question words must be this close in meaning
MEANING_WEIGHT = 0.6
EXTRA_SENTENCE_COST = 0.0  # a second or third sentence earns its place by the words it adds
BANK_SPAN_WEIGHT = 2.0  # a span holding a close bank question's answer (× its lift)
KERN_RELATIVE = 0.6  # a Notitie's further Kern points score at least this share of the lead
SENTENCE_FROM_TOP = 6  # the lead's sentences come from the best passages ...
SECOND_SPAN_AT = 0.8  # a second span must score this share of the first
LEAD_MAX_WORDS = 90
LIST_FROM_BEST = 2  # a list question's list: from the passages of its 2 best sentences or 2 best passages


def _prior(pool: SentencePool, pid: str) -> float:
    return pool.priors.get(pid, 0.0)


def _candidate(span: Span, part: str, j: int, pool: SentencePool, pid: str) -> Candidate:
    hit = pool.hits[pid]
    prior = _prior(pool, pid)
    # span units are numbered apart from the pool's sentences: negative positions
    return Candidate(text=part, passage=hit.passage, rank=pool.ranks[pid], hit_score=hit.score,
                     position=-(span.start + 1 + j), tokens=pool.ctx.tokens(part), prior=prior)


def as_candidates(span: Span, pool: SentencePool, pid: str) -> list[Candidate]:
    return [_candidate(span, part, j, pool, pid) for j, part in enumerate(span.parts)]


def bank_lift(pid: str, text: str, spans) -> float:
    """The best lift of a close bank question whose answering span lies in this text."""
    return max((lift for p, quotes, lift in spans if p == pid
                and any(q.strip(" ….") and " ".join(q.split()).strip(" ….") in text for q in quotes)),
               default=0.0)


def kind_bonus(kind: str, span: Span, question: str, block: str) -> float:
    """What the question's kind asks of its answer."""
    text, first = span.text, span.units[0].text
    bonus = 0.0
    if kind == "definitie":
        term = defined_term(question)
        if term:
            bonus += 0.3 * definition_strength(first, term)
    if kind == "lijst":
        bonus += 0.15 if span.is_list else 0.0
        if sum(1 for w in text.split()[1:] if w[:1].isupper()) >= 4 or text.count(",") >= 3:
            bonus += 0.1
    if kind in ("lijst", "feit") and numbers_in(question) & numbers_in(text):
        bonus += 0.2
    if asked_figure(question) is not None and has_figure(text):
        bonus += 0.2
    if block == "verhaal":
        bonus += 0.1 if kind == "voorbeeld" else -0.1
    return bonus


def _word_score(pool: SentencePool, span: Span, prior: float) -> float:
    best = max(relevance(pool.terms, pool.ctx.tokens(u.text)) for u in span.units)
    whole = relevance(pool.terms, pool.ctx.tokens(span.text))
    extra = 0 if span.is_list else len(span.units) - 1
    return (RELEVANCE_WEIGHT * (0.7 * best + 0.3 * whole) + PASSAGE_WEIGHT * prior
            - EXTRA_SENTENCE_COST * extra)


def _said(span: Span, said_before: Collection[str]) -> bool:
    return any(overlaps_any(u.text, said_before) for u in span.units)


def ranked_spans(pool: SentencePool, kind: str, question: str, *, bank_spans=(),
                 said_before: Collection[str] = ()) -> list[tuple[float, list[Candidate]]]:
    """Every candidate span of the best passages that can answer, best first, as its parts."""
    scored: list[tuple[float, Span, str]] = []
    for pid in sorted(pool.ranks, key=pool.ranks.get):
        rank = pool.ranks[pid]
        passage = pool.hits[pid].passage
        prior = _prior(pool, pid)
        for span in passage_spans(passage.text):
            rel = relevance(pool.terms, pool.ctx.tokens(span.text))
            lift = bank_lift(pid, span.text, bank_spans)
            if rank > LEAD_FROM_TOP and rel < LEAD_ANYWHERE and not lift:
                continue
            score = (_word_score(pool, span, prior) + kind_bonus(kind, span, question, passage.block)
                     + BANK_SPAN_WEIGHT * lift)
            scored.append((score, span, pid))
    if said_before:  # after a follow-up: spans none of whose sentences the conversation showed
        scored = [s for s in scored if not _said(s[1], said_before)] or scored
    # each span scored in meaning under its own (negative) position
    probes = [replace(_candidate(span, span.text, 0, pool, pid), position=-(i + 1))
              for i, (_, span, pid) in enumerate(scored)]
    closeness = pool.closeness(probes)
    final = []
    for probe, (score, span, pid) in zip(probes, scored, strict=True):
        close = closeness.get(probe.key, 0.0)
        rel = relevance(pool.terms, pool.ctx.tokens(span.text))
        far = rel < LEAD_MIN_RELEVANCE and close < CLOSE_IN_MEANING
        if far and not bank_lift(pid, span.text, bank_spans):
            continue
        final.append((score + MEANING_WEIGHT * close, span, pid))
    final.sort(key=lambda s: (-s[0], pool.ranks[s[2]], s[2], s[1].start, len(s[1].units)))
    return [(score, as_candidates(span, pool, pid)) for score, span, pid in final]


def sentence_scores(pool: SentencePool, kind: str, question: str, *, bank_spans=(),
                    said_before: Collection[str] = ()) -> list[tuple[float, Candidate]]:
    """Each sentence of the best passages that may answer, scored: the question's words, the
    passage's closeness, the sentence's closeness in meaning, what the kind asks for and the
    close bank questions whose answering span holds it. After a follow-up, sentences the
    conversation showed count only when nothing new is relevant."""
    term = defined_term(question) if kind == "definitie" else None
    numbers = numbers_in(question) if kind in ("feit", "lijst") else set()
    figure = asked_figure(question)  # "hoeveel vestigingen": the sentence that gives the number
    candidates = [c for c in pool.claims
                  if c.rank <= SENTENCE_FROM_TOP or pool.relevance(c) >= LEAD_ANYWHERE]
    if said_before:
        new = [c for c in candidates if not overlaps_any(c.text, said_before)]
        if any(pool.relevance(c) >= LEAD_MIN_RELEVANCE for c in new):
            candidates = new
    prefer = ("verhaal",) if kind == "voorbeeld" else ()
    scored_candidates = pool.scored(candidates, prefer)
    closeness = pool.closeness([c for _, c in scored_candidates])
    out = []
    for score, c in scored_candidates:
        lift = sentence_lift(c, bank_spans)
        close = closeness.get(c.key, 0.0)
        # a sentence must share some of the question's words, be close in meaning, or answer a
        # close bank question
        if pool.relevance(c) < LEAD_MIN_RELEVANCE and close < CLOSE_IN_MEANING and not lift:
            continue
        score += MEANING_WEIGHT * close
        if term:
            score += 0.3 * definition_strength(c.text, term)
        if numbers and numbers & numbers_in(c.text):
            score += 0.2  # "welke tien regio's": the sentence that names the ten ...
            if sum(1 for w in c.text.split()[1:] if w[:1].isupper()) >= 4:
                score += 0.1  # ... by name
        if figure is not None and has_figure(c.text):
            score += 0.2
        if c.passage.block == "verhaal" and kind != "voorbeeld":
            score -= 0.1  # a story illustrates; the lead states
        out.append((score + BANK_SPAN_WEIGHT * lift, c))
    return out


def sentence_lift(c: Candidate, bank_spans) -> float:
    """How strongly people tied this sentence to a question like this one: the best lift of a
    close bank question whose answering span holds the sentence (or is held by it)."""
    text = " ".join(c.text.split()).strip(" ….")
    return max((lift for pid, quotes, lift in bank_spans if pid == c.passage.id
                and any(text in q or q in text for q in (" ".join(q.split()).strip(" ….") for q in quotes)
                        if q)), default=0.0)


def whole(c: Candidate, pool: SentencePool) -> list[Candidate]:
    """The smallest self-contained span of its passage that holds this sentence (the sentence
    it leans on comes along; an item brings its whole list), as parts; [] when there is none."""
    span = span_holding(c.passage.text, (c.text,))
    return as_candidates(span, pool, c.passage.id) if span is not None else []


def list_lead(pool: SentencePool, scored: list[tuple[float, Candidate]]) -> list[Candidate]:
    """For a list question: a whole list (lead-in and items) from the passages of the best
    sentences or the best passages, the list sharing most of the question's words; [] when none
    of them holds a list on the question."""
    by_sentence = dict.fromkeys(c.passage.id for _, c in sorted(scored, key=lambda sc: -sc[0]))
    by_rank = sorted(pool.ranks, key=pool.ranks.get)
    for pid in dict.fromkeys([*list(by_sentence)[:LIST_FROM_BEST], *by_rank[:LIST_FROM_BEST]]):
        lists = [sp for sp in passage_spans(pool.hits[pid].passage.text) if sp.is_list]
        best = max(lists, key=lambda sp: relevance(pool.terms, pool.ctx.tokens(sp.text)), default=None)
        if best is not None and relevance(pool.terms, pool.ctx.tokens(best.text)) >= LEAD_MIN_RELEVANCE:
            return as_candidates(best, pool, pid)
    return []


def choose_lead(pool: SentencePool, kind: str, question: str, *, bank_spans=(),
                said_before: Collection[str] = ()) -> list[Candidate]:
    """The parts of the lead: the best answering sentences, each as the smallest self-contained
    span holding it (one part for prose; lead-in and items for a list). A second span comes only
    when it scores close to the first (a route question may have a third), and the lead stays
    short."""
    scored = sentence_scores(pool, kind, question, bank_spans=bank_spans, said_before=said_before)
    if kind == "lijst":
        listed = list_lead(pool, scored)
        if listed:
            return listed
    route = kind in ROUTE_KINDS
    bars = (0.0, 0.0, 0.85) if route else (0.0, SECOND_SPAN_AT)
    score_of = {c.key: s for s, c in scored}
    lead: list[Candidate] = []
    spans, top = 0, None
    for c in mmr_select(scored, k=6, per_group=1 if route else 2):
        if top is not None and (spans >= len(bars) or score_of[c.key] < bars[spans] * top):
            break
        parts = whole(c, pool)
        if not parts or any(overlaps_any(p.text, [q.text for q in lead]) for p in parts):
            continue
        if lead and sum(len(p.text.split()) for p in [*lead, *parts]) > LEAD_MAX_WORDS:
            break
        lead.extend(parts)
        spans += 1
        top = score_of[c.key] if top is None else top
    return in_reading_order(lead)


def in_reading_order(parts: list[Candidate]) -> list[Candidate]:
    """Spans of one passage in the order the passage has them (the passage of the best span
    first): two sentences of one argument read as the source wrote them."""
    first_seen = {pid: i for i, pid in reversed(list(enumerate(p.passage.id for p in parts)))}
    # a span's parts share a passage and have consecutive, negative positions (as_candidates)
    return sorted(parts, key=lambda p: (first_seen[p.passage.id], -p.position))
