"""Faults during ingest: a killed build never damages the index that is in use."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time

import pytest

from assistant.retrieval.hybrid import HybridRetriever
from ingest.build import ingest
from ingest.config import REPO_ROOT, Settings
from ingest.index.reader import open_index

pytestmark = pytest.mark.slow


def test_ingest_killed_at_any_point_leaves_the_previous_index_complete(tmp_path, embedder, corpus_of):
    corpus = corpus_of("regiodenken.txt", "vng-nieuws-werkende-samenwerking.txt")
    settings = Settings(home=tmp_path / "home", corpus_dir=corpus)
    ingest(settings, progress=False, embedder=embedder)
    before = open_index(settings)
    shutil.copy(REPO_ROOT / "corpus" / "handreiking-werkgeversdienstverlening.txt", corpus)

    env = dict(os.environ, REGIOWIJZER_HOME=str(settings.home))
    for delay in (0.3, 1.5, 4.0, 7.0, 9.0, 11.0):
        proc = subprocess.Popen(
            [sys.executable, "-m", "assistant.cli.main", "ingest", "--corpus", str(corpus), "--quiet"],
            env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, cwd=REPO_ROOT)
        time.sleep(delay)
        finished = proc.poll() is not None
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=30)
        index = open_index(settings)
        if finished or index.build != before.build:
            break  # the build completed before the kill: the swap is the only way in
        assert [p.id for p in index.passages] == [p.id for p in before.passages]
        assert HybridRetriever(index, embedder).search("grensgangers", k=2)

    report = ingest(settings, progress=False, embedder=embedder)
    after = open_index(settings)
    assert {p.doc_id for p in after.passages} == {
        "regiodenken", "vng-nieuws-werkende-samenwerking", "handreiking-werkgeversdienstverlening"}
    assert report.status in ("built", "unchanged")
    leftovers = {p.name for p in settings.index_root.glob("build-*")}
    assert after.build.name in leftovers and len(leftovers) <= 2
