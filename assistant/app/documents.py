"""The Bronnen tab's handlers: adding and removing a corpus document, then re-indexing.

Only an administrator, or the local owner of an app without login on loopback, may (see
assistant.app.access): Gradio keeps every event callable over HTTP by its number, so the check
is here, in the handler, on the request. The result of an upload (added, or skipped and why;
the index re-built) is said right below the buttons; an upload the index skips is not kept."""

from __future__ import annotations

from pathlib import Path

import gradio as gr

from assistant.app.access import NOT_ADMIN, access_text, may_change_corpus
from assistant.app.events import updates
from assistant.app.sessions import forget_copies
from assistant.app.state import Shared
from assistant.app.uploads import (
    UploadError,
    add_document,
    reindex,
    remove_document,
    report_markdown,
    shown,
    upload_outcome,
)
from assistant.present.markdown import md_text

QUEUED = ("In de wachtrij: er wordt al een index bijgewerkt. Dit komt daarna aan de beurt; "
          "u hoeft niets opnieuw te doen.")
INDEX_CONCURRENCY = 4  # changes that may wait their turn at once (each says it is queued)


class CorpusEvents:
    def __init__(self, shared: Shared, table, remove_choice, docs, kinds, status, upload) -> None:
        self.shared = shared
        self.table, self.remove_choice, self.docs = table, remove_choice, docs
        self.kinds, self.status, self.upload = kinds, status, upload

    def may_change(self, request) -> bool:
        return may_change_corpus(request, self.shared.admins, self.shared.local_owner)

    def welcome(self, access, manage):
        """On page load: say who may change the documents, and show the controls to them."""

        def handler(request: gr.Request = None):
            text = access_text(request, self.shared.admins, self.shared.local_owner)
            return {access: gr.update(value=text), manage: gr.update(visible=self.may_change(request))}

        return handler

    def add(self, upload: str | None, request: gr.Request = None,
            progress=gr.Progress(track_tqdm=True)):  # noqa: B008
        forget_copies(self.shared.app, getattr(request, "session_hash", None))
        for changes in self._add(upload, request, progress):
            yield self._all(changes)

    def remove(self, name: str | None, request: gr.Request = None,
               progress=gr.Progress(track_tqdm=True)):  # noqa: B008
        forget_copies(self.shared.app, getattr(request, "session_hash", None))
        for changes in self._remove(name, request, progress):
            yield self._all(changes)

    def _turn(self):
        """Take the index lock; while another change holds it, say so first (a generator that
        yields the queued message at most once, then returns with the lock held)."""
        if not self.shared.index_lock.acquire(blocking=False):
            yield {self.status: QUEUED}
            self.shared.index_lock.acquire()

    def _all(self, changes: dict) -> dict:
        """Every output, as updates or gr.skip() (see assistant.app.events on Gradio's copies)."""
        outputs = (self.table, self.remove_choice, self.docs, self.kinds, self.status, self.upload)
        return updates(outputs, changes)

    def _add(self, upload, request, progress) -> dict:
        if not self.may_change(request):
            yield {self.status: NOT_ADMIN, self.upload: None}
            return
        if not upload or not isinstance(upload, str):
            yield {self.status: "Kies eerst een bestand om toe te voegen."}
            return
        path = Path(upload)
        # ingest() itself takes index/.ingest.lock, so a CLI ingest and an upload never build
        # at once; this lock keeps the app's own changes in order and says when one waits.
        yield from self._turn()
        try:
            try:
                progress(0, desc="Bestand opslaan")
                added = add_document(self.shared.settings.corpus_dir, path, path.name,
                                     self.shared.settings.max_file_mb)
            except (UploadError, OSError) as err:
                yield {self.status: f"**Niet toegevoegd:** {md_text(str(err))}", self.upload: None}
                return
            yield self._reindex(None, progress, added=added)
        finally:
            self.shared.index_lock.release()

    def _remove(self, name, request, progress) -> dict:
        if not self.may_change(request):
            yield {self.status: NOT_ADMIN}
            return
        if not name or not isinstance(name, str):
            yield {self.status: "Kies eerst een document om te verwijderen."}
            return
        yield from self._turn()
        try:
            try:
                moved = remove_document(self.shared.settings.corpus_dir, name,
                                        self.shared.settings.home / "verwijderd",
                                        self.shared.indexed_files())
            except UploadError as err:
                yield {self.status: f"**Niet verwijderd:** {md_text(str(err))}"}
                return
            yield self._reindex(f"**Verwijderd:** {shown(name)} (bewaard in "
                                f"{shown(str(moved.parent))}).", progress)
        finally:
            self.shared.index_lock.release()

    def _reindex(self, done: str | None, progress, added: Path | None = None) -> dict:
        from ingest.build import IngestError
        from ingest.index.corpusdata import CorpusDataError

        progress(0.05, desc="Index bijwerken")
        try:
            report = reindex(self.shared.settings, embedder=self.shared.model())
            progress(0.95, desc="Index openen")
            if report.status != "unchanged":
                self.shared.reload()  # every session's next question uses the new build
        except (IngestError, CorpusDataError) as err:
            if added is not None:
                _set_aside(added, self.shared.settings.home / "verwijderd")
                done = f"**Niet toegevoegd:** {shown(added.name)}."
            return {self.status: f"{done}\n\nDe index kon niet worden bijgewerkt: {md_text(str(err))}",
                    self.upload: None}
        if added is not None:
            kept, done = upload_outcome(added.name, report)
            if not kept:  # the index passed it over: it is no document, so it does not stay
                _set_aside(added, self.shared.settings.home / "verwijderd")
        return {
            self.table: self.shared.document_rows(),
            self.remove_choice: gr.update(choices=self.shared.file_choices(), value=None),
            self.docs: gr.update(choices=self.shared.document_choices()),
            self.kinds: gr.update(choices=self.shared.kind_choices()),
            self.status: f"{done}\n\n{report_markdown(report)}",
            self.upload: None,
        }


def _set_aside(path: Path, trash: Path) -> None:
    """Move a file the index would not take out of the corpus again (kept, not deleted)."""
    from datetime import UTC, datetime

    try:
        trash.mkdir(parents=True, exist_ok=True)
        path.replace(trash / f"{datetime.now(UTC):%Y%m%dT%H%M%S}-{path.name}")
    except OSError:
        pass
