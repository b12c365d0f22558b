"""The Gradio app: a Dutch chat that shows its sources. `create_app` builds it from an assistant,
`launch` only serves it. What the app shows is formatted by `assistant.present.chat`.

gradio is imported inside the functions, so importing this module (and `regiowijzer --help`)
stays fast.
"""

from __future__ import annotations

import os
import sys
import time
from collections.abc import Callable
from types import SimpleNamespace
from typing import Any

import assistant.present.chat as fmt
from assistant.app import history
from assistant.app.assets import (
    APP_CSS,
    CHAT_TOP_JS,
    CITATION_JS,
    ROUTE_CSS,
    ROUTE_JS,
    SOURCES_CSS,
    app_theme,
)
from assistant.app.memory import freeze_long_lived
from assistant.app.region_setting import REGION_INFO, REGION_LABEL, REGION_PLACEHOLDER, region_status
from assistant.app.state import Conversation, Shared
from ingest.config import Settings, load_settings, quiet_third_parties

# Example questions shown in the empty chat, for each of the three kinds of user.
EXAMPLES = [
    ("Raadslid", "Hoe kan de gemeenteraad grip houden op regionale samenwerking?"),
    ("Raadslid", "Welke vragen kan ik als raadslid stellen over de arbeidsmarktregio?"),
    ("Beleidsmedewerker", "Hoe breng ik het netwerk rond een regionale opgave in kaart?"),
    ("Beleidsmedewerker", "Wat is een sturingsprincipe en hoe kies je er bewust een?"),
    ("Trainer", "Welke praktijkvoorbeelden zijn er van samenwerking met werkgevers?"),
    ("Trainer", "Hoe werk je aan gedeeld denken tussen de partners in de regio?"),
]
PERSONA_LABELS = {"raadslid": "Raadslid", "ambtenaar": "Beleidsmedewerker", "trainer": "Trainer"}
RELATED = 3


def examples_for(assistant, per_persona: int = 2) -> list[tuple[str, str]]:
    """Two example questions per kind of user from the question bank (EXAMPLES without one)."""
    bank = getattr(assistant, "example_questions", None)
    found = [(label, q) for persona, label in PERSONA_LABELS.items()
             for q in (bank(persona, per_persona) if bank else [])]
    return found or EXAMPLES


MODE_CHOICES = [(label, mode) for mode, label in fmt.MODE_LABELS.items()]
QUEUE = {"default_concurrency_limit": 4, "max_size": 64}
# Questions run up to this many at a time. At most REGIOWIJZER_LLM_PARALLEL of them wait on a
# language model (the backend's pool); the rest are extractive and never queue behind those.
CHAT_CONCURRENCY = 16
SESSIONS = 500  # browser sessions whose state is kept (least recently used go first)
SESSION_TTL_S = 4 * 3600  # a conversation untouched this long is forgotten
DELETE_CACHE = (600, 3600)  # Gradio's file cache: every 10 minutes, files older than an hour go
# The chat takes the window's height, less what sits above and below it (title, tabs, the mode
# choice, the question box and its buttons), so an answer can be read without scrolling the page.
CHAT_HEIGHT = "calc(100vh - 360px)"


def launch_options(forwarded_allow_ips: str | None = None) -> dict[str, Any]:
    """Look, privacy and safety options that `launch` (and the tests) pass to Gradio; logins are
    throttled per name and client address, and X-Forwarded-For is believed only from the proxies
    named (assistant.app.access)."""
    from starlette.middleware import Middleware

    from assistant.app.access import ThrottledLogin, trust_forwarded

    trust_forwarded(forwarded_allow_ips)
    from assistant.app.dutch import RELABEL_JS, gradio_i18n
    from assistant.app.page import DutchPage

    # Dutch on Gradio's own texts whatever the browser's language; whole fonts (assets.app_theme)
    return {"theme": app_theme(), "css": APP_CSS, "footer_links": [], "i18n": gradio_i18n(),
            "js": RELABEL_JS + CHAT_TOP_JS,
            "run_history": False, "share": False, "show_error": False, "ssr_mode": False,
            "mcp_server": False, "enable_monitoring": False,
            # no /openapi.json or /docs: the route list is nobody's business before login
            "app_kwargs": {"middleware": [Middleware(ThrottledLogin), Middleware(DutchPage)],
                           "openapi_url": None, "docs_url": None, "redoc_url": None}}


