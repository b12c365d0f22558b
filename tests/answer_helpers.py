"""One Assistant on the session's corpus index, shared by the answer tests."""

from __future__ import annotations

from assistant.compose.context import simple_context
from assistant.retrieval.hybrid import Hit
from ingest.index.corpusdata import load_routekaart
from ingest.index.passage import Passage

_ASSISTANTS: dict[str, object] = {}


def corpus_assistant(settings, embedder):
    from assistant.service import Assistant

    key = str(settings.home)
    if key not in _ASSISTANTS:
        _ASSISTANTS[key] = Assistant.from_settings(settings, embedder=embedder)
    return _ASSISTANTS[key]


def passage(pid: str, text: str, *, block: str = "tekst", steps=(), wegwijzer=None, places=(),
            speaker=None, kind: str = "rapport", page=None) -> Passage:
    return Passage(id=f"doc:{pid}", doc_id="doc", title="Testdocument", kind=kind, text=text,
                   page=page, section="Hoofdstuk › Sectie", block=block, steps=list(steps),
                   steps_inferred=False, wegwijzer=wegwijzer, speaker=speaker, places=list(places),
                   research_pages=[], position=0)


def hit(p: Passage, rank: int, dense: float = 0.8, lexical: float = 2.0) -> Hit:
    return Hit(passage=p, score=1.0 / (60 + rank), rank=rank, dense_rank=rank, lexical_rank=rank,
               dense=dense, lexical=lexical)


def literal_context(passages):
    """A composer context over literal passages with a plain tokenizer and the real route map."""
    return simple_context(load_routekaart(), [p.text for p in passages])
