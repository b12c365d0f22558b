"""The three modes on one retrieval: the sections each adds to the shared answer.

vraag: at most two council questions that fit the topic; notitie: a first draft (Aanleiding,
Kern, Handelingsopties, Aandachtspunten); gespreksvragen: per-step discussion questions, each
tied only to a quote that supports it, a stelling and the exercise that fits the topic. The
questions come from the route-map file's templates, with {onderwerp} filled in.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Collection, Sequence

from assistant.compose.answer import Point, StepSection
from assistant.compose.extractive import Draft
from assistant.compose.select import Candidate, mmr_select, overlaps, overlaps_any
from assistant.compose.topic import DEFAULT_TOPIC, question_topic
from ingest.index.corpusdata import Oefening

ADVICE_CUES = re.compile(
    r"\b(?:is het (?:van belang|zaak|nuttig|goed|verstandig)|het is (?:de kunst|belangrijk|zaak)"
    r"|moet(?:en)?|zorg|investeer|realiseer|kies|maak|begin|let op|aanbeveling|advies|raden"
    r"|belangrijk|beter|zoek|betrek|deel|houd|durf)\b", re.IGNORECASE)
CAUTION_CUES = re.compile(
    r"\b(?:valkuil\w*|risico\w*|let op|pas op|gevaar\w*|voorkom\w*|lastig\w*|probleem|problemen"
    r"|belemmer\w*|spanning\w*|niet vanzelf|onvoldoende|te weinig|ontbreekt|ontbreken|mislukk\w*)\b",
    re.IGNORECASE)
KERN_MIN_RELEVANCE = 0.2  # a Kern point covers this much of the question's words
COUNCIL_MIN_SHARED = 1  # a council question shares a word with the question or its evidence
SUPPORT_MIN_SHARED = 2  # a discussion question is tied to a quote sharing this many words


def fill(template: str, topic: str) -> str:
    return template.replace("{onderwerp}", topic)


def _overlap(draft: Draft, text: str, tokens: frozenset[str]) -> float:
    mine = draft.ctx.tokens(text)
    return len(mine & tokens) + 0.5 * len(mine & {t.token for t in draft.pool.terms})


def _ranked_templates(draft: Draft, templates: Sequence[str], tokens: frozenset[str]) -> list[str]:
    order = {t: i for i, t in enumerate(templates)}
    return sorted(templates, key=lambda t: (-_overlap(draft, t, tokens), order[t]))


def fits(draft: Draft, template: str, tokens: frozenset[str]) -> int:
    """How many of a template's own words (not its {onderwerp}) the given text shares."""
    return len(draft.ctx.tokens(template.replace("{onderwerp}", " ")) & tokens)


def usable(template: str, topic: str) -> bool:
    """A template reads well with this topic: no "de opgave rond deze opgave"."""
    return not (topic == DEFAULT_TOPIC and "opgave" in template.replace("{onderwerp}", ""))


def council_questions(draft: Draft, sections: list[StepSection]) -> list[Point]:
    """At most two "Vragen die u in de raad kunt stellen": per step shown, the route map's
    question that shares most words with the question and that step's evidence; none that
    shares no word with it."""
    topic = question_topic(draft.question)
    asked = draft.ctx.tokens(draft.question)
    scored: list[tuple[int, int, str]] = []
    for section in sections:
        shown = frozenset(t for p in section.points for t in draft.ctx.tokens(p.text)) | asked
        templates = [t for t in draft.ctx.routekaart.step(section.step).raadsvragen if usable(t, topic)]
        ranked = sorted(templates, key=lambda t: -fits(draft, t, shown))
        if ranked and fits(draft, ranked[0], shown) >= COUNCIL_MIN_SHARED:
            scored.append((fits(draft, ranked[0], shown), section.step, ranked[0]))
    scored.sort(key=lambda x: (-x[0], x[1]))
    return [Point(text=fill(t, topic), origin="template") for _, _, t in scored[:2]]


def action_points(draft: Draft, shown: Sequence[Candidate] = ()) -> list[Point]:
    """Handelingsopties: advice from the handreikingen, on the question's topic."""
    pool = draft.pool
    candidates = [c for c in pool.claims if c.passage.block == "handreiking"
                  or c.passage.kind == "handreiking"]
    best = max((pool.relevance(c) for c in pool.claims), default=0.0)
    scored = [(score + (0.1 if ADVICE_CUES.search(c.text) else 0.0), c)
              for score, c in pool.scored(candidates, min_relevance=max(0.15, 0.4 * best))]
    chosen = mmr_select(scored, k=3, taken=[*draft.taken(), *shown])
    if not chosen:  # (advice from other blocks was tried: it picked story lines and questions)
        return [Point(text="De bronnen geven bij deze vraag geen handelingsadvies naast de punten van de "
                           "Kern." if any(ADVICE_CUES.search(c.text) for c in [*draft.summary, *shown])
                      else "De handreikingen in de bronnen gaan niet over deze vraag.", origin="ours")]
    return [draft.book.point(c) for c in chosen]


