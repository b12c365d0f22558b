"""The app's event handlers: asking (streamed), switching mode, focusing a step, and changing the
corpus. Each handler returns or yields {component: value} for what changed."""

from __future__ import annotations

import logging
import time
from collections.abc import Iterator, Sequence
from pathlib import Path

import gradio as gr

import assistant.present.chat as fmt
from assistant.app.state import Conversation, Shared, Turn
from assistant.app.uploads import (
    UploadError,
    add_document,
    reindex,
    remove_document,
    report_markdown,
)
from assistant.present.chat import chat_text
from assistant.retrieval.hybrid import Filters
from assistant.retrieval.user_text import neutralise
from assistant.service import QuestionError
from ingest.index.vectorstore import VectorStoreUnavailable

log = logging.getLogger(__name__)
STREAM_PAUSE = 0.05  # seconds between the chunks of an answer that was not streamed


def answer_stream(assistant, question: str, mode: str, history: Sequence[str], filters: Filters,
                  notice: str | None = None) -> Iterator[object]:
    """Text deltas (str) while a language model writes, when the assistant offers `ask_stream`
    with the signature of `ask`; then the finished Answer."""
    kwargs = {"mode": mode, "history": tuple(history), "filters": filters}
    if notice:
        kwargs["notice"] = notice
    stream = getattr(assistant, "ask_stream", None)
    if stream is None:
        yield assistant.ask(question, **kwargs)
        return
    yield from stream(question, **kwargs)


def _filters(kinds, steps, docs) -> Filters:
    return Filters(kinds=tuple(kinds or ()), steps=tuple(int(s) for s in steps or ()),
                   doc_ids=tuple(docs or ()))


class ChatEvents:
    def __init__(self, shared: Shared, chatbot, question, sources, route, notice, dl_md, dl_docx,
                 conv) -> None:
        self.shared = shared
        self.chatbot, self.question, self.sources, self.route = chatbot, question, sources, route
        self.notice, self.dl_md, self.dl_docx, self.conv = notice, dl_md, dl_docx, conv

    def ask(self, question: str, mode: str, kinds, steps, docs, conv: Conversation):
        yield from self._answer(conv, question, mode, _filters(kinds, steps, docs))

    def ask_example(self, mode: str, kinds, steps, docs, conv: Conversation, evt: gr.SelectData):
        yield from self._answer(conv, evt.value["text"], mode, _filters(kinds, steps, docs))

    def switch_mode(self, mode: str, kinds, steps, docs, conv: Conversation):
        """A new mode answers the last question again, as a note or a worksheet."""
        last = conv.last_answered()
        if last is None or last.mode == mode:
            yield {self.notice: ""}
            return
        label = f"{fmt.MODE_LABELS[mode]}: {last.question}"
        yield from self._answer(conv, last.question, mode, _filters(kinds, steps, docs), label)

    def focus_step(self, mode: str, kinds, docs, conv: Conversation, evt: gr.EventData):
        """A click on a step of the route map asks the last question again for that step."""
        step = int(getattr(evt, "_data", {}).get("step") or 0)
        last = conv.last_answered()
        if last is None or not 1 <= step <= 5:
            yield {self.notice: "Stel eerst een vraag; klik daarna op een stap om die vraag voor "
                                "die stap te stellen."}
            return
        title = self.shared.routekaart().step(step).titel
        label = f"{last.question} (toegespitst op stap {step}: {title})"
        yield from self._answer(conv, last.question, mode, _filters(kinds, (step,), docs), label,
                                focus=step)

    def new_conversation(self):
        return {self.chatbot: [], self.question: "", self.sources: fmt.sources_html(None, 0),
                self.route: fmt.route_map_html(self.shared.routekaart()), self.notice: "",
                self.dl_md: gr.update(value=None, visible=False),
                self.dl_docx: gr.update(value=None, visible=False), self.conv: Conversation()}

    def _answer(self, conv: Conversation, question: str, mode: str, filters: Filters,
                label: str | None = None, focus: int | None = None):
        text = " ".join(neutralise(question or "").split())
        if not text:
            yield {self.notice: "Typ eerst een vraag."}
            return
        history = conv.questions()
        number = len(conv.turns) + 1
        turn = Turn(label=fmt.safe_markdown(chat_text(label or text)), question=text, mode=mode,
                    focus=focus)
        conv.turns.append(turn)
        yield {self.chatbot: conv.messages(), self.question: "", self.notice: "", self.conv: conv}
        answer, streamed, parts = None, False, []
        try:
            for item in answer_stream(self.shared.assistant, text, mode, history, filters,
                                      self.shared.notice):
                if isinstance(item, str):
                    parts.append(item)
                    streamed = True
                    turn.display = fmt.stream_markdown("".join(parts), number)
                    yield {self.chatbot: conv.messages()}
                else:
                    answer = item
            if answer is None:
                raise RuntimeError("de antwoordstroom eindigde zonder antwoord")
        except (QuestionError, VectorStoreUnavailable) as err:
            # A Dutch message for the user: an empty question, or the Chroma server is down
            # (the next question works again once it is back).
            turn.display = fmt.safe_markdown(chat_text(str(err)))
            yield {self.chatbot: conv.messages(), self.conv: conv}
            return
        except Exception:
            log.exception("vraag beantwoorden mislukt")
            turn.display = "Er ging iets mis bij het beantwoorden van deze vraag. Probeer het opnieuw."
            yield {self.chatbot: conv.messages(), self.conv: conv}
            return
        final = fmt.chat_markdown(answer, number)
        if not streamed:  # the extractive answer is ready at once: show it in a few steps
            for part in fmt.progressive(final)[:-1]:
                turn.display = part
                yield {self.chatbot: conv.messages()}
                time.sleep(STREAM_PAUSE)
        turn.answer, turn.display = answer, final
        yield self._finished(conv, turn, number)

    def _finished(self, conv: Conversation, turn: Turn, number: int) -> dict:
        answer = turn.answer
        steps, wegwijzers = fmt.covered(answer)
        focus = turn.focus or answer.focus_step
        try:
            turn.files = self.shared.write_exports(answer)
            downloads = {self.dl_md: gr.update(value=turn.files[0], visible=True),
                         self.dl_docx: gr.update(value=turn.files[1], visible=True)}
        except Exception:
            log.exception("export mislukt")
            downloads = {self.dl_md: gr.update(visible=False), self.dl_docx: gr.update(visible=False)}
        return {
            self.chatbot: conv.messages(), self.conv: conv,
            self.sources: fmt.sources_html(answer, number, self.shared.neighbours(answer),
                                           earlier=conv.earlier(number)),
            self.route: fmt.route_map_html(self.shared.routekaart(), steps, wegwijzers, focus),
            self.notice: fmt.notice_markdown(answer), **downloads,
        }


