"""The Chroma adapter: the only module that knows chromadb and llama-index's Chroma store.

Vectors are written through llama-index's ChromaVectorStore and queried through Chroma,
always with our own embeddings (Chroma's default embedding function would download a model).
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from concurrent.futures import TimeoutError as CallTimeout
from pathlib import Path
from typing import TypeVar
from urllib.parse import urlparse

import numpy as np

from ingest.index.passage import Passage

T = TypeVar("T")
TIMEOUT_ENV = "REGIOWIJZER_CHROMA_TIMEOUT"
WRITE_TIMEOUT_ENV = "REGIOWIJZER_CHROMA_WRITE_TIMEOUT"
DEFAULT_TIMEOUT_S = 10.0  # a whole call to a Chroma server (search, count, open)
WRITE_TIMEOUT_S = 120.0  # one batch written by an ingest, as a whole
WRITE_BATCH = 500  # passages per write: a batch is a few seconds' work for a healthy server
# Calls to a server run here, so a caller can stop waiting; a hung server ties up at most these.
_CALLS = ThreadPoolExecutor(max_workers=8, thread_name_prefix="regiowijzer-chroma")


class VectorStoreUnavailable(Exception):
    """The Chroma server cannot be reached; the message says what to do."""


def _server_down(url: str, err: Exception | str) -> VectorStoreUnavailable:
    why = err if isinstance(err, str) else type(err).__name__
    return VectorStoreUnavailable(
        f"De Chroma-server op {url} is niet bereikbaar ({why}). Start de server "
        "(chroma run) of verwijder REGIOWIJZER_CHROMA_URL om de ingebouwde opslag te gebruiken."
    )


def _seconds(name: str, default: float, env: dict[str, str] | None) -> float:
    raw = (os.environ if env is None else env).get(name, "")
    try:
        value = float(raw) if raw.strip() else default
    except ValueError:
        return default
    return value if value > 0 else default


def call_timeout(env: dict[str, str] | None = None) -> float:
    """Seconds a whole call to the Chroma server may take (REGIOWIJZER_CHROMA_TIMEOUT)."""
    return _seconds(TIMEOUT_ENV, DEFAULT_TIMEOUT_S, env)


def write_timeout(env: dict[str, str] | None = None) -> float:
    """Seconds one batch written to the Chroma server may take (REGIOWIJZER_CHROMA_WRITE_TIMEOUT)."""
    return _seconds(WRITE_TIMEOUT_ENV, WRITE_TIMEOUT_S, env)


def _late(url: str, seconds: float) -> VectorStoreUnavailable:
    return _server_down(url, f"geen antwoord binnen {seconds:g} s".replace(".", ","))


def _deadlined(seconds: float, fn: Callable[..., T], *args, **kwargs) -> T:
    from ingest.index.deadline_http import call_deadline

    with call_deadline(seconds):
        return fn(*args, **kwargs)


def within(url: str, seconds: float, fn: Callable[..., T], *args, **kwargs) -> T:
    """fn(*args) in a worker thread; past `seconds` the caller gets VectorStoreUnavailable.

    The worker comes back by then too: every request it makes ends at the same deadline, at
    the socket (`deadline_http`), however slowly the server trickles its reply."""
    future = _CALLS.submit(_deadlined, seconds, fn, *args, **kwargs)
    try:
        return future.result(timeout=seconds + 0.5)  # the worker's own deadline trips first
    except CallTimeout:
        future.cancel()
        raise _late(url, seconds) from None
    except Exception as err:
        if _is_timeout(err):
            raise _late(url, seconds) from None
        raise


def _is_timeout(err: BaseException) -> bool:
    import httpcore
    import httpx

    seen: set[int] = set()
    while err is not None and id(err) not in seen:
        if isinstance(err, httpx.TimeoutException | httpcore.TimeoutException):
            return True
        seen.add(id(err))
        err = err.__cause__ or err.__context__
    return False


def _use_deadlines(client, seconds: float) -> None:
    """chromadb's HTTP client waits forever by default, and httpx's timeouts count per read:
    give it a session whose every request ends within `seconds` (`deadline_http`)."""
    import httpx

    from ingest.index.deadline_http import deadline_client

    server = getattr(client, "_server", None)
    session = getattr(server, "_session", None)
    if isinstance(session, httpx.Client):
        fresh = deadline_client(seconds, headers=session.headers)
        server._session = fresh
        session.close()


class _DeadlineHttpx:
    """Stands in for the httpx module inside chromadb's HTTP client, so the session it makes in
    its constructor (and uses at once, to check tenant and database) is one with a deadline:
    every request within REGIOWIJZER_CHROMA_TIMEOUT and the thread's `call_deadline`."""

    def __init__(self, httpx_module) -> None:
        self._httpx = httpx_module

    def __getattr__(self, name: str):
        return getattr(self._httpx, name)

    def Client(self, *args, timeout=None, limits=None, verify=True, **kwargs):  # noqa: N802
        from ingest.index.deadline_http import deadline_client

        return deadline_client(call_timeout(), limits=limits, verify=verify, **kwargs)


