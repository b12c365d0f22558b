"""What every embedding backend offers the rest of the program, and the small helpers they share."""

from __future__ import annotations

import os
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from typing import Protocol, runtime_checkable

import numpy as np


class ModelUnavailable(ValueError):
    """An embedding model that cannot be loaded here; the message says why, in Dutch.
    A ValueError, so the commands that read an index show it as a plain error."""


@runtime_checkable
class Embedder(Protocol):
    """An embedding model: loaded lazily, safe to share between threads.

    `identity` is what must match between an index and the model that queries it: it names the
    model, its variant and the prefixes, so a changed setting asks for a rebuild instead of
    silently comparing vectors from two different spaces.
    """

    name: str

    @property
    def identity(self) -> str: ...

    @property
    def dim(self) -> int: ...

    def embed_passages(self, texts: Sequence[str]) -> np.ndarray:
        """float32 (len(texts), dim), each row L2-normalised."""
        ...

    def embed_query(self, text: str) -> np.ndarray:
        """float32 (dim,), L2-normalised."""
        ...


def passage_threads() -> int:
    """Threads for embedding passages in bulk: every core the process may use."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except (AttributeError, OSError):
        return max(1, os.cpu_count() or 1)


def normalised(vectors: np.ndarray) -> np.ndarray:
    """Rows as float32 unit vectors (a zero row stays zero)."""
    matrix = np.asarray(vectors, dtype=np.float32)
    norms = np.linalg.norm(matrix, axis=-1, keepdims=True)
    return matrix / np.where(norms > 0, norms, 1.0).astype(np.float32)


@contextmanager
def environment(values: Mapping[str, str]) -> Iterator[None]:
    """Set environment variables for the duration of a block (a native library that reads them
    when it loads), then put back exactly what was there before."""
    previous = {key: os.environ.get(key) for key in values}
    os.environ.update(values)
    try:
        yield
    finally:
        for key, value in previous.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value
