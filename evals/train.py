"""`python -m evals.train`: fine-tune e5-torch on the question bank and the eval's dev (and val)
questions, and save the LoRA adapters with a training.json (data checksum, seed, steps, eval
figures before and after).

Dense retrieval only is measured here (every passage of the corpus, cosine, no BM25): hit@5 and
MRR@10 on the answerable questions of --eval-split. When that split also trains, the figures
are not held out, and training.json says so.

    python -m evals.train [--bank corpus/vragenbank] [--splits dev,val] [--eval-split val]
                          [--epochs 2] [--out FOLDER]
"""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Sequence
from pathlib import Path

import numpy as np

from evals.dataset import load_evidence, load_queries, resolve_qrels
from evals.metrics import ranking_metrics
from evals.trainingdata import (
    bank_pairs,
    corpus_passages,
    data_checksum,
    eval_pairs,
    hard_negatives,
    read_bank,
)
from ingest.config import REPO_ROOT, load_settings, quiet_third_parties

VERSION = 1  # the recipe; part of the embedder's identity through training.json


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="python -m evals.train",
                                description="Train e5-torch (LoRA) op de vragenbank en dev/val.")
    p.add_argument("--bank", type=Path, default=REPO_ROOT / "corpus" / "vragenbank",
                   help="map met de vragenbank (*.jsonl); standaard corpus/vragenbank")
    p.add_argument("--corpus", type=Path, help="map met brondocumenten (standaard: de corpusmap)")
    p.add_argument("--splits", default="dev,val", help="eval-splits die meetrainen (nooit test)")
    p.add_argument("--eval-split", default="val", help="split voor de meting voor en na")
    p.add_argument("--out", type=Path, help="map voor de adapters (standaard: de meegeleverde)")
    p.add_argument("--limit", type=int, help="alleen de eerste N bankvragen (snelle proef)")
    p.add_argument("--sides", choices=("query", "both"), default="query",
                   help="query: alleen de vraagkant leert, passages blijven het basismodel "
                        "(standaard, past op 2 CPU-kernen); both: één aangepast model (GPU)")
    p.add_argument("--epochs", type=int, default=2)
    p.add_argument("--batch-size", type=int, default=32)
    p.add_argument("--max-steps", type=int)
    p.add_argument("--max-passage-tokens", type=int, default=256)
    p.add_argument("--learning-rate", type=float, default=3e-4)
    p.add_argument("--rank", type=int, default=16)
    p.add_argument("--hard-negatives", type=int, default=1,
                   help="per vraag, uit de dense top 10 (bij --sides both; bij query telt het "
                        "hele corpus als negatief)")
    p.add_argument("--seed", type=int, default=13)
    p.add_argument("--no-eval", action="store_true", help="sla de meting voor en na over")
    return p


def _shown(path: Path) -> str:
    """A path as training.json records it: relative to the repository when inside it (no
    machine-local folder in a shipped file)."""
    try:
        return str(path.resolve().relative_to(REPO_ROOT))
    except ValueError:
        return str(path)


def rankings(embedder, questions: dict[str, str], passage_ids: Sequence[str], passage_vectors,
             depth: int = 10) -> dict[str, list[str]]:
    """Per question id: the `depth` best passages by cosine."""
    ids = list(questions)
    vectors = embedder.embed_queries([questions[i] for i in ids])
    scores = vectors @ passage_vectors.T
    top = np.argsort(-scores, axis=1)[:, :depth]
    return {qid: [passage_ids[j] for j in row] for qid, row in zip(ids, top, strict=True)}


def dense_figures(embedder, passages, queries, evidence, passage_vectors=None) -> dict:
    """hit@5 and MRR@10 of dense retrieval alone over every passage."""
    if not queries:
        return {}
    ids = [p[0] for p in passages]
    if passage_vectors is None:
        passage_vectors = embedder.embed_passages([p[2] for p in passages])
    vectors = embedder.embed_queries([q.text for q in queries])
    scores = vectors @ passage_vectors.T
    run = {}
    for q, row in zip(queries, scores, strict=True):
        best = np.argsort(-row)[:10]
        run[q.id] = {ids[j]: float(row[j]) for j in best}
    qrels = resolve_qrels(passages, [e for e in evidence if e.query_id in run])
    figures = ranking_metrics(qrels, run)
    judged = sum(1 for q in queries if any(g > 0 for g in qrels.get(q.id, {}).values()))
    return {"questions": judged, "hit@5": round(figures["hit@5"], 4),
            "MRR@10": round(figures["MRR@10"], 4)}


