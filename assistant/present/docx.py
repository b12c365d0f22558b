"""The DOCX writer (python-docx), and `write_answer`, which picks Markdown or DOCX by suffix.

The document renders the same layout blocks as the Markdown: headings, paragraphs and lists
with [n] markers, and the numbered references with the exact passage text as a quote. Each [n]
is a link to its reference entry. The document is Dutch (nl-NL, in its properties and its
styles), titled with the question and authored by REGIOWIJZER_AUTHOR (default "Regiowijzer").
Document text is written as text runs, never interpreted.
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping, Sequence
from datetime import UTC, datetime
from pathlib import Path

from assistant.compose.answer import Answer
from assistant.present.blocks import (
    Block,
    Cite,
    Heading,
    Instructions,
    ItemList,
    Notice,
    Paragraph,
    Quote,
    References,
    Run,
)
from assistant.present.layout import layout
from assistant.present.markdown import to_markdown

SUFFIXES = (".md", ".docx")
LANGUAGE = "nl-NL"
DEFAULT_AUTHOR = "Regiowijzer"
_XML_ILLEGAL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


class ExportError(ValueError):
    """The answer cannot be written to that file; the message is Dutch."""


def document_author(env: Mapping[str, str] | None = None) -> str:
    """The author in the document's properties: REGIOWIJZER_AUTHOR, or "Regiowijzer"."""
    env = os.environ if env is None else env
    return (env.get("REGIOWIJZER_AUTHOR") or "").strip() or DEFAULT_AUTHOR


def _plain(text: str) -> str:
    return _XML_ILLEGAL.sub("", text)


class _Writer:
    def __init__(self, doc, references: set[int]):
        self.doc = doc
        self.references = references  # the numbers a [n] can link to
        self.bookmarks = 0

    def runs(self, paragraph, runs: Sequence[Run], italic: bool = False) -> None:
        from assistant.present.docx_xml import add_internal_link, bookmark_name

        for r in runs:
            if isinstance(r, Cite):
                paragraph.add_run(" ")
                if r.n in self.references:
                    add_internal_link(paragraph, f"[{r.n}]", bookmark_name(r.n))
                else:
                    paragraph.add_run(f"[{r.n}]")
                continue
            run = paragraph.add_run(_plain(r.text))
            run.italic = italic or r.style == "italic" or None
            run.bold = r.style == "bold" or None

    def heading(self, b: Heading) -> None:
        self.doc.add_heading(_plain(b.text), level=min(b.level - 1, 9))

    def items(self, b: ItemList) -> None:
        from assistant.present.docx_xml import restart_numbering

        numbered = []
        for item in b.items:
            para = self.doc.add_paragraph(style="List Number" if b.numbered else "List Bullet")
            self.runs(para, item.runs)
            numbered.append(para)
            if item.quote:
                self.runs(self.doc.add_paragraph(style="Quote"), item.quote)
        if b.numbered:
            restart_numbering(self.doc, numbered)

    def sources(self, b: References) -> None:
        from assistant.present.docx_xml import add_bookmark, bookmark_name

        self.doc.add_heading(_plain(b.title), level=1)
        for ref in b.entries:
            para = self.doc.add_paragraph()
            para.add_run(f"[{ref.n}] ").bold = True
            para.add_run(_plain(ref.line))
            self.bookmarks += 1
            add_bookmark(para, bookmark_name(ref.n), self.bookmarks)
            blocks = [f"“{q}”" for q in ref.quotes] or re.split(r"\n\s*\n", ref.passage.strip())
            for block in blocks:  # the cited sentences; the whole passage when none is known
                self.doc.add_paragraph(_plain(" ".join(block.split())), style="Quote")

    def block(self, b: Block) -> None:
        if isinstance(b, Heading):
            self.heading(b)
        elif isinstance(b, Notice):
            self.doc.add_paragraph().add_run(_plain(b.text)).italic = True
        elif isinstance(b, Paragraph):
            self.runs(self.doc.add_paragraph(), b.runs)
        elif isinstance(b, Quote):
            self.runs(self.doc.add_paragraph(style="Quote"), b.runs)
        elif isinstance(b, ItemList):
            self.items(b)
        elif isinstance(b, Instructions):
            for line in b.lines:
                if line.strip():
                    self.doc.add_paragraph(_plain(line.strip()))
        elif isinstance(b, References):
            self.sources(b)
        else:
            raise TypeError(f"unknown block {b!r}")


def _properties(doc, answer: Answer, author: str) -> None:
    from assistant.present.docx_xml import set_language

    now = datetime.now(UTC).replace(microsecond=0, tzinfo=None)
    props = doc.core_properties
    props.title = _plain(answer.question)[:255]
    props.author = props.last_modified_by = author
    props.created = props.modified = now
    props.language = LANGUAGE
    props.comments = ""  # the template says "generated by python-docx"
    props.revision = 1
    set_language(doc, LANGUAGE)


def build_docx(answer: Answer, author: str | None = None):
    """The answer as a python-docx Document: the same blocks as the Markdown."""
    import docx

    doc = docx.Document()
    _properties(doc, answer, author or document_author())
    writer = _Writer(doc, {c.n for c in answer.citations})
    for b in layout(answer):
        writer.block(b)
    return doc


def to_docx(answer: Answer, path: Path | str, author: str | None = None) -> Path:
    path = Path(path)
    build_docx(answer, author).save(str(path))
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
