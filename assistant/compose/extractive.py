"""The extractive composer: an answer along the route map built only from source sentences.

Every claim is a sentence (trimmed at most) from a cited passage; headings and connecting
lines are ours. Deterministic: the same evidence gives the same answer.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from assistant.compose.abstain import ABSTAIN_BELOW, abstained_answer, should_abstain
from assistant.compose.answer import (
    MODES,
    WEAK_BASIS_TEXT,
    Answer,
    Point,
    StepSection,
    join_notices,
)
from assistant.compose.context import ComposerContext
from assistant.compose.evidence import Evidence
from assistant.compose.intent import (
    defined_term,
    definition_strength,
    numbers_in,
    question_shape,
)
from assistant.compose.pool import CitationBook, SentencePool
from assistant.compose.select import Candidate, mmr_select, overlaps_any
from assistant.retrieval.confidence import CAUTION_BELOW
from assistant.retrieval.needs import asked_figure, has_figure

SUMMARY_MIN_RELEVANCE = 0.08  # below this for every top sentence, the sources miss the question
# A step's sentence must cover this much of the question, absolutely and relative to the best
# sentence of all the evidence (long questions cover less per sentence).
STEP_MIN_RELEVANCE, STEP_RELATIVE = 0.12, 0.5
LIGHT_STEP_MIN_RELEVANCE, LIGHT_STEP_RELATIVE = 0.2, 0.7
EXAMPLE_MIN_RELEVANCE = 0.15
SUMMARY_FROM_TOP = 6  # the Kort antwoord quotes the best passages ...
SUMMARY_ANYWHERE = 0.45  # ... or a sentence that covers much of the question
CLOSE_IN_MEANING = 0.7  # how close (0..1) a sentence sharing no question word must be to count
MEANING_WEIGHT = 0.3  # weight of that closeness in the short answer (both tuned on dev + val)
FIGURE_BONUS = 0.2  # a sentence holding a number, when the question asks "hoeveel …" (needs.py)
BANK_SPAN_WEIGHT = 2.0  # a sentence of a close bank question's answering span (× its lift)
SEE_SUMMARY_TEXT = "Het korte antwoord hierboven citeert de passage die bij deze stap hoort."
SEE_REGION_TEXT = "Het deel ‘In uw regio’ hierboven citeert de passage die hierbij hoort."
SEE_SUMMARY_IN_REGION = "Zie het korte antwoord hierboven."


@dataclass(frozen=True)
class ComposeOptions:
    want_examples: bool = False
    focus_step: int | None = None
    abstain_below: float = ABSTAIN_BELOW
    caution_below: float = CAUTION_BELOW
    notice: str | None = None
    region: object | None = None  # a RegionScope (assistant.compose.region_profile), or None
    said_before: frozenset[str] = frozenset()  # sentences the conversation already showed


@dataclass
class Draft:
    """What the mode sections build on: the pool, the citation book and the chosen sentences."""

    question: str
    shape: str
    pool: SentencePool
    book: CitationBook
    ctx: ComposerContext
    summary: list[Candidate]
    steps: dict[int, list[Candidate]]
    examples: list[Candidate]

    def taken(self) -> list[Candidate]:
        return [*self.summary, *(c for s in sorted(self.steps) for c in self.steps[s]),
                *self.examples]


def bank_bonus(c: Candidate, spans) -> float:
    """How strongly people tied this sentence to a question like this one: the best lift of a
    close bank question whose answering span holds the sentence (or is held by it)."""
    text = " ".join(c.text.split()).strip("….")
    return max((lift for pid, quotes, lift in spans if pid == c.passage.id
                and any(text in q or q in text for q in quotes)), default=0.0)


def _summary(pool: SentencePool, question: str, shape: str, want_examples: bool,
             said_before: frozenset[str] = frozenset(), bank_spans=()) -> list[Candidate]:
    """The Kort antwoord; after a follow-up it leads with what the conversation did not show yet
    (sentences shown before are used only when nothing new is relevant)."""
    term = defined_term(question) if shape == "definition" else None
    numbers = numbers_in(question) if shape == "fact" else set()
    figure = asked_figure(question)  # "hoeveel vestigingen": the sentence that gives the number
    prefer = ("verhaal",) if want_examples else ()
    scored = []
    candidates = [c for c in pool.claims
                  if c.rank <= SUMMARY_FROM_TOP or pool.relevance(c) >= SUMMARY_ANYWHERE]
    if said_before:
        new = [c for c in candidates if not overlaps_any(c.text, said_before)]
        if any(pool.relevance(c) >= SUMMARY_MIN_RELEVANCE for c in new):
            candidates = new
    scored_candidates = pool.scored(candidates, prefer)
    closeness = pool.closeness([c for _, c in scored_candidates])
    # a sentence must share some of the question's words, be among the closest in meaning, or
    # answer a close bank question
    bonus = {c.key: bank_bonus(c, bank_spans) for _, c in scored_candidates}
    scored_candidates = [(s, c) for s, c in scored_candidates
                         if pool.relevance(c) >= SUMMARY_MIN_RELEVANCE
                         or closeness.get(c.key, 0.0) >= CLOSE_IN_MEANING
                         or bonus[c.key] > 0]
    for score, c in scored_candidates:
        score += MEANING_WEIGHT * closeness.get(c.key, 0.0)  # meaning, where words differ
        if term:
            score += 0.3 * definition_strength(c.text, term)
        if numbers and numbers & numbers_in(c.text):
            score += 0.2  # "welke tien regio's": the sentence that names the ten ...
            if sum(1 for w in c.text.split()[1:] if w[:1].isupper()) >= 4:
                score += 0.1  # ... by name
        if figure is not None and has_figure(c.text):
            score += FIGURE_BONUS
        if c.passage.block == "verhaal" and not want_examples:
            score -= 0.1  # a story illustrates; the short answer states
        score += BANK_SPAN_WEIGHT * bonus[c.key]
        scored.append((score, c))
    # a definition or fact often takes two sentences of one passage
    chosen = mmr_select(scored, k=3, per_group=1 if shape == "route" else 2)
    return trim_summary(chosen, {c.key: s for s, c in scored}, route=shape == "route")


def trim_summary(chosen: list[Candidate], score_of: dict, route: bool,
                 max_words: int = 90) -> list[Candidate]:
    """One to three sentences: a route question keeps two and a third only when it is nearly
    as good (85%); a definition or fact keeps a second only when it is close (80%)."""
    keep: list[Candidate] = []
    for i, c in enumerate(chosen):
        bars = (0.0, 0.0, 0.85) if route else (0.0, 0.8)
        if i >= len(bars) or score_of[c.key] < bars[i] * score_of[chosen[0].key]:
            break
        if keep and sum(len(k.text.split()) for k in [*keep, c]) > max_words:
            break
        keep.append(c)
    return keep


def _step_points(pool: SentencePool, shape: str, options: ComposeOptions,
                 summary: list[Candidate], examples: list[Candidate]) -> dict[int, list[Candidate]]:
    light = shape != "route"
    best = max((pool.relevance(c) for c in pool.claims), default=0.0)
    min_rel = (max(LIGHT_STEP_MIN_RELEVANCE, LIGHT_STEP_RELATIVE * best) if light
               else max(STEP_MIN_RELEVANCE, STEP_RELATIVE * best))
    main_top = 8 if light else len(pool.evidence.hits)
    out: dict[int, list[Candidate]] = {}
    taken = [*summary, *examples]
    for step in pool.evidence.steps_considered:
        ids = pool.step_ids(step, main_top)
        candidates = [c for c in pool.claims if c.passage.id in ids]
        scored = [(s - (0.1 if c.passage.block == "verhaal" else 0.0), c)
                  for s, c in pool.scored(candidates, ("handreiking",), min_relevance=min_rel)]
        k = 4 if options.focus_step == step else (2 if light else 3)
        chosen = mmr_select(scored, k=k, taken=taken)
        if not chosen:  # the short answer may already have quoted this step's evidence
            chosen = [c for c in summary if c.passage.id in ids and pool.relevance(c) >= min_rel][:1]
        if chosen:
            out[step] = chosen
            taken += chosen
    return out


def _mentions_place(c: Candidate, ctx: ComposerContext) -> bool:
    return any(ctx.place_pattern(place).search(c.text) for place in c.passage.places)


def _examples(pool: SentencePool, shape: str, options: ComposeOptions,
              taken: list[Candidate]) -> list[Candidate]:
    # a story, or a sentence that names a region or place: a case from practice
    candidates = [c for c in pool.claims if c.passage.block == "verhaal"
                  or (c.passage.places and _mentions_place(c, pool.ctx))]
    scored = []
    for score, c in pool.scored(candidates, ("verhaal",), min_relevance=EXAMPLE_MIN_RELEVANCE):
        if c.passage.places and _mentions_place(c, pool.ctx):
            score += 0.1
        scored.append((score, c))
    k = 4 if options.want_examples else (3 if shape == "route" else 2)
    # one example per story or section, so three examples are three different cases
    return mmr_select(scored, k=k, taken=taken, group=lambda c: f"{c.passage.doc_id}|{c.passage.section}")


def _section(step: int, chosen: list[Candidate], book: CitationBook,
             ctx: ComposerContext, summary: list[Candidate]) -> StepSection:
    """A step's points; a sentence the short answer already quotes is referred to, not repeated."""
    stap = ctx.routekaart.step(step)
    said = {c.key for c in summary}
    points = [Point(text=SEE_SUMMARY_TEXT, citations=[book.cite(c)], origin="template")
              if c.key in said else book.point(c) for c in chosen]
    wegwijzers = sorted({c.passage.wegwijzer for c in chosen if c.passage.wegwijzer is not None
                         and c.passage.wegwijzer in stap.wegwijzers})
    titles = [ctx.routekaart.wegwijzer(w).titel for w in wegwijzers]
    return StepSection(step=step, title=stap.titel, wegwijzers=wegwijzers, points=points,
                       wegwijzer_titles=titles)


