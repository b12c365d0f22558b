"""Which files in the corpus folder are documents, their content hashes and their ids.

Only regular files directly inside the corpus folder are read. A symbolic link (even to a
file inside the folder), a named pipe, a device or a socket is reported as skipped with a
Dutch reason and never opened: a link could pull in any file on the machine, a pipe would
hang the ingest. Files are opened with O_NOFOLLOW, so a file swapped for a link after the
listing is refused too. Hidden files, the data files (*.toml) and a README are not documents.

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

__all__ = ["Listing", "NotRegular", "document_ids", "file_sha256", "list_corpus", "open_regular"]


@dataclass(frozen=True)
class Listing:
    files: list[Path]  # regular files, by name
    refused: dict[str, str]  # name -> why it is not read (links, pipes, devices)


def list_corpus(corpus_dir: Path) -> Listing:
    """Every candidate document in `corpus_dir`, regular or refused; subfolders are not read."""
    files: list[Path] = []
    refused: dict[str, str] = {}
    with os.scandir(corpus_dir) as entries:
        for entry in sorted(entries, key=lambda e: e.name):
            name = entry.name
            if name.startswith(".") or name.lower().endswith(".toml") or name.lower() == "readme.md":
                continue
            mode = entry.stat(follow_symlinks=False).st_mode
            if stat.S_ISDIR(mode):
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
