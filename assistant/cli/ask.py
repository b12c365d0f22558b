"""`regiowijzer ask`: one question (Markdown, JSON or a file) or a JSONL batch in one process."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import TextIO

from assistant.compose.answer import MODES

EXIT_OK, EXIT_ERROR = 0, 2


def read_questions(path: Path) -> list[dict]:
    """One {"id", "question"} per line; blank lines are skipped, bad ones named by number."""
    rows = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip():
            continue
        try:
            row = json.loads(line)
            rows.append({"id": row["id"], "question": "" if row["question"] is None
                         else str(row["question"])})
        except (ValueError, KeyError, TypeError) as err:
            raise ValueError(f"{path}, regel {number}: verwacht {{\"id\", \"question\"}} ({err})") \
                from err
    return rows


def error_line(row: dict, mode: str, message: str) -> dict:
    """The contract's shape for a question that could not be asked (empty, for instance)."""
    return {"id": row["id"], "question": row["question"], "mode": mode, "backend": "none",
            "abstained": True, "weak_basis": False, "notice": message, "region": None, "kind": None,
            "answer": "", "steps": [], "citations": [], "related": []}


def answer_lines(assistant, rows: list[dict], mode: str, out: TextIO, notice: str | None,
                 region: str | None = None) -> int:
    from assistant.service import QuestionError

    for row in rows:
        try:
            answer = assistant.ask(row["question"], mode=mode, notice=notice, region=region)
            line = {"id": row["id"], **answer.to_json()}
        except QuestionError as err:
            line = error_line(row, mode, str(err))
        out.write(json.dumps(line, ensure_ascii=False) + "\n")
        out.flush()
    return len(rows)


def _error(message: str) -> int:
    print(f"Fout: {message}", file=sys.stderr)
    return EXIT_ERROR


def run_ask(args, settings) -> int:
    from assistant.compose.composer import make_composer
    from assistant.present.docx import ExportError, write_answer
    from assistant.service import Assistant, QuestionError
    from ingest.index.reader import IndexUnavailable

    if args.mode not in MODES:
        return _error(f"onbekende modus '{args.mode}' (kies uit: {', '.join(MODES)})")
    if not args.jsonl and not (args.question or "").strip():
        return _error("geef een vraag, bijvoorbeeld: regiowijzer ask \"wat is weefsel?\"")
    try:
        rows = read_questions(args.jsonl) if args.jsonl else None
        assistant = Assistant.from_settings(settings)
    except (IndexUnavailable, ValueError, OSError) as err:
        return _error(str(err))
    assistant.composer, notice = make_composer(args.llm)  # None: REGIOWIJZER_LLM decides
    region = getattr(args, "regio", None)
    if rows is not None:
        if args.out:
            with Path(args.out).open("w", encoding="utf-8") as fh:
                answer_lines(assistant, rows, args.mode, fh, notice, region)
            print(f"Antwoorden opgeslagen in {args.out}", file=sys.stderr)
        else:
            answer_lines(assistant, rows, args.mode, sys.stdout, notice, region)
        return EXIT_OK
    try:
        answer = assistant.ask(args.question, mode=args.mode, notice=notice, region=region)
    except QuestionError as err:
        return _error(str(err))
    if args.out:
        try:
            write_answer(answer, args.out)
        except ExportError as err:
            return _error(str(err))
        print(f"Antwoord opgeslagen in {args.out}", file=sys.stderr)
    if args.json:
        print(json.dumps(answer.to_json(), ensure_ascii=False, indent=2))
    else:
        print(answer.meta["markdown"])
    return EXIT_OK
