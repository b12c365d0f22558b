"""Archive bombs and oversized files: a zip-based file is checked before it is unpacked, the
text and passages one file may give are capped (settings), and each refusal is one Dutch skip
line with the reason. In the app, a second upload while one indexes says it is queued."""

from __future__ import annotations

import io
import os
import resource
import subprocess
import sys
import threading
import time
import tracemalloc
import zipfile
from pathlib import Path
from types import SimpleNamespace

import pytest

from ingest.config import REPO_ROOT
from ingest.read import ReadError, read_document

PARAGRAPH = b"<w:p><w:r><w:t>Regionale samenwerking vraagt om heldere afspraken.</w:t></w:r></w:p>"


def docx_bytes(paragraphs: int = 1, body: bytes | None = None) -> bytes:
    """A real DOCX (python-docx), its document.xml replaced by `paragraphs` paragraphs."""
    import docx

    out = io.BytesIO()
    docx.Document().save(out)
    source = zipfile.ZipFile(io.BytesIO(out.getvalue()))
    document = source.read("word/document.xml")
    head, _, tail = document.partition(b"<w:body>")
    body = body if body is not None else PARAGRAPH * paragraphs
    result = io.BytesIO()
    with zipfile.ZipFile(result, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as target:
        for item in source.infolist():
            data = source.read(item.filename)
            if item.filename == "word/document.xml":
                data = head + b"<w:body>" + body + b"</w:body></w:document>"
            target.writestr(item.filename, data)
    return result.getvalue()


@pytest.fixture(scope="module")
def bomb() -> bytes:
    """~100 KB that unpacks to ~80 MB of paragraphs."""
    return docx_bytes(900_000)


def test_a_docx_zip_bomb_is_refused_before_anything_is_unpacked(tmp_path, bomb):
    path = tmp_path / "bom.docx"
    path.write_bytes(bomb)
    assert len(bomb) < 400_000
    tracemalloc.start()
    start = time.monotonic()
    try:
        with pytest.raises(ReadError) as caught:
            read_document(path)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert "zip-bom" in str(caught.value) and "40 MB" in str(caught.value)
    assert "REGIOWIJZER_MAX_UNZIPPED_MB" in str(caught.value)
    assert time.monotonic() - start < 2
    assert peak < 10 * 1024 * 1024, f"{peak / 1e6:.0f} MB allocated while refusing"


def test_a_member_compressed_far_beyond_any_document_is_refused_under_the_size_limit(tmp_path):
    path = tmp_path / "klein.docx"
    path.write_bytes(docx_bytes(body=b"<w:p/>" * 2_000_000))  # 12 MB of nothing
    with pytest.raises(ReadError, match=r"word/document.xml is \d+ keer samengeperst \(limiet 100\)"):
        read_document(path)


def test_an_ordinary_docx_still_reads(tmp_path):
    path = tmp_path / "gewoon.docx"
    path.write_bytes(docx_bytes(20))
    assert "heldere afspraken" in read_document(path).pages[0].text


@pytest.mark.slow
def test_ingest_skips_bombs_and_files_over_the_text_and_passage_limits_with_the_reason(
        tmp_path, corpus_of, bomb):
    corpus = corpus_of()
    (corpus / "bom.docx").write_bytes(bomb)
    (corpus / "lang.txt").write_text("Een zin over de regio en werk. " * 4000, encoding="utf-8")
    (corpus / "veel.md").write_text("\n\n".join(
        f"## Deel {i}\n\nDeel {i} gaat over afspraak {i} tussen gemeente en werkgever." for i in range(60)),
        encoding="utf-8")
    (corpus / "gewoon.txt").write_text("Regionale samenwerking vraagt om heldere afspraken.\n\n"
                                       "De raad stelt kaders en volgt de resultaten.", encoding="utf-8")
    env = dict(os.environ, REGIOWIJZER_HOME=str(tmp_path / "home"), REGIOWIJZER_MAX_TEXT_MB="0.1",
               REGIOWIJZER_MAX_PASSAGES="40")
    start = time.monotonic()
    done = subprocess.run([sys.executable, "-m", "assistant.cli.main", "ingest", "--corpus",
                           str(corpus), "--quiet"], env=env, capture_output=True, text=True,
                          timeout=300, cwd=REPO_ROOT)
    took = time.monotonic() - start
    peak_mb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    assert done.returncode == 1, done.stderr
    lines = done.stderr.splitlines()
    assert any(line.startswith("Overgeslagen: bom.docx: uitgepakt groter dan de limiet van 40 MB")
               and "zip-bom" in line for line in lines), lines
    assert any(line.startswith("Overgeslagen: lang.txt: de tekst is langer dan de limiet van 0,1 "
                               "miljoen tekens (REGIOWIJZER_MAX_TEXT_MB)") for line in lines), lines
    assert any(line.startswith("Overgeslagen: veel.md: ") and "limiet van 40 per bestand "
               "(REGIOWIJZER_MAX_PASSAGES)" in line for line in lines), lines
    assert not any("gewoon.txt" in line for line in lines)
    assert took < 120, f"{took:.0f} s"
    assert peak_mb < 1500, f"the ingest peaked at {peak_mb:.0f} MB"


def test_a_second_upload_while_one_indexes_says_it_is_queued(tmp_path, corpus_copy, monkeypatch):
    from assistant.app.documents import QUEUED, CorpusEvents
    from assistant.app.state import Shared
    from ingest.build import IngestReport
    from ingest.config import Settings

    sys.path.insert(0, str(Path(__file__).parent))
    from test_app_events import FakeAssistant

    started, release = threading.Event(), threading.Event()

    def slow_reindex(settings, embedder=None):
        started.set()
        release.wait(10)
        return IngestReport(status="built", build=None, files=7, passages=210)

    monkeypatch.setattr("assistant.app.documents.reindex", slow_reindex)
    settings = Settings(home=tmp_path / "home", corpus_dir=corpus_copy)
    shared = Shared(FakeAssistant(), settings, admins=frozenset({"beheer"}))
    shared.reload = lambda: None
    cv = CorpusEvents(shared, "table", "remove_choice", "docs", "kinds", "status", "upload")
    admin, quiet = SimpleNamespace(username="beheer"), (lambda *a, **k: None)
    uploads = []
    for name in ("een.txt", "twee.txt"):
        path = tmp_path / "cache" / name
        path.parent.mkdir(exist_ok=True)
        path.write_text(f"Notulen {name} over regionale samenwerking.", encoding="utf-8")
        uploads.append(path)
    first: list = []
    runner = threading.Thread(target=lambda: first.extend(cv.add(str(uploads[0]), admin, progress=quiet)))
    runner.start()
    assert started.wait(10)
    second = cv.add(str(uploads[1]), admin, progress=quiet)
    told = next(second)["status"]
    assert told["value"] == QUEUED and "wachtrij" in QUEUED
    release.set()
    runner.join(10)
    done = list(second)[-1]["status"]["value"]
    assert done.startswith("**Toegevoegd:** twee.txt staat nu in de index.") and "Index bijgewerkt" in done
    assert first[-1]["status"]["value"].startswith("**Toegevoegd:** een.txt staat nu in de index.")
