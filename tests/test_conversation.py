"""Follow-ups carry the topic of earlier questions; 'stap N' focuses, 'voorbeeld' asks for stories."""

from __future__ import annotations

import pytest

from assistant.compose.followup import CondensedQuery, condense, content_words, is_followup, step_mentioned

GRIP = "Hoe houdt de gemeenteraad grip op regionale samenwerking?"
CARRIED = "houdt gemeenteraad grip regionale samenwerking"


@pytest.mark.parametrize("followup, expected", [
    ("en wat betekent dat voor de raad?", CondensedQuery(f"{CARRIED} raad", None, False)),
    ("geef een voorbeeld", CondensedQuery(CARRIED, None, True)),
    ("hoe zit dat in stap 3?", CondensedQuery(CARRIED, 3, False)),
    ("En in Brainport?", CondensedQuery(f"{CARRIED} Brainport", None, False)),
    # a question with its own topic stands alone
    ("Wat is weefsel?", CondensedQuery("Wat is weefsel?", None, False)),
    ("Welke partijen horen bij het netwerk van werkgeversdienstverlening?",
     CondensedQuery("Welke partijen horen bij het netwerk van werkgeversdienstverlening?", None, False)),
])
def test_condense_carries_the_earlier_topic_into_short_followups(followup, expected):
    assert condense([GRIP], followup) == expected


def test_a_chain_of_followups_walks_back_to_the_question_with_a_topic_and_keeps_the_step():
    history = [GRIP, "hoe zit dat in stap 3?"]
    assert condense(history, "geef een voorbeeld") == CondensedQuery(CARRIED, 3, True)


def test_without_history_nothing_is_carried():
    assert condense([], "geef een voorbeeld") == CondensedQuery("geef een voorbeeld", None, True)
    assert condense([], "  Wat   is\nweefsel? ") == CondensedQuery("Wat is weefsel?", None, False)


@pytest.mark.parametrize("text, step", [
    ("hoe zit dat in stap 3?", 3), ("En stap vijf?", 5), ("de tweede stap", 2), ("Stap 9", None),
    ("stappenplan", None), ("", None),
])
def test_step_mentioned(text, step):
    assert step_mentioned(text) == step


def test_content_words_keep_written_forms_in_order_without_stopwords_or_duplicates():
    assert content_words("Hoe houdt de Raad grip op de raad?") == ["houdt", "Raad", "grip"]


def test_is_followup():
    assert is_followup("en wat betekent dat voor de raad?")
    assert is_followup("geef een voorbeeld")
    assert not is_followup("Wat is weefsel?")
