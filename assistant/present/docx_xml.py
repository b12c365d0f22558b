"""The WordprocessingML python-docx has no API for: internal hyperlinks and bookmarks, a
numbered list that starts again at 1, fields (page numbers), and the document language in the
styles."""

from __future__ import annotations

from docx.oxml import OxmlElement
from docx.oxml.ns import qn

LINK_COLOUR = "0563C1"  # Word's own hyperlink blue


def bookmark_name(n: int) -> str:
    """The bookmark on reference entry n (letters, digits and '_' only, as Word wants)."""
    return f"bron_{n}"


def add_bookmark(paragraph, name: str, bookmark_id: int) -> None:
    """A bookmark around the whole paragraph."""
    start = OxmlElement("w:bookmarkStart")
    start.set(qn("w:id"), str(bookmark_id))
    start.set(qn("w:name"), name)
    end = OxmlElement("w:bookmarkEnd")
    end.set(qn("w:id"), str(bookmark_id))
    p = paragraph._p
    ppr = p.find(qn("w:pPr"))
    p.insert(0 if ppr is None else 1, start)
    p.append(end)


def add_internal_link(paragraph, text: str, anchor: str, bold: bool = False) -> None:
    """A run that jumps to bookmark `anchor` when clicked, underlined in link blue."""
    link = OxmlElement("w:hyperlink")
    link.set(qn("w:anchor"), anchor)
    link.set(qn("w:history"), "1")
    run = OxmlElement("w:r")
    rpr = OxmlElement("w:rPr")
    if bold:
        rpr.append(OxmlElement("w:b"))
    colour = OxmlElement("w:color")
    colour.set(qn("w:val"), LINK_COLOUR)
    underline = OxmlElement("w:u")
    underline.set(qn("w:val"), "single")
    rpr.extend([colour, underline])
    t = OxmlElement("w:t")
    t.text = text
    t.set(qn("xml:space"), "preserve")
    run.extend([rpr, t])
    link.append(run)
    paragraph._p.append(link)


def restart_numbering(doc, paragraphs) -> None:
    """Number these "List Number" paragraphs from 1, independent of earlier lists (by
    default every List Number paragraph in a document continues one count)."""
    if not paragraphs:
        return
    style_numpr = doc.styles["List Number"].element.pPr.numPr
    numbering = doc.part.numbering_part.element
    abstract_id = numbering.num_having_numId(style_numpr.numId.val).abstractNumId.val
    num = numbering.add_num(abstract_id)
    num.add_lvlOverride(ilvl=0).add_startOverride(1)
    for paragraph in paragraphs:
        numpr = paragraph._p.get_or_add_pPr().get_or_add_numPr()
        numpr.get_or_add_ilvl().val = 0
        numpr.get_or_add_numId().val = num.numId


def _set_lang(rpr, lang: str) -> None:
    element = rpr.find(qn("w:lang"))
    if element is None:
        element = OxmlElement("w:lang")
        rpr.append(element)
    element.set(qn("w:val"), lang)


def set_language(doc, lang: str) -> None:
    """The document's language in its styles (the default run properties and Normal), so Word
    checks spelling in Dutch, and in its settings (the theme's font language)."""
    defaults = doc.styles.element.find(qn("w:docDefaults"))
    rpr_default = defaults.find(qn("w:rPrDefault"))
    if rpr_default is None:
        rpr_default = OxmlElement("w:rPrDefault")
        defaults.insert(0, rpr_default)
    rpr = rpr_default.find(qn("w:rPr"))
    if rpr is None:
        rpr = OxmlElement("w:rPr")
        rpr_default.append(rpr)
    _set_lang(rpr, lang)
    _set_lang(doc.styles["Normal"].element.get_or_add_rPr(), lang)
    theme_lang = doc.settings.element.find(qn("w:themeFontLang"))
    if theme_lang is not None:
        theme_lang.set(qn("w:val"), lang)


def add_field(paragraph, instruction: str, size_pt: float | None = None) -> None:
    """A field such as PAGE or NUMPAGES, computed by Word when the page is laid out (with "1"
    shown until it is)."""
    def run_with(*children):
        run = OxmlElement("w:r")
        if size_pt is not None:
            rpr = OxmlElement("w:rPr")
            sz = OxmlElement("w:sz")
            sz.set(qn("w:val"), str(int(size_pt * 2)))
            rpr.append(sz)
            run.append(rpr)
        run.extend(children)
        return run

    begin = OxmlElement("w:fldChar")
    begin.set(qn("w:fldCharType"), "begin")
    instr = OxmlElement("w:instrText")
    instr.set(qn("xml:space"), "preserve")
    instr.text = f" {instruction} "
    separate = OxmlElement("w:fldChar")
    separate.set(qn("w:fldCharType"), "separate")
    shown = OxmlElement("w:t")
    shown.text = "1"
    end = OxmlElement("w:fldChar")
    end.set(qn("w:fldCharType"), "end")
    for part in (begin, instr, separate, shown, end):
        paragraph._p.append(run_with(part))
