"""Check the Regiowijzer evaluation set (stdlib only).

Usage:  python evals/data/check_quotes.py [--verbose]

1. Every evidence quote must occur in its document after light normalisation:
   curly quotes straightened, words hyphenated across a line break either joined
   ("onder-\\nwijsinstellingen" -> "onderwijsinstellingen") or kept with their hyphen
   ("Helix-\\ngedachte" -> "Helix-gedachte"), and all whitespace collapsed.
2. Structural checks: ids, fields, doc ids, scores, quote length (6-20 words),
   answerable questions have evidence (at least one score 2), unanswerable ones none.
3. Share of answerable questions that share no content word with any of their
   quotes (Dutch stopwords and the domain words regio/regionaal/samenwerking/
   gemeente/raad ignored). Two measures are printed:
     - "stem":   words compared after a light suffix strip (-en, -e, -s, -n, 's);
                 this is the measure that must be >= 0.5;
     - "prefix": stricter, also counts two words as shared when they start with
                 the same 6 letters (catches compounds/derivations).
4. Coverage counts per document / step / wegwijzer / split / user / style.

Exit status is 1 when a quote is missing, a structural check fails, or the
no-shared-content-word share (stem measure) is below 0.5.
"""

from __future__ import annotations

import json
import re
import sys
from collections import Counter, defaultdict
from pathlib import Path

HERE = Path(__file__).resolve().parent
CORPUS = HERE.parents[1] / "corpus"
DOC_IDS = [
    "regiodenken",
    "vng-nieuws-werkende-samenwerking",
    "handreiking-werkgeversdienstverlening",
    "triple-helix-regionale-werkzekerheid",
    "vng-denktank-jaarbericht-2018",
]
USERS = {"raadslid", "beleidsmedewerker", "trainer", "trefwoord"}
STYLES = {"parafrase", "trefwoord", "letterlijk", "buiten-corpus"}
WW_TO_STEP = {1: 1, 2: 1, 3: 1, 4: 2, 5: 3, 6: 3, 7: 4, 8: 4, 9: 5, 10: 5}
SPLITS = ("dev", "test", "val")  # val: written later, blind; never tune on it
MIN_WORDS, MAX_WORDS = 6, 20

QUOTE_MAP = str.maketrans({"\u2018": "'", "\u2019": "'", "\u201c": '"', "\u201d": '"'})
BREAK = "\x00"  # marks a hyphen at a line break in the normalised document

# Small Dutch stopword list: function words, pronouns, auxiliaries and very common
# verbs, numerals, question words and a few question-frame words.
STOPWORDS = set(
    re.findall(
        r"\S+",
        """
    de het een en of maar want dus dan als om te tot in op aan van voor met door bij
    naar over uit onder tussen tegen zonder na sinds vanuit via per binnen buiten
    rond rondom omdat doordat terwijl hoewel zodat waardoor wanneer waar waarom hoe
    wat wie welke welk waarmee waarover waarin waarbij hoeveel hoelang
    die dat deze dit zo zoals er hier daar daarover daarbij daarin daarmee daarvan
    ik je jij u we wij ze zij hij hem haar zijn hun ons onze mijn mij me jouw jullie
    men iemand iets niets niemand iedereen alles elkaar zich zelf zichzelf jezelf
    is ben bent was waren zijn wordt worden werd werden geworden zal zullen zou zouden
    kan kun kunt kunnen kon konden mag mogen moet moeten moest wil wilt willen
    heb hebt heeft hebben had hadden gaat gaan ga ging komt komen kom kwam doet doen
    doe deed laat laten maakt maken maak krijgt krijgen krijg staat staan
    niet geen nooit ook nog al wel toch even weer juist alleen vooral eigenlijk
    heel zeer erg veel meer meest minder weinig enkele enige andere ander anders
    allerlei alle elk elke ieder iedere sommige zowel beide dezelfde hetzelfde
    zo'n zulke echt gewoon vaak altijd soms nu straks later eerst eerder net
    een twee drie vier vijf zes tien één eerste tweede
    ja nee graag bijvoorbeeld eens voordat nadat eigen naast
    bronnen bron zeggen zegt geef gegeven schrijf sessie
    """,
    )
)
# Domain words the brief says to ignore (with their usual inflections).
DOMAIN_IGNORE = set(
    re.findall(
        r"\S+",
        """
    regio regio's regios regionaal regionale samenwerking samenwerkingen samenwerken
    gemeente gemeenten gemeentes raad raden gemeenteraad gemeenteraden
    """,
    )
)


def straighten(text: str) -> str:
    return text.translate(QUOTE_MAP)


def normalise_doc(text: str) -> str:
    text = straighten(text)
    # hyphen + line break (+ empty lines / indentation) -> marker; decided per quote
    text = re.sub(r"-[ \t\xa0]*\n\s*", BREAK, text)
    return re.sub(r"\s+", " ", text).strip()


