"""Exports of an answer: Markdown and Word (python-docx), chosen by the file's suffix.

The DOCX carries the same parts as the Markdown: headings, points with [n] markers, and the
numbered references with the exact passage text as a quote. Document text is written as
text runs, never interpreted.
"""

from __future__ import annotations

import re
from pathlib import Path

from assistant.compose.answer import EXTRA_TITLES, Answer, Point
from assistant.present.markdown import region_heading, silent_line, to_markdown
from assistant.present.references import example_label, reference_line

SUFFIXES = (".md", ".docx")
_XML_ILLEGAL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


class ExportError(ValueError):
    """The answer cannot be written to that file; the message is Dutch."""


def _plain(text: str) -> str:
    return _XML_ILLEGAL.sub("", text)


def _markers(citations: list[int]) -> str:
    return "".join(f" [{n}]" for n in citations)


def _bullets(doc, points: list[Point], style: str = "List Bullet") -> None:
    for p in points:
        doc.add_paragraph(_plain(p.text) + _markers(p.citations), style=style)


def _route_map(doc, answer: Answer, heading: str, level: int) -> None:
    if not answer.steps and not answer.silent_steps:
        return
    doc.add_heading(heading, level=level)
    for s in answer.steps:
        doc.add_heading(f"Stap {s.step} · {s.title}", level=level + 1)
        if s.wegwijzers:
            names = [f"Wegwijzer {n}" + (f": {t}" if t else "")
                     for n, t in zip(s.wegwijzers, s.wegwijzer_titles or [""] * len(s.wegwijzers),
                                     strict=False)]
            doc.add_paragraph().add_run(_plain("; ".join(names))).italic = True
        _bullets(doc, s.points)
    line = silent_line(answer)
    if line:
        doc.add_paragraph().add_run(line).italic = True


def _examples(doc, answer: Answer, level: int) -> None:
    if not answer.examples:
        return
    doc.add_heading("Voorbeelden uit de praktijk", level=level)
    for p in answer.examples:
        para = doc.add_paragraph(_plain(p.text) + _markers(p.citations), style="List Bullet")
        label = example_label(answer.citation(p.citations[0]), p.text) if p.citations else ""
        if label:
            para.add_run(" — " + _plain(label)).italic = True


def _region(doc, answer: Answer, level: int) -> None:
    """'In uw regio: Drenthe' (assistant.compose.region): our lines plain, quotes as bullets."""
    points = answer.extras.get("regio")
    if not points:
        return
    doc.add_heading(_plain(region_heading(answer)), level=level)
    for p in points:
        if p.origin != "source":
            doc.add_paragraph(_plain(p.text) + _markers(p.citations))
            continue
        para = doc.add_paragraph(_plain(p.text) + _markers(p.citations), style="List Bullet")
        label = example_label(answer.citation(p.citations[0]), p.text) if p.citations else ""
        if label:
            para.add_run(" — " + _plain(label)).italic = True


def _extra(doc, answer: Answer, key: str, numbered: bool = False) -> None:
    if answer.extras.get(key):
        doc.add_heading(EXTRA_TITLES[key], level=1)
        _bullets(doc, answer.extras[key], "List Number" if numbered else "List Bullet")


def _worksheet(doc, answer: Answer) -> None:
    sections = [s for s in answer.steps if answer.extras.get(f"gespreksvragen:{s.step}")]
    if sections:
        doc.add_heading(EXTRA_TITLES["gespreksvragen"], level=1)
    for s in sections:
        doc.add_heading(f"Stap {s.step} · {s.title}", level=2)
        for q in answer.extras[f"gespreksvragen:{s.step}"]:
            doc.add_paragraph(_plain(q.text) + ("" if q.quote else _markers(q.citations)),
                              style="List Number")
            if q.quote:
                doc.add_paragraph(f"“{_plain(q.quote)}”{_markers(q.citations)}", style="Quote")
    if answer.extras.get("stelling"):
        s = answer.extras["stelling"][0]
        doc.add_heading(EXTRA_TITLES["stelling"], level=1)
        doc.add_paragraph().add_run(_plain(s.text)).bold = True
        if s.quote:
            doc.add_paragraph(f"“{_plain(s.quote)}”{_markers(s.citations)}", style="Quote")
    exercise = answer.extras.get("oefening")
    if exercise:
        doc.add_heading(f"{EXTRA_TITLES['oefening']}: {_plain(exercise[0].text)}", level=1)
        for line in (exercise[1].text.splitlines() if len(exercise) > 1 else []):
            if line.strip():
                doc.add_paragraph(_plain(line.strip()))


def _sources(doc, answer: Answer) -> None:
    if not answer.citations:
        return
    doc.add_heading("Bronnen", level=1)
    for c in answer.citations:
        para = doc.add_paragraph()
        para.add_run(f"[{c.n}] ").bold = True
        para.add_run(_plain(reference_line(c)))
        for block in re.split(r"\n\s*\n", c.passage.text.strip()):
            doc.add_paragraph(_plain(" ".join(block.split())), style="Quote")


def build_docx(answer: Answer):
    """The answer as a python-docx Document, laid out like the Markdown for its mode."""
    import docx

    doc = docx.Document()
    title = {"vraag": "Vraag", "notitie": "Notitie", "gespreksvragen": "Werkblad"}[answer.mode]
    doc.add_heading(_plain(f"{title}: {answer.question}"), level=0)
    if answer.notice:
        doc.add_paragraph().add_run(_plain(answer.notice)).italic = True
    if answer.abstained:
        doc.add_paragraph(answer.summary[0].text)
        _extra(doc, answer, "misschien_relevant")
    elif answer.mode == "notitie":
        _extra(doc, answer, "aanleiding")
        doc.add_heading("Wat zeggen de bronnen", level=1)
        doc.add_heading("Kern", level=2)
        doc.add_paragraph(" ".join(_plain(p.text) + _markers(p.citations) for p in answer.summary))
        _region(doc, answer, level=2)
        _route_map(doc, answer, "Langs de routekaart", level=2)
        _examples(doc, answer, level=2)
        _extra(doc, answer, "handelingsopties")
    else:
        doc.add_heading("Kort antwoord", level=1)
        doc.add_paragraph(" ".join(_plain(p.text) + _markers(p.citations) for p in answer.summary))
        _region(doc, answer, level=1)
        if answer.mode == "gespreksvragen":
            _worksheet(doc, answer)
            _examples(doc, answer, level=1)
        else:
            _route_map(doc, answer, "Langs de routekaart", level=1)
            _examples(doc, answer, level=1)
            _extra(doc, answer, "raadsvragen", numbered=True)
    _sources(doc, answer)
    return doc


def to_docx(answer: Answer, path: Path | str) -> Path:
    path = Path(path)
    build_docx(answer).save(str(path))
    return path


def write_answer(answer: Answer, path: Path | str) -> Path:
    """Write the answer as .md or .docx, by the file's suffix."""
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix not in SUFFIXES:
        raise ExportError(f"Onbekend bestandstype '{path.suffix or path.name}': kies .md of .docx.")
    try:
        if suffix == ".md":
            path.write_text(answer.meta.get("markdown") or to_markdown(answer), encoding="utf-8")
            return path
        return to_docx(answer, path)
    except OSError as err:
        raise ExportError(f"Kan {path} niet schrijven: {err.strerror or err}.") from err
