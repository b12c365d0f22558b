"""Orchestrates one eval run over our retrievers and the plain llama-index baseline."""

from __future__ import annotations

import sys
import time

from evals.dataset import load_evidence, load_queries
from evals.harness import System, evaluate, format_table, save
from ingest.config import Settings

OURS = "hybride (ons): score-fusie + vragenbank"  # the row the assistant uses; the differences are against it


def variants(model: str) -> list[tuple[str, str, object]]:
    """(label, mode, RetrievalConfig) per row: the plain rankers, then each addition on its
    own, so the table shows what each buys. The last row is what the assistant uses."""
    from assistant.retrieval.hybrid import PLAIN, RetrievalConfig

    ours = RetrievalConfig()
    short = model.split("/")[-1].replace("all-MiniLM-L6-v2", "MiniLM")
    lexical = PLAIN.with_(strip_framing=True)
    return [
        ("BM25 (Nederlands)", "lexical", PLAIN),
        (f"dense ({short})", "dense", PLAIN),
        ("hybride RRF 1:1 (oud)", "hybrid", PLAIN),
        ("BM25 + inleiding weg", "lexical", lexical),
        ("BM25 + begrippenlijst", "lexical", lexical.with_(expand=True)),
        ("BM25 + begrippen + routekaartveld", "lexical", ours.with_(fuzzy_weight=0.0)),
        ("BM25 + begrippen + routekaart + tekengrammen", "lexical", ours),
        (f"dense ({short}) + inleiding weg + begrippen", "dense", ours),
        ("hybride RRF 1:1, alles aan", "hybrid", ours.with_(fusion="rrf", dense_weight=1.0)),
        ("hybride (ons) zonder vragenbank", "hybrid", ours.with_(bank=False, bank_field_weight=0.0)),
        ("hybride (ons) + vragenbank als veld (geen lift)", "hybrid", ours.with_(bank=False)),
        (OURS, "hybrid", ours),
    ]


def run_eval(settings: Settings, splits: list[str], k: int = 10, baseline: bool = True,
             say=print) -> dict:
    from assistant.retrieval.confidence import predict_step, retrieval_confidence
    from assistant.retrieval.cross_encoder import reranker_from
    from assistant.retrieval.hybrid import HybridRetriever
    from evals.runners import LlamaIndexBaseline, OurRetriever
    from ingest.build import corpus_files, ingest
    from ingest.index.embedders import make_embedder
    from ingest.index.reader import open_index

    embedder = make_embedder(settings)
    ingest(settings, progress=sys.stderr.isatty(), embedder=embedder)
    index = open_index(settings, embedder.identity)
    queries = load_queries()
    evidence = load_evidence()
    tuning = [q for q in queries if q.split in ("dev", "val")]

    def ours(label: str, mode: str, config, cross_encoder=None) -> System:
        runner = OurRetriever(label, HybridRetriever(index, embedder, mode=mode, config=config,
                                                     cross_encoder=cross_encoder))
        return System(runner, predict_step=lambda q, hits: predict_step(hits),
                      confidence=lambda q, hits: retrieval_confidence(hits))

    systems: list[System] = []
    if baseline:
        started = time.perf_counter()
        doc_ids = {rec.name: rec.doc_id for rec in index.manifest.files.values() if not rec.skipped}
        files = [f for f in corpus_files(settings.corpus_dir) if f.name in doc_ids]
        systems.append(System(LlamaIndexBaseline(files, doc_ids, embedder)))
        say(f"(llama-index-baseline opgebouwd in {time.perf_counter() - started:.1f} s)")
    systems += [ours(label, mode, config) for label, mode, config in variants(embedder.name)]
    cross_encoder = reranker_from(settings)  # REGIOWIJZER_RERANK_MODEL: one more row, beside ours
    if cross_encoder is not None:
        systems.append(ours(f"{OURS} + cross-encoder ({cross_encoder.name})", "hybrid",
                            variants(embedder.name)[-1][2], cross_encoder))

    results, tables = {}, []
    for split in splits:
        qs = [q for q in queries if split == "all" or q.split == split]
        results[split] = [evaluate(s, qs, evidence, tuning, k=k) for s in systems]
        answerable = sum(q.answerable for q in qs)
        tables.append(format_table(results[split], f"{split}: {len(qs)} vragen "
                                   f"({answerable} beantwoordbaar), model {embedder.name}"))
        tables.append(format_differences(results[split]))
        if index.bank is not None:
            from evals.bank_distance import format_bank_distance

            tables.append(format_bank_distance(qs, index.bank, embedder, split))
    text = "\n\n".join(tables)
    say(text)
    path = save(results, text, {"model": embedder.identity, "k": k, "passages": len(index.passages)})
    say(f"\nResultaten opgeslagen in {path}")
    return results



def format_differences(results, ours: str = OURS, k: int = 5) -> str:
    """Per other retriever: how much higher our hybrid's hit@k is, with a paired bootstrap 95%
    interval over the split's answerable questions."""
    from evals.metrics import hits_at, paired_bootstrap

    mine = next((r for r in results if r.label == ours), None)
    if mine is None:
        return ""
    base = hits_at(mine.run, mine.qrels, k)
    lines = [f"Verschil in hit@{k} van {ours} met (gepaarde bootstrap, 95%-interval):", ""]
    for r in results:
        if r is mine:
            continue
        other = hits_at(r.run, r.qrels, k)
        ids = sorted(set(base) & set(other))
        diff, low, high = paired_bootstrap([base[q] for q in ids], [other[q] for q in ids])
        lines.append(f"- {r.label}: {diff:+.2f} [{low:+.2f}, {high:+.2f}]")
    return "\n".join(lines)
