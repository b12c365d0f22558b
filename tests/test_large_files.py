"""Large files: reading, cleaning and cutting stay linear in the size of the text.

A 49.5 MB text file once took 763 s to read; the shapes below were quadratic then (a
sentence full of abbreviations took 28 s at 5,000 of them, a run of blank lines 11 s at
20,000). Each is now processed in well under a second, so a generous CPU budget catches a
return of the quadratic loop without being sensitive to a busy machine.
"""

from __future__ import annotations

import time

from seed import pristine_corpus

from ingest.clean import clean_pages
from ingest.index.corpusdata import find_data_file, load_routekaart
from ingest.index.sentences import split_sentences
from ingest.model import Page
from ingest.passages import DocumentInfo, make_passages
from ingest.pipeline import route_map_names, step_cues
from ingest.steps import infer_steps
from ingest.structure import detect_structure

CORPUS = pristine_corpus()


def _cpu(fn, *args):
    start = time.process_time()
    result = fn(*args)
    return result, time.process_time() - start


def test_a_sentence_full_of_abbreviations_is_split_in_linear_time():
    text = " ".join(["Zie bijv. Dr. J. Jansen en o.a. mevr. P. de Vries"] * 20_000) + "."
    sentences, seconds = _cpu(split_sentences, text)
    assert sentences == [text], "abbreviations and initials never end a sentence"
    assert seconds < 5


def test_a_long_run_of_blank_lines_does_not_slow_down_cleaning():
    text = ("Een regel die eindigt op een afge-\n" + "\n" * 200_000
            + "broken woord, en de zin gaat verder.\n\nNieuwe alinea over de regio.")
    paragraphs, seconds = _cpu(clean_pages, [Page(None, text)])
    assert seconds < 5
    assert [p.text for p in paragraphs][-1] == "Nieuwe alinea over de regio."
    assert "broken woord" in paragraphs[0].text


def test_a_paragraph_of_many_wrapped_lines_is_joined_in_linear_time():
    line = "de samenwerking in de regio gaat verder met werkgevers en scholen"
    paragraphs, seconds = _cpu(clean_pages, [Page(None, "\n".join([line] * 20_000))])
    assert seconds < 10
    assert len(paragraphs) == 1 and paragraphs[0].text.count("werkgevers") == 20_000


def test_a_few_megabytes_of_corpus_text_are_cut_at_a_steady_rate():
    """Two sizes of the same text: passages grow with the text and the time per megabyte
    does not (the bigger one may take at most twice as long per megabyte)."""
    routekaart = load_routekaart(find_data_file(CORPUS, "routekaart.toml"))
    cues = step_cues(routekaart)
    base = "\n\n".join(p.read_text(encoding="utf-8") for p in sorted(CORPUS.glob("*.txt")))

    def cut(copies: int):
        paragraphs = clean_pages([Page(None, "\n\n".join([base] * copies))])
        sections = detect_structure(paragraphs, route_map_names(routekaart))
        info = DocumentInfo(doc_id="groot", title="Groot", kind="document")
        return make_passages(sections, info, lambda t: infer_steps(t, cues), lambda t: [])

    small, small_s = _cpu(cut, 2)
    large, large_s = _cpu(cut, 8)
    assert len(large) >= 3.5 * len(small)
    assert large_s / 4 <= 2 * max(small_s, 0.05)
