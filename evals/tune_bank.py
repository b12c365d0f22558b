"""Choose the question bank's settings (floor, weight, lead_at) on dev + val, never test.

    python -m evals.tune_bank [--splits dev,val]

One search per question without the bank gives the fused candidates; the bank's closest
questions are then added offline for every setting on the grid, so the grid costs no extra
searches. Writes evals/results/bank-tuning.md.
"""

from __future__ import annotations

import argparse
import itertools
import sys
from pathlib import Path

from evals.dataset import contains_evidence, load_evidence, load_queries, resolve_qrels

RESULTS = Path(__file__).resolve().parent / "results" / "bank-tuning.md"
FLOORS = (0.80, 0.82, 0.85, 0.87, 0.88, 0.89, 0.90, 0.91)
WEIGHTS = (0.5, 1.0, 1.5, 2.0)
LEADS = (0.86, 0.88, 0.90, 0.91, 0.92, 0.93, 0.94, 0.95, 0.96)
FIELD_WEIGHTS = (0.0, 0.5, 1.0, 2.0, 3.0, 4.0)
MISSES = (0.78, 0.80, 0.82, 0.84, 0.86, 0.88, 0.90, 0.92, 0.94, 1.01)  # 1.01: never refuse on the bank


def ranking_scores(ranking: list[str], relevant: set[str]) -> tuple[float, float]:
    """(hit@5, reciprocal rank within 10) of one ranked id list."""
    for rank, pid in enumerate(ranking[:10], start=1):
        if pid in relevant:
            return (1.0 if rank <= 5 else 0.0), 1.0 / rank
    return 0.0, 0.0


def main(argv=None) -> int:
    from assistant.retrieval.bank_layer import NEAREST, answer_candidate, bank_lift, lifted
    from assistant.retrieval.hybrid import HybridRetriever, RetrievalConfig
    from ingest.build import ingest
    from ingest.config import load_settings
    from ingest.index.embedders import make_embedder
    from ingest.index.reader import open_index

    parser = argparse.ArgumentParser(prog="python -m evals.tune_bank")
    parser.add_argument("--splits", default="dev,val")
    parser.add_argument("--dense-weight", type=float,
                        help="dense ranking's weight next to BM25 (standaard: die van het model)")
    args = parser.parse_args(argv)
    splits = set(args.splits.split(","))
    if "test" in splits:
        print("De vragenbank wordt nooit op test afgesteld.", file=sys.stderr)
        return 2
    settings = load_settings()
    embedder = make_embedder(settings)
    ingest(settings, progress=sys.stderr.isatty(), embedder=embedder)
    index = open_index(settings, embedder.identity)
    if index.bank is None:
        print("De index heeft geen vragenbank.", file=sys.stderr)
        return 2
    queries = [q for q in load_queries() if q.split in splits]
    evidence = load_evidence()
    qrels = resolve_qrels([(p.id, p.doc_id, p.text) for p in index.passages], evidence)
    gold = {}
    for e in evidence:
        gold.setdefault(e.query_id, []).append(e.quote)

    fused_by_field, rows = {}, []
    for field_weight in FIELD_WEIGHTS:
        retriever = HybridRetriever(index, embedder, config=RetrievalConfig(
            bank=False, bank_field_weight=field_weight, dense_weight=args.dense_weight))
        fused_by_field[field_weight] = [[(h.passage.id, h.score) for h in retriever.search(q.text, k=50)]
                                        for q in queries]
    for q in queries:
        text, expansion = retriever.understand(q.text)
        ranking_vector = retriever.query_vector(text, expansion)
        plain = getattr(embedder, "tuned_queries", False)  # bank questions are on the base scale
        bare = embedder.embed_query_plain(text) if plain else embedder.embed_query(text)
        rows.append((q, {"uitgebreid": index.bank.nearest(
            retriever.meaning_vector(text, expansion, ranking_vector), NEAREST),
                         "kaal": index.bank.nearest(bare, NEAREST)}))

    answerable = [i for i, (q, _) in enumerate(rows) if q.answerable]
    lines = [f"# Vragenbank afstemmen ({', '.join(sorted(splits))}; {len(answerable)} beantwoordbaar, "
             f"{len(rows) - len(answerable)} niet; {len(index.bank)} bankvragen; model {embedder.name}, "
             f"dense gewicht {args.dense_weight or 'van het model'})",
             "", "| bankveld | vector | floor | weight | hit@5 | MRR@10 |", "|---|---|---|---|---|---|"]
    best = None
    grid = [(f, "-", 0.0, 0.0) for f in FIELD_WEIGHTS] + list(
        itertools.product(FIELD_WEIGHTS, ("uitgebreid", "kaal"), FLOORS, WEIGHTS))
    for field_weight, vector, floor, weight in grid:
        scores = []
        for i in answerable:
            q, matches = rows[i]
            fused = fused_by_field[field_weight][i]
            ranked = lifted(fused, bank_lift(matches[vector], floor), weight) if vector != "-" else fused
            scores.append(ranking_scores([pid for pid, _ in ranked], set(qrels.get(q.id, {}))))
        hit, mrr = _mean(scores, 0), _mean(scores, 1)
        lines.append(f"| {field_weight:.2f} | {vector} | {floor:.2f} | {weight:.2f} | {hit:.3f} "
                     f"| {mrr:.3f} |")
        if best is None or hit + mrr > best[0] + 1e-9:
            best = (hit + mrr, field_weight, vector, floor, weight, hit, mrr)
    lines += ["", f"Beste (hit@5 + MRR@10): bankveld {best[1]}, vector {best[2]}, floor {best[3]}, "
              f"weight {best[4]}: hit@5 {best[5]:.3f}, MRR@10 {best[6]:.3f}", "",
              "| vector | lead_at | kandidaat bij beantw. | daarvan met goudcitaat "
              "| kandidaat bij onbeantw. |",
              "|---|---|---|---|---|"]
    for vector, lead in itertools.product(("uitgebreid", "kaal"), LEADS):
        with_candidate = right = wrong = 0
        for q, matches in rows:
            m = answer_candidate(matches[vector], lead)
            if m is None:
                continue
            if not q.answerable:
                wrong += 1
                continue
            with_candidate += 1
            text = " ".join(m.row.quotes)
            right += any(contains_evidence(text, quote) for quote in gold.get(q.id, ()))
        n_ans, n_un = len(answerable), len(rows) - len(answerable)
        lines.append(f"| {vector} | {lead:.2f} | {with_candidate / n_ans:.2f} | "
                     f"{right / max(with_candidate, 1):.2f} | {wrong / max(n_un, 1):.2f} |")
    lines += _abstention_grid(index, embedder, queries)
    text = "\n".join(lines) + "\n"
    RESULTS.write_text(text, encoding="utf-8")
    print(text)
    return 0


