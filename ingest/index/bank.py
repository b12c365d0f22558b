"""The question bank: questions users ask, each tied to the verbatim span that answers it.

The bank is data beside the documents (`corpus/vragenbank/*.jsonl`, one file per document, one
entry per line), written and reviewed by people and validated here on load. An entry is keyed by
document + quote, never by passage id, so it survives re-chunking: ingest finds the passage that
holds an entry's quotes, embeds the questions (cached like the passages) and stores both in the
build; search reads them back with `QuestionBank.load`. An entry whose quote is no longer in its
document is stale: ingest reports it and leaves it out.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Literal

import numpy as np
from pydantic import BaseModel, ConfigDict, ValidationError, model_validator

from ingest.index.corpusdata.errors import CorpusDataError, describe, invalid
from ingest.index.passage import Passage

BANK_DIR = "vragenbank"
BANK_ROWS = "bank.jsonl"
BANK_VECTORS = "bank-vectors.npy"

Persona = Literal["raadslid", "ambtenaar", "trainer"]
QuestionKind = Literal["definitie", "lijst", "feit", "aanpak", "voorbeeld", "vergelijking",
                       "trefwoord", "regio"]
Reason = Literal["jaar", "cijfer", "naam", "later", "kosten", "overig"]
Origin = Literal["geschreven", "gegenereerd"]


class BankEntry(BaseModel):
    """One line of a bank file; the keys are the file's keys."""

    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True)

    id: str
    question: str
    persona: Persona
    kind: QuestionKind
    doc_id: str
    quotes: tuple[str, ...] = ()
    answerable: bool = True
    everyday: bool = False  # shares no content word with its quotes (a paraphrase)
    reason: Reason | None = None  # why an unanswerable question cannot be answered
    origin: Origin = "geschreven"

    @model_validator(mode="after")
    def _span_fits_answerability(self) -> BankEntry:
        if not self.id or len(self.question) < 3:
            raise invalid("id en vraag mogen niet leeg zijn")
        if self.answerable and not any(q for q in self.quotes):
            raise invalid("een beantwoordbare vraag heeft minstens één citaat")
        if not self.answerable and (self.quotes or self.reason is None):
            raise invalid("een onbeantwoordbare vraag heeft geen citaten en wel een reden")
        return self


def load_bank(folder: Path) -> list[BankEntry]:
    """Every entry of every `*.jsonl` in `folder`, in file and line order; no folder, no bank.
    A bad line stops with a CorpusDataError naming the file and the line, in Dutch."""
    folder = Path(folder)
    if not folder.is_dir():
        return []
    entries: list[BankEntry] = []
    seen: dict[str, str] = {}
    for path in sorted(folder.glob("*.jsonl")):
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
            if not line.strip():
                continue
            where = f"regel {number}"
            entry = _entry(path, where, line)
            if entry.id in seen:
                raise CorpusDataError(path, f"id '{entry.id}' staat er al ({seen[entry.id]})", where)
            seen[entry.id] = f"{path.name}, {where}"
            entries.append(entry)
    return entries


def _entry(path: Path, where: str, line: str) -> BankEntry:
    try:
        data = json.loads(line)
    except json.JSONDecodeError as err:
        raise CorpusDataError(path, f"geen geldige JSON ({err.msg}, kolom {err.colno})", where) from None
    if not isinstance(data, dict):
        raise CorpusDataError(path, "elke regel is één JSON-object", where)
    try:
        return BankEntry.model_validate(data)
    except ValidationError as exc:
        field, problem = describe(exc.errors()[0], data, BankEntry)
        raise CorpusDataError(path, problem, f"{where}, {field}" if field else where) from None


def _plain(text: str) -> str:
    return " ".join(text.split())


@dataclass(frozen=True)
class BankRow:
    """A bank entry as the index keeps it: resolved to the passage that holds its quotes
    (None for an unanswerable question)."""

    id: str
    question: str
    persona: str
    kind: str
    doc_id: str
    passage_id: str | None
    quotes: tuple[str, ...]
    answerable: bool
    origin: str = "geschreven"


@dataclass(frozen=True)
class Resolved:
    rows: list[BankRow]
    stale: list[BankEntry]  # answerable entries whose quotes no passage of their document holds


