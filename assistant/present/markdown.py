"""The answer as Markdown, with Dutch headings, [n] markers and a numbered source list.

Text from documents is always text: HTML and Markdown syntax in a passage are escaped so a
viewer shows them as written instead of interpreting them.
"""

from __future__ import annotations

import html
import re

from assistant.compose.answer import EXTRA_TITLES, Answer, Point, StepSection
from assistant.present.references import example_label, reference_line

_MD_SPECIAL = re.compile(r"([\\`*_\[\]{}|])")
_LINE_START = re.compile(r"^(\s*)([#+\-=]|\d+\.)", re.MULTILINE)  # ">" is escaped as &gt;


def md_text(text: str) -> str:
    """Escape text so Markdown/HTML viewers show it literally."""
    text = html.escape(text, quote=False)
    text = _MD_SPECIAL.sub(r"\\\1", text)
    return _LINE_START.sub(lambda m: m.group(1) + "\\" + m.group(2), text)


def markers(citations: list[int]) -> str:
    return "".join(f" [{n}]" for n in citations)


def point_line(p: Point) -> str:
    return md_text(p.text) + markers(p.citations)


def _steps_list(numbers: list[int]) -> str:
    names = [str(n) for n in numbers]
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " en " + names[-1]


def silent_line(answer: Answer) -> str | None:
    if not answer.silent_steps:
        return None
    word = "stap" if len(answer.silent_steps) == 1 else "stappen"
    return (f"Over {word} {_steps_list(answer.silent_steps)} zeggen de bronnen niets bij deze vraag.")


def _step_block(s: StepSection, out: list[str], level: str = "###") -> None:
    out.append(f"{level} Stap {s.step} · {md_text(s.title)}")
    if s.wegwijzers:
        names = [f"Wegwijzer {n}" + (f": {t}" if t else "")
                 for n, t in zip(s.wegwijzers, s.wegwijzer_titles or [""] * len(s.wegwijzers),
                                 strict=False)]
        out.append("*" + md_text("; ".join(names)) + "*")
        out.append("")
    out.extend(f"- {point_line(p)}" for p in s.points)
    out.append("")


def _route_map(answer: Answer, out: list[str], heading: str) -> None:
    if not answer.steps and not answer.silent_steps:
        return
    out += [heading, ""]
    for s in answer.steps:
        _step_block(s, out)
    line = silent_line(answer)
    if line:
        out += [f"*{line}*", ""]


def _examples(answer: Answer, out: list[str], heading: str) -> None:
    if not answer.examples:
        return
    out += [heading, ""]
    for p in answer.examples:
        label = example_label(answer.citation(p.citations[0]), p.text) if p.citations else ""
        out.append(f"- {point_line(p)}" + (f" — *{md_text(label)}*" if label else ""))
    out.append("")


def _sources(answer: Answer, out: list[str]) -> None:
    if not answer.citations:
        return
    out += ["## Bronnen", ""]
    for c in answer.citations:
        out.append(f"[{c.n}] {md_text(reference_line(c))}")
        out.append("")
        out.extend("> " + md_text(line) if line.strip() else ">"
                   for line in c.passage.text.strip().splitlines())
        out.append("")


def _summary(answer: Answer, out: list[str], heading: str) -> None:
    out += [heading, "", " ".join(point_line(p) for p in answer.summary), ""]


def region_heading(answer: Answer) -> str:
    return f"{EXTRA_TITLES['regio']}: {answer.region}" if answer.region else EXTRA_TITLES["regio"]


def _region(answer: Answer, out: list[str], level: str = "##") -> None:
    """'In uw regio: Drenthe': our lines as text, quoted sentences as a list with their case."""
    points = answer.extras.get("regio")
    if not points:
        return
    out += [f"{level} {md_text(region_heading(answer))}", ""]
    for p in points:
        if p.origin == "source":
            label = example_label(answer.citation(p.citations[0]), p.text) if p.citations else ""
            out.append(f"- {point_line(p)}" + (f" — *{md_text(label)}*" if label else ""))
        else:
            if out[-1] != "":
                out.append("")
            out += [point_line(p), ""]
    if out[-1] != "":
        out.append("")


