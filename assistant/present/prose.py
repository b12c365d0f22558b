"""A language model's Markdown as blocks: headings, paragraphs, lists, quotes, and [n] as citations.

Only the Markdown a model writes for an answer is understood (#-headings, - and 1. lists, >
quotes, **bold**, *italic*, `code`, [text](url)); everything else is text. Entities the model
wrote (&amp;) become the characters they stand for: the writers escape for their own format.
"""

from __future__ import annotations

import html
import re

from assistant.present.blocks import (
    Block,
    Cite,
    Heading,
    Item,
    ItemList,
    Paragraph,
    Quote,
    Run,
    Text,
    plain,
)

_HEADING = re.compile(r"^\s{0,3}(#{1,6})\s+(.*?)(?:\s+#+)?\s*$")
_RULE = re.compile(r"^\s{0,3}([-*_])(?:\s*\1){2,}\s*$")
_BULLET = re.compile(r"^\s*[-*+•]\s+(.*)$")
_NUMBER = re.compile(r"^\s*\d{1,3}[.)]\s+(.*)$")
_QUOTE = re.compile(r"^(\s*)>\s?(.*)$")
_INLINE = re.compile(
    r"\\(?P<esc>[!-/:-@\[-`{-~])"
    r"|[ \t]*\[(?P<cite>\d{1,3}(?:\s*[,;–-]\s*\d{1,3})*)\](?!\()"
    r"|\*\*(?P<b>.+?)\*\*|__(?P<u>.+?)__"
    r"|(?<![\w*])\*(?P<i>[^*\s](?:[^*]*[^*\s])?)\*(?![\w*])"
    r"|`(?P<code>[^`]+)`"
    r"|\[(?P<label>[^\]]+)\]\((?P<url>[^)\s]+)\)")


def _numbers(inner: str) -> list[int]:
    """'1, 3' -> [1, 3]; '2-4' -> [2, 3, 4]."""
    out: list[int] = []
    for part in re.split(r"\s*[,;]\s*", inner.strip()):
        bounds = [int(x) for x in re.split(r"\s*[–-]\s*", part) if x]
        if len(bounds) == 2 and 0 <= bounds[1] - bounds[0] < 20:
            out.extend(range(bounds[0], bounds[1] + 1))
        else:
            out.extend(bounds)
    return out


def inline_runs(text: str, style: str = "") -> tuple[Run, ...]:
    """One line of Markdown as text runs and citations."""
    runs: list[Run] = []

    def add(s: str, how: str = style) -> None:
        if not s:
            return
        if runs and isinstance(runs[-1], Text) and runs[-1].style == how:
            runs[-1] = Text(runs[-1].text + s, how)
        else:
            runs.append(Text(s, how))

    at = 0
    for m in _INLINE.finditer(text):
        add(html.unescape(text[at:m.start()]))
        at = m.end()
        if m.group("esc"):
            add(m.group("esc"))  # as written: an escaped '&' or '[' is text
        elif m.group("cite"):
            runs.extend(Cite(n) for n in dict.fromkeys(_numbers(m.group("cite"))))
        elif m.group("b") or m.group("u"):
            for r in inline_runs(m.group("b") or m.group("u"), "bold"):
                runs.append(r) if isinstance(r, Cite) else add(r.text, r.style)
        elif m.group("i"):
            for r in inline_runs(m.group("i"), "italic"):
                runs.append(r) if isinstance(r, Cite) else add(r.text, r.style)
        elif m.group("code"):
            add(m.group("code"))
        else:
            add(html.unescape(f"{m.group('label')} ({m.group('url')})"))
    add(html.unescape(text[at:]))
    return tuple(runs)


def prose_blocks(prose: str) -> list[Block]:
    """The model's Markdown as blocks; a model's title (#) becomes a section heading."""
    out: list[Block] = []
    para: list[str] = []
    items: list[Item] = []
    numbered = False
    blank = False

    def flush_para() -> None:
        if para:
            out.append(Paragraph(inline_runs(" ".join(para))))
            para.clear()

    def flush_list() -> None:
        if items:
            out.append(ItemList(tuple(items), numbered))
            items.clear()

    for line in prose.replace("\r\n", "\n").split("\n"):
        heading, bullet, number = _HEADING.match(line), _BULLET.match(line), _NUMBER.match(line)
        quote = _QUOTE.match(line)
        if not line.strip() or _RULE.match(line):
            flush_para()
            if line.strip():
                flush_list()
            blank = True
            continue
        if heading:
            flush_para(), flush_list()
            level = min(max(len(heading.group(1)), 2), 4)
            out.append(Heading(level, plain(inline_runs(heading.group(2)))))
        elif bullet or number:
            flush_para()
            if items and numbered != bool(number):
                flush_list()
            numbered = bool(number)
            items.append(Item(inline_runs((bullet or number).group(1))))
        elif quote and items and quote.group(1) and not items[-1].quote:
            items[-1] = Item(items[-1].runs, inline_runs(quote.group(2)))  # a list item's quote
        elif quote:
            flush_para(), flush_list()
            if out and isinstance(out[-1], Quote) and not blank:
                out[-1] = Quote(out[-1].runs + (Text(" "),) + inline_runs(quote.group(2)))
            else:
                out.append(Quote(inline_runs(quote.group(2))))
        elif items and line[:1].isspace():  # a list item's continuation line
            items[-1] = Item(items[-1].runs + (Text(" "),) + inline_runs(line.strip()), items[-1].quote)
        else:
            flush_list()
            para.append(line.strip())
        blank = False
    flush_para()
    flush_list()
    return out
