"""Query expansion from the glossary: the words users type, mapped to the words the sources use.

A user asks about a "tekort aan technici"; the report says "technisch personeel". The glossary
(corpus/begrippen.toml) lists such pairs. A glossary phrase matches a question when its words
occur there in order: content words by stem (or as a part of a compound), small words
literally, so "naar ander werk" does not fire on every "werk". The matched entry's term, and
more weakly its other phrasings, are added to the BM25 query with weights below 1, so an
expansion can lift a passage without drowning the user's own words.

`strip_framing` drops the "Ik schrijf een notitie over …" framing, which says who is asking
and why, not what about, before the question reaches the rankers.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from ingest.index.dutch import DUTCH_STOPWORDS, QUERY_FILLER, fold

TERM_WEIGHT = 0.7  # tokens of a matched entry's term (the user's own words weigh 1.0)
SYNONYM_WEIGHT = 0.35  # its other phrasings; those the corpus lacks score nothing

# Framing that names the asker or the purpose, never the subject. "over" stays out of the
# patterns' reach when a topic follows: "een notitie over het tekort aan technici" keeps it.
_FRAMING = [
    r"\bik ben (?:net |pas |sinds kort |nieuw )*(?:begonnen als |gekozen als )?"
    r"(?:raadslid|gemeenteraadslid|wethouder|beleidsmedewerker|ambtenaar|trainer|griffier)"
    r"(?: in [\w' -]+?)?(?=[.,:;!?]|$| en )",
    r"\bik (?:schrijf|maak|werk aan|bereid) (?:een |het |mijn |aan een )?"
    r"(?:achtergrond)?(?:raadsvoorstel|voorstel|notitie|nota|memo|collegevoorstel|advies|stuk|"
    r"presentatie|training|sessie|workshop|les)\b(?: over\b)?",
    r"\b(?:voor|in) (?:een|de|mijn|onze) (?:sessie|training|workshop|cursus|bijeenkomst|"
    r"presentatie|les|leergang)(?: met [\w ]+?)?(?: over\b)?(?=[\s.,:;!?]|$)",
    r"\b(?:wat|hoe) (?:zeggen|zegt|staat) (?:de |het )?(?:bronnen|bron|onderzoek|handreiking|"
    r"rapport|stukken)(?: daar| daarover| erover| hierover)?(?: over)?(?=[\s.,:;!?]|$)",
    r"\bik (?:wil|zou) (?:ze|het|dit|die|dat) (?:graag )?gebruiken (?:als|in|voor) [\w ]+",
    r"\bgeef (?:me|mij) (?:een paar |enkele |wat )?",
    r"\bik zoek (?:een |naar een |naar )?",
    r"\bleg (?:in gewone woorden |kort |eens )?uit\b",
    r"\bklopt dat(?: beeld)?(?: volgens [\w ]+)?\b",
]
_FRAMING_RE = re.compile("|".join(f"(?:{p})" for p in _FRAMING), re.IGNORECASE)

_SMALL_WORDS = DUTCH_STOPWORDS | QUERY_FILLER
# A stem loses these endings ("eigenheid" -> "eig" = "eigen"); the key keeps them apart.
_DERIVATIONAL = ("heden", "heid", "ingen", "ing", "schappen", "schap", "isch", "ische")
_AMPERSAND = re.compile(r"(?<=\w)&(?=\w)")
_CLITIC = re.compile(r"'(?:s|ers?|tjes?)$")


def strip_framing(question: str) -> str:
    """The question without the asker's framing; the original when nothing would be left."""
    cleaned = _FRAMING_RE.sub(" ", question)
    cleaned = re.sub(r"\s+([.,:;!?])", r"\1", re.sub(r"\s{2,}", " ", cleaned))
    cleaned = re.sub(r"([.,:;!?])[.,:;!?]+", r"\1", cleaned).strip(" .,:;")
    return cleaned if re.search(r"\w{3,}", cleaned) else question


@dataclass(frozen=True)
class Match:
    """One glossary entry a question touched, and the phrase that touched it."""

    term: str
    phrase: str


@dataclass
class Expansion:
    """A weighted BM25 query: the question's own tokens at 1.0, expansions below."""

    weights: dict[str, float]
    original: tuple[str, ...]
    matches: list[Match] = field(default_factory=list)

    @property
    def added(self) -> dict[str, float]:
        return {t: w for t, w in self.weights.items() if t not in self.original}

    @property
    def terms(self) -> list[str]:
        return list(dict.fromkeys(m.term for m in self.matches))


@dataclass(frozen=True)
class _Entry:
    term: str
    phrases: tuple[tuple[str, tuple[str, ...]], ...]  # (phrase, word keys)
    tokens: dict[str, float]  # index tokens to add, with their weight


