"""What a document is to the index: its path in the corpus, only regular files, and a build key
that follows the code that shapes passages."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys

import pytest
from seed import pristine_corpus

from assistant.retrieval.hybrid import Filters, HybridRetriever
from ingest.build import ingest
from ingest.buildkey import SHAPING_SOURCES, build_key, source_digest, source_files
from ingest.config import REPO_ROOT, Settings
from ingest.corpusfiles import document_ids
from ingest.index.reader import open_index

pytestmark = pytest.mark.slow

NOTULEN_TXT = ("Notulen van het regio-overleg. De wethouders bespraken de kwartelkoning-aanpak "
               "voor werkzoekenden in de arbeidsmarktregio en spraken af elkaar elk kwartaal "
               "te zien. ") * 6
NOTULEN_MD = ("# Notulen\n\nIn het overleg over flurbopinkels legde de projectleider uit hoe "
              "flurbopinkels werkgevers en scholen verbinden. Iedereen vond de flurbopinkel "
              "een goed idee voor de regio.\n") * 6


def _settings(corpus):
    return Settings(home=corpus.parent / "home", corpus_dir=corpus)


def _nowhere(settings, embedder, word: str) -> None:
    """`word` is in no passage, no BM25 vocabulary and no search hit of the active index."""
    index = open_index(settings, embedder.identity)
    assert not any(word in p.text.lower() for p in index.passages)
    assert index.lexical.query_tokens(word) == []
    assert index.vectors.count() == len(index.passages)
    hits = HybridRetriever(index, embedder).search(word, k=20)
    assert not any(word in h.passage.text.lower() for h in hits)


def test_same_stem_different_suffix_are_two_documents_and_a_deleted_one_leaves_nothing(
        corpus_of, embedder):
    corpus = corpus_of("regiodenken.txt")
    (corpus / "notulen.txt").write_text(NOTULEN_TXT, encoding="utf-8")
    (corpus / "notulen.md").write_text(NOTULEN_MD, encoding="utf-8")
    settings = _settings(corpus)
    report = ingest(settings, progress=False, embedder=embedder)
    assert report.skipped == []
    index = open_index(settings, embedder.identity)
    ids = {p.doc_id for p in index.passages}
    assert {"regiodenken", "notulen-txt", "notulen-md"} == ids
    hits = HybridRetriever(index, embedder).search("flurbopinkels", k=3,
                                                   filters=Filters(doc_ids=("notulen-md",)))
    assert hits and all(h.passage.doc_id == "notulen-md" for h in hits)
    txt_ids = sorted(p.id for p in index.passages if p.doc_id == "notulen-txt")
    del index

    (corpus / "notulen.md").unlink()
    again = ingest(settings, progress=False, embedder=embedder)
    assert again.removed == ["notulen.md"] and again.reused_files == 2
    index = open_index(settings, embedder.identity)
    assert {p.doc_id for p in index.passages} == {"regiodenken", "notulen-txt"}
    assert sorted(p.id for p in index.passages if p.doc_id == "notulen-txt") == txt_ids
    assert len(HybridRetriever(index, embedder).search(
        "flurbopinkels", k=5, filters=Filters(doc_ids=("notulen-md",)))) == 0
    _nowhere(settings, embedder, "flurbopinkel")


def test_a_renamed_file_gets_its_new_name_and_the_old_one_is_gone(corpus_of, embedder):
    corpus = corpus_of("regiodenken.txt")
    (corpus / "notulen.md").write_text(NOTULEN_MD, encoding="utf-8")
    settings = _settings(corpus)
    ingest(settings, progress=False, embedder=embedder)
    (corpus / "notulen.md").rename(corpus / "verslag-overleg.md")
    report = ingest(settings, progress=False, embedder=embedder)
    assert report.removed == ["notulen.md"]
    assert report.embedded == 0, "the same text keeps its cached vectors under its new id"
    index = open_index(settings, embedder.identity)
    assert {p.doc_id for p in index.passages} == {"regiodenken", "verslag-overleg-md"}
    assert {r.name for r in index.manifest.files.values()} == {"regiodenken.txt",
                                                                "verslag-overleg.md"}


def test_ids_of_the_shipped_corpus_come_from_bronnen_and_others_from_their_path():
    from ingest.index.corpusdata import load_manifest

    manifest = load_manifest(pristine_corpus())
    names = [*manifest, "notulen.txt", "notulen.md", "a b.txt", "a-b.txt", "regiodenken.pdf"]
    ids = document_ids(names, manifest)
    assert ids["vng-denktank-jaarbericht-2018.txt"] == "vng-denktank-jaarbericht-2018"
    assert all(ids[name] == info.id for name, info in manifest.items())
    assert (ids["notulen.txt"], ids["notulen.md"]) == ("notulen-txt", "notulen-md")
    assert ids["a b.txt"] != ids["a-b.txt"] and ids["a b.txt"].startswith("a-b-txt-")
    assert ids["regiodenken.pdf"] == "regiodenken-pdf"  # not the id bronnen gives the .txt
    assert len(set(ids.values())) == len(ids)
    assert document_ids(["a-b.txt", "a b.txt"], manifest) == {k: ids[k] for k in ("a-b.txt", "a b.txt")}


def test_links_and_pipes_are_not_read_even_to_files_inside_and_are_reported(tmp_path, corpus_of):
    corpus = corpus_of("regiodenken.txt")
    outside = tmp_path / "geheim.txt"
    outside.write_text("Het snorvatelplan van de directie blijft geheim. " * 20, encoding="utf-8")
    (corpus / "geheim.txt").symlink_to(outside)
    (corpus / "ook-regiodenken.txt").symlink_to(corpus / "regiodenken.txt")
    os.mkfifo(corpus / "pijp.txt")
    env = dict(os.environ, REGIOWIJZER_HOME=str(tmp_path / "home"))
    done = subprocess.run([sys.executable, "-m", "assistant.cli.main", "ingest", "--corpus",
                           str(corpus), "--quiet"], env=env, capture_output=True, text=True,
                          timeout=300, cwd=REPO_ROOT)
    assert done.returncode == 1, done.stderr
    assert "Overgeslagen: geheim.txt: symbolische koppeling: niet gevolgd" in done.stderr
    assert "Overgeslagen: ook-regiodenken.txt: symbolische koppeling" in done.stderr
    assert "Overgeslagen: pijp.txt: geen gewoon bestand (named pipe)" in done.stderr
    assert "Traceback" not in done.stderr
    searched = subprocess.run([sys.executable, "-m", "assistant.cli.main", "search",
                               "snorvatelplan directie", "--json", "--k", "10"], env=env,
                              capture_output=True, text=True, timeout=300, cwd=REPO_ROOT)
    assert searched.returncode == 0
    hits = json.loads(searched.stdout)["hits"]
    assert hits and not any("snorvatel" in hit["text"].lower() for hit in hits)
    settings = Settings(home=tmp_path / "home", corpus_dir=corpus)
    index = open_index(settings)
    assert {p.doc_id for p in index.passages} == {"regiodenken"}
    assert index.lexical.query_tokens("snorvatelplan") == []


def test_every_module_the_pipeline_runs_is_part_of_the_build_key():
    """A new cleaning or cutting module that is not hashed would not trigger a rebuild."""
    code = ("import sys, ingest.build, ingest.pipeline, ingest.read;"
            "print('\\n'.join(m.__file__ for n, m in sys.modules.items()"
            " if n.startswith('ingest') and getattr(m, '__file__', None)))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         cwd=REPO_ROOT, check=True).stdout.split()
    package = REPO_ROOT / "ingest"
    loaded = {os.path.relpath(path, package) for path in out}
    hashed = {os.path.relpath(path, package) for path in source_files()}
    not_shaping = {"config.py", "buildkey.py", "index/lock.py", "index/readers.py",
                   "index/reader.py"}
    unhashed = {m for m in loaded - hashed - not_shaping
                if not m.endswith("__init__.py") and not m.startswith("index/embedders/")}
    assert unhashed == set()
    assert all((package / name).exists() for name in SHAPING_SOURCES)


def test_changed_cutting_code_rebuilds_and_unchanged_code_does_not(tmp_path, corpus_of):
    """A copy of the code with other passage sizes, run as the real command: the build key
    sees the change in the source and the next ingest cuts again."""
    src = tmp_path / "src"
    for package in ("ingest", "assistant"):
        shutil.copytree(REPO_ROOT / package, src / package,
                        ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copytree(pristine_corpus(), src / "corpus")
    corpus = corpus_of("regiodenken.txt", "vng-nieuws-werkende-samenwerking.txt")
    env = dict(os.environ, REGIOWIJZER_HOME=str(tmp_path / "home"), PYTHONPATH=str(src))

    def run():
        done = subprocess.run([sys.executable, "-m", "assistant.cli.main", "ingest", "--corpus",
                               str(corpus), "--quiet"], env=env, capture_output=True,
                              text=True, timeout=300, cwd=src)
        assert done.returncode == 0, done.stderr
        return done.stdout

    assert "Index gebouwd" in run()
    settings = Settings(home=tmp_path / "home", corpus_dir=corpus)
    before = open_index(settings).passages
    assert "Index is actueel" in run()

    passages_py = src / "ingest" / "passages.py"
    text = passages_py.read_text(encoding="utf-8")
    for old, new in (("TARGET_WORDS = 100", "TARGET_WORDS = 40"),
                     ("MAX_WORDS = 150", "MAX_WORDS = 60"), ("MIN_WORDS = 60", "MIN_WORDS = 20")):
        assert old in text
        text = text.replace(old, new)
    passages_py.write_text(text, encoding="utf-8")
    assert "Index gebouwd" in run()
    after = open_index(settings).passages
    assert len(after) > 1.5 * len(before)
    assert max(p.words for p in after) < max(p.words for p in before)
    assert "Index is actueel" in run()


def test_build_key_follows_the_source_bytes_and_the_data_files(tmp_path, corpus_of):
    corpus = corpus_of("regiodenken.txt")
    root = tmp_path / "pkg"
    shutil.copytree(REPO_ROOT / "ingest", root, ignore=shutil.ignore_patterns("__pycache__"))
    first = build_key(corpus, root)
    assert build_key(corpus, root) == first
    (root / "clean.py").write_text((root / "clean.py").read_text() + "\n# tweak\n")
    source_digest.cache_clear()  # computed once per process; a new process sees the change
    second = build_key(corpus, root)
    assert second != first
    with (corpus / "plaatsen.toml").open("a", encoding="utf-8") as fh:
        fh.write("\n# nieuwe plaats volgt\n")
    assert build_key(corpus, root) != second
