"""One layout per mode: the answer as a list of typed blocks, the only place that knows each
mode's structure. The Markdown, DOCX and chat writers render these blocks and nothing else.

vraag: Kort antwoord, then what the question's kind calls for (Langs de routekaart, Voorbeelden,
Vragen voor de raad); notitie: Aanleiding, Kern, Handelingsopties, Aandachtspunten;
gespreksvragen: Kort antwoord, a worksheet per step, a stelling and an exercise. An answer a
language model wrote keeps its own structure: its prose replaces the extractive body.
Every answer ends with its references.
"""

from __future__ import annotations

from assistant.compose.answer import EXTRA_TITLES, Answer, Point, StepSection
from assistant.present.blocks import (
    Block,
    Cite,
    Heading,
    Instructions,
    Item,
    ItemList,
    Notice,
    Paragraph,
    Quote,
    Reference,
    References,
    Run,
    Text,
)
from assistant.present.prose import prose_blocks
from assistant.present.references import example_label, reference_line

TITLES = {"vraag": "Vraag", "notitie": "Notitie", "gespreksvragen": "Werkblad"}
SOURCES_TITLE = "Bronnen"


def point_runs(p: Point) -> tuple[Run, ...]:
    return (Text(p.text), *(Cite(n) for n in p.citations))


def _items(points: list[Point], numbered: bool = False) -> list[Block]:
    return [ItemList(tuple(Item(point_runs(p)) for p in points), numbered)] if points else []


def _steps_list(numbers: list[int]) -> str:
    names = [str(n) for n in numbers]
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " en " + names[-1]


def silent_line(answer: Answer) -> str | None:
    if not answer.silent_steps:
        return None
    word = "stap" if len(answer.silent_steps) == 1 else "stappen"
    return f"Over {word} {_steps_list(answer.silent_steps)} zeggen de bronnen niets bij deze vraag."


def _step(s: StepSection, level: int) -> list[Block]:
    out: list[Block] = [Heading(level, f"Stap {s.step} · {s.title}")]
    if s.wegwijzers:
        titles = s.wegwijzer_titles or [""] * len(s.wegwijzers)
        names = [f"Wegwijzer {n}" + (f": {t}" if t else "")
                 for n, t in zip(s.wegwijzers, titles, strict=False)]
        out.append(Paragraph((Text("; ".join(names), "italic"),)))
    return out + _items(s.points)


def route_map(answer: Answer, heading: str, level: int) -> list[Block]:
    if not answer.steps and not answer.silent_steps:
        return []
    out: list[Block] = [Heading(level, heading)]
    for s in answer.steps:
        out += _step(s, level + 1)
    line = silent_line(answer)
    if line:
        out.append(Paragraph((Text(line, "italic"),)))
    return out


def examples(answer: Answer, level: int) -> list[Block]:
    if not answer.examples:
        return []
    items = []
    for p in answer.examples:
        label = example_label(answer.citation(p.citations[0]), p.text) if p.citations else ""
        items.append(Item(point_runs(p) + ((Text(" — "), Text(label, "italic")) if label else ())))
    return [Heading(level, "Voorbeelden uit de praktijk"), ItemList(tuple(items))]


def lead_blocks(points: list[Point]) -> list[Block]:
    """The lead as one paragraph; a list (a lead-in ending in ':' and its items) as a list."""
    out: list[Block] = []
    runs: list[Run] = []
    items: list[Point] = []
    for p in points:
        if items or (runs and plain_text(runs).rstrip().endswith(":")):
            items.append(p)
            continue
        runs += [Text(" ")] if runs else []
        runs += point_runs(p)
    if runs:
        out.append(Paragraph(tuple(runs)))
    cited = set(points[0].citations) if points else set()
    # the lead-in carries the citation; an item cites only a source the lead-in does not
    return out + _items([Point(p.text, [n for n in p.citations if n not in cited], p.origin)
                         for p in items])


def plain_text(runs: list[Run]) -> str:
    return "".join(r.text for r in runs if isinstance(r, Text))


def summary(answer: Answer, heading: str, level: int) -> list[Block]:
    return [Heading(level, heading), *lead_blocks(answer.summary)]


def extra(answer: Answer, key: str, numbered: bool = False) -> list[Block]:
    points = answer.extras.get(key)
    return [Heading(2, EXTRA_TITLES[key]), *_items(points, numbered)] if points else []


def _quoted(p: Point) -> tuple[Run, ...]:
    return (Text(f"“{p.quote}”"), *(Cite(n) for n in p.citations))


