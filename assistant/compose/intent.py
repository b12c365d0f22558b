"""Reading the question itself: which term a definition question defines, which numbers it
names. Its kind is assistant.compose.kind's; its topic, for the templates, topic's."""

from __future__ import annotations

import re

from ingest.index.dutch import fold


def defined_term(question: str) -> str | None:
    """The term a definition question asks about: 'wat is weefsel?' -> 'weefsel'."""
    q = question.strip().rstrip("?!. ")
    m = re.search(r"(?i)(?:wat (?:is|zijn|betekent|betekenen)|bedoeld met|bedoelt? \w* ?met"
                  r"|onder|definitie van|uit wat)\s+(?:een\s+|de\s+|het\s+)?(.+)$", q)
    if not m:
        return None
    term = re.sub(r"(?i)\s+(?:precies|eigenlijk|nu|dan|in de bronnen|volgens de bronnen)$", "",
                  m.group(1)).strip(" '\"‘’“”")
    return term or None


def definition_strength(sentence: str, term: str) -> float:
    """How much a sentence reads as a definition of `term`: 1.0 for "X is/vormt/betekent …",
    "bij X gaat het om …" or "onder X verstaan we …"; 0.4 when X merely opens it; else 0."""
    s, t = fold(sentence), re.escape(fold(term))
    article = r"(?:(?:het|de|een|een\s+\w+)\s+)?"
    if re.search(rf"^{article}{t}\b[^.;:]{{0,25}}?\b(?:is|zijn|vormt|vormen|betekent|staat voor"
                 rf"|gaat over|gaat om|verwijst naar|omvat)\b", s) \
            or re.search(rf"\b(?:bij|met|onder)\s+{article}{t}\s+(?:gaat het|bedoelen we|verstaan"
                         rf"|wordt bedoeld)\b", s) \
            or re.search(rf"^{article}{t}\s*[:–-]\s", s):
        return 1.0
    if re.search(rf"^(?:\S+\s+){{0,2}}{t}\b", s):
        return 0.4
    return 0.0


_NUMBERS = frozenset(["twee", "drie", "vier", "vijf", "zes", "zeven", "acht", "negen", "tien",
                      "elf", "twaalf", "dertien", "veertien", "vijftien", "twintig", "dertig",
                      "honderd"])


def numbers_in(text: str) -> set[str]:
    """Digits and Dutch number words in a text ("tien", "35"), for matching fact questions."""
    words = re.findall(r"[^\W_]+", fold(text))
    return {w for w in words if w.isdigit() or w in _NUMBERS}
