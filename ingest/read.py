"""Read a corpus file (PDF, DOCX, HTML, Markdown, TXT) into pages of plain text.

Every expected problem with a file becomes a ReadError with a Dutch reason, so the caller
can show "<bestandsnaam>: <reden>" and go on with the other files.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

from ingest.formats.archive import check_archive, is_zip
from ingest.formats.base import ReadError, ReadLimits, open_regular
from ingest.formats.markdown import read_markdown
from ingest.formats.notices import captured_notices
from ingest.formats.pdf import read_pdf
from ingest.formats.plaintext import EMPTY, read_txt
from ingest.formats.webpage import read_html
from ingest.formats.word import read_docx
from ingest.model import RawDocument

__all__ = ["SUPPORTED_SUFFIXES", "ReadError", "ReadLimits", "first_heading", "read_document"]

_READERS: dict[str, tuple[str, Callable[[bytes], RawDocument]]] = {
    ".pdf": ("PDF", read_pdf),
    ".docx": ("DOCX", read_docx),
    ".html": ("HTML-pagina", read_html),
    ".htm": ("HTML-pagina", read_html),
    ".md": ("Markdown-bestand", read_markdown),
    ".markdown": ("Markdown-bestand", read_markdown),
    ".txt": ("tekstbestand", read_txt),
}
SUPPORTED_SUFFIXES: frozenset[str] = frozenset(_READERS)
_SUPPORTED_NAMES = "PDF, DOCX, HTML, Markdown, TXT"
_SAVE_AS = {
    ".doc": "sla het op als .docx",
    ".odt": "sla het op als .docx of PDF",
    ".rtf": "sla het op als .docx of PDF",
}
_MAX_TITLE_CHARS = 100


def read_document(path: Path, max_bytes: int | None = None,
                  limits: ReadLimits | None = None) -> RawDocument:
    """Read one file by its suffix (case-insensitive); raise ReadError for any bad input.

    A zip-based file is checked for its unpacked size before it is read (`archive`); the text
    read must stay under the limit too (`limits`, from the settings).

    What a parser logs or warns while reading (pypdf: "EOF marker not found", in English, on
    stderr) is caught: for a file that is read anyway it becomes one Dutch warning."""
    path = Path(path)
    limits = limits or ReadLimits()
    max_bytes = limits.max_bytes if max_bytes is None else max_bytes
    suffix = path.suffix.lower()
    if suffix not in _READERS:
        raise ReadError(_unsupported(suffix))
    label, reader = _READERS[suffix]
    data = _load(path, max_bytes)
    if not data.strip():
        raise ReadError(EMPTY)
    if is_zip(data):
        check_archive(data, limits.max_unzipped)
    with captured_notices() as notices:
        try:
            document = reader(data)
        except ReadError:
            raise
        except Exception as exc:  # a parser bug or a file no reader foresaw
            raise ReadError(
                f"{label} kan niet gelezen worden door een onverwachte fout; "
                "mogelijk is het bestand beschadigd"
            ) from exc
    chars = sum(len(page.text) for page in document.pages)
    if chars > limits.max_text_chars:
        raise ReadError(f"de tekst is langer dan de limiet van {limits.max_text_chars / 1e6:g} "
                        f"miljoen tekens (REGIOWIJZER_MAX_TEXT_MB): {chars / 1e6:.1f} miljoen; "
                        "splits het bestand of verhoog de limiet".replace(".", ","))
    if not notices:
        return document
    return replace(document, warnings=[*document.warnings, _noticed(label, notices)])


def _noticed(label: str, notices: list[str]) -> str:
    shown = "; ".join(dict.fromkeys(notices))
    shown = shown if len(shown) <= 160 else shown[:157] + "..."
    return (f"{label} bevat fouten in de opmaak; de tekst is gelezen maar kan onvolledig zijn "
            f"(technische melding: {shown})")


def first_heading(text: str) -> str | None:
    """A plausible title: the first line with letters, if it is short and not mid-sentence.

    Used for files without a manifest entry or a title of their own.
    """
    for raw in text.splitlines():
        line = " ".join(raw.strip().lstrip("#").split())
        if not re.search(r"[^\W\d_]", line):  # blank, rule, or a bare page number
            continue
        if len(line) > _MAX_TITLE_CHARS or line.endswith((",", ";")):
            return None
        return line.rstrip(":").rstrip()
    return None


def _load(path: Path, max_bytes: int) -> bytes:
    """The file's bytes, refusing files over the limit before reading them, and anything
    that is not a regular file (a link, a pipe, a device) before opening it for real."""
    try:
        with open_regular(path) as handle:
            size = os.fstat(handle.fileno()).st_size
            if size > max_bytes:
                raise ReadError(_too_large(max_bytes))
            data = handle.read(min(size, max_bytes) + 1)  # +1: a file that grew is noticed
            if len(data) > size and len(data) <= max_bytes:
                data += handle.read(max_bytes + 1 - len(data))
    except ReadError:
        raise
    except FileNotFoundError:
        raise ReadError("bestand niet gevonden") from None
    except IsADirectoryError:
        raise ReadError("dit is een map, geen bestand") from None
    except PermissionError:
        raise ReadError("geen toestemming om het bestand te lezen") from None
    except OSError as exc:
        raise ReadError("bestand kan niet geopend worden") from exc
    if len(data) > max_bytes:  # grew after stat
        raise ReadError(_too_large(max_bytes))
    return data


def _unsupported(suffix: str) -> str:
    name = f"bestandstype {suffix}" if suffix else "bestand zonder extensie"
    message = f"{name} wordt niet ondersteund (wel: {_SUPPORTED_NAMES})"
    return f"{message}; {_SAVE_AS[suffix]}" if suffix in _SAVE_AS else message


def _too_large(max_bytes: int) -> str:
    mb = 1024 * 1024
    limit = f"{max_bytes / mb:g} MB" if max_bytes >= mb else f"{max_bytes} bytes"
    return f"bestand is groter dan de limiet van {limit.replace('.', ',')}"
