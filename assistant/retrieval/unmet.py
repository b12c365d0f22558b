"""The index's side of the answer-type checks (needs.py): which years, words and names the
sources know, and the best passages' sentences with their closeness to the question."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from assistant.retrieval import needs
from ingest.index.passage import Passage


class NeedChecker:
    """Checks one index's searches for a question the sources cannot answer in kind."""

    def __init__(self, index, vocabulary: needs.Vocabulary, years: set[str]) -> None:
        self.index = index
        self.vocabulary = vocabulary
        self.years = years

    @classmethod
    def for_retriever(cls, retriever) -> NeedChecker:
        """Built once per retriever: the passages' words and years, the glossary's phrasings
        (a user's word for a source's term is not unknown) and the known places."""
        index = retriever.index
        texts = [p.text for p in index.passages]
        texts += [f"{p.title} {p.section} {p.heading}" for p in index.passages]
        glossary = retriever.expander  # the glossary's words count even where it does not expand
        if glossary is None:
            from assistant.retrieval.expand import GlossaryExpander

            glossary = GlossaryExpander.for_index(index)
        texts += glossary.phrases()
        texts += sorted(retriever.region_phrases().names)
        years: set[str] = set()
        for p in index.passages:
            years |= needs.years_in(p.text)
        return cls(index, needs.Vocabulary(texts), years)

    def check(self, text: str, passages: Sequence[Passage], query_vector) -> needs.Need | None:
        """What `text` (the question as searched) asks for that the sources cannot give, given
        its best FIGURE_SEARCH_DEPTH passages and its dense vector (None in a lexical search)."""
        return (needs.missing_year(text, self.years)
                or needs.unknown_name(text, self.vocabulary.knows)
                or needs.missing_figure(text, self._sentences(passages, query_vector), self._stems))

    def _stems(self, text: str) -> set[str]:
        return set(self.index.lexical.analyzer.query_tokens(text))

    def _sentences(self, passages: Sequence[Passage], query_vector) -> list[tuple[str, float | None]]:
        """The best passages' sentences, each with its cosine to the question when known."""
        vectors = getattr(self.index, "sentences", None)
        out: list[tuple[str, float | None]] = []
        for passage in passages:
            rows = vectors.by_passage.get(passage.id, []) if vectors is not None else []
            if rows and query_vector is not None:
                sims = vectors.matrix[[row for _, row in rows]] @ np.asarray(query_vector)
                out += [(sentence, float(sim)) for (sentence, _), sim in zip(rows, sims, strict=True)]
            else:
                out += [(passage.text, None)]
        return out
