"""An optional last stage: a cross-encoder reads the question together with each of the best
candidates and puts them in its own order.

A cross-encoder (one model over question and passage at once) ranks far better than fusing two
rankers that each saw the question alone, but none that reads Dutch ships inside a package, so it
is off by default. Point REGIOWIJZER_RERANK_MODEL at any sentence-transformers CrossEncoder, a
Hugging Face name or a local folder (a multilingual one such as a downloaded mMiniLM or bge
reranker), and every search reorders its best REGIOWIJZER_RERANK_DEPTH candidates by it.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Sequence

import numpy as np

RERANK_DEPTH = 20  # candidates the cross-encoder reads per search (each costs a model pass)


class RerankerUnavailable(ValueError):
    """The configured cross-encoder cannot be loaded; the message is Dutch and says what to do."""


class CrossEncoderReranker:
    """Loads the model once (at construction, so a wrong setting shows at start-up) and scores
    (question, passage) pairs; thread-safe for concurrent app requests."""

    def __init__(self, model: str, depth: int = RERANK_DEPTH) -> None:
        self.name = model
        self.depth = max(1, depth)
        self._lock = threading.Lock()
        try:
            from sentence_transformers import CrossEncoder

            self._model = CrossEncoder(model, device="cpu")
        except Exception as err:  # a missing folder, no hub access, a model of another kind
            raise RerankerUnavailable(
                f"Het rerankmodel '{model}' kon niet geladen worden ({type(err).__name__}: {err}). "
                "Zet REGIOWIJZER_RERANK_MODEL op de naam of map van een sentence-transformers "
                "CrossEncoder, of laat de variabele leeg.") from err

    def scores(self, question: str, texts: Sequence[str]) -> np.ndarray:
        """The model's relevance score for each text as an answer to the question."""
        if not texts:
            return np.zeros(0, dtype=np.float32)
        with self._lock:
            scores = self._model.predict([(question, t) for t in texts], show_progress_bar=False)
        return np.asarray(scores, dtype=np.float32).reshape(len(texts), -1)[:, -1]

    def rerank(self, question: str, ranked: Sequence[tuple[str, float]],
               text_of: Callable[[str], str | None]) -> list[tuple[str, float]]:
        """`ranked` (id, score) reordered: the best `depth` by the model's scores (ties keep their
        order), the rest after them as they were. Scores become 1/rank, one scale for the lot."""
        head = [(pid, text_of(pid)) for pid, _ in ranked[: self.depth]]
        head = [(pid, text) for pid, text in head if text is not None]
        scores = self.scores(question, [text for _, text in head])
        order = [head[i][0] for i in np.argsort(-scores, kind="stable")]
        seen = set(order)
        order += [pid for pid, _ in ranked if pid not in seen]
        return [(pid, 1.0 / rank) for rank, pid in enumerate(order, start=1)]


def reranker_from(settings) -> CrossEncoderReranker | None:
    """The configured cross-encoder, or None when none is set."""
    model = (getattr(settings, "rerank_model", None) or "").strip()
    return CrossEncoderReranker(model, settings.rerank_depth) if model else None
