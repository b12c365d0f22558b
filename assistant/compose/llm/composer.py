"""Plug an LLM into the answer facade: the extractive answer is always built first (structure,
citations, and the fallback), then the model writes prose over exactly those citations.
If the server is down, slow or unusable, the extractive answer stands, with a visible notice."""

from __future__ import annotations

from assistant.compose.answer import join_notices
from assistant.compose.llm.backends import make_backend
from assistant.compose.llm.compose import generate_answer
from assistant.compose.llm.errors import LLMUnavailable
from assistant.compose.llm.settings import load_llm_settings


def composer_for(backend_name: str, settings=None):
    """A composer with the extractive composer's call signature, or None for backend 'none'."""
    from assistant.compose.extractive import compose_extractive

    llm_settings = load_llm_settings(backend=backend_name)
    backend = make_backend(llm_settings)
    if backend is None:
        return None

    def compose(evidence, mode, ctx, options, question=""):
        answer = compose_extractive(evidence, mode, ctx, options, question=question)
        if answer.abstained or not answer.citations:
            return answer  # never let a model answer where the sources say nothing
        try:
            generated = generate_answer(backend, mode, question,
                                        [(c.n, c.passage) for c in answer.citations])
        except LLMUnavailable as err:
            answer.notice = join_notices(answer.notice, err.notice)
            return answer
        answer.prose = generated.text
        answer.backend = backend.name
        answer.meta["llm"] = llm_settings.describe()
        answer.notice = join_notices(answer.notice, *generated.notices)
        return answer

    compose.backend = backend
    return compose
