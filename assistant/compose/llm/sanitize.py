"""A language model's text is never live content: no images, no HTML, no clickable links.

`sanitize_model_text` parses the model's Markdown with a real Markdown parser (markdown-it, in
CommonMark mode) and writes it back from the parser's tokens, keeping only what is inert:
headings, paragraphs, lists, block quotes, emphasis, code, rules and the citations [n]. Whatever
the parser recognises as live becomes text:

- an image (inline, reference-style, with nested parentheses, a data: URI …) becomes
  `afbeelding „alt”` followed by its address as text; no image survives in any form;
- a link becomes its label, followed by its address as text; a link whose label is a
  citation (`[2](…)`) becomes the citation `[2]`; an autolink `<https://…>` its address;
- HTML (blocks, inline tags, comments) is dropped, `<script>`/`<style>` with their content;
- reference definitions (`[r]: //host`) are consumed by the parser and never written back.

Every text the parser hands over is escaped when written back: backslash, `[ ] ( ) < > ! & * _
~ \\``, a line start that would begin a block, and what an autolinker would recognise
(`https\\://`, `www\\.`, `naam\\@domein`). Only citations `[n]` / `[1, 2]` stay bare (not when a
`:` follows: that would define a link). So the output is inert on its own and when pieces of it
are put side by side, and sanitising it again changes nothing.

The chat shows a streamed answer as `sanitize_model_text(text so far)`: the same function as
the final answer, on the whole text received, at every chunk.
"""

from __future__ import annotations

import re
from functools import lru_cache

_THINK = re.compile(r"<think>.*?(?:</think>|$)", re.DOTALL | re.IGNORECASE)  # open: still thinking
_HIDDEN = re.compile(r"<(script|style|iframe|object|embed|svg|math|template|noscript|textarea)\b"
                     r"[^>]*>.*?(?:</\1\s*>|$)", re.DOTALL | re.IGNORECASE)
_COMMENT = re.compile(r"<!--.*?(?:-->|$)", re.DOTALL)
_TAG = re.compile(r"</?[a-z][a-z0-9-]*(?:\s[^<>]*)?/?>|<[!?][^<>]*>", re.IGNORECASE)
_CITATION = re.compile(r"\[\d{1,3}(?:\s*[,;–-]\s*\d{1,3})*\](?!\s*:)")
_CITATION_LABEL = re.compile(r"\s*\d{1,3}(?:\s*[,;–-]\s*\d{1,3})*\s*")
_SPECIAL = re.compile(r"([\\`*_\[\]()<>!&~])")
_SCHEME = re.compile(r"\b([a-z][a-z0-9+.-]{1,31}):(?=\S|\Z)", re.IGNORECASE)
_WWW = re.compile(r"\b(www)\.", re.IGNORECASE)
_EMAIL = re.compile(r"([\w.+-])@(?=[\w-]+\.)")
_LINE_START = re.compile(r"^([ \t]*)([#>+=-]|\d+[.)])", re.MULTILINE)
ADDRESS_SHOWN = 120  # characters of a link's or image's address shown as text at most


@lru_cache(maxsize=1)
def _parser():
    from markdown_it import MarkdownIt

    return MarkdownIt("commonmark", {"html": True}).enable("strikethrough")


def sanitize_model_text(text: str) -> str:
    """The model's Markdown with everything live made into plain text."""
    text = _THINK.sub("", text.replace("\r\n", "\n").replace("\x00", ""))
    text = _COMMENT.sub("", _HIDDEN.sub("", text))
    return _Writer().blocks(_parser().parse(text)).strip("\n")


def escape_text(text: str) -> str:
    """Literal text as Markdown that shows it as written and can start nothing live, with the
    citations [n] left as they are."""
    out, at = [], 0
    for m in _CITATION.finditer(text):
        out.append(_escape(text[at:m.start()]))
        out.append(re.sub(r"\s+", " ", m.group(0)))
        at = m.end()
    out.append(_escape(text[at:]))
    return "".join(out)


def _escape(text: str) -> str:
    text = _SPECIAL.sub(r"\\\1", text)
    text = _SCHEME.sub(r"\1\\:", text)
    text = _WWW.sub(r"\1\\.", text)
    return _EMAIL.sub(r"\1\\@", text)


def _shown_address(href: str) -> str:
    href = href.strip()
    return href if len(href) <= ADDRESS_SHOWN else href[:ADDRESS_SHOWN] + "…"


