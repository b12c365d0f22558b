"""The question's topic as a template's {onderwerp}: a well-formed Dutch noun phrase taken from
the question, or the neutral DEFAULT_TOPIC when none can be taken safely.

A template reads "Hoe werken de wethouders … samen aan {onderwerp}?" or "… rond {onderwerp}",
so the topic must be able to follow a preposition: a determiner or a plain noun first (never a
bare proper noun: "aan het Kempenpaspoort", not "aan Kempenpaspoort"), then adjectives and a noun,
optionally a few prepositional groups ("het tekort aan technisch personeel"). Anything else
(a clause, an infinitive after a modal, a verb's particle or idiom, an adverb) gives the neutral
wording. The word classes are small lists and suffixes: the rules err towards the neutral text.
"""

from __future__ import annotations

import re

from assistant.compose.intent import defined_term
from assistant.compose.kind import own_kind
from ingest.index.dutch import DUTCH_STOPWORDS, QUERY_FILLER, fold

DEFAULT_TOPIC = "deze opgave"
MAX_WORDS = 7

# Prepositions that name a question's subject ("over de triple helix", "bij de arbeidsmarkt",
# "omgaan met de krapte"); "in", "van", "tussen" … mostly qualify instead.
_TAIL_PREPOSITION = re.compile(r"\b(?:over|rond|rondom|omtrent|bij|op|om met)\s+", re.IGNORECASE)
_LEAD = re.compile(
    r"^(?:(?:hoe|wat|welke|welk|waarom|wanneer|wie|waar|waarmee|waardoor|kan|kunnen|moet|moeten"
    r"|mag|mogen|is|zijn|heeft|hebben)\s+)((?:\S+\s+){0,3}?)(?:ik|we|wij|je|jij|u|men|de raad"
    r"|de gemeente|het college|de gemeenteraad|een gemeente)\s+", re.IGNORECASE)
_MODALS = {"kan", "kun", "kunnen", "moet", "moeten", "mag", "mogen", "wil", "willen", "zal",
           "zullen", "ga", "gaan", "gaat", "zou", "zouden", "wordt", "worden"}
# Verb idioms whose noun is no topic: "(een opgave) in kaart brengen", "op de agenda zetten".
_IDIOMS = re.compile(r"\b(?:in kaart|in beeld|op gang|op de agenda|aan het werk|op tijd|tot stand"
                     r"|aan de slag|in de gaten|voor elkaar|in de regio|in onze regio|in een regio"
                     r"|in de praktijk)\b", re.IGNORECASE)
_DETERMINERS = {"de", "het", "een", "onze", "ons", "deze", "dit", "hun", "alle", "zijn", "haar"}
_DEMONSTRATIVE = {"dat": "het", "die": "de"}  # "dat kwadrantenmodel" -> "het kwadrantenmodel"
_PREPOSITIONS = {"van", "aan", "voor", "met", "in", "op", "tussen", "bij", "over", "uit", "naar",
                 "zonder", "tegen", "rond", "binnen"}
_PARTICLES = {"aan", "op", "uit", "mee", "af", "in", "door", "over", "toe", "om", "bij", "terug",
              "voor", "tussen", "met", "van", "naar", "samen"}
_NOT_NOUNS = {"samen", "regionaal", "lokaal", "goed", "beter", "sneller", "snel", "vaak", "niet",
              "wel", "ook", "nog", "al", "er", "hier", "daar", "zo", "dan", "nu", "eigenlijk",
              "precies", "echt", "meer", "minder", "zelf", "weer", "elkaar", "lang", "mee", "iets",
              "niets", "aan", "toe", "af", "om", "als", "dat", "omdat", "wanneer", "zodat", "of", "terwijl",
              "zodra", "hoe", "wat", "waarom", "welke", "we", "je", "ik", "u", "ze", "zij", "wij"}
_ADJECTIVE = re.compile(r"(?:e|isch|aal|eel|ief|lijk|baar|ig|end|ende|er|ste)$")
# Words too general to be a topic on their own ("samenwerk…" is refused before this is asked).
_GENERIC = {"regionale", "regio", "regionaal", "gemeente", "gemeenten", "onze", "opgave", "vraag",
            "vraagstuk"}


def _word(token: str) -> bool:
    return bool(re.fullmatch(r"[^\W\d_][\w'’-]*", token))


