"""Glossary expansion and question cleaning: what users type, and what the search then asks for."""

from __future__ import annotations

import pytest

from assistant.retrieval.expand import GlossaryExpander, strip_framing
from ingest.index.corpusdata import GlossaryEntry, load_glossary
from ingest.index.dutch import CompoundSplitter, DutchAnalyzer


@pytest.fixture(scope="module")
def analyzer():
    return DutchAnalyzer(splitter=CompoundSplitter({"tekort": 3, "personeel": 3, "haven": 2,
                                                    "medewerkers": 2, "zorg": 3}))


@pytest.fixture(scope="module")
def expander(analyzer):
    """The real glossary from corpus/begrippen.toml."""
    return GlossaryExpander(load_glossary(), analyzer)


def terms(expander, question):
    return expander.expand(question).terms


@pytest.mark.parametrize(("question", "term"), [
    ("Hoe lossen we het tekort aan technici op?", "technisch personeel"),
    ("Welke rol spelen de vakbonden?", "werknemersorganisaties"),
    ("Moeten we sturen op KPI's?", "meetbare resultaten"),
    ("Wat weten we over onze zuivelregio in het noorden?", "Dairy Valley"),
    ("Hoe betrek ik de raadsleden?", "gemeenteraad"),
    ("Werkt dat ook met P&O'ers?", "hr-professionals"),
    ("Heeft de Rotterdamse haven hier iets mee te maken?", "Rijnmond"),
    ("Wat doen we met papierwerk en regeldruk?", "bureaucratie"),
])
def test_user_words_reach_the_words_of_the_sources(expander, question, term):
    assert term in terms(expander, question)


def test_expansion_adds_the_corpus_term_below_the_users_own_words(expander, analyzer):
    expansion = expander.expand("tekort aan technici")
    technisch = analyzer.index_tokens("technisch")[0]
    personeel = analyzer.index_tokens("personeel")[0]
    assert {technisch, personeel} <= set(expansion.added)
    assert all(expansion.weights[t] == 1.0 for t in expansion.original)
    assert all(0 < w < 1.0 for w in expansion.added.values())
    assert expansion.weights[technisch] > expansion.weights.get(
        analyzer.index_tokens("monteurs")[0], 0.0)  # the term weighs more than a synonym


def test_small_words_in_a_phrase_must_be_there_too(expander):
    # "naar ander werk" (van-werk-naar-werk) and "drie o's" (Triple Helix) need all their words.
    assert "van-werk-naar-werk" not in terms(expander, "Hoe werkt dit in de praktijk?")
    assert "Triple Helix" not in terms(expander, "Ze worden door drie instanties gebeld")
    assert "Triple Helix" in terms(expander, "Wat is de samenwerking van de drie O's?")


def test_a_derivation_is_not_its_stem(expander):
    # Snowball stems "eigenheid" like "eigen"; the glossary keeps them apart.
    assert "ecosysteem" in terms(expander, "Ken de eigenheid van je regio")
    assert "ecosysteem" not in terms(expander, "Onze eigen organisatie")


def test_compound_and_hyphen_parts_match(analyzer):
    entries = [GlossaryEntry(term="mismatch", synoniemen=("tekort",)),
               GlossaryEntry(term="ICT", synoniemen=("ict'ers",))]
    expander = GlossaryExpander(entries, analyzer)
    assert terms(expander, "Het zorgpersoneelstekort groeit") == ["mismatch"]
    assert terms(expander, "Een ICT-tekort") == ["mismatch", "ICT"]


def test_a_question_without_glossary_words_keeps_only_its_own_tokens(expander):
    expansion = expander.expand("appeltaart met kaneel")
    assert expansion.matches == [] and expansion.added == {}
    assert set(expansion.weights) == set(expansion.original)


def test_weights_are_settable_and_zero_synonym_weight_adds_only_the_term(analyzer):
    entries = [GlossaryEntry(term="werknemersorganisaties", synoniemen=("vakbond", "fnv"))]
    expander = GlossaryExpander(entries, analyzer, term_weight=0.5, synonym_weight=0.0)
    added = expander.expand("de vakbonden").added
    assert added == {analyzer.index_tokens("werknemersorganisaties")[0]: 0.5}


def test_glossary_keeps_its_own_rules():
    """The file's header: no synonym so general that it touches every passage."""
    expander = GlossaryExpander(load_glossary(), DutchAnalyzer(splitter=None))
    too_general = {expander._key(w) for w in
                   ("werk", "regio", "gemeente", "samenwerking", "regionaal", "overheid")}
    for entry in expander._entries:
        assert entry.phrases, f"{entry.term}: no phrase can ever match"
        for phrase, keys in entry.phrases:
            # Small words count: "van werk naar werk" is specific, "werk" alone is not.
            assert not set(keys) <= too_general, f"{entry.term}: '{phrase}'"


@pytest.mark.parametrize(("question", "cleaned"), [
    ("Ik schrijf een notitie over het tekort aan technici. Wat zeggen de bronnen?",
     "het tekort aan technici"),
    ("Ik ben net raadslid in Zwolle. Hoe werkt de arbeidsmarktregio?",
     "Hoe werkt de arbeidsmarktregio?"),
    ("Voor een sessie over de achtergrond: wie schreef het rapport?",
     "de achtergrond: wie schreef het rapport?"),
    ("Geef me tips voor een workshop", "tips"),
    ("Wat is een attractieve agenda?", "Wat is een attractieve agenda?"),
])
def test_strip_framing_keeps_the_subject(question, cleaned):
    assert strip_framing(question) == cleaned


def test_strip_framing_never_empties_a_question():
    assert strip_framing("Ik schrijf een notitie") == "Ik schrijf een notitie"
    assert strip_framing("") == ""
