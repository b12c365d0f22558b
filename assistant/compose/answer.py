"""The answer contract shared by the composers (extractive, LLM), the CLI, the exports and the UI.

Citations are ids, not prose: a Point names the citation numbers it rests on, each number
resolves to exactly one retrieved passage, and the UI/export format them.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ingest.index.passage import Passage

MODES = ("vraag", "notitie", "gespreksvragen")

# Where a Point's words come from. Only "source" text is a claim; it must occur verbatim
# (trimming allowed) in one of its cited passages.
ORIGINS = ("source", "template", "ours")

# Stable keys of Answer.extras and their Dutch headings; per-step worksheet keys are
# "gespreksvragen:<step>".
EXTRA_TITLES = {
    "aanleiding": "Aanleiding",
    "raadsvragen": "Vragen die u in de raad kunt stellen",
    "kern": "Kern",
    "handelingsopties": "Handelingsopties",
    "aandachtspunten": "Aandachtspunten",
    "gespreksvragen": "Gespreksvragen per stap",
    "stelling": "Stelling om over te debatteren",
    "oefening": "Oefening",
    "misschien_relevant": "Misschien relevant",
    "regio": "In uw regio",  # heading "In uw regio: <Answer.region>"; see assistant.compose.region
}

ABSTAIN_TEXT = "In de bronnen vind ik hierover niets."
WEAK_BASIS_TEXT = ("Weinig houvast: de bronnen lijken hier niet rechtstreeks over te gaan. "
                   "Controleer of de geciteerde passages uw vraag echt beantwoorden.")


def join_notices(*notices: str | None) -> str | None:
    """Several notices for one answer as one line; None when there are none."""
    return " ".join(n for n in notices if n) or None


@dataclass
class Citation:
    n: int
    passage: Passage
    score: float
    quote: str | None = None  # the sentence(s) used from this passage, for highlighting
    quotes: list[str] = field(default_factory=list)  # the same, one entry per quoted text
    author: str | None = None  # author or publisher, from the corpus manifest
    year: int | None = None
    wegwijzer_title: str | None = None  # "Laat de feiten spreken" when the passage has one


@dataclass
class Point:
    text: str
    citations: list[int] = field(default_factory=list)
    origin: str = "source"  # one of ORIGINS
    quote: str | None = None  # for a template question: the cited sentence it is tied to


@dataclass
class StepSection:
    step: int
    title: str
    wegwijzers: list[int]
    points: list[Point]
    wegwijzer_titles: list[str] = field(default_factory=list)  # parallel to wegwijzers


@dataclass
class Answer:
    question: str
    mode: str
    backend: str  # "none" for the extractive composer, else the LLM backend's name
    abstained: bool
    notice: str | None
    summary: list[Point]  # "Kort antwoord"
    steps: list[StepSection]  # "Langs de routekaart": steps with evidence
    silent_steps: list[int]  # steps on which the sources say nothing for this question
    examples: list[Point]  # "Voorbeelden uit de praktijk"
    citations: list[Citation]  # "Bronnen", numbered from 1
    extras: dict[str, list[Point]] = field(default_factory=dict)  # keys: EXTRA_TITLES
    prose: str | None = None  # an LLM's checked free text, when it wrote one
    meta: dict[str, str] = field(default_factory=dict)  # backend model, timings, …
    shape: str = "route"  # "route" (full route map) | "light" (definition/fact) | "abstained"
    confidence: float | None = None  # retrieval confidence the abstention decision used
    focus_step: int | None = None  # a step the user asked about ("hoe zit dat in stap 3?")
    step_titles: dict[int, str] = field(default_factory=dict)  # for naming silent steps
    weak_basis: bool = False  # answered, but with a confidence in the caution band
    region: str | None = None  # the asker's region; its section is extras["regio"]
    related: list[str] = field(default_factory=list)  # bank questions about the cited passages
    kind: str | None = None  # the kind of question (assistant.compose.kind.KINDS)

    def citation(self, n: int) -> Citation:
        return next(c for c in self.citations if c.n == n)

    def all_points(self) -> list[Point]:
        points = [*self.summary, *self.examples]
        points += [p for s in self.steps for p in s.points]
        points += [p for ps in self.extras.values() for p in ps]
        return points

    def to_json(self) -> dict:
        """The `ask --jsonl` contract."""
        return {
            "question": self.question,
            "mode": self.mode,
            "backend": self.backend,
            "abstained": self.abstained,
            "weak_basis": self.weak_basis,
            "notice": self.notice,
            "region": self.region,
            "kind": self.kind,
            "answer": self.meta.get("markdown", ""),
            "related": list(self.related),
            "steps": [{"step": s.step, "title": s.title, "wegwijzers": s.wegwijzers,
                       "citations": sorted({n for p in s.points for n in p.citations})}
                      for s in self.steps],
            "citations": [{"n": c.n, "doc_id": c.passage.doc_id, "title": c.passage.title,
                           "page": c.passage.page, "section": c.passage.section,
                           "block": c.passage.block, "text": c.passage.text,
                           "score": c.score} for c in self.citations],
        }
