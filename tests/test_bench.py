"""The benchmark: readable perturbed replicas of the corpus, and a report with every figure."""

from __future__ import annotations

import argparse
import re

import pytest

from evals.bench import (
    _spawn_phase,
    format_table,
    parse_scales,
    run_bench,
)
from evals.perturb import SYNONYMS, perturb_text, replica_name, replicate_corpus, word_count
from ingest.config import Settings

# Real excerpts, with the raw layout ingestion sees: hard line breaks, a split word, a heading.
REGIODENKEN = """Arbeidsmarkttransacties

Het ‘regiodenken’ is ook ingeburgerd op de arbeidsmarkt. Inmiddels kennen
we 35 arbeidsmarktregio’s waarin gemeenten en UWV samenwerken op het
terrein van werk en inkomen. Deze regio’s richten zich – vaak van overheids-
wege ingestoken – vooral op arbeidsmarkttransacties tussen werkzoekenden
en bedrijfsleven, en kennistransacties tussen onderwijsinstellingen en
bedrijfsleven. Ondernemers zoeken mensen. Onderwijsorganisaties willen
hun onderwijs laten aansluiten op regionale vraag. Overheden willen mensen
uit sociale vangnetten helpen en economische stabiliteit.
"""

REPORT = """Uit het onderzoek

'Als er al een goed werkende economic board is, dan is er de mogelijkheid om daar

mee samen te werken. Als er 'niets' is, dan moet een gemeente vanzelfsprekend meer

het voortouw kiezen in het tot stand brengen van samenwerking.' (p. 185)

HOE MAAK IK DUIDELIJK WAT IK WIL EN WAAROM
"""

WORD = re.compile(r"[^\W_]+(?:[’'][^\W_]+)?")


def words(text: str) -> list[str]:
    return [w.lower() for w in WORD.findall(text)]


def test_perturbation_is_deterministic_per_seed():
    assert perturb_text(REGIODENKEN, 7) == perturb_text(REGIODENKEN, 7)
    assert perturb_text(REPORT, "a:1") == perturb_text(REPORT, "a:1")
    assert len({perturb_text(REGIODENKEN, seed) for seed in range(6)}) == 6


@pytest.mark.parametrize("text", [
    REGIODENKEN, REPORT,
    "Dit staat er zo.",  # nothing to vary
    "Een verhaal",  # a heading only
    "",
    "Gemeenten werken samen.\r\nOok bedrijven doen mee.\r\n",
])
def test_perturbation_never_returns_the_same_text(text):
    for seed in range(5):
        assert perturb_text(text, seed) != text


@pytest.mark.parametrize("seed", range(5))
def test_perturbation_keeps_words_layout_and_structure(seed):
    out = perturb_text(REGIODENKEN, seed)
    assert abs(word_count(out) - word_count(REGIODENKEN)) <= 3
    assert out.count("\n") == REGIODENKEN.count("\n")
    assert out.startswith("Arbeidsmarkttransacties\n\n")
    assert "overheids-\nwege" in out  # a word split at a line end stays joinable
    # Readable: every new word is a listed synonym (or part of one) or a nearby number.
    allowed = {w for phrase in SYNONYMS.values() for w in phrase.split()}
    for word in set(words(out)) - set(words(REGIODENKEN)):
        assert word in allowed or (word.isdigit() and abs(int(word) - 35) <= 3), word


def test_perturbation_leaves_headings_titles_and_page_references_alone():
    out = perturb_text(REPORT, 3, rate=1.0, swap_rate=1.0)
    assert out.startswith("Uit het onderzoek\n")
    assert "(p. 185)" in out
    assert "HOE MAAK IK DUIDELIJK WAT IK WIL EN WAAROM" in out
    assert "uiteraard" in out  # 'vanzelfsprekend' in the body did change


def test_synonyms_keep_case_and_sentence_swaps_keep_separators():
    assert perturb_text("Ook gemeenten doen mee aan dit overleg.", 1, rate=1.0, swap_rate=0) \
        == "Eveneens gemeentes doen mee aan dit overleg."
    text = "De raad stelt het kader vast voor de regio. Het college voert het beleid dan uit.\n"
    assert perturb_text(text, 1, rate=0, swap_rate=1.0) \
        == "Het college voert het beleid dan uit. De raad stelt het kader vast voor de regio.\n"


def test_replicated_corpus_has_distinct_files_and_texts(tmp_path):
    source = tmp_path / "bron"
    source.mkdir()
    (source / "regiodenken.txt").write_text(REGIODENKEN, encoding="utf-8")
    (source / "bronnen.toml").write_text("", encoding="utf-8")
    written = replicate_corpus(source, tmp_path / "x3", 3)
    assert [p.name for p in written] == ["regiodenken.txt", "regiodenken-kopie-002.txt",
                                         "regiodenken-kopie-003.txt"]
    texts = [p.read_text(encoding="utf-8") for p in written]
    assert texts[0] == REGIODENKEN and len(set(texts)) == 3
    assert (tmp_path / "x3" / "bronnen.toml").exists()
    assert replica_name(source / "a.pdf", 12) == "a-kopie-012.pdf"


def test_scales_parse_and_reject_nonsense():
    assert parse_scales("1,10,100") == [1, 10, 100]
    for bad in ("0", "x", ""):
        with pytest.raises(argparse.ArgumentTypeError):
            parse_scales(bad)


