"""`python -m evals answers`: measure the answers themselves, not only the ranking.

Per split, over the answerable questions: does the short answer (Kort antwoord) quote a gold
quote, does the whole body, and does the short answer when the gold passage is in the top 5?
Over every answer composed (each question in the three modes, plus two follow-ups): the share
with a dangling claim, with a sentence twice, claims not verbatim in their cited passage,
dangling [n], fragments (a quote that is not a whole sentence), pointer lines ("zie hierboven",
"zeggen de bronnen niets"), off-topic citations, the answer's length and its words before the
sources per mode, whether the same question gives the same answer three times, and how much a
follow-up repeats of the answer before it.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from assistant.compose.anaphora import dangling_reason
from assistant.compose.answer import Answer
from assistant.compose.checks import check_citations
from assistant.compose.spans import fragment
from evals.bank_answers import assistant_without_bank, format_bank_difference, short_gold
from evals.dataset import Query, contains_evidence, load_evidence, load_queries, normalize
from evals.metrics import median, percentile
from evals.report import write_report
from ingest.index.dutch import DUTCH_STOPWORDS, fold, words
from ingest.index.sentences import split_sentences

RESULTS_DIR = Path(__file__).resolve().parent / "results"
FOLLOWUPS = ("en wat betekent dat voor de raad?", "geef een voorbeeld")
OTHER_MODES = ("notitie", "gespreksvragen")
TOP = 5
MODES = ("vraag", *OTHER_MODES)
RUNS = 3  # the same question asked this often must give the same answer
POINTER = re.compile(r"(?i)\b(?:hierboven|hieronder|zie het korte antwoord)\b")
# "Over stap 2 en 4 zeggen de bronnen niets", "Over Middelburg zeggen de bronnen niets": a line
# that says what the sources do not cover; counted apart from the pointers (it points nowhere,
# and tells a region's reader something), so a reader can see how often it is printed
NOTHING = re.compile(r"(?i)\bzeggen de bronnen(?: bij deze vraag)? niets\b")


def claims(answer: Answer) -> list[str]:
    """The source sentences the answer quotes as claims (every section, every mode)."""
    return [p.text for p in answer.all_points() if p.origin == "source"]


def shown_texts(answer: Answer) -> list[str]:
    """The texts a reader sees in the answer's body (not its list of sources), in order."""
    from assistant.present.blocks import ItemList, Paragraph, Quote, Text
    from assistant.present.layout import layout

    def text(runs) -> str:
        return "".join(r.text for r in runs if isinstance(r, Text))

    out = []
    for block in layout(answer):
        if isinstance(block, Paragraph | Quote):
            out.append(text(block.runs))
        elif isinstance(block, ItemList):
            for item in block.items:
                out += [text(item.runs), text(item.quote)] if item.quote else [text(item.runs)]
    return out


def sentences_of(texts: Iterable[str]) -> list[str]:
    """The texts' sentences, normalised and without the quote marks and ellipses around them,
    so the same sentence compares equal wherever the answer shows it."""
    return [normalize(s).strip(" …\"") for t in texts for s in split_sentences(t)]


def said(answer: Answer) -> list[str]:
    """Every quoted source sentence a reader sees, as laid out (a sentence shown twice counts
    twice, one the layout does not show does not count); normalised, in order."""
    sources = set(sentences_of(claims(answer) + [p.quote for p in answer.all_points() if p.quote]))
    return [s for s in sentences_of(shown_texts(answer)) if s in sources]


def repeated(sentences: Sequence[str]) -> list[str]:
    seen: set[str] = set()
    twice = []
    for s in sentences:
        if s in seen and s not in twice:
            twice.append(s)
        seen.add(s)
    return twice


def quotes_gold(texts: Iterable[str], quotes: Sequence[str]) -> bool:
    """True when any of the texts holds a gold quote (or a long enough run of it)."""
    texts = list(texts)
    return any(contains_evidence(t, q) for t in texts for q in quotes)


