"""The app in a real browser: headless Debian Chromium, driven by Playwright, against the real
corpus index on loopback. Ask, see citations and sources, click one, make a note, download it."""

from __future__ import annotations

import os
import re
import sys
import time
from pathlib import Path

import pytest

from ingest.config import REPO_ROOT

sys.path.insert(0, str(Path(__file__).parent))
from app_server import CHROMIUM, CHROMIUM_ARGS, running_app  # noqa: E402

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not Path(CHROMIUM).exists(),
                       reason=f"{CHROMIUM} ontbreekt; installeer met: apt-get install -y chromium"),
]
ARTIFACTS = REPO_ROOT / "test-artifacts"
README_SHOT = REPO_ROOT / "docs" / "screenshot.png"
QUESTION = "Hoe kan de gemeenteraad grip houden op regionale samenwerking?"
WAIT_MS = 60_000
SCROLL_CHAT_TO_TOP = """() => document.querySelectorAll('#rw-chat *').forEach((el) => {
    if (el.scrollHeight > el.clientHeight + 10 && getComputedStyle(el).overflowY !== 'visible') {
        el.scrollTop = 0;
    }
})"""


IN_VIEW = """(sel) => { const r = document.querySelector(sel).getBoundingClientRect();
                        return r.top >= 0 && r.top < window.innerHeight; }"""


def wait_in_view(page, selector: str) -> None:
    """Wait until the element's top is on screen (smooth scrolling takes a moment)."""
    page.wait_for_function(IN_VIEW, arg=selector, timeout=5_000)


def test_ask_read_sources_and_download_a_note(corpus_index, embedder, tmp_path):
    from docx import Document
    from playwright.sync_api import expect, sync_playwright

    from assistant.app.ui import create_app
    from assistant.service import Assistant

    started = time.monotonic()
    settings, _ = corpus_index
    app = create_app(Assistant.from_settings(settings, embedder=embedder), settings)
    ARTIFACTS.mkdir(exist_ok=True)
    with running_app(app) as url, sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        page = browser.new_page(viewport={"width": 1280, "height": 800}, locale="nl-NL",
                                accept_downloads=True)
        errors: list[str] = []
        page.on("pageerror", lambda err: errors.append(str(err)))
        page.goto(url)

        page.get_by_label("Uw vraag").fill(QUESTION)
        page.get_by_role("button", name="Vraag stellen").click()
        page.wait_for_selector("#bron-1-1", timeout=WAIT_MS)

        chat_links = page.locator('#rw-chat a[href^="#bron-1-"]')
        expect(chat_links.first).to_be_visible()
        assert chat_links.count() >= 2, "the answer cites its sources"
        expect(page.get_by_role("heading", name="Kort antwoord")).to_be_visible()
        cards = page.locator("#rw-sources article.rw-source")
        assert cards.count() >= 2
        assert page.locator("#rw-sources mark.rw-cited").count() >= 1, "the cited sentence is marked"
        assert page.locator("#rw-route .rw-step.rw-covered").count() >= 1, "covered steps are marked"
        expect(page.locator("#rw-download-docx")).to_be_visible()
        page.wait_for_timeout(500)  # let the chat finish its own scrolling to the end first
        page.evaluate(SCROLL_CHAT_TO_TOP)  # show the question and the start of the answer
        page.wait_for_timeout(200)
        page.screenshot(path=str(ARTIFACTS / "app-vraag.png"))
        if not README_SHOT.exists() or os.environ.get("REGIOWIJZER_UPDATE_SCREENSHOT"):
            README_SHOT.parent.mkdir(exist_ok=True)
            page.screenshot(path=str(README_SHOT))

        # Clicking [n] brings source n into view and marks it.
        last = chat_links.last
        target = last.get_attribute("href")
        last.click()
        active = page.locator("#rw-sources .rw-source.rw-active")
        expect(active).to_have_attribute("id", target.removeprefix("#"))
        wait_in_view(page, target)
        page.locator(f"{target} details summary").first.click()  # the passage before or after
        page.screenshot(path=str(ARTIFACTS / "app-bron.png"))

        # Notitie answers the same question again as a note; download it as DOCX.
        page.get_by_label("Notitie").check()
        page.wait_for_selector("#bron-2-1", timeout=WAIT_MS)
        expect(page.get_by_role("heading", name="Wat zeggen de bronnen")).to_be_visible()
        titles = [re.sub(r"^\[\d+\]\s*", "", t).strip()
                  for t in page.locator("#rw-sources article h4").all_inner_texts()]
        # [n] in the first answer still works: its sources are folded below the current ones.
        page.locator('#rw-chat a[href="#bron-1-1"]').first.click()
        expect(active).to_have_attribute("id", "bron-1-1")
        assert page.evaluate("document.getElementById('bron-1-1').closest('details').open")
        with page.expect_download() as download:
            page.locator("#rw-download-docx").click()
        saved = tmp_path / download.value.suggested_filename
        download.value.save_as(saved)
        page.screenshot(path=str(ARTIFACTS / "app-notitie.png"))

        # On a narrow screen the side panel goes below the chat, without sideways scrolling.
        page.set_viewport_size({"width": 390, "height": 844})
        page.wait_for_timeout(300)
        overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
        chat_box = page.locator("#rw-chat").bounding_box()
        side_box = page.locator("#rw-side").bounding_box()
        page.screenshot(path=str(ARTIFACTS / "app-smal.png"), full_page=True)
        browser.close()

    assert overflow <= 0, "no horizontal scrolling on a narrow screen"
    assert side_box["y"] >= chat_box["y"] + chat_box["height"] - 1

    assert saved.suffix == ".docx"
    text = "\n".join(p.text for p in Document(str(saved)).paragraphs)
    assert "Notitie" in text and QUESTION in text
    assert "Bronnen" in text
    assert re.search(r"\[1\]", text), "the note keeps its [n] references"
    assert titles and all(t in text for t in titles), "every cited source is in the reference list"
    assert errors == [], f"JavaScript errors in the page: {errors}"
    assert time.monotonic() - started < 90