def _chromadb_sessions_with_deadlines() -> None:
    import httpx
    from chromadb.api import fastapi

    if not isinstance(fastapi.httpx, _DeadlineHttpx):
        fastapi.httpx = _DeadlineHttpx(httpx)


def open_client(path: Path, url: str | None = None, timeout: float | None = None):
    """An embedded store in `path`, or the Chroma server at `url` (telemetry off either way).

    Every call to a server has a whole-call deadline (`timeout`, default REGIOWIJZER_CHROMA_TIMEOUT)."""
    import chromadb
    import httpx
    from chromadb.config import Settings

    settings = Settings(anonymized_telemetry=False, allow_reset=False)
    if not url:
        return chromadb.PersistentClient(path=str(path), settings=settings)
    seconds = timeout or call_timeout()
    parsed = urlparse(url if "://" in url else f"http://{url}")
    base = f"{parsed.scheme or 'http'}://{parsed.netloc or parsed.path}"

    def connect():
        # A probe with our own deadline first: the client's constructor already calls the
        # server, with no timeout at all.
        from ingest.index.deadline_http import deadline_client

        with deadline_client(seconds) as probe:
            probe.get(f"{base}/api/v2/heartbeat").raise_for_status()
        _chromadb_sessions_with_deadlines()
        client = chromadb.HttpClient(host=parsed.hostname or "127.0.0.1",
                                     port=parsed.port or (443 if parsed.scheme == "https" else 8000),
                                     ssl=parsed.scheme == "https", settings=settings)
        _use_deadlines(client, seconds)
        client.heartbeat()
        return client

    try:
        return within(url, seconds, connect)
    except VectorStoreUnavailable:
        raise
    except httpx.TimeoutException:
        raise _late(url, seconds) from None
    except Exception as err:  # connection refused, DNS, TLS, HTTP errors all mean "down"
        raise _server_down(url, err) from err


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
                  vectors: np.ndarray, batch: int = WRITE_BATCH, url: str | None = None) -> None:
    """Write the vectors; to a server (`url`) each batch must be done within write_timeout(),
    else VectorStoreUnavailable (the caller keeps the previous index)."""
    from llama_index.core.schema import TextNode
    from llama_index.vector_stores.chroma import ChromaVectorStore

    seconds = write_timeout()
    if url:
        _use_deadlines(client, seconds)

    def call(fn: Callable[..., T], *args, **kwargs) -> T:
        if not url:
            return fn(*args, **kwargs)
        try:
            return within(url, seconds, fn, *args, **kwargs)
        except VectorStoreUnavailable:
            raise
        except Exception as err:  # refused, reset, an HTTP error: the server is not usable
            raise _server_down(url, err) from err

    collection = call(client.get_or_create_collection, collection_name,
                      metadata={"hnsw:space": "cosine"}, embedding_function=None)
    store = ChromaVectorStore(chroma_collection=collection)
    nodes = [
        TextNode(id_=p.id, text=p.text, metadata=flat_metadata(p), embedding=v.tolist())
        for p, v in zip(passages, vectors, strict=True)
    ]
    for start in range(0, len(nodes), batch):
        call(store.add, nodes[start:start + batch])


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

    def __init__(self, client, collection_name: str, url: str | None = None,
                 timeout: float | None = None) -> None:
        self._url = url
        self._client = client
        self._timeout = timeout or call_timeout()
        try:
            self._collection = self._call(client.get_collection, collection_name,
                                          embedding_function=None)
        except VectorStoreUnavailable:
            raise
        except Exception as err:
            if url:
                raise _server_down(url, err) from err
            raise

    def _call(self, fn: Callable[..., T], *args, **kwargs) -> T:
        if not self._url:  # the embedded store: no server to wait for
            return fn(*args, **kwargs)
        return within(self._url, self._timeout, fn, *args, **kwargs)

    def count(self) -> int:
        return self._call(self._collection.count)

    def close(self) -> None:
        """Let go of the client (an embedded store's files, a server's connections)."""
        with contextlib.suppress(Exception):
            self._client.close()

    def search(self, vector: np.ndarray, k: int, where: dict | None = None
               ) -> list[tuple[str, float]]:
        try:
            result = self._call(
                self._collection.query,
                query_embeddings=[np.asarray(vector, dtype=np.float32).tolist()],
                n_results=k, where=where, include=["distances"],
            )
        except VectorStoreUnavailable:
            raise
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
