"""Recognise a document's own structure in its cleaned paragraphs.

Generic headings give every document a section path. Documents written like the VNG
Denktank report also get their route-map structure: the five steps, the quadrant model
and, per wegwijzer, the blocks "Een verhaal" / "Uit het onderzoek" / "Een handreiking".
The report prints no wegwijzer headings (they were drawings), so a wegwijzer is counted
as one story -> research -> advice cycle, and set outright by a "10 Geef het voorbeeld"
style heading where one survives.
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
BLOCK_TITLES = {"verhaal": "Een verhaal", "onderzoek": "Uit het onderzoek",
                "handreiking": "Een handreiking"}
ROMAN = {"I", "II", "III", "IV", "V", "VI"}
ROUTEMAP_CHAPTER = ("Een routekaart", "Hoofdstuk 2. Een routekaart")
_SENTENCE_END = re.compile(r"[.;:,]['’\"”)]*$")
_ENUMERATOR = re.compile(r"^(\d{1,2}|[a-h])\.\s+")
_STEP_HEADING = re.compile(r"^([1-5])\.\s+(.+)$")
_PERSPECTIVE_HEADING = re.compile(r"^[a-d]\.\s+De \w+ overheid\s*$", re.IGNORECASE)
_NUMBERED_WEGWIJZER = re.compile(r"^(10|[1-9])\s+(.+)$")


@dataclass(frozen=True)
class RouteMapNames:
    """The few route-map facts structure needs, decoupled from the TOML loader."""

    steps: dict[int, str]
    wegwijzers: dict[int, str]
    step_of_wegwijzer: dict[int, int]


def _fold(text: str) -> str:
    return re.sub(r"[^a-z0-9& ]", "", text.lower().replace("-", "")).strip()


def is_heading(text: str) -> bool:
    """Short, title-like, not a sentence: the shape of a heading in these documents."""
    body = _ENUMERATOR.sub("", text)
    words = body.split()
    if not words or len(words) > 12 or len(text) > 90:
        return False
    if body.startswith(("•", "-", "–", "(", "‘", "'", '"', "“")) or _SENTENCE_END.search(body):
        return False
    return body[0].isupper() or body[0].isdigit()


def is_caps_title(text: str) -> bool:
    letters = [c for c in text if c.isalpha()]
    return len(letters) >= 4 and all(c.isupper() for c in letters) and len(text.split()) <= 14


def _enumerator_kind(text: str) -> str | None:
    match = _ENUMERATOR.match(text)
    if not match:
        return None
    return "digit" if match.group(1).isdigit() else "letter"


def is_list_item(texts: Sequence[str], i: int) -> bool:
    """An enumerated short line next to another of the same kind: part of a list, not a heading."""
    kind = _enumerator_kind(texts[i])
    if kind is None or not is_heading(texts[i]):
        return False
    neighbours = [texts[j] for j in (i - 1, i + 1) if 0 <= j < len(texts)]
    return any(_enumerator_kind(t) == kind and is_heading(t) for t in neighbours)


class _Walker:
    """Walks the paragraphs once, keeping the structural state and emitting sections."""

    def __init__(self, names: RouteMapNames) -> None:
        self.names = names
        self.step_titles = {n: _fold(t) for n, t in names.steps.items()}
        self.ww_titles = {_fold(t) for t in names.wegwijzers.values()}
        self.sections: list[Section] = []
        self.chapter: str | None = None
        self.heading: str | None = None
        self.subheading: str | None = None
        self.step: int | None = None
        self.wegwijzer = 0
        self.block: str | None = None  # set only inside the report's wegwijzer blocks
        self.last_block: str | None = None
        self.story_title: str | None = None
        self.expect = None  # "chapter" | "speaker" | "topic"

    # --- emitting -----------------------------------------------------------------
    def path(self) -> list[str]:
        if self.block:
            title = self.names.wegwijzers.get(self.wegwijzer, "")
            parts = [self.chapter or ROUTEMAP_CHAPTER[1], f"Wegwijzer {self.wegwijzer}: {title}",
                     BLOCK_TITLES[self.block] + (f": {self.story_title}" if self.story_title else "")]
            return parts
        return [p for p in (self.chapter, self.heading, self.subheading) if p]

    def open(self) -> Section:
        steps: list[int] = []
        block = "tekst"
        wegwijzer = None
        if self.block:
            block, wegwijzer = self.block, self.wegwijzer or None
            if wegwijzer in self.names.step_of_wegwijzer:
                steps = [self.names.step_of_wegwijzer[wegwijzer]]
        elif self.step:
            steps = [self.step]
            block = "perspectief" if self.subheading else "stap"
        section = Section(path=self.path(), paragraphs=[], block=block, steps=steps,
                          wegwijzer=wegwijzer, story_title=self.story_title)
        self.sections.append(section)
        return section

    def add(self, para: Paragraph) -> None:
        if not self.sections:
            self.open()
        self.sections[-1].paragraphs.append(para)

    # --- transitions --------------------------------------------------------------
    def enter_block(self, block: str) -> None:
        if block == "verhaal" and self.last_block != "verhaal":
            self.wegwijzer = min(self.wegwijzer + 1, max(self.names.wegwijzers, default=10))
        self.block = self.last_block = block
        self.story_title = None
        self.step = None
        self.expect = "topic" if block == "onderzoek" else None
        self.open()

    def leave_routemap(self) -> None:
        self.block = None
        self.story_title = None

    def set_heading(self, text: str) -> None:
        step_match = _STEP_HEADING.match(text)
        if self.step == 3 and _PERSPECTIVE_HEADING.match(text):
            self.subheading = text
        elif step_match and _fold(step_match.group(2)).startswith(
                self.step_titles.get(int(step_match.group(1)), "~")[:12]):
            self.step = int(step_match.group(1))
            self.heading, self.subheading = text, None
        else:
            self.step = None
            self.heading, self.subheading = text, None
        self.open()

    def step_paragraph(self, texts: Sequence[str], i: int, para: Paragraph) -> None:
        text = texts[i]
        low = text.lower().rstrip(" :")
        nxt = texts[i + 1] if i + 1 < len(texts) else ""
        if self.expect == "chapter":
            self.expect = None
            self.chapter, self.heading, self.subheading, self.step = text, None, None, None
            self.leave_routemap()
            self.open()
            return
        if low in BLOCK_MARKERS:
            self.enter_block(BLOCK_MARKERS[low])
            return
        numbered = _NUMBERED_WEGWIJZER.match(text)
        if numbered and _fold(numbered.group(2)) in self.ww_titles:
            self.wegwijzer = int(numbered.group(1)) - 1  # the next story opens it
            self.last_block = "handreiking"
            return
        if text in ROMAN and is_heading(nxt):
            self.expect = "chapter"
            return
        if self.block:
            self.step_in_block(text, para)
            return
        if text == ROUTEMAP_CHAPTER[0]:
            self.chapter, self.heading, self.subheading, self.step = ROUTEMAP_CHAPTER[1], None, None, None
            self.open()
            return
        if text.startswith("Figuur ") or is_list_item(texts, i):
            self.add(para)
            return
        long_step_heading = _STEP_HEADING.match(text) and len(text) < 140 and not _SENTENCE_END.search(text)
        if (is_heading(text) and not (is_heading(nxt) and nxt.lower() not in BLOCK_MARKERS)) \
                or long_step_heading:
            self.set_heading(text)
            return
        self.add(para)

    def step_in_block(self, text: str, para: Paragraph) -> None:
        if self.block == "verhaal" and is_caps_title(text):
            self.story_title = text
            self.expect = "speaker"
            self.open()
            return
        if self.expect == "speaker":
            self.expect = None
            self.sections[-1].speaker = text.strip("‘'’ ")
            return
        if self.expect == "topic":
            self.expect = None
            if text.startswith("(over"):
                self.sections[-1].path.append(text.strip("() :"))
                return
        self.add(para)


def detect_structure(paragraphs: Sequence[Paragraph], names: RouteMapNames) -> list[Section]:
    """Group paragraphs into sections with path, block type, steps, wegwijzer and speaker."""
    walker = _Walker(names)
    texts = [p.text.strip() for p in paragraphs]
    for i, para in enumerate(paragraphs):
        walker.step_paragraph(texts, i, para)
    return [s for s in walker.sections if s.paragraphs]
