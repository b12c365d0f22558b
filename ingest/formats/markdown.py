"""Markdown, lightly stripped to the text a reader sees; code blocks are kept verbatim.

A full Markdown parser would be more exact, but the cleaner only needs plain paragraphs,
headings on their own line, and no stray syntax in passages that get quoted to users.
"""

from __future__ import annotations

import re

from ingest.formats.base import ReadError, usable_title
from ingest.formats.plaintext import EMPTY, decode_text
from ingest.model import Page, RawDocument

NO_TEXT = "Markdown-bestand bevat geen tekst"
_FRONT_MATTER = re.compile(r"\A---\n.*?\n(---|\.\.\.)\n", re.S)
_FENCE = re.compile(r"^\s{0,3}(`{3,}|~{3,})")
_ATX_HEADING = re.compile(r"^\s{0,3}#{1,6}(\s+|$)(.*?)(\s+#+)?\s*$")
_SETEXT_OR_RULE = re.compile(r"^\s{0,3}(=+|-{3,}|(\*\s*){3,}|(_\s*){3,})\s*$")
_TABLE_DELIMITER = re.compile(r"^\s*\|?\s*:?-{3,}:?\s*(\|\s*:?-{3,}:?\s*)*\|?\s*$")
_LINK_DEFINITION = re.compile(r"^\s{0,3}\[[^\]]+\]:\s+\S+")
_BULLET = re.compile(r"^(\s*)[*+]\s+")
_QUOTE = re.compile(r"^\s{0,3}>\s?")
_COMMENT = re.compile(r"<!--.*?-->", re.S)
_SHIELDED = re.compile(r"\\([\\`*_{}\[\]()#+\-.!<>~|])|`([^`]+)`")  # escapes, code spans
_INLINE = [
    (re.compile(r"!\[[^\]]*\]\([^)]*\)|!\[[^\]]*\]\[[^\]]*\]"), ""),  # images: dropped
    (re.compile(r"\[([^\]]+)\]\([^)]*\)"), r"\1"),  # [text](url)
    (re.compile(r"\[([^\]]+)\]\[[^\]]*\]"), r"\1"),  # [text][ref]
    (re.compile(r"<((?:https?://|mailto:)[^>\s]+)>"), r"\1"),  # <https://...>
    (re.compile(r"(\*\*|__)(?=\S)(.+?)(?<=\S)\1"), r"\2"),
    (re.compile(r"~~(?=\S)(.+?)(?<=\S)~~"), r"\1"),
    (re.compile(r"\*(?=\S)(.+?)(?<=\S)\*"), r"\1"),
    (re.compile(r"(?<!\w)_(?=\S)(.+?)(?<=\S)_(?!\w)"), r"\1"),  # not inside snake_case
]


def read_markdown(data: bytes) -> RawDocument:
    """Return the stripped text as one page; title from the first "# " heading."""
    source, warnings = decode_text(data)
    if not source.strip():
        raise ReadError(EMPTY)
    text, title = strip_markdown(source)
    if not text:
        raise ReadError(NO_TEXT)
    return RawDocument(pages=[Page(number=None, text=text)], title_hint=title, warnings=warnings)


def strip_markdown(source: str) -> tuple[str, str | None]:
    """Return (plain text, text of the first level-1 heading)."""
    source = _COMMENT.sub("", _FRONT_MATTER.sub("", source))
    lines: list[str] = []
    title: str | None = None
    fence: str | None = None
    for line in source.split("\n"):
        if fence:
            if line.strip().startswith(fence):
                fence = None
                lines.append("")
            else:
                lines.append(line)
            continue
        opening = _FENCE.match(line)
        if opening:
            fence = opening.group(1)
            lines.append("")
            continue
        heading = _ATX_HEADING.match(line)
        if heading:
            text = _inline(heading.group(2))
            if title is None and line.lstrip().startswith("# "):
                title = usable_title(text)
            lines.extend(["", text, ""])
        elif _SETEXT_OR_RULE.match(line) or _TABLE_DELIMITER.match(line):
            if title is None and line.strip().startswith("=") and lines and lines[-1]:
                title = usable_title(lines[-1])  # "Title" underlined with ===
            lines.append("")
        elif not _LINK_DEFINITION.match(line):
            line = _BULLET.sub(r"\1- ", _QUOTE.sub("", line))
            lines.append(_inline(line).rstrip())
    text = re.sub(r"\n{3,}", "\n\n", "\n".join(lines))
    return text.strip(), title


def _inline(text: str) -> str:
    """Drop inline syntax; escapes and code spans are shielded so their stars stay."""
    escaped: list[str] = []

    def shield(match: re.Match[str]) -> str:
        escaped.append(match.group(1) or match.group(2))
        return f"\x00{len(escaped) - 1}\x00"

    text = _SHIELDED.sub(shield, text)
    for pattern, replacement in _INLINE:
        text = pattern.sub(replacement, text)
    return re.sub(r"\x00(\d+)\x00", lambda m: escaped[int(m.group(1))], text)
