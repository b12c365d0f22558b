"""Where an index lives on disk and how the active build is chosen (atomically).

index/CURRENT names the active build directory; a new build is written beside it and
CURRENT is replaced with os.replace, so a reader sees either the old or the new index.
"""

from __future__ import annotations

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


def activate(index_root: Path, build: Path) -> list[str]:
    """Make `build` the active index in one atomic step, then drop all but the previous build.

    Returns the names of the builds removed, so their server collections can go too."""
    _fsync_tree(build)
    previous = current_build(index_root)
    fd, tmp = tempfile.mkstemp(dir=index_root, prefix=".CURRENT.")
    with os.fdopen(fd, "w", encoding="utf-8") as fh:
        fh.write(build.name)
        fh.flush()
        os.fsync(fh.fileno())
    os.replace(tmp, index_root / "CURRENT")
    keep = {build.name, previous.name if previous else ""}
    removed = []
    for child in index_root.glob("build-*"):
        if child.name not in keep:
            shutil.rmtree(child, ignore_errors=True)
            removed.append(child.name)
    return removed
