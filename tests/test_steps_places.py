from ingest.places import Gazetteer
from ingest.steps import cue_counts, infer_steps

CUES = {1: ["feiten", "opgave"], 2: ["netwerk", "partijen"], 3: ["perspectief", "sturing"]}


def test_infers_the_step_whose_cue_words_dominate():
    assert infer_steps("Ken het netwerk: welke partijen doen mee in het netwerk?", CUES) == [2]


def test_nothing_inferred_from_too_little_evidence():
    assert infer_steps("Een tekst over iets anders met één feiten-woord.", CUES) == []
    assert infer_steps("", CUES) == []


def test_two_steps_when_both_are_strongly_present_and_matching_folds_diacritics():
    assert infer_steps("feiten opgave netwerk partijen", CUES) == [1, 2]
    assert cue_counts("Sturingsprincipe en PERSPECTIEF", {3: ["perspectief", "sturing"]}) == {3: 2}
    assert cue_counts("financiële middelen", {1: ["financiele"]}) == {1: 1}


def test_gazetteer_finds_whole_names_and_maps_aliases():
    g = Gazetteer.from_lists(["Zeeland", "Noord-Holland"],
                             {"Agrifood Capital": ["Den Bosch", "agrifood"]})
    text = "In Zeeland en Den Bosch, niet in Noord-Hollandse dorpen of Zeelandia."
    assert g.find(text) == ["Zeeland", "Agrifood Capital"]
    assert g.find("de agrifood wereld") == []  # lowercase alias words do not tag places