class _Writer:
    """Markdown written back from markdown-it's tokens, inert (see the module's docstring)."""

    def blocks(self, tokens) -> str:
        out: list[str] = []
        prefixes: list[str] = []  # one per open list item / quote: what its lines start with
        first_line: list[str] = []  # the marker of a list item, for its first line only
        lists: list[dict] = []
        tight: list[bool] = []
        heading = 0  # the level of the heading whose text comes next
        pending: str | None = None  # a blank line due before the next block, with this prefix

        def in_tight_list() -> bool:
            return bool(tight) and tight[-1]

        def emit(body: str) -> None:
            nonlocal pending
            lead = first_line.pop() if first_line else None
            if pending is not None and out:
                out.append(pending.rstrip())
            for i, line in enumerate(body.split("\n")):
                prefix = "".join(prefixes[:-1]) + lead if (i == 0 and lead is not None) \
                    else "".join(prefixes)
                out.append((prefix + line).rstrip())
            pending = None if in_tight_list() else "".join(prefixes)

        def close_container() -> None:
            nonlocal pending
            pending = None if in_tight_list() else "".join(prefixes)

        for tok in tokens:
            kind = tok.type
            if kind == "heading_open":
                heading = int(tok.tag[1])
            elif kind == "inline":
                body = self.inline(tok.children or [])
                if heading:
                    emit("#" * heading + " " + body.replace("\n", " "))
                    heading, pending = 0, None  # a heading is one line: the next block may follow
                elif body.strip():
                    emit(body)
            elif kind in ("bullet_list_open", "ordered_list_open"):
                start = int(tok.attrs.get("start", 1)) if kind == "ordered_list_open" else 0
                lists.append({"ordered": kind == "ordered_list_open", "n": start})
                tight.append(False)
            elif kind in ("bullet_list_close", "ordered_list_close"):
                lists.pop()
                tight.pop()
                close_container()
            elif kind == "list_item_open":
                current = lists[-1]
                marker = f"{current['n']}. " if current["ordered"] else "- "
                current["n"] += 1
                prefixes.append(" " * len(marker))
                first_line.append(marker)
            elif kind == "list_item_close":
                prefixes.pop()
                if len(first_line) > len(prefixes):
                    first_line.pop()  # an empty item
            elif kind == "paragraph_open":
                if tok.hidden and tight:
                    tight[-1] = True
            elif kind == "blockquote_open":
                prefixes.append("> ")
            elif kind == "blockquote_close":
                prefixes.pop()
                close_container()  # what follows is not in the quote
            elif kind in ("fence", "code_block"):
                code = tok.content.rstrip("\n")
                fence = "`" * max(3, _longest_run(code, "`") + 1)
                emit(f"{fence}\n{code}\n{fence}")
            elif kind == "hr":
                emit("---")
            elif kind == "html_block":
                text = _TAG.sub("", tok.content).strip()
                if text:
                    emit(_line_starts(escape_text(text)))
        return "\n".join(out)

    def inline(self, children) -> str:
        parts: list[str] = []
        links: list[tuple[int, str, bool]] = []  # where the label starts, address, autolink
        for tok in children:
            kind = tok.type
            if kind in ("text", "text_special"):
                parts.append(_RawText(tok.content))
            elif kind == "softbreak" or kind == "hardbreak":
                parts.append("\n")
            elif kind == "code_inline":
                code = tok.content
                if "`" in code or not code.strip():
                    parts.append(_RawText(code))
                else:
                    parts.append(f"`{code}`")
            elif kind in ("em_open", "em_close"):
                parts.append("*")
            elif kind in ("strong_open", "strong_close"):
                parts.append("**")
            elif kind in ("s_open", "s_close"):
                parts.append("~~")
            elif kind == "link_open":
                links.append((len(parts), str(tok.attrs.get("href", "")), tok.markup == "autolink"))
            elif kind == "link_close" and links:
                start, href, auto = links.pop()
                label = _plain(parts[start:])
                del parts[start:]
                parts.append(_RawText(_link_text(label, href, auto)))
            elif kind == "image":
                alt = _plain_tokens(tok.children or [])
                shown = f"afbeelding „{alt.strip()}”" if alt.strip() else "afbeelding"
                href = _shown_address(str(tok.attrs.get("src", "")))
                parts.append(_RawText(f"{shown} ({href})" if href else shown))
            # html_inline: dropped (a tag, a comment); its text around stays
        return _join(parts)


class _RawText(str):
    """Text the parser handed over, still to be escaped."""


def _join(parts: list[str]) -> str:
    """Adjacent texts are escaped together (so a citation split over two tokens stays one)."""
    out, raw = [], []
    for part in parts:
        if isinstance(part, _RawText):
            raw.append(part)
            continue
        if raw:
            out.append(escape_text("".join(raw)))
            raw = []
        out.append(part)
    if raw:
        out.append(escape_text("".join(raw)))
    return _line_starts("".join(out))


def _line_starts(text: str) -> str:
    """A line inside a paragraph never starts a block of its own (a heading, a quote, a list)."""
    return _LINE_START.sub(lambda m: m.group(1) + m.group(2)[:-1] + "\\" + m.group(2)[-1], text)


def _plain(parts: list[str]) -> str:
    """A link's label as plain text: the texts inside it, emphasis marks left out."""
    return "".join(p for p in parts if isinstance(p, _RawText) or p == "\n")


def _plain_tokens(children) -> str:
    out = []
    for tok in children:
        if tok.type in ("text", "text_special", "code_inline"):
            out.append(tok.content)
        elif tok.type in ("softbreak", "hardbreak"):
            out.append(" ")
        elif tok.type == "image":
            out.append(_plain_tokens(tok.children or []))
    return "".join(out)


def _link_text(label: str, href: str, autolink: bool) -> str:
    label, href = label.strip(), href.strip()
    if autolink:
        return href.removeprefix("mailto:") if label.startswith(href.removeprefix("mailto:")) \
            else label
    if _CITATION_LABEL.fullmatch(label):
        return f"[{label.strip()}]"  # a citation of one of the app's own sources
    if not href or href == label or href.startswith("#"):
        return label or href
    shown = _shown_address(href)
    return f"{label} ({shown})" if label else shown


def _longest_run(text: str, ch: str) -> int:
    runs = re.findall(f"{re.escape(ch)}+", text)
    return max((len(r) for r in runs), default=0)