def main(argv: Sequence[str] | None = None) -> int:
    quiet_third_parties()
    args = _parser().parse_args(argv)
    from ingest.index.embedders.e5torch import adapter as adapters
    from ingest.index.embedders.e5torch.embedder import E5TorchEmbedder
    from ingest.index.embedders.e5torch.train import Example, TrainConfig, fine_tune

    settings = load_settings()
    splits = [s.strip() for s in args.splits.split(",") if s.strip()]
    if "test" in splits or args.eval_split == "test":
        print("Fout: de test-split wordt niet gebruikt bij trainen.", file=sys.stderr)
        return 2
    if not args.bank.is_dir():
        print(f"Fout: vragenbank {args.bank} bestaat niet.", file=sys.stderr)
        return 2
    out = args.out or adapters.SHIPPED
    say = lambda message: print(message, file=sys.stderr, flush=True)  # noqa: E731

    passages = corpus_passages(args.corpus or settings.corpus_dir)
    texts = {pid: text for pid, _, text in passages}
    entries = read_bank(args.bank)[:args.limit] if args.limit else read_bank(args.bank)
    bank, unmatched = bank_pairs(entries, passages)
    queries, evidence = load_queries(), load_evidence()
    pairs = bank + eval_pairs(queries, evidence, passages, splits)
    say(f"{len(passages)} passages; {len(bank)} bankvragen ({unmatched} zonder passage), "
        f"{len(pairs) - len(bank)} evalvragen uit {','.join(splits) or '-'}")

    base = E5TorchEmbedder(settings.home)
    measured = [q for q in queries if q.split == args.eval_split and q.answerable]
    vectors = base.embed_passages([p[2] for p in passages])
    before = {} if args.no_eval else dense_figures(base, passages, measured, evidence, vectors)
    negatives = {}
    if args.hard_negatives and args.sides == "both":
        ranked = rankings(base, {p.id: p.question for p in pairs}, [p[0] for p in passages], vectors)
        negatives = hard_negatives(pairs, ranked, args.hard_negatives, depth=10, seed=args.seed)
    examples = [Example(p.question, p.positive, p.positives, negatives.get(p.id, ())) for p in pairs]
    config = TrainConfig(seed=args.seed, sides=args.sides, epochs=args.epochs, batch_size=args.batch_size,
                         learning_rate=args.learning_rate, rank=args.rank,
                         max_passage_tokens=args.max_passage_tokens, max_steps=args.max_steps)
    started = time.perf_counter()

    def progress(step: int, total: int, loss: float) -> None:
        if step == 1 or step % 10 == 0 or step == total:
            say(f"stap {step}/{total}  loss {loss:.4f}  {time.perf_counter() - started:.0f} s")

    model, summary = fine_tune(base.base(), examples, texts, config, on_step=progress,
                                passage_vectors=vectors)
    record = {"version": VERSION, "seed": args.seed, "config": config.as_dict(), **summary,
              "data_sha256": data_checksum(pairs, texts), "bank": _shown(args.bank),
              "bank_questions": len(bank), "bank_unmatched": unmatched,
              "eval_questions": len(pairs) - len(bank), "eval_splits": splits,
              "hard_negatives": args.hard_negatives if args.sides == "both" else "whole corpus",
              "base_source": base.identity.split("|")[2]}
    adapters.save_adapter(model, out, record)
    if not args.no_eval:
        tuned = E5TorchEmbedder(settings.home, adapter=out)
        after = dense_figures(tuned, passages, measured, evidence)
        record["eval"] = {"split": args.eval_split, "held_out": args.eval_split not in splits,
                          "dense_before": before, "dense_after": after}
        adapters.save_adapter_record(out, record)
        say(f"dense {args.eval_split}: voor {before}, na {after}"
            + ("" if args.eval_split not in splits else " (niet apart gehouden: traint mee)"))
    say(f"Adapters opgeslagen in {out} ({summary['steps']} stappen, {summary['seconds']} s)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
