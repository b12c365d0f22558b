"""The typed blocks an answer is laid out in, shared by the Markdown, DOCX and chat writers.

A block says what a part of the answer is (a heading, a paragraph, a list, a quote, the source
list), never how it looks; text is plain text, and a citation is a `Cite` run, not "[n]" in a
string, so each writer can make it a link.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Text:
    text: str
    style: str = ""  # "" | "italic" | "bold"


@dataclass(frozen=True)
class Cite:
    """A citation marker [n], pointing to reference entry n."""

    n: int


Run = Text | Cite


@dataclass(frozen=True)
class Heading:
    level: int  # 1: the document's title; 2: a section; 3 and 4: parts of a section
    text: str


@dataclass(frozen=True)
class Paragraph:
    runs: tuple[Run, ...]


@dataclass(frozen=True)
class Notice:
    """A line about the answer itself ("Weinig houvast: …", "Taalmodel niet beschikbaar …")."""

    text: str


@dataclass(frozen=True)
class Item:
    runs: tuple[Run, ...]
    quote: tuple[Run, ...] = ()  # the cited sentence a discussion question is tied to


@dataclass(frozen=True)
class ItemList:
    items: tuple[Item, ...]
    numbered: bool = False


@dataclass(frozen=True)
class Quote:
    runs: tuple[Run, ...]


@dataclass(frozen=True)
class Instructions:
    """Text with a line structure of its own (an exercise: an intro, numbered steps, a close)."""

    lines: tuple[str, ...]


@dataclass(frozen=True)
class Reference:
    n: int
    line: str  # title, author, year, page, where in the document, block type
    passage: str  # the exact passage text (the app shows it; the exports show the quotes)
    quotes: tuple[str, ...] = ()  # the sentences the answer cites from it


@dataclass(frozen=True)
class References:
    title: str
    entries: tuple[Reference, ...]


Block = Heading | Paragraph | Notice | ItemList | Quote | Instructions | References


def plain(runs: tuple[Run, ...]) -> str:
    """Runs as the text a reader sees: "zin [1] [2]"."""
    return "".join(r.text if isinstance(r, Text) else f" [{r.n}]" for r in runs)


def cites(runs: tuple[Run, ...]) -> list[int]:
    return [r.n for r in runs if isinstance(r, Cite)]
