"""The question bank: data that people edit (validated with Dutch messages), tied to the corpus by
document + quote, and a retrieval signal that finds a passage by the questions it answers."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import pytest
from seed import pristine_corpus

from ingest.config import load_settings
from ingest.index.bank import (
    BANK_DIR,
    BankEntry,
    QuestionBank,
    load_bank,
    resolve,
    stale_line,
    write_bank,
)
from ingest.index.corpusdata import CorpusDataError
from ingest.index.passage import Passage

CORPUS = pristine_corpus()  # the shipped corpus, copied: never the user's own corpus/


def _passage(pid: str, text: str, doc: str = "doc") -> Passage:
    return Passage(id=f"{doc}:{pid}", doc_id=doc, title="T", kind="rapport", text=text, page=1,
                   section="S", block="tekst", steps=[], steps_inferred=False, wegwijzer=None,
                   speaker=None, places=[], research_pages=[], position=0)


def _entry(**fields) -> dict:
    return {"id": "b-1", "question": "Wat doet de raad?", "persona": "raadslid", "kind": "feit",
            "doc_id": "doc", "quotes": ["De raad stelt de kaders vast."], **fields}


def _write(folder: Path, *entries: dict, name: str = "doc.jsonl") -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_text("".join(json.dumps(e, ensure_ascii=False) + "\n" for e in entries), "utf-8")
    return path


def test_a_bad_line_names_the_file_the_line_and_the_problem_in_dutch(tmp_path):
    path = _write(tmp_path / BANK_DIR, _entry(), _entry(id="b-2", quotes=[]))
    with pytest.raises(CorpusDataError) as err:
        load_bank(tmp_path / BANK_DIR)
    assert err.value.path == path
    assert "regel 2" in str(err.value)
    assert "citaat" in str(err.value)

    _write(tmp_path / BANK_DIR, _entry(), _entry(persona="wethouder"))
    with pytest.raises(CorpusDataError, match="regel 2") as err:
        load_bank(tmp_path / BANK_DIR)
    assert "raadslid" in str(err.value)  # the allowed values are named

    _write(tmp_path / BANK_DIR, _entry(), _entry())
    with pytest.raises(CorpusDataError, match="id 'b-1' staat er al"):
        load_bank(tmp_path / BANK_DIR)

    (tmp_path / BANK_DIR / "doc.jsonl").write_text('{"id": "x", \n', "utf-8")
    with pytest.raises(CorpusDataError, match="regel 1.*geen geldige JSON"):
        load_bank(tmp_path / BANK_DIR)


def test_an_unanswerable_question_has_a_reason_and_no_quotes(tmp_path):
    good = _entry(id="n-1", quotes=[], answerable=False, reason="jaar")
    _write(tmp_path / BANK_DIR, good)
    assert load_bank(tmp_path / BANK_DIR)[0].reason == "jaar"
    _write(tmp_path / BANK_DIR, _entry(id="n-1", quotes=[], answerable=False))
    with pytest.raises(CorpusDataError, match="reden"):
        load_bank(tmp_path / BANK_DIR)
    assert load_bank(tmp_path / "nowhere") == []


def test_entries_follow_their_quote_to_whichever_passage_holds_it_and_stale_ones_are_named():
    passages = [_passage("a", "Inleiding over de regio."),
                _passage("b", "De raad stelt de kaders\nvast. Daarna volgt het college.")]
    entries = [BankEntry(**_entry()),  # the quote crosses a line break: whitespace does not count
               BankEntry(**_entry(id="b-2", quotes=["Daarna volgt het college.",
                                                    "De raad stelt de kaders vast."])),  # wrong order
               BankEntry(**_entry(id="b-3", quotes=["Deze zin staat nergens meer."])),
               BankEntry(**_entry(id="n-1", quotes=[], answerable=False, reason="cijfer"))]
    resolved = resolve(entries, passages)
    assert [(r.id, r.passage_id) for r in resolved.rows] == [("b-1", "doc:b"), ("n-1", None)]
    assert [e.id for e in resolved.stale] == ["b-2", "b-3"]
    line = stale_line(resolved.stale)
    assert line.startswith("Vragenbank: 2 vragen citeren tekst die niet meer in het document staat")
    assert "b-2, b-3" in line
    assert stale_line(resolved.stale[:1]).startswith("Vragenbank: 1 vraag citeert")
    assert stale_line([]) is None


def test_the_closest_bank_questions_come_back_best_first(tmp_path):
    rows = resolve([BankEntry(**_entry(id=f"b-{i}")) for i in range(3)],
                   [_passage("b", "De raad stelt de kaders vast.")]).rows
    write_bank(tmp_path, rows, lambda texts: __import__("numpy").eye(len(texts), 4, dtype="float32"))
    bank = QuestionBank.load(tmp_path)
    nearest = bank.nearest([0.1, 0.9, 0.2, 0.0], k=2)
    assert [(m.row.id, round(m.similarity, 2)) for m in nearest] == [("b-1", 0.9), ("b-2", 0.2)]
    assert QuestionBank.load(tmp_path / "empty") is None


def _corpus_passages() -> list[Passage]:
    from ingest.formats.base import ReadLimits
    from ingest.index.corpusdata import default_source_info, load_manifest, load_routekaart
    from ingest.pipeline import process_file
    from ingest.places import load_gazetteer

    routekaart = load_routekaart()
    gazetteer = load_gazetteer(CORPUS / "plaatsen.toml",
                               {r.naam: list(r.aliassen) for r in routekaart.regios})
    passages: list[Passage] = []
    for name, source in sorted(load_manifest(CORPUS).items()):
        passages += process_file(CORPUS / name, source, default_source_info, routekaart, gazetteer,
                                 ReadLimits()).passages
    return passages


def test_the_shipped_bank_quotes_its_documents_verbatim_and_covers_them():
    entries = load_bank(CORPUS / BANK_DIR)
    passages = _corpus_passages()
    resolved = resolve(entries, passages)
    assert resolved.stale == []  # every quote stands, in order, in one passage of its document
    answerable = [r for r in resolved.rows if r.answerable]
    assert len(answerable) >= 1500
    assert len(resolved.rows) - len(answerable) >= 200
    assert sum(r.kind == "trefwoord" for r in answerable) >= 250
    assert sum(e.everyday for e in entries) >= 400
    per_passage = Counter(r.passage_id for r in answerable)
    # every passage with something to ask about has five; shorter ones are captions, fragments,
    # a colophon; the foreword's closing thanks and signatures are the one longer exception
    # (corpus/vragenbank/README.md lists what the writers skipped)
    thin = [p.id for p in passages if len(p.text.split()) >= 40 and per_passage[p.id] < 5
            and not p.text.startswith("Ik wil de leden van de Denktank hartelijk danken")]
    assert thin == []


def _bank_corpus(corpus_of) -> Path:
    corpus = corpus_of("regiodenken.txt")
    _write(corpus / BANK_DIR,
           {"id": "z-1", "question": "Wat is een zwaluwstaartoverleg?", "persona": "raadslid",
            "kind": "definitie", "doc_id": "regiodenken", "quotes": [_answer()]},
           {"id": "z-2", "question": "Wie betaalde het zwaluwstaartoverleg?", "persona": "raadslid",
            "kind": "feit", "doc_id": "regiodenken", "quotes": ["Deze zin komt nergens voor."]},
           name="regiodenken.jsonl")
    return corpus


def _answer() -> str:
    """A sentence of regiodenken about grensgangers, as ingest cuts it."""
    from ingest.index.sentence_vectors import passage_sentence_texts

    return next(s for p in _corpus_passages() if p.doc_id == "regiodenken"
                for s in passage_sentence_texts(p) if "grensganger" in s and len(s.split()) > 8)


@pytest.mark.slow
def test_ingest_stores_the_bank_reports_stale_entries_and_search_finds_a_passage_by_its_questions(
        corpus_of, embedder, capsys):
    from assistant.cli.main import main
    from assistant.retrieval.hybrid import HybridRetriever, RetrievalConfig
    from ingest.index.reader import open_index

    corpus = _bank_corpus(corpus_of)
    settings = load_settings().with_(corpus_dir=corpus)
    assert main(["ingest", "--corpus", str(corpus), "--quiet"]) == 0
    out, err = capsys.readouterr()
    assert "1 vraag uit de vragenbank" in out
    assert "Vragenbank: 1 vraag citeert tekst die niet meer in het document staat" in err
    assert "z-2" in err

    index = open_index(settings, embedder.identity)
    assert [r.id for r in index.bank.rows] == ["z-1"]
    answer = _answer()
    holder = next(p.id for p in index.passages if answer in " ".join(p.text.split()))
    # the word is nowhere in the documents, only in the bank question that points to the passage
    with_bank = HybridRetriever(index, embedder).search("zwaluwstaartoverleg uitleg", k=3)
    without = HybridRetriever(index, embedder, config=RetrievalConfig(bank=False, bank_field_weight=0))
    assert with_bank[0].passage.id == holder
    assert [h.passage.id for h in without.search("zwaluwstaartoverleg uitleg", k=3)][:1] != [holder]
    # asked as the bank asks it, the bank's span is the answer candidate
    result = HybridRetriever(index, embedder).search("Wat is een zwaluwstaartoverleg?", k=5)
    assert result.answer_span is not None and result.answer_span.row.quotes == (answer,)


@pytest.mark.slow
def test_the_short_answer_quotes_the_span_people_tied_to_the_question(corpus_of, embedder):
    from assistant.service import Assistant

    corpus = _bank_corpus(corpus_of)
    settings = load_settings().with_(corpus_dir=corpus)
    from ingest.build import ingest

    ingest(settings, progress=False, embedder=embedder)
    assistant = Assistant.from_settings(settings, embedder=embedder)
    answer = assistant.ask("Wat is een zwaluwstaartoverleg?", mode="vraag")
    span = _answer()
    assert not answer.abstained
    assert span in " ".join(" ".join(p.text.split()) for p in answer.summary)


def _row(i: str, pid: str | None, question: str, kind: str = "feit", persona: str = "raadslid",
         doc: str = "doc"):
    from ingest.index.bank import BankRow

    return BankRow(id=i, question=question, persona=persona, kind=kind, doc_id=doc, passage_id=pid,
                   quotes=("q",) if pid else (), answerable=pid is not None)


def test_related_questions_follow_the_citations_and_skip_what_was_asked():
    from assistant.compose.related import related_questions

    rows = [_row("1", "p1", "Wat doet de raad?"), _row("2", "p1", "Wie betaalt de regio?"),
            _row("3", "p2", "raad kaders", kind="trefwoord"), _row("4", "p2", "Hoe begin je?"),
            _row("5", None, "In welk jaar was het?"), _row("6", "p3", "Wat is weefsel?"),
            _row("7", "p4", "Wat is structuur?")]
    # p1's first question was asked (in other capitals and punctuation), so its second is offered;
    # a keyword search and an unanswerable question never are; one per passage, three at most
    assert related_questions(rows, ["p1", "p2", "p1", "p3", "p4"], ["wat doet de raad"]) == [
        "Wie betaalt de regio?", "Hoe begin je?", "Wat is weefsel?"]
    assert related_questions([], ["p1"], []) == []


def test_example_questions_spread_over_kinds_and_documents_for_the_persona():
    from assistant.compose.related import example_questions

    rows = [_row("1", "p1", "Wat is weefsel?", kind="definitie", doc="a"),
            _row("2", "p2", "Wat is structuur?", kind="definitie", doc="b"),
            _row("3", "p3", "Hoe pakken we dit aan in onze regio?", kind="regio", doc="a"),
            _row("4", "p4", "Hoe begin je een agenda?", kind="aanpak", doc="b"),
            _row("5", "p5", "Welke stappen zijn er?", kind="lijst", persona="trainer")]
    assert example_questions(rows, "raadslid", 3) == [
        "Wat is weefsel?", "Hoe begin je een agenda?", "Hoe pakken we dit aan in onze regio?"]
    assert example_questions(rows, "trainer") == ["Welke stappen zijn er?"]
