"""The Chroma adapter: the only module that knows chromadb and llama-index's Chroma store.

Vectors are written through llama-index's ChromaVectorStore and queried through Chroma,
always with our own embeddings (Chroma's default embedding function would download a model).
"""

from __future__ import annotations

import contextlib
from collections.abc import Sequence
from pathlib import Path
from urllib.parse import urlparse

import numpy as np

from ingest.index.passage import Passage


class VectorStoreUnavailable(Exception):
    """The Chroma server cannot be reached; the message says what to do."""


def _server_down(url: str, err: Exception) -> VectorStoreUnavailable:
    return VectorStoreUnavailable(
        f"De Chroma-server op {url} is niet bereikbaar ({type(err).__name__}). Start de server "
        "(chroma run) of verwijder REGIOWIJZER_CHROMA_URL om de ingebouwde opslag te gebruiken."
    )


def open_client(path: Path, url: str | None = None):
    """An embedded store in `path`, or the Chroma server at `url` (telemetry off either way)."""
    import chromadb
    from chromadb.config import Settings

    settings = Settings(anonymized_telemetry=False, allow_reset=False)
    if not url:
        return chromadb.PersistentClient(path=str(path), settings=settings)
    parsed = urlparse(url if "://" in url else f"http://{url}")
    try:
        client = chromadb.HttpClient(host=parsed.hostname or "127.0.0.1",
                                     port=parsed.port or (443 if parsed.scheme == "https" else 8000),
                                     ssl=parsed.scheme == "https", settings=settings)
        client.heartbeat()
    except Exception as err:  # connection refused, DNS, TLS, HTTP errors all mean "down"
        raise _server_down(url, err) from err
    return client


def collection_name(build_name: str, url: str | None) -> str:
    """Embedded stores hold one build each; a shared server holds a collection per build."""
    return f"regiowijzer-{build_name}" if url else "passages"


def drop_collections(url: str, build_names: Sequence[str]) -> None:
    """Remove the server collections of builds that are no longer kept (best effort)."""
    try:
        client = open_client(Path("."), url)
        for name in build_names:
            # Already gone, or never written: nothing to clean.
            with contextlib.suppress(Exception):
                client.delete_collection(collection_name(name, url))
    except VectorStoreUnavailable:
        pass


# Our document id's metadata key. Not "doc_id": llama-index's ChromaVectorStore writes its own
# "doc_id" (the node's ref_doc_id, "None" here) over it, and a document filter then finds nothing.
DOCUMENT_KEY = "document"


def flat_metadata(p: Passage) -> dict:
    """Chroma metadata must be scalar and non-null; steps become step_1..step_5 flags."""
    meta: dict = {DOCUMENT_KEY: p.doc_id, "kind": p.kind, "block": p.block, "position": p.position}
    if p.page is not None:
        meta["page"] = p.page
    if p.wegwijzer is not None:
        meta["wegwijzer"] = p.wegwijzer
    for step in range(1, 6):
        meta[f"step_{step}"] = step in p.steps
    return meta


def write_vectors(client, collection_name: str, passages: Sequence[Passage],
                  vectors: np.ndarray, batch: int = 2000) -> None:
    from llama_index.core.schema import TextNode
    from llama_index.vector_stores.chroma import ChromaVectorStore

    collection = client.get_or_create_collection(
        collection_name, metadata={"hnsw:space": "cosine"}, embedding_function=None
    )
    store = ChromaVectorStore(chroma_collection=collection)
    nodes = [
        TextNode(id_=p.id, text=p.text, metadata=flat_metadata(p), embedding=v.tolist())
        for p, v in zip(passages, vectors, strict=True)
    ]
    for start in range(0, len(nodes), batch):
        store.add(nodes[start:start + batch])


def chroma_where(kinds: Sequence[str] = (), steps: Sequence[int] = (),
                 doc_ids: Sequence[str] = ()) -> dict | None:
    """Translate search filters into a Chroma `where` clause (None when unfiltered)."""
    clauses: list[dict] = []
    if kinds:
        clauses.append({"kind": {"$in": list(kinds)}})
    if doc_ids:
        clauses.append({DOCUMENT_KEY: {"$in": list(doc_ids)}})
    if steps:
        step_clauses = [{f"step_{s}": True} for s in steps]
        clauses.append(step_clauses[0] if len(step_clauses) == 1 else {"$or": step_clauses})
    if not clauses:
        return None
    return clauses[0] if len(clauses) == 1 else {"$and": clauses}


class ChromaSearcher:
    """Nearest passages by cosine similarity, optionally filtered by metadata."""

    def __init__(self, client, collection_name: str, url: str | None = None) -> None:
        self._url = url
        try:
            self._collection = client.get_collection(collection_name, embedding_function=None)
        except Exception as err:
            if url:
                raise _server_down(url, err) from err
            raise

    def count(self) -> int:
        return self._collection.count()

    def search(self, vector: np.ndarray, k: int, where: dict | None = None
               ) -> list[tuple[str, float]]:
        try:
            result = self._collection.query(
                query_embeddings=[np.asarray(vector, dtype=np.float32).tolist()],
                n_results=k, where=where, include=["distances"],
            )
        except Exception as err:
            if self._url and not _is_query_error(err):
                raise _server_down(self._url, err) from err
            raise
        ids = result["ids"][0]
        distances = result["distances"][0]
        return [(pid, 1.0 - float(d)) for pid, d in zip(ids, distances, strict=True)]


def _is_query_error(err: Exception) -> bool:
    """A malformed query (our bug) is not a server outage; keep it visible as what it is."""
    return type(err).__name__ in ("InvalidArgumentError", "ValueError", "TypeError")
