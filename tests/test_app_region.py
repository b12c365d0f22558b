"""The app's region setting ("Uw regio" under Instellingen): said back in Dutch, sent with every
question of the conversation, and kept when a new conversation starts."""

from __future__ import annotations

from assistant.app.events import ChatEvents
from assistant.app.region_setting import region_status
from assistant.app.state import Conversation, Shared
from assistant.compose.answer import Answer, Citation, Point
from assistant.compose.region_profile import RegionBook
from ingest.config import Settings
from ingest.index.corpusdata import load_routekaart
from ingest.index.passage import Passage
from ingest.index.regions import load_regions

PASSAGE = Passage(id="doc-1", doc_id="doc", title="Werkende samenwerking", kind="rapport",
                  text="De raad stelt kaders.", page=4, section="Stap 1", block="tekst", steps=[1],
                  steps_inferred=False, wegwijzer=None, speaker=None, places=[], research_pages=[],
                  position=0)
OUT = ["chatbot", "question", "sources", "route", "notice", "dl_md", "dl_docx", "conv"]


class RegionAssistant:
    """Records the region each question was asked with; answers with the app tests' answer."""

    def __init__(self):
        from assistant.compose.composer import ExtractiveComposer

        self.composer = ExtractiveComposer()
        self.regions = RegionBook(load_routekaart(), [], load_regions())
        self.asked: list[str | None] = []

    def ask(self, question, mode="vraag", history=(), filters=None, notice=None, region=None,
            earlier=None):
        self.asked.append(region)
        return Answer(question=question, mode=mode, backend="none", abstained=False, notice=notice,
                      summary=[Point("De raad stelt kaders.", [1])], steps=[], silent_steps=[],
                      examples=[], citations=[Citation(1, PASSAGE, 0.9)], region=region)


def test_the_setting_is_said_back_in_dutch():
    assistant = RegionAssistant()
    assert region_status(assistant, "  ") == "Geen regio ingesteld."
    said = region_status(assistant, "Zwolle")
    assert said.startswith("Regio ingesteld: **Zwolle**")
    assert "arbeidsmarktregio Regio Zwolle" in said and "Overijssel" in said
    unknown = region_status(assistant, "Atlantis")
    assert "staat niet in corpus/regios.toml" in unknown


def test_the_setting_goes_with_every_question_and_survives_a_new_conversation(tmp_path, corpus_copy):
    assistant = RegionAssistant()
    settings = Settings(home=tmp_path / "home", corpus_dir=corpus_copy)
    ev = ChatEvents(Shared(assistant, settings), *OUT)
    conv = Conversation(region="Drenthe")
    list(ev.ask("Hoe werkt de arbeidsmarktregio?", "vraag", [], [], [], conv))
    assert assistant.asked == ["Drenthe"]
    fresh = ev.new_conversation(conv)["conv"]
    assert fresh.turns == [] and fresh.region == "Drenthe"
    list(ev.ask("Wat is weefsel?", "vraag", [], [], [], Conversation()))
    assert assistant.asked[-1] is None, "no setting: no region"
