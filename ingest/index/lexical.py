"""BM25 over Dutch tokens (bm25s + Snowball Dutch), saved with its analyzer settings.

bm25s stores only token ids; the analyzer config (stemmer, stopwords, compound vocabulary)
is saved beside it so a reload tokenises queries exactly as the index was built.
Queries may weigh their tokens (glossary expansions count for less than the user's words).
Beside the passage text, each build saves two lighter fields: the route-map text around each
passage (`route_context`) and character n-grams of the passage text, for word forms the
stemmer keeps apart.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from pathlib import Path

import numpy as np

from ingest.index.chargrams import CharGramAnalyzer
from ingest.index.dutch import CompoundSplitter, DutchAnalyzer

ANALYZER_FILE = "analyzer.json"
VOCAB_FILE = "compound_vocabulary.json"


def build_analyzer(texts: Sequence[str]) -> DutchAnalyzer:
    return DutchAnalyzer(splitter=CompoundSplitter.from_texts(texts))


def build_bm25(directory: Path, texts: Sequence[str], analyzer) -> None:
    """Index `texts` with `analyzer` (Dutch words or character grams) and save both."""
    directory.mkdir(parents=True, exist_ok=True)
    _bm25(texts, analyzer).save(str(directory), show_progress=False)
    (directory / ANALYZER_FILE).write_text(json.dumps(analyzer.to_config(), ensure_ascii=False),
                                           encoding="utf-8")
    splitter = getattr(analyzer, "splitter", None)
    vocabulary = splitter.vocabulary if splitter else {}
    (directory / VOCAB_FILE).write_text(json.dumps(vocabulary, ensure_ascii=False),
                                        encoding="utf-8")


def _bm25(texts: Sequence[str], analyzer):
    import bm25s

    tokens: dict[str, list[str]] = {}  # many passages may share one text (their wegwijzer's)
    for text in texts:
        if text not in tokens:
            tokens[text] = analyzer.index_tokens(text) or ["_leeg_"]
    retriever = bm25s.BM25()
    retriever.index([tokens[t] for t in texts], show_progress=False)
    return retriever


class LexicalIndex:
    """Scores every passage for a query; rows are in the index's passage order."""

    def __init__(self, retriever, analyzer) -> None:
        self._retriever = retriever
        self.analyzer = analyzer
        self._vocab = set(retriever.vocab_dict)

    @classmethod
    def load(cls, directory: Path) -> LexicalIndex:
        import bm25s

        config = json.loads((directory / ANALYZER_FILE).read_text(encoding="utf-8"))
        if config.get("kind") == "chargrams":
            analyzer = CharGramAnalyzer.from_config(config)
        else:
            vocabulary = json.loads((directory / VOCAB_FILE).read_text(encoding="utf-8"))
            analyzer = DutchAnalyzer.from_config(config, vocabulary)
        return cls(bm25s.BM25.load(str(directory)), analyzer)

    @classmethod
    def from_texts(cls, texts: Sequence[str], analyzer) -> LexicalIndex:
        """An in-memory index (not saved)."""
        return cls(_bm25(texts, analyzer), analyzer)

    @property
    def size(self) -> int:
        return int(self._retriever.scores["num_docs"])

    def known(self, token: str) -> bool:
        return token in self._vocab

    def query_tokens(self, query: str) -> list[str]:
        return [t for t in self.analyzer.query_tokens(query) if t in self._vocab]

    def scores(self, query: str) -> np.ndarray:
        return self.weighted_scores(dict.fromkeys(self.query_tokens(query), 1.0))

    def weighted_scores(self, weights: Mapping[str, float]) -> np.ndarray:
        """BM25 with a weight per query token: sum over tokens of weight x BM25 term score."""
        index = self._retriever.scores
        out = np.zeros(index["num_docs"], dtype=np.float32)
        vocab = self._retriever.vocab_dict
        for token, weight in weights.items():
            tid = vocab.get(token)
            if tid is None or weight == 0:
                continue
            start, end = index["indptr"][tid], index["indptr"][tid + 1]
            # Each document occurs once per token column, so plain fancy-index adding is safe.
            out[index["indices"][start:end]] += weight * index["data"][start:end]
        return out


    def presence(self, weights: Mapping[str, float]) -> np.ndarray:
        """Per passage, the summed weight of the query tokens it contains (each counted once)."""
        index = self._retriever.scores
        out = np.zeros(index["num_docs"], dtype=np.float32)
        vocab = self._retriever.vocab_dict
        for token, weight in weights.items():
            tid = vocab.get(token)
            if tid is not None:
                out[index["indices"][index["indptr"][tid]:index["indptr"][tid + 1]]] += weight
        return out


def route_context(passage, routekaart) -> str:
    """The route-map words around a passage: its wegwijzer's title, summary and cue words, the
    cue words of the perspective it describes, and the other names of the places it names.

    Searched as a separate, lighter field, so a question in route-map words ("informele
    momenten", "kwadrantenmodel") finds the right section without outranking the passage text.
    """
    parts: list[str] = []
    wegwijzers = {w.nummer: w for w in routekaart.wegwijzers}
    if passage.wegwijzer in wegwijzers:
        w = wegwijzers[passage.wegwijzer]
        parts += [w.titel, w.omschrijving, ", ".join(w.kernwoorden)]
    if passage.block == "perspectief":
        heading = passage.heading.lower()
        for p in routekaart.perspectieven:
            if p.naam.split()[0] in heading:
                parts += [p.omschrijving, ", ".join(p.kernwoorden)]
    regions = {r.naam: r for r in routekaart.regios}
    for place in passage.places:
        if place in regions:
            parts.append(" ".join(regions[place].namen))
    return "\n".join(parts)
