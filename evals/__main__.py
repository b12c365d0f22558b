"""`python -m evals eval|answers|bench`: measuring is a tool beside the product, not part of its CLI.

`python -m evals.load` runs the load test against the app.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

from ingest.config import load_settings, quiet_third_parties


def _parser() -> argparse.ArgumentParser:
    from evals.bench import add_arguments as add_bench_arguments

    parser = argparse.ArgumentParser(prog="python -m evals",
                                     description="Regiowijzer meten: zoekkwaliteit en snelheid.")
    sub = parser.add_subparsers(dest="command", required=True)
    p = sub.add_parser("eval", help="meet de zoekkwaliteit op de evaluatievragen")
    p.add_argument("--corpus", type=Path, dest="corpus_sub", metavar="MAP",
                   help="map met brondocumenten (standaard: corpus/)")
    p.add_argument("--split", choices=("dev", "val", "test", "both", "every", "all"), default="every",
                   help="dev (afstemmen), val (controle), test (alleen bij rapporteren); "
                        "both = dev en test, every = alle drie apart (standaard), all = alles samen")
    p.add_argument("--k", type=int, default=10)
    p.add_argument("--no-baseline", action="store_true", help="sla de llama-index-baseline over")
    a = sub.add_parser("answers", help="meet de antwoorden: citeert het korte antwoord het bewijs, "
                                       "bungelende of dubbele zinnen, letterlijkheid")
    a.add_argument("--corpus", type=Path, dest="corpus_sub", metavar="MAP",
                   help="map met brondocumenten (standaard: corpus/)")
    a.add_argument("--split", choices=("dev", "val", "test", "every", "all"), default="dev",
                   help="dev (afstemmen, standaard), val (controle), test (alleen bij rapporteren)")
    add_bench_arguments(sub.add_parser("bench", help="meet ingest-, zoek- en antwoordtijden bij ×1/×10/×100"))
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    quiet_third_parties()
    args = _parser().parse_args(argv)
    settings = load_settings()
    if args.corpus_sub:
        settings = settings.with_(corpus_dir=args.corpus_sub.resolve())
    if args.command == "eval":
        from evals.run import run_eval

        splits = {"both": ["dev", "test"], "every": ["dev", "val", "test"]}.get(args.split, [args.split])
        run_eval(settings, splits, k=args.k, baseline=not args.no_baseline)
        return 0
    if args.command == "answers":
        from evals.answers import run_answers

        run_answers(settings, ["dev", "val", "test"] if args.split == "every" else [args.split])
        return 0
    from evals.bench import run_from_args

    return run_from_args(args, settings)


if __name__ == "__main__":
    sys.exit(main())
