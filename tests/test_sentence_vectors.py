"""Sentence vectors: written at ingest, read with the index, and used to quote the sentence that
answers a question in other words than the question's."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pytest
from answer_helpers import corpus_assistant, passage

from ingest.index.sentence_vectors import (
    SENTENCES,
    SentenceVectors,
    passage_sentence_texts,
    sentence_rows,
    write_sentence_vectors,
)

TEXT = ("De gemeente werkt samen met het onderwijs in de regio.\n"
        "En daarom komen de wethouders elke maand bij elkaar. "
        "Kort.")


def _embed(texts: list[str]) -> np.ndarray:
    """One axis per sentence, in order: sentence i is closest to query axis i."""
    return np.eye(len(texts), 8, dtype=np.float32)


def test_a_quoted_text_is_matched_to_the_sentence_it_was_cut_from(tmp_path):
    passages = [passage("p1", TEXT), passage("p2", "Een heel andere zin over de arbeidsmarkt hier.")]
    assert passage_sentence_texts(passages[0]) == [
        "De gemeente werkt samen met het onderwijs in de regio.",
        "En daarom komen de wethouders elke maand bij elkaar."]  # "Kort." is too short to quote
    assert write_sentence_vectors(tmp_path, sentence_rows(passages), _embed) == 3
    vectors = SentenceVectors.load(tmp_path)
    second = np.eye(8, dtype=np.float32)[1]
    # trimmed ("En " dropped, capitalised) and cut short with an ellipsis: still the second sentence
    trimmed = "Daarom komen de wethouders elke maand…"
    assert vectors.similarity("doc:p1", trimmed, second) == pytest.approx(1.0)
    # a claim that joins both sentences is as close as its closest sentence
    joined = ("De gemeente werkt samen met het onderwijs in de regio. En daarom komen de "
              "wethouders elke maand bij elkaar.")
    assert vectors.similarity("doc:p1", joined, second) == pytest.approx(1.0)
    assert vectors.similarity("doc:p1", "De gemeente werkt samen.", second) == pytest.approx(0.0)
    assert vectors.similarity("doc:p2", "Daarom komen de wethouders elke maand", second) is None


def test_a_build_without_sentence_vectors_or_with_a_torn_file_has_none(tmp_path):
    assert SentenceVectors.load(tmp_path) is None
    write_sentence_vectors(tmp_path, sentence_rows([passage("p1", TEXT)]), _embed)
    lines = (tmp_path / SENTENCES).read_text(encoding="utf-8").splitlines()
    (tmp_path / SENTENCES).write_text(lines[0] + "\n", encoding="utf-8")
    assert SentenceVectors.load(tmp_path) is None


@pytest.mark.slow
def test_ingest_embeds_the_sentences_of_everypassage(corpus_index, embedder):
    from ingest.index.reader import open_index

    settings, _ = corpus_index
    index = open_index(settings, embedder.identity)
    assert index.sentences is not None
    quotable = [p for p in index.passages if passage_sentence_texts(p)]
    assert {p.id for p in quotable} == set(index.sentences.by_passage)
    assert index.sentences.matrix.shape == (sum(len(passage_sentence_texts(p)) for p in quotable),
                                            embedder.dim)


@pytest.mark.slow
def test_the_short_answer_quotes_the_sentence_that_answers_in_other_words(corpus_index, embedder):
    """No content word of the question is in the answering sentence; its meaning is."""
    settings, _ = corpus_index
    question = ("De verhoudingen tussen de partners zijn verziekt en niemand gunt de ander iets. "
                "Wat voor trekker vraagt dat?")
    # the passage says it twice, for two kinds of distrust; either answers
    answers = ("elkaar niet vertrouwen, dan is er bemiddelend leiderschap nodig",
               "waar wantrouwen heerst en men liever niet samenwerkt, is een krachtig leider nodig")
    from assistant.service import Assistant

    assistant = corpus_assistant(settings, embedder)
    assert any(answer in p.text for p in assistant.ask(question).summary for answer in answers)

    by_words = Assistant(assistant.retriever, replace(assistant.context, sentence_vectors=None),
                         abstain_below=assistant.abstain_below, caution_below=assistant.caution_below)
    assert not any(answer in p.text for p in by_words.ask(question).summary for answer in answers)
