"""Infer route-map steps for text the report did not tag itself, from the route-map cue words."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping, Sequence


def fold(text: str) -> str:
    """Lowercase without diacritics, so cue words match 'financiële' and 'financiele' alike."""
    decomposed = unicodedata.normalize("NFKD", text.lower())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def cue_counts(text: str, cues: Mapping[int, Sequence[str]]) -> dict[int, int]:
    """How often each step's cue words occur (as word prefixes) in the text."""
    folded = fold(text)
    counts: dict[int, int] = {}
    for step, words in cues.items():
        total = 0
        for cue in words:
            pattern = r"\b" + re.escape(fold(cue))
            total += len(re.findall(pattern, folded))
        counts[step] = total
    return counts


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
