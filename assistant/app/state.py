"""What the app keeps: one conversation per browser session, and what all sessions share (the
assistant, which is swapped after a re-index, the route map and the document list)."""

from __future__ import annotations

import atexit
import re
import shutil
import tempfile
import threading
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import assistant.present.chat as fmt
from assistant.compose.answer import Answer
from ingest.config import Settings


@dataclass
class Turn:
    label: str  # the user's message as shown (already safe Markdown)
    question: str
    mode: str
    answer: Answer | None = None
    display: str = ""  # the assistant's message as shown
    files: tuple[str, str] | None = None  # (markdown, docx) downloads
    focus: int | None = None  # the route-map step the user clicked for this turn


@dataclass
class Conversation:
    turns: list[Turn] = field(default_factory=list)

    def messages(self) -> list[dict[str, str]]:
        out = []
        for t in self.turns:
            out.append({"role": "user", "content": t.label})
            out.append({"role": "assistant", "content": t.display or "…"})
        return out

    def last_answered(self) -> Turn | None:
        return next((t for t in reversed(self.turns) if t.answer is not None), None)

    def questions(self) -> list[str]:
        return [t.question for t in self.turns if t.answer is not None]

    def earlier(self, turn: int, keep: int = 4) -> list[tuple[int, Answer]]:
        """The answers before `turn` (most recent first, at most `keep`), with their numbers."""
        answered = [(i, t.answer) for i, t in enumerate(self.turns[: turn - 1], start=1) if t.answer]
        return answered[::-1][:keep]

    def last_notice(self) -> str | None:
        turn = self.last_answered()
        return turn.answer.notice if turn else None


class Shared:
    """State all sessions share. A re-index swaps in a freshly opened assistant."""

    def __init__(self, assistant, settings: Settings,
                 reload: Callable[[Settings], Any] | None = None, notice: str | None = None) -> None:
        self.assistant = assistant
        self.settings = settings
        self.notice = notice  # standing notice, e.g. the configured language model is unavailable
        self._reload = reload or (lambda s: type(assistant).from_settings(s, embedder=self.model()))
        self.index_lock = threading.Lock()
        self.downloads = Path(tempfile.mkdtemp(prefix="regiowijzer-app-"))
        atexit.register(shutil.rmtree, self.downloads, True)

    def reload(self) -> None:
        """Open the rebuilt index; the answer composer (extractive or LLM) stays the same."""
        fresh = self._reload(self.settings)
        fresh.composer = self.assistant.composer
        self.assistant = fresh

    def embedder(self):
        return getattr(getattr(self.assistant, "retriever", None), "embedder", None)

    def model(self):
        """The loaded embedding model itself (not the query cache around it), for reuse."""
        embedder = self.embedder()
        return getattr(embedder, "_embedder", embedder)

    def composer(self):
        """The composer writing the answers (extractive, or a language model's)."""
        return self.assistant.composer

    def routekaart(self):
        context = getattr(self.assistant, "context", None)
        if context is not None:
            return context.routekaart
        from ingest.index.corpusdata import ROUTEKAART_FILE, find_data_file, load_routekaart

        return load_routekaart(find_data_file(self.settings.corpus_dir, ROUTEKAART_FILE))

    def neighbours(self, answer: Answer) -> dict[int, tuple]:
        """The passages before and after each cited one, from the open index."""
        index = getattr(getattr(self.assistant, "retriever", None), "index", None)
        if index is None:
            return {}
        out = {}
        for c in answer.citations:
            try:
                out[c.n] = index.neighbours(c.passage.id)
            except KeyError:
                out[c.n] = (None, None)
        return out

    # --- documents ----------------------------------------------------------------------------

    def documents(self) -> tuple[dict, dict]:
        """(file records of the index by file name, manifest entries by file name)."""
        from ingest.index.corpusdata import CorpusDataError, load_manifest
        from ingest.index.reader import IndexUnavailable, open_manifest

        try:
            _, manifest = open_manifest(self.settings)
            files = manifest.files
        except IndexUnavailable:
            files = {}
        try:
            sources = load_manifest(self.settings.corpus_dir)
        except CorpusDataError:
            sources = {}
        return files, sources

    def document_rows(self) -> list[list[str]]:
        return fmt.document_rows(*self.documents())

    def document_choices(self) -> list[tuple[str, str]]:
        files, _ = self.documents()
        return sorted(((r.title, r.doc_id) for r in files.values() if not r.skipped),
                      key=lambda x: x[0].casefold())

    def file_choices(self) -> list[tuple[str, str]]:
        files, _ = self.documents()
        return [(f"{r.title or name} ({name})", name) for name, r in sorted(files.items())]

    def kind_choices(self) -> list[str]:
        files, _ = self.documents()
        return sorted({r.kind for r in files.values() if r.kind})

    # --- model and exports --------------------------------------------------------------------

    def backend_text(self, ping: bool = False, notice: str | None = None) -> str:
        composer = self.composer()
        notice = notice or self.notice
        if composer.name == "none":
            return fmt.backend_markdown(composer.describe(), "none", notice)
        status = ("ok" if composer.ping() else "down") if ping else "untested"
        return fmt.backend_markdown(composer.describe(), status, notice)

    def write_exports(self, answer: Answer) -> tuple[str, str]:
        """The answer as Markdown and DOCX files, in a folder of their own."""
        from assistant.present.docx import write_answer

        self._prune_downloads()
        folder = self.downloads / uuid.uuid4().hex
        folder.mkdir()
        slug = re.sub(r"[^a-z0-9]+", "-", answer.question.lower())[:50].strip("-") or "antwoord"
        base = f"regiowijzer-{answer.mode}-{slug}"
        md, docx = folder / f"{base}.md", folder / f"{base}.docx"
        write_answer(answer, md)
        write_answer(answer, docx)
        return str(md), str(docx)

    def _prune_downloads(self, max_age_s: float = 7200) -> None:
        """Files of answers older than two hours go; Gradio has served its own copy by then."""
        cutoff = time.time() - max_age_s
        for folder in self.downloads.iterdir():
            if folder.stat().st_mtime < cutoff:
                shutil.rmtree(folder, ignore_errors=True)
