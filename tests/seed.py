"""The corpus the tests read: a copy of the shipped corpus, never the user's own `corpus/`.

A user may add documents to `corpus/` (an upload in the app, a file dropped in) while the tests
run; a test that read the folder itself would then see a changed corpus and fail, or change it.
So the tests read a copy made once per test process of the files the repository ships: those git
tracks, or (outside a git checkout) the documents named in bronnen.toml with the data files.
"""

from __future__ import annotations

import atexit
import functools
import shutil
import subprocess
import tempfile
from pathlib import Path

from ingest.config import REPO_ROOT

SHIPPED = REPO_ROOT / "corpus"


def shipped_names(corpus: Path = SHIPPED) -> list[str]:
    """Corpus-relative paths of the shipped files."""
    try:
        listed = subprocess.run(["git", "ls-files", "-z", "--", "."], cwd=corpus, check=True,
                                capture_output=True, timeout=30).stdout.decode("utf-8")
        names = [n for n in listed.split("\0") if n and (corpus / n).is_file()]
        if names:
            return sorted(names)
    except (OSError, subprocess.SubprocessError, UnicodeDecodeError):
        pass
    from ingest.index.corpusdata import load_manifest

    data = [p.relative_to(corpus).as_posix() for p in corpus.rglob("*.toml")]
    data += [p.relative_to(corpus).as_posix() for p in (corpus / "vragenbank").rglob("*") if p.is_file()]
    return sorted({*load_manifest(corpus), *data})


def copy_shipped(target: Path, corpus: Path = SHIPPED) -> Path:
    """Copy the shipped corpus files into `target` (created); return it."""
    target.mkdir(parents=True, exist_ok=True)
    for name in shipped_names(corpus):
        (target / name).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(corpus / name, target / name)
    return target


@functools.cache
def pristine_corpus() -> Path:
    """One read-only-by-convention copy of the shipped corpus for this test process."""
    root = Path(tempfile.mkdtemp(prefix="regiowijzer-corpus-"))
    atexit.register(shutil.rmtree, root, True)
    return copy_shipped(root / "corpus")
