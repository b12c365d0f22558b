"""Nothing leaves the machine: the commands run with outbound network blocked, and the test
asserts that nothing but loopback was even attempted (telemetry, model hub, tokenizers)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from seed import pristine_corpus

from ingest.config import REPO_ROOT

pytestmark = pytest.mark.slow
GUARD = Path(__file__).parent / "netguard"


def run_guarded(args: list[str], home: Path, log: Path, model: str | None = None
                ) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items()
           if not k.startswith(("HF_", "TRANSFORMERS_", "ANONYMIZED_", "GRADIO_"))}
    env.update(PYTHONPATH=str(GUARD), NETGUARD_LOG=str(log), REGIOWIJZER_HOME=str(home))
    if model:
        env["REGIOWIJZER_EMBED_MODEL"] = model
    return subprocess.run([sys.executable, "-m", "assistant.cli.main", *args], env=env,
                          capture_output=True, text=True, timeout=600, cwd=REPO_ROOT)


@pytest.mark.parametrize("model", [None, "use-multilingual", "all-MiniLM-L6-v2"])
def test_ingest_and_search_make_no_outbound_connection(tmp_path, model):
    """With the default model and with each other model that ships in a package."""
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    for name in ("regiodenken.txt", "bronnen.toml", "routekaart.toml", "plaatsen.toml"):
        (corpus / name).write_bytes((pristine_corpus() / name).read_bytes())
    log = tmp_path / "network.log"
    home = tmp_path / "home"

    ingest = run_guarded(["ingest", "--corpus", str(corpus), "--quiet"], home, log, model)
    assert ingest.returncode == 0, ingest.stderr
    search = run_guarded(["search", "grensgangers en HR-professionals", "--k", "2"], home, log, model)
    assert search.returncode == 0, search.stderr
    assert "[1]" in search.stdout

    attempts = log.read_text(encoding="utf-8").splitlines() if log.exists() else []
    assert attempts == [], f"outbound network attempted: {attempts}"


def test_the_guard_itself_blocks_and_records(tmp_path):
    """The check above can fail: a real outbound attempt is caught and logged."""
    log = tmp_path / "network.log"
    env = dict(os.environ, PYTHONPATH=str(GUARD), NETGUARD_LOG=str(log))
    code = ("import socket\n"
            "try:\n    socket.create_connection(('192.0.2.1', 80), timeout=1)\n"
            "except OSError as e:\n    print('blocked', e)\n")
    out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True,
                         timeout=60)
    assert "blocked" in out.stdout
    assert "192.0.2.1" in log.read_text(encoding="utf-8")
