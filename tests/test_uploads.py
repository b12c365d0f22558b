"""Uploads from the app: names from a browser cannot escape the corpus directory, sizes are
limited, nothing is half-written, a name the index never reads (a README) is refused, only an
indexed document can be removed (never a data file), and it is kept aside, not deleted."""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from assistant.app.uploads import (
    UPLOAD_SUFFIXES,
    UploadError,
    add_document,
    remove_document,
    report_markdown,
    safe_name,
    upload_outcome,
)
from ingest.read import SUPPORTED_SUFFIXES


@pytest.mark.parametrize(("name", "expected"), [
    ("../../x.pdf", "x.pdf"),
    ("..\\..\\Windows\\evil.docx", "evil.docx"),
    ("/etc/cron.d/job.txt", "job.txt"),
    ("Rapport 2024 (definitief).PDF", "Rapport-2024-definitief.pdf"),
    (".verborgen.txt", "verborgen.txt"),
    ("..pdf", "document.pdf"),
    ("regio\x00\n<script>.md", "regio-script.md"),
    ("Één regio — één aanpak.docx", "Één-regio-één-aanpak.docx"),
    ("x" * 300 + ".txt", "x" * 80 + ".txt"),
])
def test_safe_name_keeps_only_a_plain_file_name(name, expected):
    assert safe_name(name) == expected


@pytest.mark.parametrize("name", ["bronnen.toml", "script.sh", "geen-extensie", "", "../../"])
def test_safe_name_refuses_what_cannot_be_read(name):
    with pytest.raises(UploadError, match="niet ondersteund"):
        safe_name(name)


def test_every_upload_type_has_a_reader():
    assert set(UPLOAD_SUFFIXES) <= SUPPORTED_SUFFIXES


@pytest.fixture
def corpus(tmp_path):
    folder = tmp_path / "corpus"
    folder.mkdir()
    (folder / "bestaand.txt").write_text("Al in de bronnen.", encoding="utf-8")
    return folder


def upload(tmp_path, text: str = "Nieuwe tekst over regio's.", name: str = "upload.txt"):
    path = tmp_path / "gradio-cache" / name
    path.parent.mkdir(exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def test_add_copies_into_the_corpus_under_a_safe_unused_name(tmp_path, corpus):
    first = add_document(corpus, upload(tmp_path), "../../bestaand.txt", max_mb=1)
    assert first == corpus / "bestaand-2.txt"
    assert first.read_text(encoding="utf-8") == "Nieuwe tekst over regio's."
    assert not (tmp_path / "bestaand.txt").exists()
    assert sorted(p.name for p in corpus.iterdir()) == ["bestaand-2.txt", "bestaand.txt"]


def test_add_refuses_a_file_that_is_too_big_empty_or_already_there(tmp_path, corpus):
    with pytest.raises(UploadError, match="te groot"):
        add_document(corpus, upload(tmp_path, "x" * (1024 * 1024 + 1)), "groot.txt", max_mb=1)
    with pytest.raises(UploadError, match="leeg"):
        add_document(corpus, upload(tmp_path, ""), "leeg.txt", max_mb=1)
    with pytest.raises(UploadError, match="al in de bronnen, als bestaand.txt"):
        add_document(corpus, upload(tmp_path, "Al in de bronnen."), "kopie.txt", max_mb=1)
    assert [p.name for p in corpus.iterdir()] == ["bestaand.txt"], "nothing left behind"


def test_remove_moves_the_file_aside(tmp_path, corpus):
    trash = tmp_path / "home" / "verwijderd"
    moved = remove_document(corpus, "bestaand.txt", trash, {"bestaand.txt"})
    assert not (corpus / "bestaand.txt").exists()
    assert moved.parent == trash and moved.name.endswith("-bestaand.txt")
    assert moved.read_text(encoding="utf-8") == "Al in de bronnen."


@pytest.mark.parametrize("name", ["../corpus/bestaand.txt", "bronnen.toml", "regios.toml", ".hidden",
                                  "ontbreekt.txt", "readme.md", "overgeslagen.pdf", ""])
def test_remove_touches_nothing_but_an_indexed_document(tmp_path, corpus, name):
    for data in ("bronnen.toml", "regios.toml", "readme.md", "overgeslagen.pdf"):
        (corpus / data).write_text("x", encoding="utf-8")
    indexed = {"bestaand.txt", "regios.toml", "readme.md"}  # even a listing that names data files
    with pytest.raises(UploadError, match="geen document in de index"):
        remove_document(corpus, name, tmp_path / "verwijderd", indexed)
    assert {p.name for p in corpus.iterdir()} == {"bestaand.txt", "bronnen.toml", "regios.toml",
                                                  "readme.md", "overgeslagen.pdf"}


@pytest.mark.parametrize("name", ["readme.md", "README.txt", "Readme.markdown"])
def test_add_refuses_a_name_the_index_never_reads(tmp_path, corpus, name):
    with pytest.raises(UploadError, match="nooit als document gelezen"):
        add_document(corpus, upload(tmp_path), name, max_mb=1)
    assert [p.name for p in corpus.iterdir()] == ["bestaand.txt"]


def test_the_outcome_of_an_upload_says_whether_the_index_took_it():
    report = SimpleNamespace(skipped=[("kapot.pdf", "PDF is versleuteld")])
    assert upload_outcome("nieuw.txt", report) == (True, "**Toegevoegd:** nieuw.txt staat nu in de index.")
    kept, line = upload_outcome("kapot.pdf", report)
    assert not kept and line == "**Niet toegevoegd:** kapot.pdf is overgeslagen: PDF is versleuteld"


def test_report_summarises_an_ingest_in_dutch():
    report = SimpleNamespace(status="built", files=3, passages=120, removed=["oud.txt"],
                             skipped=[("kapot.pdf", "versleuteld <pdf>")], warnings=[])
    text = report_markdown(report)
    assert text.startswith("Index bijgewerkt: 2 van 3 bestanden, 120 passages, 1 verwijderd.")
    assert "- Overgeslagen: kapot.pdf: versleuteld &lt;pdf&gt;" in text
    odd = SimpleNamespace(status="built", files=1, passages=1, removed=[], warnings=[],
                          skipped=[("a\nb\x1b[31m.pdf", "leeg")])
    # control characters escaped
    assert "- Overgeslagen: a\\\\nb\\\\x1b\\[31m.pdf: leeg" in report_markdown(odd)