def create_app(assistant, settings: Settings | None = None,
               reload: Callable[[Settings], Any] | None = None, notice: str | None = None,
               local_owner: bool = False):
    """Build the Blocks app around an assistant (anything with `ask(...) -> Answer`).

    `reload(settings)` opens a fresh assistant after the corpus changed (default: the
    assistant's own `from_settings`); `notice` is shown with every answer and in Instellingen.
    `local_owner`: the app is served on loopback without a login, so a request from this
    machine may add and remove documents (assistant.app.access).
    """
    quiet_third_parties()
    import gradio as gr

    from assistant.app.documents import INDEX_CONCURRENCY, CorpusEvents
    from assistant.app.events import ChatEvents

    shared = Shared(assistant, settings or load_settings(), reload, notice, local_owner=local_owner)
    with gr.Blocks(title="Regiowijzer", analytics_enabled=False, delete_cache=DELETE_CACHE) as app:
        conv = gr.State(Conversation(build=shared.build_name()), time_to_live=SESSION_TTL_S)
        gr.Markdown("## Regiowijzer\nVragen over regionale samenwerking op de arbeidsmarkt, "
                    "beantwoord met bronnen: elk antwoord noemt de passages waarop het steunt.",
                    elem_id="rw-title")
        with gr.Tabs():
            with gr.Tab("Vragen", id="vragen"):
                c = _chat_tab(gr, shared)
            with gr.Tab("Bronnen", id="bronnen"):
                b = _sources_tab(gr, shared)
            with gr.Tab("Instellingen", id="instellingen"):
                region = gr.Textbox(label=REGION_LABEL, info=REGION_INFO, placeholder=REGION_PLACEHOLDER,
                                    max_length=100, elem_id="rw-region")
                region_shown = gr.Markdown(elem_id="rw-region-status")
                backend = gr.Markdown(shared.backend_text(), elem_id="rw-backend")
                ping = gr.Button("Test het taalmodel", size="sm", variant="secondary")

        lists = [c.docs, c.kinds, b.table, b.remove_choice]
        # the conversations, kept in this browser only (assistant.app.history)
        kept = gr.BrowserState(history.empty(), storage_key=history.STORAGE_KEY)
        ev = ChatEvents(shared, c.chatbot, c.question, c.sources, c.route, c.notice, c.dl_md,
                        c.dl_docx, conv, lists, kept=[kept, c.past], related=[c.related_box, *c.related])
        chat_out, filters = ev.outputs, [c.kinds, c.steps, c.docs]
        chat = {"concurrency_limit": CHAT_CONCURRENCY, "concurrency_id": "chat"}
        gr.on([c.ask.click, c.question.submit], ev.ask, [c.question, c.mode, *filters, conv],
              chat_out, **chat)
        c.chatbot.example_select(ev.ask_example, [c.mode, *filters, conv], chat_out, **chat)
        for button in c.related:
            button.click(ev.ask_related, [button, c.mode, *filters, conv], chat_out, **chat,
                         api_visibility="private")
        c.mode.input(ev.switch_mode, [c.mode, *filters, conv], chat_out, **chat)
        c.route.click(ev.focus_step, [c.mode, c.kinds, c.docs, conv], chat_out, **chat)
        c.new.click(ev.new_conversation, conv, chat_out, queue=False)
        # the chat's own 🗑 starts a new conversation too (the one shown stays in the history)
        c.chatbot.clear(ev.new_conversation, conv, chat_out, queue=False, api_visibility="private")
        private = {"api_visibility": "private"}
        c.chatbot.retry(ev.retry, [c.mode, *filters, conv], chat_out, **chat, **private)
        c.chatbot.edit(ev.edit, [c.mode, *filters, conv], chat_out, **chat, **private)
        c.chatbot.like(ev.rate, conv, [c.notice, c.comment], queue=False, **private)
        c.comment.submit(ev.comment, [c.comment, conv], [c.notice, c.comment], queue=False, **private)
        c.open_past.click(ev.open_past, [c.past, conv], chat_out, queue=False, **private)
        c.delete_past.click(ev.delete_past, [c.past, conv], chat_out, queue=False, **private)
        c.delete_all.click(ev.delete_all, conv, chat_out, queue=False, **private)
        region.change(lambda text, conv: _set_region(shared, text, conv), [region, conv],
                      [region_shown, conv], queue=False, **private)
        app.load(ev.restore, [kept, conv], chat_out, **private)

        corpus_out = [b.table, b.remove_choice, c.docs, c.kinds, b.status, b.upload]
        cv = CorpusEvents(shared, *corpus_out)
        # Changing the corpus is for administrators (or the local owner) only; the handlers
        # check the request themselves, since Gradio keeps every event callable over HTTP
        # (assistant.app.access). Several changes may run at once: one re-indexes, the others
        # say they are queued. One progress bar, on the status line below the buttons.
        index = {"concurrency_limit": INDEX_CONCURRENCY, "concurrency_id": "index",
                 "api_visibility": "private", "show_progress_on": [b.status]}
        b.add.click(cv.add, b.upload, corpus_out, **index)
        b.remove.click(cv.remove, b.remove_choice, corpus_out, **index)
        app.load(cv.welcome(b.access, b.manage), None, [b.access, b.manage], api_visibility="private")
        ping.click(lambda conv: shared.backend_text(ping=True, notice=conv.last_notice()), conv,
                   backend)
    app.state_session_capacity = SESSIONS
    shared.app = app
    app.queue(**QUEUE)
    return app


