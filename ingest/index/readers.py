"""Readers say which build they have open, so an ingest never deletes it under them.

`open_index` registers a marker index/.readers/<build>@<host>@<pid>@<token> and keeps it as
long as the Index object lives (removed when it is garbage collected or the process exits).
A daemon thread touches the markers of this process every REFRESH_S seconds.

After a swap, an ingest removes every build except the one CURRENT names, the build before
it (a reader that has read CURRENT but not yet written its marker is covered by that) and
the builds of live markers. A marker is live when its process runs (same host), or, for a
reader on another machine sharing the directory, when it was touched less than MAX_AGE_S
ago. Dead markers are removed on the way.
"""

from __future__ import annotations

import contextlib
import os
import secrets
import socket
import threading
import time
from pathlib import Path

from ingest.index.lock import pid_alive

READERS_DIR = ".readers"
REFRESH_S = 15 * 60.0
MAX_AGE_S = 3 * 60 * 60.0

_mine: set[Path] = set()
_mine_lock = threading.Lock()
_refresher: threading.Thread | None = None


def register(index_root: Path, build_name: str) -> Path | None:
    """Mark `build_name` as in use by this process; None when the marker cannot be written
    (a read-only index still opens; the previous build is kept one generation anyway)."""
    folder = Path(index_root) / READERS_DIR
    marker = folder / f"{build_name}@{socket.gethostname()}@{os.getpid()}@{secrets.token_hex(4)}"
    try:
        folder.mkdir(exist_ok=True)
        marker.touch()
    except OSError:
        return None
    with _mine_lock:
        _mine.add(marker)
    _start_refresher()
    return marker


def release(marker: Path | None) -> None:
    if marker is None:
        return
    with _mine_lock:
        _mine.discard(marker)
    with contextlib.suppress(OSError):
        marker.unlink()


def in_use(index_root: Path, now: float | None = None) -> set[str]:
    """Names of the builds that live readers have open; dead markers are removed."""
    folder = Path(index_root) / READERS_DIR
    now = time.time() if now is None else now
    host = socket.gethostname()
    builds: set[str] = set()
    try:
        markers = list(folder.iterdir())
    except OSError:
        return builds
    for marker in markers:
        build, _, rest = marker.name.partition("@")
        reader_host, _, rest = rest.partition("@")
        pid_text = rest.partition("@")[0]
        try:
            touched = marker.stat().st_mtime
        except OSError:
            continue
        if reader_host == host:
            live = pid_text.isdigit() and pid_alive(int(pid_text))
        else:
            live = now - touched < MAX_AGE_S
        if live:
            builds.add(build)
        else:
            with contextlib.suppress(OSError):
                marker.unlink()
    return builds


def _start_refresher() -> None:
    global _refresher
    with _mine_lock:
        if _refresher is not None and _refresher.is_alive():
            return
        _refresher = threading.Thread(target=_refresh, name="index-readers", daemon=True)
        _refresher.start()


def _refresh() -> None:
    while True:
        time.sleep(REFRESH_S)
        with _mine_lock:
            markers = list(_mine)
        for marker in markers:
            with contextlib.suppress(OSError):
                os.utime(marker)
