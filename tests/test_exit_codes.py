"""`regiowijzer ingest` exit status: 0 done, 1 done with skipped files, 2 failed with a Dutch
reason (never a traceback, never 1 for a real failure); and `make serve` stops on 2."""

from __future__ import annotations

import errno
import json
import os
import re
import socket
import subprocess
import sys

import pytest

import ingest.index.layout as layout
from assistant.cli.main import main
from ingest.config import REPO_ROOT, Settings
from ingest.index.reader import open_index

pytestmark = pytest.mark.slow

DUTCH_LINE = re.compile(r"^(Overgeslagen: |Let op: |Fout: |Index |Er |Een )")


@pytest.fixture
def cli_corpus(corpus_of, monkeypatch, tmp_path):
    corpus = corpus_of("regiodenken.txt")
    monkeypatch.setenv("REGIOWIJZER_HOME", str(tmp_path / "home"))
    return corpus


def _ingest(corpus) -> int:
    return main(["ingest", "--corpus", str(corpus), "--quiet"])


def test_disk_full_while_writing_fails_with_status_2_and_keeps_the_old_index(
        cli_corpus, monkeypatch, capsys, tmp_path):
    assert _ingest(cli_corpus) == 0
    settings = Settings(home=tmp_path / "home", corpus_dir=cli_corpus)
    before = layout.current_build(settings.index_root)
    (cli_corpus / "nieuw.txt").write_text("Een nieuw stuk over de regio en werkgevers. " * 20,
                                          encoding="utf-8")
    capsys.readouterr()

    def disk_full(*args, **kwargs):
        raise OSError(errno.ENOSPC, "No space left on device", "passages.jsonl")

    monkeypatch.setattr("ingest.index.layout.write_passages", disk_full)
    assert _ingest(cli_corpus) == 2
    err = capsys.readouterr().err
    assert "de schijf is vol" in err and "vorige index blijft actief" in err
    assert "Traceback" not in err and "No space left" not in err
    assert layout.current_build(settings.index_root) == before
    assert [p.name for p in settings.index_root.glob("build-*")] == [before.name]


def test_disk_full_at_the_swap_leaves_current_as_it_was(cli_corpus, monkeypatch, capsys, tmp_path):
    assert _ingest(cli_corpus) == 0
    settings = Settings(home=tmp_path / "home", corpus_dir=cli_corpus)
    before = layout.current_build(settings.index_root)
    (cli_corpus / "nieuw.txt").write_text("Een nieuw stuk over de regio en werkgevers. " * 20,
                                          encoding="utf-8")

    def no_room(index_root, build):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr("ingest.index.layout.activate", no_room)
    capsys.readouterr()
    assert _ingest(cli_corpus) == 2
    err = capsys.readouterr().err
    assert "kon niet actief worden (de schijf is vol" in err and "maak ruimte vrij" in err
    assert layout.current_build(settings.index_root) == before
    assert [p.name for p in settings.index_root.glob("build-*")] == [before.name]


def test_an_unusable_index_folder_is_status_2_and_an_unreadable_index_is_rebuilt(
        cli_corpus, capsys, tmp_path):
    home = tmp_path / "home"
    home.mkdir()
    (home / "index").write_text("geen map", encoding="utf-8")
    assert _ingest(cli_corpus) == 2
    err = capsys.readouterr().err
    assert err.startswith("Fout: De indexmap") and "Traceback" not in err
    (home / "index").unlink()

    assert _ingest(cli_corpus) == 0
    settings = Settings(home=home, corpus_dir=cli_corpus)
    broken = layout.current_build(settings.index_root)
    (broken / layout.MANIFEST).write_text("{ kapot", encoding="utf-8")
    capsys.readouterr()
    assert _ingest(cli_corpus) == 0, "an unreadable index is rebuilt, not a failure"
    assert "Index gebouwd" in capsys.readouterr().out
    assert open_index(settings).passages


def test_a_chroma_server_that_is_down_is_status_2_with_a_dutch_reason(cli_corpus, monkeypatch,
                                                                        capsys):
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    monkeypatch.setenv("REGIOWIJZER_CHROMA_URL", f"http://127.0.0.1:{port}")
    assert _ingest(cli_corpus) == 2
    err = capsys.readouterr().err
    assert "Chroma-server" in err and "niet bereikbaar" in err and "Traceback" not in err


def test_an_unexpected_error_is_status_2_not_1(cli_corpus, monkeypatch, capsys):
    def broken(*args, **kwargs):
        raise RuntimeError("kapotte parser")

    monkeypatch.setattr("ingest.build.ingest", broken)
    assert _ingest(cli_corpus) == 2
    err = capsys.readouterr().err
    assert "onverwachte fout" in err and "Traceback" not in err


def test_parser_warnings_become_a_dutch_warning_and_empty_files_are_empty(tmp_path, corpus_of):
    from fpdf import FPDF

    corpus = corpus_of("regiodenken.txt")
    pdf = FPDF()
    pdf.set_font("helvetica", size=11)
    pdf.add_page()
    pdf.multi_cell(0, 6, "Regionale samenwerking vraagt om een gedeelde agenda. " * 12)
    data = bytes(pdf.output())
    # A wrong startxref offset: pypdf repairs it and logs an English warning on stderr.
    data = re.sub(rb"startxref\n(\d+)", lambda m: b"startxref\n%d" % (int(m[1]) + 7), data)
    (corpus / "scheef.pdf").write_bytes(data)
    (corpus / "leeg.txt").write_text("", encoding="utf-8")
    (corpus / "ook-leeg.md").write_text("", encoding="utf-8")
    env = dict(os.environ, REGIOWIJZER_HOME=str(tmp_path / "home"))
    done = subprocess.run([sys.executable, "-m", "assistant.cli.main", "ingest", "--corpus",
                           str(corpus), "--quiet"], env=env, capture_output=True, text=True,
                          timeout=300, cwd=REPO_ROOT)
    assert done.returncode == 1, done.stderr
    lines = done.stderr.splitlines()
    assert lines and all(DUTCH_LINE.match(line) for line in lines), lines
    assert "Let op: scheef.pdf: PDF bevat fouten in de opmaak" in done.stderr
    assert "Overgeslagen: leeg.txt: bestand is leeg" in lines
    assert "Overgeslagen: ook-leeg.md: bestand is leeg" in lines
    rows = subprocess.run([sys.executable, "-m", "assistant.cli.main", "passages"], env=env,
                          capture_output=True, text=True, timeout=300, cwd=REPO_ROOT).stdout
    assert any(json.loads(r)["doc_id"] == "scheef-pdf" for r in rows.splitlines())


@pytest.mark.parametrize(("status", "serves"), [(0, True), (1, True), (2, False)])
def test_make_serve_stops_when_ingest_fails(tmp_path, status, serves):
    venv = tmp_path / "venv"
    (venv / "bin").mkdir(parents=True)
    log = tmp_path / "aangeroepen"
    script = venv / "bin" / "regiowijzer"
    script.write_text(f"#!/bin/sh\necho \"$1\" >> {log}\n"
                      f"[ \"$1\" = ingest ] && exit {status}\nexit 0\n", encoding="utf-8")
    script.chmod(0o755)
    (venv / ".installed-run").touch()  # newer than pyproject.toml: make installs nothing
    done = subprocess.run(["make", "-s", "-C", str(REPO_ROOT), "serve", f"VENV={venv}"],
                          capture_output=True, text=True, timeout=60)
    called = log.read_text().split()
    assert called[0] == "ingest"
    assert ("serve" in called) is serves
    assert (done.returncode == 0) is serves
