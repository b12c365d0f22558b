"""A full disk, however it is reported: an OSError with ENOSPC or EDQUOT, an OSError without
an errno whose text says so, SQLite's "database or disk is full", Chroma's InternalError that
wraps it (also from a compaction). One Dutch message says what it is and what to do."""

from __future__ import annotations

import errno

_PHRASES = ("no space left", "disk is full", "disk full", "database or disk is full",
            "quota exceeded", "enospc", "edquot", "not enough space")


def is_disk_full(err: BaseException | None) -> bool:
    """True when `err` or anything in its chain (cause, context) reports a full disk."""
    seen: set[int] = set()
    while err is not None and id(err) not in seen:
        seen.add(id(err))
        if isinstance(err, OSError) and err.errno in (errno.ENOSPC, errno.EDQUOT):
            return True
        if any(phrase in str(err).lower() for phrase in _PHRASES):
            return True
        err = err.__cause__ or err.__context__
    return False


def disk_full_message(where: object = None) -> str:
    """'de schijf is vol (…); maak ruimte vrij …', to follow 'Index schrijven mislukt: '."""
    place = f" ({where})" if where else ""
    return (f"de schijf is vol{place}; maak ruimte vrij of zet REGIOWIJZER_HOME op een schijf "
            "met meer ruimte, en probeer het opnieuw")
