"""One ingest at a time: the lock file, stale locks, waiting, readers' builds and leftovers."""

from __future__ import annotations

import gc
import json
import os
import socket
import subprocess
import sys
import threading
import time

import pytest

import ingest.index.layout as layout
from assistant.retrieval.hybrid import HybridRetriever
from ingest.build import BUSY, IngestBusy, ingest
from ingest.config import REPO_ROOT, Settings
from ingest.index.lock import LOCK_FILE, IngestLock
from ingest.index.reader import open_index
from ingest.index.readers import READERS_DIR

pytestmark = pytest.mark.slow


@pytest.fixture
def small(corpus_of):
    corpus = corpus_of("regiodenken.txt")
    return Settings(home=corpus.parent / "home", corpus_dir=corpus)


def _dead_pid() -> int:
    proc = subprocess.Popen([sys.executable, "-c", "pass"])
    proc.wait()
    return proc.pid


def _write_lock(settings, host: str, pid: int, age_s: float = 0.0, flock: bool = False):
    settings.index_root.mkdir(parents=True, exist_ok=True)
    path = settings.index_root / LOCK_FILE
    path.write_text(json.dumps({"host": host, "pid": pid, "started": time.time() - age_s,
                                "token": "oud", "flock": flock}), encoding="utf-8")
    os.utime(path, (time.time() - age_s, time.time() - age_s))
    return path


def test_a_lock_left_by_a_dead_process_is_taken_over(small, embedder):
    lock = _write_lock(small, socket.gethostname(), _dead_pid())
    said: list[str] = []
    report = ingest(small, progress=False, embedder=embedder, say=said.append)
    assert report.status == "built"
    assert any("niet afgemaakt" in m for m in said)
    assert not lock.exists(), "the lock is given back after the ingest"


def test_a_reused_pid_without_the_flock_is_stale_too(small, embedder):
    _write_lock(small, socket.gethostname(), os.getpid(), flock=True)  # our pid, nobody's flock
    assert ingest(small, progress=False, embedder=embedder, say=lambda m: None).status == "built"


def test_another_hosts_lock_counts_until_it_is_old(small, embedder):
    _write_lock(small, "andere-server", 4242, age_s=60)
    with pytest.raises(IngestBusy, match=BUSY) as busy:
        ingest(small, progress=False, embedder=embedder, say=lambda m: None)
    assert busy.value.holder.host == "andere-server"
    _write_lock(small, "andere-server", 4242, age_s=2 * 3600)
    said: list[str] = []
    assert ingest(small, progress=False, embedder=embedder, say=said.append).status == "built"
    assert any("op andere-server" in m and "geen teken van leven" in m for m in said)


def test_the_app_fails_fast_and_the_command_waits_for_a_running_ingest(small, embedder):
    holder = IngestLock(small.index_root)
    holder.acquire()
    try:
        with pytest.raises(IngestBusy, match="Er wordt al geïndexeerd; probeer het zo opnieuw."):
            ingest(small, progress=False, embedder=embedder, wait=0)
        with pytest.raises(IngestBusy, match="nog steeds"):
            ingest(small, progress=False, embedder=embedder, wait=1, say=lambda m: None)
    finally:
        threading.Timer(2.0, holder.release).start()
    said: list[str] = []
    started = time.monotonic()
    report = ingest(small, progress=False, embedder=embedder, wait=60, say=said.append)
    assert report.status == "built" and time.monotonic() - started >= 1.0
    assert len(said) == 1 and said[0].startswith(f"Er loopt al een indexering (pid {os.getpid()}")
    assert "ik wacht" in said[0]


def test_two_ingest_commands_at_once_both_finish_and_build_once(tmp_path, corpus_of, embedder):
    corpus = corpus_of("regiodenken.txt", "vng-nieuws-werkende-samenwerking.txt")
    env = dict(os.environ, REGIOWIJZER_HOME=str(tmp_path / "home"))
    command = [sys.executable, "-m", "assistant.cli.main", "ingest", "--corpus", str(corpus),
               "--quiet"]
    procs = [subprocess.Popen(command, env=env, cwd=REPO_ROOT, stdout=subprocess.PIPE,
                              stderr=subprocess.PIPE, text=True) for _ in range(2)]
    results = [(p.wait(timeout=600), *p.communicate()) for p in procs]
    assert [rc for rc, _, _ in results] == [0, 0], results
    outs = sorted(out for _, out, _ in results)
    assert outs[0].startswith("Index gebouwd") and outs[1].startswith("Index is actueel"), outs
    assert all("Traceback" not in err for _, _, err in results)
    settings = Settings(home=tmp_path / "home", corpus_dir=corpus)
    assert [p.name for p in settings.index_root.glob("build-*")] == [
        layout.current_build(settings.index_root).name]
    assert not (settings.index_root / LOCK_FILE).exists()
    hits = HybridRetriever(open_index(settings, embedder.identity), embedder).search(
        "grensgangers", k=3)
    assert len(hits) == 3


def test_a_build_a_reader_has_open_is_kept_until_the_reader_lets_go(small, embedder):
    ingest(small, progress=False, embedder=embedder)
    reader = open_index(small, embedder.identity)
    first = reader.build
    for n in range(3):  # three more builds: without the reader only the last two would stay
        with (small.corpus_dir / "regiodenken.txt").open("a", encoding="utf-8") as fh:
            fh.write(f"\n\nExtra alinea {n} over samenwerking tussen gemeenten en werkgevers.\n")
        ingest(small, progress=False, embedder=embedder)
    assert first.is_dir() and (first / layout.MANIFEST).is_file()
    assert HybridRetriever(reader, embedder).search("grensgangers", k=2)
    assert len(list(small.index_root.glob("build-*"))) == 3
    del reader
    gc.collect()
    assert ingest(small, progress=False, embedder=embedder).status == "unchanged"
    assert not first.exists(), "once nobody reads it, the old build goes"
    assert len(list(small.index_root.glob("build-*"))) == 2


def test_a_dead_readers_marker_does_not_keep_a_build(small, embedder):
    ingest(small, progress=False, embedder=embedder)
    old = layout.current_build(small.index_root)
    markers = small.index_root / READERS_DIR
    markers.mkdir(exist_ok=True)
    dead = markers / f"{old.name}@{socket.gethostname()}@{_dead_pid()}@abcd"
    dead.touch()
    for n in range(2):
        (small.corpus_dir / f"extra-{n}.txt").write_text(
            "Een nieuw document over regionale samenwerking en werkgevers. " * 15,
            encoding="utf-8")
        ingest(small, progress=False, embedder=embedder)
    assert not old.exists() and not dead.exists()


def test_leftovers_of_a_killed_swap_are_cleaned_up_by_the_next_ingest(small, embedder):
    ingest(small, progress=False, embedder=embedder)
    root = small.index_root
    active = layout.current_build(root)
    (root / ".CURRENT.k1ll3d").write_text("build-half", encoding="utf-8")
    half = root / "build-20000101T000000-dead00"
    (half / "bm25").mkdir(parents=True)
    (half / "passages.jsonl").write_text("", encoding="utf-8")
    trash = root / ".trash-build-20000101T000000-dead01"
    (trash / "chroma").mkdir(parents=True)
    assert ingest(small, progress=False, embedder=embedder).status == "unchanged"
    assert sorted(p.name for p in root.iterdir() if p.name != READERS_DIR) == sorted(
        ["CURRENT", active.name])
    assert layout.current_build(root) == active
