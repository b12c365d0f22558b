"""Readable, seeded variations of a document, so a replicated corpus has no exact duplicates.

The benchmark grows the corpus ×10 and ×100 by writing perturbed copies. A copy must cost
what a new document costs (no embedding-cache hits, no duplicate passages) while it still
reads as Dutch and keeps the layout ingestion relies on (line breaks, headings, page
references). So the changes are small and local: synonyms, nearby numbers, and swapping two
adjacent complete sentences inside a paragraph. Headings and all-caps titles are left alone.
"""

from __future__ import annotations

import random
import re
import shutil
from pathlib import Path

# Pairs that read well either way round in these documents; both directions are used.
SYNONYM_PAIRS = (
    ("ook", "eveneens"),
    ("vaak", "dikwijls"),
    ("belangrijk", "wezenlijk"),
    ("belangrijke", "wezenlijke"),
    ("mensen", "personen"),
    ("bedrijven", "ondernemingen"),
    ("verschillende", "diverse"),
    ("opgave", "uitdaging"),
    ("opgaven", "uitdagingen"),
    ("vraagstukken", "kwesties"),
    ("helpen", "ondersteunen"),
    ("aanpak", "werkwijze"),
    ("manier", "wijze"),
    ("informatie", "gegevens"),
    ("duidelijk", "helder"),
    ("natuurlijk", "uiteraard"),
    ("echter", "evenwel"),
    ("zeer", "erg"),
    ("tegelijkertijd", "tegelijk"),
    ("inwoners", "bewoners"),
    ("kansen", "mogelijkheden"),
    ("werknemers", "medewerkers"),
    ("misschien", "wellicht"),
    ("gemeenten", "gemeentes"),
    ("soms", "af en toe"),
    ("vooral", "met name"),
    ("bijvoorbeeld", "onder andere"),
    ("daarom", "om die reden"),
    ("daarnaast", "bovendien"),
    ("hierbij", "daarbij"),
    ("lastig", "moeilijk"),
    ("direct", "meteen"),
    ("snel", "vlug"),
    ("sowieso", "hoe dan ook"),
    ("eigenlijk", "feitelijk"),
    ("regels", "voorschriften"),
    ("relaties", "verhoudingen"),
    ("organisaties", "instellingen"),
    ("bestaande", "huidige"),
    ("groot", "omvangrijk"),
    ("grote", "omvangrijke"),
    ("waardevolle", "nuttige"),
    ("gestart", "begonnen"),
    ("vanzelfsprekend", "uiteraard"),
    ("nu", "thans"),
)
SYNONYMS: dict[str, str] = {}
for _a, _b in SYNONYM_PAIRS:
    SYNONYMS.setdefault(_a, _b)
    SYNONYMS.setdefault(_b, _a)

_WORD = r"[^\W\d_]"
_SYNONYM_RE = re.compile(
    rf"(?<!{_WORD})(?<![-’'])("
    + "|".join(sorted((re.escape(k).replace(r"\ ", r"\s+") for k in SYNONYMS), key=len, reverse=True))
    + rf")(?!{_WORD})(?![-’'])",
    re.IGNORECASE,
)
# A standalone count before a lowercase word ("35 arbeidsmarktregio's"), never a page
# reference ("p. 180"), a year, an ordinal ("4e") or part of a code.
_NUMBER_RE = re.compile(r"(?<![\w.,/:(-])(?<!p\. )(?<!blz\. )(\d{2,3})(?= [a-zà-ÿ])")
# Sentence end: terminal punctuation, optional closing quotes, whitespace, then a capital.
_SENTENCE_BREAK = re.compile(r"(?<=[.!?])['’\"”)]*\s+(?=[A-ZÀ-Þ‘“\"'])")
_BLOCK_SPLIT = re.compile(r"(\n[ \t\r]*\n)")
_TERMINAL = re.compile(r"[.!?]['’\"”)]*$")
MARKER = " (variant)"


def _is_protected_line(line: str) -> bool:
    """Headings and titles: ingestion recognises structure by their exact words."""
    text = line.strip()
    if not text:
        return True
    letters = [c for c in text if c.isalpha()]
    if letters and sum(c.isupper() for c in letters) / len(letters) > 0.6:
        return True
    words = text.split()
    return len(words) <= 8 and not re.search(r"[.;:,!?]['’\"”)]*$", text)


def _match_case(original: str, replacement: str) -> str:
    if original.isupper() and len(original) > 1:
        return replacement.upper()
    if original[:1].isupper():
        return replacement[:1].upper() + replacement[1:]
    return replacement


