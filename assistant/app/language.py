"""Is a question written in English? Regiowijzer searches Dutch sources, so an English question
gets a one-line Dutch note saying so (the answer itself still comes from those sources).

A count of common function words, not a language model: a question counts as English when at
least two of its words are English function words and they outnumber the Dutch ones. Words both
languages share ("in", "is", "over") count for neither."""

from __future__ import annotations

import re

ENGLISH = frozenset(
    "the a an and or of to for with what which who whom whose how why when where does do did can "
    "could should would will shall is are was were be been being this that these those our your "
    "their my it its from about into between on at by as we you they there than then if not "
    "regional region municipality municipalities council labour market".split()) - {"is", "was", "we", "of"}
DUTCH = frozenset(
    "de het een en of van voor met wat welke wie hoe waarom wanneer waar doet doen kan kun kunnen "
    "moet moeten zou zal zijn was waren worden wordt dit dat deze die onze uw hun mijn naar uit "
    "tussen op aan bij als wij we jullie zij er dan niet ook gemeente gemeenten raad regio "
    "arbeidsmarkt samenwerking".split()) - {"of", "was", "we", "regio"}
NOTE = ("Regiowijzer beantwoordt vragen uit Nederlandstalige bronnen; stel uw vraag in het "
        "Nederlands voor het beste antwoord.")


def looks_english(question: str) -> bool:
    words = re.findall(r"[a-z']+", question.lower())
    english = sum(w in ENGLISH for w in words)
    dutch = sum(w in DUTCH for w in words)
    return english >= 2 and english > 2 * dutch


def language_note(question: str) -> str | None:
    """The Dutch note for an English question; None otherwise."""
    return NOTE if looks_english(question) else None
