"""`regiowijzer ingest --vragen`: a language model on loopback writes candidate questions for the
passages the bank does not cover; only candidates whose quote stands verbatim in the passage are
kept, in a folder a person reviews, and nothing generated counts before that."""

from __future__ import annotations

import json

import pytest
from llm_server import ScriptedLLMServer, say, status

from assistant.cli.main import main
from assistant.compose.llm.prompts import load_prompt
from assistant.compose.llm.questions import extractor_template, parse_candidates, verified
from ingest.config import load_settings
from ingest.index.bank import BANK_DIR, load_bank
from ingest.index.sentence_vectors import passage_sentence_texts

INVENTED = "Deze zin staat nergens in de passage en is door het model verzonnen."


def test_only_candidates_whose_quote_stands_in_the_passage_are_kept():
    passage = "De regio is groter dan de gemeente.\nWerkgevers kijken niet naar  gemeentegrenzen."
    reply = ("1. VRAAG: Kijken werkgevers naar grenzen? | CITAAT: “Werkgevers kijken niet naar "
             "gemeentegrenzen.”\n"
             f"VRAAG: Wat is verzonnen? | CITAAT: {INVENTED}\n"
             "Hier is nog wat uitleg van het model zonder vorm.\n"
             "VRAAG: Te kort? | CITAAT: De regio is\n")
    pairs = parse_candidates(reply)
    assert [q for q, _ in pairs] == ["Kijken werkgevers naar grenzen?", "Wat is verzonnen?", "Te kort?"]
    assert verified(pairs, passage) == [("Kijken werkgevers naar grenzen?",
                                         "Werkgevers kijken niet naar gemeentegrenzen.")]


def test_the_prompt_file_renders_into_the_extractors_template():
    prompt = load_prompt("vragen")
    assert prompt.fields == {"passage", "aantal"}
    template = extractor_template()
    assert "{context_str}" in template and "{num_questions}" in template
    assert "VRAAG:" in template and "CITAAT:" in template


def _env(monkeypatch, server):
    monkeypatch.setenv("REGIOWIJZER_LLM", "openai")
    monkeypatch.setenv("REGIOWIJZER_LLM_URL", server.url("openai"))
    monkeypatch.setenv("REGIOWIJZER_LLM_MODEL", "test-model")
    monkeypatch.setenv("REGIOWIJZER_LLM_TIMEOUT", "5")


@pytest.mark.slow
def test_ingest_vragen_writes_verified_candidates_for_review(corpus_of, embedder, monkeypatch, capsys):
    from ingest.index.reader import open_index

    corpus = corpus_of("regiodenken.txt")
    assert main(["ingest", "--corpus", str(corpus), "--quiet"]) == 0
    index = open_index(load_settings().with_(corpus_dir=corpus))
    targets = [p for p in index.passages if len(p.text.split()) >= 20]
    firsts = [passage_sentence_texts(p)[0] for p in targets]
    capsys.readouterr()

    with ScriptedLLMServer() as server:
        _env(monkeypatch, server)
        server.script(*(say(f"VRAAG: Waar gaat dit stuk {i} over? | CITAAT: {first}\n"
                            f"VRAAG: En verder? | CITAAT: {INVENTED}") for i, first in enumerate(firsts)))
        assert main(["ingest", "--corpus", str(corpus), "--quiet", "--vragen"]) == 0
        prompts = [r["json"]["messages"][-1]["content"] for r in server.chat_requests()]
    out = capsys.readouterr().out
    assert f"{len(targets)} kandidaatvragen voor {len(targets)} passages" in out
    assert f"{len(targets)} weggelaten" in out
    assert len(prompts) == len(targets) and targets[0].text.split()[0] in prompts[0]

    written = [json.loads(line) for path in sorted((corpus / BANK_DIR / "te-beoordelen").glob("*.jsonl"))
               for line in path.read_text(encoding="utf-8").splitlines()]
    assert [e["quotes"] for e in written] == [[first] for first in firsts]
    assert {e["origin"] for e in written} == {"gegenereerd"}
    assert load_bank(corpus / BANK_DIR) == []  # nothing counts before a person moves it into the bank

    # a second run asks nothing for passages whose candidates await review
    with ScriptedLLMServer() as server:
        _env(monkeypatch, server)
        assert main(["ingest", "--corpus", str(corpus), "--quiet", "--vragen"]) == 0
        assert server.chat_requests() == []
    assert "niets te maken" in capsys.readouterr().out


@pytest.mark.slow
def test_without_a_model_or_with_a_failing_one_nothing_is_written(corpus_of, embedder, monkeypatch, capsys):
    corpus = corpus_of("regiodenken.txt")
    assert main(["ingest", "--corpus", str(corpus), "--quiet", "--vragen"]) == 2
    assert "Vragen maken kan alleen met een taalmodel" in capsys.readouterr().err
    with ScriptedLLMServer() as server:
        _env(monkeypatch, server)
        server.script(*[status(500)] * 20)
        assert main(["ingest", "--corpus", str(corpus), "--quiet", "--vragen"]) == 2
    err = capsys.readouterr().err
    assert "het taalmodel gaf geen vragen" in err and "er zijn geen vragen geschreven" in err
    assert not (corpus / BANK_DIR / "te-beoordelen").exists()
