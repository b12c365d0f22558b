"""A full disk says so, wherever it strikes: ingest into a real, small tmpfs (several sizes, so
the disk fills at different points: the vector cache, Chroma's SQLite, the BM25 files, the
passages) always ends with status 2 and "de schijf is vol" with what to do, never "onverwachte
fout" or "systeemfout". Needs permission to mount a tmpfs (root); skipped otherwise."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from ingest.config import REPO_ROOT

pytestmark = pytest.mark.slow
TEXT = ("Regionale samenwerking vraagt om heldere afspraken tussen gemeenten en werkgevers.\n\n"
        "De raad stelt kaders en volgt de resultaten van de arbeidsmarktregio. ") * 3


@pytest.fixture
def small_disk(tmp_path):
    mounted: list[Path] = []

    def make(size: str) -> Path:
        where = tmp_path / f"schijf-{size}"
        where.mkdir()
        done = subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(where)],
                              capture_output=True)
        if done.returncode != 0:
            pytest.skip("a tmpfs cannot be mounted here (needs root)")
        mounted.append(where)
        return where

    yield make
    for where in mounted:
        subprocess.run(["umount", str(where)], capture_output=True)


@pytest.mark.skipif(sys.platform != "linux", reason="tmpfs")
@pytest.mark.parametrize("size", ["16k", "100k", "200k", "400k"])
def test_a_full_disk_at_any_point_of_an_ingest_says_so_with_what_to_do(size, small_disk, corpus_of):
    corpus = corpus_of()
    (corpus / "notitie.txt").write_text(TEXT, encoding="utf-8")
    home = small_disk(size) / "home"
    env = dict(os.environ, REGIOWIJZER_HOME=str(home))
    done = subprocess.run([sys.executable, "-m", "assistant.cli.main", "ingest", "--corpus",
                           str(corpus), "--quiet"], env=env, capture_output=True, text=True,
                          timeout=300, cwd=REPO_ROOT)
    assert done.returncode == 2, done.stderr
    line = done.stderr.strip()
    assert "de schijf is vol" in line and "maak ruimte vrij" in line, line
    assert "vorige index blijft actief" in line
    assert "onverwachte fout" not in line and "systeemfout" not in line and "Traceback" not in line
    assert not (home / "index" / ".ingest.lock").exists()
