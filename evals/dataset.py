"""The evaluation data contract (BEIR shape): queries, gold evidence quotes, resolved qrels.

Gold evidence is stored as short exact quotes rather than passage ids, so the same gold
judges any chunking (ours, or the llama-index baseline's) fairly: a passage is relevant
when it contains the quote, or a long enough run of it when a passage border cuts it.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

DATA_DIR = Path(__file__).resolve().parent / "data"
MIN_RUN = 8  # words of a quote a passage must contain when the quote is cut by a border


@dataclass(frozen=True)
class Query:
    id: str
    text: str
    user: str
    split: str
    answerable: bool
    step: int | None
    wegwijzer: int | None
    doc_id: str | None
    style: str


@dataclass(frozen=True)
class GoldQuote:
    query_id: str
    doc_id: str
    quote: str
    score: int


def load_queries(path: Path = DATA_DIR / "queries.jsonl") -> list[Query]:
    queries = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip():
            continue
        row = json.loads(line)
        meta = row.get("metadata", {})
        queries.append(Query(id=row["_id"], text=row["text"], user=meta.get("user", ""),
                             split=meta.get("split", "dev"),
                             answerable=bool(meta.get("answerable", True)),
                             step=meta.get("step"), wegwijzer=meta.get("wegwijzer"),
                             doc_id=meta.get("doc_id"), style=meta.get("style", "")))
    return queries


def load_evidence(path: Path = DATA_DIR / "evidence.jsonl") -> list[GoldQuote]:
    rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()
            if line.strip()]
    return [GoldQuote(r["query_id"], r["doc_id"], r["quote"], int(r.get("score", 1))) for r in rows]


def normalize(text: str) -> str:
    text = text.replace("\u00ad", "")
    text = re.sub(r"[‘’‚`´]", "'", text)
    text = re.sub(r"[“”„]", '"', text)
    return " ".join(text.lower().split())


def contains_evidence(passage_text: str, quote: str) -> bool:
    """True when the passage holds the quote, or MIN_RUN consecutive words of it."""
    passage = normalize(passage_text)
    words = normalize(quote).split()
    if not words:
        return False
    if " ".join(words) in passage:
        return True
    run = min(MIN_RUN, len(words))
    return any(" ".join(words[i:i + run]) in passage for i in range(len(words) - run + 1))


def resolve_qrels(passages: Iterable[tuple[str, str, str]],
                  evidence: Iterable[GoldQuote]) -> dict[str, dict[str, int]]:
    """qrels {query_id: {passage_id: grade}} for a passage set given as (id, doc_id, text)."""
    passages = list(passages)
    qrels: dict[str, dict[str, int]] = {}
    for ev in evidence:
        judged = qrels.setdefault(ev.query_id, {})
        for pid, doc_id, text in passages:
            if doc_id == ev.doc_id and contains_evidence(text, ev.quote):
                judged[pid] = max(judged.get(pid, 0), ev.score)
    return qrels


def write_qrels_tsv(path: Path, qrels: dict[str, dict[str, int]]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8") as fh:
        fh.write("query-id\tcorpus-id\tscore\n")
        for qid in sorted(qrels):
            for pid, grade in sorted(qrels[qid].items()):
                fh.write(f"{qid}\t{pid}\t{grade}\n")
