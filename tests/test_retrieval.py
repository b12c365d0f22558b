"""Retrieval: fusion arithmetic, weighted BM25, the route-map field, and searches on the real
corpus with questions phrased the way users ask them (none copied from the eval set)."""

from __future__ import annotations

from dataclasses import dataclass, field

import pytest

from assistant.retrieval.confidence import ABSTAIN_BELOW, predict_step, retrieval_confidence
from assistant.retrieval.fusion import min_max, weighted_score_fusion
from assistant.retrieval.hybrid import (
    PLAIN,
    Filters,
    HybridRetriever,
    QuerySignals,
    RetrievalConfig,
    SearchResult,
)
from ingest.index.corpusdata import load_routekaart
from ingest.index.dutch import DutchAnalyzer
from ingest.index.lexical import LexicalIndex, route_context

# --- pure functions ------------------------------------------------------------------------------


def test_score_fusion_adds_scaled_scores_with_weights():
    fused = weighted_score_fusion([{"a": 10.0, "b": 5.0, "c": 0.0}, {"b": 0.9, "c": 0.5}],
                                  weights=[1.0, 0.5])
    assert [doc for doc, _ in fused] == ["a", "b", "c"]
    assert dict(fused) == pytest.approx({"a": 1.0, "b": 0.5 + 0.5, "c": 0.0})


def test_a_weak_ranker_with_a_small_weight_only_breaks_near_ties():
    strong = {"a": 9.0, "b": 5.0, "c": 4.9}
    weak = {"c": 0.62, "b": 0.60, "a": 0.59}
    order = [d for d, _ in weighted_score_fusion([strong, weak], [1.0, 0.1])]
    assert order == ["a", "c", "b"]


def test_score_fusion_is_pure_and_deterministic():
    scores = [{"x": 1.0, "y": 1.0}, {"y": 2.0, "x": 2.0}]
    before = [dict(s) for s in scores]
    assert weighted_score_fusion(scores) == [("x", 2.0), ("y", 2.0)]  # ties go by id
    assert scores == before
    assert weighted_score_fusion([]) == []
    with pytest.raises(ValueError):
        weighted_score_fusion([{"a": 1.0}], [1.0, 2.0])


def test_min_max_edges():
    assert min_max({}) == {}
    assert min_max({"a": 3.0, "b": 3.0}) == {"a": 1.0, "b": 1.0}
    assert min_max({"a": -1.0, "b": 1.0}) == {"a": 0.0, "b": 1.0}


@pytest.fixture(scope="module")
def tiny_index():
    analyzer = DutchAnalyzer(splitter=None)
    texts = ["Technisch personeel is schaars in de regio.", "De raad controleert het college.",
             "Vakbonden en werkgevers sloten een akkoord."]
    return LexicalIndex.from_texts(texts, analyzer), analyzer


def test_weighted_bm25_scales_each_token(tiny_index):
    index, analyzer = tiny_index
    technisch = analyzer.query_tokens("technisch")[0]
    full = index.weighted_scores({technisch: 1.0})
    half = index.weighted_scores({technisch: 0.5})
    assert full[0] > 0 and full[1] == full[2] == 0
    assert half == pytest.approx(full / 2)
    assert index.scores("technisch") == pytest.approx(full)
    assert not index.weighted_scores({"onbekendwoord": 1.0}).any()
    assert index.known(technisch) and not index.known("onbekendwoord")


@dataclass
class FakePassage:
    wegwijzer: int | None = None
    block: str = "tekst"
    heading: str = ""
    places: list[str] = field(default_factory=list)
    steps: list[int] = field(default_factory=list)
    steps_inferred: bool = False


def test_route_context_carries_the_wegwijzer_perspective_and_place_names():
    routekaart = load_routekaart()
    ww4 = route_context(FakePassage(wegwijzer=4), routekaart)
    assert "Ken het netwerk" in ww4 and "informele momenten" in ww4
    persp = route_context(FakePassage(block="perspectief",
                                      heading="3. Kies het perspectief · b. De presterende overheid"),
                          routekaart)
    assert "meetbare resultaten" in persp and "rechtmatigheid" not in persp
    assert "Eindhoven" in route_context(FakePassage(places=["Brainport Eindhoven"]), routekaart)
    assert route_context(FakePassage(), routekaart) == ""


@dataclass
class FakeHit:
    passage: FakePassage
    rank: int
    dense_rank: int | None = None
    lexical_rank: int | None = None


def test_confidence_rises_with_coverage_and_match_strength():
    assert retrieval_confidence(SearchResult()) == 0.0

    def conf(coverage, top):
        return retrieval_confidence(SearchResult([FakeHit(FakePassage(), 1)],
                                                 QuerySignals(coverage=coverage, lexical_top=top)))

    assert conf(1.0, 10.0) > conf(0.5, 10.0) > conf(0.5, 1.0)
    assert conf(1.0, 10.0) >= ABSTAIN_BELOW > conf(0.3, 1.0)


def test_step_vote_prefers_the_reports_own_steps():
    hits = [FakeHit(FakePassage(steps=[2], steps_inferred=True), 1),
            FakeHit(FakePassage(steps=[3]), 1)]
    assert predict_step(hits) == 3
    assert predict_step([FakeHit(FakePassage(), 1)]) is None


# --- the real corpus -----------------------------------------------------------------------------


@pytest.fixture(scope="module")
def retriever(corpus_index, embedder):
    from ingest.index.reader import open_index

    settings, _ = corpus_index
    return HybridRetriever(open_index(settings, embedder.identity), embedder)


def top_texts(retriever, question, k=5, **kwargs):
    return [h.passage.text for h in retriever.search(question, k=k, **kwargs)]


