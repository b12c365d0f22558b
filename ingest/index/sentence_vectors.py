"""Vectors of each passage's sentences, so an answer can quote the sentence closest in meaning to
the question, not only the one that shares its words (most questions share none with the
sentence that answers them).

Written at ingest with the passages' model, through the same vector cache; read with the index.
A build without them (made before they existed) simply has none, and answers fall back to words.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Sequence
from pathlib import Path

import numpy as np

from ingest.index.passage import Passage
from ingest.index.sentences import split_sentences

SENTENCES = "sentences.jsonl"
SENTENCE_VECTORS = "sentence-vectors.npy"
MIN_WORDS = 5  # shorter pieces are headings or fragments; an answer never quotes them


def passage_sentence_texts(passage: Passage) -> list[str]:
    """The passage's sentences as written (whitespace normalised), long enough to quote."""
    out: list[str] = []
    for paragraph in re.split(r"\n+", passage.text):
        for sentence in split_sentences(paragraph):
            text = " ".join(sentence.split())
            if len(text.split()) >= MIN_WORDS and text not in out:
                out.append(text)
    return out


def sentence_rows(passages: Sequence[Passage]) -> list[tuple[str, str]]:
    """(passage id, sentence) for every sentence of every passage, in order."""
    return [(p.id, text) for p in passages for text in passage_sentence_texts(p)]


def write_sentence_vectors(build: Path, rows: Sequence[tuple[str, str]],
                           embed: Callable[[list[str]], np.ndarray]) -> int:
    """Embed the sentence_rows with `embed` (texts -> vectors) and store them in the build."""
    vectors = embed([text for _, text in rows]) if rows else np.zeros((0, 0), dtype=np.float32)
    with (build / SENTENCES).open("w", encoding="utf-8") as out:
        for pid, text in rows:
            out.write(json.dumps({"passage": pid, "text": text}, ensure_ascii=False) + "\n")
    np.save(build / SENTENCE_VECTORS, np.asarray(vectors, dtype=np.float32))
    return len(rows)


def _core(text: str) -> str:
    return " ".join(text.split()).strip("…. ").lower()


class SentenceVectors:
    """Per passage, its sentences and their vectors; how close a quoted text is to a question."""

    def __init__(self, by_passage: dict[str, list[tuple[str, int]]], matrix: np.ndarray) -> None:
        self.by_passage = by_passage
        self.matrix = matrix

    @classmethod
    def load(cls, build: Path) -> SentenceVectors | None:
        """The build's sentence vectors, or None when it has none (or they do not fit)."""
        try:
            matrix = np.load(build / SENTENCE_VECTORS)
            lines = (build / SENTENCES).read_text(encoding="utf-8").splitlines()
        except (OSError, ValueError):
            return None
        if len(lines) != len(matrix):
            return None
        by_passage: dict[str, list[tuple[str, int]]] = {}
        for row, line in enumerate(lines):
            record = json.loads(line)
            by_passage.setdefault(record["passage"], []).append((_core(record["text"]), row))
        return cls(by_passage, matrix)

    def similarity(self, passage_id: str, text: str, query: np.ndarray) -> float | None:
        """Cosine of the question with the sentence(s) a quoted text is cut from or joins: the
        best of the passage's sentences that hold the text or that it holds. None when none do."""
        core = _core(text)
        rows = [row for sentence, row in self.by_passage.get(passage_id, ())
                if core in sentence or sentence in core]
        if not rows or not core:
            return None
        return float(np.max(self.matrix[rows] @ query))
