"""Markdown and DOCX exports: numbered references, exact passage quotes, document text as text."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from assistant.compose.answer import Answer, Citation, Point, StepSection
from assistant.present.docx import ExportError, to_docx, write_answer
from assistant.present.markdown import md_text, to_markdown

sys.path.insert(0, str(Path(__file__).parent))
from answer_helpers import corpus_assistant, passage  # noqa: E402

SCRIPT = "<script>alert('x')</script>"
P1 = passage("a", f"Weefsel groeit met de tijd. {SCRIPT} En *vertrouwen* is [1] de basis.",
             block="handreiking", steps=[4], wegwijzer=8, page=12)
P2 = passage("b", "In Agrifood Capital is het weefsel sterk.\n\nDe partners kennen elkaar al lang.",
             block="verhaal", steps=[4], places=["Agrifood Capital Oost-Brabant"],
             speaker="Jack Mikkers, burgemeester")


def _answer(mode: str = "vraag") -> Answer:
    citations = [Citation(1, P1, 0.9, author="VNG", year=2018, wegwijzer_title="Vind wat verbindt"),
                 Citation(2, P2, 0.8)]
    return Answer(
        question="Wat is <b>weefsel</b>?", mode=mode, backend="none", abstained=False, notice=None,
        summary=[Point("Weefsel groeit met de tijd.", [1])],
        steps=[StepSection(4, "Investeer in gedeeld denken", [8], [Point("Weefsel groeit met de tijd.", [1])],
                           ["Vind wat verbindt"])],
        silent_steps=[1, 2, 3, 5], examples=[Point("In Agrifood Capital is het weefsel sterk.", [2])],
        citations=citations,
        extras={"raadsvragen": [Point("Hoe versterkt het college het weefsel?", origin="template")]})


def test_markdown_has_dutch_headings_markers_references_and_quotes():
    md = to_markdown(_answer())
    for part in ("## Kort antwoord", "## Langs de routekaart", "### Stap 4 · Investeer in gedeeld denken",
                 "Wegwijzer 8: Vind wat verbindt", "## Voorbeelden uit de praktijk",
                 "## Vragen die u in de raad kunt stellen", "## Bronnen"):
        assert part in md
    assert "Weefsel groeit met de tijd. [1]" in md
    assert "Over stappen 1, 2, 3 en 5 zeggen de bronnen niets bij deze vraag." in md
    assert "[1] Testdocument. VNG, 2018, p. 12, Wegwijzer 8: Vind wat verbindt" in md
    assert "Jack Mikkers, burgemeester" in md
    assert "> In Agrifood Capital is het weefsel sterk." in md
    assert "> De partners kennen elkaar al lang." in md


def test_html_and_markdown_in_documents_render_as_text():
    from markdown_it import MarkdownIt

    md = to_markdown(_answer())
    assert "&lt;" not in md and "&amp;" not in md, "the file is plain text, not HTML entities"
    html = MarkdownIt("commonmark").render(md)
    assert "<script>" not in html and "<b>" not in html, "a viewer shows the tags, runs nothing"
    assert "&lt;script&gt;alert('x')&lt;/script&gt;" in html
    assert "*vertrouwen* is [1] de basis" in html
    assert md_text("# kop\n> quote\n- punt") == "\\# kop\n\\> quote\n\\- punt"


def test_ampersands_stay_ampersands_and_entities_in_sources_stay_text():
    from markdown_it import MarkdownIt

    answer = _answer()
    answer.summary = [Point("Sociale Zaken & Werkgelegenheid; in HTML schrijf je &amp;.", [1])]
    md = to_markdown(answer)
    assert "Sociale Zaken & Werkgelegenheid" in md
    shown = MarkdownIt("commonmark").render(md)
    assert "Sociale Zaken &amp; Werkgelegenheid; in HTML schrijf je &amp;amp;." in shown


def test_docx_has_headings_numbered_references_and_the_quotes(tmp_path):
    import docx

    path = to_docx(_answer(), tmp_path / "antwoord.docx")
    doc = docx.Document(str(path))
    texts = [p.text for p in doc.paragraphs]
    headings = [p.text for p in doc.paragraphs if p.style.name.startswith(("Heading", "Title"))]
    assert "Kort antwoord" in headings and "Bronnen" in headings
    assert any(t.startswith("[1] Testdocument. VNG, 2018") for t in texts)
    assert any(t.startswith("[2] Testdocument.") for t in texts)
    quotes = [p.text for p in doc.paragraphs if p.style.name == "Quote"]
    assert P1.text in quotes  # the exact passage text, script tag as plain text
    assert "De partners kennen elkaar al lang." in quotes


def test_write_answer_picks_the_format_by_suffix_and_refuses_others(tmp_path):
    answer = _answer()
    md = write_answer(answer, tmp_path / "a.md")
    assert md.read_text(encoding="utf-8") == to_markdown(answer)
    assert write_answer(answer, tmp_path / "a.DOCX").stat().st_size > 0
    with pytest.raises(ExportError, match="kies .md of .docx"):
        write_answer(answer, tmp_path / "a.pdf")
    with pytest.raises(ExportError, match="niet schrijven"):
        write_answer(answer, tmp_path / "bestaat-niet" / "a.md")


def test_control_characters_do_not_break_the_docx(tmp_path):
    import docx

    answer = _answer()
    answer.summary = [Point("Tekst met\x0bverticale tab en \x00nul.", [1])]
    doc = docx.Document(str(to_docx(answer, tmp_path / "x.docx")))
    assert any("verticale tab" in p.text for p in doc.paragraphs)


@pytest.mark.parametrize("mode", ["vraag", "notitie", "gespreksvragen"])
def test_real_answers_export_the_cited_sentences(corpus_index, embedder, tmp_path, mode):
    import docx

    settings, _ = corpus_index
    answer = corpus_assistant(settings, embedder).ask(
        "Hoe houdt de gemeenteraad grip op regionale samenwerking?", mode=mode)
    md = write_answer(answer, tmp_path / "a.md").read_text(encoding="utf-8")
    for c in answer.citations:  # the sentences the answer cites, not the whole passage
        assert c.quotes and all(f"> “{md_text(q)}”" in md for q in c.quotes)
        assert "onbekend" not in md
    doc = docx.Document(str(write_answer(answer, tmp_path / "a.docx")))
    refs = [p.text for p in doc.paragraphs if p.text.startswith("[")]
    assert [r.split("]")[0] for r in refs] == [f"[{c.n}" for c in answer.citations]
