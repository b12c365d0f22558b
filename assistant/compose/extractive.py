"""The extractive composer: an answer along the route map built only from source sentences.

Every claim is a sentence (trimmed at most) from a cited passage; headings and connecting
lines are ours. Deterministic: the same evidence gives the same answer.
"""

from __future__ import annotations

import re
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
from assistant.compose.kind import ROUTE_KINDS, question_kind, shape_kind
from assistant.compose.lead import choose_lead
from assistant.compose.pool import CitationBook, SentencePool
from assistant.compose.select import Candidate, mmr_select, overlaps_any
from assistant.compose.structured import data_list, named_share, stating_passage, stating_sentences
from assistant.retrieval.confidence import CAUTION_BELOW
from ingest.index.dutch import fold

# A step's sentence must cover this much of the question, absolutely and relative to the best
# sentence of all the evidence (long questions cover less per sentence); a step is shown only
# when its best sentence also scores STEP_SHOWN_AT (chosen on dev + val).
STEP_MIN_RELEVANCE, STEP_RELATIVE = 0.12, 0.5
STEP_SHOWN_AT = 0.45
MAX_STEPS = 3
EXAMPLE_MIN_RELEVANCE = 0.2
EXAMPLE_BLOCKS = ("verhaal",)  # stories; and every passage of a case document (kind "casus")
WHOLE_ROUTE = re.compile(r"\b(?:routekaart|stappen|stappenplan|route|alle stappen|vijf stappen)\b")


@dataclass(frozen=True)
class ComposeOptions:
    want_examples: bool = False
    focus_step: int | None = None
    abstain_below: float = ABSTAIN_BELOW
    caution_below: float = CAUTION_BELOW
    notice: str | None = None
    region: object | None = None  # a RegionScope (assistant.compose.region_profile), or None
    said_before: frozenset[str] = frozenset()  # sentences the conversation already showed
    followup: bool = False  # the question leans on the conversation (kind "vervolg")


@dataclass
class Draft:
    """What the mode sections build on: the pool, the citation book and the chosen sentences."""

    question: str
    shape: str  # the kind whose shape the answer takes (assistant.compose.kind)
    pool: SentencePool
    book: CitationBook
    ctx: ComposerContext
    summary: list[Candidate]
    steps: dict[int, list[Candidate]]
    examples: list[Candidate]

    def taken(self) -> list[Candidate]:
        return [*self.summary, *(c for s in sorted(self.steps) for c in self.steps[s]),
                *self.examples]


def _step_points(pool: SentencePool, options: ComposeOptions,
                 taken: list[Candidate]) -> dict[int, list[Candidate]]:
    """Per step, its best sentences that the lead and the examples do not already show; only
    the MAX_STEPS steps whose best evidence clears STEP_SHOWN_AT (a step asked about always)."""
    best = max((pool.relevance(c) for c in pool.claims), default=0.0)
    min_rel = max(STEP_MIN_RELEVANCE, STEP_RELATIVE * best)
    found: dict[int, tuple[float, list[Candidate]]] = {}
    taken = list(taken)
    for step in pool.evidence.steps_considered:
        ids = pool.step_ids(step, len(pool.evidence.hits))
        candidates = [c for c in pool.claims if c.passage.id in ids]
        scored = [(s - (0.1 if c.passage.block == "verhaal" else 0.0), c)
                  for s, c in pool.scored(candidates, ("handreiking",), min_relevance=min_rel)]
        k = 3 if options.focus_step == step else 2
        chosen = mmr_select(scored, k=k, taken=taken)
        if not chosen:
            continue
        top = max(s for s, c in scored if c == chosen[0])
        if top >= STEP_SHOWN_AT or options.focus_step == step:
            found[step] = (top, chosen)
            taken += chosen
    keep = sorted(found, key=lambda st: (st != options.focus_step, -found[st][0], st))[:MAX_STEPS]
    return {st: found[st][1] for st in sorted(keep)}


def _is_case(c: Candidate, ctx: ComposerContext) -> bool:
    source = ctx.source(c.passage.doc_id)
    return c.passage.block in EXAMPLE_BLOCKS or (source is not None and source.kind == "casus")


def _examples(pool: SentencePool, k: int, taken: list[Candidate]) -> list[Candidate]:
    """Stories and cases on the question's topic, one per story or section."""
    if k <= 0:
        return []
    candidates = [c for c in pool.claims if _is_case(c, pool.ctx)]
    scored = pool.scored(candidates, ("verhaal",), min_relevance=EXAMPLE_MIN_RELEVANCE)
    return mmr_select(scored, k=k, taken=taken, group=lambda c: f"{c.passage.doc_id}|{c.passage.section}")


def _section(step: int, chosen: list[Candidate], book: CitationBook, ctx: ComposerContext) -> StepSection:
    stap = ctx.routekaart.step(step)
    wegwijzers = sorted({c.passage.wegwijzer for c in chosen if c.passage.wegwijzer is not None
                         and c.passage.wegwijzer in stap.wegwijzers})
    titles = [ctx.routekaart.wegwijzer(w).titel for w in wegwijzers]
    return StepSection(step=step, title=stap.titel, wegwijzers=wegwijzers,
                       points=[book.point(c) for c in chosen], wegwijzer_titles=titles)


