"""What the app keeps: one conversation per browser session (its last MAX_TURNS turns), and
what all sessions share: the assistant, which is swapped when the index on disk changes (an
upload here, or a CLI ingest), the route map, the document lists and the export files."""

from __future__ import annotations

import atexit
import logging
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
from assistant.app.access import admin_users
from assistant.app.memory import collect_garbage, refreeze
from assistant.compose.answer import Answer
from ingest.config import Settings

log = logging.getLogger(__name__)
MAX_TURNS = 20  # turns a conversation keeps (older ones leave the chat and the follow-up history)
RETIRE_AFTER_S = 300.0  # an index that was swapped out is closed this long after (answers finish)
EXPORTS_KEPT = 64  # export folders kept; Gradio serves its own copy of each file


@dataclass
class Turn:
    label: str  # the user's message as shown (already safe Markdown)
    question: str
    mode: str
    answer: Answer | None = None
    display: str = ""  # the assistant's message as shown
    files: tuple[str, str] | None = None  # (markdown, docx) downloads
    focus: int | None = None  # the route-map step the user clicked for this turn
    number: int = 0  # 1, 2, … within the conversation; anchors are bron-<number>-<n>
    kept: bool = False  # restored from the browser: shown and remembered, its Answer is gone
    feedback_id: str | None = None  # the line in feedback.jsonl a 👍/👎 on it wrote


@dataclass
class Conversation:
    turns: list[Turn] = field(default_factory=list)
    next_number: int = 1
    build: str | None = None  # the index build whose document lists this session was shown
    region: str = ""  # the "Uw regio" setting (assistant.app.region_setting)
    store: dict | None = None  # the browser's conversation history, as last read or written
    rated: int | None = None  # the turn number of the last 👍/👎 (a comment goes with it)
    id: str = field(default_factory=lambda: uuid.uuid4().hex)  # its key in the browser's history

    def add(self, turn: Turn) -> Turn:
        turn.number, self.next_number = self.next_number, self.next_number + 1
        self.turns.append(turn)
        del self.turns[:-MAX_TURNS]
        return turn

    def messages(self) -> list[dict[str, str]]:
        out = []
        for t in self.turns:
            out.append({"role": "user", "content": t.label})
            out.append({"role": "assistant", "content": t.display or "…"})
        return out

    def last_answered(self) -> Turn | None:
        return next((t for t in reversed(self.turns)
                     if t.answer is not None or (t.kept and t.question)), None)

    def questions(self) -> list[str]:
        return [t.question for t in self.turns if t.answer is not None or (t.kept and t.question)]

    def stored(self) -> tuple[list[dict[str, str]], list[str], list[str]]:
        """(messages, questions, modes) as the browser keeps them (assistant.app.history)."""
        return self.messages(), [t.question for t in self.turns], [t.mode for t in self.turns]

    @classmethod
    def restored(cls, entry: dict, region: str = "") -> Conversation:
        """A conversation the browser kept: its messages shown again; follow-ups know its
        questions, and a new mode or step re-asks the last one."""
        conv = cls(region=region, id=entry["id"])
        messages = entry["messages"]
        questions, modes = entry.get("questions") or [], entry.get("modes") or []
        pairs = [(messages[i], messages[i + 1]) for i in range(0, len(messages) - 1, 2)
                 if messages[i]["role"] == "user" and messages[i + 1]["role"] == "assistant"]
        for i, (user, bot) in enumerate(pairs):
            question = questions[i] if i < len(questions) else ""
            mode = modes[i] if i < len(modes) else "vraag"
            conv.add(Turn(label=user["content"], question=question, mode=mode,
                          display=bot["content"], kept=True))
        return conv

    def turn_at(self, index) -> Turn | None:
        """The turn of chat message `index` (Gradio's index: an int, or [message, part])."""
        if isinstance(index, (list, tuple)):
            index = index[0] if index else None
        if not isinstance(index, int) or isinstance(index, bool) or index < 0:
            return None
        position = index // 2
        return self.turns[position] if position < len(self.turns) else None

    def truncate(self, turn: Turn) -> None:
        """Drop this turn and the ones after it (to ask it again, or an edited question)."""
        self.turns = self.turns[: self.turns.index(turn)]

    def earlier(self, number: int, keep: int = 4) -> list[tuple[int, Answer]]:
        """The answers before turn `number` (most recent first, at most `keep`), with their numbers."""
        answered = [(t.number, t.answer) for t in self.turns if t.answer and t.number < number]
        return answered[::-1][:keep]

    def last_notice(self) -> str | None:
        turn = self.last_answered()
        return turn.answer.notice if turn and turn.answer else None


def _build_of(assistant) -> Path | None:
    return getattr(getattr(getattr(assistant, "retriever", None), "index", None), "build", None)


def _close(assistant) -> None:
    vectors = getattr(getattr(getattr(assistant, "retriever", None), "index", None), "vectors", None)
    close = getattr(vectors, "close", None)
    if close is not None:
        close()


def _retire(box: list) -> None:
    """Close the index that was swapped out, let go of it, and collect what it leaves."""
    _close(box.pop())
    refreeze()  # its objects were frozen with the rest: only a new freeze lets their cycles go


