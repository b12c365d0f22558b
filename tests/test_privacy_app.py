"""Nothing leaves the machine when answering or serving either: `ask` and `serve` run with outbound
network blocked, and the guard log must show that nothing but loopback was even attempted
(Gradio analytics and version checks, Chroma telemetry, the model hub, tokenizer downloads)."""

from __future__ import annotations

import os
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from ingest.config import REPO_ROOT

pytestmark = pytest.mark.slow
GUARD = Path(__file__).parent / "netguard"
sys.path.insert(0, str(Path(__file__).parent))
from app_server import free_port  # noqa: E402
from seed import pristine_corpus  # noqa: E402


def guarded_env(home: Path, log: Path) -> dict[str, str]:
    """The user's environment without our own privacy switches: the app must set them itself."""
    env = {k: v for k, v in os.environ.items()
           if not k.startswith(("HF_", "TRANSFORMERS_", "ANONYMIZED_", "GRADIO_", "REGIOWIJZER_"))}
    env.update(PYTHONPATH=str(GUARD), NETGUARD_LOG=str(log), REGIOWIJZER_HOME=str(home))
    return env


def run_guarded(args: list[str], home: Path, log: Path) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "assistant.cli.main", *args], env=guarded_env(home, log),
                          capture_output=True, text=True, timeout=600, cwd=REPO_ROOT)


def attempts(log: Path) -> list[str]:
    return log.read_text(encoding="utf-8").splitlines() if log.exists() else []


def wait_for_page(url: str, proc: subprocess.Popen, limit_s: float = 240) -> str:
    deadline = time.monotonic() + limit_s
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise AssertionError(f"serve stopped early with exit code {proc.returncode}")
        try:
            with urllib.request.urlopen(url, timeout=5) as response:
                return response.read().decode("utf-8")
        except OSError:
            time.sleep(0.5)
    raise AssertionError(f"serve did not answer on {url} within {limit_s:.0f} s")


@pytest.fixture(scope="module")
def indexed(tmp_path_factory):
    """A small corpus, ingested with the guard on (as tests/test_privacy.py does)."""
    root = tmp_path_factory.mktemp("privacy-app")
    corpus = root / "corpus"
    corpus.mkdir()
    for name in ("regiodenken.txt", "bronnen.toml", "routekaart.toml", "plaatsen.toml"):
        (corpus / name).write_bytes((pristine_corpus() / name).read_bytes())
    home, log = root / "home", root / "ingest-network.log"
    ingest = run_guarded(["ingest", "--corpus", str(corpus), "--quiet"], home, log)
    assert ingest.returncode == 0, ingest.stderr
    assert attempts(log) == []
    return home


def test_ask_makes_no_outbound_connection(indexed, tmp_path):
    log = tmp_path / "network.log"
    result = run_guarded(["ask", "Wat doen HR-professionals als grensgangers in de regio?"], indexed, log)
    assert result.returncode == 0, result.stderr
    assert "[1]" in result.stdout
    assert attempts(log) == [], f"outbound network attempted: {attempts(log)}"


def test_serve_makes_no_outbound_connection(indexed, tmp_path):
    from gradio_client import Client

    log, output = tmp_path / "network.log", tmp_path / "serve.log"
    port = free_port()
    url = f"http://127.0.0.1:{port}/"
    with output.open("w", encoding="utf-8") as out:
        proc = subprocess.Popen([sys.executable, "-m", "assistant.cli.main", "serve", "--port", str(port)],
                                env=guarded_env(indexed, log), cwd=REPO_ROOT, stdout=out,
                                stderr=subprocess.STDOUT)
        try:
            page = wait_for_page(url, proc)
            assert "Regiowijzer" in page
            # one question through the same queue a browser uses, so answering is covered too
            client = Client(url, verbose=False, download_files=False, analytics_enabled=False)
            chat = client.submit("Wat is regiodenken?", "vraag", [], [], [],
                                 api_name="/ask").result(timeout=120)[0]
            assert "#bron-1-1" in chat[-1]["content"][0]["text"]  # a cited answer
        finally:
            proc.terminate()  # SIGTERM: a background process may ignore Ctrl+C (SIGINT)
            try:
                proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait(timeout=30)
    assert attempts(log) == [], (f"outbound network attempted: {attempts(log)}\n"
                                 f"{output.read_text(encoding='utf-8')}")
