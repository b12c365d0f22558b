"""The DOCX writer (python-docx), and `write_answer`, which picks Markdown or DOCX by suffix.

The document renders the same layout blocks as the Markdown: headings, paragraphs and lists
with [n] markers, and the numbered references with the exact passage text as a quote. Each [n]
is a link to its reference entry. The document is Dutch (nl-NL, in its properties and its
styles), titled with the question and authored by REGIOWIJZER_AUTHOR (default "Regiowijzer").
It is laid out as a Dutch office document: A4 with 2.5 cm margins, the date under the title,
the (shortened) title in the header and "Pagina n van m" in the footer.
Document text is written as text runs, never interpreted.
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping, Sequence
from datetime import UTC, date, datetime
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
A4_MM = (210, 297)
MARGIN_CM = 2.5
HEADER_CHARS = 90
MONTHS = ("januari", "februari", "maart", "april", "mei", "juni", "juli", "augustus", "september",
          "oktober", "november", "december")


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


def export_stem(answer: Answer, words_chars: int = 50) -> str:
    """A file name (without suffix) for an exported answer: regiowijzer-<mode>-<the question's
    first words>, in plain letters, never cut inside a word."""
    import unicodedata

    plain = unicodedata.normalize("NFKD", answer.question).encode("ascii", "ignore").decode()
    words = re.findall(r"[a-z0-9]+", plain.lower())
    slug = ""
    for word in words:
        longer = f"{slug}-{word}" if slug else word
        if len(longer) > words_chars:
            break
        slug = longer
    if not slug and words:
        slug = words[0][:words_chars]
    return f"regiowijzer-{answer.mode}-{slug or 'antwoord'}"


def dutch_date(day: date) -> str:
    """7 december 2026."""
    return f"{day.day} {MONTHS[day.month - 1]} {day.year}"


def shortened(text: str, limit: int) -> str:
    """At most `limit` characters, cut between words with an ellipsis."""
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    cut = text[: limit - 1].rsplit(" ", 1)[0] if " " in text[: limit - 1] else text[: limit - 1]
    return cut.rstrip(" ,;:-") + "…"


def _page_setup(doc, title: str) -> None:
    """A4, margins, the title in the header, page numbers in the footer."""
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Cm, Mm, Pt

    from assistant.present.docx_xml import add_field

    for section in doc.sections:
        section.page_width, section.page_height = Mm(A4_MM[0]), Mm(A4_MM[1])
        section.top_margin = section.bottom_margin = Cm(MARGIN_CM)
        section.left_margin = section.right_margin = Cm(MARGIN_CM)
        section.header_distance = section.footer_distance = Cm(1.25)
        header = section.header.paragraphs[0]
        header.text = ""
        run = header.add_run(_plain(shortened(title, HEADER_CHARS)))
        run.font.size = Pt(9)
        footer = section.footer.paragraphs[0]
        footer.alignment = WD_ALIGN_PARAGRAPH.CENTER
        for part in ("Pagina ", "PAGE", " van ", "NUMPAGES"):
            if part.isupper():
                add_field(footer, part, size_pt=9)
            else:
                footer.add_run(part).font.size = Pt(9)


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
    author = author or document_author()
    _properties(doc, answer, author)
    blocks = layout(answer)
    today = datetime.now().date()
    title = blocks[0].text if blocks and isinstance(blocks[0], Heading) else answer.question
    _page_setup(doc, title)
    writer = _Writer(doc, {c.n for c in answer.citations})
    for i, b in enumerate(blocks):
        writer.block(b)
        if i == 0:  # the date under the title
            para = doc.add_paragraph()
            para.add_run(f"{author}, {dutch_date(today)}").italic = True
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
