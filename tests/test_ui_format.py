"""What the app shows, checked without a server: chat Markdown with [n] links, the sources panel
(escaped, cited sentence highlighted, neighbours), the route map and the document table."""

from __future__ import annotations

import re
from dataclasses import replace

import pytest

import assistant.present.chat as fmt
from assistant.compose.answer import Answer, Citation, Point, StepSection
from ingest.index.corpusdata import SourceInfo, load_routekaart
from ingest.index.layout import FileRecord
from ingest.index.passage import Passage

SCRIPT = '<script>alert("x")</script>'


def passage(pid: str, text: str, **kw) -> Passage:
    fields = dict(id=pid, doc_id="jaarbericht", title="Werkende samenwerking", kind="rapport",
                  text=text, page=12, section="Stap 1 > Wegwijzer 1", block="onderzoek", steps=[1],
                  steps_inferred=False, wegwijzer=1, speaker=None, places=[], research_pages=[],
                  position=3, prev_id=None, next_id=None)
    fields.update(kw)
    return Passage(**fields)


@pytest.fixture
def answer() -> Answer:
    p1 = passage("jaarbericht-3", "Gemeenten werken samen in de regio.\nDe raad stelt kaders. "
                                  "Dat vraagt  om\nheldere afspraken.")
    p2 = passage("regio-7", f"Een document met {SCRIPT} erin. Netwerken zijn belangrijk.",
                 doc_id="regio", title="Regio <b>denken</b>", page=None, section="", block="tekst",
                 steps=[2], wegwijzer=None)
    citations = [
        Citation(n=1, passage=p1, score=0.9, quote="De raad stelt kaders. … Dat vraagt om heldere afspraken.",
                 author="VNG", year=2018, wegwijzer_title="Laat de feiten spreken"),
        Citation(n=2, passage=p2, score=0.5, quote="Netwerken zijn belangrijk."),
    ]
    return Answer(
        question=f"Wat doet de raad? {SCRIPT}", mode="vraag", backend="none", abstained=False,
        notice="Let op <i>dit</i>", summary=[Point("De raad stelt kaders.", [1])],
        steps=[StepSection(step=1, title="Definieer het vraagstuk", wegwijzers=[1],
                           points=[Point("De raad stelt kaders.", [1])],
                           wegwijzer_titles=["Laat de feiten spreken"]),
               StepSection(step=2, title="Bepaal in welk netwerk de opgave speelt", wegwijzers=[],
                           points=[Point(f"Een document met {SCRIPT} erin.", [2])])],
        silent_steps=[3, 4, 5], examples=[], citations=citations)


def test_citation_markers_become_links_to_the_sources_panel():
    md = fmt.link_citations(r"Eerst [1], dan [2, 3]; tekst \[4\] en [een link](https://x.nl).", turn=2)
    assert "[\\[1\\]](#bron-2-1 \"Bron 1\")" in md
    assert "[\\[2\\]](#bron-2-2 \"Bron 2\")[\\[3\\]](#bron-2-3 \"Bron 3\")" in md
    assert r"\[4\]" in md and "#bron-2-4" not in md
    assert "[een link](https://x.nl)" in md


def test_chat_message_links_every_citation_and_leaves_out_the_long_source_list(answer):
    md = fmt.chat_markdown(answer, turn=3)
    assert "#### Kort antwoord" in md and "##### Stap 1 · Definieer het vraagstuk" in md
    assert "(#bron-3-1 " in md and "(#bron-3-2 " in md
    assert "## Bronnen" not in md and "> Gemeenten werken samen" not in md
    assert "# Vraag:" not in md, "the question is already the user's message"
    assert md.startswith("*Let op &lt;i&gt;dit&lt;/i&gt;*"), "the notice stays with its answer"
    assert "**Bronnen:** Werkende samenwerking [\\[1\\]](#bron-3-1 \"Bron 1\"); Regio &lt;b&gt;denken" in md


def test_chat_message_never_carries_raw_html(answer):
    md = fmt.chat_markdown(answer, turn=1)
    assert "<" not in md
    assert "&lt;script&gt;" in md
    llm_prose = f"Volgens de bron {SCRIPT} [1]."
    assert "<" not in fmt.stream_markdown(llm_prose, 1)
    assert "(#bron-1-1 " in fmt.stream_markdown(llm_prose, 1)


def test_sources_panel_escapes_document_text_and_highlights_the_cited_sentence(answer):
    html = fmt.sources_html(answer, turn=4)
    assert "<script" not in html and "<b>" not in html
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in html
    assert 'id="bron-4-1"' in html and 'id="bron-4-2"' in html
    marks = re.findall(r'<mark class="rw-cited">(.*?)</mark>', html, re.S)
    # Both quoted sentences of [1], although the passage wraps and double-spaces one of them.
    assert marks[:2] == ["De raad stelt kaders.", "Dat vraagt  om\nheldere afspraken."]
    assert marks[2] == "Netwerken zijn belangrijk."
    assert "Gemeenten werken samen in de regio." in html.split("<mark")[0]


def test_source_card_names_title_page_wegwijzer_and_block(answer):
    card = fmt.source_card(answer.citations[0], turn=1)
    assert "[1]</span> Werkende samenwerking" in card
    assert "VNG · 2018 · p. 12 · Wegwijzer 1: Laat de feiten spreken · uit het onderzoek" in card
    second = fmt.source_card(answer.citations[1], turn=1)
    assert "onbekend" not in second and "lopende tekst" in second  # what is known, nothing else


