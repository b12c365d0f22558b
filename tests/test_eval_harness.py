"""The eval harness on a made-up retriever: the figures it prints are the ones the rankings and
confidences imply, and the abstention thresholds come from the tuning questions only."""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from evals.dataset import GoldQuote, Query
from evals.harness import System, evaluate

PASSAGES = [("p1", "doc", "het weefsel groeit met de tijd tussen de partners"),
            ("p2", "doc", "de gemeenteraad stelt kaders voor de regionale samenwerking"),
            ("p3", "doc", "werkgevers zoeken technisch personeel in de regio")]


def query(qid: str, split: str, answerable: bool = True) -> Query:
    return Query(id=qid, text=qid, user="raadslid", split=split, answerable=answerable, step=None,
                 wegwijzer=None, doc_id="doc" if answerable else None, style="parafrase")


@dataclass
class FakeHit:
    passage: object
    score: float


@dataclass
class FakePassage:
    id: str


class FakeRunner:
    """Returns a fixed ranking per question; `confidence` is what the System reads."""

    label = "nep"

    def __init__(self, rankings: dict[str, list[str]], confidence: dict[str, float]) -> None:
        self.rankings = rankings
        self.confidence = confidence

    def passages(self):
        return PASSAGES

    def hits(self, question: str, k: int):
        return [FakeHit(FakePassage(pid), 1.0 / n) for n, pid in enumerate(self.rankings[question][:k], 1)]


@pytest.fixture
def setup():
    tuning = [query("t1", "dev"), query("t2", "dev"), query("t3", "val"), query("t4", "val"),
              query("t5", "val", answerable=False), query("t6", "val")]
    test = [query("a", "test"), query("b", "test"), query("c", "test"),
            query("x", "test", answerable=False), query("y", "test", answerable=False)]
    evidence = [GoldQuote(q, "doc", "het weefsel groeit met de tijd tussen de partners", 2)
                for q in ("t1", "t2", "t3", "t4", "t6", "a", "b", "c")]
    rankings = {"a": ["p1", "p2"], "b": ["p2", "p3", "p1"], "c": ["p2", "p3"]}
    rankings |= {q.id: ["p1"] for q in tuning} | {"x": ["p2"], "y": ["p3"]}
    confidence = {"t1": 0.9, "t2": 0.8, "t3": 0.7, "t4": 0.6, "t5": 0.3, "t6": 0.85,
                  "a": 0.95, "b": 0.5, "c": 0.65, "x": 0.55, "y": 0.62}
    runner = FakeRunner(rankings, confidence)
    system = System(runner, confidence=lambda q, hits: runner.confidence[q])
    return system, test, evidence, tuning


def test_ranking_figures_follow_the_rankings(setup):
    system, test, evidence, tuning = setup
    metrics = evaluate(system, test, evidence, tuning).metrics
    # a: gold at rank 1; b: rank 3; c: not retrieved
    assert metrics["hit@1"] == pytest.approx(1 / 3)
    assert metrics["hit@3"] == metrics["hit@5"] == pytest.approx(2 / 3)
    assert metrics["MRR@10"] == pytest.approx((1 + 1 / 3) / 3)


def test_abstention_thresholds_come_from_the_tuning_questions(setup):
    system, test, evidence, tuning = setup
    metrics = evaluate(system, test, evidence, tuning).metrics
    # Five answerable tuning questions: abstaining may refuse none of them (3%), so below 0.6;
    # the caution may touch one of them (20%), so below 0.7.
    assert metrics["threshold"] == pytest.approx(0.6)
    assert metrics["caution_threshold"] == pytest.approx(0.7)
    # Test: x (0.55) is refused, y (0.62) only cautioned; b (0.5) is refused wrongly, c (0.65)
    # answered with the caution, a answered plainly.
    assert metrics["abstain_recall"] == pytest.approx(0.5)
    assert metrics["abstain_precision"] == pytest.approx(0.5)
    assert metrics["false_abstain"] == pytest.approx(1 / 3)
    assert metrics["caution_recall"] == pytest.approx(1.0)
    assert metrics["caution_answerable"] == pytest.approx(1 / 3)


def test_the_paired_bootstrap_interval_holds_the_difference_and_excludes_zero_only_when_clear():
    from evals.metrics import hits_at, paired_bootstrap

    qrels = {"q1": {"a": 1}, "q2": {"b": 1}, "q3": {"c": 1}, "unanswerable": {}}
    run = {"q1": {"a": 2.0, "x": 1.0}, "q2": {"x": 2.0, "y": 1.0}, "q3": {"c": 1.0}}
    assert hits_at(run, qrels, k=1) == {"q1": 1.0, "q2": 0.0, "q3": 1.0}
    assert hits_at(run, qrels, k=2) == {"q1": 1.0, "q2": 0.0, "q3": 1.0}

    same = paired_bootstrap([1, 0, 1, 1], [1, 0, 1, 1])
    assert same == (0.0, 0.0, 0.0)
    better = [1.0] * 40 + [0.0] * 10
    worse = [0.0] * 30 + [1.0] * 20
    diff, low, high = paired_bootstrap(better, worse)
    assert diff == pytest.approx(0.4) and 0 < low < diff < high
    noisy = paired_bootstrap([1, 0, 1, 0, 1, 0], [0, 1, 1, 0, 0, 1])
    assert noisy[1] < 0 < noisy[2]
