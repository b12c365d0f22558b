"""What the app shows, as plain functions: chat Markdown, the sources panel, the route map and
the document table. Tested without a server.

Everything that comes from a document or a user is escaped before it goes into HTML or
Markdown: a passage containing `<script>` shows the tag and runs nothing. The chat message is
the answer's layout blocks written as Markdown in the chat's style: no title (the question is
the user's message), smaller headings, [n] as links into the sources panel, no source list.
"""

from __future__ import annotations

import html
import re
import unicodedata
from collections.abc import Iterable, Mapping, Sequence

from assistant.compose.answer import Answer, Citation
from assistant.compose.llm.sanitize import sanitize_model_text
from assistant.present.blocks import Heading, References
from assistant.present.layout import layout
from assistant.present.markdown import MarkdownStyle, md_text, render
from assistant.present.prose import prose_blocks
from assistant.present.references import reference_parts
from ingest.index.corpusdata import Routekaart, SourceInfo
from ingest.index.layout import FileRecord
from ingest.index.passage import Passage

MODE_LABELS = {"vraag": "Vraag", "notitie": "Notitie", "gespreksvragen": "Gespreksvragen"}
DOCUMENT_HEADERS = ["Titel", "Soort", "Jaar", "Passages", "Bestand"]
# A citation marker as the renderer writes it: [3] or [1, 2]; an escaped \[3\] is document text.
_MARKER = re.compile(r"(?<!\\)\[(\d{1,3}(?:\s*,\s*\d{1,3})*)\](?!\()")


def chat_text(text: object) -> str:
    """Text for chat or status Markdown: shown literally, '<' and '>' written as entities so
    the browser never sees a tag."""
    return md_text(str(text), lt="&lt;", gt="&gt;")


def esc(text: object) -> str:
    return html.escape(str(text), quote=True)


def anchor_id(turn: int, n: int) -> str:
    """The element id of source n of answer `turn` in the sources panel."""
    return f"bron-{turn}-{n}"


def _link(turn: int, n: int) -> str:
    return f'[\\[{n}\\]](#{anchor_id(turn, n)} "Bron {n}")'


def link_citations(markdown: str, turn: int) -> str:
    """Turn each [n] marker into a link to that source in the panel."""
    def repl(m: re.Match) -> str:
        numbers = [int(x) for x in re.split(r"\s*,\s*", m.group(1))]
        return "".join(_link(turn, n) for n in numbers)

    return _MARKER.sub(repl, markdown)


def safe_markdown(markdown: str) -> str:
    """No raw HTML in chat Markdown, whatever wrote it (an LLM may echo a tag from a source)."""
    return markdown.replace("<", "&lt;")


def chat_style(turn: int) -> MarkdownStyle:
    return MarkdownStyle(lt="&lt;", gt="&gt;", cite=lambda n: _link(turn, n),
                         shift=2, deepest=5)  # h6 is smaller than the text around it


def answer_body(answer: Answer, turn: int = 0) -> str:
    """The answer without its title and without the long source list, headings chat-sized
    (## becomes ####, deeper ones #####), each [n] a link to source n of answer `turn` in the
    panel."""
    blocks = [b for b in layout(answer)
              if not (isinstance(b, Heading) and b.level == 1) and not isinstance(b, References)]
    return render(blocks, chat_style(turn)).strip()


def sources_line(answer: Answer, turn: int) -> str:
    """One line under the chat answer: each document once, followed by its linked numbers."""
    by_title: dict[str, list[int]] = {}
    for c in answer.citations:
        by_title.setdefault(c.passage.title, []).append(c.n)
    groups = [chat_text(title) + " " + " ".join(_link(turn, n) for n in numbers)
              for title, numbers in by_title.items()]
    return "**Bronnen:** " + "; ".join(groups) if groups else ""


def chat_markdown(answer: Answer, turn: int) -> str:
    """The answer as a chat message: [n] markers link to the sources panel."""
    parts = [answer_body(answer, turn), sources_line(answer, turn)]
    return safe_markdown("\n\n".join(p for p in parts if p))


def stream_markdown(text: str, turn: int) -> str:
    """Text received so far from a language model, shown while it is being written: the whole
    text sanitised and laid out exactly as the final answer's prose is (`sanitize_model_text`,
    then `prose_blocks`, then the chat's writer), never the raw deltas."""
    body = render(prose_blocks(sanitize_model_text(text)), chat_style(turn)).strip()
    return safe_markdown(body) + " ▍"


