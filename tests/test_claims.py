"""Claims a reader can follow: a quoted sentence never leans on one the reader was not shown,
never points to a figure, and no source sentence is shown twice in one answer."""

from __future__ import annotations

import pytest
from answer_helpers import corpus_assistant

from assistant.compose.anaphora import dangling_reason
from assistant.compose.sentences import occurs_in, passage_sentences, self_contained
from evals.answers import said

TEXT = ("Gemeenten werken in de regio samen met werkgevers en onderwijs. "
        "Daarom is het belangrijk dat de raad weet wat er regionaal wordt afgesproken. "
        "Dat vraagt om korte lijnen. "
        "Daarbij helpt een vaste griffiersoverleg elke maand. "
        "In onderstaande figuur ziet u hoe de tien regio's zijn verdeeld over het land. "
        "Een regionale agenda geeft richting aan de samenwerking tussen de partners.")


def test_a_leaning_sentence_is_quoted_with_the_one_it_leans_on():
    claims = self_contained(passage_sentences(TEXT), TEXT)
    joined = ("Gemeenten werken in de regio samen met werkgevers en onderwijs. Daarom is het "
              "belangrijk dat de raad weet wat er regionaal wordt afgesproken.")
    assert joined in claims and occurs_in(joined, TEXT)
    assert "Een regionale agenda geeft richting aan de samenwerking tussen de partners." in claims


def test_a_sentence_leaning_on_a_leaning_one_or_on_a_figure_is_left_out():
    claims = self_contained(passage_sentences(TEXT), TEXT)
    assert not any(c.startswith(("Dat vraagt", "Daarbij helpt")) for c in claims)
    assert not any("figuur" in c for c in claims)
    assert all(dangling_reason(c) is None for c in claims)


def test_a_leaning_opening_sentence_is_left_out_and_an_overlong_join_too():
    opening = "Daarom kiezen wij voor een gezamenlijke aanpak van de jeugdwerkloosheid in de regio."
    assert self_contained([opening], opening) == []
    long_first = "De " + " ".join(["samenwerking"] * 45) + " werkt."
    text = f"{long_first} Daarom kiezen wij voor een gezamenlijke aanpak in de regio."
    assert self_contained(passage_sentences(text), text, max_words=40) == passage_sentences(text)[:1]


QUESTIONS = [
    "Hoe houdt de gemeenteraad grip op regionale samenwerking?",
    "Wat is dat kwadrantenmodel?",
    "Hoe pakken we de aansluiting van onderwijs op de arbeidsmarkt aan?",
    "Wat moet een gemeente regelen voor goede werkgeversdienstverlening?",
    "Geef een voorbeeld van een Triple Helix-samenwerking.",
    "Welke cijfers over de regionale arbeidsmarkt zijn er?",
    # a worksheet whose stelling, steps and examples draw on the same few passages
    "Welke tips voor een goede regionale coalitie kan ik in een workshop gebruiken?",
    "Verdwijnt de werkloosheid vanzelf als de economie groeit?",
    "rol centrumgemeente werkgeversservicepunt",
    # "In uw regio" quotes what the sources say about Oss, which the other sections quote too
    "Ik ben raadslid in Oss. Waarom werkt de samenwerking rond voedsel en landbouw daar zo goed?",
]


@pytest.mark.slow
@pytest.mark.parametrize("mode", ["vraag", "notitie", "gespreksvragen"])
def test_answers_quote_self_contained_claims_and_no_sentence_twice(corpus_index, embedder, mode):
    settings, _ = corpus_index
    assistant = corpus_assistant(settings, embedder)
    answered = 0
    for question in QUESTIONS:
        answer = assistant.ask(question, mode=mode)
        if answer.abstained:
            continue
        answered += 1
        claims = [p.text for p in answer.all_points() if p.origin == "source"]
        assert [c for c in claims if dangling_reason(c)] == [], question
        shown = said(answer)
        assert len(shown) == len(set(shown)), (question, [s for s in shown if shown.count(s) > 1])
    assert answered >= len(QUESTIONS) - 1


@pytest.mark.slow
@pytest.mark.parametrize("followup", ["en wat betekent dat voor de raad?", "geef een voorbeeld"])
def test_a_follow_up_leads_with_what_the_earlier_answer_did_not_say(corpus_index, embedder, followup):
    settings, _ = corpus_index
    assistant = corpus_assistant(settings, embedder)
    first_question = "Hoe houdt de gemeenteraad grip op regionale samenwerking?"
    first = assistant.ask(first_question)
    later = assistant.ask(followup, history=[first_question])
    assert not first.abstained and not later.abstained
    shown_before = {p.text for p in first.all_points() if p.origin == "source"}
    lead = [p.text for p in later.summary]
    assert lead and not any(t in s or s in t for t in lead for s in shown_before), lead


@pytest.mark.slow
def test_a_follow_up_avoids_what_every_earlier_answer_said(corpus_index, embedder):
    """The app passes the conversation's answers as shown; none of them is repeated in the lead."""
    settings, _ = corpus_index
    assistant = corpus_assistant(settings, embedder)
    questions = ["Hoe houdt de gemeenteraad grip op regionale samenwerking?",
                 "en wat betekent dat voor de raad?"]
    first = assistant.ask(questions[0])
    second = assistant.ask(questions[1], history=questions[:1], earlier=[first])
    third = assistant.ask("geef een voorbeeld", history=questions, earlier=[second, first])
    assert not third.abstained
    before = {p.text for a in (first, second) for p in a.all_points() if p.origin == "source"}
    lead = [p.text for p in third.summary]
    assert lead and not any(t in s or s in t for t in lead for s in before), lead
