"""DOCX via python-docx: body paragraphs and table rows, in order, one blank line apart.

Word does not store page numbers (they come from layout), so the text is a single page.
Headers and footers are left out: they repeat on every page and say nothing new.
"""

from __future__ import annotations

import io
import re
from collections.abc import Iterator
from typing import TYPE_CHECKING

from ingest.formats.base import ReadError, usable_title
from ingest.model import Page, RawDocument

if TYPE_CHECKING:
    from docx.document import Document

CORRUPT = "DOCX is beschadigd of geen Word-bestand en kan niet gelezen worden"
OLE = (
    "geen DOCX-bestand: het is een oud Word-bestand (.doc) of met een wachtwoord beveiligd; "
    "sla het in Word op als onbeveiligd .docx"
)
NO_TEXT = "Word-document bevat geen tekst"
_OLE_SIGNATURE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # legacy .doc and encrypted .docx
_HEADING_STYLE = re.compile(r"^(heading|kop)\s*\d|^(title|titel)$", re.I)
_CELL_SEPARATOR = " | "


def read_docx(data: bytes) -> RawDocument:
    """Return the document text as one page, with paragraph breaks as blank lines."""
    document = _open(data)
    try:
        blocks = list(_blocks(document))
        title = usable_title(document.core_properties.title)
    except Exception as exc:  # malformed XML inside an otherwise valid zip
        raise ReadError(CORRUPT) from exc
    text = "\n\n".join(text for text, _ in blocks)
    if not text.strip():
        raise ReadError(NO_TEXT)
    if title is None:
        title = next((usable_title(text) for text, heading in blocks if heading), None)
    return RawDocument(pages=[Page(number=None, text=text)], title_hint=title)


def _open(data: bytes) -> Document:
    import docx

    if data.startswith(_OLE_SIGNATURE):
        raise ReadError(OLE)
    try:
        return docx.Document(io.BytesIO(data))
    except Exception as exc:  # BadZipFile, KeyError, PackageNotFoundError, XML errors...
        raise ReadError(CORRUPT) from exc


def _blocks(document: Document) -> Iterator[tuple[str, bool]]:
    """Yield (text, is_heading) for each non-empty paragraph or table row, in body order."""
    yield from _container_blocks(document.element.body, document)


def _container_blocks(element, parent) -> Iterator[tuple[str, bool]]:
    from docx.oxml.ns import qn
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    for child in element.iterchildren():
        if child.tag == qn("w:p"):
            paragraph = Paragraph(child, parent)
            text = paragraph.text.strip()
            if text:
                yield text, _is_heading(paragraph)
        elif child.tag == qn("w:tbl"):
            yield from _table_blocks(Table(child, parent))
        elif child.tag == qn("w:sdt"):  # content controls wrap ordinary paragraphs
            content = child.find(qn("w:sdtContent"))
            if content is not None:
                yield from _container_blocks(content, parent)


def _table_blocks(table) -> Iterator[tuple[str, bool]]:
    """One block per row; merged cells repeat in python-docx, so each cell counts once."""
    for row in table.rows:
        seen = set()  # lxml elements hash by identity
        cells: list[str] = []
        for cell in row.cells:
            if cell._tc in seen:
                continue
            seen.add(cell._tc)
            parts = [text for text, _ in _container_blocks(cell._tc, cell)]
            if parts:
                cells.append(" ".join(parts))
        if cells:
            yield _CELL_SEPARATOR.join(cells), False


def _is_heading(paragraph) -> bool:
    try:
        name = paragraph.style.name or ""
    except Exception:  # a dangling style reference is not worth failing over
        return False
    return bool(_HEADING_STYLE.match(name))
