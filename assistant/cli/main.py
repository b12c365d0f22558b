"""The `regiowijzer` command: a thin layer that parses arguments and calls the library.

Exit status: 0 ok, 1 done but some files were skipped, 2 could not do what was asked.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import textwrap
import traceback
from collections.abc import Sequence
from pathlib import Path

from ingest.config import Settings, load_settings, quiet_third_parties

EXIT_OK, EXIT_SKIPPED, EXIT_ERROR = 0, 1, 2
FIRST_BUILD_S = 180.0  # the shipped corpus's first build: ~186 s of CPU, measured
SHIPPED_BYTES = 300_000


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="regiowijzer",
        description="Regiowijzer: vragen over regionale samenwerking, beantwoord met bronnen.",
    )
    parser.add_argument("--corpus", type=Path, help="map met brondocumenten (standaard: corpus/)")
    sub = parser.add_subparsers(dest="command", required=True)

    p = sub.add_parser("ingest", help="bouw of werk de index bij")
    p.add_argument("--corpus", type=Path, dest="corpus_sub", help="map met brondocumenten")
    p.add_argument("--rebuild", action="store_true", help="bouw alles opnieuw op")
    p.add_argument("--quiet", action="store_true", help="geen voortgangsbalk")
    p.add_argument("--wait", type=float, metavar="SECONDEN",
                   help="hoe lang wachten als er al een indexering loopt (standaard 600, of "
                        "REGIOWIJZER_INGEST_WAIT)")
    p.add_argument("--no-wait", action="store_true",
                   help="niet wachten: stop meteen (status 2) als er al een indexering loopt")
    p.add_argument("--vragen", action="store_true",
                   help="laat het taalmodel kandidaatvragen schrijven voor passages zonder vragen in de "
                        "vragenbank (naar vragenbank/te-beoordelen/, om na te kijken)")

    p = sub.add_parser("search", help="zoek passages bij een vraag")
    p.add_argument("question", nargs="?", help="de vraag")
    p.add_argument("--k", type=int, default=None, help="aantal passages (standaard 8; 10 bij --jsonl)")
    p.add_argument("--json", action="store_true", help="uitvoer als JSON")
    p.add_argument("--jsonl", type=Path, help="bestand met één {id, question} per regel")
    p.add_argument("--mode", choices=("hybrid", "dense", "lexical"), default="hybrid")
    p.add_argument("--kind", action="append", default=[], help="filter op soort document")
    p.add_argument("--step", action="append", type=int, default=[], help="filter op stap 1-5")
    p.add_argument("--doc", action="append", default=[], help="filter op document-id")

    p = sub.add_parser("ask", help="beantwoord een vraag met bronnen, langs de routekaart")
    p.add_argument("question", nargs="?", help="de vraag")
    p.add_argument("--mode", choices=("vraag", "notitie", "gespreksvragen"), default="vraag",
                   help="vraag (raadslid), notitie (ambtenaar) of gespreksvragen (trainer)")
    p.add_argument("--json", action="store_true", help="uitvoer als JSON")
    p.add_argument("--jsonl", type=Path, help="bestand met één {id, question} per regel")
    p.add_argument("--llm", choices=("none", "ollama", "openai"), default=None,
                   help="taalmodel dat het antwoord schrijft (standaard: REGIOWIJZER_LLM, anders geen)")
    p.add_argument("--out", type=Path, help="schrijf het antwoord naar FILE.md of FILE.docx")
    p.add_argument("--regio", metavar="NAAM",
                   help="uw gemeente, arbeidsmarktregio of provincie: het antwoord krijgt een deel "
                        "'In uw regio' (zie corpus/regios.toml)")

    p = sub.add_parser("serve", help="start de app in de browser (bouwt eerst de index als die ontbreekt)")
    p.add_argument("--host", default="127.0.0.1", help="adres (standaard 127.0.0.1: alleen deze computer)")
    p.add_argument("--port", type=int, default=7860, help="poort (standaard 7860)")
    p.add_argument("--auth", metavar="GEBRUIKER:WACHTWOORD",
                   help="login vereisen (of zet REGIOWIJZER_AUTH)")
    p.add_argument("--forwarded-allow-ips", metavar="ADRESSEN",
                   help="adressen van uw reverse proxy (komma's), de enige van wie X-Forwarded-For "
                        "geloofd wordt (of zet REGIOWIJZER_FORWARDED_ALLOW_IPS; standaard niemand)")

    p = sub.add_parser("passages", help="alle geïndexeerde passages met metadata")
    p.add_argument("--jsonl", action="store_true", help="één JSON-object per regel (standaard)")
    p.add_argument("--doc", help="alleen dit document-id")

    sub.add_parser("info", help="wat er in de index zit")

    p = sub.add_parser("feedback", help="de 👍/👎 uit de app (lokaal bewaard)")
    p.add_argument("--export", nargs="?", const="-", metavar="BESTAND",
                   help="schrijf ze als vragen in het formaat van de evaluatieset (queries.jsonl); "
                        "zonder bestand naar de uitvoer")
    p.add_argument("--alleen", choices=("goed", "slecht"), help="alleen 👍 (goed) of 👎 (slecht)")

    return parser


def main(argv: Sequence[str] | None = None) -> int:
    quiet_third_parties()
    args = _parser().parse_args(argv)
    settings = load_settings()
    corpus = getattr(args, "corpus_sub", None) or args.corpus
    if corpus:
        settings = settings.with_(corpus_dir=corpus.resolve())
    handler = {"ingest": cmd_ingest, "search": cmd_search, "ask": cmd_ask, "passages": cmd_passages,
               "info": cmd_info, "serve": cmd_serve, "feedback": cmd_feedback}[args.command]
    try:
        return handler(args, settings)
    except BrokenPipeError:
        return _reader_went_away()
    except KeyboardInterrupt:
        print("Afgebroken.", file=sys.stderr)
        return EXIT_ERROR
    except Exception as err:  # never a traceback, and never status 1 ("done, files skipped")
        from ingest.index.diskfull import disk_full_message, is_disk_full

        if is_disk_full(err):
            return _error(disk_full_message(settings.home).capitalize() + ".", err)
        return _error(f"onverwachte fout ({type(err).__name__}: {err}). Meld dit aan de "
                      "beheerder; zet REGIOWIJZER_DEBUG=1 voor de details.", err)


def _reader_went_away() -> int:
    """The program reading our output stopped (`regiowijzer passages --jsonl | head`): end
    quietly, as other command-line tools do. Python would complain when it flushes stdout at
    exit, so stdout is pointed at /dev/null first."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError):
        pass
    return EXIT_OK


