"""What kind of answer a question needs, and whether the best passages can give it at all.

Topic closeness cannot tell "Hoeveel leden heeft de Drechtraad?" (the sources name the Drechtraad
but never its size) from a question they do answer: both match the same passages. What they lack
is the kind of thing asked for, or the thing itself. Three checks, all pure:

- a year the question names that no passage of the index mentions ("in 2024", "de verkiezingen
  van 2022"): sources that never mention the year cannot say what happened in it;
- a name the question asks about (a capitalised word inside a sentence, or an acronym: "de
  SLIM-subsidie", "Hedwich Rinkes") that neither the sources nor the glossary nor the list of
  places knows, not even in another form ("Eindhovense" for "Eindhoven");
- a figure ("hoeveel …", "aantal …", "welk percentage …", "hoe hoog is …") that no sentence of the
  best passages gives: one holding a number and the asked-about noun, or a number and a meaning
  among the closest to the question's.

An unmet need makes the assistant say that the sources do not cover the question, with the reason.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

from ingest.index.dutch import fold

_YEAR = r"(?<![\d.,])(?:1[89]\d\d|20\d\d)(?![\d.,]*\d)"  # 1800-2099, not inside a larger number
YEAR = re.compile(_YEAR)
_NUMBER_WORDS = ("twee drie vier vijf zes zeven acht negen tien elf twaalf dertien veertien vijftien "
                 "twintig dertig veertig vijftig zestig zeventig tachtig negentig honderd duizend "
                 "miljoen miljard procent helft").split()
# A figure in a source sentence: digits (not a page reference), a percent sign or a number word.
_FIGURE = re.compile(r"(?<![\w.])\d[\d.,]*\b|%|\b(?:" + "|".join(_NUMBER_WORDS) + r")\w*")
# Numbers that are no answer to "how many": page and figure references, and years.
_NOT_A_FIGURE = re.compile(r"\(?\b(?:p|pp|blz)\.\s*\d+(?:\s*[-–]\s*\d+)?\)?"
                           r"|\b(?:figuur|tabel|bijlage|hoofdstuk|stap|wegwijzer|top)\s+\d+\b"
                           r"|" + _YEAR)
# "hoeveel leden", "aantal inwoners", "hoe hoog is de werkloosheid", "welk percentage van …".
_QUANTITY = re.compile(
    r"\b(?:hoeveel|aantal(?:len)?|how (?:many|much))\s+(?P<noun>[\w-]+)"
    r"|\bhoe (?:hoog|groot|laag) (?:is|zijn|was|waren|ligt|liggen) (?:de |het )?(?P<noun2>[\w-]+)"
    r"|\b(?:welk|welke|what) (?:percentage|procent|aandeel|bedrag)\b"
    r"|\b[\w-]*(?:percentage|cijfers?)\b(?= (?:in|van|voor|bij|per) )")
_PERCENT_NOUNS = frozenset({"procent", "percentage", "%"})
# Chosen on dev + val (depth 3, 5, 8, 10 x closest 1 to 4): the most unanswerable figure questions
# refused for one answerable one refused (whose answering passage was not in the best five).
FIGURE_SEARCH_DEPTH = 5  # the best passages a figure must be found in
CLOSEST_SENTENCES = 3  # a figure in one of the sentences closest in meaning to the question counts


@dataclass(frozen=True)
class Need:
    """Something the question asks for that the sources cannot give."""

    kind: str  # "jaar", "naam" (one no source mentions) or "cijfer" (one no best passage gives)
    about: str  # the year, the name, or the thing a figure was asked for ("" when none is named)

    def reason(self) -> str:
        """One Dutch sentence for the user: why the sources do not cover the question."""
        if self.kind == "jaar":
            return f"De bronnen noemen het jaar {self.about} nergens."
        if self.kind == "naam":
            return f"De bronnen noemen '{self.about}' nergens."
        about = f" ({self.about})" if self.about else ""
        return f"U vraagt om een cijfer{about}; de passages die het best bij uw vraag passen, noemen er geen."


def years_in(text: str) -> set[str]:
    return set(YEAR.findall(text))


def asked_figure(question: str) -> str | None:
    """What a figure is asked for ("leden", "procent"), "" for a figure of nothing named, or None
    when the question asks for no figure."""
    match = _QUANTITY.search(fold(question))
    if not match:
        return None
    noun = match.group("noun") or match.group("noun2")
    if noun in ("van", "de", "het", "een", "keer", "tijd"):  # "hoeveel van de …", "hoeveel keer"
        noun = ""
    if noun is None:  # "welk percentage", "werkloosheidspercentage in …"
        noun = "procent"
    return noun


def has_figure(sentence: str) -> bool:
    return bool(_FIGURE.search(_NOT_A_FIGURE.sub(" ", fold(sentence))))


def missing_year(question: str, corpus_years: Iterable[str]) -> Need | None:
    """The first year the question names that no passage of the index mentions."""
    unknown = sorted(years_in(question) - set(corpus_years))
    return Need("jaar", unknown[0]) if unknown else None


# A capitalised word after a word inside the sentence, or an acronym anywhere ("ESF+", "AVG").
_NAME = re.compile(r"(?:(?<=[\w,;:)’'\"] )[A-ZÀ-Ý][\w+’'&-]*|\b[A-Z]{2,}[\w+’'&-]*)"
                   r"(?: [A-ZÀ-Ý][\w+’'&-]*)*")
SAME_STEM = 5  # letters a form shares with a known word at least ("Twentse", "Twente")
OTHER_ENDING = 4  # letters at its end it may write otherwise ("Eindhovense", "Eindhoven")
_CLITIC = re.compile(r"['’](?:s|ers?|tjes?)$")  # "KPI's", "P&O'ers"


class Vocabulary:
    """The words the sources, the glossary and the list of places know, to tell a name the
    sources never mention from one they write in another form."""

    def __init__(self, texts: Iterable[str]) -> None:
        self.words: set[str] = set()
        for text in texts:
            self.words.update(_words(text))
        self.prefixes = {w[:n] for w in self.words for n in range(SAME_STEM, len(w) + 1)}

    def knows(self, word: str) -> bool:
        """Known as written, without its clitic, or as another form of a known word: sharing all
        but its last OTHER_ENDING letters (and at least SAME_STEM) with one."""
        w = _CLITIC.sub("", fold(word).strip("'’"))
        if w in self.words:
            return True
        return len(w) > SAME_STEM and w[: max(SAME_STEM, len(w) - OTHER_ENDING)] in self.prefixes


def _words(text: str) -> list[str]:
    return [_CLITIC.sub("", w) for w in re.findall(r"[\w+&]+(?:['’]\w+)?", fold(text))]


def named_in(question: str) -> list[str]:
    """The names a question uses: the specific part of a compound ("SLIM" of "SLIM-subsidie")."""
    names = []
    for match in _NAME.finditer(question):
        name = re.split(r"-(?=[a-zà-ÿ])", match.group(0))[0].rstrip("'’-")  # "SLIM-subsidie"
        if len(name) > 1 and name not in names:
            names.append(name)
    return names


def unknown_name(question: str, known: Callable[[str], bool]) -> Need | None:
    """The first name in the question that `known` does not know, in any form."""
    for name in named_in(question):
        if not all(known(part) for part in re.findall(r"[\w+&'’]+", name)):
            return Need("naam", name)
    return None


def missing_figure(question: str, sentences: Sequence[tuple[str, float | None]],
                   stems: Callable[[str], set[str]]) -> Need | None:
    """A figure the question asks for that none of the best passages' sentences gives.

    `sentences` are the best passages' sentences with their closeness in meaning to the question
    (None when unknown); `stems` maps a text to its analysed word stems. A sentence gives the
    figure when it holds a number and either names the asked-about noun (a percentage: the word
    or the sign) or is one of the CLOSEST_SENTENCES closest in meaning to the question.
    """
    noun = asked_figure(question)
    if noun is None:
        return None
    wanted = stems(noun) if noun and noun not in _PERCENT_NOUNS else set()
    sims = sorted((sim for _, sim in sentences if sim is not None), reverse=True)
    close_enough = sims[min(CLOSEST_SENTENCES, len(sims)) - 1] if sims else None
    for sentence, sim in sentences:
        if not has_figure(sentence):
            continue
        if noun in _PERCENT_NOUNS and ("%" in sentence or "procent" in fold(sentence)):
            return None
        if wanted and wanted & stems(sentence):
            return None
        if close_enough is not None and sim is not None and sim >= close_enough:
            return None
    return Need("cijfer", noun)
