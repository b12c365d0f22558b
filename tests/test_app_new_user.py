"""What a new user meets, in a real browser (headless Debian Chromium, Playwright): uploading as
the person at the machine, who may add documents and how, a Dutch page and login, a DOCX that
looks like a Dutch office document, citations on a phone, conversations that survive a reload,
and 👍/👎 with a comment kept on this machine."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))
from app_server import CHROMIUM, CHROMIUM_ARGS, running_app  # noqa: E402
from test_app_events import FakeAssistant  # noqa: E402

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not Path(CHROMIUM).exists(),
                       reason=f"{CHROMIUM} ontbreekt; installeer met: apt-get install -y chromium"),
]
WAIT_MS = 60_000
NEW_DOC = ("Kokkelpact Oosterschelde\n\nIn het Kokkelpact Oosterschelde spreken kokkelvissers, het "
           "Scalda-college en vier gemeenten af dat elke leerling een stageplek aan boord krijgt. "
           "Het pact wordt elk voorjaar herzien door de kokkelraad.\n")
IN_VIEW = """(sel) => { const r = document.querySelector(sel).getBoundingClientRect();
                        return r.height > 0 && r.top >= 0 && r.bottom <= window.innerHeight; }"""
# Counts, while an upload runs, how many progress bars the page shows at once (the most seen).
COUNT_PROGRESS = """() => { window.__rwBars = [0, 0]; setInterval(() => {
    const shown = (sel) => [...document.querySelectorAll(sel)]
        .filter((el) => el.getClientRects().length).length;
    window.__rwBars = [Math.max(window.__rwBars[0], shown('.progress-text')),
                       Math.max(window.__rwBars[1], shown('.progress-level'))]; }, 25); }"""


def answered(page, turn: int) -> None:
    """Wait until answer `turn` of the conversation is complete: its sources are in the panel
    (the event's last output, with the conversation itself) and the chat shows no timer."""
    page.wait_for_selector(f"#bron-{turn}-1", state="attached", timeout=WAIT_MS)
    page.wait_for_function("() => !document.querySelector('#rw-chat .progress-text, #rw-chat .eta-bar')",
                           timeout=WAIT_MS)


def browser_page(pw, **kwargs):
    browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
    page = browser.new_page(locale="nl-NL", **kwargs)
    return browser, page


def test_the_person_at_the_machine_uploads_and_sees_the_result_where_they_look(
        corpus_of, embedder, tmp_path, monkeypatch):
    """`make serve`: loopback, no login. The Bronnen tab says at the top that they may add
    documents; the upload lands in the index and the table, the result is on screen right
    below the button, with one progress bar; a README upload is refused and data files are
    not in the list."""
    from playwright.sync_api import expect, sync_playwright

    from assistant.app.ui import create_app
    from assistant.service import Assistant
    from ingest.build import ingest
    from ingest.config import Settings

    monkeypatch.delenv("REGIOWIJZER_ADMIN", raising=False)
    corpus = corpus_of("regiodenken.txt")
    settings = Settings(home=tmp_path / "home", corpus_dir=corpus)
    ingest(settings, progress=False, embedder=embedder)
    app = create_app(Assistant.from_settings(settings, embedder=embedder), settings,
                     reload=lambda s: Assistant.from_settings(s, embedder=embedder), local_owner=True)
    upload = tmp_path / "upload" / "Kokkelpact Oosterschelde.txt"
    upload.parent.mkdir()
    upload.write_text(NEW_DOC, encoding="utf-8")
    readme = tmp_path / "upload" / "README.md"
    readme.write_text("# Uitleg bij de map\n\nDit is geen document.\n", encoding="utf-8")

    with running_app(app) as url, sync_playwright() as pw:
        browser, page = browser_page(pw, viewport={"width": 1366, "height": 768})
        page.goto(url)
        page.get_by_role("tab", name="Bronnen").click()
        access = page.locator("#rw-access")
        expect(access).to_contain_text("zonder login: u kunt hieronder documenten toevoegen")
        assert access.bounding_box()["y"] < page.locator("#rw-upload").bounding_box()["y"]
        table = page.locator("#rw-documents")
        assert "toml" not in table.inner_text(), "data files are not documents"

        page.evaluate(COUNT_PROGRESS)
        page.locator("#rw-upload input[type=file]").set_input_files(str(upload))
        page.get_by_role("button", name="Toevoegen en index bijwerken").click()
        status = page.locator("#rw-corpus-status")
        expect(status).to_contain_text("Toegevoegd: Kokkelpact-Oosterschelde.txt staat nu in de index",
                                       timeout=WAIT_MS)
        page.wait_for_function(IN_VIEW, arg="#rw-corpus-status", timeout=5_000)
        expect(table).to_contain_text("Kokkelpact-Oosterschelde.txt")
        bars = page.evaluate("window.__rwBars")
        page.screenshot(path=str(tmp_path / "upload.png"))

        page.locator("#rw-upload input[type=file]").set_input_files(str(readme))
        page.get_by_role("button", name="Toevoegen en index bijwerken").click()
        expect(status).to_contain_text("Niet toegevoegd", timeout=WAIT_MS)
        browser.close()
    assert (corpus / "Kokkelpact-Oosterschelde.txt").exists()
    assert not (corpus / "README.md").exists()
    assert bars[0] == 1, f"{bars[0]} outputs showed progress at once"
    assert bars[1] <= 1, f"{bars[1]} progress bars stacked"


def test_with_a_login_the_page_and_login_are_dutch_and_say_who_may_add(tmp_path, corpus_copy,
                                                                        monkeypatch):
    from playwright.sync_api import expect, sync_playwright

    from assistant.app.ui import create_app
    from ingest.config import Settings

    monkeypatch.setenv("REGIOWIJZER_ADMIN", "beheer")
    app = create_app(FakeAssistant(), Settings(home=tmp_path / "home", corpus_dir=corpus_copy))
    with running_app(app, auth=[("gast", "geheim-2"), ("beheer", "geheim-1")]) as url, \
            sync_playwright() as pw:
        browser, page = browser_page(pw, viewport={"width": 1366, "height": 768})
        page.goto(url)
        assert page.evaluate("document.documentElement.lang") == "nl"
        page.get_by_label("Gebruikersnaam").fill("gast")
        page.get_by_label("Wachtwoord").fill("geheim-2")
        page.get_by_role("button", name="Inloggen").click()
        page.get_by_role("tab", name="Bronnen").click()
        access = page.locator("#rw-access")
        expect(access).to_contain_text("U bent ingelogd als gast")
        expect(access).to_contain_text("REGIOWIJZER_ADMIN")
        expect(page.locator("#rw-upload")).to_be_hidden()
        assert page.evaluate("document.documentElement.lang") == "nl"
        browser.close()


def test_dutch_labels_an_english_question_and_a_dutch_docx(tmp_path, corpus_copy):
    """Example buttons read out in Dutch; an English question gets a Dutch note; the DOCX
    downloaded from the page is A4 with the title in the header and page numbers."""
    from docx import Document
    from docx.oxml.ns import qn
    from docx.shared import Mm
    from playwright.sync_api import expect, sync_playwright

    from assistant.app.ui import create_app
    from ingest.config import Settings

    app = create_app(FakeAssistant(), Settings(home=tmp_path / "home", corpus_dir=corpus_copy))
    with running_app(app) as url, sync_playwright() as pw:
        browser, page = browser_page(pw, viewport={"width": 1366, "height": 768},
                                     accept_downloads=True)
        page.goto(url)
        page.wait_for_selector("#rw-chat [aria-label*='Raadslid']")
        labels = page.locator("#rw-chat [aria-label]").evaluate_all(
            "(els) => els.map((e) => e.getAttribute('aria-label'))")
        examples = [x for x in labels if x.startswith("Voorbeeldvraag ")]
        assert len(examples) == 6 and not [x for x in labels if x.startswith("Select example")]
        page.get_by_label("Uw vraag").fill("How can the council keep a grip on regional cooperation?")
        page.get_by_role("button", name="Vraag stellen").click()
        expect(page.locator("#rw-notice")).to_contain_text("Nederlandstalige bronnen", timeout=WAIT_MS)
        with page.expect_download() as download:
            page.locator("#rw-download-docx").click()
        saved = tmp_path / download.value.suggested_filename
        download.value.save_as(saved)
        browser.close()
    section = Document(str(saved)).sections[0]
    assert abs(section.page_width - Mm(210)) < Mm(1) and abs(section.page_height - Mm(297)) < Mm(1)
    assert section.header.paragraphs[0].text.startswith("Vraag: How can the council")
    fields = [t.text.strip() for t in section.footer.paragraphs[0]._p.iter(qn("w:instrText"))]
    assert fields == ["PAGE", "NUMPAGES"]
    assert saved.name == "regiowijzer-vraag-how-can-the-council-keep-a-grip-on-regional.docx"


def test_on_a_phone_the_question_box_is_in_view_and_a_citation_opens_over_the_answer(
        tmp_path, corpus_copy):
    from playwright.sync_api import expect, sync_playwright

    from assistant.app.ui import create_app
    from ingest.config import Settings

    app = create_app(FakeAssistant(), Settings(home=tmp_path / "home", corpus_dir=corpus_copy))
    with running_app(app) as url, sync_playwright() as pw:
        browser, page = browser_page(pw, viewport={"width": 390, "height": 844}, is_mobile=True,
                                     has_touch=True)
        page.goto(url)
        page.wait_for_selector("#rw-question")
        assert page.evaluate(IN_VIEW, "#rw-question textarea"), "the question box is above the fold"
        page.get_by_label("Uw vraag").fill("Wat doet de raad?")
        page.get_by_role("button", name="Vraag stellen").click()
        page.wait_for_selector("#bron-1-1", state="attached", timeout=WAIT_MS)
        link = page.locator('#rw-chat a[href="#bron-1-1"]').first
        link.scroll_into_view_if_needed()
        before = page.evaluate("window.scrollY")
        link.click()
        dialog = page.locator("#rw-source-dialog")
        expect(dialog).to_be_visible()
        expect(dialog).to_contain_text("Werkende samenwerking")
        expect(dialog.locator("mark.rw-cited")).to_contain_text("De raad stelt kaders.")
        box = dialog.bounding_box()
        assert box["y"] >= 0 and box["y"] + box["height"] <= 844, "the source is on screen"
        assert abs(page.evaluate("window.scrollY") - before) < 50, "no jump down the page"
        page.screenshot(path=str(tmp_path / "telefoon-bron.png"))
        page.get_by_role("button", name="Terug naar het antwoord").click()
        expect(dialog).to_be_hidden()
        assert abs(page.evaluate("window.scrollY") - before) < 50, "back where the answer was"
        browser.close()


def test_conversations_survive_a_reload_and_a_rating_with_a_comment_stays_local(tmp_path, corpus_copy):
    from playwright.sync_api import expect, sync_playwright

    from assistant.app.feedback import feedback_path
    from assistant.app.ui import create_app
    from ingest.config import Settings

    settings = Settings(home=tmp_path / "home", corpus_dir=corpus_copy)
    app = create_app(FakeAssistant(), settings)
    with running_app(app) as url, sync_playwright() as pw:
        browser, page = browser_page(pw, viewport={"width": 1366, "height": 768})
        page.goto(url)
        for turn, question in enumerate(("Wat doet de raad?", "En de griffie?"), start=1):
            page.get_by_label("Uw vraag").fill(question)
            page.get_by_role("button", name="Vraag stellen").click()
            answered(page, turn)
        page.get_by_role("button", name="Nieuw gesprek").click()
        expect(page.locator("#rw-chat .message-row")).to_have_count(0)
        page.get_by_label("Uw vraag").fill("Wat is een arbeidsmarktregio?")
        page.get_by_role("button", name="Vraag stellen").click()
        answered(page, 1)

        # 👎 on the answer, with a comment: kept in feedback.jsonl on this machine
        page.locator("#rw-chat .message-row.bot-row").last.hover()
        page.locator('#rw-chat button[aria-label="Niet nuttig"]').last.click()
        comment = page.get_by_label("Toelichting bij uw 👎 (optioneel)")
        expect(comment).to_be_visible()
        comment.fill("Te algemeen.")
        comment.press("Enter")
        expect(page.locator("#rw-notice")).to_contain_text("toelichting is bewaard")

        page.reload()
        chat = page.locator("#rw-chat")
        expect(chat).to_contain_text("Wat is een arbeidsmarktregio?", timeout=WAIT_MS)
        page.get_by_text("Eerdere gesprekken (bewaard in deze browser)").click()
        page.get_by_label("Eerdere gesprekken").click()
        options = page.locator('[role="listbox"] [role="option"]').all_inner_texts()
        assert len(options) == 2 and "Wat doet de raad?" in options[1], options
        page.locator('[role="listbox"] [role="option"]', has_text="Wat doet de raad?").click()
        page.get_by_role("button", name="Openen").click()
        expect(chat).to_contain_text("En de griffie?")
        page.get_by_role("button", name="Alles verwijderen").click()
        expect(page.locator("#rw-notice")).to_contain_text("Alle gesprekken zijn verwijderd")
        page.reload()
        page.wait_for_selector("#rw-question")
        page.wait_for_timeout(1000)
        left = page.locator("#rw-chat .message-row").count()
        browser.close()
    assert left == 0, "deleted conversations stay deleted after a reload"
    rows = [json.loads(line) for line in feedback_path(settings.home).read_text().splitlines()]
    assert rows[0]["rating"] == "slecht" and rows[0]["question"] == "Wat is een arbeidsmarktregio?"
    assert rows[1] == {"id": rows[0]["id"], "comment": "Te algemeen."}
