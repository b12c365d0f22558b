"""The language-model composer: the extractive answer is always built first (structure,
citations, and the fallback), then the model writes prose over exactly those citations.
If the server is down, slow or unusable, the extractive answer stands, with a visible notice."""

from __future__ import annotations

from collections.abc import Iterator, Sequence

from assistant.compose.answer import Answer, join_notices
from assistant.compose.composer import ExtractiveComposer, register_composer
from assistant.compose.llm.backends import make_backend
from assistant.compose.llm.compose import condense_followup, generate_answer, stream_answer
from assistant.compose.llm.errors import LLMUnavailable
from assistant.compose.llm.prompts import format_steps
from assistant.compose.llm.settings import LLMSettings


class LLMComposer:
    """Prose by a chat backend over the extractive answer's citations; the prompt describes the
    route map of the corpus in use (the composer context's)."""

    def __init__(self, backend, settings: LLMSettings) -> None:
        self.backend = backend
        self.settings = settings
        self.name = backend.name
        self._extractive = ExtractiveComposer()

    def describe(self) -> str:
        return self.backend.describe()

    def ping(self) -> bool:
        return self.backend.ping()

    def compose(self, evidence, mode, ctx, options, question) -> Answer:
        answer = self._extractive.compose(evidence, mode, ctx, options, question)
        if answer.abstained or not answer.citations:
            return answer  # never let a model answer where the sources say nothing
        try:
            generated = generate_answer(self.backend, mode, question, _given(answer),
                                        steps=format_steps(ctx.routekaart), claims=_claims(answer),
                                        kind=answer.kind)
        except LLMUnavailable as err:
            answer.notice = join_notices(answer.notice, err.notice)
            return answer
        return self._with_prose(answer, generated.text, generated.notices)

    def stream(self, evidence, mode, ctx, options, question) -> Iterator[str | Answer]:
        answer = self._extractive.compose(evidence, mode, ctx, options, question)
        if answer.abstained or not answer.citations:
            yield answer
            return
        try:
            stream = stream_answer(self.backend, mode, question, _given(answer),
                                   steps=format_steps(ctx.routekaart), claims=_claims(answer),
                                        kind=answer.kind)
            yield from stream
            generated = stream.result
        except LLMUnavailable as err:
            answer.notice = join_notices(answer.notice, err.notice)
            yield answer
            return
        yield self._with_prose(answer, generated.text, generated.notices)

    def condense(self, history: Sequence[str], followup: str) -> str | None:
        if not history:
            return None
        try:
            return condense_followup(self.backend, [(h, "") for h in history], followup)
        except LLMUnavailable:
            return None  # the deterministic rule carries the topic instead

    def _with_prose(self, answer: Answer, prose: str, notices: Sequence[str]) -> Answer:
        answer.prose = prose
        answer.backend = self.name
        answer.meta["llm"] = self.settings.describe()
        answer.notice = join_notices(answer.notice, *notices)
        return answer


def _given(answer: Answer) -> list[tuple[int, object]]:
    return [(c.n, c.passage) for c in answer.citations]


def _claims(answer: Answer) -> list[tuple[str, list[int]]]:
    """The extractive answer's chosen span (the lead), and a Notitie's further Kern spans."""
    return [(p.text, list(p.citations)) for p in [*answer.summary, *answer.extras.get("kern", [])]
            if p.origin == "source" and p.citations]


def _build(settings: LLMSettings) -> LLMComposer:
    return LLMComposer(make_backend(settings), settings)


register_composer("ollama", _build)
register_composer("openai", _build)
