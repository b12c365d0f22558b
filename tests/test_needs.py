"""A question that asks for what the sources cannot give (a year they never mention, a name they
never use, a figure none of the best passages holds) is refused with the reason, and a question
they do answer in kind is not."""

from __future__ import annotations

import pytest

from assistant.compose.answer import ABSTAIN_TEXT
from assistant.compose.checks import check_citations
from assistant.retrieval.needs import (
    Need,
    Vocabulary,
    asked_figure,
    has_figure,
    missing_figure,
    missing_year,
    named_in,
    unknown_name,
)
from tests.answer_helpers import corpus_assistant


@pytest.mark.parametrize(("question", "noun"), [
    ("Hoeveel leden heeft de Drechtraad?", "leden"),
    ("aantal inwoners provincie Zeeland", "inwoners"),
    ("Hoe hoog is de werkloosheid in Zeeland op dit moment?", "werkloosheid"),
    ("Welk percentage van de deelnemers vond werk?", "procent"),
    ("Wat is het werkloosheidspercentage in Groot Amsterdam?", "procent"),
    ("How many jobs did ASML add last year?", "jobs"),
    ("Hoeveel van de deelnemers vonden een baan?", ""),
])
def test_a_question_asking_for_a_figure_names_what_it_counts(question, noun):
    assert asked_figure(question) == noun


@pytest.mark.parametrize("question", [
    "Hoe vaak moeten we het regionale actieplan opnieuw bekijken?",
    "Wanneer moet onze stad zelf het initiatief nemen?",
    "Hoe lang duurt het voordat er vertrouwen groeit?",
    "Waar vind ik cijfers over banen in onze regio?",
    "Wat is weefsel?",
])
def test_advice_and_definition_questions_ask_for_no_figure(question):
    assert asked_figure(question) is None


@pytest.mark.parametrize(("sentence", "figure"), [
    ("52 procent van de aangemelde personen vond een andere baan.", True),
    ("Onder hen waren vijfduizend werknemers.", True),
    ("Inmiddels kennen we 35 arbeidsmarktregio's.", True),
    ("Het aandeel steeg tot 7%.", True),
    ("'Sturing met anderen.' (p. 27)", False),
    ("De crisis manifesteerde zich in de herfst van 2008.", False),
    ("In figuur 1 wordt de werkloosheid afgezet tegen het landelijk gemiddelde.", False),
    ("Gemeenten werken steeds vaker samen.", False),
])
def test_a_figure_is_a_number_not_a_page_a_year_or_a_figure_reference(sentence, figure):
    assert has_figure(sentence) is figure


def test_a_year_the_sources_never_mention_is_an_unmet_need():
    known = {"2008", "2011", "2018"}
    assert missing_year("Hoeveel geld krijgt onze regio in 2024?", known) == Need("jaar", "2024")
    assert missing_year("Wat gebeurde er in 2011 in Brainport?", known) is None
    assert missing_year("Bel 2024 keer", set()) == Need("jaar", "2024")
    assert missing_year("Er zijn 12.000 banen bijgekomen", set()) is None  # a number, not a year


VOCABULARY = Vocabulary([
    "De Eindhovense regio en Twente. De VNG Denktank en UWV.",
    "kpi's, p&o'ers",  # the glossary's user words count as known
    "Leerwerkakkoord in Eindhoven",
])


@pytest.mark.parametrize(("question", "unknown"), [
    ("Is Hedwich Rinkes nog raadslid?", "Hedwich Rinkes"),
    ("Wat zijn de voorwaarden van de SLIM-subsidie voor leren?", "SLIM"),
    ("Hoe regelen we de AVG-verwerkersovereenkomst met het werkgeversservicepunt?", "AVG"),
    ("Hoe zet ik een Leerwerkloket op?", "Leerwerkloket"),  # a compound, not a form of a known word
    ("Werken de Twentse gemeenten samen met de VNG Denktank?", None),  # another form of Twente
    ("Wat bedoelen ze met KPI's en wat doen P&O'ers?", None),
    ("Tilburg werkt samen met Twente.", None),  # a capital that starts a sentence is no name
])
def test_a_name_neither_the_sources_nor_the_glossary_know_in_any_form_is_unmet(question, unknown):
    need = unknown_name(question, VOCABULARY.knows)
    assert (need.about if need else None) == unknown


