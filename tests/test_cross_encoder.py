"""The optional cross-encoder stage (REGIOWIJZER_RERANK_MODEL): it decides the order of the best
candidates, the rest keep theirs, and a model that cannot be loaded is a clear Dutch message.

The model is a tiny BERT cross-encoder this test builds and trains itself (no hub): it learns to
score a passage high when it speaks of "vertrouwen", so its effect on the ranking is visible.
"""

from __future__ import annotations

import re

import numpy as np
import pytest

from assistant.cli.main import main
from assistant.retrieval.cross_encoder import CrossEncoderReranker, RerankerUnavailable, reranker_from
from assistant.retrieval.hybrid import HybridRetriever, RetrievalConfig
from ingest.config import Settings, load_settings
from ingest.index.reader import open_index

QUESTION = "Hoe houdt de gemeenteraad grip op regionale samenwerking?"
MARKER = "vertrouwen"


def _train_tiny_cross_encoder(folder, texts: list[str]) -> None:
    import torch
    from transformers import BertConfig, BertForSequenceClassification, BertTokenizerFast

    words = sorted({w for t in texts for w in re.findall(r"\w+", t.lower())})
    vocab = folder / "vocab.txt"
    folder.mkdir(parents=True)
    vocab.write_text("\n".join(["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]", *words]), encoding="utf-8")
    tokenizer = BertTokenizerFast(vocab_file=str(vocab), do_lower_case=True)
    torch.manual_seed(0)
    model = BertForSequenceClassification(BertConfig(
        vocab_size=len(words) + 5, hidden_size=16, num_hidden_layers=1, num_attention_heads=2,
        intermediate_size=32, max_position_embeddings=512, num_labels=1))
    with_marker = [t for t in texts if MARKER in t.lower()]
    without = [t for t in texts if MARKER not in t.lower()]
    optimiser = torch.optim.Adam(model.parameters(), lr=5e-3)
    rng = np.random.default_rng(0)
    for _ in range(250):
        batch = [*rng.choice(with_marker, 4), *rng.choice(without, 4)]
        encoded = tokenizer([QUESTION] * 8, list(batch), truncation=True, max_length=192,
                            padding=True, return_tensors="pt")
        labels = torch.tensor([1.0] * 4 + [0.0] * 4)
        loss = torch.nn.functional.binary_cross_entropy_with_logits(
            model(**encoded).logits.squeeze(-1), labels)
        optimiser.zero_grad()
        loss.backward()
        optimiser.step()
    model.save_pretrained(folder)
    tokenizer.save_pretrained(folder)


@pytest.fixture(scope="module")
def tiny_model(corpus_index, tmp_path_factory):
    settings, _ = corpus_index
    index = open_index(settings)
    folder = tmp_path_factory.mktemp("reranker") / "tiny-cross-encoder"
    _train_tiny_cross_encoder(folder, [p.text for p in index.passages])
    return folder


@pytest.mark.slow
def test_the_cross_encoder_orders_the_best_candidates_and_the_rest_keep_their_order(
        corpus_index, embedder, tiny_model):
    settings, _ = corpus_index
    index = open_index(settings, embedder.identity)
    reranker = CrossEncoderReranker(str(tiny_model), depth=10)
    # the stage on its own: the question bank (which knows the marker passage too) is off
    config = RetrievalConfig(bank=False, bank_field_weight=0.0)
    plain = HybridRetriever(index, embedder, config=config).search(QUESTION, k=30)
    reranked = HybridRetriever(index, embedder, config=config,
                               cross_encoder=reranker).search(QUESTION, k=30)
    head = [h.passage for h in plain[:10]]
    scores = reranker.scores(QUESTION, [p.text for p in head])
    expected = [head[i].id for i in np.argsort(-scores, kind="stable")]
    assert [h.passage.id for h in reranked[:10]] == expected
    assert [h.passage.id for h in reranked[10:]] == [h.passage.id for h in plain[10:]]
    # what the model learned shows: the candidate about "vertrouwen", last of the ten, now leads
    def first_about(hits) -> int:
        return next(i for i, h in enumerate(hits) if MARKER in h.passage.text.lower())

    assert first_about(plain[:10]) >= 5 and first_about(reranked[:10]) <= 2


@pytest.mark.slow
def test_filters_still_filter_with_the_cross_encoder(corpus_index, embedder, tiny_model):
    from assistant.retrieval.hybrid import Filters

    settings, _ = corpus_index
    index = open_index(settings, embedder.identity)
    retriever = HybridRetriever(index, embedder, cross_encoder=CrossEncoderReranker(str(tiny_model)))
    hits = retriever.search(QUESTION, k=8, filters=Filters(kinds=("handreiking",)))
    assert hits and all(h.passage.kind == "handreiking" for h in hits)


def test_the_setting_names_the_model_and_the_depth():
    settings = load_settings({"REGIOWIJZER_RERANK_MODEL": " /modellen/reranker ",
                              "REGIOWIJZER_RERANK_DEPTH": "12"})
    assert settings.rerank_model == "/modellen/reranker" and settings.rerank_depth == 12
    assert reranker_from(Settings()) is None
    assert load_settings({"REGIOWIJZER_RERANK_MODEL": "  "}).rerank_model is None


def test_a_model_that_cannot_be_loaded_is_a_dutch_message(tmp_path):
    with pytest.raises(RerankerUnavailable, match="Het rerankmodel .* kon niet geladen worden"):
        CrossEncoderReranker(str(tmp_path / "bestaat-niet"))


@pytest.mark.slow
def test_ask_with_a_broken_reranker_setting_stops_with_status_2_and_says_why(
        corpus_index, embedder, monkeypatch, tmp_path, capsys):
    settings, _ = corpus_index
    monkeypatch.setenv("REGIOWIJZER_HOME", str(settings.home))
    monkeypatch.setenv("REGIOWIJZER_RERANK_MODEL", str(tmp_path / "geen-model"))
    monkeypatch.setattr("ingest.index.embedders.make_embedder", lambda settings: embedder)
    assert main(["ask", QUESTION]) == 2
    err = capsys.readouterr().err
    assert "rerankmodel" in err and "REGIOWIJZER_RERANK_MODEL" in err and "Traceback" not in err


@pytest.mark.slow
def test_with_a_cross_encoder_the_short_answer_weighs_sentences_by_the_model(corpus_index, embedder,
                                                                             tiny_model):
    from assistant.compose.checks import check_citations
    from assistant.compose.context import build_context
    from assistant.compose.evidence import gather_evidence
    from assistant.compose.pool import SentencePool
    from assistant.service import Assistant
    from tests.conftest import CORPUS

    settings, _ = corpus_index
    index = open_index(settings, embedder.identity)
    reranker = CrossEncoderReranker(str(tiny_model))
    retriever = HybridRetriever(index, embedder, cross_encoder=reranker)
    context = build_context(index, CORPUS)
    pool = SentencePool(gather_evidence(retriever, QUESTION), context)
    candidates = pool.claims[:12]
    scores = reranker.scores(QUESTION, [c.text for c in candidates])
    scaled = (scores - scores.min()) / (scores.max() - scores.min())
    closeness = pool.closeness(candidates)
    assert [closeness[c.key] for c in candidates] == pytest.approx(list(scaled), abs=1e-6)
    answer = Assistant(retriever, context).ask(QUESTION)
    assert answer.summary and check_citations(answer) == []
