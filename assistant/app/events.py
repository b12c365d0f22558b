"""The chat's event handlers: asking (streamed), switching mode, focusing a step, a new
conversation. Each handler returns or yields {component: value} for every output.

Gradio (6.31) keeps a new copy of a component in the session, for good, each time it gets a
plain value after having been skipped (left out of a dict, or gr.skip()): that leaked ~0.5 MB
per answer. So the chat gets a plain value in every yield, and every other output gets either
gr.update(value=…) or gr.skip(), never a plain value (see `updates`).

What a client sends is checked here with the CLI's Dutch messages (assistant.service): an empty
or too long question, an unknown mode, step, kind or document. A session has at most one model
answer at a time; a second one while the first runs is answered extractively, with a notice.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Iterator, Sequence
from types import SimpleNamespace

import gradio as gr

import assistant.present.chat as fmt
from assistant.app import feedback, history
from assistant.app.language import language_note
from assistant.app.sessions import forget_copies
from assistant.app.state import Conversation, Shared, Turn
from assistant.compose.answer import join_notices
from assistant.present.chat import chat_text
from assistant.present.markdown import md_text
from assistant.retrieval.hybrid import Filters
from assistant.service import QuestionError, check_filters, check_mode, clean_question, parse_filters
from ingest.index.vectorstore import VectorStoreUnavailable

log = logging.getLogger(__name__)
STREAM_PAUSE = 0.05  # seconds between the chunks of an answer that was not streamed
# A streamed answer is shown again (the whole text sanitised and laid out) at most this often:
# each showing reads the whole text so far, so showing every chunk would cost quadratic time.
STREAM_REFRESH_S = 0.25
NO_EXAMPLE = ("Kies een voorbeeldvraag in de app; een eigen vraag stelt u (ook via de API) "
              "met /ask.")
NO_STEP = ("Stel eerst een vraag; klik daarna op een stap van de routekaart om die vraag voor die "
           "stap te stellen.")
ONE_AT_A_TIME = ("U heeft al een vraag lopen bij het taalmodel; dit antwoord komt rechtstreeks "
                 "uit de bronnen (extractief).")


def answer_stream(assistant, question: str, mode: str, history: Sequence[str], filters: Filters,
                  notice: str | None = None, **extra) -> Iterator[object]:
    """Text deltas (str) while a language model writes, when the assistant offers `ask_stream`
    with the signature of `ask`; then the finished Answer. `extra` (use_model=False, region,
    earlier) is passed on when set."""
    kwargs = {"mode": mode, "history": tuple(history), "filters": filters,
              **{k: v for k, v in extra.items() if v is not None}}
    if notice:
        kwargs["notice"] = notice
    stream = getattr(assistant, "ask_stream", None)
    if stream is None:
        yield assistant.ask(question, **kwargs)
        return
    yield from stream(question, **kwargs)


def updates(outputs: Sequence, changes: dict) -> dict:
    """{output: gr.update(value=…) | the update given | gr.skip()} for every output."""
    out = {}
    for component in outputs:
        value = changes.get(component, gr.skip())
        out[component] = value if isinstance(value, dict) else gr.update(value=value)
    return out


def related_updates(components: Sequence, questions: Sequence[str]) -> dict:
    """The related-questions box (the first component) shown when there are questions, and one
    button per question, the rest hidden; keyed related0, related1, …"""
    out = {"related0": gr.update(visible=bool(questions))}
    for i in range(1, len(components)):
        question = questions[i - 1] if i <= len(questions) else None
        out[f"related{i}"] = (gr.update(value=question, visible=True) if question
                              else gr.update(visible=False))
    return out


class ChatEvents:
    def __init__(self, shared: Shared, chatbot, question, sources, route, notice, dl_md, dl_docx,
                 conv, lists: Sequence = (), kept: Sequence = (), related: Sequence = ()) -> None:
        self.shared = shared
        self.chatbot, self.question, self.sources, self.route = chatbot, question, sources, route
        self.notice, self.dl_md, self.dl_docx, self.conv = notice, dl_md, dl_docx, conv
        # (documents filter, kinds filter, document table, remove choice), when the app has them
        self.lists = tuple(lists)
        # (the browser's history, the list of earlier conversations), when the app keeps them
        self.kept = tuple(kept)
        # (the "Verwante vragen" box, its buttons), when the app shows them
        self.related = tuple(related)
        self.outputs = [chatbot, question, sources, route, notice, dl_md, dl_docx, conv, *self.lists,
                        *self.kept, *self.related]

    def ask(self, question: str, mode: str, kinds, steps, docs, conv: Conversation,
            request: gr.Request = None):
        yield from self._answer(conv, question, mode, (kinds, steps, docs), request=request)

    def ask_related(self, text: str, mode: str, kinds, steps, docs, conv: Conversation,
                    request: gr.Request = None):
        """A click on a related question (its button's label) asks it."""
        if not isinstance(text, str) or not text.strip():
            yield self._out(conv, notice=NO_EXAMPLE)
            return
        yield from self._answer(conv, text, mode, (kinds, steps, docs), request=request)

    def ask_example(self, mode: str, kinds, steps, docs, conv: Conversation,
                    evt: gr.SelectData = None, request: gr.Request = None):
        value = getattr(evt, "value", None)
        text = value.get("text") if isinstance(value, dict) else None
        if not isinstance(text, str) or not text.strip():  # called over the API, not by a click
            yield self._out(conv, notice=NO_EXAMPLE)
            return
        yield from self._answer(conv, text, mode, (kinds, steps, docs), request=request)

    def switch_mode(self, mode: str, kinds, steps, docs, conv: Conversation,
                    request: gr.Request = None):
        """A new mode answers the last question again, as a note or a worksheet."""
        last = conv.last_answered()
        if last is None or last.mode == mode:
            yield self._out(conv, notice="")
            return
        label = f"{fmt.MODE_LABELS.get(mode, mode)}: {last.question}"
        yield from self._answer(conv, last.question, mode, (kinds, steps, docs), label,
                                request=request)

    def focus_step(self, mode: str, kinds, docs, conv: Conversation, evt: gr.EventData = None,
                   request: gr.Request = None):
        """A click on a step of the route map asks the last question again for that step."""
        data = getattr(evt, "_data", None)
        step = data.get("step") if isinstance(data, dict) else None
        step = step if isinstance(step, int) and not isinstance(step, bool) else 0
        last = conv.last_answered()
        if last is None or not 1 <= step <= 5:
            yield self._out(conv, notice=NO_STEP)
            return
        title = self.shared.routekaart().step(step).titel
        label = f"{last.question} (toegespitst op stap {step}: {title})"
        yield from self._answer(conv, last.question, mode, (kinds, [step], docs), label,
                                focus=step, request=request)

    def new_conversation(self, conv: Conversation | None = None):
        """A fresh conversation; the region setting stays, the earlier one stays in the list."""
        fresh = Conversation(region=conv.region if conv is not None else "",
                             store=conv.store if conv is not None else None)
        return self._out(fresh, chatbot=[], question="", **self._cleared())

    def _cleared(self) -> dict:
        return {"sources": fmt.sources_html(None, 0),
                "route": fmt.route_map_html(self.shared.routekaart()), "notice": "",
                "dl_md": gr.update(value=None, visible=False),
                "dl_docx": gr.update(value=None, visible=False), "related": []}

    # --- conversations kept in the browser (assistant.app.history) ---------------------------

    def restore(self, stored, conv: Conversation, request: gr.Request = None):
        """On page load: the browser's conversations listed, the latest one shown again, and the
        document lists of the index as it is now (they start empty: this event needs the login)."""
        forget_copies(self.shared.app, getattr(request, "session_hash", None))
        store = history.clean(stored)
        latest = store["conversations"][0] if store["conversations"] else None
        if latest is not None and not conv.turns:
            conv = Conversation.restored(latest, region=conv.region)
        conv.store = store
        conv.build = None
        return self._out(conv, past=gr.update(choices=history.choices(store), value=None),
                         **self._lists(conv))

    def open_past(self, conv_id, conv: Conversation):
        """Show an earlier conversation from the list (it goes on where it stopped)."""
        entry = history.find(conv.store or history.empty(), conv_id)
        if entry is None:
            return self._out(conv, notice="Kies eerst een eerder gesprek in de lijst.")
        fresh = Conversation.restored(entry, region=conv.region)
        fresh.store = conv.store
        return self._out(fresh, chatbot=fresh.messages(), **self._cleared())

    def delete_past(self, conv_id, conv: Conversation):
        """Delete one conversation (the one chosen in the list, else the one shown)."""
        target = conv_id or conv.id
        store = history.removed(conv.store or history.empty(), target)
        conv.store = store
        changes = {"history": store, "past": gr.update(choices=history.choices(store), value=None),
                   "notice": "Het gesprek is verwijderd uit deze browser."}
        if target == conv.id:
            fresh = Conversation(region=conv.region, store=store)
            return self._out(fresh, chatbot=[], question="", **{**self._cleared(), **changes})
        return self._out(conv, **changes)

    def delete_all(self, conv: Conversation):
        store = history.empty()
        fresh = Conversation(region=conv.region, store=store)
        return self._out(fresh, chatbot=[], question="", **{
            **self._cleared(), "history": store, "past": gr.update(choices=[], value=None),
            "notice": "Alle gesprekken zijn verwijderd uit deze browser."})

    def _kept(self, conv: Conversation) -> dict:
        """The browser's history with this conversation saved, when the app keeps one."""
        if not self.kept:
            return {}
        store = history.saved(conv.store or history.empty(), conv.id, *conv.stored())
        conv.store = store
        return {"history": store, "past": gr.update(choices=history.choices(store), value=None)}

    # --- 👍/👎 with an optional comment (assistant.app.feedback) --------------------------------

    def rate(self, conv: Conversation, evt: gr.LikeData = None):
        """A 👍 or 👎 on an answer: written at once to feedback.jsonl; a comment box opens.
        Returns (notice, comment box)."""
        turn = conv.turn_at(getattr(evt, "index", None))
        liked = getattr(evt, "liked", None)
        if turn is None or not turn.question or not isinstance(liked, bool):
            return gr.update(value=""), gr.update(visible=False, value="")
        answer = turn.answer or SimpleNamespace(question=turn.question, mode=turn.mode,
                                                abstained=False, summary=[], citations=[])
        line = feedback.record(answer, liked)
        try:
            feedback.append(self.shared.settings.home, line)
        except OSError:
            log.exception("feedback bewaren mislukt")
            return gr.update(value="Uw beoordeling kon niet worden bewaard."), gr.update(visible=False)
        turn.feedback_id = line["id"]
        conv.rated = turn.number
        mark = "👍" if liked else "👎"
        return (gr.update(value=f"Dank u: uw {mark} is bewaard op deze computer (niets gaat naar "
                                "buiten). Wilt u er iets bij zeggen?"),
                gr.update(visible=True, value="", label=f"Toelichting bij uw {mark} (optioneel)"))

    def comment(self, text: str, conv: Conversation):
        """The comment on the last rating. Returns (notice, comment box)."""
        turn = next((t for t in conv.turns if t.number == getattr(conv, "rated", None)), None)
        text = " ".join(str(text or "").split())
        if turn is None or not turn.feedback_id or not text:
            return gr.update(value=""), gr.update(visible=False, value="")
        try:
            feedback.append(self.shared.settings.home, {"id": turn.feedback_id,
                                                        "comment": text[:feedback.MAX_COMMENT]})
        except OSError:
            log.exception("feedback bewaren mislukt")
            return gr.update(value="Uw toelichting kon niet worden bewaard."), gr.update()
        return (gr.update(value="Dank u: uw toelichting is bewaard op deze computer."),
                gr.update(visible=False, value=""))

    # --- regenerate and edit (Gradio's chat buttons) -------------------------------------------

    def retry(self, mode: str, kinds, steps, docs, conv: Conversation, evt: gr.RetryData = None,
              request: gr.Request = None):
        """Answer the question of this message again (the turns after it go)."""
        turn = conv.turn_at(getattr(evt, "index", None))
        if turn is None or not turn.question:
            yield self._out(conv, notice="Dit antwoord kan niet opnieuw worden gemaakt.")
            return
        conv.truncate(turn)
        yield from self._answer(conv, turn.question, turn.mode, (kinds, steps, docs),
                                request=request)

    def edit(self, mode: str, kinds, steps, docs, conv: Conversation, evt: gr.EditData = None,
             request: gr.Request = None):
        """An edited question replaces the one asked (and what followed it)."""
        turn = conv.turn_at(getattr(evt, "index", None))
        value = getattr(evt, "value", None)
        if turn is None or not isinstance(value, str):
            yield self._out(conv, notice="Deze vraag kan niet worden bewerkt.")
            return
        conv.truncate(turn)
        yield from self._answer(conv, value, turn.mode, (kinds, steps, docs), request=request)

    # --- answering ----------------------------------------------------------------------------

    def _out(self, conv: Conversation, **changes) -> dict:
        """Every output: the chat and the conversation state as they are now, the named changes
        as updates, gr.skip() for the rest."""
        names = {"question": self.question, "sources": self.sources, "route": self.route,
                 "notice": self.notice, "dl_md": self.dl_md, "dl_docx": self.dl_docx}
        names.update(zip(("docs", "kinds", "table", "remove_choice"), self.lists, strict=False))
        names.update(zip(("history", "past"), self.kept, strict=False))
        if "related" in changes and self.related:
            changes.update(related_updates(self.related, changes.pop("related")))
            names.update({f"related{i}": c for i, c in enumerate(self.related)})
        chat = changes.pop("chatbot", None)
        out = updates(self.outputs, {names[k]: v for k, v in changes.items() if k in names})
        out[self.chatbot] = conv.messages() if chat is None else chat
        out[self.conv] = conv
        return out

    def _lists(self, conv: Conversation) -> dict:
        """New choices for the document lists when this session last saw another build."""
        build = self.shared.build_name()
        if not self.lists or conv.build == build:
            return {}
        conv.build = build
        return {"docs": gr.update(choices=self.shared.document_choices()),
                "kinds": gr.update(choices=self.shared.kind_choices()),
                "table": gr.update(value=self.shared.document_rows()),
                "remove_choice": gr.update(choices=self.shared.file_choices(), value=None)}

    def _checked(self, question, mode, raw_filters) -> tuple[str, str, Filters, str | None]:
        """(question as shown, mode, filters, shortening notice); QuestionError in Dutch."""
        text, shortened = clean_question(question)
        check_mode(mode)
        filters = parse_filters(*raw_filters)
        files, _ = self.shared.documents()
        if files:  # with an index: filters must name what is in it
            indexed = [r for r in files.values() if not r.skipped]
            check_filters(filters, {r.kind for r in indexed}, {r.doc_id for r in indexed})
        else:
            check_filters(filters)
        return text, mode, filters, shortened

    def _answer(self, conv: Conversation, question, mode, raw_filters, label: str | None = None,
                focus: int | None = None, request=None):
        session = getattr(request, "session_hash", None)
        forget_copies(self.shared.app, session)
        assistant = self.shared.current()  # a new build on disk is opened first
        lists = self._lists(conv)
        try:
            text, mode, filters, shortened = self._checked(question, mode, raw_filters)
        except QuestionError as err:
            shown = " ".join(str(question or "").split())[:200] or "(lege vraag)"
            turn = conv.add(Turn(label=fmt.safe_markdown(chat_text(shown)), question="", mode=str(mode)))
            turn.display = fmt.safe_markdown(chat_text(str(err)))
            yield self._out(conv, chatbot=conv.messages(), question="", notice=md_text(str(err)),
                            **lists)
            return
        history = conv.questions()
        shown = (label or text) + (" …" if shortened and not label else "")
        turn = conv.add(Turn(label=fmt.safe_markdown(chat_text(shown)), question=text, mode=mode,
                             focus=focus))
        yield self._out(conv, chatbot=conv.messages(), question="", notice="", related=[], **lists)
        uses_model = getattr(self.shared.composer(), "name", "none") != "none"
        claimed = uses_model and self.shared.claim_model(session)
        # the earlier answers as shown, so a follow-up leads with what none of them said
        earlier = [a for _, a in conv.earlier(turn.number)] or None
        notice = join_notices(shortened, language_note(text), self.shared.notice)
        extra = {"region": conv.region or None, "earlier": earlier}
        if uses_model and not claimed:
            notice, extra = join_notices(notice, ONE_AT_A_TIME), {**extra, "use_model": False}
        try:
            yield from self._compose(assistant, conv, turn, text, mode, history, filters,
                                     notice, extra)
        finally:
            if claimed:
                self.shared.release_model(session)

    def _compose(self, assistant, conv, turn, text, mode, history, filters, notice, extra):
        answer, streamed, parts, shown_at = None, False, [], float("-inf")
        try:
            for item in answer_stream(assistant, text, mode, history, filters, notice, **extra):
                if isinstance(item, str):
                    parts.append(item)
                    streamed = True
                    if time.monotonic() - shown_at < STREAM_REFRESH_S:
                        continue  # shown with the next chunk, or replaced by the final answer
                    shown_at = time.monotonic()
                    turn.display = fmt.stream_markdown("".join(parts), turn.number)
                    yield self._out(conv, chatbot=conv.messages())
                else:
                    answer = item
            if answer is None:
                raise RuntimeError("de antwoordstroom eindigde zonder antwoord")
        except (QuestionError, VectorStoreUnavailable) as err:
            # A Dutch message for the user: a question the assistant refuses, or the Chroma
            # server is down or hangs (the next question works again once it is back).
            turn.display = fmt.safe_markdown(chat_text(str(err)))
            yield self._out(conv, chatbot=conv.messages(), notice=md_text(str(err)))
            return
        except Exception:
            log.exception("vraag beantwoorden mislukt")
            turn.display = "Er ging iets mis bij het beantwoorden van deze vraag. Probeer het opnieuw."
            yield self._out(conv, chatbot=conv.messages())
            return
        final = fmt.chat_markdown(answer, turn.number)
        if not streamed:  # the extractive answer is ready at once: show it in a few steps
            for part in fmt.progressive(final)[:-1]:
                turn.display = part
                yield self._out(conv, chatbot=conv.messages())
                time.sleep(STREAM_PAUSE)
        turn.answer, turn.display = answer, final
        yield self._finished(conv, turn)

    def _finished(self, conv: Conversation, turn: Turn) -> dict:
        answer = turn.answer
        steps, wegwijzers = fmt.covered(answer)
        focus = turn.focus or answer.focus_step
        try:
            turn.files = self.shared.write_exports(answer)
            downloads = {"dl_md": gr.update(value=turn.files[0], visible=True),
                         "dl_docx": gr.update(value=turn.files[1], visible=True)}
        except Exception:
            log.exception("export mislukt")
            downloads = {"dl_md": gr.update(visible=False), "dl_docx": gr.update(visible=False)}
        return self._out(
            conv, chatbot=conv.messages(), notice=fmt.notice_markdown(answer), **downloads,
            related=list(getattr(answer, "related", ())),
            **self._kept(conv),
            sources=fmt.sources_html(answer, turn.number, self.shared.neighbours(answer),
                                     earlier=conv.earlier(turn.number)),
            route=fmt.route_map_html(self.shared.routekaart(), steps, wegwijzers, focus))