def progressive(markdown: str, chunks: int = 4) -> list[str]:
    """Growing prefixes of a finished message, cut at paragraph breaks (never inside a link)."""
    blocks = markdown.split("\n\n")
    if len(blocks) <= 1:
        return [markdown]
    size = max(1, -(-len(blocks) // chunks))
    ends = list(range(size, len(blocks), size)) + [len(blocks)]
    return ["\n\n".join(blocks[:end]) for end in ends]


# --- sources panel ----------------------------------------------------------------------------


_QUOTE_MARKS = "“”„\"'‘’‚«»•*- "


def _quote_spans(text: str, quote: str | None) -> list[tuple[int, int]]:
    """Where the cited sentence(s) sit in the passage. A quote may differ from the text in
    whitespace, surrounding quote marks and the case of its first letter ("En hoe …" → "Hoe …")."""
    spans = []
    for part in re.split(r"\s*…\s*", unicodedata.normalize("NFC", quote or "")):
        part = part.strip(_QUOTE_MARKS)
        if len(part) < 3:
            continue
        start = text.find(part)
        if start >= 0:
            spans.append((start, start + len(part)))
            continue
        m = re.search(r"\s+".join(re.escape(w) for w in part.split()), text, re.IGNORECASE)
        if m:
            spans.append(m.span())
    merged: list[tuple[int, int]] = []
    for start, end in sorted(spans):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return merged


def highlight(text: str, quote: str | None) -> str:
    """The passage as escaped HTML with the cited sentence(s) in <mark>."""
    out, at = [], 0
    for start, end in _quote_spans(text, quote):
        out.append(esc(text[at:start]))
        out.append(f'<mark class="rw-cited">{esc(text[start:end])}</mark>')
        at = end
    out.append(esc(text[at:]))
    return "".join(out)


def _neighbour(label: str, passage: Passage | None) -> str:
    if passage is None:
        return ""
    page = f" (p. {passage.page})" if passage.page is not None else ""
    return (f'<details class="rw-neighbour"><summary>{label}{esc(page)}</summary>'
            f'<p class="rw-passage">{esc(passage.text)}</p></details>')


def source_card(c: Citation, turn: int,
                neighbours: tuple[Passage | None, Passage | None] = (None, None)) -> str:
    p = c.passage
    meta = " · ".join(esc(x) for x in reference_parts(c))
    return (
        f'<article class="rw-source" id="{anchor_id(turn, c.n)}" tabindex="-1" '
        f'aria-label="Bron {c.n}: {esc(p.title)}">'
        f'<h4><span class="rw-num">[{c.n}]</span> {esc(p.title)}</h4>'
        f'<p class="rw-meta">{meta}</p>'
        f'<p class="rw-passage">{highlight(p.text, c.quote)}</p>'
        f"{_neighbour('Passage ervoor', neighbours[0])}{_neighbour('Passage erna', neighbours[1])}"
        "</article>"
    )


def sources_html(answer: Answer | None, turn: int,
                 neighbours: Mapping[int, tuple[Passage | None, Passage | None]] | None = None,
                 earlier: Sequence[tuple[int, Answer]] = ()) -> str:
    """The sources panel: one card per cited passage, each reachable by its anchor id. Sources
    of `earlier` answers (turn, answer) sit folded below, so their [n] links still lead somewhere."""
    if answer is None:
        return ('<section class="rw-sources" aria-label="Bronnen"><h3>Bronnen</h3><p class="rw-empty">'
                "Hier verschijnen de passages waarop het antwoord steunt.</p></section>")
    if answer.citations:
        neighbours = neighbours or {}
        body = "".join(source_card(c, turn, neighbours.get(c.n, (None, None)))
                       for c in answer.citations)
    else:
        body = '<p class="rw-empty">Dit antwoord citeert geen bronnen.</p>'
    for number, old in earlier:
        if old.citations:
            cards = "".join(source_card(c, number) for c in old.citations)
            body += (f'<details class="rw-earlier"><summary title="{esc(old.question)}">Bronnen '
                     f"bij een eerdere vraag: {esc(short_question(old.question))}</summary>"
                     f"{cards}</details>")
    return (f'<section class="rw-sources" aria-label="Bronnen bij het antwoord">'
            f'<h3 title="{esc(answer.question)}">Bronnen bij: {esc(short_question(answer.question))}'
            f"</h3>{body}</section>")


HEADING_CHARS = 80


def short_question(question: str, limit: int = HEADING_CHARS) -> str:
    """A question for a heading: at most `limit` characters, cut between words with "…"."""
    text = " ".join(str(question).split())
    if len(text) <= limit:
        return text
    head = text[: limit - 1]
    cut = head.rsplit(" ", 1)[0] if " " in head else head
    return cut.rstrip(" ,;:-") + "…"


# --- route map --------------------------------------------------------------------------------


def covered(answer: Answer | None) -> tuple[set[int], set[int]]:
    """The steps and wegwijzers the answer has evidence for."""
    if answer is None or answer.abstained:
        return set(), set()
    steps = {s.step for s in answer.steps}
    wegwijzers = {w for s in answer.steps for w in s.wegwijzers}
    # A cited wegwijzer passage counts where its step does, so no wegwijzer is marked under an
    # unmarked step.
    wegwijzers |= {c.passage.wegwijzer for c in answer.citations
                   if c.passage.wegwijzer is not None and steps & set(c.passage.steps)}
    return steps, wegwijzers


def route_map_html(routekaart: Routekaart, steps: Iterable[int] = (), wegwijzers: Iterable[int] = (),
                   focus: int | None = None) -> str:
    """Five steps with their wegwijzers; those the answer covers are marked (not by colour alone)."""
    steps, wegwijzers = set(steps), set(wegwijzers)
    mark = '<span class="rw-mark" aria-hidden="true">✓</span><span class="rw-sr"> (in dit antwoord)</span>'
    items = []
    for stap in routekaart.stappen:
        classes = "rw-step" + (" rw-covered" if stap.nummer in steps else "") \
            + (" rw-focus" if stap.nummer == focus else "")
        ww = []
        for n in stap.wegwijzers:
            w = routekaart.wegwijzer(n)
            hit = n in wegwijzers
            ww.append(f'<li class="rw-ww{" rw-covered" if hit else ""}">Wegwijzer {n}: '
                      f"{esc(w.titel)}{mark if hit else ''}</li>")
        items.append(f'<li class="{classes}"><button type="button" class="rw-step-btn" '
                     f'data-step="{stap.nummer}" title="Dezelfde vraag, toegespitst op deze stap">'
                     f"Stap {stap.nummer} · {esc(stap.titel)}{mark if stap.nummer in steps else ''}"
                     f'</button><ul>{"".join(ww)}</ul></li>')
    return f'<nav class="rw-route" aria-label="Routekaart"><ol>{"".join(items)}</ol></nav>'


# --- documents and status ---------------------------------------------------------------------


def document_rows(files: Mapping[str, FileRecord], sources: Mapping[str, SourceInfo]) -> list[list[str]]:
    """One row per document in the index (files it skipped are not documents): title, kind,
    year, passages, file name (as plain text)."""
    rows = []
    for name, record in sorted(files.items(), key=lambda kv: (kv[1].title or kv[0]).casefold()):
        info = sources.get(name)
        if record.skipped:
            continue
        year = str(info.year) if info and info.year else "onbekend"
        rows.append([record.title, record.kind, year, str(record.passages), name])
    return rows


def notice_markdown(answer: Answer | None) -> str:
    if answer is None or not answer.notice:
        return ""
    return f"**Let op:** {chat_text(answer.notice)}"


BACKEND_STATUS = {
    "none": "Er is geen taalmodel ingesteld: de antwoorden bestaan uit zinnen uit de bronnen "
            "(extractief). Stel `REGIOWIJZER_LLM` in om een taalmodel te gebruiken.",
    "untested": "Klik op de knop om te testen of het taalmodel antwoordt.",
    "ok": "**Status:** ✓ het taalmodel antwoordt.",
    "down": "**Status:** ✗ het taalmodel antwoordt niet; de app geeft dan het extractieve antwoord "
            "uit de bronnen.",
}


def backend_markdown(description: str, status: str, notice: str | None = None) -> str:
    """The Instellingen tab: which model writes the answers, whether it responds, the last notice."""
    lines = [f"**Taalmodel:** {chat_text(description)}", BACKEND_STATUS[status]]
    if notice:
        lines.append(f"**Laatste melding bij een antwoord:** {chat_text(notice)}")
    return "\n\n".join(lines)