@dataclass
class Facts:
    """What one composed answer shows."""

    claims: int = 0
    dangling: list[str] = field(default_factory=list)
    repeated: list[str] = field(default_factory=list)
    unfaithful: int = 0
    dangling_refs: int = 0
    words: int = 0
    summary_words: int = 0
    fragments: list[str] = field(default_factory=list)
    pointers: list[str] = field(default_factory=list)
    nothing: list[str] = field(default_factory=list)
    cited: int = 0
    off_topic: list[str] = field(default_factory=list)
    before_sources: int = 0


def fragments(answer: Answer) -> list[str]:
    """Quoted claims that are not whole sentences; the items of a listed lead excepted."""
    lead = [p.text for p in answer.summary]
    items = set(lead[1:]) if lead and lead[0].endswith(":") else set()
    return [t for t in claims(answer) if t not in items and fragment(t)]


def body_markdown(answer: Answer) -> str:
    """The answer as a reader sees it before the sources, without its title line."""
    from assistant.present.markdown import to_markdown

    text = answer.meta.get("markdown") or to_markdown(answer)
    body = text.split("\n## Bronnen", 1)[0]
    return "\n".join(line for line in body.splitlines() if not line.startswith("# "))


def pointer_lines(answer: Answer) -> list[str]:
    return [line for line in body_markdown(answer).splitlines() if POINTER.search(line)]


def nothing_lines(answer: Answer) -> list[str]:
    return [line for line in body_markdown(answer).splitlines() if NOTHING.search(line)]


def _stems(text: str) -> set[str]:
    return {w[:5] for w in words(fold(text)) if len(w) >= 4 and w not in DUTCH_STOPWORDS}


def off_topic(answer: Answer, question: str) -> list[str]:
    """Citations whose quoted sentences share at most one content word with the question
    (matched on one word: "agenda" -> the raadsagenda, a city -> the acknowledgements)."""
    asked = _stems(question)
    out = []
    for c in answer.citations:
        quoted = " ".join(c.quotes) if c.quotes else (c.quote or "")
        if quoted and len(_stems(quoted) & asked) <= 1:
            out.append(quoted[:120])
    return out


def answer_facts(answer: Answer, question: str | None = None) -> Facts:
    if answer.abstained:
        return Facts()
    texts = claims(answer)
    problems = check_citations(answer)
    return Facts(
        fragments=fragments(answer), pointers=pointer_lines(answer),
        nothing=nothing_lines(answer), cited=len(answer.citations),
        off_topic=off_topic(answer, question) if question else [],
        before_sources=len(body_markdown(answer).replace("#", " ").split()),
        claims=len(texts),
        dangling=[t for t in texts if dangling_reason(t)],
        repeated=repeated(said(answer)),
        unfaithful=sum("niet letterlijk" in p or "citaat staat niet" in p for p in problems),
        dangling_refs=sum("onbekende bron" in p or "geen enkele bron" in p for p in problems),
        words=sum(len(p.text.split()) + len((p.quote or "").split()) for p in answer.all_points()),
        summary_words=sum(len(p.text.split()) for p in answer.summary))


def _share(flags: Sequence[bool]) -> float | None:
    return sum(flags) / len(flags) if flags else None


def _mode_figures(facts: Sequence[Facts]) -> dict:
    answered = [f for f in facts if f.claims]
    return {"answers": len(answered),
            "fragments": sum(len(f.fragments) for f in answered),
            "pointers": sum(len(f.pointers) for f in answered),
            "off_topic": _share([True] * sum(len(f.off_topic) for f in answered)
                                + [False] * sum(f.cited - len(f.off_topic) for f in answered)),
            "before_sources": median([f.before_sources for f in answered])}


