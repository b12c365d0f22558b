"""What every format reader shares: the user-facing error, opening regular files only (never
following a symbolic link, never blocking on a pipe), and the title junk filter."""

from __future__ import annotations

import os
import re
import stat
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path


class ReadError(Exception):
    """A file that cannot be read; str(err) is a Dutch reason shown after the file name."""


@dataclass(frozen=True)
class ReadLimits:
    """How much one file may be: on disk, unpacked (zip-based formats), as text, in passages."""

    max_bytes: int = 50 * 1024 * 1024
    max_unzipped: int = 40 * 1024 * 1024
    max_text_chars: int = 5_000_000
    max_passages: int = 5000

    @classmethod
    def from_settings(cls, settings) -> ReadLimits:
        mb = 1024 * 1024
        return cls(max_bytes=settings.max_file_mb * mb, max_unzipped=settings.max_unzipped_mb * mb,
                   max_text_chars=int(settings.max_text_mb * 1_000_000),
                   max_passages=settings.max_passages)


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


SYMLINK = "symbolische koppeling: niet gevolgd (alleen gewone bestanden in de corpusmap worden gelezen)"
_SPECIAL = {
    stat.S_IFIFO: "named pipe",
    stat.S_IFCHR: "apparaatbestand",
    stat.S_IFBLK: "apparaatbestand",
    stat.S_IFSOCK: "socket",
}


class NotRegular(ReadError):
    """The path is not (or no longer) a regular file; str(err) is the Dutch reason."""


def not_regular_reason(mode: int) -> str:
    if stat.S_ISLNK(mode):
        return SYMLINK
    if stat.S_ISDIR(mode):
        return "dit is een map, geen bestand"
    kind = _SPECIAL.get(stat.S_IFMT(mode))
    return f"geen gewoon bestand ({kind}): overgeslagen" if kind else "geen gewoon bestand: overgeslagen"


@contextmanager
def open_regular(path: Path) -> Iterator:
    """Open a regular file for reading without following a link or blocking on a pipe."""
    flags = os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0)
    try:
        fd = os.open(path, flags)
    except OSError as err:
        if Path(path).is_symlink():
            raise NotRegular(SYMLINK) from err
        raise
    try:
        mode = os.fstat(fd).st_mode
        if not stat.S_ISREG(mode):
            raise NotRegular(not_regular_reason(mode))
        handle = os.fdopen(fd, "rb")
    except BaseException:
        os.close(fd)
        raise
    with handle:
        yield handle