XSS = '<script>window.__rwXss = 1</script><img src="x" onerror="window.__rwXss = 2">'


class HostileAssistant:
    """Answers with passage text, a title and a question that all try to run script."""

    def __init__(self):
        from assistant.compose.composer import ExtractiveComposer

        self.composer = ExtractiveComposer()

    def ask(self, question, mode="vraag", history=(), filters=None, notice=None):
        from assistant.compose.answer import Answer, Citation, Point
        from ingest.index.passage import Passage

        p = Passage(id="x-1", doc_id="x", title=f"Titel {XSS}", kind="rapport",
                    text=f"Gewone tekst. {XSS} Meer tekst.", page=1, section="", block="tekst",
                    steps=[1], steps_inferred=False, wegwijzer=None, speaker=None, places=[],
                    research_pages=[], position=0)
        return Answer(question=question, mode=mode, backend="none", abstained=False, notice=None,
                      summary=[Point(f"Gewone tekst. {XSS}", [1])], steps=[], silent_steps=[],
                      examples=[], citations=[Citation(1, p, 1.0, quote="Gewone tekst.")])


def test_text_from_documents_and_questions_is_shown_never_run(tmp_path, corpus_copy):
    from playwright.sync_api import sync_playwright

    from assistant.app.ui import create_app
    from ingest.config import Settings

    app = create_app(HostileAssistant(), Settings(home=tmp_path / "home", corpus_dir=corpus_copy))
    with running_app(app) as url, sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        page = browser.new_page(locale="nl-NL")
        dialogs: list[str] = []
        page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
        page.goto(url)
        page.get_by_label("Uw vraag").fill(f"Vraag {XSS}")
        page.get_by_role("button", name="Vraag stellen").click()
        page.wait_for_selector("#bron-1-1", timeout=WAIT_MS)
        page.wait_for_timeout(500)
        shown = page.locator("#rw-sources").inner_text()
        chat = page.locator("#rw-chat").inner_text()
        ran = page.evaluate("window.__rwXss")
        images = page.locator("#rw-sources img, #rw-chat img[src='x']").count()
        browser.close()
    assert ran is None and dialogs == [] and images == 0
    assert "<script>window.__rwXss = 1</script>" in shown, "the tag is shown as text"
    assert "Titel <script>" in shown
    assert '<img src="x"' in chat
