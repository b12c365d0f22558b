"""Where the asker is: "Ik ben raadslid in Drenthe", "in onze regio Zwolle", "wij in Twente".

Such a phrase says who is asking, not what about: it sets the region profile and is taken out of
the search query, so "Zwolle" does not pull every passage that happens to list Zwolle into the
short answer. A place named without such a cue ("Wat deed Zeeland aan vervoer?") is the subject
of the question and stays in it.

Pure: the known place names come in as lists. Regions and provinces match in any case ("drenthe");
municipality names only capitalised, since many are also words ("Best", "Putten", "Huizen"). An
unknown name counts when it is written as a proper name after a clear cue ("raadslid in Ommen").
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

_ROLES = (r"(?:gemeente)?raadslid|statenlid|wethouder|burgemeester|gedeputeerde|griffier|ambtenaar"
          r"|beleidsmedewerker|beleidsadviseur|trainer|bestuurder|inwoner|ondernemer|werkgever"
          r"|regiomanager|accountmanager|programmamanager|adviseur|medewerker|voorzitter")
_KIND_WORDS = {"gemeente": "gemeente", "provincie": "provincie", "regio": None,
               "arbeidsmarktregio": "arbeidsmarktregio"}
_KIND = r"(?:(?P<kind>gemeente|provincie|arbeidsmarktregio|regio)\s+)?"
# Cues before the name; each ends where the name starts.
_CUES = [
    rf"\bik\s+ben\s+(?:net\s+|pas\s+|sinds\s+kort\s+|nieuw\s+|nu\s+|al\s+\w+\s+jaar\s+)*"
    rf"(?:\w+\s+)?(?:{_ROLES})\s+(?:in|bij|van|uit|voor)\s+(?:de\s+)?{_KIND}",
    rf"\bals\s+(?:nieuw\s+)?(?:{_ROLES})\s+(?:in|bij|van|uit)\s+(?:de\s+)?{_KIND}",
    r"\b(?:in|uit|bij|voor|van)\s+(?:onze|mijn)\s+(?:eigen\s+)?(?P<own>gemeente|provincie|arbeidsmarktregio"
    r"|regio)\s*[,(:]?\s*",
    r"\b(?:onze|mijn)\s+(?:eigen\s+)?(?P<own2>gemeente|provincie|arbeidsmarktregio|regio)\s+(?:is|heet)\s+",
    rf"\b(?:wij|we)\s+(?:zitten\s+|wonen\s+|werken\s+)?(?:in|uit)\s+(?:de\s+)?{_KIND}",
    rf"\b(?:bij\s+ons|hier)\s+in\s+(?:de\s+)?{_KIND}",
    rf"\bik\s+(?:woon|werk|zit)\s+(?:in|bij)\s+(?:de\s+)?{_KIND}",
    rf"\bik\s+kom\s+uit\s+(?:de\s+)?{_KIND}",
]
# A name no list knows: capitalised words, with the small words Dutch place names use inside.
_PROPER = r"(?:'s-)?[A-ZÀ-Ý][\w'’-]*(?:\s+(?:aan|op|en|de|den|der|van|in|bij|ter)?\s*[A-ZÀ-Ý][\w'’-]*)*"


@dataclass(frozen=True)
class RegionMention:
    """A region the asker named for themselves, and the span of the phrase that named it."""

    name: str  # as written
    kind: str | None  # "gemeente", "provincie" or "arbeidsmarktregio" when the phrase said so
    start: int
    end: int
    known: bool  # the name is one of the known names


class RegionPhrases:
    """Finds the asker's own region in a question, among known names or as a proper name."""

    def __init__(self, names: Iterable[str], capitalised: Iterable[str] = ()) -> None:
        """`names` match in any case; `capitalised` (municipalities) only as written."""
        loose, strict = _alternation(names), _alternation(capitalised)
        unique = [*loose[1], *strict[1]]
        name = (rf"(?:(?:(?P<known>(?i:{loose[0]}))|(?P<strict>{strict[0]}))(?![\w-])"
                rf"|(?P<proper>{_PROPER}))")
        self._patterns = [re.compile(rf"(?i:{cue})(?:{name})") for cue in _CUES]
        self._known = {n.casefold() for n in unique}

    @property
    def names(self) -> set[str]:
        """Every known place name, casefolded."""
        return set(self._known)

    def find(self, question: str) -> RegionMention | None:
        """The first region phrase in the question (earliest in the text), or None."""
        best: RegionMention | None = None
        for pattern in self._patterns:
            for m in pattern.finditer(question):
                found = m.group("known") or m.group("strict") or m.group("proper")
                if not found or (m.group("proper") and not _proper_enough(found)):
                    continue
                kind_word = (m.groupdict().get("kind") or m.groupdict().get("own")
                             or m.groupdict().get("own2") or "").lower()
                mention = RegionMention(name=found.strip(), kind=_KIND_WORDS.get(kind_word),
                                        start=m.start(), end=m.end(),
                                        known=found.strip().casefold() in self._known)
                if best is None or mention.start < best.start:
                    best = mention
                break
        return best

    def strip(self, question: str, mention: RegionMention | None = None) -> str:
        """The question without the phrase that names the asker's region ("Ik ben raadslid in
        Drenthe." goes; "in onze regio Zwolle" keeps "in onze regio")."""
        mention = mention if mention is not None else self.find(question)
        if mention is None:
            return question
        head, tail = question[: mention.start], question[mention.end:]
        phrase = question[mention.start: mention.end]
        # "in onze regio", "we", "bij ons" stay: they say where or who, not which region
        own = re.match(r"(?i)\s*(?:(?:in|uit|bij|voor|van)\s+(?:onze|mijn)\s+(?:eigen\s+)?\w+|wij|we"
                       r"|bij\s+ons|hier)\b", phrase)
        keep = own.group(0).strip() if own else ""
        cleaned = " ".join(x for x in (head.rstrip(), keep, tail.lstrip(" ,)")) if x)
        cleaned = re.sub(r"\s+([.,:;!?])", r"\1", cleaned)
        cleaned = re.sub(r"^[\s.,:;!?]+", "", cleaned).strip()
        return cleaned if re.search(r"\w{3,}", cleaned) else question


