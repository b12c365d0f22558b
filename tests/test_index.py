"""Ingestion into a real Chroma store and a real BM25 index, on the real corpus."""

from __future__ import annotations

import errno
import shutil
import statistics

import pytest
from seed import pristine_corpus

import ingest.index.layout as layout
from assistant.retrieval.hybrid import Filters, HybridRetriever
from ingest.build import IngestError, ingest
from ingest.config import Settings
from ingest.index.reader import IndexUnavailable, open_index

CORPUS = pristine_corpus()

pytestmark = pytest.mark.slow

SMALL_DOCS = ["regiodenken.txt", "vng-nieuws-werkende-samenwerking.txt",
              "handreiking-werkgeversdienstverlening.txt"]


class CountingEmbedder:
    """The real embedder, counting how many passages it is asked to embed."""

    def __init__(self, inner):
        self.inner = inner
        self.embedded = 0

    name = property(lambda self: self.inner.name)
    identity = property(lambda self: self.inner.identity)

    def embed_passages(self, texts):
        self.embedded += len(texts)
        return self.inner.embed_passages(texts)

    def embed_query(self, text):
        return self.inner.embed_query(text)


@pytest.fixture
def small_corpus(corpus_of):
    return corpus_of(*SMALL_DOCS)


def test_corpus_index_has_checkable_passages(corpus_index):
    settings, report = corpus_index
    index = open_index(settings)
    passages = index.passages
    assert report.skipped == []
    assert {p.doc_id for p in passages} == {
        "regiodenken", "vng-nieuws-werkende-samenwerking", "handreiking-werkgeversdienstverlening",
        "triple-helix-regionale-werkzekerheid", "vng-denktank-jaarbericht-2018"}
    words = [p.words for p in passages]
    assert 60 <= statistics.median(words) <= 150
    assert max(words) <= 200, "a passage a reader cannot check at a glance"
    assert len({p.id for p in passages}) == len(passages)
    by_id = {p.id: p for p in passages}
    for p in passages:
        if p.next_id:
            assert by_id[p.next_id].prev_id == p.id


def test_report_structure_is_recognised(corpus_index):
    settings, _ = corpus_index
    report = [p for p in open_index(settings).passages if p.doc_id == "vng-denktank-jaarbericht-2018"]
    blocks = {(p.wegwijzer, p.block) for p in report if p.wegwijzer}
    for number in range(1, 11):
        for block in ("verhaal", "onderzoek", "handreiking"):
            assert (number, block) in blocks, f"wegwijzer {number} misses its {block} block"
    paling = [p for p in report if p.speaker and "Fred Paling" in p.speaker]
    assert paling and all(p.wegwijzer == 1 and p.block == "verhaal" for p in paling)
    research = [p for p in report if p.block == "onderzoek" and "(p.180)" in p.text.replace(" ", "")]
    assert research and "180" in research[0].research_pages[0]
    assert all(not p.steps_inferred for p in report if p.wegwijzer)
    quadrant = [p for p in report if p.block == "perspectief"]
    assert quadrant and all(p.steps == [3] for p in quadrant)


def test_other_documents_get_inferred_steps_and_places(corpus_index):
    settings, _ = corpus_index
    passages = open_index(settings).passages
    others = [p for p in passages if p.doc_id != "vng-denktank-jaarbericht-2018"]
    assert any(p.steps and p.steps_inferred for p in others)
    assert any("Aan de Slag Zeeland" in p.places for p in passages)  # "Zeeland" is its alias
    assert any("Brainport Eindhoven" in p.places for p in passages)


def test_unchanged_corpus_is_not_rebuilt(corpus_index, embedder):
    settings, first = corpus_index
    counting = CountingEmbedder(embedder)
    again = ingest(settings, progress=False, embedder=counting)
    assert again.status == "unchanged"
    assert again.build == first.build
    assert counting.embedded == 0


def test_reingest_embeds_only_changed_files_and_drops_deleted_ones(small_corpus, embedder):
    settings = Settings(home=small_corpus.parent / "home", corpus_dir=small_corpus)
    from ingest.index.sentence_vectors import passage_sentence_texts

    def sentences() -> set[str]:
        return {t for p in open_index(settings).passages for t in passage_sentence_texts(p)}

    counting = CountingEmbedder(embedder)
    first = ingest(settings, progress=False, embedder=counting)
    before = sentences()
    # every passage and every sentence embedded once
    assert first.status == "built" and counting.embedded == first.passages + len(before)

    counting.embedded = 0
    with (small_corpus / "regiodenken.txt").open("a", encoding="utf-8") as fh:
        fh.write("\n\nNieuwe alinea over grensgangers in de zorg, toegevoegd voor deze test. "
                 "Zij verbinden werkgevers en onderwijs in de regio.\n")
    (small_corpus / "vng-nieuws-werkende-samenwerking.txt").unlink()
    second = ingest(settings, progress=False, embedder=counting)
    assert second.removed == ["vng-nieuws-werkende-samenwerking.txt"]
    # only the changed passages and the sentences not seen before are embedded again
    assert 0 < second.embedded <= 3
    assert counting.embedded == second.embedded + len(sentences() - before)
    assert second.reused_files == 1
    doc_ids = {p.doc_id for p in open_index(settings).passages}
    assert "vng-nieuws-werkende-samenwerking" not in doc_ids
    assert any("grensgangers in de zorg" in p.text for p in open_index(settings).passages)


