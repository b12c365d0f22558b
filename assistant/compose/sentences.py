"""Sentences a composer may quote: split a passage, trim the edges, and check verbatim use.

Trimming only removes marks at the edges (bullets, wrapping quote marks, a page reference); no
word is dropped or changed. A sentence too long to quote whole, or one that starts mid-sentence,
is left out, not cut.
"""

from __future__ import annotations

import re

from assistant.compose.anaphora import figure_reference, leans_back
from ingest.index.sentences import split_sentences

MIN_WORDS = 5
MAX_WORDS = 55
MAX_JOINED_WORDS = 75  # a leaning sentence quoted with the one it leans on
ELLIPSIS = "…"

_WS = re.compile(r"\s+")
_ENDS = re.compile(r"[.!?:;]['\"’”)\]]*$")
_BULLET = re.compile(r"^(?:[•·▪◦*–-]\s*)+")
_ELIDED = re.compile(r"^(?:\[(?:\.\.\.|…)\]|\.\.\.|…)\s*")
_PAGE_REF = re.compile(r"\s*\((?:p|pp|blz)\.\s*[\d\s,–-]+\)\s*$", re.IGNORECASE)
_OPEN_QUOTES = "'\"‘“"
_CLOSE_QUOTES = "'\"’”"
_JUNK = re.compile(r"missing media|\[hier |^figuur \d|^tabel \d|^hoofdstuk \d|^zie |^vgl\.? |^bron: ",
                   re.IGNORECASE)


def normalize_ws(text: str) -> str:
    return _WS.sub(" ", text).strip()


def _has_closing_quote(text: str) -> bool:
    """A quote mark that closes a quotation: after a non-space, not inside a word (regio's)."""
    return bool(re.search(r"\S['’”\"](?![^\W\d_])", text))


def _strip_quotes(text: str) -> str:
    """Drop quote marks that wrap the sentence or that open or close a quotation outside it."""
    opens = text[:1] in _OPEN_QUOTES
    closes = text[-1:] in _CLOSE_QUOTES and text[-2:-1] in ".!?…"
    if opens and closes and not _has_closing_quote(text[1:-1]):
        return text[1:-1].strip()
    if opens and not _has_closing_quote(text[1:]):
        text = text[1:].lstrip()
    if closes:
        body = text[:-1]
        opened = any(q in body for q in "‘“") or re.search(r"(?:^|\s)['\"]", body)
        if not opened:
            text = body
    return text


def trim_sentence(sentence: str, max_words: int = MAX_WORDS, min_words: int = MIN_WORDS) -> str | None:
    """The quotable core of a sentence, or None when it is junk, too short or too long."""
    text = normalize_ws(sentence)
    text = _ELIDED.sub("", _BULLET.sub("", text))
    text = _PAGE_REF.sub("", text)
    text = _strip_quotes(text).strip()
    if not text or _JUNK.search(text) or text[:1].islower():
        return None  # junk, or a sentence that starts in the middle
    if not _ENDS.search(text) or text.endswith(("..", ELLIPSIS)):
        return None  # a heading, or a sentence that trails off
    if sum(1 for w in text.split() if w[:1].islower()) < 3:
        return None  # headings, names, figure captions
    if not min_words <= len(text.split()) <= max_words:
        return None
    return text


def passage_sentences(text: str, max_words: int = MAX_WORDS) -> list[str]:
    """Quotable sentences of a passage, in order; each occurs in the passage (see occurs_in)."""
    out: list[str] = []
    for paragraph in re.split(r"\n+", text):
        for sentence in split_sentences(paragraph):
            trimmed = trim_sentence(sentence, max_words=max_words)
            if trimmed and trimmed not in out:
                out.append(trimmed)
    return out


def self_contained(sentences: list[str], text: str, max_words: int = MAX_JOINED_WORDS) -> list[str]:
    """The sentences as claims a reader can follow without the passage: one that leans on its
    predecessor ("Daarom …", "Deze agenda …") is joined to it when the two stand together
    verbatim in the text and fit in max_words, and left out otherwise; a sentence that refers
    to a figure or table the reader does not see is left out."""
    out: list[str] = []
    for i, sentence in enumerate(sentences):
        if figure_reference(sentence):
            continue
        if not leans_back(sentence):
            out.append(sentence)
            continue
        previous = sentences[i - 1] if i else None
        if (previous is None or leans_back(previous) or figure_reference(previous)
                or is_question(previous)):  # a question is quoted as a question, on its own
            continue
        joined = f"{previous} {sentence}"
        if len(joined.split()) <= max_words and occurs_in(joined, text):
            out.append(joined)
    return out


def is_question(sentence: str) -> bool:
    return sentence.rstrip(_CLOSE_QUOTES + " ").endswith("?")


def _core(snippet: str) -> str:
    return normalize_ws(snippet).strip(ELLIPSIS + " ")


def occurs_in(snippet: str, text: str) -> bool:
    """True when the snippet is a verbatim piece of the text (whitespace normalised; the first
    letter may differ in case, and an ellipsis at either end marks trimming)."""
    core = _core(snippet)
    if not core:
        return False
    haystack = normalize_ws(text)
    return any(variant in haystack for variant in {core, core[:1].lower() + core[1:],
                                                   core[:1].upper() + core[1:]})
