"""Candidate bank questions for passages the bank does not cover yet (new or changed documents),
written by the configured language model through llama-index's QuestionsAnsweredExtractor with
the Dutch prompt prompts/vragen.toml.

A candidate is kept only when its answering quote stands verbatim in the passage; the rest is
dropped, never repaired. Candidates go to a separate folder (`vragenbank/te-beoordelen/`) in the
bank's own format, marked `gegenereerd`: the bank reads only the files directly in
`vragenbank/`, so nothing generated counts until a person has looked at it and moved it there.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from assistant.compose.llm.errors import LLMUnavailable
from assistant.compose.llm.prompts import default_prompt
from ingest.index.bank import BANK_DIR
from ingest.index.passage import Passage

PROMPT = "vragen"
REVIEW_DIR = "te-beoordelen"
PER_PASSAGE = 3
MIN_QUOTE_WORDS = 5
_LINE = re.compile(r"^\s*(?:[-*\d.)\s]*)VRAAG:\s*(?P<question>.+?)\s*\|\s*CITAAT:\s*(?P<quote>.+?)\s*$",
                   re.IGNORECASE)


def _plain(text: str) -> str:
    return " ".join(text.split())


def parse_candidates(text: str) -> list[tuple[str, str]]:
    """(question, quote) from each 'VRAAG: … | CITAAT: …' line of the model's reply."""
    pairs = []
    for line in text.splitlines():
        match = _LINE.match(line)
        if match:
            quote = match["quote"].strip().strip('"“”„').strip()
            pairs.append((match["question"].strip(), quote))
    return pairs


def verified(pairs: Iterable[tuple[str, str]], passage_text: str) -> list[tuple[str, str]]:
    """The pairs whose quote stands verbatim (whitespace aside) in the passage, long enough to
    answer on its own, each question once."""
    text = _plain(passage_text)
    kept, seen = [], set()
    for question, quote in pairs:
        quote = _plain(quote)
        if (len(quote.split()) >= MIN_QUOTE_WORDS and quote in text and len(question) > 5
                and question.lower() not in seen):
            seen.add(question.lower())
            kept.append((question, quote))
    return kept


@dataclass(frozen=True)
class Generated:
    entries: list[dict]  # bank entries, origin "gegenereerd"
    dropped: int  # candidates whose quote was not verbatim in the passage
    files: list[Path]


def extractor_template() -> str:
    """The Dutch prompt as the one template QuestionsAnsweredExtractor fills in."""
    prompt = default_prompt(PROMPT)
    text = f"{prompt.system.strip()}\n\n{prompt.user.strip()}"
    return text.replace("{passage}", "{context_str}").replace("{aantal}", "{num_questions}")


def generate(llm, passages: Sequence[Passage], per_passage: int = PER_PASSAGE) -> tuple[list[dict], int]:
    """Ask the model for candidates for each passage; (entries kept, candidates dropped)."""
    from llama_index.core.extractors import QuestionsAnsweredExtractor
    from llama_index.core.schema import TextNode

    # one passage at a time: a local model server answers one request at a time anyway, and the
    # candidates come back in passage order
    extractor = QuestionsAnsweredExtractor(llm=llm, questions=per_passage, num_workers=1,
                                           prompt_template=extractor_template(), show_progress=False)
    nodes = [TextNode(text=p.text, id_=p.id) for p in passages]
    try:
        replies = extractor.extract(nodes)
    except Exception as err:  # any client or server failure: the user learns it, nothing is written
        raise LLMUnavailable("unusable", f"het taalmodel gaf geen vragen ({type(err).__name__}: "
                                         f"{str(err)[:200]})") from err
    entries, dropped = [], 0
    for passage, reply in zip(passages, replies, strict=True):
        pairs = parse_candidates(reply.get("questions_this_excerpt_can_answer", ""))
        kept = verified(pairs, passage.text)
        dropped += len(pairs) - len(kept)
        for question, quote in kept:
            digest = hashlib.sha256(f"{passage.doc_id}\n{question}".encode()).hexdigest()[:10]
            entries.append({"id": f"g-{digest}", "question": question, "persona": "raadslid",
                            "kind": "feit", "doc_id": passage.doc_id, "quotes": [quote],
                            "answerable": True, "origin": "gegenereerd"})
    return entries, dropped


def uncovered(passages: Sequence[Passage], covered: set[str], pending: Iterable[dict]) -> list[Passage]:
    """Passages no bank question points to and no candidate awaits review for."""
    waiting = {(e["doc_id"], _plain(q)) for e in pending for q in e.get("quotes", ())}
    out = []
    for p in passages:
        text = _plain(p.text)
        if p.id in covered or any(doc == p.doc_id and q in text for doc, q in waiting):
            continue
        if len(text.split()) >= 20:
            out.append(p)
    return out


def review_folder(corpus_dir: Path) -> Path:
    return Path(corpus_dir) / BANK_DIR / REVIEW_DIR


def pending_entries(corpus_dir: Path) -> list[dict]:
    entries = []
    for path in sorted(review_folder(corpus_dir).glob("*.jsonl")):
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.strip():
                entries.append(json.loads(line))
    return entries


def write_candidates(corpus_dir: Path, entries: Sequence[dict]) -> list[Path]:
    """Append the candidates to te-beoordelen/<doc_id>.jsonl, one file per document."""
    folder = review_folder(corpus_dir)
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for doc_id in sorted({e["doc_id"] for e in entries}):
        path = folder / f"{doc_id}.jsonl"
        with path.open("a", encoding="utf-8") as out:
            for e in entries:
                if e["doc_id"] == doc_id:
                    out.write(json.dumps(e, ensure_ascii=False) + "\n")
        written.append(path)
    return written
