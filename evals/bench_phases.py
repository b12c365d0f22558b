"""The phases `python -m evals bench` times, each run in a fresh interpreter by evals.bench:
`python -m evals.bench_phases PHASE --out FILE ...` writes the phase's figures as JSON."""

from __future__ import annotations

import argparse
import json
import os
import resource
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path

from evals.metrics import percentile
from ingest.config import Settings, load_settings, quiet_third_parties

PHASES = ("ingest", "reingest", "search", "answer")


def bench_questions(n: int = 30) -> list[str]:
    """The first `n` development questions: a fixed list, never the test part."""
    from evals.dataset import load_queries

    return [q.text for q in load_queries() if q.split == "dev"][:n]


def peak_rss_mb() -> float:
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss  # kB on Linux, bytes on macOS
    return round(rss / (1024 * 1024 if sys.platform == "darwin" else 1024), 1)


def _latency_fields(prefix: str, latencies_ms: Sequence[float]) -> dict:
    return {f"{prefix}_p50_ms": round(percentile(latencies_ms, 50), 1),
            f"{prefix}_p95_ms": round(percentile(latencies_ms, 95), 1),
            f"{prefix}_samples": len(latencies_ms)}


def _timed(fn: Callable[[], object]) -> tuple[object, float]:
    start = time.perf_counter()
    result = fn()
    return result, time.perf_counter() - start


# --- phases: each returns a flat dict of figures ------------------------------------------

def phase_ingest(settings: Settings, embedder=None, **_) -> dict:
    from ingest.build import ingest

    report, seconds = _timed(lambda: ingest(settings, progress=sys.stderr.isatty(),
                                            embedder=embedder))
    return {"cold_ingest_s": round(seconds, 2), "files": report.files,
            "skipped_files": len(report.skipped), "passages": report.passages,
            "embedded": report.embedded}


def phase_reingest(settings: Settings, embedder=None, **_) -> dict:
    from ingest.build import ingest

    report, seconds = _timed(lambda: ingest(settings, progress=False, embedder=embedder))
    return {"no_change_s": round(seconds, 3), "no_change_status": report.status}


def phase_search(settings: Settings, questions: Sequence[str], started: float, repeats: int = 3,
                 embedder=None, **_) -> dict:
    from assistant.retrieval.hybrid import HybridRetriever
    from ingest.index.embedders import make_embedder
    from ingest.index.reader import open_index

    embedder = embedder or make_embedder(settings)
    index, open_s = _timed(lambda: open_index(settings, embedder.identity))
    retriever, init_s = _timed(lambda: HybridRetriever(index, embedder))
    retriever.search(questions[0], k=8)
    first = time.time() - started
    latencies = []
    for _round in range(repeats):
        for question in questions:
            _, seconds = _timed(lambda q=question: retriever.search(q, k=8))
            latencies.append(seconds * 1000)
    return {"first_search_s": round(first, 2), "open_index_s": round(open_s, 3),
            "retriever_init_s": round(init_s, 3),
            **_latency_fields("search", latencies), **_search_parts(index, embedder, questions)}


def _search_parts(index, embedder, questions: Sequence[str]) -> dict:
    """Where a search spends its time: the query vector does not grow with the corpus, the
    vector lookup and BM25 scoring do."""
    parts: dict[str, list[float]] = {"embed": [], "dense": [], "lexical": []}
    k = min(50, len(index.passages))
    for question in questions:
        vector, seconds = _timed(lambda q=question: embedder.embed_query(q))
        parts["embed"].append(seconds * 1000)
        _, seconds = _timed(lambda v=vector: index.vectors.search(v, k, None))
        parts["dense"].append(seconds * 1000)
        _, seconds = _timed(lambda q=question: index.lexical.scores(q))
        parts["lexical"].append(seconds * 1000)
    return {f"search_{name}_p50_ms": round(percentile(values, 50), 3)
            for name, values in parts.items()}


def phase_answer(settings: Settings, questions: Sequence[str], started: float, **_) -> dict:
    from assistant.service import Assistant

    try:
        assistant = Assistant.from_settings(settings)
        assistant.ask(questions[0], mode="vraag")
        first = time.time() - started
        latencies = []
        for question in questions[1:] or questions:  # the assistant caches query vectors
            _, seconds = _timed(lambda q=question: assistant.ask(q, mode="vraag"))
            latencies.append(seconds * 1000)
    except Exception as err:  # the answer layer is optional here; report, do not abort
        return {"answer_note": f"mislukt: {type(err).__name__}: {err}"}
    return {"first_answer_s": round(first, 2), **_latency_fields("answer", latencies),
            "llm_backend": os.environ.get("REGIOWIJZER_LLM", "none")}


PHASE_FUNCTIONS = {"ingest": phase_ingest, "reingest": phase_reingest, "search": phase_search,
                   "answer": phase_answer}


def run_phase(name: str, settings: Settings, questions: Sequence[str], started: float,
              repeats: int, embedder=None) -> dict:
    result = PHASE_FUNCTIONS[name](settings=settings, questions=questions, started=started,
                                   repeats=repeats, embedder=embedder)
    return {**result, "rss_mb": peak_rss_mb()}


def main(argv: Sequence[str] | None = None) -> int:
    quiet_third_parties()
    parser = argparse.ArgumentParser(prog="python -m evals.bench_phases")
    parser.add_argument("phase", choices=PHASES)
    parser.add_argument("--out", required=True)
    parser.add_argument("--questions", type=int, default=30)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--started", type=float, default=None)
    args = parser.parse_args(argv)
    settings = load_settings()
    result = run_phase(args.phase, settings, bench_questions(args.questions), args.started or time.time(),
                       args.repeats)
    Path(args.out).write_text(json.dumps(result), encoding="utf-8")
    return 0



if __name__ == "__main__":
    sys.exit(main())