def measure(queries: Sequence[Query], gold: dict[str, list[str]],
            ask: Callable[..., Answer], top: Callable[[str], list[str]]) -> dict:
    """Figures for one split. `ask(question, mode=, history=)` answers; `top(question)` gives
    the texts of the retrieval's top passages."""
    answerable = [q for q in queries if q.answerable and gold.get(q.id)]
    rows, facts, followup_repeats, ms, same = [], [], [], [], []
    by_mode: dict[str, list[Facts]] = {m: [] for m in (*MODES, "vervolg")}
    for q in answerable:
        quotes = gold[q.id]
        answer = ask(q.text, mode="vraag")
        ms.append(float(answer.meta.get("ms", 0.0)))
        again = [ask(q.text, mode="vraag").meta.get("markdown") for _ in range(RUNS - 1)]
        same.append(all(m == answer.meta.get("markdown") for m in again))
        in_top = quotes_gold(top(q.text), quotes)
        summary = [p.text for p in answer.summary] if not answer.abstained else []
        rows.append({"id": q.id, "abstained": answer.abstained, "in_top": in_top,
                     "kind": answer.kind,
                     "short": quotes_gold([" ".join(summary)], quotes),
                     "body": quotes_gold([" ".join(claims(answer))], quotes) if summary else False,
                     "summary": summary})
        facts.append(answer_facts(answer, q.text))
        by_mode["vraag"].append(facts[-1])
        for mode in OTHER_MODES:
            facts.append(answer_facts(ask(q.text, mode=mode), q.text))
            by_mode[mode].append(facts[-1])
        before = set(said(answer))
        for followup in FOLLOWUPS:
            later = ask(followup, mode="vraag", history=[q.text])
            facts.append(answer_facts(later))
            by_mode["vervolg"].append(facts[-1])
            if not later.abstained and not answer.abstained:
                lead = sentences_of(p.text for p in later.summary)
                followup_repeats.append(any(s in before for s in lead))
    answered = [f for f in facts if f.claims]
    in_top = [r for r in rows if r["in_top"]]
    modes = {m: _mode_figures(f) for m, f in by_mode.items()}
    return {
        "questions": len(answerable),
        "answers": len(facts),
        "short_gold": _share([r["short"] for r in rows]),
        "body_gold": _share([r["body"] for r in rows]),
        "top5": _share([r["in_top"] for r in rows]),
        "short_gold_top5": _share([r["short"] for r in in_top]),
        "abstained": _share([r["abstained"] for r in rows]),
        "dangling_answers": _share([bool(f.dangling) for f in answered]),
        "dangling_claims": _share([True] * sum(len(f.dangling) for f in answered)
                                  + [False] * sum(f.claims - len(f.dangling) for f in answered)),
        "repeated_answers": _share([bool(f.repeated) for f in answered]),
        "unfaithful_claims": sum(f.unfaithful for f in facts),
        "dangling_refs": sum(f.dangling_refs for f in facts),
        "followup_repeats": _share(followup_repeats),
        "fragments": sum(len(f.fragments) for f in answered),
        "pointers": sum(len(f.pointers) for f in answered),
        "nothing_lines": sum(len(f.nothing) for f in answered),
        "off_topic": _share([True] * sum(len(f.off_topic) for f in answered)
                            + [False] * sum(f.cited - len(f.off_topic) for f in answered)),
        "identical": _share(same),
        "before_vraag": modes["vraag"]["before_sources"],
        "before_notitie": modes["notitie"]["before_sources"],
        "before_gespreksvragen": modes["gespreksvragen"]["before_sources"],
        "median_words": median([f.words for f in answered]),
        "median_short_words": median([f.summary_words for f in answered]),
        "p50_ms": percentile(ms, 50),
        "p95_ms": percentile(ms, 95),
        "modes": modes,
        "rows": rows,
        "examples": {"dangling": [d for f in answered for d in f.dangling][:40],
                     "repeated": [r for f in answered for r in f.repeated][:20],
                     "fragments": [d for f in answered for d in f.fragments][:20],
                     "pointers": [d for f in answered for d in f.pointers][:20],
                     "nothing_lines": [d for f in answered for d in f.nothing][:20],
                     "off_topic": [d for f in answered for d in f.off_topic][:20]},
    }


