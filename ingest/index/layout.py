"""Where an index lives on disk and how the active build is chosen (atomically).

index/CURRENT names the active build directory; a new build is written beside it and
CURRENT is replaced with os.replace, so a reader sees either the old or the new index, and
CURRENT only ever names a complete build. Writers take index/.ingest.lock first
(ingest.index.lock); readers mark the build they have open (ingest.index.readers), and
`prune` keeps those.
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import tempfile
from dataclasses import asdict, dataclass, field
from pathlib import Path

from ingest.index.passage import Passage

MANIFEST = "manifest.json"
PASSAGES = "passages.jsonl"
CHROMA_DIR = "chroma"
BM25_DIR = "bm25"
CONTEXT_DIR = "bm25-context"  # the route-map text around each passage (ingest.index.lexical.route_context)
GRAMS_DIR = "bm25-grams"  # character n-grams of each passage's text
TEMP_PREFIX = ".CURRENT."  # a pointer being written
TRASH_PREFIX = ".trash-"  # a build being removed
COLLECTION = "passages"
FORMAT_VERSION = 1


@dataclass
class FileRecord:
    name: str
    sha256: str
    doc_id: str
    title: str
    kind: str
    passages: int
    warnings: list[str] = field(default_factory=list)
    skipped: str | None = None  # why the file is not in the index (it is retried when it changes)
    author: str | None = None  # bronnen.toml's or the file's metadata (a PDF's author)


@dataclass
class IndexManifest:
    format_version: int
    built_at: str
    model: str
    model_identity: str
    dim: int
    pipeline_key: str
    corpus_dir: str
    files: dict[str, FileRecord]
    passages: int
    analyzer: dict
    vector_store: dict = field(default_factory=dict)  # {"url": …, "collection": …}

    def to_json(self) -> str:
        return json.dumps(asdict(self), ensure_ascii=False, indent=2)

    @classmethod
    def from_json(cls, text: str) -> IndexManifest:
        data = json.loads(text)
        data["files"] = {k: FileRecord(**v) for k, v in data["files"].items()}
        return cls(**data)


def current_build(index_root: Path) -> Path | None:
    pointer = index_root / "CURRENT"
    if not pointer.exists():
        return None
    build = index_root / pointer.read_text(encoding="utf-8").strip()
    return build if (build / MANIFEST).exists() else None


def read_manifest(build: Path) -> IndexManifest:
    return IndexManifest.from_json((build / MANIFEST).read_text(encoding="utf-8"))


def write_passages(path: Path, passages: list[Passage]) -> None:
    with path.open("w", encoding="utf-8") as fh:
        for p in passages:
            fh.write(json.dumps(asdict(p), ensure_ascii=False) + "\n")


def read_passages(path: Path) -> list[Passage]:
    with path.open(encoding="utf-8") as fh:
        return [Passage(**json.loads(line)) for line in fh if line.strip()]


def _fsync_tree(root: Path) -> None:
    for path in root.rglob("*"):
        if path.is_file():
            with path.open("rb") as fh:
                os.fsync(fh.fileno())


def _fsync_dir(folder: Path) -> None:
    with contextlib.suppress(OSError):  # not every file system can sync a directory
        fd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


def activate(index_root: Path, build: Path) -> None:
    """Make the complete `build` the active index in one atomic step (the caller holds the
    ingest lock). On failure CURRENT is unchanged and the temporary pointer is gone."""
    _fsync_tree(build)
    if not (build / MANIFEST).is_file():
        raise ValueError(f"{build} is not a complete build")
    fd, tmp = tempfile.mkstemp(dir=index_root, prefix=TEMP_PREFIX)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write(build.name)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, index_root / "CURRENT")
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise
    _fsync_dir(index_root)


def current_name(index_root: Path) -> str | None:
    """The build CURRENT names, complete or not."""
    try:
        return (index_root / "CURRENT").read_text(encoding="utf-8").strip() or None
    except OSError:
        return None


def prune(index_root: Path, in_use: set[str] = frozenset()) -> list[str]:
    """Remove what no reader needs, holding the ingest lock; returns the builds removed.

    Kept: the build CURRENT names, the newest other complete build (the one before it) and
    the builds in `in_use`. Removed: other builds, incomplete builds (no manifest: a killed
    ingest's), leftovers of a killed swap (.CURRENT.* files) and of a killed removal (.trash-*).
    A build is renamed to .trash-<name> before it is deleted, so a removal that is killed
    half-way never leaves something that looks like a build.
    """
    current = current_name(index_root)
    for leftover in index_root.glob(TEMP_PREFIX + "*"):
        with contextlib.suppress(OSError):
            leftover.unlink()
    builds = sorted(index_root.glob("build-*"), key=lambda p: p.name)
    complete = [b for b in builds if (b / MANIFEST).is_file() and b.name != current]
    keep = {current, *in_use, *(b.name for b in complete[-1:])}
    removed = [b.name for b in builds if b.name not in keep]
    for name in removed:
        trash = index_root / f"{TRASH_PREFIX}{name}"
        with contextlib.suppress(OSError):
            os.replace(index_root / name, trash)
    for trash in index_root.glob(TRASH_PREFIX + "*"):
        shutil.rmtree(trash, ignore_errors=True)
    return removed