def test_failed_build_leaves_previous_index_usable(small_corpus, embedder, monkeypatch):
    settings = Settings(home=small_corpus.parent / "home", corpus_dir=small_corpus)
    ingest(settings, progress=False, embedder=embedder)
    before = open_index(settings)

    (small_corpus / "extra.txt").write_text("Een nieuw document over regionale samenwerking. " * 20,
                                            encoding="utf-8")

    def disk_full(*args, **kwargs):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr("ingest.index.lexical.build_bm25", disk_full)
    with pytest.raises(IngestError, match="vorige index blijft actief"):
        ingest(settings, progress=False, embedder=embedder)

    after = open_index(settings)
    assert after.build == before.build
    assert len(after.passages) == len(before.passages)
    assert sorted(p.name for p in settings.index_root.glob("build-*")) == [before.build.name]
    hits = HybridRetriever(after, embedder).search("grensgangers", k=3)
    assert hits


def test_bad_files_are_skipped_with_a_reason_and_the_rest_indexed(small_corpus, embedder):
    (small_corpus / "kapot.pdf").write_bytes(b"%PDF-1.7 dit is geen echte pdf")
    (small_corpus / "leeg.txt").write_text("", encoding="utf-8")
    (small_corpus / "tabel.xlsx").write_bytes(b"PK\x03\x04")
    (small_corpus / "notities").write_text("zonder extensie", encoding="utf-8")
    settings = Settings(home=small_corpus.parent / "home", corpus_dir=small_corpus)
    report = ingest(settings, progress=False, embedder=embedder)
    skipped = dict(report.skipped)
    assert set(skipped) == {"kapot.pdf", "leeg.txt", "tabel.xlsx", "notities"}
    assert all(reason for reason in skipped.values())
    assert {p.doc_id for p in open_index(settings).passages} == {
        "regiodenken", "vng-nieuws-werkende-samenwerking", "handreiking-werkgeversdienstverlening"}
    # Still skipped (and still reported) when nothing changed.
    again = ingest(settings, progress=False, embedder=embedder)
    assert again.status == "unchanged" and set(dict(again.skipped)) == set(skipped)


def test_opening_with_another_model_asks_for_a_rebuild(corpus_index):
    settings, _ = corpus_index
    with pytest.raises(IndexUnavailable, match="ingest --rebuild"):
        open_index(settings, "intfloat/multilingual-e5-small|q='query: '|p='passage: '")


def test_no_index_gives_a_clear_message(tmp_path):
    with pytest.raises(IndexUnavailable, match="regiowijzer ingest"):
        open_index(Settings(home=tmp_path / "leeg"))


def test_filters_really_filter(corpus_index, embedder):
    settings, _ = corpus_index
    retriever = HybridRetriever(open_index(settings), embedder)
    question = "hoe werken gemeenten samen met werkgevers?"
    for filters, check in [
        (Filters(kinds=("handreiking",)), lambda p: p.kind == "handreiking"),
        (Filters(steps=(3,)), lambda p: 3 in p.steps),
        (Filters(doc_ids=("regiodenken",)), lambda p: p.doc_id == "regiodenken"),
    ]:
        hits = retriever.search(question, k=5, filters=filters)
        assert hits and all(check(h.passage) for h in hits)


def test_bm25_reloads_with_dutch_analysis(corpus_index):
    settings, _ = corpus_index
    lexical = open_index(settings).lexical
    # Dutch stemming joins inflections; an English analyzer would not.
    assert lexical.query_tokens("gemeenten") == lexical.query_tokens("gemeente")
    assert lexical.query_tokens("de het een") == []
    build = layout.current_build(settings.index_root)
    assert (build / layout.BM25_DIR / "analyzer.json").exists()


def test_each_build_saves_its_route_map_and_character_gram_fields(corpus_index):
    settings, _ = corpus_index
    index = open_index(settings)
    build = layout.current_build(settings.index_root)
    for directory in (layout.CONTEXT_DIR, layout.GRAMS_DIR):
        assert (build / directory / "analyzer.json").exists()
    assert index.context.size == index.grams.size == len(index.passages)
    # The route-map field knows the wegwijzer titles; the gram field knows word pieces.
    ww6 = [i for i, p in enumerate(index.passages) if p.wegwijzer == 6]
    titles = index.context.scores("legitimeer")
    assert titles[ww6].min() > 0 and titles.argmax() in ww6
    eindhoven = [i for i, p in enumerate(index.passages) if "Eindhoven" in p.text]
    assert not index.lexical.scores("Eindhovense").any()
    assert index.grams.scores("Eindhovense").argmax() in eindhoven


def test_a_build_from_before_the_saved_fields_still_searches(small_corpus, embedder):
    settings = Settings(home=small_corpus.parent / "home", corpus_dir=small_corpus)
    ingest(settings, progress=False, embedder=embedder)
    build = layout.current_build(settings.index_root)
    question = "Hoe betrek je werkgevers bij de regio?"
    before = [h.passage.id for h in HybridRetriever(open_index(settings), embedder).search(question)]
    for directory in (layout.CONTEXT_DIR, layout.GRAMS_DIR):
        shutil.rmtree(build / directory)
    old = open_index(settings)
    assert old.context is None and old.grams is None
    hits = HybridRetriever(old, embedder).search(question)
    assert hits and hits[0].passage.id in before


def test_the_same_document_twice_is_indexed_once(small_corpus, embedder):
    shutil.copy(small_corpus / "regiodenken.txt", small_corpus / "regiodenken-kopie.txt")
    settings = Settings(home=small_corpus.parent / "home", corpus_dir=small_corpus)
    report = ingest(settings, progress=False, embedder=embedder)
    skipped = dict(report.skipped)
    assert list(skipped) == ["regiodenken.txt"] or list(skipped) == ["regiodenken-kopie.txt"]
    assert "dubbel document" in next(iter(skipped.values()))
    texts = [p.text for p in open_index(settings).passages]
    assert len(texts) == len(set(texts)), "no passage is indexed twice"
