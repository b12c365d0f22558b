"""Build the index: Chroma vectors + Dutch BM25 + passages, incremental, atomic, one at a time.

A build is written into a fresh directory beside the active one and switched in with one
atomic rename, so a build that fails half-way (killed, disk full, bad file) leaves the
previous index usable. Vectors are cached by model and text: re-ingest embeds only what
is new or changed. The whole run holds the ingest lock (ingest.index.lock), so a second
ingest waits (or, with wait=0, gets IngestBusy) instead of racing the first; leftovers of a
killed run are cleaned up while the lock is held.
"""

from __future__ import annotations

import contextlib
import shutil
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import ingest.index.layout as layout
from ingest.buildkey import build_key
from ingest.config import Settings
from ingest.corpusfiles import NotRegular, document_ids, file_sha256, list_corpus
from ingest.index.bank import BANK_DIR, load_bank
from ingest.index.corpusdata import default_source_info, find_data_file, load_manifest, load_routekaart
from ingest.index.embedders import ModelUnavailable, make_embedder
from ingest.index.lock import Holder, IndexBusy, IngestLock
from ingest.index.passage import Passage
from ingest.writebuild import IngestError, os_reason, progress_bar, write_build

__all__ = ["IngestBusy", "IngestError", "IngestReport", "corpus_files", "file_sha256", "ingest"]

BUSY = "Er wordt al geïndexeerd; probeer het zo opnieuw."


class IngestBusy(IngestError):
    """Another ingest holds the lock; the message is Dutch and meant for the user."""

    def __init__(self, message: str, holder: Holder | None = None) -> None:
        super().__init__(message)
        self.holder = holder


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
    bank_questions: int = 0  # question-bank entries stored with the index
    bank_stale: str | None = None  # one Dutch line on entries whose quote left its document


def corpus_files(corpus_dir: Path) -> list[Path]:
    """The regular files in the corpus folder that ingest reads as documents (or skips with a
    reason: unsupported types are kept, so the user is told why)."""
    if not Path(corpus_dir).is_dir():
        raise IngestError(f"Corpusmap {corpus_dir} bestaat niet.")
    return list_corpus(Path(corpus_dir)).files


def ingest(settings: Settings, rebuild: bool = False, progress: bool = True,
           embedder=None, say: Callable[[str], None] = print, wait: float = 0.0) -> IngestReport:
    """Bring the index in line with the corpus directory.

    With another ingest running, wait up to `wait` seconds (telling `say` once), then raise
    IngestBusy; wait=0 (the app's choice) raises it at once."""
    try:
        settings.index_root.mkdir(parents=True, exist_ok=True)
        lock = IngestLock(settings.index_root)
        lock.acquire(wait, on_wait=lambda h: say(_waiting(h, wait)),
                     on_stale=lambda h: say(_taken_over(h)))
    except IndexBusy as busy:
        message = BUSY if wait <= 0 else (
            f"Er loopt nog steeds een indexering ({busy}); probeer het later opnieuw.")
        raise IngestBusy(message, busy.holder) from busy
    except OSError as err:
        raise IngestError(f"De indexmap {settings.index_root} kan niet gebruikt worden "
                          f"({os_reason(err)}).") from err
    try:
        _drop_collections(settings, layout.prune(settings.index_root, _in_use(settings)))
        return _ingest_locked(settings, rebuild, progress, embedder)
    except IngestError:
        raise
    except Exception as err:
        from ingest.index.diskfull import disk_full_message, is_disk_full

        if is_disk_full(err):  # the cache, a cleanup, the lock's heartbeat: wherever it struck
            raise IngestError(f"Indexeren mislukt: {disk_full_message(settings.home)}. De vorige "
                              "index blijft actief.") from err
        if isinstance(err, OSError):
            raise IngestError(f"Indexeren mislukt ({os_reason(err)}); de vorige index blijft "
                              "actief.") from err
        raise
    finally:
        lock.release()


