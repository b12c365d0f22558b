"""How a citation is referred to: title, author/publisher, year, page, section or wegwijzer,
and block type, in Dutch. Plain functions shared by the markdown and DOCX exports and the UI."""

from __future__ import annotations

from assistant.compose.answer import Citation

BLOCK_LABELS = {
    "tekst": "lopende tekst",
    "stap": "beschrijving van de stap",
    "perspectief": "perspectief (kwadrantenmodel)",
    "verhaal": "verhaal",
    "onderzoek": "uit het onderzoek",
    "handreiking": "handreiking",
}


def where_in_document(c: Citation) -> str:
    p = c.passage
    if p.wegwijzer is not None:
        label = f"Wegwijzer {p.wegwijzer}"
        if c.wegwijzer_title:
            label += f": {c.wegwijzer_title}"
        last = p.section.split(" > ")[-1] if p.section else ""
        if last and "wegwijzer" not in last.lower():
            label += f" › {last}"
        return label
    return p.section.replace(" > ", " › ") if p.section else ""


def reference_parts(c: Citation) -> list[str]:
    """The parts of a full reference after the title, in reading order; only what is known
    (never "pagina onbekend")."""
    p = c.passage
    parts = [part for part in (c.author, str(c.year) if c.year else None,
                               f"p. {p.page}" if p.page is not None else None) if part]
    where = where_in_document(c)
    if where:
        parts.append(where)
    parts.append(BLOCK_LABELS.get(p.block, p.block))
    if p.speaker:
        parts.append(f"spreker: {p.speaker}")
    if p.research_pages:
        parts.append("onderzoeksrapport p. " + ", ".join(p.research_pages))
    return parts


def reference_line(c: Citation) -> str:
    return f"{c.passage.title}. " + ", ".join(reference_parts(c)) + "."


def example_label(c: Citation, text: str = "") -> str:
    """Who or where an example comes from: the speaker of a story, or the regions the example
    sentence names (all the passage's regions when the sentence names none by name)."""
    p = c.passage
    if p.speaker:
        return p.speaker
    named = [place for place in p.places
             if place in text or (len(place.split()[0]) >= 5 and place.split()[0] in text)]
    return ", ".join((named or p.places)[:3])