def _chat_tab(gr, shared: Shared) -> SimpleNamespace:
    """The chat beside the route map and the sources panel; the side wraps below on a narrow screen."""
    from assistant.app.inputs import FilterCheckboxes, FilterDropdown, ModeRadio

    routekaart = shared.routekaart()
    c = SimpleNamespace()
    with gr.Row(equal_height=False):
        with gr.Column(scale=3, min_width=340):
            c.mode = ModeRadio(MODE_CHOICES, value="vraag", label="Soort antwoord", elem_id="rw-mode")
            c.chatbot = gr.Chatbot(
                label="Gesprek", show_label=False, height=CHAT_HEIGHT, min_height=360,
                elem_id="rw-chat",
                buttons=["copy"], feedback_options=("Like", "Dislike"), editable="user",
                autoscroll=False,
                placeholder="**Stel een vraag over regionale samenwerking**, of kies een voorbeeld:",
                examples=[{"text": q, "display_text": f"{who}: {q}"}
                          for who, q in examples_for(shared.assistant)])
            with gr.Row(equal_height=True):
                c.question = gr.Textbox(label="Uw vraag", lines=1, max_lines=6, scale=5,
                                        placeholder="Bijvoorbeeld: wat is een arbeidsmarktregio?",
                                        elem_id="rw-question")
                c.ask = gr.Button("Vraag stellen", variant="primary", scale=1, min_width=120,
                                  elem_id="rw-ask")
            with gr.Row():
                c.new = gr.Button("Nieuw gesprek", elem_id="rw-new", size="sm")
                c.dl_md = gr.DownloadButton("Download Markdown", visible=False, size="sm",
                                            elem_id="rw-download-md")
                c.dl_docx = gr.DownloadButton("Download DOCX", visible=False, size="sm",
                                              elem_id="rw-download-docx")
            c.notice = gr.Markdown(elem_id="rw-notice")
            # bank questions about the passages the last answer cites; a click asks one
            with gr.Column(visible=False, elem_id="rw-related") as c.related_box:
                gr.Markdown("**Verwante vragen**")
                c.related = [gr.Button(visible=False, size="sm", variant="secondary",
                                       elem_id=f"rw-related-{i}") for i in range(RELATED)]
            c.comment = gr.Textbox(label="Toelichting (optioneel)", visible=False, max_length=2000,
                                   submit_btn="Opslaan", elem_id="rw-comment",
                                   placeholder="Wat was goed of wat ontbrak? Enter om op te slaan.")
            with gr.Accordion("Eerdere gesprekken (bewaard in deze browser)", open=False,
                              elem_id="rw-past-box"):
                c.past = FilterDropdown([], label="Eerdere gesprekken", elem_id="rw-past",
                                        show_label=False)
                with gr.Row():
                    c.open_past = gr.Button("Openen", size="sm", elem_id="rw-open-past")
                    c.delete_past = gr.Button("Verwijderen", size="sm", variant="stop",
                                              elem_id="rw-delete-past")
                    c.delete_all = gr.Button("Alles verwijderen", size="sm", variant="stop",
                                             elem_id="rw-delete-all")
            with gr.Accordion("Filters", open=False):
                # The document lists start empty and are filled on page load (ChatEvents.
                # restore), an event that needs the login: so the page and its API
                # description name no document before a visitor has logged in.
                c.kinds = FilterCheckboxes([], label="Soort document")
                c.steps = FilterCheckboxes(
                    [(f"Stap {s.nummer}: {s.titel}", s.nummer) for s in routekaart.stappen],
                    label="Stap van de routekaart")
                c.docs = FilterDropdown([], multiselect=True, label="Documenten",
                                     info="Leeg: alle documenten")
        with gr.Column(scale=2, min_width=300, elem_id="rw-side"):
            gr.Markdown("**Routekaart** · klik op een stap voor dezelfde vraag, toegespitst op die stap")
            c.route = gr.HTML(fmt.route_map_html(routekaart), js_on_load=ROUTE_JS,
                              css_template=ROUTE_CSS, elem_id="rw-route")
            c.sources = gr.HTML(fmt.sources_html(None, 0), js_on_load=CITATION_JS,
                                css_template=SOURCES_CSS, elem_id="rw-sources")
    return c


