"""What the composer knows besides the hits: the route map, the sources' bibliographic data,
and the Dutch tokens and term weights used to match sentences to a question."""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from assistant.compose.select import QueryTerm
from assistant.compose.sentences import passage_sentences, self_contained
from ingest.index.corpusdata import GlossaryEntry, Routekaart, SourceInfo
from ingest.index.dutch import fold, words
from ingest.index.passage import Passage

Tokenize = Callable[[str], list[str]]


def idf_from_texts(texts: Iterable[str], tokenize: Tokenize) -> dict[str, float]:
    docs = [set(tokenize(t)) for t in texts]
    df = Counter(t for d in docs for t in d)
    n = len(docs)
    return {t: math.log(1.0 + n / c) for t, c in df.items()}


@dataclass
class ComposerContext:
    routekaart: Routekaart
    index_tokens: Tokenize
    query_tokens: Tokenize
    idf: Mapping[str, float]
    sources: Mapping[str, SourceInfo] = field(default_factory=dict)  # by doc_id
    glossary: Sequence[GlossaryEntry] = ()
    sentence_vectors: object = None  # ingest.index.sentence_vectors.SentenceVectors, when built
    _tokens: dict[str, frozenset[str]] = field(default_factory=dict, repr=False)
    _sentences: dict[str, list[str]] = field(default_factory=dict, repr=False)
    _synonyms: list[tuple[str, list[str]]] = field(default_factory=list, repr=False)
    _places: dict[str, re.Pattern] = field(default_factory=dict, repr=False)

    def __post_init__(self) -> None:
        self._synonyms = [(e.term, [f" {' '.join(fold(s).split())} " for s in e.synoniemen])
                          for e in self.glossary]

    def warm(self, passages: Iterable[Passage]) -> None:
        """Split and tokenise every passage up front, so no user waits for it."""
        for passage in passages:
            for sentence in self.sentences(passage):
                self.tokens(sentence)

    def place_pattern(self, canonical: str) -> re.Pattern:
        """Whole-word pattern for a region's name and its aliases (or just the name given)."""
        pattern = self._places.get(canonical)
        if pattern is None:
            names = [canonical]
            for r in self.routekaart.regios:
                if r.naam == canonical:
                    names += list(r.aliassen)
            alternatives = "|".join(re.escape(n) for n in sorted(set(names), key=len, reverse=True))
            pattern = self._places[canonical] = re.compile(rf"(?<![\w-])(?:{alternatives})(?![\w-])")
        return pattern

    @property
    def unknown_idf(self) -> float:
        """Weight of a question word the corpus never uses: a middling word's weight."""
        values = sorted(self.idf.values())
        return values[len(values) // 2] if values else 1.0

    def tokens(self, text: str) -> frozenset[str]:
        cached = self._tokens.get(text)
        if cached is None:
            if len(self._tokens) > 50_000:
                self._tokens.clear()
            cached = self._tokens[text] = frozenset(self.index_tokens(text))
        return cached

    def sentences(self, passage: Passage) -> list[str]:
        key = f"{passage.id}\x00{hash(passage.text)}"
        cached = self._sentences.get(key)
        if cached is None:
            cached = self._sentences[key] = self_contained(passage_sentences(passage.text),
                                                           passage.text)
        return cached

    def _terms(self, text: str, factor: float = 1.0) -> list[QueryTerm]:
        terms = []
        for word in words(text):
            tokens = self.query_tokens(word)
            if tokens:
                weight = self.idf.get(tokens[0], self.unknown_idf)
                terms.append(QueryTerm(tokens[0], tuple(tokens[1:]), factor * weight))
        return terms

    def query_terms(self, question: str) -> list[QueryTerm]:
        """Content words of the question with idf weights; glossary terms that the user's
        words stand for join at half weight ("tekort" also looks for "mismatch")."""
        terms = self._terms(question)
        folded = f" {' '.join(fold(question).split())} "
        for term, synonyms in self._synonyms:
            if any(s in folded for s in synonyms):
                terms += self._terms(term, factor=0.5)
        seen: set[str] = set()
        unique = []
        for t in terms:
            if t.token not in seen:
                seen.add(t.token)
                unique.append(t)
        return unique

    def source(self, doc_id: str) -> SourceInfo | None:
        return self.sources.get(doc_id)


def simple_context(routekaart: Routekaart, texts: Sequence[str] = (),
                   sources: Mapping[str, SourceInfo] | None = None) -> ComposerContext:
    """A context with a plain lowercase tokenizer, for tests with literal passages."""
    def tokenize(text: str) -> list[str]:
        return [w for w in fold(text).replace("?", " ").split() if len(w) > 3]

    return ComposerContext(routekaart=routekaart, index_tokens=tokenize, query_tokens=tokenize,
                           idf=idf_from_texts(texts, tokenize), sources=dict(sources or {}))


def _from_record(record) -> SourceInfo:
    """A document bronnen.toml does not describe: what ingest found in the file itself (its
    title, and the author a PDF's metadata names)."""
    from ingest.index.corpusdata import DEFAULT_KIND

    return SourceInfo(id=record.doc_id, file=record.name, title=record.title or record.name,
                      author=getattr(record, "author", None), kind=record.kind or DEFAULT_KIND)


def build_context(index, corpus_dir: Path | None) -> ComposerContext:
    """The context for an opened index: its analyzer, term weights, route map and sources."""
    from ingest.index.corpusdata import (
        GLOSSARY_FILE,
        ROUTEKAART_FILE,
        CorpusDataError,
        find_data_file,
        load_glossary,
        load_manifest,
        load_routekaart,
    )

    analyzer = index.lexical.analyzer
    routekaart = load_routekaart(find_data_file(corpus_dir, ROUTEKAART_FILE))
    try:
        glossary = load_glossary(find_data_file(corpus_dir, GLOSSARY_FILE))
    except CorpusDataError:
        glossary = []
    try:
        by_file = load_manifest(corpus_dir) if corpus_dir is not None else {}
    except CorpusDataError:
        by_file = {}
    sources = {rec.doc_id: by_file.get(name) or _from_record(rec)
               for name, rec in index.manifest.files.items() if not rec.skipped}
    context = ComposerContext(
        routekaart=routekaart, index_tokens=analyzer.index_tokens,
        query_tokens=analyzer.query_tokens,
        idf=idf_from_texts((p.text for p in index.passages), analyzer.index_tokens),
        sources=sources, glossary=glossary, sentence_vectors=getattr(index, "sentences", None))
    context.warm(index.passages)
    return context
