"""The saved .docx as Word reads it: properties, Dutch language, [n] links to their references,
lists that number from 1, and a language model's text instead of the extractive one."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from answer_helpers import passage
from docx.oxml.ns import qn

from assistant.compose.answer import Answer, Citation, Point, StepSection
from assistant.present.docx import to_docx

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
P1 = passage("a", "Weefsel groeit met de tijd. Vertrouwen is de basis.", steps=[4], page=3)
P2 = passage("b", "Structuur komt later. Eerst de mensen.", steps=[5], page=9)


def _worksheet(**changes) -> Answer:
    q = [Point("Wat verbindt ons?", [1], origin="template", quote="Weefsel groeit met de tijd."),
         Point("Wie trekt de kar?", [1], origin="template", quote="Vertrouwen is de basis.")]
    answer = Answer(
        question="Hoe bouw je weefsel op?", mode="gespreksvragen", backend="none", abstained=False,
        notice=None, summary=[Point("Weefsel groeit met de tijd.", [1])],
        steps=[StepSection(4, "Investeer in gedeeld denken", [], [Point("Vertrouwen is de basis.", [1])]),
               StepSection(5, "Borg en verbind", [], [Point("Structuur komt later.", [2])])],
        silent_steps=[], examples=[], citations=[Citation(1, P1, 0.9), Citation(2, P2, 0.8)],
        extras={"gespreksvragen:4": q,
                "gespreksvragen:5": [Point("Wat borgen we?", [2], origin="template",
                                           quote="Structuur komt later."),
                                     Point("Met wie?", [2], origin="template", quote="Eerst de mensen.")]})
    for key, value in changes.items():
        setattr(answer, key, value)
    return answer


def _open(answer: Answer, path):
    import docx

    return docx.Document(str(to_docx(answer, path)))


def test_properties_say_what_the_document_is(tmp_path, monkeypatch):
    before = datetime.now(UTC).replace(microsecond=0)
    props = _open(_worksheet(), tmp_path / "a.docx").core_properties
    assert props.title == "Hoe bouw je weefsel op?"
    assert props.author == "Regiowijzer" and props.last_modified_by == "Regiowijzer"
    assert props.language == "nl-NL"
    assert "python-docx" not in (props.comments or "")
    created = props.created.replace(tzinfo=UTC)
    assert before - timedelta(seconds=1) <= created <= datetime.now(UTC) + timedelta(seconds=1)
    monkeypatch.setenv("REGIOWIJZER_AUTHOR", "Griffie Gemeente Zwolle")
    assert _open(_worksheet(), tmp_path / "b.docx").core_properties.author == "Griffie Gemeente Zwolle"


def test_the_styles_make_the_document_dutch(tmp_path):
    doc = _open(_worksheet(), tmp_path / "a.docx")
    styles = doc.styles.element
    default_lang = styles.find(f"{W}docDefaults/{W}rPrDefault/{W}rPr/{W}lang")
    assert default_lang.get(qn("w:val")) == "nl-NL"
    normal = doc.styles["Normal"].element.find(f"{W}rPr/{W}lang")
    assert normal is not None and normal.get(qn("w:val")) == "nl-NL"


def test_each_citation_links_to_the_bookmark_on_its_reference(tmp_path):
    doc = _open(_worksheet(), tmp_path / "a.docx")
    body = doc.element.body
    links = body.iter(f"{W}hyperlink")
    anchors = [(link.get(qn("w:anchor")), "".join(t.text for t in link.iter(f"{W}t"))) for link in links]
    assert anchors and all(text == f"[{a.split('_')[1]}]" for a, text in anchors)
    assert {a for a, _ in anchors} == {"bron_1", "bron_2"}
    for p in doc.paragraphs:
        marks = p._p.findall(f"{W}bookmarkStart")
        if marks:
            name = marks[0].get(qn("w:name"))
            assert p.text.startswith(f"[{name.split('_')[1]}] Testdocument."), "on the reference entry"
            assert p._p.find(f"{W}bookmarkEnd").get(qn("w:id")) == marks[0].get(qn("w:id"))
    names = [m.get(qn("w:name")) for m in body.iter(f"{W}bookmarkStart")]
    assert names == ["bron_1", "bron_2"]
    assert "Wat verbindt ons?" in [p.text for p in doc.paragraphs]
    assert "“Weefsel groeit met de tijd.” [1]" in [p.text for p in doc.paragraphs]


def test_each_numbered_list_starts_at_one(tmp_path):
    doc = _open(_worksheet(), tmp_path / "a.docx")
    numbering = doc.part.numbering_part.element
    lists = []
    for p in doc.paragraphs:
        if p.style.name == "List Number":
            lists.append((p.text, p._p.pPr.numPr.numId.val))
    assert [t for t, _ in lists] == ["Wat verbindt ons?", "Wie trekt de kar?", "Wat borgen we?", "Met wie?"]
    first, second = lists[0][1], lists[2][1]
    assert lists[1][1] == first and lists[3][1] == second and first != second
    for num_id in (first, second):
        start = numbering.num_having_numId(num_id).find(f"{W}lvlOverride/{W}startOverride")
        assert start.get(qn("w:val")) == "1"


def test_a_language_models_text_replaces_the_extractive_body(tmp_path):
    prose = ("## Wat de bronnen zeggen\nWeefsel groeit met de tijd [1], en R&amp;D <b>telt</b>.\n\n"
             "- Structuur komt later [2].\n")
    doc = _open(_worksheet(prose=prose, backend="openai"), tmp_path / "a.docx")
    texts = [p.text for p in doc.paragraphs]
    headings = [p.text for p in doc.paragraphs if p.style.name.startswith("Heading")]
    assert headings == ["Wat de bronnen zeggen", "Bronnen"], "no extractive worksheet under the prose"
    assert "Weefsel groeit met de tijd [1], en R&D <b>telt</b>." in texts
    assert "Structuur komt later [2]." in texts
    anchors = {link.get(qn("w:anchor")) for link in doc.element.body.iter(f"{W}hyperlink")}
    assert anchors == {"bron_1", "bron_2"}


def test_the_page_is_a_dutch_office_document(tmp_path):
    """A4 with margins, the title in the header, the date under the title, page numbers in the
    footer: what a Dutch office expects, read back with python-docx."""
    from docx.shared import Cm, Mm

    from assistant.present.docx import dutch_date

    doc = _open(_worksheet(), tmp_path / "a.docx")
    section = doc.sections[0]
    assert abs(section.page_width - Mm(210)) < Mm(1) and abs(section.page_height - Mm(297)) < Mm(1)
    for margin in (section.left_margin, section.right_margin, section.top_margin, section.bottom_margin):
        assert abs(margin - Cm(2.5)) < Mm(1)
    assert section.header.paragraphs[0].text == "Werkblad: Hoe bouw je weefsel op?"
    footer = section.footer.paragraphs[0]._p
    fields = [t.text.strip() for t in footer.iter(qn("w:instrText"))]
    assert fields == ["PAGE", "NUMPAGES"]
    assert section.footer.paragraphs[0].text.startswith("Pagina ")
    texts = [p.text for p in doc.paragraphs]
    assert texts[0] == "Werkblad: Hoe bouw je weefsel op?"
    today = datetime.now().date()
    assert texts[1] == f"Regiowijzer, {dutch_date(today)}"


def test_a_long_title_is_shortened_in_the_header_between_words(tmp_path):
    long = "Hoe kan de gemeenteraad grip houden op regionale samenwerking " * 4
    doc = _open(_worksheet(question=long.strip()), tmp_path / "a.docx")
    header = doc.sections[0].header.paragraphs[0].text
    assert len(header) <= 90 and header.endswith("…")
    assert header[:-1].split()[-1] in long.split(), "cut between words"


def test_export_file_names_are_cut_between_words():
    from assistant.present.docx import dutch_date, export_stem

    answer = _worksheet(question="Welke praktijkvoorbeelden zijn er van samenwerking met "
                                 "werkgevers die één regio delen?")
    stem = export_stem(answer)
    assert stem == "regiowijzer-gespreksvragen-welke-praktijkvoorbeelden-zijn-er-van-samenwerking"
    assert export_stem(_worksheet(question="Één regio?")) == "regiowijzer-gespreksvragen-een-regio"
    assert dutch_date(datetime(2026, 3, 7).date()) == "7 maart 2026"
