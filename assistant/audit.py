"""An audit log of the answers given, for archiving and Woo requests: one JSON line per answer.

Off by default. `REGIOWIJZER_AUDIT_LOG=/pad/audit.jsonl` switches it on (`=1` writes to
`<REGIOWIJZER_HOME>/audit.jsonl`). Each answer is appended as a single write to a file opened
in append mode, so lines from several threads and app processes never interleave. A log that
cannot be written costs a warning on stderr, never the answer.
"""

from __future__ import annotations

import hashlib
import json
import os
import sys
import threading
from datetime import UTC, datetime
from pathlib import Path

from assistant.compose.answer import Answer

AUDIT_ENV = "REGIOWIJZER_AUDIT_LOG"
DEFAULT_NAME = "audit.jsonl"
_OFF = {"", "0", "false", "no", "off", "uit", "nee"}
_ON = {"1", "true", "yes", "on", "aan", "ja"}
_lock = threading.Lock()


def audit_path(env: dict[str, str] | None = None) -> Path | None:
    """Where the log goes, or None when it is off."""
    env = os.environ if env is None else env
    raw = (env.get(AUDIT_ENV) or "").strip()
    if raw.lower() in _OFF:
        return None
    if raw.lower() in _ON:
        from ingest.config import load_settings

        return load_settings(env).home / DEFAULT_NAME
    return Path(raw).expanduser()


def audit_record(answer: Answer, now: datetime | None = None) -> dict:
    """What is kept of one answer: enough to find what was asked and prove what was answered."""
    markdown = answer.meta.get("markdown", "")
    return {
        "time": (now or datetime.now(UTC)).isoformat(timespec="milliseconds"),
        "question": answer.question,
        "mode": answer.mode,
        "passages": [c.passage.id for c in answer.citations],
        "backend": answer.backend,
        "answer_sha256": hashlib.sha256(markdown.encode("utf-8")).hexdigest(),
        "abstained": answer.abstained,
    }


def append_line(path: Path, line: str) -> None:
    """Append one line with one write() on an O_APPEND descriptor: atomic for a local file."""
    data = line.encode("utf-8", "replace")
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
    try:
        written = os.write(fd, data)
        while written < len(data):  # only on an unusual file system; finish the line
            written += os.write(fd, data[written:])
    finally:
        os.close(fd)


def record(answer: Answer, env: dict[str, str] | None = None) -> None:
    """Log the answer when the audit log is on; warn on stderr if that fails."""
    try:
        path = audit_path(env)
        if path is None:
            return
        line = json.dumps(audit_record(answer), ensure_ascii=False) + "\n"
        with _lock:
            append_line(path, line)
    except Exception as err:  # the answer matters more than its log line
        print(f"Let op: het auditlog kon niet worden bijgewerkt ({AUDIT_ENV}): {err}",
              file=sys.stderr)
