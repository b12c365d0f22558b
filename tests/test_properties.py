"""Property-based tests: chunking and rank fusion hold their promises for any input."""

from hypothesis import given, settings
from hypothesis import strategies as st

from assistant.retrieval.fusion import reciprocal_rank_fusion
from ingest.passages import MAX_WORDS, pack

words = st.text(alphabet="abcdefghijklmnopqrstuvwxyzéë", min_size=1, max_size=12)
sentences = st.lists(words, min_size=1, max_size=60).map(lambda ws: " ".join(ws) + ".")
units = st.lists(st.tuples(sentences, st.one_of(st.none(), st.integers(1, 400)), st.booleans()),
                 max_size=40)


@settings(max_examples=200, deadline=None)
@given(units)
def test_pack_keeps_every_sentence_whole_and_in_order(unit_list):
    chunks = pack(unit_list)
    rejoined = " ".join(text for text, _, _ in chunks).split()
    assert rejoined == " ".join(u[0] for u in unit_list).split()
    remaining = iter(unit_list)
    for text, first_page, last_page in chunks:
        members, words_left = [], len(text.split())
        while words_left > 0:
            members.append(next(remaining))
            words_left -= len(members[-1][0].split())
        assert words_left == 0, "a chunk ends where a sentence ends, never inside one"
        assert len(text.split()) <= MAX_WORDS or len(members) == 1, \
            "only a single sentence longer than the limit makes a chunk over it"
        assert (first_page, last_page) == (members[0][1], members[-1][1])


@settings(max_examples=200, deadline=None)
@given(units)
def test_pack_pages_come_from_the_units(unit_list):
    pages = {u[1] for u in unit_list}
    for _, first, last in pack(unit_list):
        assert first in pages and last in pages


ids = st.text(alphabet="abcdef", min_size=1, max_size=3)
rankings = st.lists(st.lists(ids, max_size=15), max_size=4)


@settings(max_examples=300, deadline=None)
@given(rankings)
def test_fusion_returns_each_document_once_sorted_by_score(ranking_lists):
    fused = reciprocal_rank_fusion(ranking_lists)
    docs = [doc for doc, _ in fused]
    assert len(docs) == len(set(docs))
    assert set(docs) == {doc for ranking in ranking_lists for doc in ranking}
    scores = [score for _, score in fused]
    assert scores == sorted(scores, reverse=True)


@settings(max_examples=300, deadline=None)
@given(rankings)
def test_fusion_is_deterministic_and_ignores_ranking_order(ranking_lists):
    assert reciprocal_rank_fusion(ranking_lists) == reciprocal_rank_fusion(ranking_lists[::-1])
