"""BM25 over Dutch tokens (bm25s + Snowball Dutch), saved with its analyzer settings.

bm25s stores only token ids; the analyzer config (stemmer, stopwords, compound vocabulary)
is saved beside it so a reload tokenises queries exactly as the index was built.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path

import numpy as np

from assistant.dutch import CompoundSplitter, DutchAnalyzer

ANALYZER_FILE = "analyzer.json"
VOCAB_FILE = "compound_vocabulary.json"


def build_analyzer(texts: Sequence[str]) -> DutchAnalyzer:
    return DutchAnalyzer(splitter=CompoundSplitter.from_texts(texts))


def build_bm25(directory: Path, texts: Sequence[str], analyzer: DutchAnalyzer) -> None:
    import bm25s

    directory.mkdir(parents=True, exist_ok=True)
    tokens = [analyzer.index_tokens(t) or ["_leeg_"] for t in texts]
    retriever = bm25s.BM25()
    retriever.index(tokens, show_progress=False)
    retriever.save(str(directory), show_progress=False)
    (directory / ANALYZER_FILE).write_text(json.dumps(analyzer.to_config(), ensure_ascii=False),
                                           encoding="utf-8")
    vocabulary = analyzer.splitter.vocabulary if analyzer.splitter else {}
    (directory / VOCAB_FILE).write_text(json.dumps(vocabulary, ensure_ascii=False),
                                        encoding="utf-8")


class LexicalIndex:
    """Scores every passage for a query; rows are in the index's passage order."""

    def __init__(self, retriever, analyzer: DutchAnalyzer) -> None:
        self._retriever = retriever
        self.analyzer = analyzer
        self._vocab = set(retriever.vocab_dict)

    @classmethod
    def load(cls, directory: Path) -> LexicalIndex:
        import bm25s

        config = json.loads((directory / ANALYZER_FILE).read_text(encoding="utf-8"))
        vocabulary = json.loads((directory / VOCAB_FILE).read_text(encoding="utf-8"))
        analyzer = DutchAnalyzer.from_config(config, vocabulary)
        return cls(bm25s.BM25.load(str(directory)), analyzer)

    def query_tokens(self, query: str) -> list[str]:
        return [t for t in self.analyzer.query_tokens(query) if t in self._vocab]

    def scores(self, query: str) -> np.ndarray:
        tokens = self.query_tokens(query)
        if not tokens:
            return np.zeros(self._retriever.scores["num_docs"], dtype=np.float32)
        return np.asarray(self._retriever.get_scores(tokens), dtype=np.float32)
