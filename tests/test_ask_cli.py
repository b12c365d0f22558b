"""`regiowijzer ask`: Markdown by default, JSON, exports, and a JSONL batch in one process."""

from __future__ import annotations

import json

import pytest

from assistant.cli.main import main

KEYS = {"id", "question", "mode", "backend", "abstained", "weak_basis", "notice", "region", "kind", "answer",
        "steps", "citations", "related"}
STEP_KEYS = {"step", "title", "wegwijzers", "citations"}
CITATION_KEYS = {"n", "doc_id", "title", "page", "section", "block", "text", "score"}
GRIP = "Hoe houdt de gemeenteraad grip op regionale samenwerking?"


@pytest.fixture
def indexed_home(corpus_index, embedder, monkeypatch):
    """The session's corpus index, and its already loaded model instead of a second copy."""
    settings, _ = corpus_index
    monkeypatch.setenv("REGIOWIJZER_HOME", str(settings.home))
    monkeypatch.setattr("ingest.index.embedders.make_embedder", lambda settings: embedder)
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
    assert 1 <= len(grip["related"]) <= 3 and GRIP not in grip["related"]  # from the question bank
    assert taart["abstained"] and "In de bronnen vind ik hierover niets." in taart["answer"]
    assert taart["related"] == []
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
    assert "Kern" in texts and "Handelingsopties" in texts
    assert any(t.startswith("[1] ") for t in texts)


def test_a_backend_that_cannot_be_set_up_answers_extractively_with_a_notice(indexed_home, monkeypatch,
                                                                           capsys):
    from assistant.compose import composer as composers

    def broken(settings):
        raise RuntimeError("geen verbinding mogelijk")

    monkeypatch.setitem(composers._FACTORIES, "ollama", broken)
    assert main(["ask", GRIP, "--llm", "ollama", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["backend"] == "none"
    assert "Taalmodel niet beschikbaar (geen verbinding mogelijk); extractief antwoord" in data["notice"]
    assert data["citations"], "the extractive answer still cites its sources"


def test_the_backend_named_by_the_environment_writes_the_answer(indexed_home, monkeypatch, capsys):
    """REGIOWIJZER_LLM alone (no --llm) selects the backend, as the README documents."""
    from llm_server import ScriptedLLMServer, say

    with ScriptedLLMServer() as server:
        monkeypatch.setenv("REGIOWIJZER_LLM", "openai")
        monkeypatch.setenv("REGIOWIJZER_LLM_URL", server.url("openai"))
        monkeypatch.setenv("REGIOWIJZER_LLM_TIMEOUT", "5")
        assert main(["ask", GRIP, "--json"]) == 0
        first = json.loads(capsys.readouterr().out)
        quote = first["citations"][0]["text"].split(". ")[0].lstrip("•' ")
        server.script(say(f"## Kort antwoord\n{quote}. [1]"))
        assert main(["ask", GRIP, "--json"]) == 0
        data = json.loads(capsys.readouterr().out)
        assert server.chat_requests(), "the configured server was asked"
    assert data["backend"] == "openai"
    assert quote in data["answer"]
    monkeypatch.setenv("REGIOWIJZER_LLM", "openai")
    assert main(["ask", GRIP, "--llm", "none", "--json"]) == 0, "the flag wins over the environment"
    assert json.loads(capsys.readouterr().out)["backend"] == "none"


def test_a_docx_saved_with_a_language_model_holds_the_models_text(indexed_home, monkeypatch, tmp_path,
                                                                   capsys):
    """`ask --out x.docx` with REGIOWIJZER_LLM set: the document says what the model wrote."""
    import docx
    from llm_server import ScriptedLLMServer, say

    assert main(["ask", GRIP, "--json"]) == 0
    first = json.loads(capsys.readouterr().out)
    quote = first["citations"][0]["text"].split(". ")[0].lstrip("•' ")
    out = tmp_path / "antwoord.docx"
    with ScriptedLLMServer() as server:
        monkeypatch.setenv("REGIOWIJZER_LLM", "openai")
        monkeypatch.setenv("REGIOWIJZER_LLM_URL", server.url("openai"))
        monkeypatch.setenv("REGIOWIJZER_LLM_TIMEOUT", "5")
        server.script(say(f"## Wat het model schrijft\nVolgens de bronnen: {quote}. [1]"))
        assert main(["ask", GRIP, "--out", str(out)]) == 0
    paragraphs = [p.text for p in docx.Document(str(out)).paragraphs]
    assert "Wat het model schrijft" in paragraphs
    assert f"Volgens de bronnen: {quote}. [1]" in paragraphs
    assert "Langs de routekaart" not in paragraphs, "the extractive body is not under it"
    assert any(p.startswith("[1] ") for p in paragraphs)


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
