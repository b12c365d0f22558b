"""Plain text: decoding shared by the text-like formats, and the .txt reader itself.

Exports from old Windows tools are often Windows-1252, not UTF-8; we read them anyway and
say so, rather than refusing a file a user can open in any editor.
"""

from __future__ import annotations

import codecs
import re

from ingest.formats.base import ReadError
from ingest.model import Page, RawDocument

BINARY = "geen tekstbestand (bevat binaire gegevens); controleer of de extensie klopt"
EMPTY = "bestand is leeg"
CP1252_WARNING = "niet in UTF-8 opgeslagen; gelezen als Windows-1252"
# Control characters other than tab, newline, form feed and carriage return; C1 controls too.
_CONTROLS = re.compile("[\x00-\x08\x0b\x0e-\x1f\x7f-\x9f]")
_MAX_CONTROL_SHARE = 0.05  # binary decoded as text is ~12% control characters


def decode_text(data: bytes, declared: str | None = None) -> tuple[str, list[str]]:
    """Decode bytes to text with normalised newlines; returns (text, warnings).

    `declared` is an encoding the file names itself (an HTML meta charset); it is used
    when the bytes are not valid UTF-8.
    """
    warnings: list[str] = []
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        text = _strict(data, "utf-16")
    elif b"\x00" in data:
        raise ReadError(BINARY)
    else:
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError:
            codec = _known_codec(declared)
            if codec and codec != "utf-8":
                text = data.decode(codec, errors="replace")
            else:
                text = _strict(data, "cp1252")  # five byte values are undefined in it
                warnings.append(CP1252_WARNING)
    if _control_share(text) > _MAX_CONTROL_SHARE:
        raise ReadError(BINARY)
    return text.replace("\r\n", "\n").replace("\r", "\n"), warnings


def read_txt(data: bytes) -> RawDocument:
    """Read a text file; form feeds (as pdftotext writes them) separate numbered pages."""
    text, warnings = decode_text(data)
    if not text.strip():
        raise ReadError(EMPTY)
    if "\f" not in text:
        return RawDocument(pages=[Page(number=None, text=text)], warnings=warnings)
    pages = [
        Page(number=number, text=chunk)
        for number, chunk in enumerate(text.split("\f"), start=1)
        if chunk.strip()
    ]
    return RawDocument(pages=pages, warnings=warnings)


def _strict(data: bytes, codec: str) -> str:
    try:
        return data.decode(codec)
    except UnicodeDecodeError:
        raise ReadError(BINARY) from None


def _known_codec(name: str | None) -> str | None:
    """Python's name for a declared encoding; latin-1 means cp1252, as browsers read it."""
    if not name:
        return None
    try:
        codec = codecs.lookup(name.strip()).name
    except LookupError:
        return None
    return "cp1252" if codec in ("iso8859-1", "latin-1", "ascii") else codec


def _control_share(text: str) -> float:
    return len(_CONTROLS.findall(text)) / max(len(text), 1)
