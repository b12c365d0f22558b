"""Build the index: Chroma vectors + Dutch BM25 + passages, incremental and atomic.

A build is written into a fresh directory beside the active one and switched in with one
atomic rename, so a build that fails half-way (killed, disk full, bad file) leaves the
previous index usable. Vectors are cached by model and text: re-ingest embeds only what
is new or changed.
"""

from __future__ import annotations

import hashlib
import secrets
import shutil
import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import ingest.index.layout as layout
from ingest.config import Settings
from ingest.index.corpusdata import (
    default_source_info,
    find_data_file,
    load_manifest,
    load_routekaart,
)
from ingest.index.passage import Passage

# 2: route-map and character-gram fields saved with each build; 3: document id under its own key
PIPELINE_VERSION = "4"  # 4: a PDF's metadata author is kept per file
DATA_FILES = ("bronnen.toml", "routekaart.toml", "plaatsen.toml")


class IngestError(Exception):
    """A failure that stops the build; the previous index stays active."""


@dataclass
class IngestReport:
    status: str  # "built" | "unchanged"
    build: Path | None
    files: int = 0
    passages: int = 0
    embedded: int = 0
    reused_files: int = 0
    skipped: list[tuple[str, str]] = field(default_factory=list)
    warnings: list[tuple[str, str]] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)


def corpus_files(corpus_dir: Path) -> list[Path]:
    """Every document in the corpus folder; unsupported types are kept so the user is told why
    they are skipped. The data files (*.toml) and a README are not documents."""
    if not corpus_dir.is_dir():
        raise IngestError(f"Corpusmap {corpus_dir} bestaat niet.")
    return [
        p for p in sorted(corpus_dir.iterdir())
        if p.is_file() and not p.name.startswith(".") and p.suffix.lower() != ".toml"
        and p.name.lower() != "readme.md"
    ]


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def pipeline_key(corpus_dir: Path) -> str:
    """Changes when the code version or any data file that shapes passages changes."""
    digest = hashlib.sha256(PIPELINE_VERSION.encode())
    for name in DATA_FILES:
        path = find_data_file(corpus_dir, name)
        digest.update(name.encode())
        if path is not None and path.exists():
            digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def index_text(p: Passage) -> str:
    """What search sees: the passage with its heading, so structure is searchable too."""
    return f"{p.heading}\n{p.text}" if p.heading else p.text


def _progress(total: int, desc: str, unit: str, enabled: bool):
    from tqdm import tqdm

    return tqdm(total=total, desc=desc, unit=unit, disable=not enabled, file=sys.stderr,
                leave=False)


def ingest(settings: Settings, rebuild: bool = False, progress: bool = True,
           embedder=None, say: Callable[[str], None] = print) -> IngestReport:
    """Bring the index in line with the corpus directory."""
    from ingest.read import ReadError

    settings.index_root.mkdir(parents=True, exist_ok=True)
    files = corpus_files(settings.corpus_dir)
    hashes = {p.name: file_sha256(p) for p in files}
    key = pipeline_key(settings.corpus_dir)
    active = layout.current_build(settings.index_root)
    previous = _readable_manifest(active) if active and not rebuild else None
    identity = _identity(settings, embedder)

    if (previous and previous.model_identity == identity and previous.pipeline_key == key
            and previous.vector_store.get("url", "") == (settings.chroma_url or "")
            and {n: r.sha256 for n, r in previous.files.items()} == hashes):
        skipped = [(n, r.skipped) for n, r in previous.files.items() if r.skipped]
        return IngestReport(status="unchanged", build=active, files=len(files),
                            passages=previous.passages, reused_files=len(files),
                            skipped=skipped)

    report = IngestReport(status="built", build=None, files=len(files))
    old_passages = _passages_by_file(active, previous) if previous else {}
    if previous:
        report.removed = sorted(set(previous.files) - set(hashes))

    routekaart = load_routekaart(find_data_file(settings.corpus_dir, "routekaart.toml"))
    all_passages, records = _process(settings, routekaart, files, hashes, key, previous,
                                     old_passages, report, progress, ReadError)
    if not all_passages:
        raise IngestError("Geen enkel bestand kon worden gelezen; de bestaande index blijft actief.")

    embedder = embedder or _make_embedder(settings)
    build = _write_build(settings, routekaart, all_passages, records, key, embedder, report,
                         progress)
    removed = layout.activate(settings.index_root, build)
    if settings.chroma_url and removed:
        from ingest.index.vectorstore import drop_collections

        drop_collections(settings.chroma_url, removed)
    report.build = build
    report.passages = len(all_passages)
    return report


def _identity(settings: Settings, embedder) -> str:
    if embedder is not None:
        return embedder.identity
    from ingest.index.embedders.sbert import SentenceEmbedder

    return SentenceEmbedder(settings.embed_model, settings.query_prefix,
                            settings.passage_prefix).identity


def _make_embedder(settings: Settings):
    from ingest.index.embedders.sbert import SentenceEmbedder

    return SentenceEmbedder(settings.embed_model, settings.query_prefix, settings.passage_prefix)