COLUMNS = [("short_gold", "kort: citaat"), ("body_gold", "geheel: citaat"), ("top5", "in top 5"),
           ("short_gold_top5", "kort: citaat als top 5 raak"), ("dangling_answers", "bungelend"),
           ("dangling_claims", "bungelende claims"), ("repeated_answers", "zin 2×"),
           ("followup_repeats", "vervolg herhaalt"), ("unfaithful_claims", "niet letterlijk"),
           ("dangling_refs", "losse [n]"), ("fragments", "fragmenten"), ("pointers", "verwijsregels"),
           ("nothing_lines", "niets-regels"),
           ("off_topic", "citaties naast"), ("identical", "3× gelijk"),
           ("before_vraag", "vóór bronnen: vraag"),
           ("before_notitie", "notitie"), ("before_gespreksvragen", "gespreksvragen"),
           ("median_words", "woorden"),
           ("median_short_words", "woorden kort"), ("p50_ms", "p50 ms")]


def format_table(results: dict[str, dict], title: str) -> str:
    lines = [f"**{title}**", "", "| deel | vragen | antwoorden | "
             + " | ".join(label for _, label in COLUMNS) + " |", "|" + "---|" * (len(COLUMNS) + 3)]
    for split, r in results.items():
        cells = []
        for key, _ in COLUMNS:
            value = r.get(key)
            if value is None:
                cells.append("–")
            elif key in ("unfaithful_claims", "dangling_refs", "fragments", "pointers",
                         "nothing_lines") \
                    or "words" in key or key.startswith("before_"):
                cells.append(f"{value:.0f}")
            elif key.endswith("_ms"):
                cells.append(f"{value:.1f}")
            else:
                cells.append(f"{value:.2f}")
        lines.append(f"| {split} | {r['questions']} | {r['answers']} | " + " | ".join(cells) + " |")
    return "\n".join(lines)


def run_answers(settings, splits: Sequence[str], say=print, out_dir: Path = RESULTS_DIR) -> dict:
    from assistant.service import Assistant
    from ingest.build import ingest
    from ingest.index.embedders import make_embedder

    embedder = make_embedder(settings)
    ingest(settings, progress=sys.stderr.isatty(), embedder=embedder)
    assistant = Assistant.from_settings(settings, embedder=embedder)
    assistant.warm_up()
    gold: dict[str, list[str]] = {}
    for ev in load_evidence():
        gold.setdefault(ev.query_id, []).append(ev.quote)
    queries = load_queries()

    def top(question: str) -> list[str]:
        return [h.passage.text for h in assistant.retriever.search(question, k=TOP)]

    results, bank_lines = {}, []
    without = assistant_without_bank(assistant) if assistant.retriever.bank is not None else None
    for split in splits:
        qs = [q for q in queries if split == "all" or q.split == split]
        results[split] = measure(qs, gold, assistant.ask, top)
        if without is not None:
            ours = {r["id"]: r["short"] for r in results[split]["rows"]}
            bank_lines.append(format_bank_difference(split, ours, short_gold(without.ask, qs, gold)))
    title = f"Antwoorden, model {embedder.name} ({datetime.now(UTC):%Y-%m-%d})"
    table = format_table(results, title)
    if bank_lines:
        table += "\n\nVragenbank (zelfde index, bank uit):\n\n" + "\n".join(bank_lines)
    say(table)
    report = {"created": datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ"),
              "config": {"model": embedder.identity}, "results": results}
    json_path, _ = write_report(out_dir, "answers-latest", report, table + "\n")
    say(f"\nResultaten opgeslagen in {json_path}")
    return results


__all__ = ["Facts", "answer_facts", "claims", "measure", "quotes_gold", "repeated",
           "run_answers", "said"]
