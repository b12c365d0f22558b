"""Questions from the question bank to offer beside an answer ("Verwante vragen") and on the start
screen: real questions people wrote, tied to passages, so clicking one always finds its answer."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from ingest.index.bank import question_key

RELATED = 3
# the start screen shows a spread of kinds, in this order, one document at a time
EXAMPLE_KINDS = ("definitie", "aanpak", "lijst", "regio", "voorbeeld", "vergelijking", "feit")


def related_questions(rows: Sequence, cited: Sequence[str], asked: Iterable[str],
                      k: int = RELATED) -> list[str]:
    """Up to k bank questions about the cited passages (in citation order, one per passage) that
    the conversation has not asked; full questions only, no keyword searches."""
    seen = {question_key(q) for q in asked}
    by_passage: dict[str, list] = {}
    for row in rows:
        if row.answerable and row.passage_id and row.kind != "trefwoord":
            by_passage.setdefault(row.passage_id, []).append(row)
    out: list[str] = []
    for pid in dict.fromkeys(cited):
        for row in by_passage.get(pid, ()):
            key = question_key(row.question)
            if key not in seen:
                seen.add(key)
                out.append(row.question)
                break
        if len(out) == k:
            break
    return out


def example_questions(rows: Sequence, persona: str, n: int = 4) -> list[str]:
    """n of the persona's bank questions for the start screen: different kinds, each from another
    document where possible, deterministic."""
    pool = [r for r in rows if r.answerable and r.persona == persona and r.question.endswith("?")
            and r.kind != "trefwoord" and len(r.question) <= 90]
    chosen: list = []
    docs: set[str] = set()
    for kind in EXAMPLE_KINDS:
        candidates = [r for r in pool if r.kind == kind and r not in chosen]
        pick = next((r for r in candidates if r.doc_id not in docs), candidates[0] if candidates else None)
        if pick is not None:
            chosen.append(pick)
            docs.add(pick.doc_id)
        if len(chosen) == n:
            break
    return [r.question for r in chosen]
