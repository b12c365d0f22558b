"""Lists the corpus data holds as structure: the five steps and ten wegwijzers of the route map
and the regions the report studied (corpus/routekaart.toml). A list question about one of them
is answered from the data, citing the passage of the evidence that states the list.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ingest.index.dutch import fold

MIN_NAMED = 0.5  # the stating passage names at least this share of the items
_COUNTS = {3: "drie", 4: "vier", 5: "vijf", 6: "zes", 7: "zeven", 8: "acht", 9: "negen", 10: "tien",
           11: "elf", 12: "twaalf"}


def _count(n: int) -> str:
    return _COUNTS.get(n, str(n))


def _mark(name: str) -> str:
    """The word by which a region's name is found in a text: its longest word."""
    return max(name.split(), key=len)


@dataclass(frozen=True)
class DataList:
    lead_in: str
    items: tuple[str, ...]
    names: tuple[str, ...]  # how the items are found in a passage


def data_list(question: str, routekaart) -> DataList | None:
    """The list the question asks for, when the route-map data holds it."""
    q = fold(question)
    if re.search(r"\bwegwijzers?\b", q):
        ws = routekaart.wegwijzers
        return DataList(f"De {_count(len(ws))} wegwijzers van de routekaart:",
                        tuple(f"Wegwijzer {w.nummer} · {w.titel}" for w in ws), tuple(w.titel for w in ws))
    if re.search(r"\bstappen\b", q) and re.search(r"\b(?:routekaart|vijf|welke|noem)\b", q):
        st = routekaart.stappen
        return DataList(f"De {_count(len(st))} stappen van de routekaart:",
                        tuple(f"Stap {s.nummer} · {s.titel}" for s in st), tuple(s.titel for s in st))
    studied_words = r"\b(?:onderzo\w*|bekeken|bestudeerd|tien|casestud\w*)\b"
    if re.search(r"\bregio'?s\b", q) and re.search(studied_words, q):
        studied = [r for r in routekaart.regios if r.onderzocht]
        if studied:
            return DataList(f"De {_count(len(studied))} regio's uit het onderzoek:",
                            tuple(r.naam for r in studied), tuple(_mark(r.naam) for r in studied))
    return None


def named_share(text: str, names: tuple[str, ...]) -> float:
    folded = fold(" ".join(text.split()))
    return sum(1 for n in names if fold(n) in folded) / max(len(names), 1)


def stating_sentences(text: str, names: tuple[str, ...]) -> list[str]:
    """The passage's sentences (verbatim) that name items of the list."""
    from assistant.compose.spans import units

    return [u.text for u in units(text) if named_share(u.text, names) > 0]


def stating_passage(passages, names: tuple[str, ...]):
    """The passage that names most of the items (at least MIN_NAMED of them), or None."""
    best = max(passages, key=lambda p: named_share(p.text, names), default=None)
    return best if best is not None and named_share(best.text, names) >= MIN_NAMED else None