def caution_points(draft: Draft, shown: Sequence[Candidate] = ()) -> list[Point]:
    """Aandachtspunten: what the sources warn about on this topic (risks, pitfalls, conditions)."""
    pool = draft.pool
    candidates = [c for c in pool.claims if CAUTION_CUES.search(c.text)]
    best = max((pool.relevance(c) for c in pool.claims), default=0.0)
    scored = pool.scored(candidates, min_relevance=max(0.12, 0.4 * best))
    return [draft.book.point(c) for c in mmr_select(scored, k=2, taken=[*draft.taken(), *shown])]


def note_intro(draft: Draft) -> list[Point]:
    """The Aanleiding: one paragraph (the region, when known, is added by region.py)."""
    return [Point(text=f"Gevraagd is: “{draft.question.strip()}” Deze eerste versie van een notitie zet "
                       "op een rij wat de bronnen daarover zeggen, wat de gemeente kan doen en waar zij "
                       "op moet letten.", origin="ours")]


def shares_a_sentence(text: str, shown: Collection[str]) -> bool:
    """True when any sentence of `text` is (or holds, or is held by) a sentence already shown:
    two spans that overlap by one sentence would print it twice."""
    from ingest.index.sentences import split_sentences

    mine = split_sentences(text) or [text]
    theirs = [t for s in shown for t in (split_sentences(s) or [s])]
    return any(overlaps_any(m, theirs) for m in mine)


def core_points(draft: Draft) -> list[Candidate]:
    """The Kern after the lead: up to four more answering spans, each from another passage."""
    from assistant.compose.lead import KERN_RELATIVE, ranked_spans

    ranked = ranked_spans(draft.pool, draft.shape, draft.question,
                          bank_spans=draft.pool.evidence.bank_spans)
    top = ranked[0][0] if ranked else 0.0
    out: list[Candidate] = []
    used = {c.passage.id for c in draft.summary}
    for score, parts in ranked:
        pid = parts[0].passage.id
        if len(out) >= 4 or score < KERN_RELATIVE * top:
            break
        if draft.pool.relevance(parts[0]) < KERN_MIN_RELEVANCE:
            continue  # close in meaning is not enough for a point of the note
        shown = [c.text for c in [*draft.summary, *out]]
        if len(parts) > 1 or pid in used or shares_a_sentence(parts[0].text, shown):
            continue  # prose spans only, one per passage, none the note already quotes
        used.add(pid)
        out.append(parts[0])
    return out


def _step_quotes(draft: Draft, section: StepSection, want: int,
                 shown: Collection[str] = ()) -> list[tuple[str, list[int]]]:
    quotes = [(p.text, p.citations) for p in section.points if p.origin == "source"]
    if len(quotes) < want:  # more quotes from the same step's evidence, none the sheet shows
        ids = draft.pool.step_ids(section.step, len(draft.pool.evidence.hits))
        extra = [c for c in draft.pool.claims if c.passage.id in ids and not overlaps_any(c.text, shown)]
        for c in mmr_select(draft.pool.scored(extra, min_relevance=0.1), k=want - len(quotes),
                            taken=draft.taken()):
            quotes.append((c.text, [draft.book.cite(c)]))
    return quotes


def discussion_questions(draft: Draft, section: StepSection, shown: set[str] | None = None,
                         reserved: Collection[str] = ()) -> list[Point]:
    """Two or three questions for one step. A question is tied to a quote only when the quote
    supports it (they share SUPPORT_MIN_SHARED words); the others stand on their own. `shown`
    holds the sentences the sheet already shows: such a quote is cited, not shown again; new
    quotes are added to it. `reserved` sentences (other steps' points) are not drawn in."""
    shown = set() if shown is None else shown
    topic = question_topic(draft.question)
    templates = [t for t in draft.ctx.routekaart.step(section.step).gespreksvragen if usable(t, topic)]
    order = {t: i for i, t in enumerate(templates)}
    points: list[Point] = []
    used: set[str] = set()
    for text, citations in _step_quotes(draft, section, want=2, shown=shown | set(reserved))[:3]:
        tokens = draft.ctx.tokens(text)
        ranked = sorted((t for t in templates if t not in used),
                        key=lambda t: (-fits(draft, t, tokens), order[t]))
        if ranked and fits(draft, ranked[0], tokens) >= SUPPORT_MIN_SHARED:
            used.add(ranked[0])
            points.append(Point(text=fill(ranked[0], topic), citations=list(citations), origin="template",
                                quote=None if overlaps_any(text, shown) else text))
            shown.add(text)
    asked = draft.ctx.tokens(draft.question)
    rest = sorted((t for t in templates if t not in used), key=lambda t: (-fits(draft, t, asked), order[t]))
    for t in rest:
        if len(points) >= 2:
            break
        points.append(Point(text=fill(t, topic), origin="template"))
    return points[:3]