class Shared:
    """State all sessions share. A new build on disk swaps in a freshly opened assistant."""

    def __init__(self, assistant, settings: Settings,
                 reload: Callable[[Settings], Any] | None = None, notice: str | None = None,
                 admins: frozenset[str] | None = None, local_owner: bool = False) -> None:
        self.assistant = assistant
        self.settings = settings
        self.notice = notice  # standing notice, e.g. the configured language model is unavailable
        self.admins = admin_users() if admins is None else frozenset(admins)
        self.local_owner = local_owner  # no login, loopback: the person at the machine manages
        self.app = None  # the Gradio Blocks, once built (for its per-session state)
        self._reload = reload or (lambda s: type(assistant).from_settings(s, embedder=self.model()))
        self.index_lock = threading.Lock()
        self._swap = threading.Lock()
        self._failed_build: Path | None = None
        self._model_sessions: set[str] = set()
        self._sessions_lock = threading.Lock()
        self.downloads = Path(tempfile.mkdtemp(prefix="regiowijzer-app-"))
        atexit.register(shutil.rmtree, self.downloads, True)

    # --- the index in use ---------------------------------------------------------------------

    def on_disk(self) -> Path | None:
        from ingest.index.layout import current_build

        return current_build(self.settings.index_root)

    def build_name(self) -> str | None:
        build = _build_of(self.assistant) or self.on_disk()
        return build.name if build else None

    def current(self):
        """The assistant for the next question: reopened first when index/CURRENT names a new
        build. One thread reopens; the others go on with the open index meanwhile."""
        opened = _build_of(self.assistant)
        if opened is None:
            return self.assistant
        build = self.on_disk()
        if build is None or build == opened or build == self._failed_build:
            return self.assistant
        if self._swap.acquire(blocking=False):
            try:
                if self.on_disk() != _build_of(self.assistant):
                    self.reload()
            except Exception:
                log.exception("index %s openen mislukt; de vorige blijft in gebruik", build)
                self._failed_build = build
            finally:
                self._swap.release()
        return self.assistant

    def reload(self) -> None:
        """Open the index on disk; the answer composer (extractive or LLM) stays the same. The
        old index is closed a while later, when the answers still using it are done."""
        fresh = self._reload(self.settings)
        fresh.composer = self.assistant.composer
        old, self.assistant = self.assistant, fresh
        self._failed_build = None
        refreeze()  # the fresh index joins the long-lived objects
        if old is not fresh and _build_of(old) is not None:
            timer = threading.Timer(RETIRE_AFTER_S, _retire, args=([old],))
            timer.daemon = True
            timer.start()

    def embedder(self):
        return getattr(getattr(self.assistant, "retriever", None), "embedder", None)

    def model(self):
        """The loaded embedding model itself (not the query cache around it), for reuse."""
        embedder = self.embedder()
        return getattr(embedder, "_embedder", embedder)

    def composer(self):
        """The composer writing the answers (extractive, or a language model's)."""
        return self.assistant.composer

    def claim_model(self, session: str | None) -> bool:
        """One model answer per session at a time: False while this session has one running."""
        if session is None:
            return True
        with self._sessions_lock:
            if session in self._model_sessions:
                return False
            self._model_sessions.add(session)
            return True

    def release_model(self, session: str | None) -> None:
        with self._sessions_lock:
            self._model_sessions.discard(session)

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

    def indexed_files(self) -> set[str]:
        """The file names of the documents in the index (not the files it skipped)."""
        files, _ = self.documents()
        return {name for name, r in files.items() if not r.skipped}

    def document_choices(self) -> list[tuple[str, str]]:
        files, _ = self.documents()
        return sorted(((r.title, r.doc_id) for r in files.values() if not r.skipped),
                      key=lambda x: x[0].casefold())

    def file_choices(self) -> list[tuple[str, str]]:
        files, _ = self.documents()
        return [(f"{r.title or name} ({name})", name) for name, r in sorted(files.items())
                if not r.skipped]

    def kind_choices(self) -> list[str]:
        files, _ = self.documents()
        return sorted({r.kind for r in files.values() if r.kind and not r.skipped})

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
        from assistant.present.docx import export_stem, write_answer

        self._prune_downloads()
        folder = self.downloads / uuid.uuid4().hex
        folder.mkdir()
        base = export_stem(answer)
        md, docx = folder / f"{base}.md", folder / f"{base}.docx"
        write_answer(answer, md)
        write_answer(answer, docx)
        collect_garbage()  # the DOCX writer leaves its parsed template in cycles (app.memory)
        return str(md), str(docx)

    def _prune_downloads(self, keep: int = EXPORTS_KEPT, max_age_s: float = 3600) -> None:
        """Only the newest export folders stay: Gradio copies each file into its own cache
        (cleared by `delete_cache`) when the answer is shown, and serves that copy."""
        times = {f: _mtime(f) for f in self.downloads.iterdir()}
        cutoff = time.time() - max_age_s
        for i, folder in enumerate(sorted(times, key=times.get, reverse=True)):
            if i >= keep or times[folder] < cutoff:
                shutil.rmtree(folder, ignore_errors=True)


def _mtime(path: Path) -> float:
    try:
        return path.stat().st_mtime
    except OSError:  # removed by another answer's pruning meanwhile
        return 0.0
