"""Plain data types that flow through ingestion: file -> pages -> paragraphs -> sections -> passages.

Kept free of heavy imports so every stage (and its tests) can use them.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Page:
    """Text of one page as read from a file. `number` is the printed page number when known."""

    number: int | None
    text: str


@dataclass(frozen=True)
class RawDocument:
    """What a reader returns: the pages and any title the file itself declares."""

    pages: list[Page]
    title_hint: str | None = None
    warnings: list[str] = field(default_factory=list)
    author_hint: str | None = None  # the author the file's metadata names (PDF)


@dataclass(frozen=True)
class Paragraph:
    """A cleaned, unwrapped paragraph (or a heading line) with the page it starts on."""

    text: str
    page: int | None = None


@dataclass
class Section:
    """A run of paragraphs under one heading and one block type; passages never cross it."""

    path: list[str]
    paragraphs: list[Paragraph]
    block: str = "tekst"  # tekst | verhaal | onderzoek | handreiking | perspectief | stap
    steps: list[int] = field(default_factory=list)
    steps_inferred: bool = False
    wegwijzer: int | None = None
    speaker: str | None = None
    story_title: str | None = None
