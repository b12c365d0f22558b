"""Which files in the corpus folder are documents, their content hashes and their ids.

Only regular files directly inside the corpus folder are read. A symbolic link (even to a
file inside the folder), a named pipe, a device or a socket is reported as skipped with a
Dutch reason and never opened: a link could pull in any file on the machine, a pipe would
hang the ingest. Files are opened with O_NOFOLLOW, so a file swapped for a link after the
listing is refused too. Hidden files, the data files (*.toml), a README and the data folders
(DATA_DIRS: the question bank) are not documents and are passed over without a word; any other
subfolder is reported as skipped, like a link (its files are not read).

A document's id comes from bronnen.toml when the file has an entry there; otherwise from its
corpus-relative path ("notulen.txt" -> "notulen-txt"), so notulen.txt and notulen.md are two
documents with two ids that do not change when the other one comes or goes. Two paths that
make the same slug ("a b.txt", "a-b.txt"), or a slug that a bronnen.toml id already uses, get
a short hash of their path added ("a-b-txt-1c9e0f").
"""

from __future__ import annotations

import hashlib
import os
import stat
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from ingest.formats.base import NotRegular, not_regular_reason, open_regular
from ingest.index.corpusdata import SourceInfo, slugify

__all__ = ["DATA_DIRS", "Listing", "NotRegular", "document_ids", "file_sha256", "is_data_name",
           "list_corpus", "open_regular", "printable"]

DATA_DIRS = frozenset({"vragenbank"})  # folders of data beside the documents, not documents
README_NAMES = frozenset({"readme", "readme.md", "readme.txt", "readme.markdown"})
SUBFOLDER = "submap: niet gelezen (alleen bestanden direct in de corpusmap worden gelezen)"


@dataclass(frozen=True)
class Listing:
    files: list[Path]  # regular files, by name
    refused: dict[str, str]  # name -> why it is not read (links, pipes, devices)


def is_data_name(name: str) -> bool:
    """True for a name in the corpus folder that is never a document: hidden files, the data
    files (*.toml), a README, and the data folders."""
    lower = name.lower()
    return (name.startswith(".") or lower.endswith(".toml") or lower in README_NAMES
            or name in DATA_DIRS)


def printable(name: str) -> str:
    """A file name as it can be printed on one line: control characters (a newline, an escape
    sequence) written as escapes, the rest as it is."""
    return "".join(ch if ch.isprintable() or ch == " " else ascii(ch)[1:-1] for ch in name)


def list_corpus(corpus_dir: Path) -> Listing:
    """Every candidate document in `corpus_dir`, regular or refused (links, pipes, devices,
    subfolders other than the data folders)."""
    files: list[Path] = []
    refused: dict[str, str] = {}
    with os.scandir(corpus_dir) as entries:
        for entry in sorted(entries, key=lambda e: e.name):
            name = entry.name
            if is_data_name(name):
                continue
            mode = entry.stat(follow_symlinks=False).st_mode
            if stat.S_ISDIR(mode):
                refused[name] = SUBFOLDER
                continue
            if stat.S_ISREG(mode):
                files.append(Path(entry.path))
            else:
                refused[name] = not_regular_reason(mode)
    return Listing(files=files, refused=refused)


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open_regular(path) as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def path_slug(relative: str) -> str:
    """The id a file without a bronnen.toml entry gets: its path, as a slug (the same rule
    as ingest.index.corpusdata.default_source_info)."""
    return slugify(relative)


def document_ids(relatives: list[str], manifest: Mapping[str, SourceInfo]) -> dict[str, str]:
    """Corpus-relative path -> document id, unique across the corpus (see module docstring)."""
    ids = {rel: manifest[rel].id for rel in relatives if rel in manifest}
    slugs = {rel: path_slug(rel) for rel in relatives if rel not in manifest}
    taken = Counter(slugs.values())
    reserved = {info.id for info in manifest.values()}
    for rel, slug in slugs.items():
        if taken[slug] > 1 or slug in reserved:
            slug = f"{slug}-{hashlib.sha1(rel.encode('utf-8')).hexdigest()[:6]}"
        ids[rel] = slug
    return ids
