"""Join hard-wrapped lines into paragraphs; headings, markers and list items stay apart.

The paragraph shapes that come out (ingest/structure.py reads them):
- Own paragraph, never joined: the block markers in BLOCK_MARKERS, ALL-CAPS lines (story
  titles, chapter numerals "I", "III") and a "(over ...)" topic line under a marker.
- The line right under an ALL-CAPS line (a story's speaker, a chapter's name) takes only
  lowercase continuation lines, so a speaker wrapped over three lines is one paragraph.
- Own paragraph, wrapped lines joined: list items ("1. Definieer het vraagstuk",
  "a. De rechtmatige overheid"), captions ("Figuur 1: vier typen overheidssturing"),
  small-caps headings, and a bare number with its title ("10 Geef het voorbeeld").
- One paragraph per bullet, rendered "• text"; a "(p. 180)" line joins the quote above.

Blank lines are weak evidence: the report puts an empty line after every line in some
parts, while a two-column article breaks sentences over blank lines. So each gap is
judged on the line before it (its length against the document's wrap width, whether it
ends a sentence) and the line after it (lowercase continuation, heading or list shape).
Lines as long as a paragraph (web pages) are each a paragraph.

Input lines may contain page-break lines: "\\f" optionally followed by the number of the
page that starts there. A paragraph gets the page of its first line.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from ingest.hyphenation import GLUE

PAGE_BREAK = "\f"
UNKNOWN_PAGE = "?"  # "\f?": a page break to a page whose number cannot be known
BLOCK_MARKERS = frozenset({"Een verhaal", "Twee verhalen", "Uit het onderzoek", "Een handreiking"})
BULLET = "•"

_BULLET = re.compile(r"^[•●▪◦‣∙·]\s*")
_ITEM = re.compile(r"^(?:\d{1,2}[.)]\s+\S|[a-z][.)]\s+[A-Z])")  # "1. Definieer", "a. De"
_CAPTION = re.compile(r"^(?:Figuur|Figure|Tabel|Table|Afbeelding)\s+\d+\b")
_PAGE_REF = re.compile(r"^\(p\.?\s*\d[\d\s,–-]*\)\.?$")
_BARE_NUMBER = re.compile(r"^\d{1,2}$")
_SENTENCE_END = re.compile(r"[.!?:;…][\"')\]]*$|\(p\.?\s*\d[\d\s,–-]*\)\.?$")
_SMALL_CAPS_WORD = re.compile(r"[a-zà-ÿ][A-ZÀ-Þ]")
_SOFT_WRAP_WIDTH = 160  # above this, lines are whole paragraphs (web pages), not wrapped text
_MIN_WRAP_WIDTH = 40  # a short excerpt says little about its margin; no real text wraps this early
_FULL_LINE = 0.85  # a line this close to the wrap width ran into the margin
_LONG_LINE = 0.6  # shorter lines that do not end a sentence are headings or labels
_REFLOW = 0.8  # a line plus the next word reaching this far was broken by the margin


@dataclass(frozen=True)
class _Line:
    text: str
    indent: int
    page: int | None
    blanks_before: int


@dataclass
class _Paragraph:
    kind: str  # marker|title|aside|byline|heading|item|caption|number|bullet|pageref|text
    page: int | None
    last: str = ""  # the last line added, whose shape decides whether the next one joins
    lines: int = 0
    parts: list[str] = field(default_factory=list)  # joined once: a long paragraph stays linear

    @property
    def text(self) -> str:
        return "".join(self.parts)

    def add(self, line: str) -> None:
        self.last = line
        self.lines += 1
        if self.parts and self.parts[-1].endswith(GLUE):  # join without a space
            self.parts[-1] = self.parts[-1][:-1]
            if not self.parts[-1]:
                self.parts.pop()
        elif self.parts:
            self.parts.append(" ")
        else:
            line = line.lstrip()
        self.parts.append(line)


def is_small_caps(text: str) -> bool:
    """Small capitals come out of a PDF as "naBeScHouwing en voorBlik": a heading."""
    if text.endswith(".") or not _SMALL_CAPS_WORD.search(text):
        return False  # the common case, decided without splitting the line into words
    words = [w for w in re.findall(r"\w+", text) if len(w) >= 3]
    odd = sum(bool(_SMALL_CAPS_WORD.search(w)) for w in words)
    return 0 < len(words) <= 8 and not text.endswith(".") and 2 * odd >= len(words)


def repair_small_caps(text: str) -> str:
    """Give a small-capitals heading plain sentence case; other lines are returned as they are."""
    if not is_small_caps(text):
        return text
    lower = text.lower()
    first = next(i for i, c in enumerate(lower) if c.isalpha())
    return lower[:first] + lower[first].upper() + lower[first + 1 :]


def line_kind(text: str) -> str:
    """Classify one stripped line by its shape; blocks of these kinds always start a paragraph."""
    if text in BLOCK_MARKERS:
        return "marker"
    if _BULLET.match(text):
        return "bullet"
    if _BARE_NUMBER.match(text):
        return "number"
    if _CAPTION.match(text):
        return "caption"
    if _ITEM.match(text):
        return "item"
    if len(text) <= 80 and text == text.upper() and any(c.isalpha() for c in text):
        return "title"  # story titles, roman chapter numbers
    if _PAGE_REF.match(text):
        return "pageref"
    return "heading" if is_small_caps(text) else "text"


def _wrap_width(lines: list[_Line]) -> int | None:
    """The typical full line length, or None when lines are whole paragraphs."""
    lengths = sorted(len(line.text) for line in lines)
    if not lengths:
        return None
    width = max(lengths[int(0.9 * (len(lengths) - 1))], _MIN_WRAP_WIDTH)
    return None if width > _SOFT_WRAP_WIDTH else width


def _scan(lines: list[str]) -> list[_Line]:
    """Turn raw lines into content lines that know their page and the blank gap above them."""
    out: list[_Line] = []
    page: int | None = None
    blanks = 0
    for raw in lines:
        if raw.startswith(PAGE_BREAK):
            number = raw[1:].strip()
            page = None if number == UNKNOWN_PAGE else int(number) if number.isdecimal() else page
            continue
        text = " ".join(raw.split())
        if not text:
            blanks += 1
            continue
        out.append(_Line(text, len(raw) - len(raw.lstrip(" ")), page, blanks))
        blanks = 0
    return out


def _kind(line: _Line, prev: _Paragraph | None) -> str:
    kind = line_kind(line.text)
    if prev and prev.kind == "marker" and line.text.startswith("("):
        return "aside"  # the topic line under "Uit het onderzoek"
    if prev and prev.kind == "title" and kind == "text":
        return "byline"  # the speaker under a story title, or a chapter's name
    return kind


def _continues(par: _Paragraph, line: _Line, kind: str, width: int | None, spaced: bool) -> bool:
    """Does `line` continue paragraph `par`? The heart of unwrapping; see module docstring."""
    if par.last.endswith(GLUE):
        return True  # the previous line ended in a broken word
    if par.kind in ("marker", "title", "aside"):
        return False
    if kind == "pageref":
        return par.kind in ("text", "bullet")  # "(p. 180)" closes the quote above it
    if par.kind == "number" and par.lines == 1:
        return kind in ("text", "byline")  # "10" + "Geef het" + "voorbeeld"
    if kind not in ("text", "byline") or width is None:
        return False
    if line.indent >= 2 and par.kind not in ("bullet", "item"):
        return False  # an indented line starts a paragraph, except a hanging indent
    lower = _starts_lower(line.text)
    final = bool(_SENTENCE_END.search(par.last))
    full = len(par.last) >= _FULL_LINE * width  # it ran into the right margin
    if par.kind in ("byline", "number", "heading"):
        return lower
    if par.kind in ("item", "caption"):
        return lower or (full and not final)
    if lower:
        return True
    if line.blanks_before >= 2 or (line.blanks_before == 1 and not spaced):
        return full and not final  # a real paragraph gap, unless a column broke a sentence
    if final:  # a new sentence on a new line: the paragraph goes on if the line was full,
        return full and not _is_short_unfinished(line.text, width)  # ... and this is no heading
    # No closing punctuation: a wrapped line, unless the next word would still have fitted.
    return len(par.last) + 1 + len(line.text.split()[0]) >= _REFLOW * width


def _starts_lower(text: str) -> bool:
    """Starts like the middle of a sentence: lowercase (after any quote or bracket) or ",;)"."""
    if text[0] in "),;:–":
        return True
    body = text.lstrip("\"'([")
    return bool(body) and body[0].islower()


def _is_short_unfinished(text: str, width: int) -> bool:
    """A short line without closing punctuation: a heading, label or signature, never the
    last line of a paragraph that went on after a full line."""
    return len(text) < _LONG_LINE * width and not _SENTENCE_END.search(text)


def _double_spaced(lines: list[_Line], i: int) -> bool:
    """True where the text has an empty line after every line, so one blank means nothing."""
    before = i >= 1 and lines[i - 1].blanks_before == 1
    after = i + 1 < len(lines) and lines[i + 1].blanks_before == 1
    return lines[i].blanks_before == 1 and (before or after)


def _render(par: _Paragraph) -> str:
    text = par.text.rstrip(GLUE)
    if par.kind == "bullet":
        return _BULLET.sub(f"{BULLET} ", text)
    return repair_small_caps(text) if par.kind == "heading" else text


def unwrap_with_pages(lines: list[str]) -> list[tuple[str, int | None]]:
    """Unwrap lines into (paragraph text, page it starts on) pairs."""
    content = _scan(lines)
    width = _wrap_width(content)
    paragraphs: list[_Paragraph] = []
    for i, line in enumerate(content):
        par = paragraphs[-1] if paragraphs else None
        kind = _kind(line, par)
        if par and _continues(par, line, kind, width, _double_spaced(content, i)):
            par.add(line.text)
            continue
        paragraphs.append(_Paragraph(kind, line.page))
        paragraphs[-1].add(line.text)
    return [(_render(p), p.page) for p in paragraphs]


def unwrap(lines: list[str]) -> list[str]:
    """Join hard-wrapped lines into paragraphs; headings, markers and list items stay apart."""
    return [text for text, _ in unwrap_with_pages(lines)]
