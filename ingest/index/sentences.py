"""Dutch sentence splitting: passages never cut a sentence, so this must not split too eagerly."""

from __future__ import annotations

import re

# Abbreviations that end in a period but do not end a sentence (lowercase, without the final dot).
ABBREVIATIONS = frozenset(
    (
        "bijv", "bv", "o.a", "e.a", "e.d", "etc", "enz", "evt", "ca", "resp",
        "m.a.w", "d.w.z", "i.p.v", "t.a.v", "m.b.t", "n.a.v", "z.g.a.n", "zgn", "dr", "drs", "mr",
        "ir", "ing", "prof", "mw", "mevr", "dhr", "wnd", "p", "pp", "blz", "nr", "nrs", "vgl",
        "jl", "jr", "sr", "st", "al", "et", "al", "incl", "excl", "max", "min", "mld", "mln",
        "art", "lid", "hfdst", "fig", "tel",
    )
)

_BOUNDARY = re.compile(r"""(?<=[.!?…])(['"’”)\]]*)\s+(?=['"‘“(\[]*[A-ZÀ-Þ0-9•])""")


_CLOSERS = "'\"’”)]"
_WINDOW = 80  # an abbreviation or initial is short; look only at the end of a sentence


def _ends_with_abbreviation(chunk: str) -> bool:
    match = re.search(r"(\S+)\.$", chunk.rstrip(_CLOSERS))
    if not match:
        return False
    token = match.group(1).lower().lstrip("('\"‘“[")
    if token in ABBREVIATIONS or (token == "al" and chunk.lower().endswith("et al.")):
        return True
    # Initials ("J. van Zanen") and single letters ("a. De rechtmatige overheid").
    return len(token) == 1 and token.isalpha()


def _candidate_ends_with_abbreviation(text: str, start: int, end: int) -> bool:
    """`_ends_with_abbreviation(text[start:end])` without copying a long candidate: after a
    run of abbreviations the candidate grows, and checking all of it each time is quadratic."""
    if end - start <= _WINDOW:
        return _ends_with_abbreviation(text[start:end])
    tail = text[end - _WINDOW:end]
    stripped = tail.rstrip(_CLOSERS)
    if not stripped or not any(ch.isspace() for ch in stripped):
        return _ends_with_abbreviation(text[start:end])  # the last word is longer than the window
    return _ends_with_abbreviation(tail)  # same last word, same ending


def split_sentences(text: str) -> list[str]:
    """Split on . ! ? … followed by space and a capital/digit, except after abbreviations."""
    text = text.strip()
    if not text:
        return []
    sentences: list[str] = []
    start = 0
    for match in _BOUNDARY.finditer(text):
        end = match.start() + len(match.group(1))
        if _candidate_ends_with_abbreviation(text, start, end):
            continue
        sentences.append(text[start:end].strip())
        start = match.end()
    tail = text[start:].strip()
    if tail:
        sentences.append(tail)
    return sentences
