"""What a user of the command line waits for: `regiowijzer --help`, and `regiowijzer ask` in a
fresh process (model load, index open, one answer), next to a bare `import chromadb` as the
floor any process that opens the index pays. Each is timed in its own interpreter; the median
of a few runs is reported."""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

from ingest.config import REPO_ROOT

RUNS = 3


def _regiowijzer() -> list[str]:
    script = Path(sys.executable).with_name("regiowijzer")
    return [str(script)] if script.exists() else [sys.executable, "-m", "assistant.cli.main"]


def _seconds(cmd: list[str], env: dict[str, str], runs: int) -> float | None:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        done = subprocess.run(cmd, cwd=REPO_ROOT, env=env, stdout=subprocess.DEVNULL,
                              stderr=subprocess.DEVNULL, check=False)
        if done.returncode != 0:
            return None
        times.append(time.perf_counter() - start)
    return round(statistics.median(times), 2)


def bench_env(home: Path, corpus: Path, model: str | None = None) -> dict[str, str]:
    """The environment of a measured process: this run's home, corpus and embedding model."""
    env = dict(os.environ, REGIOWIJZER_HOME=str(home), REGIOWIJZER_CORPUS=str(corpus))
    if model:
        env["REGIOWIJZER_EMBED_MODEL"] = model
    return env


def command_times(home: Path, corpus: Path, question: str, runs: int = RUNS,
                  model: str | None = None) -> dict:
    """Seconds per command (None when it failed), with the model the index was built with."""
    env = bench_env(home, corpus, model)
    return {
        "help_s": _seconds([*_regiowijzer(), "--help"], env, runs),
        "ask_cold_s": _seconds([*_regiowijzer(), "ask", question], env, runs),
        "import_chromadb_s": _seconds([sys.executable, "-c", "import chromadb"], env, runs),
    }