def _readable_manifest(build: Path) -> layout.IndexManifest | None:
    try:
        return layout.read_manifest(build)
    except (OSError, ValueError, TypeError, KeyError):
        return None


def _passages_by_file(build: Path, manifest: layout.IndexManifest) -> dict[str, list[Passage]]:
    try:
        passages = layout.read_passages(build / layout.PASSAGES)
    except (OSError, ValueError, TypeError):
        return {}
    by_doc: dict[str, list[Passage]] = {}
    for p in passages:
        by_doc.setdefault(p.doc_id, []).append(p)
    return {name: by_doc.get(rec.doc_id, []) for name, rec in manifest.files.items()}


def _process(settings, routekaart, files, hashes, key, previous, old_passages, report, progress,
             read_error):
    from ingest.pipeline import process_file
    from ingest.places import load_gazetteer

    corpus = settings.corpus_dir
    manifest = load_manifest(corpus)
    regions = {r.naam: list(r.aliassen) for r in routekaart.regios}
    gazetteer = load_gazetteer(find_data_file(corpus, "plaatsen.toml"), regions)
    max_bytes = settings.max_file_mb * 1024 * 1024

    all_passages: list[Passage] = []
    records: dict[str, layout.FileRecord] = {}
    used_ids: set[str] = set()
    first_with_hash: dict[str, str] = {}
    bar = _progress(len(files), "Bestanden", "bestand", progress)
    for path in files:
        bar.update(1)
        twin = first_with_hash.setdefault(hashes[path.name], path.name)
        if twin != path.name:
            records[path.name] = _skipped(path.name, hashes[path.name],
                                          f"dubbel document (zelfde inhoud als {twin})", report)
            continue
        old = previous.files.get(path.name) if previous else None
        if old and old.skipped is None and old.sha256 == hashes[path.name] \
                and previous.pipeline_key == key and old_passages.get(path.name):
            passages, record = old_passages[path.name], old
            report.reused_files += 1
        else:
            try:
                processed = process_file(path, manifest.get(path.name), default_source_info,
                                         routekaart, gazetteer, max_bytes)
            except read_error as err:
                records[path.name] = _skipped(path.name, hashes[path.name], str(err), report)
                continue
            passages = processed.passages
            if not passages:
                records[path.name] = _skipped(path.name, hashes[path.name],
                                              "geen bruikbare tekst gevonden", report)
                continue
            first = passages[0]
            record = layout.FileRecord(name=path.name, sha256=hashes[path.name],
                                       doc_id=first.doc_id, title=first.title, kind=first.kind,
                                       passages=len(passages), warnings=processed.warnings,
                                       author=processed.author)
            report.warnings.extend((path.name, w) for w in processed.warnings)
        doc_id = record.doc_id
        if any(p.id in used_ids for p in passages):
            records[path.name] = _skipped(path.name, hashes[path.name],
                                          f"dubbel document (zelfde inhoud of id als {doc_id})",
                                          report)
            continue
        used_ids.update(p.id for p in passages)
        records[path.name] = record
        all_passages.extend(passages)
    bar.close()
    return all_passages, records


def _skipped(name: str, sha: str, reason: str, report: IngestReport) -> layout.FileRecord:
    report.skipped.append((name, reason))
    return layout.FileRecord(name=name, sha256=sha, doc_id="", title="", kind="", passages=0,
                             skipped=reason)


def _write_build(settings, routekaart, passages, records, key, embedder, report, progress) -> Path:
    from ingest.index.chargrams import CharGramAnalyzer
    from ingest.index.embedders.sbert import EmbeddingCache, embed_with_cache
    from ingest.index.lexical import build_analyzer, build_bm25, route_context
    from ingest.index.vectorstore import (
        VectorStoreUnavailable,
        collection_name,
        open_client,
        write_vectors,
    )

    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S")
    build = settings.index_root / f"build-{stamp}-{secrets.token_hex(3)}"
    build.mkdir(parents=True)
    try:
        texts = [index_text(p) for p in passages]
        cache = EmbeddingCache(settings.cache_dir / "embeddings.sqlite")
        bar = _progress(len(texts), "Passages", "passage", progress)
        try:
            vectors, report.embedded = embed_with_cache(embedder, cache, texts, on_batch=bar.update)
        finally:
            bar.close()
            cache.close()
        client = open_client(build / layout.CHROMA_DIR, settings.chroma_url)
        collection = collection_name(build.name, settings.chroma_url)
        write_vectors(client, collection, passages, vectors)
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
    except BaseException as err:
        shutil.rmtree(build, ignore_errors=True)
        if settings.chroma_url and not isinstance(err, VectorStoreUnavailable):
            from ingest.index.vectorstore import drop_collections

            drop_collections(settings.chroma_url, [build.name])
        if isinstance(err, VectorStoreUnavailable):
            raise IngestError(f"{err} De vorige index blijft actief.") from err
        if isinstance(err, OSError):
            raise IngestError(f"Index schrijven mislukt ({err.strerror or err}); "
                              "de vorige index blijft actief.") from err
        raise
    return build