def normalise_quote(quote: str) -> str:
    return re.sub(r"\s+", " ", straighten(quote)).strip()


def quote_pattern(quote: str) -> re.Pattern[str]:
    """A pattern in which every line-break hyphen of the document may appear
    either joined (nothing) or as a plain hyphen in the quote."""
    parts = []
    for ch in quote:
        parts.append(f"(?:-|{BREAK})" if ch == "-" else re.escape(ch))
        parts.append(f"{BREAK}?")
    return re.compile("".join(parts))


def tokens(text: str) -> list[str]:
    words = re.findall(r"[a-zà-ÿ]+", straighten(text).lower())
    return [w for w in words if len(w) > 1 and w not in STOPWORDS and w not in DOMAIN_IGNORE]


def stem(word: str) -> str:
    for suffix in ("en", "e", "s", "n"):
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            return word[: -len(suffix)]
    return word


def shared_words(question: str, quotes: list[str], mode: str) -> set[str]:
    q_words = set(tokens(question))
    e_words = {w for quote in quotes for w in tokens(quote)}
    shared = set()
    for qw in q_words:
        for ew in e_words:
            if stem(qw) == stem(ew) or (
                mode == "prefix" and len(qw) >= 6 and len(ew) >= 6 and qw[:6] == ew[:6]
            ):
                shared.add(qw)
    return shared


def load_jsonl(path: Path) -> list[dict]:
    rows = []
    with path.open(encoding="utf-8") as handle:
        for n, line in enumerate(handle, 1):
            if line.strip():
                try:
                    rows.append(json.loads(line))
                except json.JSONDecodeError as exc:
                    raise SystemExit(f"{path.name}:{n}: invalid JSON: {exc}") from exc
    return rows


def table(title: str, counter: Counter, order=None) -> None:
    keys = order if order is not None else sorted(counter, key=lambda k: (k is None, str(k)))
    print(f"\n{title}")
    for key in keys:
        print(f"  {str(key):40s} {counter.get(key, 0)}")


