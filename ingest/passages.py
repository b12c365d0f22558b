"""Cut sections into passages a reader can check at a glance.

About 60-150 words, never cutting a sentence, never crossing a section boundary;
ids derived from document and content so they survive re-ingestion unchanged.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from ingest.index.passage import Passage
from ingest.index.sentences import split_sentences
from ingest.model import Paragraph, Section

TARGET_WORDS = 100
MAX_WORDS = 150
MIN_WORDS = 60
_RESEARCH_PAGE = re.compile(r"\(p\.\s?(\d+(?:\s?[,–-]\s?\d+)*)\)")


@dataclass(frozen=True)
class DocumentInfo:
    doc_id: str
    title: str
    kind: str


def _words(text: str) -> int:
    return len(text.split())


def _units(paragraph: Paragraph) -> list[tuple[str, int | None, bool]]:
    """A paragraph as (text, page, starts_paragraph) units; long ones split into sentences."""
    if _words(paragraph.text) <= MAX_WORDS:
        return [(paragraph.text, paragraph.page, True)]
    sentences = split_sentences(paragraph.text)
    return [(s, paragraph.page, i == 0) for i, s in enumerate(sentences)]


def pack(units: Sequence[tuple[str, int | None, bool]]
         ) -> list[tuple[str, int | None, int | None]]:
    """Greedy packing into chunks near TARGET_WORDS, at most MAX_WORDS (unless one unit is longer).

    A short tail is merged into the previous chunk when that stays within MAX_WORDS.
    """
    chunks: list[list[tuple[str, int | None, bool]]] = []
    current: list[tuple[str, int | None, bool]] = []
    count = 0
    for unit in units:
        n = _words(unit[0])
        if current and (count + n > MAX_WORDS or (count >= TARGET_WORDS and unit[2])):
            chunks.append(current)
            current, count = [], 0
        current.append(unit)
        count += n
    if current:
        if chunks and count < MIN_WORDS and sum(_words(u[0]) for u in chunks[-1]) + count <= MAX_WORDS:
            chunks[-1].extend(current)
        else:
            chunks.append(current)
    return [(_render(chunk), chunk[0][1], chunk[-1][1]) for chunk in chunks]


def _render(chunk: Sequence[tuple[str, int | None, bool]]) -> str:
    out = ""
    for text, _page, starts_paragraph in chunk:
        if not out:
            out = text
        else:
            out += ("\n\n" if starts_paragraph else " ") + text
    return out


def passage_id(doc_id: str, text: str) -> str:
    digest = hashlib.sha1(" ".join(text.split()).encode("utf-8")).hexdigest()[:12]
    return f"{doc_id}:{digest}"


def research_pages(text: str) -> list[str]:
    """Page references to the research report, e.g. '(p. 184, 185)' -> ['184, 185']."""
    return [re.sub(r"\s+", " ", m) for m in _RESEARCH_PAGE.findall(text)]


def heading_for(section: Section, wegwijzer_title: str | None) -> str:
    """One line that tells a reader where a passage sits: used for display and as search signal."""
    parts = list(section.path)
    if section.speaker:
        parts.append(section.speaker)
    return " · ".join(p for p in parts if p) or (wegwijzer_title or "")


def make_passages(
    sections: Sequence[Section],
    info: DocumentInfo,
    infer: Callable[[str], list[int]],
    find_places: Callable[[str], list[str]],
) -> list[Passage]:
    """All passages of one document, in reading order, linked to their neighbours."""
    passages: list[Passage] = []
    seen: set[str] = set()
    for section in sections:
        units = [u for p in section.paragraphs for u in _units(p)]
        section_text = " ".join(u[0] for u in units)
        steps, inferred = section.steps, section.steps_inferred
        if not steps:
            steps, inferred = infer(section_text), True
        for text, page, last_page in pack(units):
            pid = passage_id(info.doc_id, text)
            if pid in seen:
                pid = f"{pid}-{len(passages)}"
            seen.add(pid)
            passages.append(
                Passage(
                    id=pid,
                    doc_id=info.doc_id,
                    title=info.title,
                    kind=info.kind,
                    text=text,
                    page=page,
                    page_end=last_page if last_page != page else None,
                    section=" > ".join(section.path),
                    block=section.block,
                    steps=list(steps),
                    steps_inferred=bool(inferred and steps),
                    wegwijzer=section.wegwijzer,
                    speaker=section.speaker,
                    places=find_places(text),
                    research_pages=research_pages(text),
                    position=len(passages),
                    heading=heading_for(section, None),
                )
            )
    for before, after in zip(passages, passages[1:], strict=False):
        before.next_id = after.id
        after.prev_id = before.id
    return passages
