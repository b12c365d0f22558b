"""Answers written by a language model: render the mode's prompt, call the backend, check the result.

Every failure surfaces as LLMUnavailable (with a Dutch `notice`) so the caller can fall back to the
extractive composer; a reply that no cited sentence of survives the checks counts as a failure too.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol

from assistant.compose.llm.backends import Message
from assistant.compose.llm.checks import ABSTAIN, MARK, Checked, check_generated
from assistant.compose.llm.errors import LLMUnavailable
from assistant.compose.llm.prompts import (
    ANSWER_MODES,
    CONDENSE,
    default_prompt,
    defuse_tags,
    format_claims,
    format_history,
    format_sources,
    kind_instruction,
)
from assistant.compose.llm.sanitize import sanitize_model_text

ANSWER_TOKENS = 1500  # kept free in the context window for the reply
CHARS_PER_TOKEN = 3.0  # a cautious estimate for Dutch with common tokenizers
_THINKING = re.compile(r"<think>.*?</think>", re.DOTALL | re.IGNORECASE)


class Backend(Protocol):
    """What composing needs from a backend (ChatBackend, or a fake in tests)."""

    name: str
    model: str

    def complete(self, messages: Sequence[Message]) -> str: ...
    def stream(self, messages: Sequence[Message]) -> Iterator[str]: ...


@dataclass(frozen=True)
class GeneratedText:
    text: str  # checked Markdown, with [n] citations that all point to given passages
    notices: list[str] = field(default_factory=list)  # Dutch, for the UI: what the checks changed
    cited: list[int] = field(default_factory=list)
    abstained: bool = False  # the model said the sources do not answer the question
    check: Checked | None = None


Claims = Sequence[tuple[str, Sequence[int]]]  # (sentence as quoted, its source numbers)


def build_messages(mode: str, question: str, citations: Sequence[tuple[int, Any]],
                   history: Sequence[tuple[str, str]] = (), steps: str = "",
                   claims: Claims = (), kind: str | None = None) -> list[Message]:
    """The chat messages for one answer; `steps` is the route map of the corpus in use, as text;
    `claims` the span the extractive answer chose as answering; `kind` the kind of question,
    which decides the answer's shape (prompts/soorten.toml)."""
    if mode not in ANSWER_MODES:
        raise ValueError(f"onbekende modus {mode!r}; kies uit {', '.join(ANSWER_MODES)}")
    given = {n for n, _ in citations}
    claims = [(text, numbers) for text, numbers in claims if set(numbers) <= given]
    return default_prompt(mode).render(
        stappen=steps, geschiedenis=format_history(history), bronnen=format_sources(citations),
        kernzinnen=format_claims(claims), soort=kind_instruction(kind),
        vraag=defuse_tags(question.strip()))


def fit_context(citations: Sequence[tuple[int, Any]], context_tokens: int,
                overhead_chars: int = 4000) -> tuple[list[tuple[int, Any]], list[int]]:
    """Keep the best-ranked passages that fit the context window; return (kept, dropped numbers)."""
    budget = (context_tokens - ANSWER_TOKENS) * CHARS_PER_TOKEN - overhead_chars
    kept, used = [], 0
    for n, passage in citations:
        size = len(getattr(passage, "text", str(passage))) + 200
        if kept and used + size > budget:
            break
        kept.append((n, passage))
        used += size
    return kept, [n for n, _ in citations[len(kept):]]


def generate_answer(backend: Backend, mode: str, question: str, citations: Sequence[tuple[int, Any]],
                    history: Sequence[tuple[str, str]] = (), steps: str = "",
                    claims: Claims = (), kind: str | None = None) -> GeneratedText:
    """One checked answer; raises LLMUnavailable when the server gives nothing usable."""
    given, notices = _fit(backend, citations)
    text = backend.complete(build_messages(mode, question, given, history, steps, claims, kind))
    return finish(text, given, notices)


def stream_answer(backend: Backend, mode: str, question: str, citations: Sequence[tuple[int, Any]],
                  history: Sequence[tuple[str, str]] = (), steps: str = "",
                  claims: Claims = (), kind: str | None = None) -> AnswerStream:
    """Chunks as they arrive; after the last one `.result` holds the checked answer.

    Iterating raises LLMUnavailable if the server fails, the stream is cut off, or nothing usable came.
    """
    given, notices = _fit(backend, citations)
    messages = build_messages(mode, question, given, history, steps, claims, kind)
    return AnswerStream(backend.stream(messages), lambda text: finish(text, given, notices))


