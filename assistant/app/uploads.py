"""Adding and removing corpus documents from the app: safe file names, a size limit, re-indexing.

An upload's name comes from a browser and is not trusted: only its last path component is
kept, reduced to letters, digits and dashes, so "../../x.pdf" lands as corpus/x.pdf and
nothing is ever written outside the corpus directory. A name the ingest passes over (a
README, a data file) is refused: it would never become a document. Only an indexed document
can be removed, never a data file; a removed file is moved to the data directory (not
deleted), so it can be put back by hand.
"""

from __future__ import annotations

import os
import re
import shutil
import tempfile
import unicodedata
from collections.abc import Collection
from datetime import UTC, datetime
from pathlib import Path

from assistant.present.chat import chat_text
from ingest.build import file_sha256
from ingest.corpusfiles import is_data_name, printable

UPLOAD_SUFFIXES = (".pdf", ".docx", ".txt", ".md", ".markdown", ".html", ".htm")
MAX_STEM = 80


class UploadError(ValueError):
    """A file the app will not add or remove; the message is Dutch and meant for the user."""


def safe_name(name: str) -> str:
    """A plain file name for an uploaded file, keeping its (lowercased) suffix."""
    base = re.split(r"[\\/]", unicodedata.normalize("NFKC", name or ""))[-1]
    base = "".join(ch for ch in base if unicodedata.category(ch)[0] != "C")
    stem, dot, suffix = base.rpartition(".")
    suffix = f".{suffix.lower()}" if dot else ""
    if suffix not in UPLOAD_SUFFIXES:
        shown = suffix or "(geen extensie)"
        raise UploadError(f"Bestandstype {shown} wordt niet ondersteund; kies een PDF, DOCX, "
                          "tekst-, Markdown- of HTML-bestand.")
    stem = re.sub(r"[^\w-]+", "-", stem, flags=re.UNICODE)
    stem = re.sub(r"-{2,}", "-", stem).strip("-_.")[:MAX_STEM].strip("-_.")
    return f"{stem or 'document'}{suffix}"


def _free_path(folder: Path, name: str) -> Path:
    target = folder / name
    stem, suffix = target.stem, target.suffix
    n = 2
    while target.exists():
        target = folder / f"{stem}-{n}{suffix}"
        n += 1
    return target


def _inside(folder: Path, path: Path) -> bool:
    return path.resolve().parent == folder.resolve()


def add_document(corpus_dir: Path, source: Path, original_name: str, max_mb: int) -> Path:
    """Copy an uploaded file into the corpus under a safe, unused name; return its path."""
    corpus_dir, source = Path(corpus_dir), Path(source)
    name = safe_name(original_name)
    if is_data_name(name):
        raise UploadError(f"{name} wordt nooit als document gelezen (die naam is voor uitleg bij "
                          "de corpusmap); geef het bestand een andere naam.")
    size = source.stat().st_size
    if size == 0:
        raise UploadError(f"{name} is leeg.")
    if size > max_mb * 1024 * 1024:
        raise UploadError(f"{name} is te groot ({size / 1024 / 1024:.1f} MB; maximaal {max_mb} MB).")
    if not corpus_dir.is_dir():
        raise UploadError(f"De corpusmap {corpus_dir} bestaat niet.")
    digest = file_sha256(source)
    for existing in corpus_dir.iterdir():
        if existing.is_symlink() or not existing.is_file():
            continue  # ingest does not read links or special files either
        if existing.stat().st_size == size and file_sha256(existing) == digest:
            raise UploadError(f"Dit document staat al in de bronnen, als {existing.name}.")
    target = _free_path(corpus_dir, name)
    if not _inside(corpus_dir, target):
        raise UploadError("Ongeldige bestandsnaam.")
    # Copy under a hidden name (ingestion skips those), then rename: never a half-written document.
    fd, tmp = tempfile.mkstemp(dir=corpus_dir, prefix=".upload-", suffix=target.suffix)
    os.close(fd)
    try:
        shutil.copyfile(source, tmp)
        os.replace(tmp, target)
    finally:
        Path(tmp).unlink(missing_ok=True)
    return target


def remove_document(corpus_dir: Path, name: str, trash_dir: Path, documents: Collection[str]) -> Path:
    """Move one indexed document (a file name in `documents`) into `trash_dir`; return where
    it went. Data files and files the index skipped are not documents and stay."""
    corpus_dir = Path(corpus_dir)
    if (not name or name != Path(name).name or is_data_name(name) or name not in documents):
        raise UploadError(f"{printable(name or '')} is geen document in de index; alleen de "
                          "documenten in de lijst kunnen worden verwijderd.")
    path = corpus_dir / name
    if not path.is_file() or not _inside(corpus_dir, path):
        raise UploadError(f"{name} staat niet (meer) in de corpusmap.")
    trash_dir.mkdir(parents=True, exist_ok=True)
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S")
    target = _free_path(trash_dir, f"{stamp}-{name}")
    shutil.move(str(path), target)
    return target


def reindex(settings, embedder=None):
    """Bring the index in line with the corpus; tqdm bars report progress (the app tracks them)."""
    from ingest.build import ingest

    return ingest(settings, progress=True, embedder=embedder)


def report_markdown(report) -> str:
    """A short Dutch summary of an ingest report, for the Bronnen tab."""
    if report.status == "unchanged":
        lines = [f"De index is actueel: {report.files} bestanden, {report.passages} passages."]
    else:
        indexed = report.files - len(report.skipped)
        lines = [f"Index bijgewerkt: {indexed} van {report.files} bestanden, {report.passages} passages"
                 + (f", {len(report.removed)} verwijderd" if report.removed else "") + "."]
    lines += [f"- Overgeslagen: {shown(name)}: {shown(reason)}" for name, reason in report.skipped]
    lines += [f"- Let op: {shown(name)}: {shown(w)}" for name, w in report.warnings]
    return "\n".join(lines)


def shown(text: str) -> str:
    """A file name or reason for status Markdown: control characters escaped, shown literally."""
    return chat_text(printable(text))


def upload_outcome(name: str, report) -> tuple[bool, str]:
    """(whether the uploaded file `name` made it into the index, a Dutch line saying so)."""
    reason = dict(report.skipped).get(name)
    if reason is not None:
        return False, f"**Niet toegevoegd:** {shown(name)} is overgeslagen: {shown(reason)}"
    return True, f"**Toegevoegd:** {shown(name)} staat nu in de index."