def _group(words: list[str], allow_name: bool) -> bool:
    """Adjectives and a noun ("technisch personeel"), or a name where one may stand."""
    if not words or not all(_word(w) for w in words):
        return False
    while len(words) > 1 and words[-1][0].isupper() and not words[0][0].isupper():
        words = words[:-1]  # a name after its noun: "de arbeidsmarktregio Groningen"
    folded = [fold(w) for w in words]
    if any(w in _NOT_NOUNS or w in _PREPOSITIONS or w in _DETERMINERS for w in folded):
        return False
    if words[0][0].isupper():
        return allow_name  # a name, e.g. "Twente", "Zuid-Limburg", "Triple Helix-samenwerking"
    if re.search(r"(?:isch|lijk|baar)$", folded[-1]):
        return False  # an adjective or adverb where the noun should be
    # every word before the noun must read as an adjective, or as a name's first part
    return all(_ADJECTIVE.search(w) or words[i][0].isupper() for i, w in enumerate(folded[:-1]))


def well_formed(phrase: str) -> bool:
    """determiner? group ((preposition | "en") determiner? group)*, at most MAX_WORDS words;
    a group right after a determiner or a preposition may be a name."""
    words = phrase.split()
    if not words or len(words) > MAX_WORDS:
        return False
    groups: list[tuple[bool, list[str]]] = []  # (a name may stand here, the group's words)
    i = 0
    while i < len(words):
        joined = bool(groups)
        if joined:
            i += 1  # the preposition or "en" that ended the previous group
        determiner = i < len(words) and fold(words[i]) in _DETERMINERS
        i += determiner
        start = i
        while i < len(words) and fold(words[i]) not in _PREPOSITIONS | {"en"}:
            i += 1
        groups.append((determiner or joined, words[start:i]))
    return all(_group(g, allow_name=named) for named, g in groups)


def _candidate(text: str) -> str | None:
    """A candidate cut to its noun phrase: idioms and trailing particles off, "dat X" -> "het X"."""
    idiom = _IDIOMS.search(text)
    if idiom:
        text = text[:idiom.start()]
    words = text.split()
    while words and fold(words[-1]) in _PARTICLES | _NOT_NOUNS:
        words = words[:-1]
    if words and fold(words[0]) in _DEMONSTRATIVE:
        words[0] = _DEMONSTRATIVE[fold(words[0])]
    phrase = " ".join(words)
    folded = [fold(w) for w in words]
    if not words or any("samenwerk" in w for w in folded):
        return None  # the collaboration itself, which every template names already
    if all(w in _GENERIC or w in DUTCH_STOPWORDS or w in QUERY_FILLER for w in folded):
        return None
    return phrase if well_formed(phrase) else None


def _definition_candidate(q: str) -> str | None:
    term = defined_term(q)
    if not term:
        return None
    article = re.search(rf"(?i)\b(de|het|een|dat|die)\s+{re.escape(term)}", q)
    return f"{article.group(1)} {term}" if article else term


def _candidates(sentence: str) -> list[str]:
    """The object after "hoe pakken we …" (unless a modal puts the verb at the end), then the
    last subject-naming preposition's tail (unless it opens an idiom: "op de agenda")."""
    out = []
    if own_kind(sentence) == "definitie":
        out.append(_definition_candidate(sentence))
    lead = _LEAD.match(sentence)
    if lead and not {fold(w) for w in sentence[:lead.end()].split()} & _MODALS:
        out.append(sentence[lead.end():])
    for m in reversed(list(_TAIL_PREPOSITION.finditer(sentence))):
        if not _IDIOMS.match(sentence[m.start():]):
            out.append(re.split(r"[.?!;,]", sentence[m.end():])[0])
    return [c for c in out if c]


def question_topic(question: str) -> str:
    """A short noun phrase for the question's subject, or DEFAULT_TOPIC when none stands out.
    The question's own sentence comes first, then what the user wrote before it."""
    q = " ".join(question.strip().split()).rstrip("?!. ")
    if q.isupper():
        q = q.lower()  # a question in capitals: its words, not its shouting
    for sentence in reversed(re.split(r"(?<=[.?!])\s+", q)):
        for candidate in _candidates(sentence.rstrip("?!. ")):
            phrase = _candidate(candidate)
            if phrase:
                return phrase
    return DEFAULT_TOPIC
