"""The answer-composer seam: one protocol, an extractive implementation, and one factory.

Every composer builds on the extractive answer (structure, citations, the abstain decision);
a language-model composer then writes prose over exactly those citations. The factory reads
the backend from the settings (a `--llm` flag or REGIOWIJZER_LLM alike); tests register fakes
through `register_composer`, the same door production uses.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from typing import Protocol, runtime_checkable

from assistant.compose.answer import Answer
from assistant.compose.context import ComposerContext
from assistant.compose.evidence import Evidence
from assistant.compose.extractive import ComposeOptions, compose_extractive


@runtime_checkable
class Composer(Protocol):
    """Turns evidence into an Answer; `stream` yields text deltas, then the finished Answer."""

    name: str  # "none" for extractive, otherwise the backend ("ollama", "openai", …)

    def compose(self, evidence: Evidence, mode: str, ctx: ComposerContext, options: ComposeOptions,
                question: str) -> Answer: ...

    def stream(self, evidence: Evidence, mode: str, ctx: ComposerContext, options: ComposeOptions,
               question: str) -> Iterator[str | Answer]: ...

    def condense(self, history: Sequence[str], followup: str) -> str | None:
        """A follow-up rewritten as a standalone question, or None to use the rule-based one."""
        ...

    def describe(self) -> str: ...

    def ping(self) -> bool: ...


class ExtractiveComposer:
    """The default: every sentence quoted verbatim from a cited passage; no model, no network."""

    name = "none"

    def compose(self, evidence, mode, ctx, options, question) -> Answer:
        return compose_extractive(evidence, mode, ctx, options, question=question)

    def stream(self, evidence, mode, ctx, options, question) -> Iterator[str | Answer]:
        yield self.compose(evidence, mode, ctx, options, question)

    def condense(self, history: Sequence[str], followup: str) -> str | None:
        return None

    def describe(self) -> str:
        return "geen taalmodel (extractief)"

    def ping(self) -> bool:
        return True


# backend name -> factory(llm_settings) -> Composer
ComposerFactory = Callable[..., Composer]
_FACTORIES: dict[str, ComposerFactory] = {}


def register_composer(name: str, factory: ComposerFactory) -> None:
    """Make `name` a backend the factory can build (production registers ollama and openai)."""
    _FACTORIES[name] = factory


def make_composer(backend: str | None = None, *,
                  env: dict[str, str] | None = None) -> tuple[Composer, str | None]:
    """(composer, notice) for the configured backend: `backend` (a flag) wins over REGIOWIJZER_LLM.

    A backend that cannot be set up gives the extractive composer and a Dutch notice saying why."""
    from assistant.compose.llm.settings import load_llm_settings

    try:
        settings = load_llm_settings(env, backend=backend)
    except ValueError as err:
        return ExtractiveComposer(), f"Taalmodel niet ingesteld ({err}); extractief antwoord."
    if not settings.enabled:
        return ExtractiveComposer(), None
    if settings.backend not in _FACTORIES:
        import assistant.compose.llm.composer  # noqa: F401  registers the built-in backends
    try:
        return _FACTORIES[settings.backend](settings), None
    except Exception as err:  # a misconfigured backend must not stop an extractive answer
        return ExtractiveComposer(), f"Taalmodel niet beschikbaar ({err}); extractief antwoord."
