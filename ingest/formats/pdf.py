"""PDF via pypdf: one Page per PDF page, numbered as printed where the PDF says so."""

from __future__ import annotations

import io
import logging
from typing import TYPE_CHECKING

from ingest.formats.base import ReadError, usable_author, usable_title
from ingest.model import Page, RawDocument

if TYPE_CHECKING:
    from pypdf import PdfReader

log = logging.getLogger(__name__)

CORRUPT = "PDF is beschadigd en kan niet gelezen worden"
ENCRYPTED = "PDF is versleuteld met een wachtwoord; sla een onbeveiligde versie op"
NEEDS_CRYPTOGRAPHY = (
    "PDF is versleuteld (AES) en dat kan hier niet gelezen worden; sla een onbeveiligde "
    "versie op, of laat de beheerder het pakket 'cryptography' installeren"
)
NO_PAGES = "PDF bevat geen pagina's"
NO_TEXT = "PDF bevat geen tekst (mogelijk een scan zonder tekstlaag); gebruik een versie met tekst"


def read_pdf(data: bytes) -> RawDocument:
    """Extract the text of every page; pages without text are left out with a warning."""
    from pypdf.errors import DependencyError

    reader = _open(data)
    numbers = _page_numbers(reader)
    pages: list[Page] = []
    empty: list[str] = []
    failed: list[str] = []
    for index, pdf_page in enumerate(reader.pages):
        number = numbers[index]
        label = str(number if number is not None else index + 1)
        try:
            text = pdf_page.extract_text() or ""
        except DependencyError as exc:
            raise ReadError(NEEDS_CRYPTOGRAPHY) from exc
        except Exception:  # a broken content stream spoils one page, not the document
            log.warning("page %s of PDF could not be read", label, exc_info=True)
            failed.append(label)
            continue
        if text.strip():
            pages.append(Page(number=number, text=text))
        else:
            empty.append(label)
    if not pages:
        raise ReadError(CORRUPT if failed else NO_TEXT)
    warnings = []
    if failed:
        warnings.append(f"pagina {', '.join(failed)} kon niet gelezen worden en is overgeslagen")
    if empty:
        warnings.append(f"pagina {', '.join(empty)} bevat geen tekst (mogelijk gescand)")
    title, author = _metadata(reader)
    return RawDocument(pages=pages, title_hint=title, warnings=warnings, author_hint=author)


def _open(data: bytes) -> PdfReader:
    """Open, decrypt with the empty password when needed, and insist on at least one page."""
    from pypdf import PasswordType, PdfReader
    from pypdf.errors import DependencyError

    try:
        reader = PdfReader(io.BytesIO(data))
        if reader.is_encrypted and reader.decrypt("") == PasswordType.NOT_DECRYPTED:
            raise ReadError(ENCRYPTED)
        page_count = len(reader.pages)
    except ReadError:
        raise
    except (DependencyError, NotImplementedError) as exc:
        raise ReadError(NEEDS_CRYPTOGRAPHY) from exc
    except Exception as exc:  # pypdf raises many kinds on broken files
        raise ReadError(CORRUPT) from exc
    if page_count == 0:
        raise ReadError(NO_PAGES)
    return reader


def _page_numbers(reader: PdfReader) -> list[int | None]:
    """Printed page numbers from the PDF's page labels.

    A PDF without labels gets "1".."n" from pypdf, i.e. its 1-based index. A page with a
    non-numeric label ("iii", "A-2") gets None: citing its index would point at the wrong
    printed page.
    """
    count = len(reader.pages)
    try:
        labels = list(reader.page_labels)
    except Exception:  # a broken label tree should not cost us the text
        log.warning("ignoring unreadable PDF page labels", exc_info=True)
        labels = []
    if len(labels) != count:
        return list(range(1, count + 1))
    return [int(label) if label.isascii() and label.isdigit() else None for label in labels]


def _metadata(reader: PdfReader) -> tuple[str | None, str | None]:
    """(title, author) from the PDF's document information, when they are worth showing."""
    try:
        metadata = reader.metadata
        if not metadata:
            return None, None
        return usable_title(metadata.title), usable_author(metadata.author)
    except Exception:  # metadata is a nicety; never fail the document over it
        return None, None
