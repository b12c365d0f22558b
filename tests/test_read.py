"""read_document on real files made in tmp_path: every format, and every way a file goes bad."""

from __future__ import annotations

import io
import re
import zipfile
from pathlib import Path

import pytest

from ingest import read as read_module
from ingest.model import Page
from ingest.read import SUPPORTED_SUFFIXES, ReadError, first_heading, read_document

DEJAVU = Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf")
CP1252_WARNING = "niet in UTF-8 opgeslagen; gelezen als Windows-1252"


def make_pdf(pages: list[str], title: str | None = None, image_only: bool = False) -> bytes:
    """A real PDF from fpdf2; an empty string makes a page without text."""
    from fpdf import FPDF

    pdf = FPDF()
    if DEJAVU.exists():
        pdf.add_font("dejavu", fname=str(DEJAVU))
        pdf.set_font("dejavu", size=12)
    else:  # core fonts are latin-1 only, which covers the Dutch text below
        pdf.set_font("helvetica", size=12)
    if title:
        pdf.set_title(title)
    for text in pages:
        pdf.add_page()
        if text:
            pdf.multi_cell(0, 8, text)
    if image_only:
        from PIL import Image

        pdf.add_page()
        pdf.image(Image.new("RGB", (40, 20), "navy"), x=10, y=10, w=80)
    return bytes(pdf.output())


def rewrite_pdf(data: bytes, change) -> bytes:
    """Run `change(writer)` on a copy of a PDF, as pypdf's PdfWriter."""
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(data)))
    change(writer)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def write(tmp_path: Path, name: str, data: bytes | str) -> Path:
    path = tmp_path / name
    if isinstance(data, str):
        path.write_text(data, encoding="utf-8")
    else:
        path.write_bytes(data)
    return path


def read_error(path: Path, **kwargs) -> str:
    with pytest.raises(ReadError) as info:
        read_document(path, **kwargs)
    return str(info.value)


@pytest.fixture(scope="module")
def three_pages() -> bytes:
    return make_pdf(
        [
            "Pagina een: iedereen is geïnteresseerd in werk.",
            "Pagina twee: de regio werkt samen.",
            "Pagina drie: tot slot.",
        ],
        title="Regionale samenwerking",
    )


# --- PDF ---------------------------------------------------------------------------------


def test_pdf_gives_one_page_per_pdf_page_numbered_from_one(tmp_path, three_pages):
    doc = read_document(write(tmp_path, "rapport.pdf", three_pages))
    assert [page.number for page in doc.pages] == [1, 2, 3]
    assert "geïnteresseerd" in doc.pages[0].text
    assert "de regio werkt samen" in doc.pages[1].text
    assert doc.title_hint == "Regionale samenwerking"
    assert doc.warnings == []


def test_pdf_page_labels_give_the_printed_page_numbers(tmp_path, three_pages):
    labelled = rewrite_pdf(three_pages, lambda w: w.set_page_label(0, 2, style="/D", start=5))
    doc = read_document(write(tmp_path, "hoofdstuk.pdf", labelled))
    assert [page.number for page in doc.pages] == [5, 6, 7]


def test_pdf_roman_page_label_is_not_mistaken_for_a_page_number(tmp_path, three_pages):
    def label(writer):
        writer.set_page_label(0, 0, style="/r", start=1)  # "i"
        writer.set_page_label(1, 2, style="/D", start=1)

    doc = read_document(write(tmp_path, "met-voorwerk.pdf", rewrite_pdf(three_pages, label)))
    assert [page.number for page in doc.pages] == [None, 1, 2]


def test_pdf_with_a_real_password_is_refused(tmp_path, three_pages):
    locked = rewrite_pdf(three_pages, lambda w: w.encrypt("geheim"))
    message = read_error(write(tmp_path, "geheim.pdf", locked))
    assert "versleuteld" in message
    assert "onbeveiligde versie" in message


