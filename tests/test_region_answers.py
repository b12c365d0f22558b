"""The region profile in answers: the asker's region is found in the question (or set), taken out
of the search, and the answer says what the sources say about it, or plainly that they say
nothing, with the closest comparable cases."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from assistant.compose.checks import check_citations
from assistant.compose.evidence import Evidence
from assistant.compose.extractive import ComposeOptions, compose_extractive
from assistant.compose.region_profile import RegionBook, region_for
from assistant.present.markdown import to_markdown
from assistant.retrieval.hybrid import QuerySignals
from assistant.retrieval.region_phrase import phrases_from
from ingest.index.corpusdata import load_routekaart
from ingest.index.regions import load_regions

sys.path.insert(0, str(Path(__file__).parent))
from answer_helpers import corpus_assistant, hit, literal_context, passage  # noqa: E402

DRENTHE = ("Ik ben raadslid in Drenthe. Hoe pakken we de aansluiting van onderwijs op de "
           "arbeidsmarkt aan in onze regio?")
ZWOLLE = ("Ik ben net raadslid in Zwolle. Hoe pakken we de aansluiting van onderwijs op de "
          "arbeidsmarkt aan in onze regio?")


@pytest.fixture(scope="module")
def phrases():
    return phrases_from(load_routekaart(), load_regions())


@pytest.mark.parametrize("question, name, kind, searched", [
    (DRENTHE, "Drenthe", None,
     "Hoe pakken we de aansluiting van onderwijs op de arbeidsmarkt aan in onze regio?"),
    ("Hoe pakken we in onze regio Zwolle de krapte aan?", "Zwolle", None,
     "Hoe pakken we in onze regio de krapte aan?"),
    ("ik ben wethouder in drenthe, hoe werkt de arbeidsmarktregio?", "drenthe", None,
     "hoe werkt de arbeidsmarktregio?"),
    ("Wij in Twente willen samenwerken met werkgevers.", "Twente", None,
     "Wij willen samenwerken met werkgevers."),
    ("Als raadslid van de gemeente Utrecht wil ik grip houden.", "Utrecht", "gemeente",
     "wil ik grip houden."),
    ("Ik ben raadslid in Ommen. Wat moet ik weten over de arbeidsmarktregio?", "Ommen", None,
     "Wat moet ik weten over de arbeidsmarktregio?"),
])
def test_the_askers_region_is_found_and_taken_out_of_the_search(phrases, question, name, kind, searched):
    mention = phrases.find(question)
    assert (mention.name, mention.kind) == (name, kind)
    assert phrases.strip(question, mention) == searched


@pytest.mark.parametrize("question", [
    "Wat deed Zeeland aan vervoer voor de horeca?",  # the subject, not the asker's region
    "Hoe zorgen we dat onze regio best veel bereikt?",  # "best" is a word here, not the town
    "In onze regio: wat zijn de voorwaarden van de SLIM-subsidie?",
    "Onze regio heeft met Almere en Lelystad twee grote kernen ver uit elkaar.",
    "Ik ben net raadslid. Hoe werkt dat?",
])
def test_a_place_named_as_the_subject_is_no_region_profile(phrases, question):
    assert phrases.find(question) is None
    assert phrases.strip(question) == question


# --- the section, on literal passages -----------------------------------------------------------

HORECA = passage("zeeland", "In Zeeland zit de horeca om personeel te springen, en het vervoer naar "
                 "het werk is het grote knelpunt voor werkzoekenden.", places=["Aan de Slag Zeeland"])
ONDERWIJS = passage("ebu", "In de Economic Board Utrecht sluiten onderwijs en werkgevers samen een "
                    "akkoord over de aansluiting op de arbeidsmarkt.", places=["Economic Board Utrecht"])
GENERAL = passage("algemeen", "Onderwijsinstellingen willen hun onderwijs laten aansluiten op de "
                  "regionale arbeidsmarkt en de vraag van werkgevers.", steps=[1])
PASSAGES = [GENERAL, HORECA, ONDERWIJS]


def answer(question: str, region: str | None = None, mode: str = "vraag", ranked=PASSAGES):
    ctx = literal_context(PASSAGES)
    book = RegionBook(ctx.routekaart, PASSAGES, load_regions())
    scope, searched, _, notice = region_for(book, question, [], region)
    hits = [hit(p, r) for r, p in enumerate(ranked, start=1)]
    evidence = Evidence(question=searched, hits=hits, step_hits={s: [] for s in range(1, 6)},
                        confidence=0.9, signals=QuerySignals(coverage=1.0, lexical_top=2.0),
                        ranked=hits)
    result = compose_extractive(evidence, mode, ctx, ComposeOptions(region=scope, notice=notice),
                                question=question)
    result.meta["markdown"] = to_markdown(result)
    return result


def texts(points) -> list[str]:
    return [p.text for p in points]


def test_what_the_sources_say_about_the_region_is_quoted_and_cited():
    result = answer("Wij in Zeeland hebben een tekort aan personeel in de horeca. Wat nu?")
    assert result.region == "Zeeland"
    shown = [*result.summary, *result.extras["regio"]]
    assert HORECA.id in {result.citation(n).passage.id for p in shown for n in p.citations}
    body = result.meta["markdown"].split("## Bronnen")[0]
    # quoted once, in the lead or in the region section, and nothing points from one to the other
    assert body.count("In Zeeland zit de horeca") == 1
    assert "hierboven" not in body
    assert check_citations(result) == []


def test_where_the_sources_say_nothing_the_answer_says_so_and_offers_studied_regions():
    result = answer(DRENTHE)
    section = result.extras["regio"]
    assert section[0].text == "Over Drenthe zeggen de bronnen niets." and section[0].origin == "ours"
    cases = [p for p in section if p.citations]
    if cases:  # comparable cases, under their lead-in
        assert "Vergelijkbare gevallen uit de tien onderzochte regio's:" in texts(section)
    # the comparable case is quoted once: in the region section, or already in the lead
    shown = [*result.summary, *cases]
    assert ONDERWIJS.id in {result.citation(p.citations[0]).passage.id for p in shown if p.citations}
    assert not any(p.text.endswith(":") for p in section[-1:]), "no lead-in without quotes"
    assert check_citations(result) == []


def test_the_region_name_is_not_searched_for():
    """The place name leaves the query the composer matches sentences against."""
    result = answer("Ik ben raadslid in Zeeland. Hoe sluit het onderwijs aan op de arbeidsmarkt?")
    assert "Zeeland" not in result.meta["query"]
    assert result.region == "Zeeland"


def test_the_setting_gives_the_region_when_the_question_names_none():
    result = answer("Hoe sluit het onderwijs aan op de arbeidsmarkt?", region="Emmen")
    assert result.region == "Emmen"
    assert result.extras["regio"][0].text == "Over Emmen zeggen de bronnen niets."
    named = answer("Ik ben raadslid in Zeeland. Hoe sluit het onderwijs aan?", region="Emmen")
    assert named.region == "Zeeland", "the question's own region wins over the setting"


def test_an_unknown_place_is_said_so_and_how_to_add_it():
    result = answer("Ik ben raadslid in Ommen. Hoe sluit het onderwijs aan op de arbeidsmarkt?")
    assert result.region == "Ommen"
    assert "regios.toml" in result.notice
    assert result.extras["regio"][0].text == "Over Ommen zeggen de bronnen niets."


def test_a_note_names_the_region_and_a_worksheet_places_it_in_the_quadrant_model():
    note = answer(DRENTHE, mode="notitie")
    assert any("De vraag speelt in Drenthe" in p.text for p in note.extras["aanleiding"])
    sheet = answer(DRENTHE, mode="gespreksvragen")
    title, instruction = sheet.extras["oefening"]
    assert "kwadrantenmodel" in title.text
    assert instruction.text.startswith("Doe deze oefening voor Drenthe")
    assert "## In uw regio: Drenthe" in note.meta["markdown"]


def test_without_a_region_nothing_changes():
    result = answer("Hoe sluit het onderwijs aan op de arbeidsmarkt?")
    assert result.region is None and "regio" not in result.extras
    assert "In uw regio" not in result.meta["markdown"]


# --- on the real corpus ---------------------------------------------------------------------------


@pytest.mark.slow
def test_zwolle_in_the_question_does_not_pull_the_list_of_regions_into_the_short_answer(
        corpus_index, embedder):
    settings, _ = corpus_index
    assistant = corpus_assistant(settings, embedder)
    result = assistant.ask(ZWOLLE)
    short = " ".join(texts(result.summary))
    assert "Zwolle" not in short and "tien regio's" not in short
    section = texts(result.extras["regio"])
    assert "Regio Zwolle is een van de tien onderzochte regio's." in section
    assert check_citations(result) == []


@pytest.mark.slow
def test_drenthe_gets_a_plain_nothing_and_comparable_cases(corpus_index, embedder):
    settings, _ = corpus_index
    result = corpus_assistant(settings, embedder).ask(DRENTHE)
    section = result.extras["regio"]
    assert section[0].text.startswith("Over Drenthe zeggen de bronnen")
    assert any(p.origin == "source" for p in section), "comparable cases from the sources"
    assert "## In uw regio: Drenthe" in result.meta["markdown"]
    followup = corpus_assistant(settings, embedder).ask("En wat betekent dat voor de raad?",
                                                        history=[DRENTHE])
    assert followup.region == "Drenthe", "a follow-up keeps the region of the conversation"