class CorpusEvents:
    def __init__(self, shared: Shared, table, remove_choice, docs, kinds, status, upload) -> None:
        self.shared = shared
        self.table, self.remove_choice, self.docs = table, remove_choice, docs
        self.kinds, self.status, self.upload = kinds, status, upload

    def add(self, upload: str | None, progress=gr.Progress(track_tqdm=True)):  # noqa: B008
        if not upload:
            return {self.status: "Kies eerst een bestand om toe te voegen."}
        path = Path(upload)
        with self.shared.index_lock:
            try:
                progress(0, desc="Bestand opslaan")
                added = add_document(self.shared.settings.corpus_dir, path, path.name,
                                     self.shared.settings.max_file_mb)
            except UploadError as err:
                return {self.status: f"Niet toegevoegd: {chat_text(str(err))}", self.upload: None}
            return self._reindex(f"Toegevoegd als {chat_text(added.name)}.", progress)

    def remove(self, name: str | None, progress=gr.Progress(track_tqdm=True)):  # noqa: B008
        if not name:
            return {self.status: "Kies eerst een document om te verwijderen."}
        with self.shared.index_lock:
            try:
                moved = remove_document(self.shared.settings.corpus_dir, name,
                                        self.shared.settings.home / "verwijderd")
            except UploadError as err:
                return {self.status: f"Niet verwijderd: {chat_text(str(err))}"}
            kept = chat_text(str(moved.parent))
            return self._reindex(f"Verwijderd: {chat_text(name)} (bewaard in {kept}).", progress)

    def _reindex(self, done: str, progress) -> dict:
        from ingest.build import IngestError
        from ingest.index.corpusdata import CorpusDataError

        progress(0.05, desc="Index bijwerken")
        try:
            report = reindex(self.shared.settings, embedder=self.shared.model())
            progress(0.95, desc="Index openen")
            self.shared.reload()
        except (IngestError, CorpusDataError) as err:
            return {self.status: f"{done}\n\nDe index kon niet worden bijgewerkt: {chat_text(str(err))}"}
        return {
            self.table: self.shared.document_rows(),
            self.remove_choice: gr.update(choices=self.shared.file_choices(), value=None),
            self.docs: gr.update(choices=self.shared.document_choices()),
            self.kinds: gr.update(choices=self.shared.kind_choices()),
            self.status: f"{done}\n\n{report_markdown(report)}",
            self.upload: None,
        }
