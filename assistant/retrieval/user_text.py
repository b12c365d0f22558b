"""Neutralise what a user can paste into a question but should never reach search, the log or an
export: terminal colour codes, NUL and other control characters, and invisible Unicode format
characters (right-to-left overrides, zero-width spaces) that can make text read differently."""

from __future__ import annotations

import re
import unicodedata

# ANSI escape sequences as a whole (ESC [ 31 m, ESC ] … BEL), so no "[31m" is left behind.
_ANSI = re.compile(r"\x1b(?:\[[0-?]*[ -/]*[@-~]|\][^\x07\x1b]*(?:\x07|\x1b\\)|[@-Z\\-_])")
_DROP = {"Cf", "Cs", "Co", "Cn"}  # format (bidi, zero-width), surrogate, private use, unassigned


def _keep(ch: str) -> str:
    category = unicodedata.category(ch)
    if category == "Cc":  # NUL, BEL, tab, newline …: a space keeps the words apart
        return " "
    return "" if category in _DROP else ch


def strip_invisible(text: str) -> str:
    """The text in NFC with escape sequences, control and invisible characters removed."""
    text = unicodedata.normalize("NFC", _ANSI.sub("", text))
    return "".join(map(_keep, text))
