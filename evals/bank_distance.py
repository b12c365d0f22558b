"""How close the nearest bank question is to each eval question, so a reader can see the bank
was not written from the eval's questions (its writers never saw them): the cosine of the
closest bank question (the plain question, both as questions) and the share of words they share.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

import numpy as np

from evals.metrics import median

_WORD = re.compile(r"\w+")
CLOSEST_SHOWN = 5


def word_overlap(a: str, b: str) -> float:
    """Jaccard overlap of the two texts' lowercased words."""
    wa, wb = set(_WORD.findall(a.lower())), set(_WORD.findall(b.lower()))
    return len(wa & wb) / len(wa | wb) if wa | wb else 0.0


def nearest_rows(queries: Sequence, bank, embedder) -> list[tuple[str, str, float, float]]:
    """(question, nearest bank question, cosine, word overlap) per eval question."""
    rows = []
    for q in queries:
        plain = getattr(embedder, "tuned_queries", False)
        vector = embedder.embed_query_plain(q.text) if plain else embedder.embed_query(q.text)
        sims = bank.similarities(vector)
        best = int(np.argmax(sims))
        overlap = max(word_overlap(q.text, r.question) for r in bank.rows)
        rows.append((q.text, bank.rows[best].question, float(sims[best]), overlap))
    return rows


def format_bank_distance(queries: Sequence, bank, embedder, split: str) -> str:
    rows = nearest_rows(queries, bank, embedder)
    cosines = [r[2] for r in rows]
    overlaps = [r[3] for r in rows]
    lines = [f"Dichtstbijzijnde bankvraag per {split}-vraag ({len(rows)} vragen, {len(bank.rows)} "
             f"bankvragen): cosinus mediaan {median(cosines):.3f}, ≥ 0,95 bij "
             f"{sum(c >= 0.95 for c in cosines)}, ≥ 0,98 bij {sum(c >= 0.98 for c in cosines)}; "
             f"woordoverlap (Jaccard) mediaan {median(overlaps):.2f}, ≥ 0,8 bij "
             f"{sum(o >= 0.8 for o in overlaps)}. De {CLOSEST_SHOWN} dichtstbijzijnde paren:", ""]
    for text, nearest, cosine, _ in sorted(rows, key=lambda r: -r[2])[:CLOSEST_SHOWN]:
        lines.append(f"- {cosine:.3f}: “{text}” ↔ “{nearest}”")
    return "\n".join(lines)
