"""What the app keeps in memory while it serves: a DOCX export leaves nothing behind once
start-up is frozen, a swapped index is frozen in turn, and a browser session's Gradio state does
not grow with each answer. The load test (evals/load.py) shows the effect on RSS."""

from __future__ import annotations

import gc
import sys
import weakref
from pathlib import Path

import pytest

from assistant.app.memory import collect_garbage, freeze_long_lived
from assistant.app.state import Shared, _retire
from assistant.app.ui import create_app
from ingest.config import Settings

sys.path.insert(0, str(Path(__file__).parent))
from app_server import running_app  # noqa: E402
from test_app_events import FakeAssistant, make_answer  # noqa: E402


@pytest.fixture
def settings(tmp_path, corpus_copy):
    return Settings(home=tmp_path / "home", corpus_dir=corpus_copy)


@pytest.fixture
def frozen():
    """Start-up done, as `launch` leaves it; the collector is put back afterwards."""
    freeze_long_lived()
    yield
    gc.unfreeze()
    gc.collect()


def live(type_name: str) -> int:
    """Objects of that class the collector still tracks (not collecting first)."""
    return sum(type(o).__name__ == type_name for o in gc.get_objects())


def test_exports_leave_no_word_document_in_memory(settings, frozen):
    shared = Shared(FakeAssistant(), settings)
    for n in range(3):
        md, docx = shared.write_exports(make_answer(f"Wat doet de raad, vraag {n}?"))
        assert Path(md).stat().st_size and Path(docx).stat().st_size
    assert live("Package") == 0 and live("DocumentPart") == 0


def test_collecting_is_skipped_while_nothing_is_frozen():
    gc.unfreeze()
    assert collect_garbage() is False  # a full collection would scan every object: too slow per answer


def test_a_swapped_index_is_frozen_and_the_old_one_freed_when_it_retires(settings, frozen):
    old = FakeAssistant()
    old.itself = old  # a cycle, as an opened index has: only a collection frees it
    gone = weakref.ref(old)
    shared = Shared(old, settings, reload=lambda s: FakeAssistant())
    freeze_long_lived()
    del old
    shared.reload()
    assert live("FakeAssistant") == 0  # both frozen: collections after each export stay cheap
    _retire([gone()])
    assert gone() is None


def test_a_session_keeps_a_bounded_gradio_state_over_many_answers(settings):
    from gradio_client import Client

    app = create_app(FakeAssistant(), settings)
    with running_app(app) as url:
        client = Client(url, verbose=False, download_files=False, analytics_enabled=False)
        sizes = []
        for n in range(6):
            client.predict(f"Wat doet de raad, vraag {n}?", "vraag", [], [], [], api_name="/ask")
            session = app.state_holder.session_data[client.session_hash]
            sizes.append(len(session.blocks_config.blocks))
        client.close()
    assert sizes[-1] == sizes[1], sizes  # the first answer fills the session; later ones add nothing
