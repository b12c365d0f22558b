"""The unit the index stores and the assistant retrieves and cites."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass
class Passage:
    """The unit we index, retrieve and cite."""

    id: str
    doc_id: str
    title: str
    kind: str
    text: str
    page: int | None
    section: str
    block: str
    steps: list[int]
    steps_inferred: bool
    wegwijzer: int | None
    speaker: str | None
    places: list[str]
    research_pages: list[str]
    position: int
    prev_id: str | None = None
    next_id: str | None = None
    heading: str = ""
    page_end: int | None = None  # last page the passage runs onto, when it crosses a page break

    @property
    def words(self) -> int:
        return len(self.text.split())