def _set_region(shared: Shared, text: str | None, conv: Conversation):
    """The "Uw regio" setting: said back in Dutch, kept with this session's conversation."""
    conv.region = " ".join((text or "").split())[:100]
    return region_status(shared.current(), conv.region), conv


def _sources_tab(gr, shared: Shared) -> SimpleNamespace:
    from assistant.app.inputs import FilterDropdown
    from assistant.app.uploads import UPLOAD_SUFFIXES

    b = SimpleNamespace()
    # First who may add documents (filled in on page load, per user), then the controls for
    # those who may, with the result right below them, then the documents in the index.
    b.access = gr.Markdown(elem_id="rw-access")
    with gr.Column(visible=False, elem_id="rw-manage") as b.manage:
        b.upload = gr.File(label="Document toevoegen (PDF, DOCX, HTML, Markdown of tekst)",
                           file_types=list(UPLOAD_SUFFIXES), file_count="single", elem_id="rw-upload",
                           height=120)
        b.add = gr.Button("Toevoegen en index bijwerken", variant="primary", elem_id="rw-add")
        with gr.Row(equal_height=False):
            # the lists are filled on page load, which needs the login (ChatEvents.restore)
            b.remove_choice = FilterDropdown([], label="Document verwijderen",
                                             elem_id="rw-remove-choice", scale=3)
            b.remove = gr.Button("Verwijderen", variant="stop", scale=1, elem_id="rw-remove")
        b.status = gr.Markdown(elem_id="rw-corpus-status", min_height=24)
    b.table = gr.Dataframe([], headers=fmt.DOCUMENT_HEADERS, datatype="str",  # filled on load
                           interactive=False, label="Geïndexeerde documenten", elem_id="rw-documents",
                           wrap=True)
    return b


def _auth(auth: str | None) -> list[tuple[str, str]] | None:
    from assistant.app.access import credentials

    return credentials(auth or os.environ.get("REGIOWIJZER_AUTH"))


def launch(assistant, settings: Settings | None = None, host: str = "127.0.0.1", port: int = 7860,
           auth: str | None = None, notice: str | None = None, block: bool = True,
           forwarded_allow_ips: str | None = None):
    """Serve the app for an opened assistant on host:port; no share link, no analytics,
    optional login. Opening or building the index is the caller's (the `serve` command's)."""
    quiet_third_parties()
    settings = settings or load_settings()
    credentials = _auth(auth)
    from assistant.app.access import serves_local_owner

    app = create_app(assistant, settings, notice=notice,
                     local_owner=serves_local_owner(host, credentials))
    if credentials is None and host not in ("127.0.0.1", "localhost", "::1"):
        print("Let op: de app is bereikbaar op het netwerk zonder login; gebruik --auth.",
              file=sys.stderr)
    app.launch(server_name=host, server_port=port, auth=credentials,
               auth_message="Log in bij Regiowijzer.", prevent_thread_lock=True, quiet=True,
               max_file_size=f"{settings.max_file_mb}mb", blocked_paths=[str(settings.home)],
               **launch_options(forwarded_allow_ips))
    freeze_long_lived()  # what start-up built (index, model, app) leaves the collector's scans
    print(f"Regiowijzer draait op {app.local_url} (stoppen: Ctrl+C)", file=sys.stderr)
    if block:
        try:
            while app.is_running:
                time.sleep(0.2)
        except KeyboardInterrupt:
            print("Regiowijzer gestopt.", file=sys.stderr)
        finally:
            app.close()
    return app
