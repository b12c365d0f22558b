"""Repair words that text extraction broke: line-end hyphenation and split PDF ligatures.

Decisions use evidence from the document itself (which spellings it uses elsewhere), so
"verschil-\\nlende" is joined while "Triple Helix-\\nsamenwerking" keeps its hyphen.
Pure functions; `Vocabulary` is built once per document and passed around.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections import Counter
from dataclasses import dataclass

# A word, possibly a hyphenated compound, that is not itself cut off by a line-end hyphen.
_TOKEN = re.compile(r"(?<![\w-])\w+(?:-\w+)*(?![\w-])")
_HYPHEN_END = re.compile(r"(?P<word>\w+(?:-\w+)*)-$")
_NEXT_WORD = re.compile(r"^(?P<chunk>(?P<word>\w+)\S*)\s*(?P<rest>.*)$")
GLUE = "\u2060"  # WORD JOINER: "join the next text line to this one without a space"
# After "onderwijs-" these words mean a Dutch ellipsis ("onderwijs- en kennis..."), not a break.
_CONJUNCTIONS = frozenset({"en", "of", "tot", "als", "noch", "dan"})
# A PDF "fi"/"fl"/"ffi" ligature extracted as "f" + space + rest: "geograf ische", "f inanciële".
_LIGATURE_SPLIT = re.compile(r"\b(?P<left>\w*f)\s(?P<right>[il]\w+)")
_LIGATURE_TAILS = re.compile(r"^(?:isch|iciën|icien|inanc|iciel|icaat|icatie|lexib|ilos|luct)")


@dataclass(frozen=True)
class Vocabulary:
    """The words of one document, for deciding how to repair broken words."""

    counts: dict[str, int]  # lowercased tokens plus the parts of hyphenated tokens
    ordered: tuple[str, ...]  # the same words, sorted, for prefix look-ups
    names: frozenset[str]  # capitalised tokens seen in mid-sentence (proper names)

    @classmethod
    def from_text(cls, text: str) -> Vocabulary:
        tokens: Counter[str] = Counter()
        for chunk in _line_chunks(text):  # no token spans a newline; a list per chunk stays small
            tokens.update(_TOKEN.findall(chunk))
        counts: Counter[str] = Counter()
        for token, n in tokens.items():
            lower = token.lower()
            for word in {lower, *lower.split("-")}:  # once per occurrence, even "regio-regio"
                counts[word] += n
        names: set[str] = set()
        for match in _capitalised_tokens(text).finditer(text):
            token = match.group()
            if token not in names and not _starts_sentence(text, match.start()):
                names.add(token)
        return cls(dict(counts), tuple(sorted(counts)), frozenset(names))

    def is_word(self, word: str) -> bool:
        """Seen at least twice: a word the document really uses, not an extraction fragment."""
        return self.counts.get(word.lower(), 0) >= 2

    def has_prefix(self, prefix: str) -> bool:
        """True if some word of the document starts with `prefix` (covers inflections)."""
        prefix = prefix.lower()
        i = bisect_left(self.ordered, prefix)
        return i < len(self.ordered) and self.ordered[i].startswith(prefix)


def _line_chunks(text: str, size: int = 1 << 20):
    """`text` in pieces of about `size` characters, cut just after a newline."""
    start = 0
    while start < len(text):
        end = text.find("\n", start + size)
        end = len(text) if end < 0 else end + 1
        yield text[start:end]
        start = end


def _capitalised_tokens(text: str) -> re.Pattern[str]:
    """_TOKEN for the tokens that start with a capital: most tokens do not, and only these
    need the (Python-speed) sentence-start check."""
    capitals = sorted(c for c in set(text) if c.isupper() and (c.isalnum() or c == "_"))
    if not capitals:
        return re.compile(r"(?!x)x")
    return re.compile(rf"(?<![\w-])[{''.join(map(re.escape, capitals))}]\w*(?:-\w+)*(?![\w-])")


def _starts_sentence(text: str, index: int) -> bool:
    """True when the word at `index` opens a sentence, so its capital says nothing."""
    k = index - 1
    while k >= 0 and text[k].isspace():
        k -= 1
    return k < 0 or text[k] in ".?!:'\"(•"


def keep_hyphen(word: str, right: str, vocab: Vocabulary, *, sentence_start: bool = False) -> bool:
    """Decide whether `word`-<newline>`right` is a real compound hyphen rather than a line break.

    `word` is the (possibly hyphenated) text before the hyphen, `right` the first word after it.
    """
    left = word.rsplit("-", 1)[-1]
    if right[0].isupper() or right[0].isdigit() or left.isdigit():
        return True  # Noord-Holland, 2009-2010
    if vocab.has_prefix(f"{left}-{right}"):
        return True  # the document writes this compound with a hyphen elsewhere
    if vocab.has_prefix(left + right):
        return False  # ... or writes it joined: regionaal, innovatie
    if vocab.has_prefix(f"{left}-{right[:4]}"):
        return True  # a close relative is hyphenated: collega-wethouders, re-integratie
    if len(left) >= 2 and left.isupper():
        return True  # acronyms: HRM-werk, SUWI-operatie
    return left[0].isupper() and not sentence_start and left in vocab.names


def _glue_line(line: str, nxt: str, vocab: Vocabulary) -> str | None:
    """`line` ending in a broken word, re-ended with GLUE; None when it is not a hyphenation."""
    line = line.rstrip()
    end = _HYPHEN_END.search(line)
    start = _NEXT_WORD.match(nxt.strip())
    if not end or not start or start["word"].lower() in _CONJUNCTIONS:
        return None
    initial = _starts_sentence(line, end.start())
    keep = keep_hyphen(end["word"], start["word"], vocab, sentence_start=initial)
    return (line if keep else line[:-1]) + GLUE


def join_hyphenated_lines(lines: list[str], vocab: Vocabulary) -> list[str]:
    """Mark each line that ends in a broken word: the hyphen is kept or dropped and the line
    ends in GLUE, telling the unwrapper to join the next text line without a space.
    Nothing moves between lines, so line lengths keep telling where the margin was."""
    out = list(lines)
    # The next text line after line i: blanks (the report double-spaces) and page breaks
    # inside a word are skipped. Found walking backwards, so a long blank run costs once.
    following: int | None = None
    for i in range(len(out) - 1, -1, -1):
        line = lines[i]
        if following is not None and line.rstrip().endswith("-") and line.strip():
            out[i] = _glue_line(line, lines[following], vocab) or line
        if line.strip() and not line.startswith("\f"):
            following = i
    return out


def join_hyphenated(text: str, *, vocab: Vocabulary | None = None) -> str:
    """Rejoin "onder-\\nwijsinstellingen" -> "onderwijsinstellingen", keep real hyphens
    ("Noord-\\nHolland" -> "Noord-Holland"); the two lines merge at the joined word.

    Uses the document's own spellings (`vocab`, built from `text` when not given).
    """
    vocab = vocab or Vocabulary.from_text(text)
    glued = "\n".join(join_hyphenated_lines(text.split("\n"), vocab))
    return re.sub(GLUE + r"\s*", "", glued)


def repair_split_words(text: str, *, vocab: Vocabulary | None = None) -> str:
    """Rejoin ligatures split by a space ("geograf ische" -> "geografische"); never two words."""
    vocab = vocab or Vocabulary.from_text(text)

    def fix(match: re.Match[str]) -> str:
        left, right = match["left"], match["right"]
        if vocab.is_word(right):
            return match.group()  # "of in", "zelf in": two real words
        if (left + right).lower() in vocab.counts or _LIGATURE_TAILS.match(right.lower()):
            return left + right
        return match.group()

    return _LIGATURE_SPLIT.sub(fix, text)
