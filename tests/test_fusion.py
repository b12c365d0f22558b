import pytest

from assistant.retrieval.fusion import reciprocal_rank_fusion


def test_documents_found_by_both_rankers_rise_to_the_top():
    fused = reciprocal_rank_fusion([["a", "b", "c"], ["c", "a", "d"]], k=60)
    assert [doc for doc, _ in fused] == ["a", "c", "b", "d"]
    assert fused[0][1] == pytest.approx(1 / 61 + 1 / 62)


def test_weights_shift_the_balance():
    fused = reciprocal_rank_fusion([["a", "b"], ["b", "a"]], weights=[2.0, 1.0], k=1)
    assert fused[0][0] == "a"


def test_ties_are_deterministic_by_best_rank_then_id():
    fused = reciprocal_rank_fusion([["x", "y"], ["y", "x"]], k=60)
    assert [doc for doc, _ in fused] == ["x", "y"]
    assert reciprocal_rank_fusion([["b"], ["a"]]) == reciprocal_rank_fusion([["a"], ["b"]])


def test_duplicates_within_a_ranking_count_once_and_empty_input_is_empty():
    assert reciprocal_rank_fusion([["a", "a", "b"]])[0][1] == pytest.approx(1 / 61)
    assert reciprocal_rank_fusion([]) == []
    with pytest.raises(ValueError):
        reciprocal_rank_fusion([["a"]], weights=[1.0, 2.0])
