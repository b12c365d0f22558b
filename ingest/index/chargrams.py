"""Character n-grams of content words: the fuzzy second lexical field beside the Dutch analyzer."""

from __future__ import annotations

from collections.abc import Mapping

from ingest.index.dutch import _CLITIC, _QUERY_DROP, _WORD, DUTCH_STOPWORDS, QUERY_FILLER, _digest, fold


class CharGramAnalyzer:
    """Overlapping character n-grams of each content word, for a fuzzy second field.

    Catches word forms that stemming and compound splitting keep apart: "technici" and
    "technisch", "Eindhovense" and "Eindhoven", "bijscholing" and "bij te scholen". Words are
    folded and marked at both ends ("#regio#"), so a gram at the edge of a word only matches an
    edge. Short words and stopwords carry no grams.
    """

    MIN_WORD = 4

    def __init__(self, n: int = 4) -> None:
        self.n = n

    def index_tokens(self, text: str) -> list[str]:
        return self._grams(text, DUTCH_STOPWORDS)

    def query_tokens(self, text: str) -> list[str]:
        return self._grams(text, _QUERY_DROP)

    def _grams(self, text: str, drop: frozenset[str]) -> list[str]:
        grams: list[str] = []
        for word in _WORD.findall(_CLITIC.sub("", fold(text))):
            if len(word) < self.MIN_WORD or word in drop:
                continue
            marked = f"#{word.replace('-', '')}#"
            grams.extend(marked[i:i + self.n] for i in range(len(marked) - self.n + 1))
        return grams

    def to_config(self) -> dict:
        return {"kind": "chargrams", "n": self.n, "min_word": self.MIN_WORD,
                "stopwords": _digest(sorted(DUTCH_STOPWORDS)),
                "query_filler": _digest(sorted(QUERY_FILLER))}

    @classmethod
    def from_config(cls, config: Mapping) -> CharGramAnalyzer:
        analyzer = cls(int(config.get("n", 4)))
        ours = analyzer.to_config()
        changed = sorted(k for k in ours.keys() | config.keys() if ours.get(k) != config.get(k))
        if changed:
            raise ValueError(f"character-gram analyzer differs from the index in {changed}; rebuild it")
        return analyzer
