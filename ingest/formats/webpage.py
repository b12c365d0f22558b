"""HTML via the stdlib parser: the readable body text, with blocks one blank line apart.

Site chrome (navigation, page header and footer, forms) and code (script, style) are
dropped. A <header>/<footer> inside <article> or <main> belongs to the content and stays.
Entities are decoded, so escaped markup such as "&lt;script&gt;" comes out as plain text.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser

from ingest.formats.base import ReadError, usable_title
from ingest.formats.plaintext import decode_text
from ingest.model import Page, RawDocument

NO_TEXT = "HTML-pagina bevat geen leesbare tekst"
INVALID = "HTML-pagina kan niet gelezen worden (ongeldige opmaak)"
_DROPPED = frozenset(
    {"script", "style", "nav", "header", "footer", "form", "noscript", "template", "svg"}
)
_CHROME = frozenset({"header", "footer"})
_CONTENT = frozenset({"article", "main"})
_BLOCKS = frozenset(
    {"p", "div", "li", "tr", "hr", "body", "pre", "blockquote", "address"}
    | {"h1", "h2", "h3", "h4", "h5", "h6"}
    | {"section", "article", "main", "aside", "details", "summary"}
    | {"ul", "ol", "dl", "dt", "dd", "table", "caption", "figure", "figcaption"}
)
_CELLS = frozenset({"td", "th"})
_CELL_SEPARATOR = " | "
_META_CHARSET = re.compile(rb"<meta[^>]+charset\s*=\s*[\"']?\s*([\w.:-]+)", re.I)


def read_html(data: bytes) -> RawDocument:
    """Return the page text as one page; title from <title>, else the first <h1>."""
    match = _META_CHARSET.search(data[:4096])
    declared = match.group(1).decode("ascii", errors="ignore") if match else None
    source, warnings = decode_text(data, declared=declared)
    parser = _TextExtractor()
    try:
        parser.feed(source)
        parser.close()
    except Exception as exc:  # html.parser is lenient, but not infinitely
        raise ReadError(INVALID) from exc
    text = parser.text()
    if not text:
        raise ReadError(NO_TEXT)
    title = usable_title(parser.title) or usable_title(parser.first_h1)
    return RawDocument(pages=[Page(number=None, text=text)], title_hint=title, warnings=warnings)


class _TextExtractor(HTMLParser):
    """Collects visible text; a pending break is written only before the next text."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self._out: list[str] = []
        self._pending_break = 0  # newlines owed before the next text: 0, 1 or 2
        self._pending_cell = False
        self._skipping: list[str] = []  # open dropped elements, innermost last
        self._content_depth = 0
        self._pre_depth = 0
        self._in_head = False
        self._in_title = False
        self._in_h1 = False
        self._title_parts: list[str] = []
        self._h1_parts: list[str] | None = None  # None until the first <h1> opens

    @property
    def title(self) -> str:
        return "".join(self._title_parts)

    @property
    def first_h1(self) -> str:
        return "".join(self._h1_parts or [])

    def text(self) -> str:
        text = re.sub(r"[ \t]+\n", "\n", "".join(self._out))
        return re.sub(r"\n{3,}", "\n\n", text).strip()

    def handle_starttag(self, tag: str, attrs: list) -> None:
        chrome_in_content = tag in _CHROME and self._content_depth > 0
        if self._skipping or (tag in _DROPPED and not chrome_in_content):
            if tag in _DROPPED:
                self._skipping.append(tag)
            return
        if tag == "head":
            self._in_head = True
        elif tag == "body":
            self._in_head = False
        elif tag == "title" and not self._title_parts:
            self._in_title = True
        elif tag == "h1" and self._h1_parts is None:
            self._in_h1 = True
            self._h1_parts = []
        if tag in _CONTENT:
            self._content_depth += 1
        if tag == "pre":
            self._pre_depth += 1
        if tag == "br":
            self._pending_break = max(self._pending_break, 1)
        elif tag in _BLOCKS:
            self._pending_break = 2
        elif tag in _CELLS:
            self._pending_cell = True

    def handle_endtag(self, tag: str) -> None:
        if self._skipping:
            if tag in ("body", "html"):  # an unclosed <nav> must not eat the rest
                self._skipping.clear()
            elif tag in self._skipping:
                while self._skipping.pop() != tag:
                    pass
            return
        if tag == "head":
            self._in_head = False
        elif tag == "title":
            self._in_title = False
        elif tag == "h1":
            self._in_h1 = False
        if tag in _CONTENT:
            self._content_depth = max(self._content_depth - 1, 0)
        if tag == "pre":
            self._pre_depth = max(self._pre_depth - 1, 0)
        if tag in _BLOCKS:
            self._pending_break = 2

    def handle_data(self, data: str) -> None:
        if self._skipping:
            return
        if self._in_title:
            self._title_parts.append(data)
            return
        if self._in_head:
            return
        if self._in_h1 and self._h1_parts is not None:
            self._h1_parts.append(data)
        if not self._pre_depth:
            data = re.sub(r"\s+", " ", data)
        self._write(data)

    def _write(self, text: str) -> None:
        if not self._pre_depth and not text.strip():
            # whitespace between inline elements still separates two words
            if self._out and not self._pending_break and not self._out[-1].endswith((" ", "\n")):
                self._out.append(" ")
            return
        if self._out and self._pending_break:
            self._out[-1] = self._out[-1].rstrip(" ")
            self._out.append("\n" * self._pending_break)
        elif self._out and self._pending_cell and not self._out[-1].endswith("\n"):
            self._out[-1] = self._out[-1].rstrip(" ")
            self._out.append(_CELL_SEPARATOR)
        if not self._pre_depth and (not self._out or self._out[-1].endswith((" ", "\n"))):
            text = text.lstrip(" ")
        self._out.append(text)
        self._pending_break = 0
        self._pending_cell = False
