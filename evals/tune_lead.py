"""`python -m evals.tune_lead`: choose the lead's weights on dev + val (never test).

Each question's evidence is gathered once; every candidate span gets its features (its words'
coverage, the passage's closeness, its closeness in meaning, the kind's bonus, the bank's lift);
then a small grid of weights is scored by how often the best span quotes a gold quote.
"""

from __future__ import annotations

import itertools
import sys

from evals.dataset import contains_evidence, load_evidence, load_queries

GRID = {
    "meaning": (0.2, 0.3, 0.45, 0.6, 0.8),
    "extra": (0.0, 0.02, 0.04, 0.08),
    "top": (4, 6, 8, 12),
    "prior": (0.2, 0.4, 0.6),
}


def span_features(assistant, question: str):
    from assistant.compose.evidence import gather_evidence
    from assistant.compose.kind import own_kind
    from assistant.compose.lead import bank_lift, kind_bonus
    from assistant.compose.pool import SentencePool
    from assistant.compose.select import Candidate, relevance
    from assistant.compose.spans import passage_spans

    evidence = gather_evidence(assistant.retriever, question)
    pool = SentencePool(evidence, assistant.context)
    kind = own_kind(question)
    rows, probes = [], []
    for pid in sorted(pool.ranks, key=pool.ranks.get):
        passage = pool.hits[pid].passage
        for span in passage_spans(passage.text):
            best = max(relevance(pool.terms, pool.ctx.tokens(u.text)) for u in span.units)
            whole = relevance(pool.terms, pool.ctx.tokens(span.text))
            rows.append({"text": span.text, "rank": pool.ranks[pid], "best": best, "whole": whole,
                         "prior": pool.priors.get(pid, 0.0),
                         "extra": 0 if span.is_list else len(span.units) - 1,
                         "bonus": kind_bonus(kind, span, question, passage.block),
                         "lift": bank_lift(pid, span.text, evidence.bank_spans)})
            probes.append(Candidate(text=span.text, passage=passage, rank=pool.ranks[pid], hit_score=0.0,
                                    position=-len(probes) - 1, tokens=frozenset(), prior=0.0))
    closeness = pool.closeness(probes)
    for row, probe in zip(rows, probes, strict=True):
        row["close"] = closeness.get(probe.key, 0.0)
    return rows


def best_text(rows, w) -> str | None:
    from assistant.compose.lead import BANK_SPAN_WEIGHT, LEAD_ANYWHERE, LEAD_MIN_RELEVANCE
    from assistant.compose.select import RELEVANCE_WEIGHT

    scored = []
    for r in rows:
        if r["rank"] > w["top"] and r["whole"] < LEAD_ANYWHERE and not r["lift"]:
            continue
        if r["whole"] < LEAD_MIN_RELEVANCE and r["close"] < 0.7 and not r["lift"]:
            continue
        score = (RELEVANCE_WEIGHT * (0.7 * r["best"] + 0.3 * r["whole"]) + w["prior"] * r["prior"]
                 - w["extra"] * r["extra"] + r["bonus"] + BANK_SPAN_WEIGHT * r["lift"]
                 + w["meaning"] * r["close"])
        scored.append((score, -r["rank"], r["text"]))
    return max(scored)[2] if scored else None


def main() -> int:
    from assistant.service import Assistant
    from ingest.config import load_settings, quiet_third_parties

    quiet_third_parties()
    assistant = Assistant.from_settings(load_settings())
    gold: dict[str, list[str]] = {}
    for ev in load_evidence():
        gold.setdefault(ev.query_id, []).append(ev.quote)
    questions = [q for q in load_queries() if q.split in ("dev", "val") and q.answerable and gold.get(q.id)]
    features = {q.id: span_features(assistant, q.text) for q in questions}
    results = []
    for values in itertools.product(*GRID.values()):
        w = dict(zip(GRID, values, strict=True))
        hits = {"dev": [], "val": []}
        for q in questions:
            text = best_text(features[q.id], w)
            hits[q.split].append(bool(text) and any(contains_evidence(text, g) for g in gold[q.id]))
        share = {s: sum(v) / len(v) for s, v in hits.items()}
        results.append(((share["dev"] + share["val"]) / 2, share, w))
    results.sort(key=lambda r: -r[0])
    for mean, share, w in results[:10]:
        print(f"{mean:.3f} dev {share['dev']:.3f} val {share['val']:.3f} {w}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
