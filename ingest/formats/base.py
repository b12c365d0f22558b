"""What every format reader shares: the user-facing error and the title junk filter."""

from __future__ import annotations

import re


class ReadError(Exception):
    """A file that cannot be read; str(err) is a Dutch reason shown after the file name."""


# Titles that authoring tools fill in by themselves and that say nothing about the document.
_JUNK_TITLES = frozenset(
    {"untitled", "naamloos", "zonder titel", "document", "title", "titel", "no title"}
)
_TOOL_PREFIX = re.compile(r"^(microsoft (word|powerpoint|excel)|word|powerpoint)\s*-\s", re.I)
_FILE_NAME = re.compile(r"\.(docx?|dotx?|pdf|odt|rtf|txt|pptx?|xlsx?|indd|qxp|html?)$", re.I)


# Authors that authoring tools or accounts fill in by themselves.
_JUNK_AUTHORS = frozenset({"user", "gebruiker", "admin", "administrator", "beheerder", "owner",
                           "author", "auteur", "unknown", "onbekend", "microsoft office user",
                           "microsoft office-gebruiker", "windows user", "windows-gebruiker"})


def usable_author(raw: object) -> str | None:
    """A metadata author worth citing, or None for empty, tool-made or account-name junk."""
    if not isinstance(raw, str):
        return None
    author = " ".join(raw.split())
    if not re.search(r"[^\W\d_]{2}", author) or author.lower() in _JUNK_AUTHORS:
        return None
    return author


def usable_title(raw: object) -> str | None:
    """Return a metadata title worth showing, or None for empty or tool-made junk."""
    if not isinstance(raw, str):
        return None
    title = " ".join(raw.split())
    if not re.search(r"[^\W\d_]", title):  # no letter at all: "", "1", "----"
        return None
    if title.lower() in _JUNK_TITLES or _TOOL_PREFIX.match(title) or _FILE_NAME.search(title):
        return None
    return title
