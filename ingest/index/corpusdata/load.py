"""Where the data files are and how they load: bronnen, routekaart, begrippen and plaatsen."""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path

from ingest.index.corpusdata.errors import fail, read_toml, validate
from ingest.index.corpusdata.models import (
    Glossary,
    GlossaryEntry,
    Manifest,
    Plaatsen,
    Routekaart,
    SourceInfo,
)

MANIFEST_FILE = "bronnen.toml"
ROUTEKAART_FILE = "routekaart.toml"
GLOSSARY_FILE = "begrippen.toml"
PLACES_FILE = "plaatsen.toml"
REPO_CORPUS_DIR = Path(__file__).resolve().parents[3] / "corpus"
DEFAULT_KIND = "document"


def find_data_file(corpus_dir: Path | None, name: str) -> Path:
    """The user's copy in `corpus_dir` if there is one, else the repository's copy."""
    candidates = [Path(corpus_dir) / name] if corpus_dir is not None else []
    candidates.append(REPO_CORPUS_DIR / name)
    for candidate in candidates:
        if candidate.is_file():
            return candidate
    searched = " of ".join(str(c.parent) for c in candidates)
    fail(candidates[0], f"{name} niet gevonden (gezocht in {searched})")


def load_manifest(corpus_dir: Path) -> dict[str, SourceInfo]:
    """Read `bronnen.toml` in `corpus_dir`, keyed by file name; no file means no manifest."""
    path = Path(corpus_dir) / MANIFEST_FILE
    if not path.is_file():
        return {}
    manifest = validate(path, Manifest, read_toml(path))
    return {info.file: info for info in manifest.document}


def load_routekaart(path: Path | None = None) -> Routekaart:
    """Load and cross-check the route map; `None` means the repository's copy."""
    path = Path(path) if path is not None else find_data_file(None, ROUTEKAART_FILE)
    return validate(path, Routekaart, read_toml(path))


def load_glossary(path: Path | None = None) -> list[GlossaryEntry]:
    """Load the glossary; synonyms come back lowercased and without duplicates."""
    path = Path(path) if path is not None else find_data_file(None, GLOSSARY_FILE)
    return list(validate(path, Glossary, read_toml(path)).begrip)


def load_places(path: Path) -> tuple[str, ...]:
    """The provinces and places of `plaatsen.toml`, provinces first."""
    places = validate(path, Plaatsen, read_toml(path))
    return (*places.provincies, *places.plaatsen)


def slugify(text: str) -> str:
    plain = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", plain.lower()).strip("-") or "document"


def default_source_info(path: Path, title_hint: str | None = None,
                        author_hint: str | None = None) -> SourceInfo:
    """What a file without a manifest entry gets: an id from its name, suffix included (so
    notulen.txt and notulen.md differ), the best title we have, and the author its metadata
    names. Ingest makes ids unique across a corpus (ingest.corpusfiles.document_ids)."""
    path = Path(path)
    pretty = re.sub(r"[\s_-]+", " ", path.stem).strip()
    title = (title_hint or "").strip() or (pretty[:1].upper() + pretty[1:]) or path.name
    return SourceInfo(id=slugify(path.name), file=path.name, title=title, kind=DEFAULT_KIND,
                      author=(author_hint or "").strip() or None)


def source_info_for(
    path: Path, manifest: dict[str, SourceInfo], title_hint: str | None = None
) -> SourceInfo:
    return manifest.get(Path(path).name) or default_source_info(path, title_hint)