def condense_followup(backend: Backend, history: Sequence[tuple[str, str]], followup: str) -> str:
    """Rewrite a follow-up ('en hoe zit dat in stap 3?') as a standalone question for retrieval."""
    if not history:
        return followup.strip()
    messages = default_prompt(CONDENSE).render(geschiedenis=format_history(history),
                                               vervolgvraag=defuse_tags(followup.strip()))
    complete = getattr(backend, "quick", backend.complete)  # a short deadline where the backend has one
    text = _THINKING.sub("", complete(messages))
    line = next((x.strip() for x in text.splitlines() if x.strip()), "")
    line = re.sub(r"^(zelfstandige vraag|vraag)\s*:\s*", "", line, flags=re.IGNORECASE).strip(" \"'‘’“”*")
    if not line or len(line) > 500:
        raise LLMUnavailable("garbage", "De taalmodelserver gaf geen bruikbare herschreven vraag")
    return line


def finish(text: str, citations: Sequence[tuple[int, Any]], notices: Sequence[str] = ()) -> GeneratedText:
    """Check a reply against the passages it was given and say, in Dutch, what was changed."""
    passages = {n: getattr(p, "text", str(p)) for n, p in citations}
    checked = check_generated(sanitize_model_text(_THINKING.sub("", text)), passages)
    abstained = ABSTAIN.rstrip(".").lower() in checked.text.lower() and not checked.supported
    if not checked.text.strip() or not (checked.supported or abstained):
        raise LLMUnavailable("unusable", "Het antwoord van het taalmodel was niet met de bronnen "
                                         "te onderbouwen")
    notices = list(notices)
    if checked.invalid_citations:
        numbers = ", ".join(f"[{n}]" for n in checked.invalid_citations)
        notices.append(f"Het taalmodel verwees naar bronnen die niet bestaan ({numbers}); "
                       "die verwijzingen zijn verwijderd.")
    if checked.unsupported:
        k = len(checked.unsupported)
        notices.append(f"{k} {'zin' if k == 1 else 'zinnen'} van het taalmodel vond ik niet terug in de "
                       f"aangehaalde bronnen; gemarkeerd met {MARK}.")
    return GeneratedText(checked.text, notices, checked.cited, abstained, checked)


def _fit(backend: Backend, citations: Sequence[tuple[int, Any]]) -> tuple[list, list[str]]:
    context = getattr(getattr(backend, "settings", None), "context", None)
    if not context:
        return list(citations), []
    kept, dropped = fit_context(citations, context)
    if not dropped:
        return kept, []
    numbers = ", ".join(map(str, dropped))
    return kept, [f"Niet alle gevonden passages pasten in het contextvenster van het taalmodel "
                  f"({context} tokens); weggelaten: bron {numbers}."]


class AnswerStream:
    """An iterator of the model's text deltas as they arrive, raw: whoever shows them shows
    `sanitize_model_text` of the whole text so far (the chat does, in
    `assistant.present.chat.stream_markdown`), the same function the final answer goes through.
    When it is exhausted, `result` holds the checked GeneratedText."""

    def __init__(self, chunks: Iterator[str], finish_text: Callable[[str], GeneratedText]):
        self._chunks = iter(chunks)
        self._finish = finish_text
        self._parts: list[str] = []
        self._result: GeneratedText | None = None

    def __iter__(self) -> AnswerStream:
        return self

    def __next__(self) -> str:
        while True:
            try:
                chunk = next(self._chunks)
            except StopIteration:
                if self._result is None:
                    self._result = self._finish("".join(self._parts))
                raise
            if chunk:
                self._parts.append(chunk)
                return chunk

    @property
    def text(self) -> str:
        """The raw text received so far (unchecked, not sanitised)."""
        return "".join(self._parts)

    @property
    def result(self) -> GeneratedText:
        if self._result is None:
            raise RuntimeError("de stream is nog niet helemaal gelezen")
        return self._result