def pick_stelling(draft: Draft, quoted: Collection[str] = ()) -> list[Point]:
    """The route map's stelling closest to the evidence, tied to a sentence that backs it. A
    stelling the sheet already shows as a quote is passed over; a backing sentence it already
    shows (`quoted`) is cited, not quoted again."""
    stellingen = [t for t in draft.ctx.routekaart.stellingen if not overlaps_any(t, quoted)]
    if not stellingen:
        return []
    tokens = frozenset(t for c in draft.taken() for t in c.tokens)
    best = _ranked_templates(draft, stellingen, tokens)[0]
    mine = draft.ctx.tokens(best)
    backing = max(draft.pool.claims, key=lambda c: (len(c.tokens & mine), not overlaps_any(c.text, quoted),
                                                    -c.rank, -c.position), default=None)
    if backing is not None and mine and len(backing.tokens & mine) >= max(2, 0.4 * len(mine)):
        again = overlaps_any(backing.text, quoted) or overlaps(backing.text, best)
        return [Point(text=best, origin="template", citations=[draft.book.cite(backing)],
                      quote=None if again else backing.text)]
    return [Point(text=best, origin="template")]


def pick_exercise(draft: Draft, sections: list[StepSection]) -> list[Point]:
    """The exercise that fits the topic: the words it shares with the question and the lead,
    then how much of the evidence sits on its steps."""
    oefeningen = draft.ctx.routekaart.oefeningen
    if not oefeningen:
        return []
    weight = {s.step: len(s.points) for s in sections}
    topic = draft.ctx.tokens(draft.question) | frozenset(t for c in draft.summary for t in c.tokens)

    def fit(o: Oefening) -> tuple[int, float]:
        shared = len(draft.ctx.tokens(f"{o.titel} {o.instructie}") & topic)
        return shared, sum(weight.get(s, 0) for s in o.stappen) / max(len(o.stappen), 1) ** 0.5

    best = max(oefeningen, key=lambda o: (fit(o), -oefeningen.index(o)))
    return [Point(text=best.titel, origin="template"),
            Point(text=best.instructie.strip(), origin="template")]


def _vraag(draft: Draft, sections: list[StepSection]) -> dict[str, list[Point]]:
    return {"raadsvragen": council_questions(draft, sections)} if sections else {}


def _notitie(draft: Draft, sections: list[StepSection]) -> dict[str, list[Point]]:
    """A first draft: Aanleiding, Kern (the lead and up to four more spans), Handelingsopties,
    Aandachtspunten."""
    kern = core_points(draft)
    options = action_points(draft, kern)
    advised = [c for c in draft.pool.claims if any(p.text == c.text for p in options)]
    cautions = caution_points(draft, [*kern, *advised])
    return {"aanleiding": note_intro(draft), "kern": [draft.book.point(c) for c in kern],
            "handelingsopties": options, "aandachtspunten": cautions}


def _gespreksvragen(draft: Draft, sections: list[StepSection]) -> dict[str, list[Point]]:
    """The worksheet. What it shows is tracked in reading order (short answer, each step's
    questions and material, the stelling; the examples, shown last, are reserved up front),
    so no sentence appears twice."""
    extras: dict[str, list[Point]] = {}
    shown = {c.text for c in (*draft.summary, *draft.examples)}
    points = {s.step: {p.text for p in s.points if p.origin == "source"} for s in sections}
    for section in sections:
        others = set().union(*(v for k, v in points.items() if k != section.step))
        questions = discussion_questions(draft, section, shown, reserved=others)
        if questions:
            extras[f"gespreksvragen:{section.step}"] = questions
        shown |= points[section.step]  # quoted by a question, or listed as material after them
    extras["stelling"] = pick_stelling(draft, shown)
    extras["oefening"] = pick_exercise(draft, sections)
    return {k: v for k, v in extras.items() if v}


MODE_SECTIONS: dict[str, Callable[[Draft, list[StepSection]], dict[str, list[Point]]]] = {
    "vraag": _vraag, "notitie": _notitie, "gespreksvragen": _gespreksvragen,
}


def mode_sections(mode: str, draft: Draft, sections: list[StepSection]) -> dict[str, list[Point]]:
    return MODE_SECTIONS[mode](draft, sections)