class GlossaryExpander:
    """Matches glossary phrases in a question and adds the entries' corpus terms."""

    def __init__(self, entries: Sequence, analyzer, term_weight: float = TERM_WEIGHT,
                 synonym_weight: float = SYNONYM_WEIGHT) -> None:
        from ingest.index.dutch import DutchAnalyzer

        self.analyzer = analyzer
        self._words = DutchAnalyzer(splitter=None, stem=analyzer.stem)
        self._entries: list[_Entry] = []
        for entry in entries:
            phrases = tuple((p, tuple(self._keys(p))) for p in (entry.term, *entry.synoniemen))
            # Whole-word stems only: the index holds compounds whole as well as split, and
            # the parts of an expansion ("organisatie" in "werknemersorganisaties") are vague.
            tokens: dict[str, float] = {}
            for phrase in entry.synoniemen if synonym_weight > 0 else ():
                for t in self._words.index_tokens(phrase):
                    tokens[t] = max(tokens.get(t, 0.0), synonym_weight)
            for t in self._words.index_tokens(entry.term) if term_weight > 0 else ():
                tokens[t] = term_weight
            content = tuple((p, k) for p, k in phrases if any(not x.startswith("=") for x in k))
            self._entries.append(_Entry(entry.term, content, tokens))
        self._by_term = {e.term: e for e in self._entries}
        # Phrases by their first key, so a question is matched in one pass over its words.
        self._by_first: dict[str, list[tuple[int, str, tuple[str, ...]]]] = {}
        for number, entry in enumerate(self._entries):
            for phrase, keys in entry.phrases:
                self._by_first.setdefault(keys[0], []).append((number, phrase, keys))

    @classmethod
    def from_glossary(cls, analyzer, path=None, **weights) -> GlossaryExpander:
        from ingest.index.corpusdata import load_glossary

        return cls(load_glossary(path), analyzer, **weights)

    @classmethod
    def for_index(cls, index) -> GlossaryExpander:
        """The glossary of the corpus the index was built from (the repository's when unknown)."""
        from ingest.index.corpusdata import GLOSSARY_FILE, find_data_file

        corpus = getattr(index.manifest, "corpus_dir", None)
        path = find_data_file(Path(corpus) if corpus else None, GLOSSARY_FILE)
        return cls.from_glossary(index.lexical.analyzer, path)

    def phrases(self) -> list[str]:
        """Every term and phrasing of the glossary, as written."""
        return [phrase for entry in self._entries for phrase, _ in entry.phrases]

    def _key(self, word: str) -> str | None:
        """How one written word is compared: its stem (with a derivational ending kept), or,
        for small words and words the analyzer drops ("o's", "P&O"), '=' plus the word."""
        literal = _literal(word)
        if not literal:
            return None
        stems = [] if literal in _SMALL_WORDS else self._words.query_tokens(word)
        if not stems:
            return "=" + literal
        ending = next((e for e in _DERIVATIONAL if literal.endswith(e)
                       and len(literal) > len(e) + 2), "")
        return f"{stems[-1]}#{ending}" if ending else stems[-1]

    def _keys(self, text: str) -> list[str]:
        return [k for k in (self._key(w) for w in _words(text)) if k]

    def _positions(self, question: str) -> list[set[str]]:
        """Per written word of the question: its key and the keys of its compound parts."""
        positions = []
        splitter = self.analyzer.splitter
        for word in _words(question):
            key = self._key(word)
            if key is None:
                continue
            keys = {key}
            literal = _literal(word)
            if not key.startswith("="):
                parts = [p for chunk in fold(word).split("-") for p in (chunk, *(
                    splitter.split(_literal(chunk)) if splitter else []))]
                keys.update(k for k in (self._key(p) for p in parts) if k)
                keys.add(literal)
            positions.append(keys)
        return positions

    def matches(self, question: str) -> list[Match]:
        """The entries whose phrases occur in the question, in glossary order."""
        positions = self._positions(question)
        found: dict[int, str] = {}
        for start, keys_here in enumerate(positions):
            for key in keys_here:
                for number, phrase, keys in self._by_first.get(key, ()):
                    if number not in found and _run_at(positions, start, keys):
                        found[number] = phrase
        return [Match(self._entries[n].term, found[n]) for n in sorted(found)]

    def expand(self, question: str) -> Expansion:
        original = tuple(dict.fromkeys(self.analyzer.query_tokens(question)))
        weights = {t: 1.0 for t in original}
        matched = self.matches(question)
        for m in matched:
            for token, weight in self._by_term[m.term].tokens.items():
                weights[token] = max(weights.get(token, 0.0), weight)
        return Expansion(weights=weights, original=original, matches=matched)


def _words(text: str) -> list[str]:
    """Written words; 'P&O' and 'B&W' stay one word instead of two dropped letters."""
    return _AMPERSAND.sub("", text).split()


def _literal(word: str) -> str:
    folded = _CLITIC.sub("", fold(word).strip(".,:;!?()[]\"'"))
    return re.sub(r"[^\w]+", "", folded)


def _run_at(positions: Sequence[set[str]], start: int, keys: Sequence[str]) -> bool:
    if start + len(keys) > len(positions):
        return False
    return all(key in positions[start + j] for j, key in enumerate(keys))
