"""Candidate answering spans: whole sentences of one passage, exactly as written."""

from __future__ import annotations

import pytest

from assistant.compose.sentences import occurs_in
from assistant.compose.spans import fragment, passage_spans, span_holding, units

TEXT = ("Aan de andere kant is het model daarbij een mooi hulpmiddel. Weefsel is het geheel van "
        "relaties tussen de partners in een regio. Het groeit door samen dingen te doen. "
        "Zie figuur 3 voor een overzicht van de regio's.")
LIST = ("De vijf stappen van de routekaart zijn:\n• Definieer het vraagstuk\n"
        "• Bepaal in welk netwerk de opgave speelt\n• Kies een strategie\nDaarna volgt de uitvoering.")


def test_a_span_never_opens_by_pointing_back_or_at_a_figure():
    starts = {s.units[0].text for s in passage_spans(TEXT)}
    assert "Weefsel is het geheel van relaties tussen de partners in een regio." in starts
    assert not any(t.startswith(("Aan de andere kant", "Zie figuur")) for t in starts)


def test_a_span_may_carry_the_sentence_that_leans_on_it():
    texts = [s.text for s in passage_spans(TEXT)]
    joined = ("Weefsel is het geheel van relaties tussen de partners in een regio. "
              "Het groeit door samen dingen te doen.")
    assert joined in texts
    assert all(occurs_in(t, TEXT) for t in texts)


def test_a_list_is_one_span_with_its_lead_in_and_every_item():
    lists = [s for s in passage_spans(LIST) if s.is_list]
    assert len(lists) == 1
    assert lists[0].parts == ["De vijf stappen van de routekaart zijn:", "Definieer het vraagstuk",
                              "Bepaal in welk netwerk de opgave speelt", "Kies een strategie"]
    assert [u.item for u in units(LIST)] == [False, True, True, True, False]


@pytest.mark.parametrize("text", ["het nu gaat om de zorg, dan geldt dit ook.", "… en daarom werkt het.",
                                  "Werkgevers zijn niet gebonden aan één gemeente…",
                                  "Regionale samenwerking op de arbeidsmarkt",
                                  "Literatuurstudie en tien regioverhalen"])
def test_fragments_are_recognised(text):
    assert fragment(text)


def test_a_whole_sentence_is_no_fragment():
    assert not fragment("Weefsel is het geheel van relaties tussen de partners in een regio.")
    assert not fragment("‘De raad stelt de kaders vooraf vast.’")


def test_the_span_that_holds_a_bank_quote():
    span = span_holding(TEXT, ("het geheel van relaties tussen de partners",))
    assert span is not None and span.text.startswith("Weefsel is het geheel")
    assert span_holding(TEXT, ("staat nergens",)) is None


QUOTES = ("• 'Een opgave speelt altijd in een netwerk van partijen. De opgave is niet los te zien van "
          "het al aanwezige netwerk van partijen.' (p. 182).\n\n"
          "• 'Hoe borg je het primaat van de politici?' (p. 56)\n\n"
          "• 'De gemeenteraad wordt daarin niet buitenspel gezet.' (p. 57)")


def test_research_quotes_in_bullets_are_sentences_that_never_run_into_the_next_quote():
    spans = passage_spans(QUOTES)
    texts = [s.text for s in spans]
    # a quote's last sentence, page reference and all, is a whole sentence a lead can start with
    assert "De opgave is niet los te zien van het al aanwezige netwerk van partijen.' (p. 182)." in texts
    assert span_holding(QUOTES, ("De opgave is niet los te zien",)) is not None
    # no span joins two bulleted quotes (the bullet between them is not in the text it shows)
    assert not any("(p. 182). " in t or "(p. 56) " in t for t in texts)
    # a research question is not an answer
    assert not any(t.startswith("'Hoe borg je") for t in texts)
    assert all(occurs_in(t, QUOTES) for t in texts)


@pytest.mark.parametrize("opening", ["Of scherper gezegd: een werkende samenwerking is een lerende.",
                                     "Anders gezegd: de regio leert door te doen.",
                                     "Deels omdat raadsleden hun handen vol hebben aan de lokale zaken."])
def test_a_sentence_that_continues_an_argument_never_opens_a_span(opening):
    text = f"Het rapport gaat over lerende samenwerking in de regio. {opening}"
    assert not any(s.units[0].text == opening for s in passage_spans(text))
    assert span_holding(text, (opening,)).units[0].text.startswith("Het rapport")