@pytest.mark.parametrize(("question", "needle"), [
    ("Hoe pakken we met bedrijven en scholen een tekort aan technici aan?", "technisch"),
    ("Wat betekent het als de overheid vooral op KPI's stuurt?", "meetbare resultaten"),
    ("Hoe belangrijk zijn informele contacten buiten de vergadering?", "informele momenten"),
    ("Ik ben raadslid: hoe houden we grip op een gemeenschappelijke regeling?", "gemeenteraad"),
    ("Hoeveel arbeidsmarktregio's kent Nederland?", "35 arbeidsmarktregio"),
])
def test_user_phrased_questions_find_the_passage_that_answers(retriever, question, needle):
    assert any(needle in text for text in top_texts(retriever, question)), question


@pytest.mark.parametrize(("question", "needle"), [
    ("Wat doet de gemeente met de P&O'ers van bedrijven?", "Hr-professionals"),
    ("Wat vinden ondernemers van papierwerk en regeldruk?", "bureaucrat"),
    ("Hoe zit het met de zuivelregio in het noorden?", "Dairy Valley"),
])
def test_the_glossary_finds_what_plain_bm25_misses(embedder, retriever, question, needle):
    plain = HybridRetriever(retriever.index, embedder, mode="lexical", config=PLAIN)
    assert not any(needle in t for t in top_texts(plain, question, k=3))
    assert any(needle in t for t in top_texts(retriever, question, k=3))


def test_a_word_form_the_index_lacks_still_finds_its_relatives(embedder, retriever):
    """"Eindhovense" is no word of the corpus; its character grams lead to "Eindhoven".
    (The glossary, the route-map field and the question bank, which also know the place, are off
    here.)"""
    words = RetrievalConfig(expand=False, context_weight=0.0, bank=False, bank_field_weight=0.0)
    words_only = HybridRetriever(retriever.index, embedder, mode="lexical",
                                 config=words.with_(fuzzy_weight=0.0))
    with_grams = HybridRetriever(retriever.index, embedder, mode="lexical", config=words)
    assert top_texts(words_only, "Eindhovense") == []
    assert "Eindhoven" in top_texts(with_grams, "Eindhovense", k=1)[0]


@pytest.mark.parametrize("filters", [Filters(doc_ids=("regiodenken",)), Filters(steps=(3,)),
                                     Filters(kinds=("artikel",), steps=(2,))])
@pytest.mark.parametrize("candidates", [4, 50])
def test_a_filtered_dense_search_equals_chromas_own_filter(retriever, embedder, filters, candidates):
    """Filtering a wider unfiltered ranking (fast) returns what Chroma's filter returns (slow),
    both when the wide ranking holds enough allowed passages and when it must fall back."""
    from ingest.index.vectorstore import chroma_where

    searcher = HybridRetriever(retriever.index, embedder, mode="dense", candidates=candidates)
    question = "hoe betrek je werkgevers bij de regionale aanpak"
    vector = embedder.embed_query(question)
    expected = retriever.index.vectors.search(
        vector, candidates, chroma_where(filters.kinds, filters.steps, filters.doc_ids))
    got = searcher._dense_ranking(vector, filters)
    assert [pid for pid, _ in got] == [pid for pid, _ in expected]
    assert [s for _, s in got] == pytest.approx([s for _, s in expected], abs=1e-6)


@pytest.mark.parametrize("filters", [Filters(doc_ids=("regiodenken",)), Filters(steps=(3,)),
                                     Filters(kinds=("artikel",)),
                                     Filters(steps=(4,), doc_ids=("vng-denktank-jaarbericht-2018",))])
@pytest.mark.parametrize("mode", ["hybrid", "lexical", "dense"])
def test_filters_really_filter(corpus_index, embedder, retriever, filters, mode):
    searcher = HybridRetriever(retriever.index, embedder, mode=mode)
    hits = searcher.search("samenwerking met werkgevers in de regio", k=10, filters=filters)
    assert hits, "every filter here allows passages; an empty result is a filter that broke"
    assert all(filters.allows(h.passage) for h in hits)
    assert [h.rank for h in hits] == list(range(1, len(hits) + 1))
    assert len({h.passage.id for h in hits}) == len(hits)  # no duplicates after fusion


def test_a_search_returns_ranked_hits_and_the_questions_signals(retriever):
    result = retriever.search("Wat is een attractieve agenda?", k=3)
    assert len(result.hits) == 3
    assert result.hits[0].score >= result.hits[1].score >= result.hits[2].score
    assert result.hits[0].lexical > 0 and result.hits[0].dense > 0
    assert result.signals.coverage == 1.0, "every word of this question is in the sources"
    assert result.signals.lexical_top >= max(h.lexical for h in result.hits) > 0
    assert result.signals.dense_top >= max(h.dense for h in result.hits)
    unknown = retriever.search("WhatsApp-groep appeltaart", k=3).signals
    assert unknown.coverage < 1.0
    empty = retriever.search("   ", k=3)
    assert empty.hits == [] and empty.signals.lexical_top == 0.0


def test_confidence_separates_covered_from_uncovered_questions(retriever):
    covered = retrieval_confidence(retriever.search("Wat is een attractieve agenda?", k=10))
    uncovered = retrieval_confidence(retriever.search("Recept voor appeltaart met kaneel", k=10))
    abstain_below, _ = retriever.thresholds() or (ABSTAIN_BELOW, None)  # the signal's own scale
    assert covered >= abstain_below > uncovered


def test_config_switches_are_checked(retriever, embedder):
    with pytest.raises(ValueError):
        HybridRetriever(retriever.index, embedder, config=RetrievalConfig(fusion="max"))
    with pytest.raises(ValueError):
        HybridRetriever(retriever.index, embedder, mode="sparse")
