"""Vectors cached on disk by model identity and text, so a re-ingest embeds only what is new."""

from __future__ import annotations

import hashlib
import sqlite3
from collections.abc import Callable, Sequence
from pathlib import Path

import numpy as np

from ingest.index.embedders.base import Embedder


class EmbeddingCache:
    """Vectors keyed by model identity and text, so re-ingest embeds only what is new."""

    def __init__(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        self._db = sqlite3.connect(path)
        self._db.execute("CREATE TABLE IF NOT EXISTS vectors (key TEXT PRIMARY KEY, vec BLOB)")

    @staticmethod
    def key(identity: str, text: str) -> str:
        return hashlib.sha256(f"{identity}\n{text}".encode()).hexdigest()

    def get_many(self, keys: Sequence[str]) -> dict[str, np.ndarray]:
        found: dict[str, np.ndarray] = {}
        for start in range(0, len(keys), 500):
            chunk = list(keys[start:start + 500])
            marks = ",".join("?" * len(chunk))
            rows = self._db.execute(f"SELECT key, vec FROM vectors WHERE key IN ({marks})", chunk)
            for key, blob in rows:
                found[key] = np.frombuffer(blob, dtype=np.float32)
        return found

    def put_many(self, items: dict[str, np.ndarray]) -> None:
        with self._db:
            self._db.executemany(
                "INSERT OR REPLACE INTO vectors (key, vec) VALUES (?, ?)",
                [(k, np.asarray(v, dtype=np.float32).tobytes()) for k, v in items.items()],
            )

    def close(self) -> None:
        self._db.close()


def embed_with_cache(embedder: Embedder, cache: EmbeddingCache, texts: Sequence[str],
                     on_batch: Callable[[int], None] | None = None,
                     batch_size: int = 32, queries: bool = False) -> tuple[np.ndarray, int]:
    """Embed texts (as passages, or as questions with `queries`), reusing cached vectors;
    returns (matrix, number newly embedded). Questions go through the embedder's base model
    when its question side is tuned (`embed_queries_plain`), and in batches when it can."""
    identity, embed = embedder.identity, embedder.embed_passages
    if queries:
        plain = getattr(embedder, "tuned_queries", False)
        identity = f"{embedder.identity}|query" + ("-plain" if plain else "")
        many = getattr(embedder, "embed_queries_plain" if plain else "embed_queries", None)
        one = embedder.embed_query_plain if plain else embedder.embed_query
        embed = many or (lambda batch: np.vstack([one(t) for t in batch]))
    keys = [cache.key(identity, t) for t in texts]
    cached = cache.get_many(keys)
    missing = [i for i, k in enumerate(keys) if k not in cached]
    for start in range(0, len(missing), batch_size):
        batch = missing[start:start + batch_size]
        vectors = embed([texts[i] for i in batch])
        fresh = {keys[i]: v for i, v in zip(batch, vectors, strict=True)}
        cache.put_many(fresh)
        cached.update(fresh)
        if on_batch:
            on_batch(len(batch))
    if not texts:
        return np.zeros((0, 0), dtype=np.float32), 0
    return np.vstack([cached[k] for k in keys]), len(missing)
