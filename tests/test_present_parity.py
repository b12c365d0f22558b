"""One answer, three renderings: every claim and every reference the Markdown shows is in the
DOCX and in the chat, for each mode, both answer shapes and both backends (extractive, and a
language model on the loopback test server).

The Markdown is read as a user reads it, not through the layout's blocks: each line that cites
([n]) is a claim, each "[n] …" entry under Bronnen a reference. Those must come back in the
DOCX (a paragraph holding the same words and citing the same numbers) and in the chat (the
message holding the claim, the sources panel holding the reference)."""

from __future__ import annotations

import html
import re

import pytest
from answer_helpers import corpus_assistant
from llm_server import ScriptedLLMServer, say

from assistant.compose.composer import make_composer
from assistant.present.chat import chat_markdown, sources_html
from assistant.present.docx import to_docx
from assistant.present.markdown import to_markdown
from assistant.present.references import reference_line
from assistant.service import Assistant

pytestmark = pytest.mark.slow

MODES = ("vraag", "notitie", "gespreksvragen")
QUESTIONS = {  # shape -> a question of that shape
    "route": "Hoe houdt de gemeenteraad grip op regionale samenwerking?",
    "light": "Wat is het kwadrantenmodel?",
}
_MARK = re.compile(r"\[(\d+(?:\s*,\s*\d+)*)\]")
_LIST_MARK = re.compile(r"^\s*(?:>\s*)?(?:\d+\.|-)\s+")  # "1. ", "- ", "   > " before a line
_CHAT_LINK = re.compile(r"\[\\\[(\d+)\\\]\]\(#[^)]*\)")


def words(text: str) -> str:
    """The words of a text, whatever wrote it: entities, escapes, quotes and markers gone."""
    text = html.unescape(html.unescape(text))
    text = _MARK.sub(" ", text)
    return " ".join(re.findall(r"\w+", text.lower()))


def numbers(text: str) -> set[int]:
    return {int(n) for m in _MARK.finditer(text) for n in re.split(r"\s*,\s*", m.group(1))}


def markdown_parts(markdown: str) -> tuple[list[str], list[str]]:
    """(claim lines, reference lines) of an exported Markdown answer."""
    body, _, sources = markdown.partition("\n## Bronnen\n")
    lines = (_LIST_MARK.sub("", line) for line in body.splitlines())
    claims = [line for line in lines if _MARK.search(line) and words(line)]
    refs = [line for line in sources.splitlines() if re.match(r"\*\*\[\d+\]\*\*|\[\d+\]", line)]
    return claims, refs


def holds(paragraphs: list[str], claim: str) -> bool:
    """True when one paragraph has the claim's words and cites at least its numbers."""
    want, cited = words(claim), numbers(claim)
    return any(want in words(p) and cited <= numbers(p) for p in paragraphs)


def docx_paragraphs(answer, path) -> list[str]:
    import docx

    return [p.text for p in docx.Document(str(to_docx(answer, path))).paragraphs]


def chat_paragraphs(answer) -> list[str]:
    """The chat message's lines with its [n] links read back as [n] markers."""
    message = chat_markdown(answer, turn=0)
    return [_CHAT_LINK.sub(r"[\1]", line) for line in message.splitlines()]


def llm_reply(first) -> str:
    """A model answer in the shape models write: headings, a paragraph and a list, each line
    quoting a sentence of a passage it was given and citing it."""
    lines = []
    for c in first.citations[:3]:
        sentence = re.split(r"(?<=[.!?])\s", " ".join(c.passage.text.split()))[0].lstrip("•'- ")
        lines.append((sentence.rstrip("."), c.n))
    (s1, n1), *rest = lines
    bullets = "\n".join(f"- {s}. [{n}]" for s, n in rest)
    return f"## Kort antwoord\n{s1}. [{n1}]\n\n## Wat de bronnen zeggen\n{bullets}\n"


@pytest.fixture(scope="module")
def server():
    with ScriptedLLMServer() as s:
        yield s


@pytest.fixture
def answers(corpus_index, embedder, server, monkeypatch):
    """answer(mode, shape, backend): a real answer from the corpus index."""
    settings, _ = corpus_index
    extractive = corpus_assistant(settings, embedder)
    monkeypatch.setenv("REGIOWIJZER_LLM_URL", server.url("openai"))
    monkeypatch.setenv("REGIOWIJZER_LLM_MODEL", "test-model")
    monkeypatch.setenv("REGIOWIJZER_LLM_TIMEOUT", "5")
    composer, notice = make_composer("openai")
    assert notice is None
    model = Assistant(extractive.retriever, extractive.context, abstain_below=extractive.abstain_below,
                      caution_below=extractive.caution_below, composer=composer)

    def answer(mode: str, shape: str, backend: str):
        question = QUESTIONS[shape]
        first = extractive.ask(question, mode=mode)
        assert not first.abstained and first.citations
        if backend == "none":
            return first
        server.script(say(llm_reply(first)))
        written = model.ask(question, mode=mode)
        assert written.backend == "openai" and written.prose, written.notice
        return written

    return answer


@pytest.mark.parametrize("backend", ["none", "openai"])
@pytest.mark.parametrize("shape", sorted(QUESTIONS))
@pytest.mark.parametrize("mode", MODES)
def test_every_claim_and_reference_of_the_markdown_is_in_the_docx_and_the_chat(
        answers, mode, shape, backend, tmp_path):
    answer = answers(mode, shape, backend)
    markdown = to_markdown(answer)
    claims, refs = markdown_parts(markdown)

    # The Markdown itself is complete: every cited passage has a reference, and what the
    # answer says is in it (the extractive points, or the model's own lines).
    assert len(refs) == len(answer.citations)
    if mode == "vraag":
        assert answer.shape == shape, "the question has the shape this case is about"
    if backend == "none":
        said = [p for p in answer.all_points() if p.origin == "source"]
        assert said and all(holds(claims, f"{p.text} " + "".join(f"[{n}]" for n in p.citations))
                            for p in said)
    else:
        model_lines = [line for line in answer.prose.splitlines() if _MARK.search(line)]
        assert model_lines and all(holds(claims, line) for line in model_lines)
        assert len(claims) == len(model_lines), "no extractive body under the model's text"

    document = docx_paragraphs(answer, tmp_path / "antwoord.docx")
    chat = chat_paragraphs(answer)
    missing_docx = [c for c in claims if not holds(document, c)]
    missing_chat = [c for c in claims if not holds(chat, c)]
    assert not missing_docx, missing_docx
    assert not missing_chat, missing_chat

    panel = words(re.sub(r"<[^>]+>", " ", sources_html(answer, turn=0)))
    for c in answer.citations:
        line = reference_line(c)
        assert any(r.startswith(f"[{c.n}] ") and words(r) == words(line) for r in refs)
        assert any(p.startswith(f"[{c.n}] ") and words(line) in words(p) for p in document)
        assert words(line) in panel and words(c.passage.text)[:200] in panel
