"""Write one complete build directory: vectors (Chroma), three BM25 fields, passages, manifest.

The manifest is written last, so a directory without one is an unfinished build. Any
failure removes the directory (and its server collection) and becomes an IngestError with a
Dutch reason; the active index is never touched here.
"""

from __future__ import annotations

import errno
import secrets
import shutil
import sqlite3
import sys
from datetime import UTC, datetime
from pathlib import Path

import ingest.index.layout as layout
from ingest.index.passage import Passage


class IngestError(Exception):
    """A failure that stops the build; the previous index stays active."""


_OS_REASONS = {
    errno.ENOSPC: "de schijf is vol",
    errno.EDQUOT: "de schijfruimte (quotum) is op",
    errno.EROFS: "de map is alleen-lezen",
    errno.EACCES: "geen schrijfrechten",
    errno.EPERM: "geen schrijfrechten",
    errno.EIO: "leesfout of schrijffout van de schijf",
}


def os_reason(err: OSError) -> str:
    """A Dutch description of a file-system error (strerror is English)."""
    from ingest.index.diskfull import disk_full_message, is_disk_full

    if is_disk_full(err):
        return disk_full_message(err.filename)
    reason = _OS_REASONS.get(err.errno or 0)
    if reason is None:
        reason = f"systeemfout {errno.errorcode.get(err.errno or 0, err.errno or '?')}"
    return f"{reason}: {err.filename}" if err.filename else reason


def index_text(p: Passage) -> str:
    """What search sees: the passage with its heading, so structure is searchable too."""
    return f"{p.heading}\n{p.text}" if p.heading else p.text


def progress_bar(total: int, desc: str, unit: str, enabled: bool):
    from tqdm import tqdm

    return tqdm(total=total, desc=desc, unit=unit, disable=not enabled, file=sys.stderr,
                leave=False)


def write_build(settings, routekaart, passages, records, key, embedder, report, progress,
                bank=()) -> Path:
    from ingest.index.embedders.base import ModelUnavailable
    from ingest.index.vectorstore import VectorStoreUnavailable, drop_collections

    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S")
    build = settings.index_root / f"build-{stamp}-{secrets.token_hex(3)}"
    try:
        build.mkdir(parents=True)
        _write(settings, build, routekaart, passages, records, key, embedder, report, progress,
               bank)
    except BaseException as err:
        from ingest.index.diskfull import disk_full_message, is_disk_full

        shutil.rmtree(build, ignore_errors=True)
        if settings.chroma_url and not isinstance(err, VectorStoreUnavailable):
            drop_collections(settings.chroma_url, [build.name])
        if isinstance(err, ModelUnavailable):
            raise IngestError(f"{err} De vorige index blijft actief.") from err
        if isinstance(err, Exception) and is_disk_full(err):  # OSError, SQLite, Chroma alike
            raise IngestError(f"Index schrijven mislukt: {disk_full_message(settings.home)}. "
                              "De vorige index blijft actief.") from err
        if isinstance(err, VectorStoreUnavailable):
            raise IngestError(f"{err} De vorige index blijft actief.") from err
        if isinstance(err, OSError):
            raise IngestError(f"Index schrijven mislukt ({os_reason(err)}); "
                              "de vorige index blijft actief.") from err
        if isinstance(err, sqlite3.Error):
            full = "full" in str(err).lower()
            what = "de schijf is vol" if full else "de cache met vectoren is onbruikbaar"
            raise IngestError(f"Index schrijven mislukt ({what}: {settings.cache_dir}); "
                              "de vorige index blijft actief.") from err
        raise
    return build


def _write_sentences(build, passages, embedder, cache, progress) -> None:
    """Each passage's sentences embedded too (cached like the passages), for choosing the
    sentence an answer quotes (ingest.index.sentence_vectors)."""
    from ingest.index.embedders.cache import embed_with_cache
    from ingest.index.sentence_vectors import sentence_rows, write_sentence_vectors

    rows = sentence_rows(passages)
    bar = progress_bar(len(rows), "Zinnen", "zin", progress)

    def embed(texts):
        return embed_with_cache(embedder, cache, texts, on_batch=bar.update)[0]

    try:
        write_sentence_vectors(build, rows, embed)
    finally:
        bar.close()


def _write_bank(build, passages, bank, embedder, cache, report, progress) -> None:
    """The question bank tied to this build's passages, its questions embedded as questions
    (cached like the passages); entries whose quote left its document are reported, not kept."""
    from ingest.index.bank import resolve, stale_line, write_bank
    from ingest.index.embedders.cache import embed_with_cache

    resolved = resolve(bank, passages)
    report.bank_stale = stale_line(resolved.stale)
    if not resolved.rows:
        return
    bar = progress_bar(len(resolved.rows), "Vragenbank", "vraag", progress)

    def embed(texts):
        return embed_with_cache(embedder, cache, texts, on_batch=bar.update, queries=True)[0]

    try:
        report.bank_questions = write_bank(build, resolved.rows, embed)
    finally:
        bar.close()


def _write(settings, build, routekaart, passages, records, key, embedder, report, progress, bank):
    from ingest.index.chargrams import CharGramAnalyzer
    from ingest.index.embedders.cache import EmbeddingCache, embed_with_cache
    from ingest.index.lexical import build_analyzer, build_bm25, route_context
    from ingest.index.vectorstore import collection_name, open_client, write_vectors

    texts = [index_text(p) for p in passages]
    cache = EmbeddingCache(settings.cache_dir / "embeddings.sqlite")
    try:
        bar = progress_bar(len(texts), "Passages", "passage", progress)
        try:
            vectors, report.embedded = embed_with_cache(embedder, cache, texts, on_batch=bar.update)
        finally:
            bar.close()
        _write_sentences(build, passages, embedder, cache, progress)
        _write_bank(build, passages, bank, embedder, cache, report, progress)
    finally:
        cache.close()
    client = open_client(build / layout.CHROMA_DIR, settings.chroma_url)
    collection = collection_name(build.name, settings.chroma_url)
    write_vectors(client, collection, passages, vectors, url=settings.chroma_url)
    analyzer = build_analyzer(texts)
    build_bm25(build / layout.BM25_DIR, texts, analyzer)
    build_bm25(build / layout.CONTEXT_DIR, [route_context(p, routekaart) for p in passages],
               analyzer)
    build_bm25(build / layout.GRAMS_DIR, texts, CharGramAnalyzer())
    layout.write_passages(build / layout.PASSAGES, passages)
    manifest = layout.IndexManifest(
        format_version=layout.FORMAT_VERSION,
        built_at=datetime.now(UTC).isoformat(timespec="seconds"),
        model=embedder.name, model_identity=embedder.identity, dim=int(vectors.shape[1]),
        pipeline_key=key, corpus_dir=str(settings.corpus_dir), files=records,
        passages=len(passages), analyzer=analyzer.to_config(),
        vector_store={"url": settings.chroma_url or "", "collection": collection},
    )
    (build / layout.MANIFEST).write_text(manifest.to_json(), encoding="utf-8")
    del client
