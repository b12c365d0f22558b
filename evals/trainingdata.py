"""Training pairs for the bi-encoder: the question bank (corpus/vragenbank/*.jsonl) and the
eval's answerable questions of the chosen splits (never test), each tied to the passage that
holds its quotes. Pure functions over passages given as (id, doc_id, text); reading the corpus
into passages is `corpus_passages`.
"""

from __future__ import annotations

import hashlib
import json
import random
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from evals.dataset import GoldQuote, Query, contains_evidence, resolve_qrels

PassageRow = tuple[str, str, str]  # (passage id, doc id, text)


@dataclass(frozen=True)
class Pair:
    id: str
    question: str
    positive: str
    positives: frozenset[str]
    source: str  # "bank" or the eval split


def corpus_passages(corpus: Path) -> list[PassageRow]:
    """Every passage the ingest pipeline makes of the corpus's documents, as the index holds them."""
    from ingest.config import Settings
    from ingest.corpusfiles import document_ids, list_corpus
    from ingest.index.corpusdata import default_source_info, find_data_file, load_manifest, load_routekaart
    from ingest.pipeline import process_file
    from ingest.places import load_gazetteer
    from ingest.read import ReadLimits

    routekaart = load_routekaart(find_data_file(corpus, "routekaart.toml"))
    manifest = load_manifest(corpus)
    files = list_corpus(corpus).files
    ids = document_ids([p.name for p in files], manifest)
    regions = {r.naam: list(r.aliassen) for r in routekaart.regios}
    gazetteer = load_gazetteer(find_data_file(corpus, "plaatsen.toml"), regions)
    limits = ReadLimits.from_settings(Settings())
    rows: list[PassageRow] = []
    for path in files:
        def source_for(p, hint, author=None, doc_id=ids[path.name]):
            return default_source_info(p, hint, author).model_copy(update={"id": doc_id})

        processed = process_file(path, manifest.get(path.name), source_for, routekaart, gazetteer,
                                 limits)
        rows.extend((p.id, p.doc_id, p.text) for p in processed.passages)
    return rows


def read_bank(folder: Path) -> list[dict]:
    entries = []
    for path in sorted(folder.glob("*.jsonl")):
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.strip():
                entries.append(json.loads(line))
    return entries


def bank_pairs(entries: Iterable[Mapping], passages: Sequence[PassageRow]) -> tuple[list[Pair], int]:
    """(pairs, number of answerable entries whose quotes no passage holds). The label is the
    passage of the entry's document that holds most of its quotes."""
    by_doc: dict[str, list[PassageRow]] = {}
    for row in passages:
        by_doc.setdefault(row[1], []).append(row)
    pairs, unmatched = [], 0
    for entry in entries:
        if not entry.get("answerable") or not entry.get("quotes"):
            continue
        counts = {pid: sum(contains_evidence(text, q) for q in entry["quotes"])
                  for pid, _, text in by_doc.get(entry.get("doc_id", ""), [])}
        counts = {pid: n for pid, n in counts.items() if n}
        if not counts:
            unmatched += 1
            continue
        best = max(counts, key=lambda pid: counts[pid])  # first of the ties: document order
        pairs.append(Pair(str(entry["id"]), entry["question"], best, frozenset(counts), "bank"))
    return pairs, unmatched


def eval_pairs(queries: Sequence[Query], evidence: Sequence[GoldQuote], passages: Sequence[PassageRow],
               splits: Sequence[str]) -> list[Pair]:
    """The answerable eval questions of `splits` (test refused), labelled with their best-graded
    passage."""
    if "test" in splits:
        raise ValueError("de test-split traint nooit mee")
    chosen = [q for q in queries if q.split in splits and q.answerable]
    ids = {q.id for q in chosen}
    qrels = resolve_qrels(passages, [e for e in evidence if e.query_id in ids])
    pairs = []
    for q in chosen:
        judged = {pid: g for pid, g in qrels.get(q.id, {}).items() if g > 0}
        if judged:
            best = max(judged, key=lambda pid: judged[pid])
            pairs.append(Pair(q.id, q.text, best, frozenset(judged), q.split))
    return pairs


def hard_negatives(pairs: Sequence[Pair], rankings: Mapping[str, Sequence[str]], count: int,
                   depth: int, seed: int) -> dict[str, tuple[str, ...]]:
    """Per pair id: `count` passages drawn (seeded) from the `depth` best-ranked that are not
    among its positives."""
    rng = random.Random(seed)
    out = {}
    for pair in pairs:
        pool = [pid for pid in rankings.get(pair.id, [])[:depth] if pid not in pair.positives]
        out[pair.id] = tuple(rng.sample(pool, min(count, len(pool))))
    return out


def data_checksum(pairs: Sequence[Pair], passages: Mapping[str, str]) -> str:
    """sha256 over every (question, positive passage text) in training order."""
    digest = hashlib.sha256()
    for pair in pairs:
        digest.update(f"{pair.question}\t{passages[pair.positive]}\n".encode())
    return digest.hexdigest()