def test_table_shows_every_scale_and_growth():
    row = {"scale": 1, "files": 5, "passages": 195, "cold_ingest_s": 20.0, "no_change_s": 0.2,
           "search_p50_ms": 20.0, "search_p95_ms": 30.0, "first_search_s": 6.0,
           "peak_rss_mb": 800.0, "index_mb": 3.2, "answer_note": "overgeslagen",
           "load_avg_1m": [0.5, 1.0], "phases": {"ingest": {"rss_mb": 800.0, "wall_s": 21.0}}}
    report = {"machine": {"cpus": 2}, "model": "m", "questions": 30, "search_repeats": 3,
              "rows": [row, {**row, "scale": 10, "passages": 1950, "cold_ingest_s": 200.0}]}
    table = format_table(report)
    assert "| ×1 | 5 | 195 | 20.0 | 0.20 | 20.0 / 30.0 | – |" in table
    assert "| ×10 | 10.0× | 10.0× | 1.0× |" in table
    assert "Antwoorden: overgeslagen" in table


def test_two_models_side_by_side_each_grow_from_their_own_first_scale():
    row = {"scale": 1, "files": 5, "passages": 195, "cold_ingest_s": 20.0, "no_change_s": 0.2,
           "search_p50_ms": 20.0, "search_p95_ms": 30.0, "first_search_s": 6.0,
           "peak_rss_mb": 800.0, "index_mb": 3.2, "answer_note": None, "help_s": 0.41,
           "ask_cold_s": 4.2, "import_chromadb_s": 1.1,
           "load_avg_1m": [0.5, 1.0], "phases": {"ingest": {"rss_mb": 800.0, "wall_s": 21.0}}}
    old = {**row, "model": "oud", "cold_ingest_s": 10.0, "ask_cold_s": 9.5}
    rows = [{**row, "model": "nieuw"}, {**row, "model": "nieuw", "scale": 10, "cold_ingest_s": 200.0},
            old, {**old, "scale": 10, "cold_ingest_s": 50.0}]
    report = {"machine": {"cpus": 2}, "model": "nieuw, oud", "questions": 30, "search_repeats": 3,
              "rows": rows}
    table = format_table(report)
    assert "| nieuw ×1 | 5 | 195 | 20.0 |" in table and "| oud ×1 | 5 | 195 | 10.0 |" in table
    assert "| nieuw ×10 | 1.0× | 10.0× |" in table and "| oud ×10 | 1.0× | 5.0× |" in table
    assert "| nieuw ×1 | 0.41 | 4.20 | 1.10 |" in table and "| oud ×1 | 0.41 | 9.50 | 1.10 |" in table


SYNTHETIC = {
    "werkgevers.txt": "Werkgeversdienstverlening\n\nGemeenten en UWV helpen werkgevers vaak samen. "
                      "Het is belangrijk dat bedrijven één loket kennen. Ook scholen doen mee in de "
                      "regio. De aanpak vraagt om duidelijke afspraken over wie wat doet.\n",
    "raad.txt": "De rol van de raad\n\nDe gemeenteraad stelt de kaders voor regionale "
                "samenwerking. Raadsleden willen natuurlijk weten wat de regio oplevert. "
                "Daarom vragen zij om een jaarlijkse rapportage met 12 meetbare doelen.\n",
    "zuivel.txt": "Dairy Valley\n\nIn het noorden werken zuivelbedrijven, onderwijs en overheid "
                  "samen aan technisch personeel. Het tekort aan technici is een grote opgave. "
                  "Verschillende partijen delen kennis en mensen.\n",
}


@pytest.mark.slow
def test_bench_smoke_on_a_tiny_corpus(tmp_path, embedder):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    for name, text in SYNTHETIC.items():
        (corpus / name).write_text(text, encoding="utf-8")
    base = Settings(home=tmp_path / "unused", corpus_dir=corpus)
    questions = ["Wie helpt werkgevers in de regio?", "Wat wil de raad weten?",
                 "tekort aan technici"]
    report = run_bench([1, 2], base, questions, repeats=2, isolate=False, embedder=embedder,
                       workdir=tmp_path / "work", say=lambda _: None)

    rows = report["rows"]
    assert [r["scale"] for r in rows] == [1, 2]
    assert [r["files"] for r in rows] == [3, 6]
    assert rows[1]["passages"] == 2 * rows[0]["passages"] > 0
    for r in rows:
        assert r["embedded"] == r["passages"]  # cold: nothing came from a cache
        assert r["no_change_status"] == "unchanged"
        for key in ("cold_ingest_s", "search_p50_ms", "search_p95_ms",
                    "first_search_s", "peak_rss_mb", "index_mb"):
            assert r[key] > 0, key
        assert 0 <= r["no_change_s"] < r["cold_ingest_s"]  # a tiny corpus can round to 0.0
        assert r["search_samples"] == 2 * len(questions)
        assert r["search_embed_p50_ms"] > 0 and r["search_lexical_p50_ms"] >= 0
        assert r["answer_note"] is None, "the answer phase ran"
        assert r["answer_p50_ms"] > 0 and r["first_answer_s"] > 0
    assert "| ×2 | 6 |" in format_table(report)

    # The same phase in its own process, as the real run does it.
    result = _spawn_phase("reingest", tmp_path / "work" / "x1" / "corpus",
                          tmp_path / "work" / "x1" / "home", len(questions), 1)
    assert result["no_change_status"] == "unchanged"
    assert result["rss_mb"] > 0 and result["wall_s"] > 0