def test_neighbouring_passages_can_be_opened(answer):
    before = passage("jaarbericht-2", "De tekst ervoor <em>met tag</em>.", page=11)
    html = fmt.sources_html(answer, turn=1, neighbours={1: (before, None)})
    assert '<details class="rw-neighbour"><summary>Passage ervoor (p. 11)</summary>' in html
    assert "De tekst ervoor &lt;em&gt;met tag&lt;/em&gt;." in html
    assert "Passage erna" not in html


def test_sources_of_earlier_answers_stay_reachable_but_folded(answer):
    earlier = replace(answer, question="Eerdere vraag")
    html = fmt.sources_html(answer, turn=3, earlier=[(2, earlier)])
    current, folded = html.split('<details class="rw-earlier">')
    assert 'id="bron-3-1"' in current and 'id="bron-2-1"' in folded
    assert '<summary title="Eerdere vraag">Bronnen bij een eerdere vraag: Eerdere vraag</summary>' in folded


def test_the_sources_heading_shortens_a_long_question_between_words(answer):
    long = "Hoe kan de gemeenteraad grip houden op regionale samenwerking " * 40
    html = fmt.sources_html(replace(answer, question=long), turn=1)
    heading = html.split("<h3", 1)[1].split("</h3>", 1)[0]
    shown = heading.split(">", 1)[1]
    assert len(shown) <= len("Bronnen bij: ") + fmt.HEADING_CHARS and shown.endswith("…")
    assert shown.removeprefix("Bronnen bij: ")[:-1].split()[-1] in long.split(), "cut between words"


@pytest.mark.parametrize(("quote", "marked"), [
    ("Hoe zit het met de legitimiteit?", "hoe zit het met de legitimiteit?"),  # "En hoe" trimmed
    ("‘Eén van de heikele punten is structuur.’", "Eén van de heikele punten is structuur."),
    ("Eén van de heikele punten is structuur.", "Eén van de heikele punten is structuur."),
])
def test_highlight_finds_a_quote_that_was_trimmed_or_requoted(quote, marked):
    text = "Vragen. En hoe zit het met de legitimiteit? • ‘Eén van de heikele punten is structuur. Verder."
    assert f'<mark class="rw-cited">{fmt.esc(marked)}</mark>' in fmt.highlight(text, quote)


def test_highlight_without_a_matching_quote_marks_nothing():
    assert fmt.highlight("a < b", "iets anders") == "a &lt; b"
    assert fmt.highlight("a < b", None) == "a &lt; b"
    assert fmt.highlight("", "x") == ""


def test_empty_panels_say_so(answer):
    assert "Hier verschijnen de passages" in fmt.sources_html(None, 0)
    answer.citations = []
    assert "geen bronnen" in fmt.sources_html(answer, 1)


def test_route_map_shows_five_steps_ten_wegwijzers_and_marks_the_covered_ones(answer):
    routekaart = load_routekaart()
    steps, wegwijzers = fmt.covered(answer)
    assert (steps, wegwijzers) == ({1, 2}, {1})
    html = fmt.route_map_html(routekaart, steps, wegwijzers, focus=2)
    assert len(re.findall(r'data-step="\d"', html)) == 5
    assert len(re.findall(r'class="rw-ww', html)) == 10
    assert re.search(r'class="rw-step rw-covered"><button[^>]*data-step="1"', html)
    assert re.search(r'class="rw-step rw-covered rw-focus"><button[^>]*data-step="2"', html)
    assert re.search(r'class="rw-step"><button[^>]*data-step="3"', html)
    assert html.count("(in dit antwoord)") == 3  # steps 1 and 2, wegwijzer 1: not by colour alone
    assert "Wegwijzer 1: Laat de feiten spreken" in html


def test_an_abstained_answer_covers_no_step(answer):
    answer.abstained = True
    assert fmt.covered(answer) == (set(), set())
    assert fmt.covered(None) == (set(), set())


def test_document_rows_show_the_indexed_documents_only():
    files = {
        "b.txt": FileRecord("b.txt", "x", "b", "Beter samenwerken", "artikel", 12),
        "a.pdf": FileRecord("a.pdf", "y", "a", "Atlas <i>regio</i>", "rapport", 40),
        "kapot.pdf": FileRecord("kapot.pdf", "z", "", "", "", 0, skipped="versleuteld"),
    }
    info = SourceInfo(id="b", file="b.txt", title="Beter samenwerken", author="VNG", year=2018,
                      kind="artikel", source=None, description="")
    rows = fmt.document_rows(files, {"b.txt": info})
    assert rows == [
        ["Atlas <i>regio</i>", "rapport", "onbekend", "40", "a.pdf"],  # a table cell is text
        ["Beter samenwerken", "artikel", "2018", "12", "b.txt"],
    ], "a file the index skipped is not a document"
    assert len(fmt.DOCUMENT_HEADERS) == len(rows[0])


def test_progressive_chunks_grow_to_the_whole_message_and_never_cut_a_link(answer):
    md = fmt.chat_markdown(answer, 1)
    chunks = fmt.progressive(md, chunks=3)
    assert 2 <= len(chunks) <= 4
    assert chunks[-1] == md
    assert all(md.startswith(c) for c in chunks)
    assert all(c.count("[\\[") == c.count("](#bron-") for c in chunks)
    assert fmt.progressive("één alinea") == ["één alinea"]


def test_notice_and_backend_status_are_escaped(answer):
    assert fmt.notice_markdown(answer) == "**Let op:** Let op &lt;i&gt;dit&lt;/i&gt;"
    assert fmt.notice_markdown(None) == ""
    none = fmt.backend_markdown("geen taalmodel (extractief)", "none")
    assert "extractief" in none and "REGIOWIJZER_LLM" in none
    down = fmt.backend_markdown("ollama · llama3.1:8b", "down", notice="time-out na 60 s")
    assert "antwoordt niet" in down and "time-out na 60 s" in down
