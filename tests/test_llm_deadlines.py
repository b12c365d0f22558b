"""Whole-call deadlines and the bounded pool of model calls, against the loopback server.

A server that trickles a piece every second never trips the client's read timeout; the total
deadline must still cut it off. One that sends nothing trips the first-token deadline. With
every slot taken, the next call fails at once ("busy") instead of waiting."""

from __future__ import annotations

import sys
import threading
import time
from pathlib import Path

import pytest

from assistant.compose.llm import LLMSettings, LLMUnavailable, load_llm_settings
from assistant.compose.llm.backends import ChatBackend
from assistant.compose.llm.compose import condense_followup, generate_answer, stream_answer

sys.path.insert(0, str(Path(__file__).parent))
from llm_server import ScriptedLLMServer, say, sleep, trickle  # noqa: E402
from test_llm import CITATIONS, GOOD  # noqa: E402

APIS = ("ollama", "openai")


@pytest.fixture(scope="module")
def server():
    with ScriptedLLMServer() as running:
        yield running


def backend(server, api, **settings) -> ChatBackend:
    server.script()
    values = {"timeout": 10.0, "first_token_s": 5.0, "total_s": 5.0, **settings}
    return ChatBackend(LLMSettings(backend=api, url=server.url(api), model="test-model", **values))


@pytest.mark.parametrize("api", APIS)
def test_a_trickling_stream_is_cut_off_at_the_total_deadline(server, api):
    chat = backend(server, api, total_s=2.5)
    server.script(trickle(GOOD, seconds=0.6))
    received, start = [], time.monotonic()
    with pytest.raises(LLMUnavailable) as caught:
        for chunk in stream_answer(chat, "vraag", "Weefsel", CITATIONS):
            received.append(chunk)
    elapsed = time.monotonic() - start
    assert 2.4 < elapsed < 3.5, f"cut off after {elapsed:.1f} s"
    assert received, "the text that came in time was shown"
    assert caught.value.kind == "deadline"
    assert caught.value.notice == ("Het antwoord van het taalmodel was niet binnen 2,5 s klaar; "
                                   "dit is het extractieve antwoord uit de bronnen.")


@pytest.mark.parametrize("api", APIS)
def test_no_first_token_in_time_is_a_deadline_too(server, api):
    chat = backend(server, api, first_token_s=1.0)
    server.script(sleep(8))
    start = time.monotonic()
    with pytest.raises(LLMUnavailable) as caught:
        list(stream_answer(chat, "vraag", "Weefsel", CITATIONS))
    assert time.monotonic() - start < 1.8
    assert caught.value.reason == "Het taalmodel begon niet binnen 1 s aan een antwoord"


def test_a_whole_reply_and_a_condensed_question_have_deadlines(server):
    chat = backend(server, "openai", first_token_s=0.8, total_s=1.5)
    server.script(trickle(GOOD, seconds=0.5))  # not streamed: nothing until it is all written
    start = time.monotonic()
    with pytest.raises(LLMUnavailable, match="niet binnen 1,5 s klaar"):
        generate_answer(chat, "vraag", "Weefsel", CITATIONS)
    assert time.monotonic() - start < 2.2
    server.script(sleep(8))
    start = time.monotonic()
    with pytest.raises(LLMUnavailable, match="niet binnen 0,8 s"):
        condense_followup(chat, [("Wat is weefsel?", "")], "en voor de raad?")
    assert time.monotonic() - start < 1.5


def test_with_every_slot_taken_the_next_call_is_refused_at_once(server):
    chat = backend(server, "ollama", parallel=2, first_token_s=5.0)
    server.script(sleep(1.5), sleep(1.5), say(GOOD))
    failures: list[str] = []

    def slow_answer() -> None:
        try:
            list(stream_answer(chat, "vraag", "W", CITATIONS))
        except LLMUnavailable as err:
            failures.append(err.kind)

    threads = [threading.Thread(target=slow_answer) for _ in range(2)]
    for t in threads:
        t.start()
    while len(server.chat_requests()) < 2:
        time.sleep(0.02)
    start = time.monotonic()
    with pytest.raises(LLMUnavailable) as caught:
        stream_answer(chat, "vraag", "W", CITATIONS)
    assert caught.value.kind == "busy" and time.monotonic() - start < 0.1
    assert caught.value.reason == "Het taalmodel is bezig met de vragen van andere gebruikers"
    for t in threads:
        t.join()
    assert len(failures) == 2, "the two slow answers failed on their own (the server hung up)"
    assert list(stream_answer(chat, "vraag", "W", CITATIONS)), "a slot is free again afterwards"


def test_deadline_settings_from_the_environment():
    settings = load_llm_settings({"REGIOWIJZER_LLM": "ollama", "REGIOWIJZER_LLM_FIRST_TOKEN_S": "7",
                                  "REGIOWIJZER_LLM_TOTAL_S": "30.5", "REGIOWIJZER_LLM_PARALLEL": "2"})
    assert (settings.first_token_s, settings.total_s, settings.parallel) == (7.0, 30.5, 2)
    defaults = LLMSettings()
    assert (defaults.first_token_s, defaults.total_s, defaults.parallel) == (20.0, 90.0, 4)
    with pytest.raises(ValueError, match="termijnen"):
        load_llm_settings({"REGIOWIJZER_LLM_TOTAL_S": "0"})