class _WordEdits:
    """Synonym and number edits at `rate`, forced once `gap` words pass without one.

    Forcing keeps every passage-sized stretch of text different from the original where
    the text offers anything to change, so no copy hits the embedding cache.
    """

    def __init__(self, rng: random.Random, rate: float, gap: int) -> None:
        self.rng, self.rate, self.gap = rng, rate, gap
        self.since = 0  # words since the last edit

    def skip(self, text: str) -> None:
        self.since += len(text.split())

    def _take(self) -> bool:
        take = self.rng.random() < self.rate or self.since >= self.gap
        if take:
            self.since = 0
        return take

    def line(self, line: str) -> str:
        sites = sorted([(m.start(1), m.end(1), "w") for m in _SYNONYM_RE.finditer(line)]
                       + [(m.start(1), m.end(1), "n") for m in _NUMBER_RE.finditer(line)])
        out, pos = [], 0
        for start, end, kind in sites:
            if start < pos:
                continue
            self.skip(line[pos:start])
            word = line[start:end]
            new = self._edit(word, kind) if self._take() else word
            out.append(line[pos:start] + new)
            self.since += len(word.split())
            pos = end
        self.skip(line[pos:])
        out.append(line[pos:])
        return "".join(out)

    def _edit(self, word: str, kind: str) -> str:
        if kind == "w":
            return _match_case(word, SYNONYMS[re.sub(r"\s+", " ", word.lower())])
        value, width = int(word), len(word)
        options = [value + d for d in (-3, -2, -1, 1, 2, 3) if len(str(value + d)) == width]
        return str(self.rng.choice(options)) if options else word


def _sentences(block: str) -> list[str]:
    """Pieces of a block whose concatenation is the block, each ending after its separator."""
    pieces, start = [], 0
    for m in _SENTENCE_BREAK.finditer(block):
        pieces.append(block[start:m.end()])
        start = m.end()
    pieces.append(block[start:])
    return pieces


def _swappable(sentence: str) -> bool:
    body = sentence.strip()
    if len(body.split()) < 6 or not body[:1].isupper() or not _TERMINAL.search(body):
        return False
    # A line break before a capital after an unpunctuated line is a heading boundary.
    return not re.search(r"[^\s.!?:;,'’\"”)-][ \t]*\r?\n[ \t]*[A-ZÀ-Þ]", body)


def _swap_sentences(block: str, rng: random.Random, rate: float) -> str:
    pieces = _sentences(block)
    i = 0
    while i < len(pieces) - 1:
        a, b = pieces[i], pieces[i + 1]
        if _swappable(a) and _swappable(b) and rng.random() < rate:
            # Keep each separator where it was; move only the sentence bodies.
            a_body, a_sep = a.rstrip(), a[len(a.rstrip()):]
            b_body, b_sep = b.rstrip(), b[len(b.rstrip()):]
            lead = b_body[: len(b_body) - len(b_body.lstrip())]
            pieces[i] = b_body.lstrip() + a_sep
            pieces[i + 1] = lead + a_body + b_sep
            i += 2
        else:
            i += 1
    return "".join(pieces)


def perturb_text(text: str, seed: int | str, rate: float = 0.4, swap_rate: float = 0.2,
                 gap: int = 25) -> str:
    """A readable variant of `text`, the same for the same seed and never equal to `text`.

    Line structure, headings and word count are kept (multi-word synonyms change it by a
    word here and there). Text with nothing to vary gets a visible " (variant)" marker.
    """
    rng = random.Random(f"perturb:{seed}")
    edits = _WordEdits(rng, rate, gap)
    parts = _BLOCK_SPLIT.split(text)
    out = []
    for part in parts:
        if _BLOCK_SPLIT.fullmatch(part):
            out.append(part)
            continue
        lines = part.split("\n")
        lines = [edits.skip(ln) or ln if _is_protected_line(ln) else edits.line(ln) for ln in lines]
        out.append(_swap_sentences("\n".join(lines), rng, swap_rate))
    result = "".join(out)
    if result == text and rate < 1.0:
        result = perturb_text(text, seed, rate=1.0, swap_rate=1.0, gap=gap)
    if result == text:
        stripped = text.rstrip()
        result = stripped + MARKER + text[len(stripped):]
    return result


def word_count(text: str) -> int:
    return len(text.split())


TEXT_SUFFIXES = {".txt", ".md", ".markdown", ".html", ".htm"}


def replica_name(path: Path, replica: int) -> str:
    """'regiodenken.txt', 3 -> 'regiodenken-kopie-003.txt': a new file name, so a new document id."""
    return f"{path.stem}-kopie-{replica:03d}{path.suffix}"


def _read_text(path: Path) -> str | None:
    try:
        return path.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        return None  # ingestion will report it; copy the bytes as they are


def replicate_corpus(source: Path, target: Path, scale: int, seed: int | str = 0) -> list[Path]:
    """Write the corpus ×scale into `target`: the originals plus scale-1 perturbed copies each.

    Data files (*.toml) are copied once; copies get no manifest entry, so ingestion gives
    them default ids from their file names. Binary formats are copied unchanged.
    Returns the document files written.
    """
    from ingest.build import corpus_files

    if scale < 1:
        raise ValueError("scale must be at least 1")
    target.mkdir(parents=True, exist_ok=True)
    for data in sorted(source.glob("*.toml")):
        shutil.copy2(data, target / data.name)
    written = []
    for path in corpus_files(source):
        shutil.copy2(path, target / path.name)
        written.append(target / path.name)
        text = _read_text(path) if path.suffix.lower() in TEXT_SUFFIXES else None
        for replica in range(2, scale + 1):
            out = target / replica_name(path, replica)
            if text is None:
                shutil.copy2(path, out)
            else:
                out.write_text(perturb_text(text, f"{seed}:{replica}:{path.name}"), encoding="utf-8")
            written.append(out)
    return written
