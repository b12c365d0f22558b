"""Page furniture: running headers and footers, page numbers and tables of contents.

They are not text, but a footer still tells which page the text after it is on, so in
plain text it is turned into a page-break line ("\\f68") instead of being dropped.
Lines in and out; page-break lines start with PAGE_BREAK and are passed through.
"""

from __future__ import annotations

import re
from collections import Counter

from ingest.unwrap import BLOCK_MARKERS, PAGE_BREAK, UNKNOWN_PAGE

_TOC_LEADER = re.compile(r"^\s*\S.*?(?:(?:\. ?){4,}|…)\s*\d{1,3}$")  # "Voorwoord ....... 3"
_HEADER = re.compile(r"^(?P<key>.*[^\d\s.,:;(])\s*(?P<number>\d{1,3})$")  # "...routekaart66"
_BARE_NUMBER = re.compile(r"^\d{1,3}$")


def _is_short_title(line: str, max_words: int) -> bool:
    return 0 < len(line.split()) <= max_words and not re.search(r"[.?!:;,]$", line.strip())


def _is_toc_entry(line: str) -> bool:
    if line.startswith("\t"):
        return _is_short_title(line, 10)
    return bool(_TOC_LEADER.match(line))


def drop_table_of_contents(lines: list[str]) -> list[str]:
    """Drop runs of three or more contents entries (tab-indented titles or "Titel .... 12"),
    with their wrapped second lines and the blanks between. Needs raw lines: tabs intact."""
    drop: set[int] = set()
    i = 0
    while i < len(lines):
        if not _is_toc_entry(lines[i]):
            i += 1
            continue
        run, j = [i], i + 1
        while j < len(lines):
            line = lines[j]
            if _is_toc_entry(line) or (run[-1] == j - 1 and _is_short_title(line, 5)):
                run.append(j)
            elif line.strip() and line[:1] != PAGE_BREAK:
                break
            j += 1
        if sum(_is_toc_entry(lines[k]) for k in run) >= 3:
            drop.update(range(run[0], run[-1] + 1))
        i = j
    return [line for k, line in enumerate(lines) if k not in drop or line[:1] == PAGE_BREAK]


def _header_number(line: str, headers: set[str]) -> int | None:
    text = line.strip()
    match = _HEADER.match(text) if text[-1:].isdigit() else None  # the regex is slow on prose
    return int(match["number"]) if match and match["key"].strip() in headers else None


def _find_headers(lines: list[str]) -> set[str]:
    """Texts that recur with a page number: running headers or footers. Numbered headings
    ("Stap 1", "Stap 2") recur too, so it takes extraction evidence: a number glued to
    the text ("Een routekaart66"), or a title of two or more words seen three times with
    rising numbers."""
    found: dict[str, list[tuple[int, bool]]] = {}
    for line in lines:
        text = line.strip()
        match = _HEADER.match(text) if text[-1:].isdigit() else None
        if match and len(text) <= 80 and sum(c.isalpha() for c in match["key"]) >= 3:
            glued = not text[match.end("key")].isspace()
            found.setdefault(match["key"].strip(), []).append((int(match["number"]), glued))
    headers = set()
    for key, seen in found.items():
        numbers = [number for number, _ in seen]
        rising = len(seen) >= 3 and len(key.split()) >= 2 and numbers == sorted(set(numbers))
        if len(seen) >= 2 and (any(glued for _, glued in seen) or rising):
            headers.add(key)
    return headers


def _neighbour(lines: list[str], i: int, step: int) -> str:
    """The next non-blank line from i in direction `step` ("" at either end)."""
    i += step
    while 0 <= i < len(lines) and not lines[i].strip():
        i += step
    return lines[i] if 0 <= i < len(lines) else ""


def _bare_page_number(lines: list[str], i: int, page: int | None) -> int | None:
    """A bare number at a page edge, or inside a sentence, is a page number; "10" above
    "Geef het voorbeeld" is a numbered heading and stays."""
    text = lines[i].strip()
    if not _BARE_NUMBER.match(text):
        return None
    after, before = _neighbour(lines, i, 1), _neighbour(lines, i, -1)
    at_edge = after[:1] in ("", PAGE_BREAK) or before[:1] == PAGE_BREAK
    mid_sentence = bool(re.match(r"[a-z]", after.strip()))
    fits = page is None or int(text) >= page
    return int(text) if (at_edge or mid_sentence) and fits else None


def strip_running_headers(lines: list[str]) -> list[str]:
    """Remove header/footer lines that carry a page number, keeping the number.

    In plain text the marker closes page N, so it becomes a page break to N + 1 — but only
    when the next marker is N + 1 too: between footers "67" and "80" lie pages whose breaks
    the text does not show, and a wrong page in a citation is worse than none ("\\f?").
    Where the pages are already numbered (lines "\\f12" from a PDF) the marker is dropped.
    """
    numbered = any(line[:1] == PAGE_BREAK and line[1:].strip() for line in lines)
    headers = _find_headers(lines)
    markers: dict[int, int] = {}
    page: int | None = None
    for i, line in enumerate(lines):
        if line[:1] == PAGE_BREAK:
            page = int(line[1:]) if line[1:].strip().isdecimal() else page
            continue
        number = _header_number(line, headers)
        if number is None:
            number = _bare_page_number(lines, i, page)
        if number is not None:
            markers[i] = number
            page = number + 1
    positions = list(markers)
    following = {pos: markers.get(nxt) for pos, nxt in zip(positions, positions[1:], strict=False)}
    out: list[str] = []
    for i, line in enumerate(lines):
        if i not in markers:
            out.append(line)
        elif numbered:
            out.append("")
        else:
            known = following.get(i) == markers[i] + 1
            out.append(f"{PAGE_BREAK}{markers[i] + 1 if known else UNKNOWN_PAGE}")
    return out


def strip_repeated_lines(pages: list[list[str]]) -> list[list[str]]:
    """Drop running headers/footers of a PDF: a line near the top or bottom of at least half
    of the pages (digits ignored, so "Pagina 3" and "Pagina 4" match)."""

    def key(line: str) -> str:
        return re.sub(r"\d+", "#", " ".join(line.split())).lower()

    def edges(lines: list[str]) -> set[int]:
        """The first and last two lines of a page, if short enough to be a header."""
        filled = [i for i, line in enumerate(lines) if line.strip()]
        return {i for i in filled[:2] + filled[-2:] if len(lines[i].strip()) <= 80}

    if len(pages) < 3:
        return pages
    seen = Counter(k for lines in pages for k in {key(lines[i]) for i in edges(lines)})
    common = {k for k, n in seen.items() if n >= max(3, len(pages) / 2)}
    common -= {marker.lower() for marker in BLOCK_MARKERS}
    return [
        [line for i, line in enumerate(lines) if i not in edges(lines) or key(line) not in common]
        for lines in pages
    ]
