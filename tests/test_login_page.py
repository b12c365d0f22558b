"""With a login, nothing about the corpus reaches a visitor before logging in: not in the page
(/ embeds Gradio's config and API description), not in /openapi.json, not in /config. After
logging in, the document lists are there."""

from __future__ import annotations

import sys
from pathlib import Path

import httpx

sys.path.insert(0, str(Path(__file__).parent))
from app_server import running_app  # noqa: E402
from test_app_access import USERS, raw_event  # noqa: E402
from test_app_events import FakeAssistant  # noqa: E402


def corpus_words(corpus: Path) -> list[str]:
    """Document file names and ids as they would appear in a page."""
    names = [p.name for p in corpus.iterdir() if p.suffix in (".txt", ".pdf", ".md", ".docx")]
    return names + [Path(n).stem for n in names]


def test_the_login_page_says_nothing_about_the_corpus(tmp_path, corpus_of, embedder):
    from assistant.app.ui import create_app
    from ingest.build import ingest
    from ingest.config import Settings

    corpus = corpus_of("regiodenken.txt", "vng-nieuws-werkende-samenwerking.txt")
    settings = Settings(home=tmp_path / "home", corpus_dir=corpus)
    ingest(settings, progress=False, embedder=embedder)
    app = create_app(FakeAssistant(), settings)
    words = corpus_words(corpus)
    assert "regiodenken.txt" in words
    with running_app(app, auth=USERS) as url, httpx.Client(base_url=url, timeout=30) as visitor:
        seen = {path: visitor.get(path) for path in
                ("/", "/config", "/gradio_api/info", "/openapi.json", "/docs", "/gradio_api/openapi.json")}
        with httpx.Client(base_url=url, timeout=30) as member:
            assert member.post("/login", data={"username": "gast", "password": "geheim-2"}).is_success
            after = str(raw_event(member, app, "restore", [None, None], "lid-1"))
    leaks = {path: [w for w in words if w in r.text] for path, r in seen.items()}
    assert all(not found for found in leaks.values()), leaks
    assert seen["/"].status_code == 200, "the login page itself is served"
    assert seen["/openapi.json"].status_code in (401, 404)
    assert "regiodenken.txt" in after, "after login, the page load fills the document lists"
