"""Reading the question itself: is it a definition or fact question (answer light) or one
that calls for the route map, and what is its topic (to fill "{onderwerp}" in templates)."""

from __future__ import annotations

import re

from ingest.index.dutch import DUTCH_STOPWORDS, QUERY_FILLER, fold

_DEFINITION = re.compile(
    r"^(?:wat (?:is|zijn|betekent|betekenen|bedoelt? (?:men|je|u|de denktank)? ?met|verstaan"
    r" (?:we|ze|jullie|de bronnen)? ?onder|houdt .* in)|waar staat .* voor|definieer|definitie van"
    r"|leg (?:eens )?uit wat|wat wordt (?:er )?bedoeld met)\b")
_FACT = re.compile(r"^(?:hoeveel|wie|wanneer|in welk(?:e)? jaar|welke (?:tien|vijf|vier|drie|\d+)\b"
                   r"|noem (?:de|alle)\b|welke regio'?s\b)")
_LEAD = re.compile(
    r"^(?:(?:hoe|wat|welke|welk|waarom|wanneer|wie|waar|waarmee|waardoor|kan|kunnen|moet|moeten"
    r"|mag|mogen|is|zijn|heeft|hebben)\s+)(?:\S+\s+){0,3}?(?:ik|we|wij|je|jij|u|men|de raad"
    r"|de gemeente|het college|de gemeenteraad|een gemeente)\s+", re.IGNORECASE)
# Prepositions that name a question's subject ("over de triple helix", "bij de arbeidsmarkt");
# "in", "van", "tussen" … mostly qualify instead ("tussen partners in de regio").
_TAIL_PREPOSITION = re.compile(r"\b(?:over|rond|rondom|omtrent|bij|op)\s+")
_GENERIC = {"samenwerking", "regionale", "regio", "regionaal", "gemeente", "gemeenten", "de", "het",
            "een", "onze", "regionale samenwerking"}
_CLAUSE_WORDS = {"als", "dat", "omdat", "wanneer", "zodat", "of", "terwijl", "zodra", "er"}
_PARTICLES = {"aan", "op", "uit", "mee", "af", "in", "door", "over", "toe", "om", "bij", "terug",
              "voor", "tussen", "met", "van", "naar"}
DEFAULT_TOPIC = "deze opgave"


def question_shape(question: str) -> str:
    """'definition', 'fact' or 'route'."""
    q = fold(question).strip().lstrip("¿¡'\" ")
    q = re.sub(r"^(?:en|maar|dus|ok[eé]?|goed)[,]?\s+", "", q)
    if _DEFINITION.search(q):
        return "definition"
    if _FACT.search(q):
        return "fact"
    return "route"


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


def _is_generic(words: list[str]) -> bool:
    return all(fold(w) in _GENERIC or fold(w) in DUTCH_STOPWORDS for w in words)


def _noun_phrase(text: str, max_words: int) -> str | None:
    """The text as a template's {onderwerp}, or None when it is no usable noun phrase."""
    words = text.split()
    while words and fold(words[-1]) in _PARTICLES:  # "het tekort … aan(pakken)"
        words = words[:-1]
    if not words or len(words) > max_words or fold(words[0]) in _PARTICLES:
        return None  # "tussen partners in de regio" (after the "op" of "opbouwen")
    folded = [fold(w) for w in words]
    if any(w in _CLAUSE_WORDS for w in folded) or any(w.startswith("samenwerk") for w in folded):
        return None  # a clause, or the collaboration itself, which every template names already
    if _is_generic(words) or all(w in DUTCH_STOPWORDS | QUERY_FILLER for w in folded):
        return None
    return " ".join(words)


def question_topic(question: str, max_words: int = 6) -> str:
    """A short noun phrase for the question's subject, or DEFAULT_TOPIC when none stands out."""
    q = " ".join(question.strip().split()).rstrip("?!. ")
    if not q:
        return DEFAULT_TOPIC
    candidates = []
    if question_shape(q) == "definition" and defined_term(q):
        candidates.append(defined_term(q))
    # the last subject-naming preposition's tail, then the words after "hoe … ik/we/de raad"
    candidates += [re.split(r"[.?!;]", q[m.end():])[0]
                   for m in reversed(list(_TAIL_PREPOSITION.finditer(q)))]
    if _LEAD.match(q):
        candidates.append(_LEAD.sub("", q, count=1))
    for candidate in candidates:
        phrase = _noun_phrase(candidate, max_words)
        if phrase:
            return phrase
    return DEFAULT_TOPIC


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