def worksheet(answer: Answer) -> list[Block]:
    out: list[Block] = []
    sections = [s for s in answer.steps if answer.extras.get(f"gespreksvragen:{s.step}")]
    if sections:
        out.append(Heading(2, EXTRA_TITLES["gespreksvragen"]))
    for s in sections:
        questions = answer.extras[f"gespreksvragen:{s.step}"]
        items = [Item((Text(q.text),), _quoted(q)) if q.quote else Item(point_runs(q))
                 for q in questions]
        out += [Heading(3, f"Stap {s.step} · {s.title}"), ItemList(tuple(items), numbered=True)]
        # Evidence no question quotes stays on the sheet as material, so every source listed
        # under Bronnen is cited where the trainer reads.
        quoted = {q.quote for q in questions if q.quote}
        rest = [p for p in s.points if p.origin == "source" and p.text not in quoted]
        if rest:
            out += [Paragraph((Text("Meer uit de bronnen bij deze stap:", "italic"),)),
                    ItemList(tuple(Item((Text(f"“{p.text}”"), *(Cite(n) for n in p.citations)))
                                   for p in rest))]
    stelling = answer.extras.get("stelling")
    if stelling:
        cites = () if stelling[0].quote else tuple(Cite(n) for n in stelling[0].citations)
        out += [Heading(2, EXTRA_TITLES["stelling"]), Paragraph((Text(stelling[0].text, "bold"), *cites))]
        if stelling[0].quote:
            out.append(Quote(_quoted(stelling[0])))
    exercise = answer.extras.get("oefening")
    if exercise:
        out.append(Heading(2, f"{EXTRA_TITLES['oefening']}: {exercise[0].text}"))
        if len(exercise) > 1:
            out.append(Instructions(tuple(exercise[1].text.splitlines())))
    return out


def region(answer: Answer, level: int = 2) -> list[Block]:
    """'In uw regio: Drenthe': our lines as paragraphs, quoted sentences as a list with their case."""
    points = answer.extras.get("regio")
    if not points:
        return []
    title = f"{EXTRA_TITLES['regio']}: {answer.region}" if answer.region else EXTRA_TITLES["regio"]
    out: list[Block] = [Heading(level, title)]
    quoted: list[Item] = []
    for p in points:
        if p.origin == "source":
            label = example_label(answer.citation(p.citations[0]), p.text) if p.citations else ""
            quoted.append(Item(point_runs(p) + ((Text(" — "), Text(label, "italic")) if label else ())))
            continue
        if quoted:
            out.append(ItemList(tuple(quoted)))
            quoted = []
        out.append(Paragraph(point_runs(p)))
    if quoted:
        out.append(ItemList(tuple(quoted)))
    return out


def references(answer: Answer) -> list[Block]:
    if not answer.citations:
        return []
    entries = tuple(Reference(c.n, reference_line(c), c.passage.text, tuple(c.quotes))
                    for c in answer.citations)
    return [References(SOURCES_TITLE, entries)]


def _body(answer: Answer) -> list[Block]:
    if answer.prose:  # a language model's checked text over exactly these citations
        return [*prose_blocks(answer.prose), *region(answer)]
    if answer.abstained:
        return [Paragraph(point_runs(answer.summary[0])), *extra(answer, "misschien_relevant")]
    if answer.mode == "notitie":  # a first draft
        intro = answer.extras.get("aanleiding", [])
        kern = [*answer.summary, *answer.extras.get("kern", [])]
        return [Heading(2, EXTRA_TITLES["aanleiding"]),
                Paragraph(tuple(r for i, p in enumerate(intro)
                                for r in ((Text(" "),) if i else ()) + point_runs(p))),
                Heading(2, EXTRA_TITLES["kern"]), *_items(kern), *region(answer),
                *extra(answer, "handelingsopties"), *extra(answer, "aandachtspunten")]
    if answer.mode == "gespreksvragen":
        return [*summary(answer, "Kort antwoord", 2), *region(answer), *worksheet(answer),
                *examples(answer, 2)]
    return [*summary(answer, "Kort antwoord", 2), *region(answer),
            *route_map(answer, "Langs de routekaart", 2), *examples(answer, 2),
            *extra(answer, "raadsvragen", numbered=True)]


def layout(answer: Answer) -> list[Block]:
    """The whole answer as blocks, laid out for its mode and shape."""
    out: list[Block] = [Heading(1, f"{TITLES[answer.mode]}: {answer.question}")]
    if answer.notice:
        out.append(Notice(answer.notice))
    return out + _body(answer) + references(answer)
