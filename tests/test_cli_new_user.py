"""The command line as a new user meets it: the first `ingest` says it builds and roughly how
long that takes; a subfolder gets its "overgeslagen" line (the question bank's data folder
does not); a file name with control characters is printed escaped; `passages | head` ends
quietly."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys

import pytest
from seed import pristine_corpus

from assistant.cli.main import main

pytestmark = pytest.mark.slow


@pytest.fixture
def small_corpus(tmp_path):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    for name in ("regiodenken.txt", "bronnen.toml", "routekaart.toml", "plaatsen.toml"):
        shutil.copy(pristine_corpus() / name, corpus / name)
    return corpus


def test_the_first_ingest_says_it_builds_and_lists_what_it_skips(small_corpus, tmp_path, monkeypatch,
                                                                  capsys, embedder):
    monkeypatch.setattr("ingest.index.embedders.make_embedder", lambda settings: embedder)
    (small_corpus / "notities").mkdir()
    (small_corpus / "notities" / "los.txt").write_text("Niet gelezen.", encoding="utf-8")
    (small_corpus / "vragenbank").mkdir()
    (small_corpus / "vragenbank" / "regiodenken.jsonl").write_text("", encoding="utf-8")
    (small_corpus / "a\x1b[31mb.txt").write_text("", encoding="utf-8")
    monkeypatch.setenv("REGIOWIJZER_HOME", str(tmp_path / "home"))

    assert main(["ingest", "--corpus", str(small_corpus)]) == 1
    err = capsys.readouterr().err
    assert "Er is nog geen index: Regiowijzer bouwt hem nu" in err
    assert "ongeveer" in err and ("minuut" in err or "minuten" in err)
    assert "Overgeslagen: notities: submap: niet gelezen" in err
    assert "vragenbank" not in err, "the question bank is data, not a skipped document"
    assert "Overgeslagen: a\\x1b[31mb.txt: " in err and "\x1b" not in err

    assert main(["ingest", "--corpus", str(small_corpus)]) == 1
    assert "Er is nog geen index" not in capsys.readouterr().err, "said on the first build only"


def test_passages_into_head_ends_quietly(small_corpus, tmp_path, embedder):
    from ingest.build import ingest
    from ingest.config import Settings

    home = tmp_path / "home"
    ingest(Settings(home=home, corpus_dir=small_corpus), progress=False, embedder=embedder)
    env = {**os.environ, "REGIOWIJZER_HOME": str(home), "REGIOWIJZER_CORPUS": str(small_corpus)}
    # The reader is gone before the first line (as `| head` is after its lines): every write fails.
    child = subprocess.Popen([sys.executable, "-m", "assistant.cli.main", "passages", "--jsonl"],
                             env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    child.stdout.close()
    stderr = child.stderr.read().decode("utf-8")
    assert child.wait(timeout=120) == 0
    assert stderr == "", stderr
