"""The LLM path end to end: the facade asks a real HTTP server on loopback, checks what comes
back against the sources, and falls back to the extractive answer when the server fails."""

from __future__ import annotations

import socket

import pytest
from answer_helpers import corpus_assistant
from llm_server import ScriptedLLMServer, say, status

from assistant.compose.composer import make_composer
from assistant.service import Assistant

pytestmark = pytest.mark.slow
QUESTION = "Hoe houdt de gemeenteraad grip op regionale samenwerking?"


@pytest.fixture
def llm_assistant(corpus_index, embedder, monkeypatch):
    settings, _ = corpus_index
    base = corpus_assistant(settings, embedder)

    def with_server(url: str) -> Assistant:
        monkeypatch.setenv("REGIOWIJZER_LLM_URL", url)
        monkeypatch.setenv("REGIOWIJZER_LLM_MODEL", "test-model")
        monkeypatch.setenv("REGIOWIJZER_LLM_TIMEOUT", "2")
        composer, notice = make_composer("openai")
        assert notice is None
        return Assistant(base.retriever, base.context, abstain_below=base.abstain_below,
                         caution_below=base.caution_below,
                         composer=composer)

    return with_server


def test_checked_llm_prose_cites_only_given_passages(llm_assistant):
    with ScriptedLLMServer() as server:
        assistant = llm_assistant(server.url("openai"))
        first = assistant.ask(QUESTION)  # learn which sentence [1] holds, then script a reply
        sentence = first.citations[0].passage.text.split(". ")[0].lstrip("•' ")
        server.script(say(f"## Kort antwoord\n{sentence}. [1]\n\nDit staat ook in bron [99]."))
        answer = assistant.ask(QUESTION)
    assert answer.backend == "openai"
    assert "[99]" not in answer.prose, "a citation to a passage that was not given is removed"
    assert "[1]" in answer.prose
    assert answer.notice and "99" in answer.notice
    assert "## Bronnen" in answer.meta["markdown"]
    assert "<bron" in server.chat_requests()[-1]["json"]["messages"][-1]["content"]


def test_the_model_gets_the_short_answers_claims_whole_with_their_sources(llm_assistant):
    with ScriptedLLMServer() as server:
        assistant = llm_assistant(server.url("openai"))
        extractive = Assistant(assistant.retriever, assistant.context,
                               abstain_below=assistant.abstain_below,
                               caution_below=assistant.caution_below).ask(QUESTION)
        server.script(say("## Kort antwoord\nIn de bronnen vind ik hierover niets."))
        assistant.ask(QUESTION)
    prompt = server.chat_requests()[-1]["json"]["messages"][-1]["content"]
    claims = prompt.split("het directst beantwoorden")[1].split("Vraag:")[0]
    quoted = [p for p in extractive.summary if p.origin == "source"]
    assert quoted
    for point in quoted:  # each as the reader would see it (a leaning sentence with its antecedent)
        numbers = ", ".join(map(str, point.citations))
        assert f"“{' '.join(point.text.split())}” [{numbers}]" in claims


def test_server_errors_fall_back_to_the_extractive_answer_with_a_notice(llm_assistant):
    with ScriptedLLMServer() as server:
        assistant = llm_assistant(server.url("openai"))
        server.script(status(500), status(500))
        answer = assistant.ask(QUESTION)
    assert answer.backend == "none" and answer.prose is None
    assert answer.notice and "extractieve antwoord" in answer.notice
    assert answer.citations and answer.steps


def test_a_dead_server_falls_back_quickly(llm_assistant):
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    answer = llm_assistant(f"http://127.0.0.1:{port}/v1").ask(QUESTION)
    assert answer.backend == "none"
    assert "extractieve antwoord" in (answer.notice or "")


def _stream_parts(assistant, question, **kwargs):
    parts = list(assistant.ask_stream(question, **kwargs))
    return [p for p in parts if isinstance(p, str)], parts[-1]


def test_streamed_answer_arrives_in_chunks_then_as_a_checked_answer(llm_assistant):
    from llm_server import cutoff

    with ScriptedLLMServer() as server:
        assistant = llm_assistant(server.url("openai"))
        first = assistant.ask(QUESTION)
        sentence = first.citations[0].passage.text.split(". ")[0].lstrip("•' ")
        server.script(say(f"## Kort antwoord\n{sentence}. [1]"))
        chunks, answer = _stream_parts(assistant, QUESTION)
        assert len(chunks) >= 2 and "".join(chunks).endswith("[1]")
        assert answer.backend == "openai" and "[1]" in answer.prose

        server.script(cutoff(f"## Kort antwoord\n{sentence}. [1] En verder", pieces=3))
        chunks, answer = _stream_parts(assistant, QUESTION)
        assert chunks, "the partial text was shown while it arrived"
        assert answer.backend == "none" and answer.prose is None
        assert "extractieve antwoord" in (answer.notice or "")


def test_follow_ups_are_condensed_by_the_model_when_there_is_one(llm_assistant):
    with ScriptedLLMServer() as server:
        assistant = llm_assistant(server.url("openai"))
        server.script(say("Wat is weefsel in regionale samenwerking?"), status(500))
        answer = assistant.ask("en wat betekent dat?", history=["Wat is weefsel?"])
        requests = server.chat_requests()
    assert "en wat betekent dat?" in requests[0]["json"]["messages"][-1]["content"]
    assert answer.citations and any("weefsel" in c.passage.text.lower() for c in answer.citations)