def _error(message: str, err: BaseException | None = None) -> int:
    print(f"Fout: {message}", file=sys.stderr)
    if err is not None and os.environ.get("REGIOWIJZER_DEBUG"):
        traceback.print_exception(err, file=sys.stderr)
    return EXIT_ERROR


def cmd_ingest(args, settings: Settings) -> int:
    """0: done; 1: done, some files skipped; 2: nothing changed, with the reason why."""
    from ingest.build import IngestError, ingest
    from ingest.corpusfiles import printable
    from ingest.index.corpusdata import CorpusDataError

    wait = 0.0 if args.no_wait else (args.wait if args.wait is not None else settings.ingest_wait_s)
    first = first_build_notice(settings)
    if first and not args.quiet:
        print(first, file=sys.stderr, flush=True)
    try:
        report = ingest(settings, rebuild=args.rebuild, progress=not args.quiet, wait=wait,
                        say=lambda message: print(message, file=sys.stderr, flush=True))
    except (IngestError, CorpusDataError) as err:
        return _error(str(err))
    except MemoryError:
        return _error("te weinig werkgeheugen om de index te bouwen; de vorige index blijft "
                      "actief. Verklein het grootste bestand of verlaag REGIOWIJZER_MAX_FILE_MB.")
    for name, reason in report.skipped:
        print(f"Overgeslagen: {printable(name)}: {printable(reason)}", file=sys.stderr)
    for name, warning in report.warnings:
        print(f"Let op: {printable(name)}: {printable(warning)}", file=sys.stderr)
    if report.status == "unchanged":
        print(f"Index is actueel: {report.files} bestanden, {report.passages} passages.")
    else:
        indexed = report.files - len(report.skipped)
        print(f"Index gebouwd: {indexed} van {report.files} bestanden, {report.passages} passages "
              f"({report.embedded} nieuw ingebed, {report.reused_files} bestanden ongewijzigd"
              + (f", {len(report.removed)} verwijderd" if report.removed else "")
              + (f", {report.bank_questions} vra{'ag' if report.bank_questions == 1 else 'gen'} uit de "
                 "vragenbank" if report.bank_questions else "")
              + ").")
    if report.bank_stale:
        print(report.bank_stale, file=sys.stderr)
    if args.vragen:
        from assistant.cli.bankgen import write_candidate_questions

        if write_candidate_questions(settings) != EXIT_OK:
            return EXIT_ERROR
    return EXIT_SKIPPED if report.skipped else EXIT_OK


