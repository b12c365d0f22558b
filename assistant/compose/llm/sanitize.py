"""A language model's text is never live content: no images, no raw HTML, no clickable links.

`sanitize_model_text` runs where the model's text enters the answer (before the checks), so the
chat, the exports and the audit log's hash all see the same inert text. What it does:

- HTML comments, `<script>`/`<style>` blocks and every tag are removed; an autolink `<https://…>`
  keeps its address as text; any other `<` becomes `&lt;`.
- A Markdown image `![alt](url)` becomes the text `afbeelding „alt” (url)`; a link `[label](url)`
  becomes `label (url)`, except a link whose label is a citation (`[2](…)` → `[2]`), which stays
  a reference to the app's own source.
- Addresses are shown, never linked: `https:`, `www.` and `naam@domein` get a Markdown escape
  (`https\\://…`) that a viewer displays as the plain address but no autolinker recognises.
- Every `[` and `]` is escaped except in a citation `[n]` / `[1, 2]`, so no reference link or
  link definition can form; a citation followed by `:` is escaped too (it would define a link).
- Existing backslashes are doubled first, so the model cannot cancel one of our escapes.

The output is also safe when pieces of it are concatenated (the stream shows pieces): nothing
live can span two sanitised pieces. `SanitisingStream` cuts a stream into such pieces.
"""

from __future__ import annotations

import re

HOLD_MAX = 400  # characters a stream holds back at most while waiting for a construct to close

_THINK = re.compile(r"<think>.*?</think>", re.DOTALL | re.IGNORECASE)
_COMMENT = re.compile(r"<!--.*?(?:-->|$)", re.DOTALL)
_BLOCK = re.compile(r"<(script|style|iframe|object|embed|svg|math|template|noscript)\b[^>]*>.*?"
                    r"(?:</\1\s*>|$)", re.DOTALL | re.IGNORECASE)
_AUTOLINK = re.compile(r"<((?:[a-z][a-z0-9+.-]{1,31}:|www\.)[^<>\s]*|[\w.+-]+@[\w-]+(?:\.[\w-]+)+)>",
                       re.IGNORECASE)
_TAG = re.compile(r"</?[a-z][a-z0-9-]*(?:\s[^<>]*)?/?>|<[!?][^<>]*>", re.IGNORECASE)
# [label](destination "title"): one level of brackets in the label, of parentheses in the address.
_LABEL = r"\[((?:[^\[\]]|\[[^\[\]]*\])*)\]"
_DEST = (r"\(\s*(<[^<>\n]*>|(?:[^()\s]|\([^()\s]*\))*)"
         r"(?:\s+(?:\"[^\"]*\"|'[^']*'|\([^()]*\)))?\s*\)")
_IMAGE = re.compile(r"!" + _LABEL + _DEST)
_LINK = re.compile(_LABEL + _DEST)
_CITATION_LABEL = re.compile(r"\s*\d{1,3}(?:\s*[,;–-]\s*\d{1,3})*\s*")
_BRACKETS = re.compile(r"\[\d{1,3}(?:\s*[,;–-]\s*\d{1,3})*\](?!\s*:)|[\[\]]")
_SCHEME = re.compile(r"\b(https?|ftps?|mailto|xmpp):(?=\S)", re.IGNORECASE)  # what autolinkers know
_WWW = re.compile(r"\b(www)\.", re.IGNORECASE)
_EMAIL = re.compile(r"([\w.+-])@(?=[\w-]+\.)")


def sanitize_model_text(text: str) -> str:
    """The model's Markdown with everything live made into plain text (whitespace is kept)."""
    text = text.replace("\\", "\\\\")
    text = _THINK.sub("", text)
    text = _COMMENT.sub("", text)
    text = _BLOCK.sub("", text)
    text = _AUTOLINK.sub(lambda m: m.group(1), text)
    text = _TAG.sub("", text)
    text = text.replace("<", "&lt;")
    for pattern, render in ((_IMAGE, _image_text), (_LINK, _link_text)):
        for _ in range(5):  # innermost first: [![x](a)](b)
            text, n = pattern.subn(render, text)
            if not n:
                break
    text = _SCHEME.sub(r"\1\\:", text)
    text = _WWW.sub(r"\1\\.", text)
    text = _EMAIL.sub(r"\1\\@", text)
    return _BRACKETS.sub(lambda m: m.group(0) if len(m.group(0)) > 1 else "\\" + m.group(0), text)


def _address(dest: str) -> str:
    return dest.strip().removeprefix("<").removesuffix(">").strip()


def _image_text(m: re.Match) -> str:
    alt, url = m.group(1).strip(), _address(m.group(2))
    shown = f"afbeelding „{alt}”" if alt else "afbeelding"
    return f"{shown} ({url})" if url else shown


def _link_text(m: re.Match) -> str:
    label, url = m.group(1).strip(), _address(m.group(2))
    if _CITATION_LABEL.fullmatch(label):
        return f"[{label.strip()}]"  # a citation of one of the app's own sources
    if not url or url == label or url.startswith("#"):
        return label or url
    return f"{label} ({url})" if label else url


class SanitisingStream:
    """Feed raw chunks, get sanitised text back: pieces are cut after whitespace only and, while
    a link, image or tag may still be open, held back (up to HOLD_MAX characters)."""

    def __init__(self) -> None:
        self._pending = ""

    def feed(self, chunk: str) -> str:
        self._pending += chunk
        cuts = [i + 1 for i, ch in enumerate(self._pending) if ch in " \n\t"]
        # Never cut inside a word: an address split in two would escape the escaping.
        cut = next((c for c in reversed(cuts) if not _still_open(self._pending[:c])), 0)
        if not cut and cuts and len(self._pending) > HOLD_MAX:
            cut = cuts[-1]  # waited long enough: each piece is inert on its own anyway
        if not cut:
            return ""
        ready, self._pending = self._pending[:cut], self._pending[cut:]
        return sanitize_model_text(ready)

    def flush(self) -> str:
        ready, self._pending = self._pending, ""
        return sanitize_model_text(ready) if ready else ""


def _still_open(text: str) -> bool:
    """A construct that may still close later in the stream: a tag, a [label], a (destination)."""
    return (text.rfind("<") > text.rfind(">") or text.count("[") > text.count("]")
            or text.rfind("](") > text.rfind(")"))
