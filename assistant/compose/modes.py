"""The three modes on one retrieval: the sections each adds to the shared answer.

vraag: questions a council member can ask; notitie: the reason for the note and options for
action; gespreksvragen: per-step discussion questions tied to quotes, a stelling and an
exercise. Without an LLM the questions come from the route-map file's templates (with
{onderwerp} filled in) and from questions the sources themselves ask.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Collection, Sequence

from assistant.compose.answer import Point, StepSection
from assistant.compose.extractive import Draft
from assistant.compose.select import Candidate, mmr_select, overlaps, overlaps_any
from assistant.compose.topic import question_topic
from ingest.index.corpusdata import Oefening

ADVICE_CUES = re.compile(
    r"\b(?:is het (?:van belang|zaak|nuttig|goed|verstandig)|het is (?:de kunst|belangrijk|zaak)"
    r"|moet(?:en)?|zorg|investeer|realiseer|kies|maak|begin|let op|aanbeveling|advies|raden"
    r"|belangrijk|beter|zoek|betrek|deel|houd|durf)\b", re.IGNORECASE)
QUESTION_MIN_RELEVANCE = 0.2


def fill(template: str, topic: str) -> str:
    return template.replace("{onderwerp}", topic)


def _overlap(draft: Draft, text: str, tokens: frozenset[str]) -> float:
    mine = draft.ctx.tokens(text)
    return len(mine & tokens) + 0.5 * len(mine & {t.token for t in draft.pool.terms})


def _ranked_templates(draft: Draft, templates: Sequence[str], tokens: frozenset[str]) -> list[str]:
    order = {t: i for i, t in enumerate(templates)}
    return sorted(templates, key=lambda t: (-_overlap(draft, t, tokens), order[t]))


def _covered(sections: list[StepSection], draft: Draft) -> list[int]:
    """Steps with evidence, strongest first; when none, the steps of the cited passages."""
    if sections:
        return [s.step for s in sorted(sections, key=lambda s: (-len(s.points), s.step))]
    steps = [st for c in draft.summary for st in c.passage.steps]
    return list(dict.fromkeys(steps))


def _corpus_questions(draft: Draft, ids: set[str] | None = None) -> list[Candidate]:
    pool = draft.pool
    found = [c for c in pool.questions if (ids is None or c.passage.id in ids)
             and pool.relevance(c) >= QUESTION_MIN_RELEVANCE and len(c.text.split()) >= 6]
    return mmr_select(pool.scored(found), k=2)


def council_questions(draft: Draft, sections: list[StepSection]) -> list[Point]:
    """2-3 "Vragen die u in de raad kunt stellen": templates of the covered steps, plus a
    question the sources themselves ask when one fits."""
    topic = question_topic(draft.question)
    evidence_tokens = frozenset(t for c in draft.taken() for t in c.tokens)
    covered = _covered(sections, draft) or [3]
    templates: list[str] = []
    for step in covered:
        ranked = _ranked_templates(draft, draft.ctx.routekaart.step(step).raadsvragen, evidence_tokens)
        templates += ranked[:2] if len(covered) == 1 else ranked[:1]
    points = [Point(text=fill(t, topic), origin="template") for t in templates[:3]]
    corpus = _corpus_questions(draft)
    if corpus:
        points = points[:2] + [draft.book.point(corpus[0])]
    return points[:3]


def action_points(draft: Draft) -> list[Point]:
    """Handelingsopties en aandachtspunten: advice sentences, preferably from handreikingen."""
    pool = draft.pool
    taken = draft.taken()
    candidates = [c for c in pool.claims if c.passage.block == "handreiking"
                  or c.passage.kind == "handreiking" or ADVICE_CUES.search(c.text)]
    best = max((pool.relevance(c) for c in pool.claims), default=0.0)
    scored = []
    for score, c in pool.scored(candidates, ("handreiking",), min_relevance=max(0.1, 0.35 * best)):
        scored.append((score + (0.1 if ADVICE_CUES.search(c.text) else 0.0), c))
    chosen = mmr_select(scored, k=4, taken=taken)
    if not chosen:
        return [Point(text="De bronnen geven bij deze vraag geen concrete handreiking.", origin="ours")]
    return [draft.book.point(c) for c in chosen]


def note_intro(draft: Draft) -> list[Point]:
    return [Point(text=f"Gevraagd is: “{draft.question}”", origin="ours"),
            Point(text="Deze notitie zet op een rij wat de bronnen daarover zeggen, langs de vijf "
                       "stappen van de routekaart voor regionale samenwerking.", origin="ours")]


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
    """Two or three questions for one step, each tied to a quoted passage. `shown` holds the
    sentences the sheet already shows: such a quote is cited, not shown again; new quotes are
    added to it. `reserved` sentences (other steps' points) are not drawn in as extra quotes."""
    shown = set() if shown is None else shown
    topic = question_topic(draft.question)
    templates = draft.ctx.routekaart.step(section.step).gespreksvragen
    points: list[Point] = []
    used: set[str] = set()
    quotes = _step_quotes(draft, section, want=2, shown=shown | set(reserved))[:3]
    if len(quotes) == 1:  # one quote can carry two questions; it is shown once
        quotes = quotes * 2
    for text, citations in quotes:
        ranked = [t for t in _ranked_templates(draft, templates, draft.ctx.tokens(text))
                  if t not in used]
        if not ranked:
            break
        used.add(ranked[0])
        points.append(Point(text=fill(ranked[0], topic), citations=list(citations),
                            origin="template", quote=None if overlaps_any(text, shown) else text))
        shown.add(text)
    ids = draft.pool.step_ids(section.step, len(draft.pool.evidence.hits))
    asked = [c for c in _corpus_questions(draft, ids) if not overlaps_any(c.text, shown)]
    if asked:
        point = draft.book.point(asked[0])
        points = [*points[:2], point] if len(points) >= 2 else [*points, point]
        shown.add(asked[0].text)
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
    """The exercise whose steps carry most of the evidence: a network analysis along structuur,
    personen en weefsel, or placing the region in the quadrant model."""
    oefeningen = draft.ctx.routekaart.oefeningen
    if not oefeningen:
        return []
    weight = {s.step: len(s.points) for s in sections}

    def fit(o: Oefening) -> float:
        return sum(weight.get(s, 0) for s in o.stappen) / max(len(o.stappen), 1) ** 0.5

    best = max(oefeningen, key=lambda o: (fit(o), -oefeningen.index(o)))
    return [Point(text=best.titel, origin="template"),
            Point(text=best.instructie.strip(), origin="template")]


def _vraag(draft: Draft, sections: list[StepSection]) -> dict[str, list[Point]]:
    return {"raadsvragen": council_questions(draft, sections)}


def _notitie(draft: Draft, sections: list[StepSection]) -> dict[str, list[Point]]:
    return {"aanleiding": note_intro(draft), "handelingsopties": action_points(draft)}


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
