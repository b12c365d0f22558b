"""Saying so when the sources do not cover a question, with the nearest passages to look at."""

from __future__ import annotations

from assistant.compose.answer import ABSTAIN_TEXT, Answer, Point
from assistant.compose.context import ComposerContext
from assistant.compose.evidence import Evidence
from assistant.compose.pool import CitationBook
from assistant.retrieval.confidence import ABSTAIN_BELOW

# Below the retrieval confidence threshold (calibrated on the tuning questions, defined once in
# assistant.retrieval.confidence) the assistant abstains; REGIOWIJZER_ABSTAIN_BELOW overrides it (see
# assistant.service). Clear nonsense ("recept voor appeltaart") is caught anyway: none of its
# words occurs in the sources.
NEAREST = 3


def should_abstain(evidence: Evidence, threshold: float = ABSTAIN_BELOW) -> bool:
    """No hits, confidence below the threshold, or no word of the question in any passage."""
    if not evidence.hits or evidence.confidence < threshold:
        return True
    return evidence.signals.lexical_top <= 0.0


def abstained_answer(question: str, mode: str, evidence: Evidence, ctx: ComposerContext,
                     notice: str | None = None) -> Answer:
    """"In de bronnen vind ik hierover niets", plus the nearest passages as "misschien relevant"."""
    book = CitationBook(ctx, {h.passage.id: h.score for h in evidence.hits})
    nearest = []
    for hit in evidence.hits:
        sentences = [s for s in ctx.sentences(hit.passage) if not s.endswith("?")]
        if not sentences:
            continue
        nearest.append(Point(text=sentences[0], citations=[book.cite_text(hit.passage, sentences[0])]))
        if len(nearest) == NEAREST:
            break
    return Answer(
        question=question, mode=mode, backend="none", abstained=True, notice=notice,
        summary=[Point(text=ABSTAIN_TEXT, origin="ours")], steps=[], silent_steps=[], examples=[],
        citations=book.citations(), extras={"misschien_relevant": nearest} if nearest else {},
        shape="abstained", confidence=round(evidence.confidence, 4),
        step_titles={s.nummer: s.titel for s in ctx.routekaart.stappen})