def _list_extra(answer: Answer, key: str, out: list[str], numbered: bool = False) -> None:
    points = answer.extras.get(key)
    if not points:
        return
    out += [f"## {EXTRA_TITLES[key]}", ""]
    for i, p in enumerate(points, start=1):
        out.append(f"{i}. {point_line(p)}" if numbered else f"- {point_line(p)}")
    out.append("")


def _worksheet(answer: Answer, out: list[str]) -> None:
    sections = [s for s in answer.steps if answer.extras.get(f"gespreksvragen:{s.step}")]
    if sections:
        out += [f"## {EXTRA_TITLES['gespreksvragen']}", ""]
    for s in sections:
        out.append(f"### Stap {s.step} · {md_text(s.title)}")
        out.append("")
        for i, q in enumerate(answer.extras[f"gespreksvragen:{s.step}"], start=1):
            out.append(f"{i}. {md_text(q.text)}" + ("" if q.quote else markers(q.citations)))
            if q.quote:
                out.append(f"   > “{md_text(q.quote)}”{markers(q.citations)}")
        out.append("")
    stelling = answer.extras.get("stelling")
    if stelling:
        s = stelling[0]
        out += [f"## {EXTRA_TITLES['stelling']}", "", f"**{md_text(s.text)}**", ""]
        if s.quote:
            out += [f"> “{md_text(s.quote)}”{markers(s.citations)}", ""]
    exercise = answer.extras.get("oefening")
    if exercise:
        out += [f"## {EXTRA_TITLES['oefening']}: {md_text(exercise[0].text)}", ""]
        # the route-map file's own text: its numbered lines stay a list (HTML is still escaped)
        out += [html.escape(line, quote=False) for line in exercise[1].text.splitlines()
                ] if len(exercise) > 1 else []
        out.append("")


def to_markdown(answer: Answer) -> str:
    """The whole answer as Markdown, laid out for its mode."""
    out: list[str] = []
    title = {"vraag": "Vraag", "notitie": "Notitie", "gespreksvragen": "Werkblad"}[answer.mode]
    out += [f"# {title}: {md_text(answer.question)}", ""]
    if answer.notice:
        out += [f"*{md_text(answer.notice)}*", ""]
    if answer.prose:  # an LLM's checked text over exactly these citations
        out += [answer.prose.replace("<", "&lt;").strip(), ""]
        _region(answer, out)
        _sources(answer, out)
        return "\n".join(out).rstrip() + "\n"
    if answer.abstained:
        out += [point_line(answer.summary[0]), ""]
        _list_extra(answer, "misschien_relevant", out)
        _sources(answer, out)
        return "\n".join(out).rstrip() + "\n"
    if answer.mode == "notitie":
        _list_extra(answer, "aanleiding", out)
        out += ["## Wat zeggen de bronnen", ""]
        _summary(answer, out, "### Kern")
        _region(answer, out, "###")
        _route_map(answer, out, "### Langs de routekaart")
        _examples(answer, out, "### Voorbeelden uit de praktijk")
        _list_extra(answer, "handelingsopties", out)
    elif answer.mode == "gespreksvragen":
        _summary(answer, out, "## Kort antwoord")
        _region(answer, out)
        _worksheet(answer, out)
        _examples(answer, out, "## Voorbeelden uit de praktijk")
    else:
        _summary(answer, out, "## Kort antwoord")
        _region(answer, out)
        if answer.shape == "route":
            _route_map(answer, out, "## Langs de routekaart")
            _examples(answer, out, "## Voorbeelden uit de praktijk")
        else:  # a definition or fact: the answer first, where it sits on the route map second
            _examples(answer, out, "## Voorbeelden uit de praktijk")
            _route_map(answer, out, "## Waar dit staat op de routekaart")
        _list_extra(answer, "raadsvragen", out, numbered=True)
    _sources(answer, out)
    return "\n".join(out).rstrip() + "\n"