def first_build_notice(settings: Settings) -> str | None:
    """Before the first build: that it is building, and roughly how long that takes (measured:
    the shipped corpus, ~300 KB, in about FIRST_BUILD_S)."""
    from ingest.index.layout import current_build

    if current_build(settings.index_root) is not None or not settings.corpus_dir.is_dir():
        return None
    size = sum(p.stat().st_size for p in settings.corpus_dir.iterdir()
               if p.is_file() and not p.name.startswith("."))
    minutes = max(1, round(FIRST_BUILD_S * max(1.0, size / SHIPPED_BYTES) / 60))
    span = "ongeveer een minuut" if minutes == 1 else f"ongeveer {minutes} minuten"
    return (f"Er is nog geen index: Regiowijzer bouwt hem nu uit {settings.corpus_dir} "
            f"(eenmalig; {span} op een gewone laptop). Daarna start het in seconden.")


def _retriever(settings: Settings, mode: str):
    from assistant.retrieval.cross_encoder import reranker_from
    from assistant.retrieval.hybrid import HybridRetriever
    from ingest.index.embedders import make_embedder
    from ingest.index.reader import open_index

    embedder = make_embedder(settings)
    index = open_index(settings, embedder.identity)
    return HybridRetriever(index, embedder, mode=mode, cross_encoder=reranker_from(settings))


def cmd_search(args, settings: Settings) -> int:
    from assistant.cli.ask import read_questions
    from assistant.retrieval.hybrid import Filters
    from ingest.index.reader import IndexUnavailable
    from ingest.index.vectorstore import VectorStoreUnavailable

    if not args.jsonl and not (args.question or "").strip():
        return _error("geef een vraag, bijvoorbeeld: regiowijzer search \"wat is weefsel?\"")
    try:
        retriever = _retriever(settings, args.mode)
        questions = read_questions(args.jsonl) if args.jsonl else None
    except (IndexUnavailable, ValueError, OSError) as err:
        return _error(str(err))
    filters = Filters(kinds=tuple(args.kind), steps=tuple(args.step), doc_ids=tuple(args.doc))
    try:
        return _print_search(args, retriever, questions, filters)
    except VectorStoreUnavailable as err:
        return _error(str(err))


def _print_search(args, retriever, questions, filters) -> int:
    if questions is not None:
        k = args.k or 10
        for row in questions:
            hits = retriever.search(row["question"], k=k, filters=filters)
            print(json.dumps({"id": row["id"], "hits": hits_to_json(hits)}, ensure_ascii=False))
        return EXIT_OK
    hits = retriever.search(args.question, k=args.k or 8, filters=filters)
    if args.json:
        print(json.dumps({"question": args.question, "hits": hits_to_json(hits)},
                         ensure_ascii=False, indent=2))
        return EXIT_OK
    if not hits:
        print("Geen passages gevonden.")
    for hit in hits:
        p = hit.passage
        where = f"p. {p.page}" if p.page else "pagina onbekend"
        print(f"[{hit.rank}] {p.title} ({where}) — {p.section or p.block}")
        print(textwrap.indent(textwrap.fill(p.text, 96), "    "))
        print()
    return EXIT_OK


def hits_to_json(hits: Sequence) -> list[dict]:
    """The search contract: one dict per hit with the passage's citation fields."""
    return [
        {
            "rank": h.rank, "id": h.passage.id, "doc_id": h.passage.doc_id,
            "title": h.passage.title, "kind": h.passage.kind, "page": h.passage.page,
            "section": h.passage.section, "block": h.passage.block, "steps": h.passage.steps,
            "steps_inferred": h.passage.steps_inferred, "wegwijzer": h.passage.wegwijzer,
            "speaker": h.passage.speaker, "places": h.passage.places,
            "text": h.passage.text, "score": h.score,
        }
        for h in hits
    ]


def cmd_ask(args, settings: Settings) -> int:
    from assistant.cli.ask import run_ask

    return run_ask(args, settings)