def _waiting(holder: Holder | None, wait: float) -> str:
    who = holder.describe() if holder else "onbekend proces"
    minutes = f"{wait / 60:.0f} minuten" if wait >= 120 else f"{wait:.0f} seconden"
    return f"Er loopt al een indexering ({who}); ik wacht tot die klaar is (hoogstens {minutes})…"


def _taken_over(holder: Holder | None) -> str:
    if holder is None:
        return "Een onleesbaar, oud vergrendelbestand van een indexering is opgeruimd."
    return (f"Een eerdere indexering ({holder.describe()}) is niet afgemaakt of geeft geen "
            "teken van leven meer; ik ruim haar vergrendeling op en ga verder.")


def _in_use(settings: Settings) -> set[str]:
    from ingest.index.readers import in_use

    return in_use(settings.index_root)


def _drop_collections(settings: Settings, builds: list[str]) -> None:
    if settings.chroma_url and builds:
        from ingest.index.vectorstore import drop_collections

        drop_collections(settings.chroma_url, builds)


def _ingest_locked(settings: Settings, rebuild: bool, progress: bool, embedder) -> IngestReport:
    if not settings.corpus_dir.is_dir():
        raise IngestError(f"Corpusmap {settings.corpus_dir} bestaat niet.")
    try:
        listing = list_corpus(settings.corpus_dir)
    except OSError as err:
        raise IngestError(f"Corpusmap {settings.corpus_dir} kan niet gelezen worden "
                          f"({os_reason(err)}).") from err
    refused = dict(listing.refused)
    hashes: dict[str, str] = {}
    for path in listing.files:
        try:
            hashes[path.name] = file_sha256(path)
        except NotRegular as err:
            refused[path.name] = str(err)
        except OSError:
            hashes[path.name] = ""  # unreadable: read_document says why
    hashes.update(dict.fromkeys(refused, ""))
    files = [p for p in listing.files if p.name not in refused]
    key = build_key(settings.corpus_dir)
    active = layout.current_build(settings.index_root)
    previous = _readable_manifest(active) if active and not rebuild else None
    embedder = embedder or make_embedder(settings)  # loads only when it embeds
    try:
        identity = embedder.identity
    except ModelUnavailable as err:
        raise IngestError(f"{err} De bestaande index blijft actief.") from err

    if (previous and previous.model_identity == identity and previous.pipeline_key == key
            and previous.vector_store.get("url", "") == (settings.chroma_url or "")
            and {n: r.sha256 for n, r in previous.files.items()} == hashes):
        skipped = [(n, r.skipped) for n, r in previous.files.items() if r.skipped]
        return IngestReport(status="unchanged", build=active, files=len(hashes),
                            passages=previous.passages, reused_files=len(hashes),
                            skipped=skipped)

    report = IngestReport(status="built", build=None, files=len(hashes))
    old_passages = _passages_by_file(active, previous) if previous else {}
    if previous:
        report.removed = sorted(set(previous.files) - set(hashes))
    records = {name: _skipped(name, "", reason, report) for name, reason in refused.items()}

    routekaart = load_routekaart(find_data_file(settings.corpus_dir, "routekaart.toml"))
    bank = load_bank(settings.corpus_dir / BANK_DIR)  # a bad line stops here, before any work
    all_passages = _process(settings, routekaart, files, hashes, key, previous, old_passages,
                            records, report, progress)
    if not all_passages:
        raise IngestError("Geen enkel bestand kon worden gelezen; de bestaande index blijft actief.")
    records = {name: records[name] for name in sorted(records)}

    build = write_build(settings, routekaart, all_passages, records, key, embedder, report,
                        progress, bank)
    try:
        layout.activate(settings.index_root, build)
    except (OSError, ValueError) as err:
        shutil.rmtree(build, ignore_errors=True)
        _drop_collections(settings, [build.name])
        reason = os_reason(err) if isinstance(err, OSError) else str(err)
        raise IngestError(f"De nieuwe index kon niet actief worden ({reason}); "
                          "de vorige index blijft actief.") from err
    with contextlib.suppress(OSError):  # the new index is active; leftovers go next time
        _drop_collections(settings, layout.prune(settings.index_root, _in_use(settings)))
    report.build = build
    report.passages = len(all_passages)
    return report


