"""A running app follows the index on disk. The command line adds one document and deletes
another while the app serves a browser; the next question is answered from the new build, the
filter and delete lists and the document table show the new document and not the deleted one,
and once the old build is retired the app holds no file that was deleted."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))
from app_server import CHROMIUM, CHROMIUM_ARGS, running_app  # noqa: E402

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not Path(CHROMIUM).exists(),
                       reason=f"{CHROMIUM} ontbreekt; installeer met: apt-get install -y chromium"),
]
WAIT_MS = 60_000
NEW_TITLE = "Kokkelpact Oosterschelde"
NEW_TEXT = (f"{NEW_TITLE}\n\nIn het Kokkelpact Oosterschelde spreken kokkelvissers, het "
            "Scalda-college en vier gemeenten af dat elke leerling een stageplek aan boord krijgt. "
            "Het pact wordt elk voorjaar herzien door de kokkelraad.\n")
DELETED = "regiodenken.txt"
DELETED_TITLE = "Regiodenken"


def deleted_open_files(home: Path) -> list[str]:
    """Files under home that this process still holds open although they are deleted."""
    out = []
    for fd in Path("/proc/self/fd").iterdir():
        try:
            target = os.readlink(fd)
        except OSError:
            continue
        if target.endswith(" (deleted)") and target.startswith(str(home)):
            out.append(target)
    return out


def options(page, label: str) -> list[str]:
    """The choices a dropdown offers when it is opened."""
    box = page.get_by_label(label, exact=True)
    box.click()
    choices = page.locator('[role="listbox"] [role="option"]')
    choices.first.wait_for(timeout=5_000)
    shown = [t.replace("✓", "").strip() for t in choices.all_inner_texts()]
    page.keyboard.press("Escape")
    return shown


def test_the_app_follows_a_command_line_ingest(corpus_copy, embedder, tmp_path, monkeypatch):
    from playwright.sync_api import sync_playwright

    from assistant.app import state
    from assistant.app.ui import create_app
    from assistant.cli.main import main
    from assistant.service import Assistant
    from ingest.build import ingest
    from ingest.config import Settings

    monkeypatch.setattr(state, "RETIRE_AFTER_S", 0.5)
    monkeypatch.setattr("ingest.index.embedders.make_embedder", lambda settings: embedder)
    home = tmp_path / "home"
    settings = Settings(home=home, corpus_dir=corpus_copy)
    ingest(settings, progress=False, embedder=embedder)
    app = create_app(Assistant.from_settings(settings, embedder=embedder), settings,
                     reload=lambda s: Assistant.from_settings(s, embedder=embedder), local_owner=True)
    with running_app(app) as url, sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        page = browser.new_page(viewport={"width": 1366, "height": 768}, locale="nl-NL")
        page.goto(url)
        page.get_by_text("Filters").click()
        before = options(page, "Documenten")
        assert DELETED_TITLE in before and NEW_TITLE not in before

        # The command line changes the corpus while the page stays open.
        (corpus_copy / "kokkelpact.txt").write_text(NEW_TEXT, encoding="utf-8")
        (corpus_copy / DELETED).unlink()
        monkeypatch.setenv("REGIOWIJZER_HOME", str(home))
        assert main(["ingest", "--corpus", str(corpus_copy), "--quiet"]) == 0

        page.get_by_label("Uw vraag").fill("Wie herziet het Kokkelpact Oosterschelde?")
        page.get_by_role("button", name="Vraag stellen").click()
        page.wait_for_selector("#bron-1-1", timeout=WAIT_MS)
        cited = page.locator("#rw-sources article h4").all_inner_texts()
        assert any(NEW_TITLE in t for t in cited), cited
        assert not any(DELETED_TITLE in t for t in cited)

        after = options(page, "Documenten")
        assert NEW_TITLE in after and DELETED_TITLE not in after
        page.get_by_role("tab", name="Bronnen").click()
        table = page.locator("#rw-documents").inner_text()
        assert NEW_TITLE in table and DELETED_TITLE not in table
        removable = options(page, "Document verwijderen")
        assert any("kokkelpact.txt" in o for o in removable)
        assert not any(DELETED in o for o in removable)

        # The old build is closed once its answers are done; nothing deleted stays open.
        page.wait_for_timeout(1500)
        page.get_by_role("tab", name="Vragen").click()
        page.get_by_label("Uw vraag").fill("Wat is regiodenken?")
        page.get_by_role("button", name="Vraag stellen").click()
        page.wait_for_selector("#bron-2-1, #rw-chat .message-row.bot-row >> nth=1", timeout=WAIT_MS)
        page.wait_for_timeout(500)
        assert not any(t.split("] ", 1)[-1] == DELETED_TITLE
                       for t in page.locator("#rw-sources article h4").all_inner_texts())
        browser.close()
    assert deleted_open_files(home) == []
