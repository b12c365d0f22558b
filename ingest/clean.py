"""Clean extracted pages into paragraphs: the one cleaning step between reading and structure.

`clean_pages` runs the pipeline; every step is a small pure function tested on its own.
Conventions others rely on:
- Text: NFKC; curly single quotes and apostrophes become ', curly double quotes ".
- Page numbers: a paragraph carries the page its first line is on. PDF pages bring their
  number. In plain text a running footer with a number ("Hoofdstuk 2. Een routekaart66")
  or a bare number ending the text closes page N: the text after it gets N + 1 until the
  next such footer. Text before the first footer has page None.
- Dropped as noise: placeholders ("Missing media-item.", "[HIER ...]"), web-form and
  page-footer leftovers, tables of contents, and the loose words of drawings (short
  label lines above a "Figuur N" caption or between two placeholders). Captions stay.
- Kept: a web page's trailing list of related pages (under its own heading it names the
  other parts of a series, which answers "where can I read more").
- Paragraph shapes (headings, markers, bullets): see ingest/unwrap.py.
"""

from __future__ import annotations

import re
import unicodedata

from ingest.furniture import drop_table_of_contents, strip_repeated_lines, strip_running_headers
from ingest.hyphenation import (
    Vocabulary,
    join_hyphenated,
    join_hyphenated_lines,
    repair_split_words,
)
from ingest.model import Page, Paragraph
from ingest.unwrap import (
    BLOCK_MARKERS,
    PAGE_BREAK,
    repair_small_caps,
    unwrap,
    unwrap_with_pages,
)

__all__ = [
    "clean_pages",
    "drop_figure_labels",
    "drop_table_of_contents",
    "is_noise_line",
    "join_hyphenated",
    "normalize_unicode",
    "normalize_whitespace",
    "repair_small_caps",
    "repair_split_words",
    "strip_repeated_lines",
    "strip_running_headers",
    "strip_web_tail",
    "unwrap",
]

_QUOTES = tuple(zip("‘’‚‛′“”„‟″", "''''" + '"' * 6, strict=True))  # curly to straight
_INVISIBLE = re.compile("[\u00ad\u200b-\u200d\u2060\ufeff]")
_CONTROL = re.compile(r"[\x00-\x08\x0e-\x1f\x7f]")
_ODD_SPACE = re.compile(r"[^\S \n\f\r]")  # tabs, no-break and other spaces (after NFKC)
_PLACEHOLDER = re.compile(r"^\[(?:[Hh][Ii][Ee][Rr]\b[^\]]*|[^\]a-z]*[A-Z]{3}[^\]a-z]*)\]$")
_PLACEHOLDER_SPAN = re.compile(r"\[\s*hier\b[^\[\]]{0,200}\]", re.IGNORECASE)  # short ones only
_NOISE = (
    re.compile(r"^Missing media-item\b", re.IGNORECASE),
    re.compile(r"^To prevent automated spam submissions", re.IGNORECASE),
    re.compile(r"^Vond u deze pagina interessant\?$", re.IGNORECASE),
    re.compile(r"^[•●▪◦]$"),
)
_FIGURE = re.compile(r"^(?:Figuur|Figure|Afbeelding)\s+\d+")  # not "Tabel": cells are data
_WEB_TAIL = frozenset({"contact", "links en documenten", "deel deze pagina", "delen", "print"})


def normalize_whitespace(text: str) -> str:
    """CRLF/CR to LF, runs of spaces to one, no trailing spaces; leading indent is kept
    because the unwrapper reads it (two or more spaces start a paragraph)."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    lines = (re.sub(r"(?<=\S) {2,}", " ", line).rstrip() for line in text.split("\n"))
    return "\n".join(lines)


def normalize_unicode(text: str) -> str:
    """NFKC (ligatures, full-width forms), drop soft hyphens and zero-width characters,
    odd spaces and tabs to a plain space, curly quotes to straight ' and "."""
    text = re.sub("\u00ad[ \t]*\n[ \t]*", "", text)  # a soft hyphen ending a line joins the word
    text = unicodedata.normalize("NFKC", text).replace("\u2028", "\n").replace("\u2029", "\n")
    text = _ODD_SPACE.sub(" ", _CONTROL.sub("", _INVISIBLE.sub("", text)))
    for curly, straight in _QUOTES:  # str.replace is far quicker than translate on long text
        text = text.replace(curly, straight)
    return text


