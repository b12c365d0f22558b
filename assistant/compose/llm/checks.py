"""Post-generation checks: citations must name given passages, cited sentences must share content with them.

The support test is lexical on purpose (cheap, deterministic, explainable): after Dutch stemming
and compound splitting, a cited sentence is supported when at least half of its content words
(SUPPORT_RATIO), or at least SUPPORT_SHARED of them, occur in the passages it cites. Two content
words match when their stems are equal or one stem (of 4+ letters) starts the other (vroeg ~
vroegtijdig). An uncited sentence is a claim unless it is a question, a label or heading, sits
under a questions/stelling/oefening heading, speaks about the sources ("… zeggen de bronnen
niets"), or has fewer than CLAIM_MIN_WORDS content words (a connective; short claims slip by).
Unsupported sentences are kept and marked with MARK rather than removed: removing would tear
holes in lists and headings, and a reader can still see what the model claimed.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import lru_cache

from ingest.index.dutch import CompoundSplitter, DutchAnalyzer, fold
from ingest.index.sentences import split_sentences

MARK = "[niet onderbouwd]"
ABSTAIN = "In de bronnen vind ik hierover niets."
SUPPORT_RATIO = 0.5
SUPPORT_SHARED = 4
CLAIM_MIN_WORDS = 4  # an uncited sentence with fewer content words is a connective, not a claim
LABEL_MAX_WORDS = 12  # a line without closing punctuation and at most this many words is a label

CITATION = re.compile(r"[ \t]*\[(\d+(?:\s*[,;–-]\s*\d+)*)\]")
_HEADING = re.compile(r"^(?:#{1,6}\s+(?P<h>.+?)\s*#*|\*\*(?P<b>[^*]+?)\*\*:?|__(?P<u>[^_]+?)__:?)$")
_PREFIX = re.compile(r"^(\s*(?:(?:[-*+•]|\d+[.)]|>)\s+)*)")
_LEAD_LABEL = re.compile(r"^(?:\*\*[^*]+\*\*|__[^_]+__):?\s*")
_WORD = re.compile(r"[^\W_]+(?:-[^\W_]+)*")
# Sections whose lines need no citation: "Vragen die u in de raad kunt stellen", "Gespreksvragen …",
# "Stelling", "Oefening" (a word end, so "Definieer het vraagstuk" is not one of them).
_NON_CLAIM_SECTION = re.compile(r"(vragen|vraag|stelling(en)?|oefening(en)?|opdracht(en)?)\b")
_NON_CLAIM_LABEL = re.compile(r"^[*_]*(stelling|oefening|opdracht|vraag|vragen)\b", re.IGNORECASE)
# "Over stap 4 zeggen de bronnen niets.", "Geen voorbeelden in de bronnen.": about the sources, not a claim.
_ABOUT_SOURCES = re.compile(r"(?=.*\bbron(nen)?\b).*\b(niets|geen (voorbeelden|informatie|antwoord))\b",
                            re.IGNORECASE)
# Words that frame a claim rather than make it ("volgens de handreiking", "de auteurs benadrukken").
_FRAMING_WORDS = """
volgens bron bronnen passage passages tekst rapport jaarbericht handreiking auteur auteurs denktank
onderzoekers stelt stellen noemt noemen noemde beschrijft beschrijven benadrukt benadrukken wijst
wijzen geeft geven aan belangrijk belangrijke raadt raden aanbevolen beschreven genoemd kortom
"""
_FRAMING = frozenset(_FRAMING_WORDS.split())


@dataclass(frozen=True)
class Checked:
    text: str
    removed: list[str] = field(default_factory=list)  # citation markers dropped or shortened, as written
    invalid_citations: list[int] = field(default_factory=list)
    unsupported: list[str] = field(default_factory=list)  # sentences now marked with MARK
    cited: list[int] = field(default_factory=list)  # valid citation numbers left in the text
    supported: int = 0  # cited sentences that passed the overlap test

    @property
    def changed(self) -> bool:
        return bool(self.removed or self.unsupported)


def parse_citation(inner: str) -> list[int]:
    """'1, 3' -> [1, 3]; '2-4' -> [2, 3, 4] (ranges capped at 20 numbers)."""
    numbers: list[int] = []
    for part in re.split(r"\s*[,;]\s*", inner.strip()):
        bounds = [int(x) for x in re.split(r"\s*[–-]\s*", part) if x]
        if len(bounds) == 2 and 0 <= bounds[1] - bounds[0] < 20:
            numbers.extend(range(bounds[0], bounds[1] + 1))
        else:
            numbers.extend(bounds)
    return numbers


def check_generated(text: str, passages_by_n: Mapping[int, str]) -> Checked:
    """Remove citations to unknown passages, then mark sentences the cited passages do not support."""
    text = text.replace("\r\n", "\n").replace("\r", "\n").strip()
    removed: list[str] = []
    invalid: set[int] = set()

    def fix(match: re.Match) -> str:
        numbers = list(dict.fromkeys(parse_citation(match.group(1))))
        good = [n for n in numbers if n in passages_by_n]
        if len(good) == len(numbers):
            return match.group(0)
        removed.append(match.group(0).strip())
        invalid.update(n for n in numbers if n not in passages_by_n)
        return f" [{', '.join(map(str, good))}]" if good else ""

    text = CITATION.sub(fix, text)
    support = _Support(passages_by_n)
    unsupported: list[str] = []
    supported = 0
    lines, section = [], ""
    for line in text.split("\n"):
        heading = _heading(line.strip())
        if not line.strip() or heading is not None:
            section = heading if heading is not None else section
            lines.append(line)
            continue
        prefix = _PREFIX.match(line).group(1)
        sentences, marked = _sentences(line[len(prefix):]), False
        for i, sentence in enumerate(sentences):
            verdict = _judge(sentence, section, support)
            supported += verdict == "supported"
            if verdict == "unsupported":
                unsupported.append(CITATION.sub("", sentence).strip())
                sentences[i], marked = _mark(sentence), True
        lines.append(prefix + " ".join(sentences) if marked else line)
    text = "\n".join(lines)
    cited = sorted({n for m in CITATION.finditer(text) for n in parse_citation(m.group(1))})
    return Checked(text, removed, sorted(invalid), unsupported, cited, supported)


def _heading(line: str) -> str | None:
    match = _HEADING.match(line)
    if match:
        return next(g for g in match.groups() if g).strip(" :")
    if line.endswith(":") and not CITATION.search(line) and len(line.split()) <= LABEL_MAX_WORDS:
        return line.strip("*_: ")
    return None


def _sentences(body: str) -> list[str]:
    """Split into sentences; a citation written after the full stop ('… stellen. [2]') stays with it."""
    parts = split_sentences(body)
    for i in range(1, len(parts)):
        lead = re.match(r"^(?:\[\d[^\]]*\]\s*)+", parts[i])
        if lead:
            parts[i - 1] += " " + lead.group(0).strip()
            parts[i] = parts[i][lead.end():]
    return [p for p in parts if p.strip()]


def _judge(sentence: str, section: str, support: _Support) -> str:
    numbers = {n for m in CITATION.finditer(sentence) for n in parse_citation(m.group(1))}
    claim = _LEAD_LABEL.sub("", CITATION.sub("", sentence).strip())  # "**Stap 4:** Personen …"
    if numbers:
        return "supported" if support.holds(claim, numbers) else "unsupported"
    bare = claim.rstrip(" *_\"'”’)")
    return "allowed" if _not_a_claim(bare, section, support) else "unsupported"


def _not_a_claim(text: str, section: str, support: _Support) -> bool:
    """Questions, labels, exercise text and statements about the sources need no citation."""
    label = not text.endswith((".", "!", "…")) and len(text.split()) <= LABEL_MAX_WORDS
    return (not text or text.endswith("?") or label
            or bool(_NON_CLAIM_SECTION.search(fold(section))) or bool(_NON_CLAIM_LABEL.match(text))
            or bool(_ABOUT_SOURCES.search(text)) or len(support.content_words(text)) < CLAIM_MIN_WORDS)


def _mark(sentence: str) -> str:
    """'… alles [1].' -> '… alles [1] [niet onderbouwd].'"""
    match = re.search(r"([.!?…]+[\"'”’)]*)$", sentence)
    if match:
        return f"{sentence[:match.start()].rstrip()} {MARK}{match.group(1)}"
    return f"{sentence.rstrip()} {MARK}"


@lru_cache(maxsize=1)
def _stemmer() -> DutchAnalyzer:
    return DutchAnalyzer()


class _Support:
    """Content words of the given passages, stemmed and split the same way as the sentences."""

    def __init__(self, passages_by_n: Mapping[int, str]):
        splitter = CompoundSplitter.from_texts(passages_by_n.values())
        self._analyzer = DutchAnalyzer(splitter)
        self._tokens = {n: set(self._analyzer.index_tokens(t)) for n, t in passages_by_n.items()}

    def content_words(self, text: str) -> list[list[str]]:
        """One token list (stem plus compound-part stems) per content word, framing words left out."""
        found = []
        for word in _WORD.findall(fold(text)):
            if word not in _FRAMING and (tokens := self._analyzer.index_tokens(word)):
                found.append(tokens)
        return found

    def holds(self, claim: str, numbers: set[int]) -> bool:
        pool = set().union(*(self._tokens.get(n, set()) for n in numbers))
        words = self.content_words(claim)
        if not words:
            return True
        shared = sum(any(_matches(t, pool) for t in tokens) for tokens in words)
        return shared >= SUPPORT_SHARED or shared / len(words) >= SUPPORT_RATIO


def _matches(token: str, pool: set[str]) -> bool:
    if token in pool:
        return True
    if len(token) < 4:
        return False
    return any(len(p) >= 4 and (p.startswith(token) or token.startswith(p)) for p in pool)