def test_named_in_takes_a_run_of_capitalised_words_and_the_specific_part_of_a_compound():
    assert named_in("de praatplaat van Public Cinema die ik gebruik") == ["Public Cinema"]
    assert named_in("voorwaarden van de ESF+-subsidie") == ["ESF+"]


def _stems(text: str) -> set[str]:
    return {w.strip(".,?!'").rstrip("s") for w in text.lower().split()}


def test_a_figure_counts_only_with_the_thing_asked_about_or_in_the_closest_sentences():
    question = "Hoeveel leden heeft de Drechtraad?"
    unrelated = [("De Drechtraad vergadert in Dordrecht.", 0.88),
                 ("In de haven werken 90.000 mensen.", 0.80),
                 ("Gemeenten werken samen.", 0.86), ("Het netwerk groeit.", 0.85),
                 ("Er zijn 35 arbeidsmarktregio's.", 0.79)]
    assert missing_figure(question, unrelated, _stems) == Need("cijfer", "leden")
    with_noun = [*unrelated, ("De raad telt 30 leden uit zes gemeenten.", 0.70)]
    assert missing_figure(question, with_noun, _stems) is None
    closest = [("De Drechtraad telt dertig raadsleden.", 0.90), *unrelated]
    assert missing_figure(question, closest, _stems) is None


def test_a_percentage_question_is_met_by_a_percentage():
    question = "Welk percentage van de deelnemers vond een baan?"
    far = [("Een kwart van de deelnemers stopte vroeg.", None), ("Deelnemers waren positief.", None)]
    assert missing_figure(question, far, _stems) == Need("cijfer", "procent")
    assert missing_figure(question, [*far, ("52 procent vond een andere baan.", None)], _stems) is None


def test_a_question_without_a_figure_need_is_never_unmet():
    assert missing_figure("Hoe bouw je vertrouwen op?", [("Niets.", 0.9)], _stems) is None


def test_each_need_gives_a_dutch_reason():
    assert Need("jaar", "2024").reason() == "De bronnen noemen het jaar 2024 nergens."
    assert Need("naam", "ESF+").reason() == "De bronnen noemen 'ESF+' nergens."
    assert "cijfer (leden)" in Need("cijfer", "leden").reason()


# --- on the real corpus index ----------------------------------------------------------------------


@pytest.fixture(scope="module")
def assistant(corpus_index, embedder):
    settings, _ = corpus_index
    return corpus_assistant(settings, embedder)


@pytest.mark.slow
@pytest.mark.parametrize(("question", "reason"), [
    ("Wat gebeurde er in 2031 met de arbeidsmarktregio's?", "De bronnen noemen het jaar 2031 nergens."),
    ("Wat zegt het rapport over de Kwartaalmonitor Zorgpersoneel?",
     "De bronnen noemen 'Kwartaalmonitor Zorgpersoneel' nergens."),
])
def test_a_question_the_sources_cannot_answer_in_kind_is_refused_with_the_reason(assistant, question, reason):
    answer = assistant.ask(question)
    assert answer.abstained and reason in (answer.notice or "")
    markdown = answer.meta["markdown"]
    assert reason in markdown and ABSTAIN_TEXT in markdown and "Misschien relevant" in markdown
    assert check_citations(answer) == []


@pytest.mark.slow
def test_a_figure_question_the_sources_answer_is_answered_with_the_figure(assistant):
    answer = assistant.ask("Hoeveel vestigingen heeft het WERKbedrijf?")
    assert not answer.abstained and answer.notice is None
    assert "130 vestigingen" in " ".join(p.text for p in answer.summary)


@pytest.mark.slow
def test_the_search_reports_the_closest_sentence_and_the_model_s_own_thresholds(assistant):
    result = assistant.retriever.search("Hoe houdt de raad grip op regionale samenwerking?", k=5)
    assert 0.8 < result.signals.sentence_top <= 1.0 and result.signals.unmet is None
    assert assistant.retriever.thresholds() == (assistant.abstain_below, assistant.caution_below)


@pytest.mark.slow
def test_a_filtered_search_checks_the_needs_too(assistant):
    from assistant.retrieval.hybrid import Filters

    result = assistant.retriever.search("Hoeveel vestigingen had het WERKbedrijf in 2031?", k=5,
                                        filters=Filters(kinds=("rapport",)))
    assert result.signals.unmet is not None and result.signals.unmet.about == "2031"
    assert all(h.passage.kind == "rapport" for h in result)
