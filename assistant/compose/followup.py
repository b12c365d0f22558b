"""Follow-up questions: carry the topic of earlier turns into a short follow-up.

A deterministic rule (no LLM): a follow-up that names little of its own ("geef een voorbeeld",
"en wat betekent dat voor de raad?") gets the content words of the earlier question(s); "stap N"
focuses that step; "voorbeeld" asks for stories and cases. An LLM condenser may later sit behind
the same signature.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from ingest.index.dutch import DUTCH_STOPWORDS, QUERY_FILLER, fold

_NUMBER_WORDS = {"een": 1, "eerste": 1, "twee": 2, "tweede": 2, "drie": 3, "derde": 3, "vier": 4,
                 "vierde": 4, "vijf": 5, "vijfde": 5}
_STEP = re.compile(r"\bstap\s+(\d+|een|twee|drie|vier|vijf)\b|\b(eerste|tweede|derde|vierde|vijfde)"
                   r"\s+stap\b")
_EXAMPLES = re.compile(r"\b(?:voorbeeld\w*|praktijkvoorbeeld\w*|casus\w*|verhaal|verhalen"
                       r"|in de praktijk)\b")
_ANAPHORA = re.compile(r"\b(?:dat|dit|daar\w*|hier\w*|die|ervan|erover|erbij|zoiets|het)\b")
# Words that steer a follow-up but say nothing about its topic; never carried forward.
_STEERING = frozenset([
    "voorbeeld", "voorbeelden", "praktijkvoorbeeld", "casus", "verhaal", "verhalen", "praktijk",
    "stap", "stappen", "eerste", "tweede", "derde", "vierde", "vijfde", "betekent", "betekenen",
    "betekenis", "bedoel", "bedoelt", "bedoeld", "zit", "zitten", "concreet", "concreter",
    "precies", "nader", "verder", "meer", "uitgebreider", "dieper", "toe", "toepassen",
    "toegepast", "nog", "eens", "andere", "ander",
])
# Who a follow-up is for ("wat betekent dat voor de raad?") is not a topic of its own.
_AUDIENCE = frozenset(["raad", "gemeenteraad", "raadslid", "raadsleden", "college", "gemeente", "wethouder"])
MAX_CARRIED = 10


@dataclass(frozen=True)
class CondensedQuery:
    query: str  # what to search for
    focus_step: int | None
    want_examples: bool


def content_words(text: str) -> list[str]:
    """Words that carry a topic, in their written form and order, without duplicates."""
    out: list[str] = []
    for word in re.findall(r"[^\W_]+(?:[-'’][^\W_]+)*", text):
        f = fold(word)
        if len(f) < 3 or f.isdigit() or f in DUTCH_STOPWORDS or f in QUERY_FILLER:
            continue
        if f not in {fold(w) for w in out}:
            out.append(word)
    return out


def step_mentioned(text: str) -> int | None:
    m = _STEP.search(fold(text))
    if not m:
        return None
    token = m.group(1) or m.group(2)
    n = int(token) if token.isdigit() else _NUMBER_WORDS[token]
    return n if 1 <= n <= 5 else None


def _carried(text: str) -> list[str]:
    return [w for w in content_words(text) if fold(w) not in _STEERING]


def _own_topic(text: str) -> list[str]:
    return [w for w in _carried(text) if fold(w) not in _AUDIENCE]


def is_followup(followup: str) -> bool:
    """Short, or leaning on what came before ("dat", "daar", "en …")."""
    own = _own_topic(followup)
    folded = fold(followup).strip()
    leans = bool(_ANAPHORA.search(folded)) or folded.startswith(("en ", "maar ", "dus ", "ook "))
    return not own or (leans and len(own) <= 3)


def condense(history: Sequence[str], followup: str) -> CondensedQuery:
    """The query to search for a follow-up, given the user's earlier questions (oldest first)."""
    text = " ".join(followup.split())
    focus = step_mentioned(text)
    want_examples = bool(_EXAMPLES.search(fold(text)))
    if not history or not is_followup(text):
        return CondensedQuery(query=text, focus_step=focus, want_examples=want_examples)
    carried: list[str] = []
    for earlier in reversed(history):  # walk back until a question that named its own topic
        words = _carried(earlier)
        carried = [w for w in words if fold(w) not in {fold(c) for c in carried}] + carried
        if focus is None and is_followup(earlier):
            focus = step_mentioned(earlier)
        if not is_followup(earlier):
            break
    # Search for the earlier topic plus what the follow-up adds; its steering words ("stap",
    # "voorbeeld", "betekent") are handled by focus and want_examples, not matched as text.
    own = _carried(text)
    folded_own = {fold(w) for w in own}
    carried = [w for w in carried if fold(w) not in folded_own][-MAX_CARRIED:]
    query = " ".join([*carried, *own]) or text
    return CondensedQuery(query=query, focus_step=focus, want_examples=want_examples)
