"""The citation check: a number that points nowhere, or a 'quote' that is not in its passage,
is a bug caught here rather than by a reader."""

from __future__ import annotations

import re

from assistant.compose.answer import ORIGINS, Answer
from assistant.compose.sentences import occurs_in

_MARKER = re.compile(r"(?<!\\)\[(\d+)\]")


def _labelled_points(answer: Answer):
    for p in answer.summary:
        yield "kort antwoord", p
    for s in answer.steps:
        for p in s.points:
            yield f"stap {s.step}", p
    for p in answer.examples:
        yield "voorbeelden", p
    for key, points in answer.extras.items():
        for p in points:
            yield key, p


def check_citations(answer: Answer) -> list[str]:
    """Problems with the answer's citations; [] when every [n] resolves and every source
    sentence occurs verbatim (trimming allowed) in a passage it cites."""
    problems: list[str] = []
    numbers = [c.n for c in answer.citations]
    if numbers != list(range(1, len(numbers) + 1)):
        problems.append(f"bronnen zijn niet doorlopend genummerd vanaf 1: {numbers}")
    known = set(numbers)
    for where, point in _labelled_points(answer):
        label = f"{where}: '{point.text[:60]}'"
        if point.origin not in ORIGINS:
            problems.append(f"{label}: onbekende herkomst '{point.origin}'")
        missing = [n for n in point.citations if n not in known]
        if missing:
            problems.append(f"{label}: verwijst naar onbekende bron(nen) {missing}")
        passages = [answer.citation(n).passage.text for n in point.citations if n in known]
        if point.origin == "source":
            if not point.citations:
                problems.append(f"{label}: zin uit de bronnen zonder bronvermelding")
            elif passages and not any(occurs_in(point.text, t) for t in passages):
                problems.append(f"{label}: staat niet letterlijk in de geciteerde passage")
        if point.quote is not None and not any(occurs_in(point.quote, t) for t in passages):
            problems.append(f"{label}: citaat staat niet in de geciteerde passage")
    for field_name, text in (("prose", answer.prose or ""), ("markdown", answer.meta.get("markdown", ""))):
        for n in sorted({int(m) for m in _MARKER.findall(text)} - known):
            problems.append(f"{field_name}: [{n}] verwijst naar geen enkele bron")
    return problems