def _data_lead(pool: SentencePool, question: str):
    """A list the route-map data holds (steps, wegwijzers, studied regions): (the stating
    sentences, as what the lead takes; a function giving the lead's points), or None when the
    question asks for none or no passage of the evidence states it."""
    wanted = data_list(question, pool.ctx.routekaart)
    if wanted is None:
        return None
    ranked = sorted(pool.hits.values(), key=lambda h: pool.ranks[h.passage.id])
    passage = stating_passage([h.passage for h in ranked], wanted.names)
    if passage is None:
        return None
    stating = [c for c in pool.claims if c.passage.id == passage.id and named_share(c.text, wanted.names) > 0]

    def points(book: CitationBook) -> list[Point]:
        n = book.cite_text(passage, None)
        for sentence in stating_sentences(passage.text, wanted.names):
            book.cite_text(passage, sentence)  # the Bronnen list shows where the list is stated
        return [Point(text=wanted.lead_in, citations=[n], origin="ours"),
                *(Point(text=item, origin="ours") for item in wanted.items)]

    return stating, points


def without_empty_lead_ins(points: list[Point]) -> list[Point]:
    """Our lines that introduce quotes ("Vergelijkbare gevallen uit …:") stay only when a quote
    still follows them."""
    out = []
    for i, p in enumerate(points):
        if p.origin != "source" and p.text.endswith(":"):
            following = points[i + 1] if i + 1 < len(points) else None
            if following is None or following.origin != "source":
                continue
        out.append(p)
    return out


def _once_with_region(extras: dict, summary: list[Point], sections: list[StepSection],
                      examples: list[Point]) -> tuple[list[StepSection], list[Point]]:
    """"In uw regio" comes right after the lead; the reader sees each sentence once. A sentence
    the lead quotes leaves the region section; one the region section quotes leaves the steps
    and the examples, and the worksheet cites it instead of quoting it."""
    region = extras.get("regio")
    if not region:
        return sections, examples
    said = [p.text for p in summary]
    extras["regio"] = region = without_empty_lead_ins(
        [p for p in region if not (p.origin == "source" and overlaps_any(p.text, said))])
    quoted = [p.text for p in region if p.origin == "source"]

    def shown(p: Point) -> bool:
        return p.origin == "source" and overlaps_any(p.text, quoted)

    sections = [replace(s, points=[p for p in s.points if not shown(p)]) for s in sections]
    sections = [s for s in sections if s.points]
    for key in [k for k in extras if k.startswith("gespreksvragen:") or k == "stelling"]:
        extras[key] = [replace(p, quote=None) if p.quote and overlaps_any(p.quote, quoted)
                       else p for p in extras[key]]
    return sections, [p for p in examples if not shown(p)]


def compose_extractive(evidence: Evidence, mode: str, ctx: ComposerContext,
                       options: ComposeOptions | None = None, question: str | None = None) -> Answer:
    """kind of question -> candidate spans -> the lead -> the sections that kind and mode call
    for -> the Answer; abstain when the evidence is too thin."""
    from assistant.compose.modes import mode_sections
    from assistant.compose.region import apply_region

    options = options or ComposeOptions()
    question = question or evidence.question
    if mode not in MODES:
        raise ValueError(f"onbekende modus '{mode}' (kies uit: {', '.join(MODES)})")
    kind = question_kind(question, followup=options.followup, region=options.region is not None)
    if should_abstain(evidence, options.abstain_below):
        unmet = evidence.signals.unmet
        return replace(abstained_answer(question, mode, evidence, ctx,
                                        join_notices(unmet.reason() if unmet else None, options.notice)),
                       kind=kind)
    shape = shape_kind(kind, question)
    if options.want_examples and kind == "vervolg":
        shape = "voorbeeld"
    pool = SentencePool(evidence, ctx)
    summary = choose_lead(pool, shape, question,
                          bank_spans=evidence.bank_spans, said_before=options.said_before)
    listed = _data_lead(pool, question) if shape == "lijst" else None
    if listed is not None:
        summary = listed[0]
    elif not summary:
        return replace(abstained_answer(question, mode, evidence, ctx, options.notice), kind=kind)
    # the route map is walked where it is shown: a Vraag about an approach or a region, a worksheet
    route = (shape in ROUTE_KINDS and mode == "vraag") or mode == "gespreksvragen"
    n_examples = {"voorbeeld": 3, "aanpak": 2, "regio": 2}.get(shape, 0) if mode == "vraag" else 0
    examples = _examples(pool, n_examples, summary)
    steps = _step_points(pool, options, [*summary, *examples]) if route else {}
    book = CitationBook(ctx, {pid: h.score for pid, h in pool.hits.items()})
    weak = evidence.confidence < options.caution_below
    notice = join_notices(WEAK_BASIS_TEXT if weak else None, options.notice)
    draft = Draft(question=question, shape=shape, pool=pool, book=book, ctx=ctx, summary=summary,
                  steps=steps, examples=examples)
    summary_points = [book.point(c) for c in summary] if listed is None else listed[1](book)
    sections = [_section(s, steps[s], book, ctx) for s in sorted(steps)]
    example_points = [book.point(c) for c in examples]
    whole_route = route and bool(WHOLE_ROUTE.search(fold(question)))
    silent = [s for s in evidence.steps_considered if s not in steps] if whole_route else []
    extras = mode_sections(mode, draft, sections)
    extras = apply_region(extras, draft, options.region, mode)  # "In uw regio" (region.py)
    sections, example_points = _once_with_region(extras, summary_points, sections, example_points)
    return Answer(
        question=question, mode=mode, backend="none", abstained=False, notice=notice, weak_basis=weak,
        summary=summary_points, steps=sections, silent_steps=silent, examples=example_points,
        citations=book.citations(), extras=extras, shape="route" if route else "light", kind=kind,
        confidence=round(evidence.confidence, 4), focus_step=options.focus_step,
        step_titles={s.nummer: s.titel for s in ctx.routekaart.stappen},
        meta={"query": evidence.question},
        region=options.region.profile.naam if options.region is not None else None)