def phrases_from(routekaart, atlas=None) -> RegionPhrases:
    """Phrases for the route map's regions and, when there is one, the region atlas's places
    (municipalities capitalised only)."""
    loose = [n for r in routekaart.regios for n in r.namen]
    strict: list[str] = []
    if atlas is not None:
        loose += [n for p in atlas.places if p.soort != "gemeente" for n in p.namen]
        strict = [n for p in atlas.of_kind("gemeente") for n in p.namen]
    return RegionPhrases(loose, strict)


def phrases_for_corpus(corpus_dir) -> RegionPhrases:
    """The phrases for a corpus folder's route map and regios.toml (the repository's copies when
    it has none; without a readable regios.toml, the route map's regions alone)."""
    from ingest.index.corpusdata import ROUTEKAART_FILE, CorpusDataError, find_data_file, load_routekaart
    from ingest.index.regions import find_regions

    routekaart = load_routekaart(find_data_file(corpus_dir, ROUTEKAART_FILE))
    try:
        atlas = find_regions(corpus_dir)
    except CorpusDataError:
        atlas = None
    return phrases_from(routekaart, atlas)


def _alternation(names: Iterable[str]) -> tuple[str, list[str]]:
    unique = sorted({n.strip() for n in names if n.strip()}, key=len, reverse=True)
    return "|".join(re.escape(n) for n in unique) or r"(?!x)x", unique


_OWN_LOCATIVE = re.compile(
    r"(?i)\s*,?\s*\b(?:in|binnen|voor|bij)\s+(?:onze|mijn)\s+(?:eigen\s+)?(?:gemeente|regio|provincie"
    r"|arbeidsmarktregio)\b(?!\s+(?:is|heeft|heet|wil|doet|moet|kan|zit)\b)|\s*,?\s*\bbij\s+ons\b(?:\s+in\s+de\s+regio\b)?")


def strip_own_locative(question: str) -> str:
    """Without "in onze regio" and the like, once the region itself is known (its section says
    what the sources say about it; in the search, "regio" only pulls lists of regions)."""
    cleaned = _OWN_LOCATIVE.sub("", question)
    cleaned = re.sub(r"\s+([.,:;!?])", r"\1", re.sub(r"\s{2,}", " ", cleaned)).strip()
    return cleaned if re.search(r"\w{3,}", cleaned) else question


_OWN_SUBJECT = re.compile(r"(?i)(?<!\bin )(?<!\bbinnen )(?<!\bvoor )(?<!\bbij )(?<!\buit )"
                          r"\b(?:onze|mijn)\s+(?:eigen\s+)?(?:gemeente|regio|provincie|arbeidsmarktregio)\b")


def name_own_subject(question: str, name: str) -> str:
    """ "Is onze eigen regio ook onderzocht?" asks about the region itself: search for its name."""
    return _OWN_SUBJECT.sub(name, question)


_NOT_PLACES = {"de", "het", "een", "dit", "dat", "deze", "die", "mijn", "onze", "ik", "wij", "we", "hoe",
               "wat", "welke", "waar", "wie", "waarom", "wanneer", "en", "maar", "of"}


def _proper_enough(name: str) -> bool:
    """An unknown capitalised word is a place only if it is not a sentence-opening small word."""
    first = name.split()[0].casefold()
    return first not in _NOT_PLACES and len(name) >= 2
