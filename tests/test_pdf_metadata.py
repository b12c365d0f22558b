"""A PDF's own title and author reach the source list when bronnen.toml does not describe it;
bronnen.toml still wins when it does."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from seed import pristine_corpus

from ingest.config import Settings
from ingest.index.corpusdata import default_source_info
from ingest.read import read_document

CORPUS = pristine_corpus()
DEJAVU = Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf")
TEXT = ("Werkgeversdienstverlening in de arbeidsmarktregio vraagt om een gezamenlijk "
        "werkgeversservicepunt van gemeenten en UWV. ") * 6


def make_pdf(path: Path, title: str | None, author: str | None) -> Path:
    from fpdf import FPDF

    pdf = FPDF()
    if DEJAVU.exists():
        pdf.add_font("dejavu", fname=str(DEJAVU))
        pdf.set_font("dejavu", size=12)
    else:
        pdf.set_font("helvetica", size=12)
    if title:
        pdf.set_title(title)
    if author:
        pdf.set_author(author)
    pdf.add_page()
    pdf.multi_cell(0, 8, TEXT)
    path.write_bytes(bytes(pdf.output()))
    return path


@pytest.mark.parametrize("author, expected", [
    ("Gemeente Emmen, afdeling Werk", "Gemeente Emmen, afdeling Werk"),
    ("Microsoft Office User", None),  # what the tool fills in says nothing
    ("  ", None),
    (None, None),
])
def test_the_pdf_author_is_read_and_becomes_the_default_source_author(tmp_path, author, expected):
    path = make_pdf(tmp_path / "werkgevers.pdf", "Werkgevers in de regio", author)
    raw = read_document(path)
    assert raw.author_hint == expected
    info = default_source_info(path, raw.title_hint, raw.author_hint)
    assert (info.title, info.author) == ("Werkgevers in de regio", expected)


@pytest.mark.slow
def test_an_uploaded_pdf_is_cited_with_its_own_author_and_bronnen_toml_wins(tmp_path, embedder):
    from assistant.present.references import reference_line
    from assistant.service import Assistant
    from ingest.build import ingest

    corpus = tmp_path / "corpus"
    corpus.mkdir()
    for name in ("routekaart.toml", "plaatsen.toml", "begrippen.toml"):
        shutil.copy(CORPUS / name, corpus / name)
    make_pdf(corpus / "werkgevers.pdf", "Werkgevers in de regio", "Gemeente Emmen, afdeling Werk")
    settings = Settings(home=tmp_path / "home", corpus_dir=corpus)
    ingest(settings, progress=False, embedder=embedder)
    answer = Assistant.from_settings(settings, embedder=embedder).ask(
        "Hoe werken gemeenten en UWV samen in de werkgeversdienstverlening?")
    cited = next(c for c in answer.citations if c.passage.doc_id == "werkgevers-pdf")  # id from the file name
    assert cited.author == "Gemeente Emmen, afdeling Werk"
    assert "Gemeente Emmen, afdeling Werk" in reference_line(cited)
    assert "auteur onbekend" not in reference_line(cited)

    (corpus / "bronnen.toml").write_text(
        '[[document]]\nfile = "werkgevers.pdf"\nid = "werkgevers"\ntitle = "Werkgevers"\n'
        'author = "UWV"\nkind = "handreiking"\n', encoding="utf-8")
    ingest(settings, progress=False, embedder=embedder)
    again = Assistant.from_settings(settings, embedder=embedder).ask(
        "Hoe werken gemeenten en UWV samen in de werkgeversdienstverlening?")
    assert next(c for c in again.citations if c.passage.doc_id == "werkgevers").author == "UWV"