def _pointer(p: Point, text: str) -> Point:
    return Point(text=text, citations=list(p.citations), origin="template")


def _once_with_region(extras: dict, summary: list[Point], sections: list[StepSection],
                      examples: list[Point]) -> tuple[list[StepSection], list[Point]]:
    """"In uw regio" quotes what the sources say about the region even when another part of the
    answer quotes it too; the reader sees each sentence once. The region section comes after the
    short answer and before the rest: a sentence the short answer quotes becomes a pointer in the
    region section; one the region section quotes becomes a pointer in a step, a citation on the
    worksheet, and leaves the examples."""
    region = extras.get("regio")
    if not region:
        return sections, examples
    said = [p.text for p in summary]
    extras["regio"] = region = [_pointer(p, SEE_SUMMARY_IN_REGION)
                                if p.origin == "source" and overlaps_any(p.text, said) else p
                                for p in region]
    quoted = [p.text for p in region if p.origin == "source"]

    def shown(p: Point) -> bool:
        return p.origin == "source" and overlaps_any(p.text, quoted)

    sections = [replace(s, points=[_pointer(p, SEE_REGION_TEXT) if shown(p) else p
                                   for p in s.points]) for s in sections]
    for key in [k for k in extras if k.startswith("gespreksvragen:") or k == "stelling"]:
        extras[key] = [replace(p, quote=None) if p.quote and overlaps_any(p.quote, quoted)
                       else p for p in extras[key]]  # the worksheet cites it instead
    return sections, [p for p in examples if not shown(p)]


