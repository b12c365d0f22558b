"""Lexical fields beside the word index: rescaling the character-gram scores, and the route-map
field for an index built before that field was saved with it."""

from __future__ import annotations

from pathlib import Path

import numpy as np


def corpus_dir(index) -> Path | None:
    corpus = getattr(index.manifest, "corpus_dir", None)
    return Path(corpus) if corpus else None


def scaled_to(scores: np.ndarray, reference: np.ndarray) -> np.ndarray:
    """`scores` rescaled so its best equals the best of `reference` (or its own, if that is 0):
    character grams score on another scale than words, and a weight should mean the same for
    every question."""
    top, ref = float(scores.max(initial=0.0)), float(reference.max(initial=0.0))
    if top <= 0:
        return scores
    return scores * (ref / top if ref > 0 else 1.0)


def context_field(index):
    """The route-map field of a build made before it was saved with the index."""
    from ingest.index.corpusdata import find_data_file, load_routekaart
    from ingest.index.lexical import LexicalIndex, route_context

    routekaart = load_routekaart(find_data_file(corpus_dir(index), "routekaart.toml"))
    texts = [route_context(p, routekaart) for p in index.passages]
    return LexicalIndex.from_texts(texts, index.lexical.analyzer)
