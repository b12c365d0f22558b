"""Shared fixtures: every test gets its own data directory; the corpus index is built once.

No test reads the user's own `corpus/` (it may hold uploads): the tests work on a copy of the
shipped corpus (tests/seed.py), and REGIOWIJZER_CORPUS points there for the CLI and the app."""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

import pytest

from ingest.config import Settings

sys.path.insert(0, str(Path(__file__).parent))
from seed import pristine_corpus  # noqa: E402

CORPUS = pristine_corpus()


@pytest.fixture(autouse=True)
def isolated_home(tmp_path, monkeypatch):
    """No test touches a developer's real index: REGIOWIJZER_HOME points into tmp_path."""
    home = tmp_path / "home"
    monkeypatch.setenv("REGIOWIJZER_HOME", str(home))
    monkeypatch.setenv("REGIOWIJZER_CORPUS", str(CORPUS))
    monkeypatch.delenv("REGIOWIJZER_EMBED_MODEL", raising=False)
    monkeypatch.delenv("REGIOWIJZER_AUDIT_LOG", raising=False)
    monkeypatch.delenv("REGIOWIJZER_CHROMA_URL", raising=False)
    monkeypatch.delenv("REGIOWIJZER_LLM", raising=False)
    monkeypatch.setenv("ANONYMIZED_TELEMETRY", "False")
    monkeypatch.setenv("GRADIO_ANALYTICS_ENABLED", "False")
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    return home


@pytest.fixture(scope="session")
def embedder():
    """The real default model, loaded once per test session."""
    from ingest.index.embedders import make_embedder

    return make_embedder(Settings())


@pytest.fixture(scope="session")
def corpus_index(tmp_path_factory, embedder):
    """The real corpus ingested once into a session directory: (settings, report)."""
    from ingest.build import ingest

    home = tmp_path_factory.mktemp("corpus-home")
    settings = Settings(home=home, corpus_dir=CORPUS)
    report = ingest(settings, progress=False, embedder=embedder)
    return settings, report


@pytest.fixture
def corpus_copy(tmp_path) -> Path:
    """A writable copy of the corpus, for tests that add, change or remove documents."""
    target = tmp_path / "corpus"
    shutil.copytree(CORPUS, target)
    return target


DATA_FILES = ("bronnen.toml", "routekaart.toml", "plaatsen.toml")


@pytest.fixture
def corpus_of(tmp_path):
    """A small writable corpus: the named seed documents plus the data files."""

    def make(*documents: str) -> Path:
        target = tmp_path / "corpus"
        target.mkdir()
        for name in (*documents, *DATA_FILES):
            shutil.copy(CORPUS / name, target / name)
        return target

    return make