def cmd_passages(args, settings: Settings) -> int:
    from dataclasses import asdict

    import ingest.index.layout as layout
    from ingest.index.reader import IndexUnavailable, open_manifest

    try:
        build, _ = open_manifest(settings)
    except IndexUnavailable as err:
        return _error(str(err))
    for passage in layout.read_passages(build / layout.PASSAGES):
        if args.doc and passage.doc_id != args.doc:
            continue
        print(json.dumps(asdict(passage), ensure_ascii=False))
    return EXIT_OK


def adapter_line(identity: str) -> str | None:
    """What the index's fine-tuned adapters are and what they were trained on (training.json of
    the shipped adapters, when the index was built with them); None for a model without adapters."""
    import re

    found = re.search(r"\|adapter=([^|]+)", identity or "")
    if not found or found.group(1) == "none":
        return None
    line = found.group(1)
    try:
        from ingest.index.embedders.e5torch.adapter import SHIPPED, adapter_identity

        if adapter_identity(SHIPPED) == line:
            record = json.loads((SHIPPED / "training.json").read_text(encoding="utf-8"))
            line += (f", getraind op {record['bank_questions']} bankvragen en {record['eval_questions']} "
                     f"evalvragen ({', '.join(record['eval_splits'])}), data {record['data_sha256'][:12]}")
    except (ImportError, OSError, ValueError, KeyError):
        pass
    return line


def cmd_info(args, settings: Settings) -> int:
    from ingest.corpusfiles import printable
    from ingest.index.reader import IndexUnavailable, open_manifest

    try:
        build, manifest = open_manifest(settings)
    except IndexUnavailable as err:
        return _error(str(err))
    print(f"Index:      {build}")
    print(f"Gebouwd:    {manifest.built_at}")
    print(f"Model:      {manifest.model} ({manifest.dim} dimensies)")
    trained = adapter_line(manifest.model_identity)
    if trained:
        print(f"Adapters:   {trained}")
    print(f"Corpus:     {manifest.corpus_dir}")
    print(f"Passages:   {manifest.passages}")
    if settings.rerank_model:  # named, not loaded: info stays fast
        print(f"Reranker:   {settings.rerank_model} (de beste {settings.rerank_depth} kandidaten)")
    print("Documenten:")
    for record in manifest.files.values():
        if record.skipped:
            print(f"  - {printable(record.name)}: overgeslagen ({printable(record.skipped)})")
        else:
            print(f"  - {printable(record.title)} [{record.kind}] {record.doc_id}: "
                  f"{record.passages} passages")
    return EXIT_OK


def cmd_feedback(args, settings: Settings) -> int:
    """List the ratings given in the app, or export them as evaluation questions."""
    from assistant.app.feedback import export_rows, feedback_path, read

    rows = [r for r in read(settings.home) if not args.alleen or r.get("rating") == args.alleen]
    if args.export is None:
        if not rows:
            print(f"Nog geen feedback ({feedback_path(settings.home)}).")
        for r in rows:
            mark = "👍" if r.get("rating") == "goed" else "👎"
            comment = f" — {printable_line(r.get('comment') or '')}" if r.get("comment") else ""
            print(f"{mark} {r.get('time', '')[:16]} {printable_line(r['question'])}{comment}")
        return EXIT_OK
    lines = [json.dumps(row, ensure_ascii=False) for row in export_rows(rows)]
    if args.export == "-":
        for line in lines:
            print(line)
        return EXIT_OK
    try:
        Path(args.export).write_text("".join(f"{line}\n" for line in lines), encoding="utf-8")
    except OSError as err:
        return _error(f"kan {args.export} niet schrijven ({err.strerror or err}).")
    print(f"{len(lines)} vragen geschreven naar {args.export} (formaat van evals/data/queries.jsonl).",
          file=sys.stderr)
    return EXIT_OK


def printable_line(text: str) -> str:
    return " ".join(str(text).split())


def cmd_serve(args, settings: Settings) -> int:
    from assistant.cli.serve import serve
    from ingest.build import IngestError
    from ingest.index.corpusdata import CorpusDataError
    from ingest.index.reader import IndexUnavailable

    try:
        serve(settings, host=args.host, port=args.port, auth=args.auth,
              forwarded_allow_ips=args.forwarded_allow_ips)
    except (IndexUnavailable, IngestError, CorpusDataError, ValueError, OSError) as err:
        return _error(str(err))
    return EXIT_OK

if __name__ == "__main__":
    sys.exit(main())