def _abstention_grid(index, embedder, queries) -> list[str]:
    """Refused unanswerable questions and wrongly refused answerable ones, without the bank's
    verdict and with it at each (lead_at, miss_at), at the model's own abstention threshold."""
    from dataclasses import replace

    from assistant.retrieval.bank_layer import BankSettings, bank_verdict
    from assistant.retrieval.confidence import ABSTAIN_BELOW, retrieval_confidence
    from assistant.retrieval.hybrid import HybridRetriever

    retriever = HybridRetriever(index, embedder)
    threshold = (retriever.thresholds() or (ABSTAIN_BELOW,))[0]
    rows = []
    for q in queries:
        result = retriever.search(q.text, k=20)
        plain = replace(result, signals=replace(result.signals, bank=None))
        rows.append((q.answerable, retrieval_confidence(plain), result))
    n_un = sum(not a for a, _, _ in rows) or 1
    n_ans = sum(a for a, _, _ in rows) or 1
    lines = ["", f"Onthouden (drempel {threshold:.3f}): | lead_at | miss_at | onthouden R | ten onrechte |",
             "|---|---|---|---|"]
    base = [(a, conf < threshold) for a, conf, _ in rows]
    lines.append(f"| (zonder bank) | – | {sum(f for a, f in base if not a) / n_un:.2f} "
                 f"| {sum(f for a, f in base if a) / n_ans:.2f} |")
    for lead_at, miss_at in itertools.product(LEADS, MISSES):
        settings = BankSettings(floor=0.0, weight=0.0, lead_at=lead_at, miss_at=miss_at)
        flags = []
        for answerable, conf, result in rows:
            verdict = bank_verdict(result.bank, settings)
            refused = result.signals.unmet is not None or verdict == "unanswerable" or (
                verdict != "answerable" and conf < threshold)
            flags.append((answerable, refused))
        lines.append(f"| {lead_at:.2f} | {miss_at:.2f} | {sum(f for a, f in flags if not a) / n_un:.2f} "
                     f"| {sum(f for a, f in flags if a) / n_ans:.2f} |")
    return lines


def _mean(pairs, i: int) -> float:
    return sum(p[i] for p in pairs) / len(pairs) if pairs else 0.0


if __name__ == "__main__":
    raise SystemExit(main())