def main() -> int:
    verbose = "--verbose" in sys.argv
    queries = load_jsonl(HERE / "queries.jsonl")
    evidence = load_jsonl(HERE / "evidence.jsonl")
    docs = {d: normalise_doc((CORPUS / f"{d}.txt").read_text(encoding="utf-8")) for d in DOC_IDS}
    problems: list[str] = []

    # --- queries -------------------------------------------------------------------
    by_id: dict[str, dict] = {}
    seen_texts: set[str] = set()
    for q in queries:
        qid, meta = q.get("_id"), q.get("metadata", {})
        if not qid or qid in by_id:
            problems.append(f"duplicate or missing _id: {qid}")
        by_id[qid] = q
        text_key = re.sub(r"\W+", " ", q.get("text", "").lower()).strip()
        if not text_key or text_key in seen_texts:
            problems.append(f"{qid}: empty or duplicate text")
        seen_texts.add(text_key)
        if meta.get("user") not in USERS:
            problems.append(f"{qid}: bad user {meta.get('user')!r}")
        if meta.get("split") not in SPLITS:
            problems.append(f"{qid}: bad split {meta.get('split')!r}")
        if meta.get("style") not in STYLES:
            problems.append(f"{qid}: bad style {meta.get('style')!r}")
        if not isinstance(meta.get("answerable"), bool):
            problems.append(f"{qid}: answerable must be true/false")
        if meta.get("doc_id") is not None and meta["doc_id"] not in DOC_IDS:
            problems.append(f"{qid}: unknown doc_id {meta['doc_id']!r}")
        step, ww = meta.get("step"), meta.get("wegwijzer")
        if step is not None and step not in range(1, 6):
            problems.append(f"{qid}: bad step {step!r}")
        if ww is not None and (ww not in WW_TO_STEP or WW_TO_STEP[ww] != step):
            problems.append(f"{qid}: wegwijzer {ww!r} does not fit step {step!r}")
        if meta.get("answerable") is False and (step, ww, meta.get("doc_id")) != (None, None, None):
            problems.append(f"{qid}: unanswerable question should have no step/wegwijzer/doc_id")
        if (meta.get("style") == "buiten-corpus") == bool(meta.get("answerable")):
            problems.append(f"{qid}: style buiten-corpus iff answerable is false")
        if not meta.get("note"):
            problems.append(f"{qid}: missing note")

    # --- evidence ------------------------------------------------------------------
    quotes_of: dict[str, list[str]] = defaultdict(list)
    scores_of: dict[str, list[int]] = defaultdict(list)
    missing = 0
    seen_pairs: set[tuple[str, str, str]] = set()
    for ev in evidence:
        qid, doc = ev.get("query_id"), ev.get("doc_id")
        quote, score = ev.get("quote", ""), ev.get("score")
        if qid not in by_id:
            problems.append(f"evidence for unknown query {qid}")
            continue
        if doc not in DOC_IDS:
            problems.append(f"{qid}: unknown doc_id {doc!r}")
            continue
        if score not in (1, 2):
            problems.append(f"{qid}: bad score {score!r}")
        if (qid, doc, quote) in seen_pairs:
            problems.append(f"{qid}: duplicate evidence line")
        seen_pairs.add((qid, doc, quote))
        n_words = len(normalise_quote(quote).split())
        if not MIN_WORDS <= n_words <= MAX_WORDS:
            problems.append(f"{qid}: quote has {n_words} words: {quote!r}")
        if any(c in quote for c in "\u2018\u2019\u201c\u201d\n"):
            problems.append(f"{qid}: quote not in cleaned form: {quote!r}")
        if not quote_pattern(normalise_quote(quote)).search(docs[doc]):
            missing += 1
            print(f"NOT FOUND  {qid}  [{doc}]  {quote!r}")
        quotes_of[qid].append(quote)
        scores_of[qid].append(score)

    for qid, q in by_id.items():
        answerable = q["metadata"].get("answerable")
        if answerable and not quotes_of[qid]:
            problems.append(f"{qid}: answerable but no evidence")
        if answerable and 2 not in scores_of[qid]:
            problems.append(f"{qid}: answerable but no score-2 evidence")
        if not answerable and quotes_of[qid]:
            problems.append(f"{qid}: unanswerable but has evidence")

    # --- lexical overlap -----------------------------------------------------------
    answerable_ids = [qid for qid, q in by_id.items() if q["metadata"].get("answerable")]
    share = {}
    for mode in ("stem", "prefix"):
        clean = []
        for qid in answerable_ids:
            words = shared_words(by_id[qid]["text"], quotes_of[qid], mode)
            if not words:
                clean.append(qid)
            elif verbose and mode == "stem":
                print(f"shares {sorted(words)}  {qid}: {by_id[qid]['text']}")
        share[mode] = len(clean) / max(1, len(answerable_ids))
    para = [qid for qid in answerable_ids if by_id[qid]["metadata"]["style"] == "parafrase"]
    para_clean = [
        qid for qid in para if not shared_words(by_id[qid]["text"], quotes_of[qid], "stem")
    ]

    # --- report --------------------------------------------------------------------
    metas = [q["metadata"] for q in queries]
    ans = [m for m in metas if m.get("answerable")]
    n_unans = len(queries) - len(ans)
    print(f"queries: {len(queries)}  (answerable {len(ans)}, unanswerable {n_unans})")
    n2 = sum(1 for e in evidence if e.get("score") == 2)
    n1 = sum(1 for e in evidence if e.get("score") == 1)
    print(f"evidence lines: {len(evidence)}  (score 2: {n2}, score 1: {n1})")
    print(f"quotes not found: {missing}")
    print(
        f"answerable questions sharing no content word with any quote: "
        f"stem {share['stem']:.2f}, prefix {share['prefix']:.2f}"
    )
    print(f"  of which style=parafrase: {len(para_clean)}/{len(para)} share none (stem)")

    table("main document (answerable questions)", Counter(m.get("doc_id") for m in ans), DOC_IDS)
    ev_docs = defaultdict(set)
    for ev in evidence:
        ev_docs[ev.get("doc_id")].add(ev.get("query_id"))
    with_ev = Counter({d: len(ev_docs[d]) for d in DOC_IDS})
    table("questions with evidence in document", with_ev, DOC_IDS)
    table("step (all questions)", Counter(m.get("step") for m in metas), [1, 2, 3, 4, 5, None])
    ww_order = list(range(1, 11)) + [None]
    table("wegwijzer (all questions)", Counter(m.get("wegwijzer") for m in metas), ww_order)
    table("user", Counter(m.get("user") for m in metas))
    table("style", Counter(m.get("style") for m in metas))
    table("split", Counter(m.get("split") for m in metas), list(SPLITS))
    split_table = Counter()
    for m in metas:
        split_table[(m.get("split"), "user", m.get("user"))] += 1
        split_table[(m.get("split"), "answerable", m.get("answerable"))] += 1
        split_table[(m.get("split"), "step", m.get("step"))] += 1
    print("\nsplit x stratum (" + " / ".join(SPLITS) + ")")
    strata = (
        ("user", sorted(USERS)),
        ("answerable", [True, False]),
        ("step", [1, 2, 3, 4, 5, None]),
    )
    for kind, values in strata:
        for v in values:
            counts = " / ".join(f"{split_table[(s, kind, v)]:3d}" for s in SPLITS)
            print(f"  {kind:10s} {str(v):18s} {counts}")

    for p in problems:
        print("PROBLEM", p)
    ok = missing == 0 and not problems and share["stem"] >= 0.5
    print("\nOK" if ok else "\nFAILED")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