def compose_extractive(evidence: Evidence, mode: str, ctx: ComposerContext,
                       options: ComposeOptions | None = None, question: str | None = None) -> Answer:
    """Build the Answer for one question from its evidence; abstain when it is too thin."""
    from assistant.compose.modes import mode_sections
    from assistant.compose.region import apply_region

    options = options or ComposeOptions()
    question = question or evidence.question
    if mode not in MODES:
        raise ValueError(f"onbekende modus '{mode}' (kies uit: {', '.join(MODES)})")
    if should_abstain(evidence, options.abstain_below):
        unmet = evidence.signals.unmet
        return abstained_answer(question, mode, evidence, ctx,
                                join_notices(unmet.reason() if unmet else None, options.notice))
    shape = "route" if question_shape(evidence.question) == "route" else "light"
    pool = SentencePool(evidence, ctx)
    summary = _summary(pool, evidence.question, question_shape(evidence.question),
                       options.want_examples, options.said_before, evidence.bank_spans)
    if not summary:
        return abstained_answer(question, mode, evidence, ctx, options.notice)
    # stories go to the examples first; the steps then quote the report's own points
    examples = _examples(pool, shape, options, summary)
    steps = _step_points(pool, shape, options, summary, examples)
    book = CitationBook(ctx, {pid: h.score for pid, h in pool.hits.items()})
    weak = evidence.confidence < options.caution_below
    notice = join_notices(WEAK_BASIS_TEXT if weak else None, options.notice)
    draft = Draft(question=question, shape=shape, pool=pool, book=book, ctx=ctx, summary=summary,
                  steps=steps, examples=examples)
    summary_points = [book.point(c) for c in summary]
    sections = [_section(s, steps[s], book, ctx, summary) for s in sorted(steps)]
    example_points = [book.point(c) for c in examples]
    silent = [] if shape != "route" else [s for s in evidence.steps_considered if s not in steps]
    extras = mode_sections(mode, draft, sections)
    extras = apply_region(extras, draft, options.region, mode)  # "In uw regio" (region.py)
    sections, example_points = _once_with_region(extras, summary_points, sections, example_points)
    return Answer(
        question=question, mode=mode, backend="none", abstained=False, notice=notice, weak_basis=weak,
        summary=summary_points, steps=sections, silent_steps=silent, examples=example_points,
        citations=book.citations(), extras=extras, shape=shape,
        confidence=round(evidence.confidence, 4), focus_step=options.focus_step,
        step_titles={s.nummer: s.titel for s in ctx.routekaart.stappen},
        meta={"query": evidence.question},
        region=options.region.profile.naam if options.region is not None else None)
