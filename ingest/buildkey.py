"""The build key: a hash of everything that shapes passages and the index built from them.

It covers the source of the ingest modules that read, clean, cut and index text, and the
data files they read (bronnen.toml, routekaart.toml, plaatsen.toml, the question bank). Any change to cleaning
or cutting therefore rebuilds on the next ingest; the embedding cache (keyed by model and
text) makes that cheap, since unchanged passages are not embedded again. The source part is
computed from the files' bytes once per process.
"""

from __future__ import annotations

import hashlib
from functools import lru_cache
from pathlib import Path

from ingest.index.bank import BANK_DIR
from ingest.index.corpusdata import find_data_file

PACKAGE = Path(__file__).resolve().parent
DATA_FILES = ("bronnen.toml", "routekaart.toml", "plaatsen.toml")
# Relative to the ingest package. formats/ counts as a whole; build.py because it decides what
# search sees of a passage (heading + text) and which files become documents.
SHAPING_SOURCES = (
    "read.py", "formats", "clean.py", "furniture.py", "hyphenation.py", "unwrap.py",
    "structure.py", "passages.py", "steps.py", "places.py", "pipeline.py", "model.py",
    "corpusfiles.py", "build.py", "writebuild.py",
    "index/sentences.py", "index/dutch.py", "index/chargrams.py", "index/lexical.py",
    "index/layout.py", "index/passage.py", "index/corpusdata", "index/vectorstore.py",
    "index/bank.py", "index/embedders/cache.py",  # how the bank's questions are embedded
)


def source_files(root: Path = PACKAGE) -> list[Path]:
    files: list[Path] = []
    for name in SHAPING_SOURCES:
        path = root / name
        files.extend(sorted(path.rglob("*.py")) if path.is_dir() else [path])
    return files


@lru_cache(maxsize=4)
def source_digest(root: Path = PACKAGE) -> str:
    """Hash of the shaping modules' bytes (with their paths, so a moved module counts)."""
    digest = hashlib.sha256()
    for path in source_files(root):
        digest.update(path.relative_to(root).as_posix().encode() + b"\0")
        digest.update(path.read_bytes() if path.is_file() else b"(missing)")
        digest.update(b"\0")
    return digest.hexdigest()


def build_key(corpus_dir: Path, root: Path = PACKAGE) -> str:
    """Changes when a shaping module or a data file that shapes passages changes."""
    digest = hashlib.sha256(source_digest(root).encode())
    for name in DATA_FILES:
        path = find_data_file(corpus_dir, name)
        digest.update(name.encode())
        if path is not None and path.exists():
            digest.update(path.read_bytes())
    for path in sorted((Path(corpus_dir) / BANK_DIR).glob("*.jsonl")):
        digest.update(path.name.encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()[:16]
