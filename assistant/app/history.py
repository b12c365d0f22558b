"""Conversations kept in the browser (localStorage, through Gradio's BrowserState): a reload
does not lose them, earlier ones are listed, one or all can be deleted. Nothing is kept on the
server beyond the session.

What the browser hands back is not trusted: `clean` keeps only the expected shape, with
bounded sizes, and the chat shows it the way it shows everything (sanitised Markdown). These are
pure functions on plain dicts; the app's handlers call them."""

from __future__ import annotations

import contextlib
from datetime import datetime

STORAGE_KEY = "regiowijzer-gesprekken"
MAX_CONVERSATIONS = 50
MAX_MESSAGES = 40  # 20 turns, as the app keeps (assistant.app.state.MAX_TURNS)
MAX_MESSAGE_CHARS = 60_000
TITLE_CHARS = 70


def empty() -> dict:
    return {"version": 1, "conversations": []}


def _text(value, limit: int) -> str:
    return value[:limit] if isinstance(value, str) else ""


def _conversation(value) -> dict | None:
    if not isinstance(value, dict) or not isinstance(value.get("id"), str):
        return None
    messages = []
    for m in value.get("messages") or []:
        if isinstance(m, dict) and m.get("role") in ("user", "assistant"):
            messages.append({"role": m["role"], "content": _text(m.get("content"), MAX_MESSAGE_CHARS)})
    questions = [_text(q, 2_000) for q in value.get("questions") or [] if isinstance(q, str)]
    modes = [_text(m, 20) for m in value.get("modes") or [] if isinstance(m, str)]
    if not messages:
        return None
    return {"id": value["id"][:40], "title": _text(value.get("title"), TITLE_CHARS + 1) or "Gesprek",
            "updated": _text(value.get("updated"), 40), "messages": messages[-MAX_MESSAGES:],
            "questions": questions[-MAX_MESSAGES:], "modes": modes[-MAX_MESSAGES:]}


def clean(stored) -> dict:
    """The stored history in its expected shape (anything else is dropped)."""
    out = empty()
    if isinstance(stored, dict) and isinstance(stored.get("conversations"), list):
        seen = set()
        for value in stored["conversations"][:MAX_CONVERSATIONS]:
            conv = _conversation(value)
            if conv and conv["id"] not in seen:
                seen.add(conv["id"])
                out["conversations"].append(conv)
    return out


def title_of(question: str) -> str:
    text = " ".join(question.split())
    if len(text) <= TITLE_CHARS:
        return text
    return text[:TITLE_CHARS].rsplit(" ", 1)[0] + "…"


def saved(store: dict, conv_id: str, messages: list[dict], questions: list[str], modes: list[str],
          now: datetime | None = None) -> dict:
    """The history with this conversation stored (new or updated) at the top of the list."""
    store = clean(store)
    now = now or datetime.now()
    first = questions[0] if questions else next(
        (m["content"] for m in messages if m.get("role") == "user"), "Gesprek")
    entry = _conversation({"id": conv_id, "title": title_of(first),
                           "updated": now.isoformat(timespec="minutes"), "messages": messages,
                           "questions": questions, "modes": modes})
    rest = [c for c in store["conversations"] if c["id"] != conv_id]
    store["conversations"] = ([entry] if entry else []) + rest[: MAX_CONVERSATIONS - 1]
    return store


def removed(store: dict, conv_id: str | None) -> dict:
    store = clean(store)
    store["conversations"] = [c for c in store["conversations"] if c["id"] != conv_id]
    return store


def find(store: dict, conv_id: str | None) -> dict | None:
    return next((c for c in clean(store)["conversations"] if c["id"] == conv_id), None)


def choices(store: dict) -> list[tuple[str, str]]:
    """(label, id) per stored conversation, newest first: "title (7-12 14:05)"."""
    out = []
    for c in clean(store)["conversations"]:
        when = c["updated"].replace("T", " ")
        with contextlib.suppress(ValueError):
            when = datetime.fromisoformat(c["updated"]).strftime("%d-%m %H:%M")
        out.append((f"{c['title']} ({when})" if when else c["title"], c["id"]))
    return out
