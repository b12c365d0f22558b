"""Candidate answering spans: 1-3 consecutive whole sentences of one passage, or a list (its
lead-in and every item), exactly as the passage writes them.

A span is self-contained: it never opens with a word that points back or at a figure, never
starts or ends mid-sentence, and never drops or changes a word (only whitespace and a bullet
mark are normalised). Pure: passage text in, spans out.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from assistant.compose.anaphora import figure_reference, leans_back
from assistant.compose.sentences import is_question, normalize_ws
from ingest.index.sentences import split_sentences

MAX_SENTENCES = 3
MAX_SPAN_WORDS = 80  # a prose span; a list may be longer
MAX_SENTENCE_WORDS = 60
MAX_LIST_ITEMS = 12
_BULLET = re.compile(r"^\s*(?:[•·▪◦*–-]|\d{1,2}[.)])\s+")
# a sentence ends in a stop (and closing marks), or in a quote's page reference: "…'. (p. 16)"
_END = re.compile(r"(?:[.!?:;]['\"’”)\]]*|[.!?]?['’”]?\.?\s*\(p\. ?\d+(?:-\d+)?\)\.?)$")
_PAGE = re.compile(r"\s*\(p\. ?\d+(?:-\d+)?\)\.?$")
_OPEN = "'\"‘“("


@dataclass(frozen=True)
class Unit:
    """One sentence (or list item) of a passage, verbatim up to whitespace and bullet marks."""

    text: str
    item: bool = False  # a list item (a bulleted line, or a line after a lead-in ending in ':')
    line: int = 0  # the passage line it stands on
    bullet: bool = False  # its line has a bullet mark: a prose span never crosses into or out of it


@dataclass(frozen=True)
class Span:
    start: int  # index of the first unit
    units: tuple[Unit, ...]

    @property
    def is_list(self) -> bool:
        return any(u.item for u in self.units)

    @property
    def parts(self) -> list[str]:
        """The texts a reader sees: one for prose, the lead-in and one per item for a list."""
        if not self.is_list:
            return [" ".join(u.text for u in self.units)]
        return [u.text for u in self.units]

    @property
    def text(self) -> str:
        return " ".join(u.text for u in self.units)

    @property
    def words(self) -> int:
        return len(self.text.split())


def units(text: str) -> list[Unit]:
    """The passage's sentences and list items, in order."""
    out: list[Unit] = []
    lead_in = False
    bulleted = None  # whether the current list marks its items
    for number, line in enumerate(re.split(r"\n+", text)):
        bullet = bool(_BULLET.match(line))
        line = normalize_ws(_BULLET.sub("", line))
        if not line:
            continue
        # a bulleted line is a list item after a lead-in ending in ':'; elsewhere (a column of
        # research quotes, say) its sentences are prose
        item = (bullet and lead_in) or (lead_in and not bulleted and len(line.split()) <= 12)
        for sentence in (split_sentences(line) if not item else [line]):
            out.append(Unit(normalize_ws(sentence), item=item, line=number, bullet=bullet))
        if line.endswith(":"):
            lead_in, bulleted = True, None
        else:
            lead_in = lead_in and item
            bulleted = bullet if bulleted is None and item else bulleted
    return out


def fragment(text: str) -> bool:
    """True when a text is not a whole sentence a reader can take as it stands: it starts in
    lower case or with an ellipsis, ends without a full stop (or with '…'), or is a heading."""
    core = text.lstrip(_OPEN + " ")
    if not core or core[0].islower() or core.startswith(("…", "...", "[")):
        return True
    if text.rstrip().endswith(("…", "...")) or not _END.search(text.rstrip()):
        return True
    return sum(1 for w in core.split() if w[:1].islower()) < 3


def _without_page(text: str) -> str:
    """A research quote's sentence without its trailing page reference: "…?' (p. 56)" -> "…?'"."""
    return _PAGE.sub("", text).rstrip()


def opens_well(text: str) -> bool:
    """Can a span start with this sentence: whole, not leaning back, no figure, not a question."""
    return not (fragment(text) or leans_back(text) or figure_reference(text)
                or is_question(_without_page(text).rstrip("'’”"))
                or text.endswith(":") or len(text.split()) > MAX_SENTENCE_WORDS)


def _follows_well(text: str) -> bool:
    return not (fragment(text) or figure_reference(text) or is_question(_without_page(text).rstrip("'’”"))
                or text.endswith(":") or len(text.split()) > MAX_SENTENCE_WORDS)


@lru_cache(maxsize=4096)
def passage_spans(text: str) -> list[Span]:
    """Every candidate span of a passage: prose runs of 1-3 sentences and whole lists."""
    us = units(text)
    out: list[Span] = []
    for i, u in enumerate(us):
        if u.item:
            continue
        if u.text.endswith(":") and not fragment(u.text) and not leans_back(u.text):
            items = []
            for v in us[i + 1:]:
                if not v.item or len(items) >= MAX_LIST_ITEMS:
                    break
                items.append(v)
            if len(items) >= 2:
                out.append(Span(i, (u, *items)))
            continue
        if not opens_well(u.text):
            continue
        run = [u]
        out.append(Span(i, tuple(run)))
        for v in us[i + 1:i + MAX_SENTENCES]:
            crosses_bullet = v.line != run[-1].line and (v.bullet or run[-1].bullet)
            if v.item or crosses_bullet or not _follows_well(v.text):
                break
            run.append(v)
            if sum(len(r.text.split()) for r in run) > MAX_SPAN_WORDS:
                break
            out.append(Span(i, tuple(run)))
    return out


def span_holding(text: str, quotes: tuple[str, ...]) -> Span | None:
    """The smallest span of the passage that holds every quote (a bank question's answering
    span), or None when the quotes are not whole-sentence material of one span."""
    wanted = [normalize_ws(q).strip(" ….") for q in quotes if q.strip()]
    if not wanted:
        return None
    fits = [s for s in passage_spans(text) if all(q in s.text for q in wanted)]
    return min(fits, key=lambda s: (len(s.units), s.start)) if fits else None