def resolve(entries: Iterable[BankEntry], passages: Sequence[Passage]) -> Resolved:
    """Tie each entry to the first passage of its document that holds all its quotes, in
    order (whitespace does not count). Unanswerable entries keep no passage."""
    by_doc: dict[str, list[tuple[str, str]]] = {}
    for p in passages:
        by_doc.setdefault(p.doc_id, []).append((p.id, _plain(p.text)))
    rows: list[BankRow] = []
    stale: list[BankEntry] = []
    for e in entries:
        passage_id = None
        if e.answerable:
            passage_id = next((pid for pid, text in by_doc.get(e.doc_id, ())
                               if _holds_in_order(text, [_plain(q) for q in e.quotes])), None)
            if passage_id is None:
                stale.append(e)
                continue
        rows.append(BankRow(id=e.id, question=e.question, persona=e.persona, kind=e.kind,
                            doc_id=e.doc_id, passage_id=passage_id,
                            quotes=tuple(_plain(q) for q in e.quotes), answerable=e.answerable,
                            origin=e.origin))
    return Resolved(rows, stale)


def _holds_in_order(text: str, quotes: Sequence[str]) -> bool:
    at = 0
    for quote in quotes:
        found = text.find(quote, at)
        if found < 0:
            return False
        at = found + len(quote)
    return True


def stale_line(stale: Sequence[BankEntry]) -> str | None:
    """One Dutch line for `regiowijzer ingest` about entries whose quote left its document."""
    if not stale:
        return None
    ids = ", ".join(e.id for e in stale[:5]) + (" …" if len(stale) > 5 else "")
    what = "1 vraag citeert" if len(stale) == 1 else f"{len(stale)} vragen citeren"
    return (f"Vragenbank: {what} tekst die niet meer in het document staat en "
            f"{'telt' if len(stale) == 1 else 'tellen'} niet mee ({ids}).")


def write_bank(build: Path, rows: Sequence[BankRow],
               embed_questions: Callable[[list[str]], np.ndarray]) -> int:
    """Store the resolved rows and their question vectors in the build."""
    vectors = (embed_questions([r.question for r in rows]) if rows
               else np.zeros((0, 0), dtype=np.float32))
    with (build / BANK_ROWS).open("w", encoding="utf-8") as out:
        for row in rows:
            out.write(json.dumps(asdict(row), ensure_ascii=False) + "\n")
    np.save(build / BANK_VECTORS, np.asarray(vectors, dtype=np.float32))
    return len(rows)


@dataclass(frozen=True)
class BankMatch:
    row: BankRow
    similarity: float  # cosine of the user's question with the bank question


class QuestionBank:
    """The build's bank questions and their vectors; which are closest to a question."""

    def __init__(self, rows: list[BankRow], matrix: np.ndarray) -> None:
        self.rows = rows
        self.matrix = matrix
        self.by_passage: dict[str, list[int]] = {}
        for i, row in enumerate(rows):
            if row.passage_id:
                self.by_passage.setdefault(row.passage_id, []).append(i)

    @classmethod
    def load(cls, build: Path) -> QuestionBank | None:
        """The build's bank, or None when it has none (an older build, or no bank files)."""
        try:
            matrix = np.load(build / BANK_VECTORS)
            lines = (build / BANK_ROWS).read_text(encoding="utf-8").splitlines()
        except (OSError, ValueError):
            return None
        if not lines or len(lines) != len(matrix):
            return None
        records = [json.loads(line) for line in lines]
        rows = [BankRow(**{**r, "quotes": tuple(r["quotes"])}) for r in records]
        return cls(rows, matrix)

    def __len__(self) -> int:
        return len(self.rows)

    def similarities(self, vector) -> np.ndarray:
        return self.matrix @ np.asarray(vector, dtype=np.float32)

    def nearest(self, vector, k: int = 5, sims: np.ndarray | None = None) -> list[BankMatch]:
        """The k bank questions closest to `vector`, best first (ties by bank order)."""
        sims = self.similarities(vector) if sims is None else sims
        order = np.argsort(-sims, kind="stable")[:k]
        return [BankMatch(self.rows[i], float(sims[i])) for i in order]


_WORD = re.compile(r"\w+")


def question_key(text: str) -> str:
    """A question's words, lowercased: two bank questions with the same key are one."""
    return " ".join(_WORD.findall(text.lower()))
