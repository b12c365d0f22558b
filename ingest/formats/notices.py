"""Catch what parsers say while a file is read, instead of letting it reach stderr.

pypdf logs problems it works around ("EOF marker not found", "Ignoring wrong pointing
object") and some libraries use the warnings module; both would print English lines between
our Dutch ones, with no file name. Inside `captured_notices()` they are collected (for this
thread only) and the caller turns them into a Dutch warning for the file. Our own loggers'
records are dropped: their content is already in the Dutch reason or warning.
"""

from __future__ import annotations

import logging
import threading
import warnings
from collections.abc import Iterator
from contextlib import contextmanager


class _Collector(logging.Handler):
    def __init__(self, thread: int) -> None:
        super().__init__(level=logging.WARNING)
        self.thread = thread
        self.messages: list[str] = []

    def filter(self, record: logging.LogRecord) -> bool:
        return record.thread == self.thread

    def emit(self, record: logging.LogRecord) -> None:
        if record.name == "ingest" or record.name.startswith("ingest."):
            return
        try:
            self.messages.append(" ".join(record.getMessage().split()))
        except Exception:  # a malformed log call must not cost us the file
            self.messages.append(str(record.msg))


@contextmanager
def captured_notices() -> Iterator[list[str]]:
    """Yield a list that fills with the warnings logged or raised while the block runs."""
    collector = _Collector(threading.get_ident())
    root = logging.getLogger()
    root.addHandler(collector)
    # Without a handler of their own, library loggers would fall through to logging's
    # last-resort handler (stderr); the root handler above takes them now. Loggers that stop
    # propagation (pypdf does not) keep their own handlers.
    notices: list[str] = []
    try:
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            yield notices
    finally:
        root.removeHandler(collector)
        notices.extend(collector.messages)
        notices.extend(" ".join(str(w.message).split()) for w in caught
                       if not _is_ours(w.filename))


def _is_ours(filename: str) -> bool:
    return "/ingest/" in filename.replace("\\", "/")
