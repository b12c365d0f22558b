"""👍/👎 on an answer, with an optional comment, kept on this machine only: JSON lines in
$REGIOWIJZER_HOME/feedback.jsonl (nothing is sent anywhere). A rating is written when it is
given; a comment added later is written as a second line with the same id (the last line for
an id wins). `export_rows` turns them into the evaluation set's question format
(evals/data/README.md), so a 👎 can become a test question.

No gradio here: the CLI (`regiowijzer feedback --export`) uses this module too."""

from __future__ import annotations

import hashlib
import json
import os
import threading
from collections.abc import Iterable, Iterator
from datetime import UTC, datetime
from pathlib import Path

FILE = "feedback.jsonl"
RATINGS = {True: "goed", False: "slecht"}
MAX_COMMENT = 2_000
_lock = threading.Lock()


def feedback_path(home: Path) -> Path:
    return Path(home) / FILE


def record(answer, liked: bool, comment: str = "", now: datetime | None = None) -> dict:
    """One feedback line for an answer (an assistant.compose.answer.Answer)."""
    now = now or datetime.now(UTC)
    key = f"{answer.question}\0{answer.mode}\0{now.isoformat()}"
    return {
        "id": "fb-" + hashlib.sha1(key.encode("utf-8")).hexdigest()[:12],
        "time": now.isoformat(timespec="seconds"),
        "rating": RATINGS[bool(liked)],
        "comment": " ".join((comment or "").split())[:MAX_COMMENT],
        "question": answer.question,
        "mode": answer.mode,
        "abstained": bool(answer.abstained),
        "summary": [p.text for p in answer.summary][:5],
        "cited": [{"n": c.n, "passage": c.passage.id, "doc_id": c.passage.doc_id}
                  for c in answer.citations],
    }


def append(home: Path, line: dict) -> Path:
    """Add one line to the feedback file (created with the user's permissions only)."""
    path = feedback_path(home)
    path.parent.mkdir(parents=True, exist_ok=True)
    data = (json.dumps(line, ensure_ascii=False) + "\n").encode("utf-8")
    with _lock:
        fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
        try:
            os.write(fd, data)
        finally:
            os.close(fd)
    return path


def read(home: Path) -> list[dict]:
    """Every rated answer, the last line per id, oldest first; unreadable lines are skipped."""
    path = feedback_path(home)
    if not path.exists():
        return []
    latest: dict[str, dict] = {}
    for line in path.read_text(encoding="utf-8", errors="replace").splitlines():
        try:
            row = json.loads(line)
        except json.JSONDecodeError:
            continue
        if isinstance(row, dict) and isinstance(row.get("id"), str):
            latest[row["id"]] = {**latest.get(row["id"], {}), **row}
    return [row for row in latest.values() if isinstance(row.get("question"), str)]


def export_rows(rows: Iterable[dict], only: str | None = None) -> Iterator[dict]:
    """The ratings as questions in the evaluation set's format (queries.jsonl). A person still
    decides whether the question is answerable and adds its evidence (evidence.jsonl)."""
    for row in rows:
        if only and row.get("rating") != only:
            continue
        note = f"Feedback uit de app ({row.get('rating')})"
        if row.get("comment"):
            note += f": {row['comment']}"
        yield {"_id": row["id"], "text": row["question"],
               "metadata": {"user": "feedback", "split": "dev", "answerable": not row.get("abstained"),
                            "step": None, "wegwijzer": None,
                            "doc_id": (row.get("cited") or [{}])[0].get("doc_id"),
                            "style": "feedback", "note": note,
                            "feedback": {k: row.get(k) for k in ("rating", "comment", "mode", "time",
                                                                  "summary", "cited")}}}
