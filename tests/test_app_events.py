"""The app's handlers without a server or browser: a fake assistant answers, and we check what
each event would show (chat, sources, route map, downloads) and what it asked the assistant."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from types import SimpleNamespace

import gradio as gr
import pytest

from assistant.app.documents import CorpusEvents
from assistant.app.events import ChatEvents
from assistant.app.state import Conversation, Shared
from assistant.app.ui import create_app
from assistant.compose.answer import Answer, Citation, Point, StepSection
from assistant.compose.composer import ExtractiveComposer
from assistant.service import QuestionError
from ingest.config import Settings
from ingest.index.passage import Passage

OUT = ["chatbot", "question", "sources", "route", "notice", "dl_md", "dl_docx", "conv"]


def make_answer(question: str = "Wat doet de raad?", mode: str = "vraag") -> Answer:
    p = Passage(id="doc-1", doc_id="doc", title="Werkende samenwerking", kind="rapport",
                text="De raad stelt kaders. <script>alert(1)</script>", page=4, section="Stap 1",
                block="tekst", steps=[1], steps_inferred=False, wegwijzer=None, speaker=None,
                places=[], research_pages=[], position=0)
    return Answer(question=question, mode=mode, backend="none", abstained=False, notice=None,
                  summary=[Point("De raad stelt kaders.", [1])],
                  steps=[StepSection(1, "Definieer het vraagstuk", [],
                                     [Point("De raad stelt kaders.", [1])])],
                  silent_steps=[2, 3, 4, 5], examples=[],
                  citations=[Citation(1, p, 0.9, quote="De raad stelt kaders.")])


class FakeAssistant:
    def __init__(self, fail: Exception | None = None):
        self.calls: list[dict] = []
        self.fail = fail
        self.composer = ExtractiveComposer()

    def ask(self, question, mode="vraag", history=(), filters=None, notice=None, earlier=None):
        self.calls.append({"question": question, "mode": mode, "history": history,
                           "filters": filters, "notice": notice, "earlier": earlier})
        if self.fail:
            raise self.fail
        return replace(make_answer(question, mode), notice=notice)


class StreamingAssistant(FakeAssistant):
    def ask_stream(self, question, **kwargs):
        yield "De raad <b>stelt</b>"
        yield " kaders [1]."
        yield self.ask(question, **kwargs)


@pytest.fixture
def settings(tmp_path, corpus_copy):
    return Settings(home=tmp_path / "home", corpus_dir=corpus_copy)


def events(assistant, settings, notice=None) -> ChatEvents:
    return ChatEvents(Shared(assistant, settings, notice=notice), *OUT)


def last(updates):
    """The last update a generator handler yields (the earlier ones say it is queued)."""
    return list(updates)[-1]


def shown(update: dict) -> dict:
    """What each output shows: gr.update(value=x) read as x (other updates stay as they are)."""
    return {k: v["value"] if isinstance(v, dict) and set(v) == {"value", "__type__"} else v
            for k, v in update.items()}


def run(gen) -> list[dict]:
    return [shown(u) for u in gen]


def test_asking_shows_the_question_then_the_answer_in_steps_then_sources_and_downloads(settings):
    fake = FakeAssistant()
    conv = Conversation()
    updates = run(events(fake, settings).ask("  Wat doet de raad?  ", "vraag", [], [], [], conv))
    first, last = updates[0], updates[-1]
    assert first["chatbot"] == [{"role": "user", "content": "Wat doet de raad?"},
                                {"role": "assistant", "content": "…"}]
    assert first["question"] == ""
    assert len(updates) >= 3, "the answer appears in more than one step"
    answer_text = last["chatbot"][-1]["content"]
    assert "[\\[1\\]](#bron-1-1 \"Bron 1\")" in answer_text
    assert 'id="bron-1-1"' in last["sources"] and "&lt;script&gt;" in last["sources"]
    assert "rw-step rw-covered" in last["route"]
    md, docx = last["dl_md"]["value"], last["dl_docx"]["value"]
    assert md.endswith(".md") and docx.endswith(".docx")
    assert "[1]" in Path(md).read_text(encoding="utf-8")
    assert fake.calls[0]["question"] == "Wat doet de raad?" and fake.calls[0]["history"] == ()
    assert conv.questions() == ["Wat doet de raad?"]


def test_switching_mode_asks_the_last_question_again(settings):
    fake = FakeAssistant()
    ev, conv = events(fake, settings), Conversation()
    run(ev.ask("Wat doet de raad?", "vraag", [], [], [], conv))
    last = run(ev.switch_mode("notitie", ["rapport"], [], [], conv))[-1]
    assert fake.calls[-1]["mode"] == "notitie"
    assert fake.calls[-1]["filters"].kinds == ("rapport",)
    assert fake.calls[-1]["history"] == ("Wat doet de raad?",)
    assert last["chatbot"][-2]["content"] == "Notitie: Wat doet de raad?"
    assert 'id="bron-2-1"' in last["sources"]
    assert '<details class="rw-earlier">' in last["sources"] and 'id="bron-1-1"' in last["sources"]


def test_a_follow_up_gets_the_answers_the_conversation_showed(settings):
    fake = FakeAssistant()
    ev, conv = events(fake, settings), Conversation()
    run(ev.ask("Wat doet de raad?", "vraag", [], [], [], conv))
    run(ev.ask("En de provincie?", "vraag", [], [], [], conv))
    run(ev.ask("geef een voorbeeld", "vraag", [], [], [], conv))
    assert fake.calls[0]["earlier"] is None  # nothing before the first question
    shown = [t.answer for t in conv.turns[:2]]
    assert fake.calls[2]["earlier"] == shown[::-1]  # most recent first, as shown, not recomposed


def test_clicking_a_step_focuses_the_same_question_on_that_step(settings):
    fake = FakeAssistant()
    ev, conv = events(fake, settings), Conversation()
    assert run(ev.focus_step("vraag", [], [], conv, gr.EventData(None, {"step": 3})))[-1]["notice"]
    assert fake.calls == [], "no question yet: nothing to focus"
    run(ev.ask("Wat doet de raad?", "vraag", [], [1, 2], [], conv))
    last = run(ev.focus_step("vraag", [], ["doc"], conv, gr.EventData(None, {"step": 3})))[-1]
    assert fake.calls[-1]["filters"].steps == (3,)
    assert fake.calls[-1]["filters"].doc_ids == ("doc",)
    assert "toegespitst op stap 3: Kies het perspectief" in last["chatbot"][-2]["content"]
    assert "rw-focus" in last["route"]


def test_a_streaming_assistant_shows_text_as_it_arrives_sanitised(settings, monkeypatch):
    monkeypatch.setattr("assistant.app.events.STREAM_REFRESH_S", 0.0)  # every chunk, for the test
    updates = run(events(StreamingAssistant(), settings).ask("Wat doet de raad?", "vraag", [], [], [],
                                                          Conversation()))
    partial = [u["chatbot"][-1]["content"] for u in updates[1:-1]]
    assert partial[0] == "De raad stelt ▍", "a tag is dropped while streaming, as in the final answer"
    assert partial[1].startswith("De raad stelt kaders [\\[1\\]](#bron-1-1 \"Bron 1\").")
    assert "▍" not in updates[-1]["chatbot"][-1]["content"]


def test_a_question_the_assistant_refuses_shows_its_dutch_reason(settings):
    fake = FakeAssistant(fail=QuestionError("Stel een vraag: de vraag is leeg."))
    conv = Conversation()
    last = run(events(fake, settings).ask("???", "vraag", [], [], [], conv))[-1]
    assert last["chatbot"][-1]["content"] == "Stel een vraag: de vraag is leeg."
    assert conv.questions() == []
    blank = run(events(fake, settings).ask("   ", "vraag", [], [], [], conv))
    assert len(blank) == 1 and blank[0]["notice"] == "Stel een vraag: de vraag is leeg."
    assert blank[0]["chatbot"][-1]["content"] == "Stel een vraag: de vraag is leeg."
    assert len(fake.calls) == 1, "a blank question never reaches the assistant"


def test_a_chroma_outage_is_explained_and_the_next_question_works_again(settings):
    from ingest.index.vectorstore import VectorStoreUnavailable

    down = FakeAssistant(fail=VectorStoreUnavailable("De Chroma-server op http://x is niet bereikbaar."))
    conv = Conversation()
    last = run(events(down, settings).ask("Wat is weefsel?", "vraag", [], [], [], conv))[-1]
    assert "niet bereikbaar" in last["chatbot"][-1]["content"]
    back = run(events(FakeAssistant(), settings).ask("Wat is weefsel?", "vraag", [], [], [], conv))
    assert any("Kort antwoord" in str(step.get("chatbot", "")) for step in back)


def test_a_failure_inside_the_assistant_shows_a_plain_dutch_message(settings):
    conv = Conversation()
    last = run(events(FakeAssistant(fail=RuntimeError("/pad/naar/index kapot")), settings).ask(
        "Wat doet de raad?", "vraag", [], [], [], conv))[-1]
    assert last["chatbot"][-1]["content"].startswith("Er ging iets mis bij het beantwoorden")
    assert "/pad/naar" not in last["chatbot"][-1]["content"], "no internals in the page"
    assert conv.questions() == []


def test_a_standing_notice_goes_with_every_answer(settings):
    fake = FakeAssistant()
    last = run(events(fake, settings, notice="Taalmodel onbereikbaar").ask(
        "Wat doet de raad?", "vraag", [], [], [], Conversation()))[-1]
    assert fake.calls[0]["notice"] == "Taalmodel onbereikbaar"
    assert last["notice"] == "**Let op:** Taalmodel onbereikbaar"


def test_new_conversation_clears_everything(settings):
    ev, conv = events(FakeAssistant(), settings), Conversation()
    run(ev.ask("Wat doet de raad?", "vraag", [], [], [], conv))
    cleared = shown(ev.new_conversation())
    assert cleared["chatbot"] == [] and cleared["conv"].turns == []
    assert "rw-covered" not in cleared["route"] and cleared["dl_docx"]["visible"] is False


def test_uploading_adds_the_file_reindexes_and_reopens(settings, tmp_path, monkeypatch):
    reports = []

    def fake_reindex(s, embedder=None):
        from ingest.build import IngestReport

        reports.append(s)
        return IngestReport(status="built", build=None, files=6, passages=200)

    monkeypatch.setattr("assistant.app.documents.reindex", fake_reindex)
    reopened = []
    shared = Shared(FakeAssistant(), settings, reload=lambda s: reopened.append(s) or FakeAssistant(),
                    admins=frozenset({"beheer"}))
    cv = CorpusEvents(shared, "table", "remove_choice", "docs", "kinds", "status", "upload")
    upload = tmp_path / "cache" / "Nieuw rapport.txt"
    upload.parent.mkdir()
    upload.write_text("Een nieuw document over regionale samenwerking.", encoding="utf-8")

    admin = SimpleNamespace(username="beheer")
    for who in (None, SimpleNamespace(username="gast")):
        refused = shown(last(cv.add(str(upload), who, progress=lambda *a, **k: None)))
        assert "alleen een beheerder" in refused["status"] and reports == []
    result = shown(last(cv.add(str(upload), admin, progress=lambda *a, **k: None)))
    assert (settings.corpus_dir / "Nieuw-rapport.txt").exists()
    assert result["status"].startswith("**Toegevoegd:** Nieuw-rapport.txt staat nu in de index.")
    assert "Index bijgewerkt: 6 van 6 bestanden, 200 passages." in result["status"]
    assert reports == [settings] and reopened == [settings]
    refused = shown(last(cv.add(str(upload), admin, progress=lambda *a, **k: None)))
    assert "al in de bronnen" in refused["status"] and len(reports) == 1


def test_uploading_while_another_ingest_runs_says_so_at_once(settings, tmp_path):
    from ingest.index.lock import IngestLock

    other = IngestLock(settings.index_root)  # another process's ingest, as far as the app knows
    other.acquire()
    try:
        cv = CorpusEvents(Shared(FakeAssistant(), settings, admins=frozenset({"beheer"})), "table",
                          "remove_choice", "docs", "kinds", "status", "upload")
        upload = tmp_path / "cache" / "notulen.txt"
        upload.parent.mkdir()
        upload.write_text("Notulen van het regio-overleg over werkgevers.", encoding="utf-8")
        result = shown(last(cv.add(str(upload), SimpleNamespace(username="beheer"),
                                   progress=lambda *a, **k: None)))
    finally:
        other.release()
    assert result["status"].startswith("**Niet toegevoegd:** notulen.txt.")
    assert "Er wordt al geïndexeerd; probeer het zo opnieuw." in result["status"]
    assert not (settings.corpus_dir / "notulen.txt").exists(), "not left behind to surprise later"


def test_the_app_builds_with_dutch_labels(settings):
    app = create_app(FakeAssistant(), settings)
    labels = {getattr(block, "label", None) for block in app.blocks.values()}
    assert {"Uw vraag", "Soort antwoord", "Gesprek", "Documenten", "Soort document",
            "Stap van de routekaart", "Document toevoegen (PDF, DOCX, HTML, Markdown of tekst)",
            "Eerdere gesprekken"} <= labels
    assert isinstance(app, gr.Blocks)


def test_a_fast_stream_is_shown_at_most_a_few_times_a_second(settings):
    class Chatty(FakeAssistant):
        def ask_stream(self, question, **kwargs):
            for i in range(200):
                yield f"woord{i} "
            yield self.ask(question, **kwargs)

    updates = run(events(Chatty(), settings).ask("Wat doet de raad?", "vraag", [], [], [], Conversation()))
    partial = [u for u in updates[1:-1] if "▍" in str(u["chatbot"][-1]["content"])]
    assert 1 <= len(partial) <= 5, len(partial)
    assert "▍" not in updates[-1]["chatbot"][-1]["content"]


def test_an_english_question_gets_a_dutch_note(settings):
    fake = FakeAssistant()
    last = run(events(fake, settings).ask("How can the council keep a grip on regional cooperation?",
                                          "vraag", [], [], [], Conversation()))[-1]
    assert "Nederlandstalige bronnen" in last["notice"]
    run(events(fake, settings).ask("Hoe houdt de raad grip op de regio?", "vraag", [], [], [],
                                   Conversation()))
    assert fake.calls[-1]["notice"] is None


def test_api_calls_without_a_click_get_a_dutch_message(settings):
    ev, conv = events(FakeAssistant(), settings), Conversation()
    example = run(ev.ask_example("vraag", [], [], [], conv, None))[-1]
    step = run(ev.focus_step("vraag", [], [], conv, None))[-1]
    assert "voorbeeldvraag" in example["notice"] and "Stel eerst een vraag" in step["notice"]


def test_retry_and_edit_answer_again_and_drop_what_followed(settings):
    fake = FakeAssistant()
    ev, conv = events(fake, settings), Conversation()
    run(ev.ask("Wat doet de raad?", "vraag", [], [], [], conv))
    run(ev.ask("En de regio?", "notitie", [], [], [], conv))
    run(ev.retry("vraag", [], [], [], conv, SimpleNamespace(index=3)))
    assert [t.question for t in conv.turns] == ["Wat doet de raad?", "En de regio?"]
    assert fake.calls[-1] == {**fake.calls[1], "earlier": fake.calls[-1]["earlier"]}, "same question, mode"
    run(ev.edit("vraag", [], [], [], conv, SimpleNamespace(index=2, value="Wat doet de griffie?")))
    assert [t.question for t in conv.turns] == ["Wat doet de raad?", "Wat doet de griffie?"]
    assert fake.calls[-1]["question"] == "Wat doet de griffie?"


def test_a_rating_and_its_comment_are_kept_locally_and_export_as_eval_questions(settings, monkeypatch):
    import json

    from assistant.app.feedback import feedback_path
    from assistant.cli.main import main

    ev, conv = events(FakeAssistant(), settings), Conversation()
    run(ev.ask("Wat doet de raad?", "vraag", [], [], [], conv))
    notice, box = ev.rate(conv, SimpleNamespace(index=1, liked=False))
    assert "👎" in notice["value"] and box["visible"] is True
    notice, box = ev.comment("  Het ging niet over de raad.  ", conv)
    assert box["visible"] is False and "bewaard" in notice["value"]
    lines = feedback_path(settings.home).read_text(encoding="utf-8").splitlines()
    assert len(lines) == 2 and json.loads(lines[0])["rating"] == "slecht"
    out = settings.home / "export.jsonl"
    monkeypatch.setenv("REGIOWIJZER_HOME", str(settings.home))
    assert main(["feedback", "--export", str(out)]) == 0
    [row] = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert row["text"] == "Wat doet de raad?" and row["_id"].startswith("fb-")
    assert row["metadata"]["split"] == "dev" and row["metadata"]["doc_id"] == "doc"
    assert "Het ging niet over de raad." in row["metadata"]["note"]
    assert row["metadata"]["feedback"]["rating"] == "slecht"


def test_related_questions_appear_under_the_answer_and_a_click_asks_one(settings):
    class WithRelated(FakeAssistant):
        def ask(self, question, **kwargs):
            answer = super().ask(question, **kwargs)
            answer.related = ["Wie betaalt de regio?", "Wat is weefsel?"]
            return answer

    fake = WithRelated()
    ev = ChatEvents(Shared(fake, settings), *OUT, related=["box", "r1", "r2", "r3"])
    conv = Conversation()
    updates = run(ev.ask("Wat doet de raad?", "vraag", [], [], [], conv))
    assert updates[0]["box"]["visible"] is False  # hidden while the answer is being written
    final = updates[-1]
    assert final["box"]["visible"] is True
    assert (final["r1"]["value"], final["r2"]["value"]) == ("Wie betaalt de regio?", "Wat is weefsel?")
    assert final["r3"]["visible"] is False
    run(ev.ask_related("Wie betaalt de regio?", "vraag", [], [], [], conv))
    assert fake.calls[-1]["question"] == "Wie betaalt de regio?"
    assert [t.question for t in conv.turns] == ["Wat doet de raad?", "Wie betaalt de regio?"]
    assert "voorbeeldvraag" in run(ev.ask_related(None, "vraag", [], [], [], conv))[-1]["notice"]


def test_the_start_screen_examples_come_from_the_question_bank():
    from assistant.app.ui import EXAMPLES, examples_for

    class Banked:
        def example_questions(self, persona, n):
            return [f"{persona} vraag {i}?" for i in range(n)]

    assert examples_for(Banked()) == [
        ("Raadslid", "raadslid vraag 0?"), ("Raadslid", "raadslid vraag 1?"),
        ("Beleidsmedewerker", "ambtenaar vraag 0?"), ("Beleidsmedewerker", "ambtenaar vraag 1?"),
        ("Trainer", "trainer vraag 0?"), ("Trainer", "trainer vraag 1?")]
    assert examples_for(FakeAssistant()) == EXAMPLES  # no bank: the built-in examples
