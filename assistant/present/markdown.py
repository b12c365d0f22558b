"""The Markdown writer: layout blocks as Markdown, with [n] markers and a numbered source list.

Text from documents is always text: Markdown syntax and HTML tags in a passage are
backslash-escaped, so a viewer shows them as written and the file itself reads as plain text
("Sociale Zaken & Werkgelegenheid", not "&amp;"). The chat view writes the same blocks with its
own style (citations as links, smaller headings, '<' as an entity for the browser).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass

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

_MD_SPECIAL = re.compile(r"([\\`*_\[\]{}|])")
_ENTITY = re.compile(r"&(?=#?[0-9A-Za-z]+;)")  # "&amp;" in a text would be read as "&"
_AUTOLINK = re.compile(r"(?i)\b([a-z][a-z0-9+.-]*):(?=//)")
_LINE_START = re.compile(r"^(\s*)([#+\-=>]|\d+\.)", re.MULTILINE)


def md_text(text: str, lt: str = "\\<", gt: str = ">") -> str:
    """Escape text so Markdown and HTML viewers show it literally; `lt` and `gt` are how '<'
    and '>' are written (the chat writes them as entities, for the browser)."""
    text = _MD_SPECIAL.sub(r"\\\1", text)
    text = _ENTITY.sub(r"\\&", text).replace("<", lt).replace(">", gt)
    text = _AUTOLINK.sub(r"\1\\:", text)  # "http\://…" shows the address but is never a live link
    return _LINE_START.sub(lambda m: m.group(1) + "\\" + m.group(2), text)


def md_lines(text: str, lt: str = "\\<", gt: str = ">") -> str:
    """Text whose own line structure is Markdown (an exercise's numbered steps): tags and
    entities escaped, nothing else."""
    return _ENTITY.sub(r"\\&", text).replace("<", lt).replace(">", gt)


@dataclass(frozen=True)
class MarkdownStyle:
    lt: str = "\\<"  # how '<' and '>' in a text are written
    gt: str = ">"
    cite: Callable[[int], str] = lambda n: f"[{n}]"
    shift: int = 0  # added to every heading level (the chat's headings are smaller) ...
    deepest: int = 6  # ... down to this level

    def text(self, text: str) -> str:
        return md_text(text, self.lt, self.gt)


FILE = MarkdownStyle()


def _wrap(text: str, marks: str) -> str:
    core = text.strip()
    if not core:
        return text
    lead, trail = text[: len(text) - len(text.lstrip())], text[len(text.rstrip()):]
    return f"{lead}{marks}{core}{marks}{trail}"


def runs_md(runs: Sequence[Run], style: MarkdownStyle = FILE) -> str:
    out = []
    for r in runs:
        if isinstance(r, Cite):
            out.append(" " + style.cite(r.n))
        else:
            marks = {"italic": "*", "bold": "**"}.get(r.style, "")
            out.append(_wrap(style.text(r.text), marks) if marks else style.text(r.text))
    return "".join(out)


def _block(b: Block, style: MarkdownStyle) -> list[str]:
    if isinstance(b, Heading):
        return ["#" * min(b.level + style.shift, style.deepest) + " " + style.text(b.text)]
    if isinstance(b, Notice):
        return [_wrap(style.text(b.text), "*")]
    if isinstance(b, Paragraph):
        return [runs_md(b.runs, style)]
    if isinstance(b, Quote):
        return ["> " + runs_md(b.runs, style)]
    if isinstance(b, ItemList):
        lines = []
        for i, item in enumerate(b.items, start=1):
            lines.append((f"{i}. " if b.numbered else "- ") + runs_md(item.runs, style))
            if item.quote:
                lines.append("   > " + runs_md(item.quote, style))
        return lines
    if isinstance(b, Instructions):
        return [md_lines(line, style.lt, style.gt) for line in b.lines]
    if isinstance(b, References):
        lines = _block(Heading(2, b.title), style)
        for ref in b.entries:
            lines += ["", f"{style.cite(ref.n)} {style.text(ref.line)}"]
            if ref.quotes:  # the cited sentences, not the whole passage
                for i, q in enumerate(ref.quotes):
                    lines += ([">"] if i else [""]) + [f"> “{style.text(q)}”"]
            else:
                lines += [""] + ["> " + style.text(line) if line.strip() else ">"
                                 for line in ref.passage.strip().splitlines()]
        return lines
    raise TypeError(f"unknown block {b!r}")


def render(blocks: Sequence[Block], style: MarkdownStyle = FILE) -> str:
    """Blocks as Markdown, one blank line between blocks."""
    out: list[str] = []
    for b in blocks:
        out += [*_block(b, style), ""]
    return "\n".join(out).rstrip() + "\n"


def to_markdown(answer: Answer) -> str:
    """The whole answer as Markdown, laid out for its mode."""
    return render(layout(answer))
