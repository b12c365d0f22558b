"""Recognise a document's own structure in its cleaned paragraphs.

Generic headings give every document a section path. Documents written like the VNG
Denktank report also get their route-map structure: the five steps, the quadrant model
and, per wegwijzer, the blocks "Een verhaal" / "Uit het onderzoek" / "Een handreiking".
The report prints no wegwijzer headings (they were drawings), so a wegwijzer is counted
as one story -> research -> advice cycle, confirmed by a "10 Geef het voorbeeld" style
heading where one survives.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from ingest.model import Paragraph, Section

BLOCK_MARKERS = {
    "een verhaal": "verhaal",
    "twee verhalen": "verhaal",
    "uit het onderzoek": "onderzoek",
    "een handreiking": "handreiking",
}
ROMAN = {"I": 1, "II": 2, "III": 3, "IV": 4, "V": 5}
_SENTENCE_END = re.compile(r"[.;:,]['’\"”)]*$")
_STEP_HEADING = re.compile(r"^([1-5])\.\s+(.+)$")
_PERSPECTIVE_HEADING = re.compile(r"^([a-d])\.\s+(De \w+ overheid)\s*$", re.IGNORECASE)
_NUMBERED_WEGWIJZER = re.compile(r"^(10|[1-9])\s+(.+)$")


@dataclass(frozen=True)
class RouteMapNames:
    """The few route-map facts structure needs, decoupled from the TOML loader."""

    steps: dict[int, str]  # number -> title
    wegwijzers: dict[int, str]  # number -> title
    step_of_wegwijzer: dict[int, int]


def _fold(text: str) -> str:
    return re.sub(r"[^a-z0-9& ]", "", text.lower().replace("-", "")).strip()


def is_heading(text: str) -> bool:
    """Short, title-like, not a sentence: the shape of a heading in these documents."""
    words = text.split()
    if not words or len(words) > 12 or len(text) > 90:
        return False
    if text.startswith(("•", "-", "–", "(", "‘", "'", '"', "“")):
        return False
    if _SENTENCE_END.search(text):
        return False
    first = text[0]
    return first.isupper() or first.isdigit()


def is_caps_title(text: str) -> bool:
    letters = [c for c in text if c.isalpha()]
    return len(letters) >= 4 and all(c.isupper() for c in letters) and len(text.split()) <= 14


class _Builder:
    """Accumulates paragraphs into sections while walking the document once."""

    def __init__(self) -> None:
        self.sections: list[Section] = []
        self.current: Section | None = None

    def open(self, path: list[str], **attrs) -> Section:
        self.current = Section(path=list(path), paragraphs=[], **attrs)
        self.sections.append(self.current)
        return self.current

    def add(self, para: Paragraph) -> None:
        if self.current is None:
            self.open([])
        self.current.paragraphs.append(para)

    def result(self) -> list[Section]:
        return [s for s in self.sections if s.paragraphs]


def detect_structure(paragraphs: Sequence[Paragraph], names: RouteMapNames) -> list[Section]:
    """Group paragraphs into sections with path, block type, steps, wegwijzer and speaker."""
    step_titles = {n: _fold(t) for n, t in names.steps.items()}
    ww_titles = {n: _fold(t) for n, t in names.wegwijzers.items()}
    builder = _Builder()
    chapter: str | None = None
    heading: str | None = None
    step: int | None = None  # explicit step section in the route-map explanation
    wegwijzer = 0
    in_routemap = False
    block: str | None = None
    last_block: str | None = None
    story_title: str | None = None
    speaker: str | None = None
    expect_speaker = False
    expect_topic = False
    texts = [p.text.strip() for p in paragraphs]

    def next_is_heading(i: int) -> bool:
        return i + 1 < len(texts) and is_heading(texts[i + 1])

    def path() -> list[str]:
        parts = [p for p in (chapter, heading) if p]
        if wegwijzer and in_routemap:
            parts = [p for p in (chapter,) if p]
            parts.append(f"Wegwijzer {wegwijzer}: {names.wegwijzers.get(wegwijzer, '')}".strip())
            if block:
                parts.append(_BLOCK_TITLES[block] + (f": {story_title}" if story_title else ""))
        return parts

    def open_section() -> None:
        steps: list[int] = []
        ww = wegwijzer if (in_routemap and wegwijzer) else None
        kind = block if (in_routemap and block) else "tekst"
        if ww:
            steps = [names.step_of_wegwijzer[ww]] if ww in names.step_of_wegwijzer else []
        elif step:
            steps = [step]
            kind = "perspectief" if heading and _PERSPECTIVE_HEADING.match(heading) else "stap"
        builder.open(path(), block=kind, steps=steps, wegwijzer=ww, speaker=speaker,
                     story_title=story_title)

    for i, (para, text) in enumerate(zip(paragraphs, texts, strict=True)):
        low = text.lower().rstrip(" :")
        if low in BLOCK_MARKERS:
            in_routemap = True
            new_block = BLOCK_MARKERS[low]
            if new_block == "verhaal" and last_block in (None, "handreiking", "onderzoek"):
                if last_block != "verhaal":
                    wegwijzer += 1 if wegwijzer < len(names.wegwijzers) else 0
            block = last_block = new_block
            story_title = speaker = None
            expect_speaker = False
            expect_topic = new_block == "onderzoek"
            step = None
            open_section()
            continue
        if in_routemap and block == "verhaal" and is_caps_title(text):
            story_title = text.title() if len(text) > 60 else text
            expect_speaker = True
            open_section()
            continue
        if expect_speaker:
            expect_speaker = False
            speaker = text.strip().strip("‘'")
            builder.current.speaker = speaker
            builder.current.path = path()
            builder.current.story_title = story_title
            continue
        if expect_topic and text.startswith("(over"):
            expect_topic = False
            builder.current.path = path() + [text.strip("() ")]
            continue
        numbered = _NUMBERED_WEGWIJZER.match(text)
        if numbered and _fold(numbered.group(2)) in ww_titles.values():
            wegwijzer = int(numbered.group(1)) - 1  # the next story opens it
            last_block = "handreiking"
            continue
        if text in ROMAN and next_is_heading(i):
            chapter = None  # the next heading names the chapter
            heading = None
            in_routemap = False
            block = None
            step = None
            continue
        if is_heading(text) and not next_is_heading(i):
            if chapter is None and _looks_like_chapter(texts, i):
                chapter = text
                heading = None
            else:
                heading = text
            step_match = _STEP_HEADING.match(text)
            if step_match and _fold(step_match.group(2)).startswith(
                step_titles.get(int(step_match.group(1)), "~")[:12]
            ):
                step = int(step_match.group(1))
            elif _PERSPECTIVE_HEADING.match(text) and step == 3:
                pass  # quadrant sub-section stays in step 3
            else:
                step = None
            if in_routemap and text.lower().startswith(("hoofdstuk", "verantwoording")):
                in_routemap = False
            if text == "Een routekaart":
                chapter = "Hoofdstuk 2. Een routekaart"
                heading = None
            if not in_routemap:
                block = None
            open_section()
            continue
        builder.add(para)
    return builder.result()


_BLOCK_TITLES = {"verhaal": "Een verhaal", "onderzoek": "Uit het onderzoek",
                 "handreiking": "Een handreiking"}


def _looks_like_chapter(texts: Sequence[str], i: int) -> bool:
    return i > 0 and texts[i - 1] in ROMAN
