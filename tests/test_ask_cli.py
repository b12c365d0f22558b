"""`regiowijzer ask`: Markdown by default, JSON, exports, and a JSONL batch in one process."""

from __future__ import annotations

import json

import pytest

from assistant.cli.main import main

KEYS = {"id", "question", "mode", "backend", "abstained", "weak_basis", "notice", "answer", "steps",
        "citations"}
STEP_KEYS = {"step", "title", "wegwijzers", "citations"}
CITATION_KEYS = {"n", "doc_id", "title", "page", "section", "block", "text", "score"}
GRIP = "Hoe houdt de gemeenteraad grip op regionale samenwerking?"


@pytest.fixture
def indexed_home(corpus_index, embedder, monkeypatch):
    """The session's corpus index, and its already loaded model instead of a second copy."""
    settings, _ = corpus_index
    monkeypatch.setenv("REGIOWIJZER_HOME", str(settings.home))
    monkeypatch.setattr("ingest.index.embedders.sbert.SentenceEmbedder", lambda *a, **k: embedder)
    return settings


def test_jsonl_writes_one_contract_line_per_question(indexed_home, tmp_path, capsys):
    questions = tmp_path / "vragen.jsonl"
    rows = [{"id": "q1", "question": GRIP}, {"id": 2, "question": "Wat is het recept voor appeltaart?"},
            {"id": "leeg", "question": "   "}]
    questions.write_text("\n".join(json.dumps(r) for r in rows) + "\n\n", encoding="utf-8")
    assert main(["ask", "--jsonl", str(questions)]) == 0
    lines = capsys.readouterr().out.strip().splitlines()
    assert len(lines) == 3
    out = [json.loads(line) for line in lines]
    assert [o["id"] for o in out] == ["q1", 2, "leeg"]
    for o in out:
        assert set(o) == KEYS and o["mode"] == "vraag" and o["backend"] == "none"
        assert all(set(s) == STEP_KEYS for s in o["steps"])
        assert all(set(c) == CITATION_KEYS for c in o["citations"])
        numbers = {c["n"] for c in o["citations"]}
        assert all(set(s["citations"]) <= numbers for s in o["steps"])
    grip, taart, leeg = out
    assert not grip["abstained"] and grip["citations"] and "## Kort antwoord" in grip["answer"]
    assert taart["abstained"] and "In de bronnen vind ik hierover niets." in taart["answer"]
    assert leeg["abstained"] and "leeg" in leeg["notice"]


def test_single_question_as_json_markdown_and_docx(indexed_home, tmp_path, capsys):
    import docx

    assert main(["ask", GRIP, "--json", "--mode", "notitie"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert set(data) == KEYS - {"id"} and data["mode"] == "notitie"
    out = tmp_path / "notitie.docx"
    assert main(["ask", GRIP, "--mode", "notitie", "--out", str(out)]) == 0
    captured = capsys.readouterr()
    assert captured.out.startswith("# Notitie:") and "opgeslagen" in captured.err
    texts = [p.text for p in docx.Document(str(out)).paragraphs]
    assert "Handelingsopties en aandachtspunten" in texts
    assert any(t.startswith("[1] ") for t in texts)


def test_llm_without_a_wired_backend_answers_extractively_with_a_notice(indexed_home, monkeypatch,
                                                                         capsys):
    import assistant.compose.llm as llm

    monkeypatch.delattr(llm, "composer_for", raising=False)
    assert main(["ask", GRIP, "--llm", "ollama", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["backend"] == "none"
    assert "LLM-backend nog niet beschikbaar; extractief antwoord" in data["notice"]


def test_empty_question_bad_suffix_and_bad_jsonl_give_dutch_errors(indexed_home, tmp_path, capsys):
    assert main(["ask", "  "]) == 2
    assert "geef een vraag" in capsys.readouterr().err
    assert main(["ask", GRIP, "--out", str(tmp_path / "a.pdf")]) == 2
    assert "kies .md of .docx" in capsys.readouterr().err
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"id": 1}\n', encoding="utf-8")
    assert main(["ask", "--jsonl", str(bad)]) == 2
    assert "regel 1" in capsys.readouterr().err


def test_missing_index_says_what_to_run(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("REGIOWIJZER_HOME", str(tmp_path / "leeg"))
    assert main(["ask", GRIP]) == 2
    assert "regiowijzer ingest" in capsys.readouterr().err
