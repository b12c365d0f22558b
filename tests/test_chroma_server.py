"""Scale-out: ingest into a real `chroma run` server and search it from separate processes."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
from seed import pristine_corpus

from ingest.build import IngestError, ingest
from ingest.config import REPO_ROOT, Settings

pytestmark = pytest.mark.slow
CHROMA = Path(sys.executable).parent / "chroma"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_server(path: Path, port: int) -> subprocess.Popen:
    env = dict(os.environ, ANONYMIZED_TELEMETRY="False")
    proc = subprocess.Popen([str(CHROMA), "run", "--path", str(path), "--host", "127.0.0.1",
                             "--port", str(port)], env=env, stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL)
    deadline = time.time() + 60
    while time.time() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                return proc
        except OSError:
            time.sleep(0.3)
    proc.kill()
    raise RuntimeError("chroma server did not start")


def search_in_subprocess(home: Path, url: str, question: str) -> subprocess.CompletedProcess:
    env = dict(os.environ, REGIOWIJZER_HOME=str(home), REGIOWIJZER_CHROMA_URL=url)
    return subprocess.run([sys.executable, "-m", "assistant.cli.main", "search", question, "--json",
                           "--k", "3"], env=env, capture_output=True, text=True, timeout=300,
                          cwd=REPO_ROOT)


@pytest.mark.skipif(not CHROMA.exists(), reason="chroma CLI not installed")
def test_two_processes_search_one_chroma_server_and_outages_are_explained(tmp_path, embedder, corpus_of):
    corpus = corpus_of("regiodenken.txt", "vng-nieuws-werkende-samenwerking.txt")
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    server = start_server(tmp_path / "chroma-data", port)
    try:
        settings = Settings(home=tmp_path / "home", corpus_dir=corpus, chroma_url=url)
        report = ingest(settings, progress=False, embedder=embedder)
        assert report.status == "built"
        assert not list(settings.index_root.glob("build-*/chroma")), "vectors live on the server"

        first = search_in_subprocess(settings.home, url, "grensgangers en HR")
        second = search_in_subprocess(settings.home, url, "twee werelden in de regio")
        assert first.returncode == 0 and second.returncode == 0, first.stderr + second.stderr
        assert '"hits"' in first.stdout and '"hits"' in second.stdout
    finally:
        server.terminate()
        server.wait(timeout=30)

    down = search_in_subprocess(settings.home, url, "grensgangers")
    assert down.returncode == 2
    assert "Chroma-server" in down.stderr and "niet bereikbaar" in down.stderr
    shutil.copy(pristine_corpus() / "handreiking-werkgeversdienstverlening.txt", corpus)
    with pytest.raises(IngestError, match="vorige index blijft actief"):
        ingest(settings, progress=False, embedder=embedder)

    server = start_server(tmp_path / "chroma-data", port)
    try:
        back = search_in_subprocess(settings.home, url, "grensgangers")
        assert back.returncode == 0, back.stderr
    finally:
        server.terminate()
        server.wait(timeout=30)