def _readable_manifest(build: Path) -> layout.IndexManifest | None:
    try:
        return layout.read_manifest(build)
    except (OSError, ValueError, TypeError, KeyError):
        return None


def _passages_by_file(build: Path, manifest: layout.IndexManifest) -> dict[str, list[Passage]]:
    """The previous build's passages per file. A build stores each file's passages together,
    in the order of its file records; a slice that does not match its record is not reused."""
    try:
        passages = layout.read_passages(build / layout.PASSAGES)
    except (OSError, ValueError, TypeError):
        return {}
    out: dict[str, list[Passage]] = {}
    at = 0
    for name, record in manifest.files.items():
        if record.skipped or not record.passages:
            continue
        chunk = passages[at:at + record.passages]
        at += record.passages
        if len(chunk) == record.passages and all(p.doc_id == record.doc_id for p in chunk):
            out[name] = chunk
    return out if at == len(passages) else {}


def _process(settings, routekaart, files, hashes, key, previous, old_passages, records, report,
             progress) -> list[Passage]:
    from ingest.pipeline import process_file
    from ingest.places import load_gazetteer
    from ingest.read import ReadError, ReadLimits

    corpus = settings.corpus_dir
    manifest = load_manifest(corpus)
    ids = document_ids([p.name for p in files], manifest)
    regions = {r.naam: list(r.aliassen) for r in routekaart.regios}
    gazetteer = load_gazetteer(find_data_file(corpus, "plaatsen.toml"), regions)
    limits = ReadLimits.from_settings(settings)

    all_passages: list[Passage] = []
    used_ids: set[str] = set()
    indexed_hash: dict[str, str] = {}  # content hash -> the file indexed with that content
    bar = progress_bar(len(files), "Bestanden", "bestand", progress)
    for path in files:
        bar.update(1)
        name, sha = path.name, hashes[path.name]
        if sha in indexed_hash:
            records[name] = _skipped(name, sha, f"dubbel document (zelfde inhoud als "
                                     f"{indexed_hash[sha]})", report)
            continue
        old = previous.files.get(name) if previous else None
        if old and old.skipped is None and old.sha256 == sha and previous.pipeline_key == key \
                and old.doc_id == ids[name] and old_passages.get(name):
            passages, record = old_passages[name], old
            report.reused_files += 1
        else:
            def source_for(p, hint, author=None, doc_id=ids[name]):
                return default_source_info(p, hint, author).model_copy(update={"id": doc_id})

            try:
                processed = process_file(path, manifest.get(name), source_for, routekaart,
                                         gazetteer, limits)
            except ReadError as err:
                records[name] = _skipped(name, sha, str(err), report)
                continue
            passages = processed.passages
            if not passages:
                records[name] = _skipped(name, sha, "geen bruikbare tekst gevonden", report)
                continue
            first = passages[0]
            record = layout.FileRecord(name=name, sha256=sha, doc_id=first.doc_id,
                                       title=first.title, kind=first.kind,
                                       passages=len(passages), warnings=processed.warnings,
                                       author=processed.author)
            report.warnings.extend((name, w) for w in processed.warnings)
        if any(p.id in used_ids for p in passages):
            records[name] = _skipped(name, sha, f"dubbel document (zelfde id als een ander "
                                     f"document: {record.doc_id})", report)
            continue
        used_ids.update(p.id for p in passages)
        if sha:
            indexed_hash.setdefault(sha, name)
        records[name] = record
        all_passages.extend(passages)
    bar.close()
    return all_passages


def _skipped(name: str, sha: str, reason: str, report: IngestReport) -> layout.FileRecord:
    report.skipped.append((name, reason))
    return layout.FileRecord(name=name, sha256=sha, doc_id="", title="", kind="", passages=0,
                             skipped=reason)
