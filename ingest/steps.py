"""Infer route-map steps for text the report did not tag itself, from the route-map cue words."""

from __future__ import annotations

import re
import unicodedata
from bisect import bisect_left
from collections import Counter
from collections.abc import Mapping, Sequence
from itertools import accumulate

_WORD = re.compile(r"\w+")
_AFTER_LAST = "\U0010ffff"


def fold(text: str) -> str:
    """Lowercase without diacritics, so cue words match 'financiële' and 'financiele' alike."""
    decomposed = unicodedata.normalize("NFKD", text.lower())
    if decomposed.isascii():
        return decomposed
    marks = [c for c in set(decomposed) if unicodedata.combining(c)]
    if not marks:
        return decomposed
    return re.sub("[" + "".join(re.escape(c) for c in sorted(marks)) + "]", "", decomposed)


def _is_word_char(ch: str) -> bool:
    return ch.isalnum() or ch == "_"  # what the re module calls \w


class CueMatcher:
    """Counts, per step, how often its cue words occur as word prefixes (`\\b` + cue).

    Equal to summing `len(re.findall(r"\\b" + re.escape(fold(cue)), fold(text)))` over a step's
    cues, but linear in the text: a one-word cue is looked up in the sorted distinct words of
    the text (every word that starts with it), a cue of several words with str.find.
    """

    def __init__(self, cues: Mapping[int, Sequence[str]]) -> None:
        self.steps = {step: [fold(cue) for cue in words] for step, words in cues.items()}
        distinct = {cue for words in self.steps.values() for cue in words}
        self._single = sorted(c for c in distinct if _WORD.fullmatch(c))
        self._phrases = sorted(c for c in distinct if c and _is_word_char(c[0])
                               and not _WORD.fullmatch(c))
        self._other = sorted(distinct - set(self._single) - set(self._phrases))

    def counts(self, text: str) -> dict[int, int]:
        folded = fold(text)
        per_cue = self._single_counts(folded)
        per_cue.update({cue: _phrase_count(folded, cue) for cue in self._phrases})
        per_cue.update({cue: len(re.findall(r"\b" + re.escape(cue), folded)) for cue in self._other})
        return {step: sum(per_cue[cue] for cue in words) for step, words in self.steps.items()}

    def _single_counts(self, folded: str) -> dict[str, int]:
        words: Counter[str] = Counter()
        start = 0
        while start < len(folded):  # in pieces cut at a space, so no word is cut
            end = folded.find(" ", start + (1 << 20))
            end = len(folded) if end < 0 else end
            words.update(_WORD.findall(folded, start, end))
            start = end
        ordered = sorted(words)
        totals = [0, *accumulate(words[w] for w in ordered)]
        out = {}
        for cue in self._single:
            lo = bisect_left(ordered, cue)
            hi = bisect_left(ordered, cue + _AFTER_LAST, lo)
            out[cue] = totals[hi] - totals[lo]
        return out


def _phrase_count(folded: str, cue: str) -> int:
    """Non-overlapping occurrences of `cue` that start a word, as re.findall counts them."""
    count, at = 0, folded.find(cue)
    while at >= 0:
        if at == 0 or not _is_word_char(folded[at - 1]):
            count += 1
            at = folded.find(cue, at + len(cue))
        else:
            at = folded.find(cue, at + 1)
    return count


_MATCHERS: dict[tuple, CueMatcher] = {}


def _matcher(cues: Mapping[int, Sequence[str]]) -> CueMatcher:
    """One matcher per cue table (a document's sections all share the route map's)."""
    key = tuple((step, tuple(words)) for step, words in cues.items())
    matcher = _MATCHERS.get(key)
    if matcher is None:
        if len(_MATCHERS) >= 8:
            _MATCHERS.clear()
        matcher = _MATCHERS[key] = CueMatcher(cues)
    return matcher


def cue_counts(text: str, cues: Mapping[int, Sequence[str]]) -> dict[int, int]:
    """How often each step's cue words occur (as word prefixes) in the text."""
    return _matcher(cues).counts(text)


def infer_steps(text: str, cues: Mapping[int, Sequence[str]], min_hits: int = 2) -> list[int]:
    """The best-supported step, plus a runner-up that is nearly as strong; [] when nothing fits.

    Ties keep route-map order, so the result is deterministic.
    """
    counts = cue_counts(text, cues)
    ranked = sorted((c, -s) for s, c in counts.items() if c >= min_hits)
    if not ranked:
        return []
    ranked.reverse()
    best_count = ranked[0][0]
    chosen = [-s for c, s in ranked if c >= max(min_hits, 0.75 * best_count)][:2]
    return sorted(chosen)
