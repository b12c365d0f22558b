"""The kind of question decides the answer's shape; read from the question itself."""

from __future__ import annotations

import pytest

from assistant.compose.kind import KINDS, own_kind, question_kind, shape_kind


@pytest.mark.parametrize("question, kind", [
    ("Wat is weefsel?", "definitie"),
    ("Wat betekent een attractieve agenda?", "definitie"),
    ("Leg voor een training uit wat de drieslag structuur, individu en weefsel inhoudt.", "definitie"),
    ("Welke tien regio's zijn onderzocht?", "lijst"),
    ("Noem de vijf stappen van de routekaart.", "lijst"),
    ("Welke tips voor een goed lopende regionale coalitie kan ik op een flap zetten?", "lijst"),
    ("Op welke twee manieren kan een gemeente zich voor werk en economie inzetten?", "lijst"),
    ("Hoeveel leden heeft de Drechtraad?", "feit"),
    ("Ik ben net raadslid in Goes. Hoe hoog is de werkloosheid in Zeeland?", "feit"),
    ("Ik schrijf een raadsvoorstel: hoeveel geld krijgt onze regio in 2024?", "feit"),
    ("onderzochte regio's Rijnmond Haaglanden Utrecht", "feit"),
    ("Hoe houdt de gemeenteraad grip op regionale samenwerking?", "aanpak"),
    ("Wat is de rol van de gemeenteraad bij regionale samenwerking?", "aanpak"),
    ("Geef me een paar praktijkvoorbeelden van hoe raden grip houden.", "voorbeeld"),
    ("Wat is het verschil tussen een netwerkende en een presterende overheid?", "vergelijking"),
    ("Ik ben net raadslid in Zwolle. Is onze eigen regio ook onderzocht?", "regio"),
    # a count is a list even when the verb is 'onderscheiden'; 'welke zijn het?' leans on the
    # sentence before it
    ("Welke drie soorten netwerken onderscheidt het essay?", "lijst"),
    ("Wat is het onderscheid tussen structuur en weefsel?", "vergelijking"),
    ("Ik wil de vijf stappen op een flap zetten. Welke zijn het?", "lijst"),
])
def test_the_kind_is_read_from_the_question(question, kind):
    assert own_kind(question) == kind


def test_a_follow_up_is_vervolg_and_keeps_the_shape_of_its_own_words():
    assert question_kind("geef een voorbeeld", followup=True) == "vervolg"
    assert shape_kind("vervolg", "geef een voorbeeld") == "voorbeeld"
    assert shape_kind("vervolg", "en wat betekent dat voor de raad?") == "aanpak"


def test_an_approach_question_from_a_named_region_is_a_region_question():
    assert question_kind("Hoe pakken we de krapte aan?", region=True) == "regio"
    assert question_kind("Wat is weefsel?", region=True) == "definitie"


def test_every_kind_is_one_of_the_kinds():
    for q in ("", "?", "Wat?", "hoe", "En, maar: dus?"):
        assert own_kind(q) in KINDS