def test_pdf_encrypted_with_an_empty_user_password_reads_fine(tmp_path, three_pages):
    locked = rewrite_pdf(three_pages, lambda w: w.encrypt("", owner_password="eigenaar"))
    doc = read_document(write(tmp_path, "alleen-eigenaar.pdf", locked))
    assert [page.number for page in doc.pages] == [1, 2, 3]
    assert "tot slot" in doc.pages[2].text


def test_pdf_encryption_that_needs_a_missing_package_says_so(tmp_path, three_pages, monkeypatch):
    from pypdf import PdfReader
    from pypdf.errors import DependencyError

    def needs_cryptography(self, password):
        raise DependencyError("cryptography>=3.1 is required for AES algorithm")

    monkeypatch.setattr(PdfReader, "decrypt", needs_cryptography)
    locked = rewrite_pdf(three_pages, lambda w: w.encrypt("", owner_password="eigenaar"))
    message = read_error(write(tmp_path, "aes.pdf", locked))
    assert "versleuteld" in message and "cryptography" in message


@pytest.mark.parametrize(
    "damage",
    [lambda data: data[:300], lambda data: data[: len(data) // 2], lambda data: bytes(range(256))],
    ids=["header-only", "half", "random-bytes"],
)
def test_corrupt_pdf_is_refused(tmp_path, three_pages, damage):
    message = read_error(write(tmp_path, "kapot.pdf", damage(three_pages)))
    assert message == "PDF is beschadigd en kan niet gelezen worden"


def test_pdf_without_pages_is_refused(tmp_path):
    from pypdf import PdfWriter

    out = io.BytesIO()
    PdfWriter().write(out)
    assert read_error(write(tmp_path, "leeg.pdf", out.getvalue())) == "PDF bevat geen pagina's"


def test_pdf_with_only_an_image_is_refused_as_a_scan(tmp_path):
    message = read_error(write(tmp_path, "scan.pdf", make_pdf([], image_only=True)))
    assert message.startswith("PDF bevat geen tekst (mogelijk een scan zonder tekstlaag)")


def test_pdf_pages_without_text_are_left_out_with_a_warning(tmp_path):
    data = make_pdf(["Eerste pagina met tekst.", "", "Derde pagina met tekst."])
    doc = read_document(write(tmp_path, "deels.pdf", data))
    assert [page.number for page in doc.pages] == [1, 3]
    assert doc.warnings == ["pagina 2 bevat geen tekst (mogelijk gescand)"]


@pytest.mark.parametrize("junk", ["Microsoft Word - nota.docx", "untitled", "rapport_v3.pdf", " "])
def test_pdf_junk_metadata_title_is_ignored(tmp_path, junk):
    doc = read_document(write(tmp_path, "nota.pdf", make_pdf(["Tekst."], title=junk)))
    assert doc.title_hint is None


# --- DOCX --------------------------------------------------------------------------------


def make_docx(title: str = "") -> bytes:
    import docx

    document = docx.Document()
    document.core_properties.title = title
    document.add_heading("Samen werken in de regio", level=1)
    document.add_paragraph("Eerste alinea over werkgevers.")
    table = document.add_table(rows=2, cols=2)
    table.cell(0, 0).text, table.cell(0, 1).text = "Regio", "Gemeenten"
    table.cell(1, 0).text, table.cell(1, 1).text = "Utrecht", "12"
    document.add_paragraph("Slotalinea na de tabel.")
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def test_docx_gives_paragraphs_headings_and_table_rows_in_order(tmp_path):
    doc = read_document(write(tmp_path, "nota.docx", make_docx()))
    assert len(doc.pages) == 1 and doc.pages[0].number is None
    assert doc.pages[0].text == (
        "Samen werken in de regio\n\n"
        "Eerste alinea over werkgevers.\n\n"
        "Regio | Gemeenten\n\n"
        "Utrecht | 12\n\n"
        "Slotalinea na de tabel."
    )
    assert doc.title_hint == "Samen werken in de regio"  # no core title: first heading


def test_docx_title_comes_from_the_document_properties_first(tmp_path):
    doc = read_document(write(tmp_path, "nota.docx", make_docx(title="Werkgeversdienstverlening")))
    assert doc.title_hint == "Werkgeversdienstverlening"


def test_docx_merged_table_cell_is_read_once(tmp_path):
    import docx

    document = docx.Document()
    table = document.add_table(rows=1, cols=3)
    table.cell(0, 0).merge(table.cell(0, 1)).text = "Samengevoegd"
    table.cell(0, 2).text = "Los"
    out = io.BytesIO()
    document.save(out)
    doc = read_document(write(tmp_path, "tabel.docx", out.getvalue()))
    assert doc.pages[0].text == "Samengevoegd | Los"


def zip_bytes(files: dict[str, str]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        for name, text in files.items():
            archive.writestr(name, text)
    return out.getvalue()


@pytest.mark.parametrize(
    "data",
    [b"dit is geen zip", zip_bytes({"notities.txt": "hallo"}), make_docx()[:500]],
    ids=["not-a-zip", "zip-without-word-parts", "truncated"],
)
def test_corrupt_docx_is_refused(tmp_path, data):
    message = read_error(write(tmp_path, "kapot.docx", data))
    assert message == "DOCX is beschadigd of geen Word-bestand en kan niet gelezen worden"


def test_old_word_file_renamed_to_docx_gets_a_hint(tmp_path):
    ole = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(600)
    message = read_error(write(tmp_path, "oud.docx", ole))
    assert ".doc" in message and "sla het in Word op als onbeveiligd .docx" in message


# --- HTML --------------------------------------------------------------------------------

PAGE = """<!doctype html>
<html><head><title>Werkende samenwerking | VNG</title>
<style>p { color: red }</style><script>trackVisitor();</script></head>
<body>
<header><nav><a href="/">Home</a> <a href="/nieuws">Nieuws</a></nav></header>
<main><article>
  <h1>Werkende   samenwerking</h1>
  <p>Gemeenten &amp; werkgevers werken&nbsp;samen.<br>Op een nieuwe regel.</p>
  <p>Voorbeeld van code: &lt;script&gt;alert(1)&lt;/script&gt;</p>
  <pre>&lt;script&gt;alert(2)&lt;/script&gt;
    ingesprongen</pre>
  <ul><li>Eerste punt</li><li>Tweede punt</li></ul>
  <table><tr><th>Regio</th><th>Banen</th></tr><tr><td>Twente</td><td>40</td></tr></table>
</article></main>
<form><label>Zoek</label><input name="q"></form>
<footer>Copyright VNG</footer>
<noscript>Zet JavaScript aan</noscript>
</body></html>"""


def test_html_keeps_the_readable_text_with_blocks_a_blank_line_apart(tmp_path):
    doc = read_document(write(tmp_path, "nieuws.html", PAGE))
    assert doc.pages[0].text == (
        "Werkende samenwerking\n\n"
        "Gemeenten & werkgevers werken samen.\nOp een nieuwe regel.\n\n"
        "Voorbeeld van code: <script>alert(1)</script>\n\n"
        "<script>alert(2)</script>\n    ingesprongen\n\n"
        "Eerste punt\n\n"
        "Tweede punt\n\n"
        "Regio | Banen\n\n"
        "Twente | 40"
    )
    assert doc.title_hint == "Werkende samenwerking | VNG"


def test_html_drops_site_chrome_and_code(tmp_path):
    text = read_document(write(tmp_path, "nieuws.htm", PAGE)).pages[0].text
    for dropped in ("trackVisitor", "color: red", "Home", "Nieuws", "Zoek", "Copyright", "Zet"):
        assert dropped not in text


def test_html_title_falls_back_to_the_first_h1(tmp_path):
    page = "<body><h1>Regio&shy;denken</h1><p>Tekst.</p><h1>Tweede</h1></body>"
    doc = read_document(write(tmp_path, "pagina.html", page))
    assert doc.title_hint == "Regio\xaddenken"


def test_html_header_inside_an_article_is_content(tmp_path):
    page = "<article><header><h1>Kop van het artikel</h1></header><p>Tekst.</p></article>"
    doc = read_document(write(tmp_path, "artikel.html", page))
    assert doc.pages[0].text == "Kop van het artikel\n\nTekst."


def test_html_declared_windows_1252_is_decoded_without_a_warning(tmp_path):
    page = '<meta charset="windows-1252"><p>Café “De Regio”</p>'.encode("cp1252")
    doc = read_document(write(tmp_path, "oud.html", page))
    assert doc.pages[0].text == "Café “De Regio”"
    assert doc.warnings == []


def test_html_with_only_scripts_is_refused(tmp_path):
    page = "<html><head><script>x()</script></head><body><nav>Menu</nav></body></html>"
    assert read_error(write(tmp_path, "leeg.html", page)) == "HTML-pagina bevat geen leesbare tekst"


# --- Markdown ----------------------------------------------------------------------------

MARKDOWN = """# Regiodenken in *vijf* stappen

Een **regio** werkt als [netwerk](https://voorbeeld.nl/netwerk) ![logo](logo.png) samen.
Een variabele_naam blijft heel, en \\*sterren\\* ook.

## Stap 1 ##

* punt een
* punt twee

```
code **blijft** staan
```
"""


def test_markdown_is_stripped_to_plain_text(tmp_path):
    doc = read_document(write(tmp_path, "regiodenken.md", MARKDOWN))
    assert doc.pages[0].text == (
        "Regiodenken in vijf stappen\n\n"
        "Een regio werkt als netwerk  samen.\n"
        "Een variabele_naam blijft heel, en *sterren* ook.\n\n"
        "Stap 1\n\n"
        "- punt een\n- punt twee\n\n"
        "code **blijft** staan"
    )
    assert doc.pages[0].number is None
    assert doc.title_hint == "Regiodenken in vijf stappen"


def test_markdown_without_a_level_one_heading_has_no_title(tmp_path):
    doc = read_document(write(tmp_path, "notitie.markdown", "## Sub\n\nTekst."))
    assert doc.title_hint is None
    assert doc.pages[0].text == "Sub\n\nTekst."


# --- TXT ---------------------------------------------------------------------------------


def test_txt_is_one_page_without_number_or_title(tmp_path):
    doc = read_document(write(tmp_path, "notitie.txt", "Regio\r\n\r\nWerk en inkomen.\r\n"))
    assert doc.pages == [Page(number=None, text="Regio\n\nWerk en inkomen.\n")]
    assert doc.title_hint is None and doc.warnings == []


def test_txt_utf8_with_bom_loses_the_bom(tmp_path):
    doc = read_document(write(tmp_path, "bom.txt", "\ufeffGeïnteresseerd".encode()))
    assert doc.pages[0].text == "Geïnteresseerd"
    assert doc.warnings == []


@pytest.mark.parametrize("text", ["Café in de regio – “samen” werken", "één"])
def test_txt_in_windows_1252_is_read_with_a_warning(tmp_path, text):
    doc = read_document(write(tmp_path, "oud.txt", text.encode("cp1252")))
    assert doc.pages[0].text == text
    assert doc.warnings == [CP1252_WARNING]


def test_txt_in_utf16_with_bom_is_read(tmp_path):
    doc = read_document(write(tmp_path, "kladblok.txt", "Coöperatie".encode("utf-16")))
    assert doc.pages[0].text == "Coöperatie"


def test_txt_form_feeds_split_numbered_pages(tmp_path):
    doc = read_document(write(tmp_path, "pdftotext.txt", "een\fwee\f\fvier\f"))
    assert [(page.number, page.text) for page in doc.pages] == [(1, "een"), (2, "wee"), (4, "vier")]


@pytest.mark.parametrize(
    "data",
    [b"MZ\x90\x00\x03\x00\x00\x00\x04\x00tekst", bytes(range(1, 32)) * 20 + b"wat tekst"],
    ids=["nul-bytes", "control-characters"],
)
def test_binary_junk_named_txt_is_refused(tmp_path, data):
    message = read_error(write(tmp_path, "programma.txt", data))
    assert message.startswith("geen tekstbestand (bevat binaire gegevens)")


# --- any format --------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["leeg.txt", "leeg.pdf", "leeg.md", "leeg.docx", "leeg.html"])
@pytest.mark.parametrize("data", [b"", b"  \n\t\r\n "], ids=["0-bytes", "whitespace"])
def test_empty_file_is_refused(tmp_path, name, data):
    assert read_error(write(tmp_path, name, data)) == "bestand is leeg"


def test_unknown_suffix_is_refused_with_the_supported_list(tmp_path):
    message = read_error(write(tmp_path, "data.xyz", "tekst"))
    assert message == (
        "bestandstype .xyz wordt niet ondersteund (wel: PDF, DOCX, HTML, Markdown, TXT)"
    )


def test_old_word_suffix_gets_a_save_as_hint(tmp_path):
    assert read_error(write(tmp_path, "nota.doc", "tekst")).endswith("sla het op als .docx")


def test_suffix_is_case_insensitive(tmp_path, three_pages):
    assert len(read_document(write(tmp_path, "RAPPORT.PDF", three_pages)).pages) == 3
    assert ".pdf" in SUPPORTED_SUFFIXES and ".PDF" not in SUPPORTED_SUFFIXES


def test_file_over_the_size_limit_is_refused_before_reading(tmp_path, monkeypatch):
    path = write(tmp_path, "groot.txt", "x" * 2000)
    monkeypatch.setattr(Path, "open", lambda *a, **k: pytest.fail("file was opened"))
    assert read_error(path, max_bytes=1000) == "bestand is groter dan de limiet van 1000 bytes"


def test_default_size_limit_is_named_in_megabytes(tmp_path):
    assert read_module._too_large(50 * 1024 * 1024) == "bestand is groter dan de limiet van 50 MB"


def test_missing_file_and_directory_are_refused(tmp_path):
    assert read_error(tmp_path / "weg.txt") == "bestand niet gevonden"
    (tmp_path / "map.txt").mkdir()
    assert read_error(tmp_path / "map.txt") == "dit is een map, geen bestand"


def test_unexpected_parser_failure_still_becomes_a_read_error(tmp_path, monkeypatch):
    def broken(data):
        raise KeyError("/Root")

    monkeypatch.setitem(read_module._READERS, ".txt", ("tekstbestand", broken))
    message = read_error(write(tmp_path, "a.txt", "tekst"))
    assert message.startswith("tekstbestand kan niet gelezen worden door een onverwachte fout")


def test_no_read_error_leaks_an_english_library_message(tmp_path, three_pages):
    bad = {
        "a.pdf": three_pages[:300],
        "b.pdf": rewrite_pdf(three_pages, lambda w: w.encrypt("geheim")),
        "c.docx": b"PK\x03\x04 kapot",
        "d.txt": b"\x00\x01\x02",
        "e.html": b"\x00<p>",
    }
    english = re.compile(r"\b(error|file|invalid|stream|not|found|password|unexpected)\b", re.I)
    for name, data in bad.items():
        assert not english.search(read_error(write(tmp_path, name, data))), name


# --- first_heading -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("\n\n  Regionale   werkzekerheid  \nTekst die volgt.", "Regionale werkzekerheid"),
        ("# Handreiking\n\nTekst.", "Handreiking"),
        ("12\n-----\nInleiding:\nTekst.", "Inleiding"),
        ("Dit is een lange eerste zin die " * 5 + "\nKop", None),
        ("Aan de leden van de raad,\nTekst.", None),
        ("", None),
        ("   \n\n", None),
    ],
)
def test_first_heading(text, expected):
    assert first_heading(text) == expected
