"""One ingest at a time per data directory: across processes, and across machines sharing it.

The lock is the file index/.ingest.lock, created with O_CREAT|O_EXCL (atomic on local file
systems and on NFSv3 and later). It holds JSON: host, pid, start time and a random token.
While it is held, its holder
- keeps an flock on it where the file system supports one (recorded in the file), and
- touches it every HEARTBEAT_S seconds, so its age says when the holder was last alive.

A lock is stale, and is taken over, when
- its holder is on this host and its pid is gone, or the pid runs but holds no flock on the
  file although the holder had one (the pid was reused);
- its holder is on another host and it has not been touched for `stale_after` seconds
  (default 30 minutes, sixty missed heartbeats: we cannot see another machine's processes);
- it is empty or unreadable and older than a minute (a holder killed while writing it).
Taking over goes through a second O_EXCL file (.ingest.lock.break), so of two waiters that
both see the same stale lock only one removes it, and never a fresh lock that replaced it.
"""

from __future__ import annotations

import contextlib
import errno
import json
import os
import secrets
import socket
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

LOCK_FILE = ".ingest.lock"
HEARTBEAT_S = 30.0
STALE_AFTER_S = 30 * 60.0
_UNREADABLE_GRACE_S = 60.0
_POLL_S = 0.5

try:
    import fcntl
except ImportError:  # not on this platform: the O_EXCL file and the pid/age rules still hold
    fcntl = None


@dataclass(frozen=True)
class Holder:
    """Who holds the lock, as read from the lock file."""

    host: str
    pid: int
    started: float
    token: str
    flock: bool = False

    def describe(self) -> str:
        since = datetime.fromtimestamp(self.started).strftime("%d-%m-%Y %H:%M:%S")
        where = "" if self.host == socket.gethostname() else f" op {self.host}"
        return f"pid {self.pid}{where}, sinds {since}"


class IndexBusy(Exception):
    """Another ingest holds the lock (and did not let go in time)."""

    def __init__(self, holder: Holder | None) -> None:
        super().__init__(holder.describe() if holder else "onbekend")
        self.holder = holder


class IngestLock:
    """The ingest lock of one index directory; `acquire` then `release` (or use `with`)."""

    def __init__(self, index_root: Path, stale_after: float = STALE_AFTER_S,
                 heartbeat: float = HEARTBEAT_S) -> None:
        self.path = Path(index_root) / LOCK_FILE
        self.stale_after = stale_after
        self.heartbeat = heartbeat
        self._fd: int | None = None
        self._token = ""
        self._stop = threading.Event()
        self._beat: threading.Thread | None = None

    # --- taking and giving back -----------------------------------------------------------
    def acquire(self, wait: float = 0.0, on_wait: Callable[[Holder | None], None] | None = None,
                on_stale: Callable[[Holder | None], None] | None = None) -> None:
        """Take the lock, waiting up to `wait` seconds for another ingest to finish.

        `on_wait` is called once, when the lock turns out to be held; `on_stale` each time a
        dead holder's lock is taken over. Raises IndexBusy when the wait runs out."""
        self.path.parent.mkdir(parents=True, exist_ok=True)
        deadline = time.monotonic() + max(wait, 0.0)
        told = False
        while True:
            if self._try_create():
                return
            holder, age, raw = self._read()
            if raw is not None and self._is_stale(holder, age):
                if self._break(raw) and on_stale:
                    on_stale(holder)
                continue
            if time.monotonic() >= deadline:
                raise IndexBusy(holder)
            if not told and on_wait:
                on_wait(holder)
            told = True
            time.sleep(min(_POLL_S, max(deadline - time.monotonic(), 0.01)))

    def release(self) -> None:
        self._stop.set()
        if self._beat is not None:
            self._beat.join(timeout=5)
        holder, _, _ = self._read()
        if holder is not None and holder.token == self._token:
            with contextlib.suppress(FileNotFoundError):
                self.path.unlink()
        if self._fd is not None:
            os.close(self._fd)  # also lets go of the flock
        self._fd, self._beat = None, None

    def __enter__(self) -> IngestLock:
        self.acquire()
        return self

    def __exit__(self, *exc) -> None:
        self.release()

    # --- internals ------------------------------------------------------------------------
    def _try_create(self) -> bool:
        try:
            fd = os.open(self.path, os.O_CREAT | os.O_EXCL | os.O_RDWR, 0o644)
        except FileExistsError:
            return False
        locked = False
        if fcntl is not None:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                locked = True
            except OSError:
                pass  # no flock on this file system (some network mounts); the file is the lock
        self._token = secrets.token_hex(8)
        record = {"host": socket.gethostname(), "pid": os.getpid(), "started": time.time(),
                  "token": self._token, "flock": locked}
        try:
            os.write(fd, json.dumps(record).encode())
            os.fsync(fd)
        except OSError:
            os.close(fd)
            with contextlib.suppress(OSError):
                self.path.unlink()
            raise
        self._fd = fd
        self._stop.clear()
        self._beat = threading.Thread(target=self._heartbeat, name="ingest-lock", daemon=True)
        self._beat.start()
        return True

    def _heartbeat(self) -> None:
        while not self._stop.wait(self.heartbeat):
            with contextlib.suppress(OSError):
                os.utime(self.path)

    def _read(self) -> tuple[Holder | None, float, bytes | None]:
        """(holder or None when empty or garbled, age in seconds, raw content or None if gone)."""
        try:
            age = time.time() - self.path.stat().st_mtime
            raw = self.path.read_bytes()
        except FileNotFoundError:
            return None, -1.0, None
        try:
            data = json.loads(raw)
            holder = Holder(host=str(data["host"]), pid=int(data["pid"]),
                            started=float(data["started"]), token=str(data["token"]),
                            flock=bool(data.get("flock", False)))
        except (ValueError, KeyError, TypeError):
            return None, age, raw
        return holder, age, raw

    def _is_stale(self, holder: Holder | None, age: float) -> bool:
        if holder is None:
            return age > _UNREADABLE_GRACE_S
        if holder.host != socket.gethostname():
            return age > self.stale_after
        if not pid_alive(holder.pid):
            return True
        return holder.flock and self._nobody_flocks()

    def _nobody_flocks(self) -> bool:
        if fcntl is None:
            return False
        try:
            fd = os.open(self.path, os.O_RDWR)
        except OSError:
            return False
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            return False  # held (or flock unsupported): not evidence of a dead holder
        else:
            fcntl.flock(fd, fcntl.LOCK_UN)
            return True
        finally:
            os.close(fd)

    def _break(self, stale: bytes) -> bool:
        """Remove the stale lock, unless someone else is already at it or it was replaced."""
        breaker = self.path.with_name(LOCK_FILE + ".break")
        try:
            fd = os.open(breaker, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o644)
        except FileExistsError:
            with contextlib.suppress(OSError):
                if time.time() - breaker.stat().st_mtime > _UNREADABLE_GRACE_S:
                    breaker.unlink()  # a breaker that died half-way
            time.sleep(_POLL_S)
            return False
        os.close(fd)
        try:
            _, _, current = self._read()
            if current == stale:
                with contextlib.suppress(FileNotFoundError):
                    self.path.unlink()
                return True
            return False
        finally:
            with contextlib.suppress(FileNotFoundError):
                breaker.unlink()


def pid_alive(pid: int) -> bool:
    """Whether a process with this pid runs on this host."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True  # someone else's process
    except OSError as err:
        return err.errno != errno.ESRCH
    return True