def is_noise_line(line: str) -> bool:
    """Placeholders and web leftovers that are noise wherever they appear."""
    text = line.strip()
    return bool(_PLACEHOLDER.match(text)) or any(p.match(text) for p in _NOISE)


def _join_placeholder_spans(text: str) -> str:
    """Put a placeholder that wraps over lines ("[hier portretfoto van\\n\\nMilo ...]") on one."""
    return _PLACEHOLDER_SPAN.sub(lambda m: " ".join(m.group().split()), text)


def _is_label(text: str) -> bool:
    """A loose word of a drawing: very short, no sentence punctuation, no figures (a table's
    cells are data, not labels), not a block marker."""
    return (
        len(text) <= 40
        and len(text.split()) <= 4
        and text not in BLOCK_MARKERS
        and not re.search(r"[.?:;,]$|\d", text)
    )


def drop_figure_labels(lines: list[str]) -> list[str]:
    """Blank out the loose words of drawings: two or more label lines right above a
    "Figuur N" caption, and any label lines between two picture placeholders."""
    content = [i for i, line in enumerate(lines) if line.strip() and line[:1] != PAGE_BREAK]
    drop: set[int] = set()
    for pos, i in enumerate(content):
        text = lines[i].strip()
        caption, placeholder = bool(_FIGURE.match(text)), bool(_PLACEHOLDER.match(text))
        if not caption and not placeholder:
            continue
        start = pos
        while start > 0 and _is_label(lines[content[start - 1]].strip()):
            start -= 1
        run = content[start:pos]
        before = lines[content[start - 1]].strip() if start > 0 else ""
        if (caption and len(run) >= 2) or (placeholder and _PLACEHOLDER.match(before)):
            drop.update(run)
    return ["" if i in drop else line for i, line in enumerate(lines)]


def strip_web_tail(lines: list[str]) -> list[str]:
    """Drop a web page's trailing boilerplate ("Contact", "Links en documenten", forms)."""
    end = len(lines)
    while end and (
        not lines[end - 1].strip()
        or lines[end - 1].startswith(PAGE_BREAK)
        or lines[end - 1].strip().lower() in _WEB_TAIL
        or is_noise_line(lines[end - 1])
    ):
        end -= 1
    return lines[:end]


def _flatten(pages: list[Page]) -> list[str]:
    """All pages as one list of lines, with a page-break line before each page after the
    first ("\\f12" when the page number is known)."""
    texts = [page.text.replace(PAGE_BREAK, f"\n{PAGE_BREAK}\n") for page in pages]
    page_lines = strip_repeated_lines([normalize_whitespace(t).split("\n") for t in texts])
    out: list[str] = []
    for k, (page, lines) in enumerate(zip(pages, page_lines, strict=True)):
        if page.number is not None or k:
            out.append(f"{PAGE_BREAK}{page.number if page.number is not None else ''}")
        out.extend(lines)
    return out


def clean_pages(pages: list[Page]) -> list[Paragraph]:
    """The whole cleaning pipeline for one document: pages in, paragraphs in reading order out."""
    lines = drop_table_of_contents(_flatten(pages))
    text = _join_placeholder_spans(normalize_unicode("\n".join(lines)))
    lines = strip_running_headers(text.split("\n"))
    lines = drop_figure_labels(lines)
    lines = strip_web_tail(["" if is_noise_line(line) else line for line in lines])
    vocab = Vocabulary.from_text("\n".join(lines))
    lines = join_hyphenated_lines(lines, vocab)
    lines = [repair_split_words(line, vocab=vocab) for line in lines]
    return [Paragraph(para, page) for para, page in unwrap_with_pages(lines) if para]
