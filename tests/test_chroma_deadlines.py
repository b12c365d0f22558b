"""Every call to a Chroma server ends at its deadline, reads and writes alike, however slowly
the server answers: a real Chroma server behind a loopback proxy that misbehaves on purpose
(it trickles its replies one byte a second, or never answers a write)."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))
from chroma_proxy import CHROMA, MisbehavingProxy, start_chroma  # noqa: E402

from ingest.config import REPO_ROOT, Settings  # noqa: E402

pytestmark = [pytest.mark.slow,
              pytest.mark.skipif(not CHROMA.exists(), reason="chroma CLI not installed")]
QUESTION = "Hoe houdt de raad grip op regionale samenwerking?"


@pytest.fixture
def served(tmp_path, corpus_of, embedder):
    """A small index on a real Chroma server, reached through the proxy (passing for now)."""
    from ingest.build import ingest

    server, port = start_chroma(tmp_path / "chroma-data")
    try:
        with MisbehavingProxy(port) as proxy:
            settings = Settings(home=tmp_path / "home", corpus_dir=corpus_of("regiodenken.txt"),
                                chroma_url=proxy.url)
            assert ingest(settings, progress=False, embedder=embedder).status == "built"
            yield settings, proxy
    finally:
        server.terminate()
        server.wait(timeout=30)


def test_a_trickling_server_fails_questions_at_the_deadline_and_they_work_once_it_is_back(
        served, embedder, monkeypatch):
    from assistant.service import Assistant
    from ingest.index.vectorstore import VectorStoreUnavailable

    settings, proxy = served
    monkeypatch.setenv("REGIOWIJZER_CHROMA_TIMEOUT", "2")
    assistant = Assistant.from_settings(settings, embedder=embedder)
    assert assistant.ask(QUESTION).citations

    proxy.mode = "trickle"
    outcomes: list[tuple[str, float]] = []

    def ask() -> None:
        start = time.monotonic()
        try:
            assistant.ask(QUESTION)
            outcomes.append(("answered", time.monotonic() - start))
        except VectorStoreUnavailable as err:
            outcomes.append((str(err), time.monotonic() - start))

    askers = [threading.Thread(target=ask) for _ in range(10)]  # more than the 8 Chroma workers
    for t in askers:
        t.start()
    for t in askers:
        t.join(timeout=60)
    assert proxy.trickled >= 1, "the proxy really trickled"
    assert len(outcomes) == 10 and all("niet bereikbaar" in msg for msg, _ in outcomes), outcomes
    assert max(s for _, s in outcomes) < 8, [round(s, 1) for _, s in outcomes]

    proxy.mode = "pass"  # Chroma is healthy again: the very next question works
    start = time.monotonic()
    assert assistant.ask(QUESTION).citations
    assert time.monotonic() - start < 5


def test_the_cli_exits_with_2_at_its_deadline_against_a_trickling_server(served):
    settings, proxy = served
    proxy.mode = "trickle"
    env = dict(os.environ, REGIOWIJZER_HOME=str(settings.home), REGIOWIJZER_CHROMA_URL=proxy.url,
               REGIOWIJZER_CHROMA_TIMEOUT="2")
    start = time.monotonic()
    done = subprocess.run([sys.executable, "-m", "assistant.cli.main", "search", QUESTION],
                          env=env, capture_output=True, text=True, timeout=120, cwd=REPO_ROOT)
    took = time.monotonic() - start
    assert done.returncode == 2, done.stderr
    assert "Chroma-server" in done.stderr and "niet bereikbaar" in done.stderr
    assert "Traceback" not in done.stderr
    # The heartbeat alone takes the proxy ~45 s to trickle; the CLI stops at its deadline.
    assert took < 30, f"the CLI took {took:.0f} s"


def test_a_write_that_hangs_stops_the_ingest_at_its_deadline_and_keeps_the_index(
        served, monkeypatch, capsys):
    from assistant.cli.main import main
    from ingest.index import layout
    from ingest.index.lock import LOCK_FILE

    settings, proxy = served
    before = layout.current_build(settings.index_root)
    shutil.copy(REPO_ROOT / "corpus" / "vng-nieuws-werkende-samenwerking.txt", settings.corpus_dir)
    proxy.mode = "hang-add"
    monkeypatch.setenv("REGIOWIJZER_HOME", str(settings.home))
    monkeypatch.setenv("REGIOWIJZER_CHROMA_URL", proxy.url)
    monkeypatch.setenv("REGIOWIJZER_CHROMA_WRITE_TIMEOUT", "3")
    capsys.readouterr()
    start = time.monotonic()
    status = main(["ingest", "--corpus", str(settings.corpus_dir), "--quiet"])
    took = time.monotonic() - start
    err = capsys.readouterr().err
    assert status == 2, err
    assert "niet bereikbaar" in err and "geen antwoord binnen 3 s" in err, err
    assert "vorige index blijft actief" in err and "Traceback" not in err
    assert took < 60, f"the ingest took {took:.0f} s"
    assert layout.current_build(settings.index_root) == before
    assert not (settings.index_root / LOCK_FILE).exists(), "no stale lock"


def test_opening_the_index_against_a_server_that_trickles_after_its_heartbeat_ends_at_the_deadline(
        served, embedder, monkeypatch):
    """chromadb's client calls the server from its constructor: those calls keep the deadline
    too, so opening fails in time and no worker thread stays behind on the server."""
    from assistant.service import Assistant
    from ingest.index.reader import IndexUnavailable
    from ingest.index.vectorstore import VectorStoreUnavailable

    settings, proxy = served
    monkeypatch.setenv("REGIOWIJZER_CHROMA_TIMEOUT", "2")
    proxy.mode = "trickle-after-heartbeat"
    took = []
    for _ in range(9):  # more than the 8 Chroma workers
        start = time.monotonic()
        with pytest.raises((VectorStoreUnavailable, IndexUnavailable), match="niet bereikbaar"):
            Assistant.from_settings(settings, embedder=embedder)
        took.append(time.monotonic() - start)
    assert max(took) < 8, [round(s, 1) for s in took]
    proxy.mode = "pass"
    start = time.monotonic()
    assert Assistant.from_settings(settings, embedder=embedder).ask(QUESTION).citations
    assert time.monotonic() - start < 10
