"""Open the active index read-only: passages, Dutch BM25 and the Chroma collection."""

from __future__ import annotations

import weakref
from dataclasses import dataclass
from pathlib import Path

import ingest.index.layout as layout
import ingest.index.readers as readers
from ingest.config import Settings
from ingest.index.passage import Passage


class IndexUnavailable(Exception):
    """No usable index: the message tells the user what to run."""


@dataclass
class Index:
    build: Path
    manifest: layout.IndexManifest
    passages: list[Passage]
    by_id: dict[str, Passage]
    lexical: object  # ingest.index.lexical.LexicalIndex
    vectors: object  # ingest.index.vectorstore.ChromaSearcher
    context: object = None  # LexicalIndex over the route-map field; None in a build without it
    grams: object = None  # LexicalIndex over character n-grams; None in a build without it
    sentences: object = None  # SentenceVectors (ingest.index.sentence_vectors); None without them
    bank: object = None  # QuestionBank (ingest.index.bank); None in a build without one

    def neighbours(self, passage_id: str) -> tuple[Passage | None, Passage | None]:
        p = self.by_id[passage_id]
        return (self.by_id.get(p.prev_id or ""), self.by_id.get(p.next_id or ""))


def open_manifest(settings: Settings) -> tuple[Path, layout.IndexManifest]:
    build = layout.current_build(settings.index_root)
    if build is None:
        raise IndexUnavailable(
            f"Er is nog geen index in {settings.index_root}. Draai eerst: regiowijzer ingest"
        )
    try:
        return build, layout.read_manifest(build)
    except (OSError, ValueError, TypeError, KeyError) as err:
        raise IndexUnavailable(
            f"De index in {build} is onleesbaar ({err}). Draai: regiowijzer ingest --rebuild"
        ) from err


def check_model(manifest: layout.IndexManifest, identity: str) -> None:
    if manifest.model_identity != identity:
        raise IndexUnavailable(
            f"De index is gebouwd met embeddingmodel '{manifest.model}' ({manifest.dim} dimensies), "
            f"maar ingesteld is '{identity.split('|')[0]}'. Bouw de index opnieuw met: "
            "regiowijzer ingest --rebuild"
        )


def open_index(settings: Settings, embedder_identity: str | None = None) -> Index:
    """Open the active build read-only; it stays on disk while the Index object lives."""
    build, manifest, marker = _open_registered(settings)
    try:
        index = _load(settings, build, manifest, embedder_identity)
    except BaseException:
        readers.release(marker)
        raise
    weakref.finalize(index, readers.release, marker)  # the build may go once nobody reads it
    return index


def _open_registered(settings: Settings) -> tuple[Path, layout.IndexManifest, Path | None]:
    """The active build, marked as in use; re-read when an ingest swapped it in between."""
    for _ in range(5):
        build, manifest = open_manifest(settings)
        marker = readers.register(settings.index_root, build.name)
        if (build / layout.MANIFEST).is_file():
            return build, manifest, marker
        readers.release(marker)
    raise IndexUnavailable(f"De index in {settings.index_root} verandert steeds; probeer het zo opnieuw.")


def _load(settings: Settings, build: Path, manifest: layout.IndexManifest,
          embedder_identity: str | None) -> Index:
    from ingest.index.lexical import LexicalIndex
    from ingest.index.vectorstore import ChromaSearcher, VectorStoreUnavailable, open_client

    if embedder_identity is not None:
        check_model(manifest, embedder_identity)
    url = manifest.vector_store.get("url") or None
    if url and settings.chroma_url:
        url = settings.chroma_url  # the server may have moved; the collection name has not
    collection = manifest.vector_store.get("collection", layout.COLLECTION)
    try:
        vectors = ChromaSearcher(open_client(build / layout.CHROMA_DIR, url), collection, url)
    except VectorStoreUnavailable as err:
        raise IndexUnavailable(str(err)) from err
    passages = layout.read_passages(build / layout.PASSAGES)
    lexical = LexicalIndex.load(build / layout.BM25_DIR)
    fields = {name: LexicalIndex.load(build / directory) if (build / directory).is_dir() else None
              for name, directory in (("context", layout.CONTEXT_DIR), ("grams", layout.GRAMS_DIR))}
    from ingest.index.bank import QuestionBank
    from ingest.index.sentence_vectors import SentenceVectors

    return Index(build=build, manifest=manifest, passages=passages,
                 by_id={p.id: p for p in passages}, lexical=lexical, vectors=vectors,
                 sentences=SentenceVectors.load(build), bank=QuestionBank.load(build), **fields)
