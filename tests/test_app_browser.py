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
REGION_QUESTION = ("Ik ben raadslid in Drenthe. Hoe pakken we de aansluiting van onderwijs op de "
                   "arbeidsmarkt aan in onze regio?")
REGION_SHOT = REPO_ROOT / "docs" / "regio.png"
# Where the newest reply starts, relative to the top of the chat's scrolling area (px).
REPLY_TOP = """() => { const log = document.querySelector('#rw-chat [role="log"]');
    const reply = [...log.querySelectorAll('.message-row.bot-row')].pop();
    return reply.getBoundingClientRect().top - log.getBoundingClientRect().top; }"""
# Does every letter of a bold text come from the app's own font? A glyph the font lacks falls
# back, and then the width depends on the fallback named after it.
WHOLE_FONT = """async (selector) => { await document.fonts.ready;
    const el = document.querySelector(selector), cs = getComputedStyle(el);
    const family = cs.fontFamily.split(',')[0], c = document.createElement('canvas').getContext('2d');
    const width = (fallback) => { c.font = `${cs.fontWeight} 40px ${family}, ${fallback}`;
                                  return c.measureText(el.textContent).width; };
    return {weight: cs.fontWeight, text: el.textContent, mono: width('monospace'),
            serif: width('serif')}; }"""
# Texts Gradio shows in English unless told otherwise.
ENGLISH = ("Drop File Here", "Click to Upload", "Copy message", "Clear", "chatbot conversation",
           "Click to upload or drop files", "Fullscreen", "Copy table data")
PAGE_TEXTS = """() => { const out = [document.body.innerText];
    document.querySelectorAll('[aria-label], [title]').forEach((el) =>
        out.push(el.getAttribute('aria-label') || '', el.getAttribute('title') || ''));
    return out.join(' | '); }"""


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
        page.wait_for_timeout(300)
        assert 0 <= page.evaluate(REPLY_TOP) < 60, "the answer opens at its top, not at its end"
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
        expect(page.get_by_role("heading", name="Kern", exact=True)).to_be_visible()  # the note's points
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

    def ask(self, question, mode="vraag", history=(), filters=None, notice=None, earlier=None):
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


def test_a_region_question_reads_from_the_top_in_dutch_at_two_window_sizes(corpus_index, embedder):
    """1366×768 and 1920×1080, in a browser set to English: the answer opens at its top with its
    region section, the chat takes the window's height, every widget speaks Dutch, and bold
    text is set in one font."""
    from playwright.sync_api import expect, sync_playwright

    from assistant.app.ui import create_app
    from assistant.service import Assistant

    settings, _ = corpus_index
    # served as `make serve` does: loopback, no login, so the Bronnen tab offers the upload
    app = create_app(Assistant.from_settings(settings, embedder=embedder), settings, local_owner=True)
    ARTIFACTS.mkdir(exist_ok=True)
    with running_app(app) as url, sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        for width, height in ((1366, 768), (1920, 1080)):
            page = browser.new_page(viewport={"width": width, "height": height}, locale="en-US")
            errors: list[str] = []
            page.on("pageerror", lambda err, errors=errors: errors.append(str(err)))
            page.goto(url)
            page.get_by_label("Uw vraag").fill(QUESTION)
            page.get_by_role("button", name="Vraag stellen").click()
            page.wait_for_selector("#bron-1-1", timeout=WAIT_MS)
            page.get_by_label("Uw vraag").fill(REGION_QUESTION)
            page.get_by_role("button", name="Vraag stellen").click()
            page.wait_for_selector("#bron-2-1", timeout=WAIT_MS)
            page.wait_for_timeout(500)

            # the second answer opens at its top, not scrolled to its sources at the bottom
            assert 0 <= page.evaluate(REPLY_TOP) < 60
            region = page.get_by_role("heading", name="In uw regio: Drenthe")
            expect(region).to_be_visible()
            assert region.bounding_box()["y"] < height, "the region section is on screen"
            chat = page.locator("#rw-chat").bounding_box()
            assert chat["height"] >= height - 400, "the chat uses the window's height"
            page.screenshot(path=str(ARTIFACTS / f"app-regio-{width}.png"))
            update = not REGION_SHOT.exists() or os.environ.get("REGIOWIJZER_UPDATE_SCREENSHOT")
            if width == 1366 and update:
                page.screenshot(path=str(REGION_SHOT))

            for selector in ("#rw-route .rw-step-btn", "#rw-chat .message-row.bot-row h4"):
                font = page.evaluate(WHOLE_FONT, selector)
                assert abs(font["mono"] - font["serif"]) < 0.01, f"a letter falls back: {font}"

            page.get_by_role("tab", name="Bronnen").click()
            expect(page.get_by_text("Sleep een bestand hierheen")).to_be_visible()
            expect(page.get_by_text("klik om te uploaden")).to_be_visible()
            shown = page.evaluate(PAGE_TEXTS)
            page.screenshot(path=str(ARTIFACTS / f"app-bronnen-{width}.png"))
            assert not [t for t in ENGLISH if t in shown], "Gradio's English is left on the page"
            assert errors == []
        browser.close()
