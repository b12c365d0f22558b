"""The asker's region: resolved from a name (settings, `--regio`, or a phrase in the question) to
a profile, and the passages that are about it, about its province, or about the studied regions.

Three sources of names: `regios.toml` (municipalities, labour-market regions, provinces),
the route map's regions (the ten studied regions and other cases from the documents), and, for a
name neither knows, the name itself. Passages carry the places they name (`Passage.places`, tagged
at ingest); a passage is about the region when one of those is the region, one of its
municipalities or its province, or when its text names the region itself.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Sequence
from dataclasses import dataclass, field

from assistant.retrieval.region_phrase import (
    RegionMention,
    RegionPhrases,
    name_own_subject,
    phrases_from,
    strip_own_locative,
)
from ingest.index.corpusdata import CorpusDataError, Regio, Routekaart
from ingest.index.passage import Passage

STUDIED_TEXT = "de tien onderzochte regio's"


@dataclass(frozen=True)
class RegionProfile:
    """Who the asker is, regionally, and which place names count as theirs."""

    naam: str  # as shown: "Drenthe", "Zwolle"
    soort: str  # gemeente | provincie | arbeidsmarktregio | regio | onbekend
    omschrijving: str  # "gemeente in de arbeidsmarktregio Regio Zwolle, provincie Overijssel"
    provincies: tuple[str, ...] = ()
    own: tuple[str, ...] = ()  # names of the region itself, its municipalities, its province
    nearby: tuple[str, ...] = ()  # other places in the same province(s)
    studied: tuple[str, ...] = ()  # names of the studied regions (the report's ten cases)
    studied_self: tuple[str, ...] = ()  # studied regions that are (part of) this region

    @property
    def known(self) -> bool:
        return self.soort != "onbekend"


@dataclass
class RegionScope:
    """A profile with the passages it draws on, split by how close they are."""

    profile: RegionProfile
    own: list[Passage] = field(default_factory=list)
    nearby: list[Passage] = field(default_factory=list)
    studied: list[Passage] = field(default_factory=list)


def _names(places) -> list[str]:
    return [n for p in places for n in p.namen]


def _describe(place) -> str:
    provinces = " en ".join(place.provincies)
    if place.soort == "gemeente":
        return f"gemeente in de arbeidsmarktregio {place.arbeidsmarktregios[0]}, provincie {provinces}"
    if place.soort == "arbeidsmarktregio":
        lead = f"arbeidsmarktregio in {'de provincies' if len(place.provincies) > 1 else 'de provincie'}"
        centre = f", centrumgemeente {place.centrumgemeente}" if place.centrumgemeente else ""
        return f"{lead} {provinces}{centre}"
    return f"provincie, hoofdstad {place.centrumgemeente}" if place.centrumgemeente else "provincie"


class RegionBook:
    """Resolves region names and finds their passages; built once per opened index."""

    def __init__(self, routekaart: Routekaart, passages: Sequence[Passage], atlas=None,
                 atlas_error: str | None = None) -> None:
        self.routekaart = routekaart
        self.passages = list(passages)
        self.atlas = atlas
        self.atlas_error = atlas_error  # a broken regios.toml: said once with the answer
        self._phrases: RegionPhrases | None = None
        self._scopes: dict[tuple[str, str | None], RegionScope] = {}
        self._lock = threading.Lock()

    @classmethod
    def load(cls, routekaart: Routekaart, passages: Sequence[Passage], corpus_dir=None) -> RegionBook:
        from ingest.index.regions import find_regions

        try:
            return cls(routekaart, passages, find_regions(corpus_dir))
        except CorpusDataError as err:
            return cls(routekaart, passages, None, atlas_error=str(err))

    # --- finding the region in a question ------------------------------------------------------

    @property
    def phrases(self) -> RegionPhrases:
        if self._phrases is None:
            self._phrases = phrases_from(self.routekaart, self.atlas)
        return self._phrases

    def detect(self, question: str) -> RegionMention | None:
        return self.phrases.find(question)

    def strip(self, question: str, mention: RegionMention | None) -> str:
        return self.phrases.strip(question, mention) if mention else question

    # --- profiles ----------------------------------------------------------------------------

    def _route_region(self, name: str) -> Regio | None:
        key = name.casefold()
        return next((r for r in self.routekaart.regios if key in {n.casefold() for n in r.namen}), None)

    def profile(self, name: str, kind: str | None = None) -> RegionProfile:
        """The profile for a name as the user wrote it; an unknown name keeps only its own name."""
        name = " ".join(name.split()).strip(" .,;:!?")
        studied = tuple(n for r in self.routekaart.regios if r.onderzocht for n in r.namen)
        place = self.atlas.lookup(name, kind) if self.atlas is not None else None
        if place is None and kind and self.atlas is not None:
            place = self.atlas.lookup(name)
        if place is not None:
            return self._atlas_profile(place, studied)
        regio = self._route_region(name)
        if regio is not None:
            provinces = (regio.provincie,) if regio.provincie else ()
            nearby = [n for r in self.routekaart.regios if r is not regio and r.provincie
                      and r.provincie in provinces for n in r.namen]
            if self.atlas is not None and provinces:
                nearby += _names(p for p in self.atlas.places if set(p.provincies) & set(provinces))
            where = f" (provincie {regio.provincie})" if regio.provincie else ""
            text = regio.omschrijving or f"regio uit de documenten{where}"
            return RegionProfile(naam=regio.naam, soort="regio", omschrijving=text, provincies=provinces,
                                 own=regio.namen, nearby=_without(nearby, regio.namen), studied=studied,
                                 studied_self=regio.namen if regio.onderzocht else ())
        return RegionProfile(naam=name, soort="onbekend", omschrijving="", own=(name,), studied=studied)

    def _atlas_profile(self, place, studied: tuple[str, ...]) -> RegionProfile:
        atlas = self.atlas
        own = list(place.namen)
        if place.soort == "gemeente":
            region = atlas.lookup(place.arbeidsmarktregios[0], "arbeidsmarktregio")
            own += [*region.namen, *region.gemeenten]
        elif place.soort == "arbeidsmarktregio":
            own += list(place.gemeenten)
        else:  # a province: its municipalities and the regions that lie wholly inside it
            own += list(place.gemeenten)
            own += _names(r for r in atlas.of_kind("arbeidsmarktregio") if r.provincies == place.provincies)
        if place.soort != "provincie":
            own += _names(atlas.lookup(p, "provincie") for p in place.provincies)
        core = {n.casefold() for n in own}
        linked = [r for r in self.routekaart.regios if core & {n.casefold() for n in r.namen}]
        linked += [r for r in self.routekaart.regios
                   if place.soort == "provincie" and r.provincie in place.provincies and r not in linked]
        own += [n for r in linked for n in r.namen]
        nearby = _names(p for p in atlas.places if set(p.provincies) & set(place.provincies))
        nearby += [n for r in self.routekaart.regios if r.provincie in place.provincies
                   or (r.provincie is None and _overlaps(r, nearby)) for n in r.namen]
        return RegionProfile(
            naam=place.naam, soort=place.soort, omschrijving=_describe(place),
            provincies=place.provincies, own=tuple(dict.fromkeys(own)),
            nearby=_without(nearby, own), studied=studied,
            studied_self=tuple(n for r in linked if r.onderzocht for n in r.namen))

    # --- passages ----------------------------------------------------------------------------

    def scope(self, profile: RegionProfile) -> RegionScope:
        key = (profile.naam, profile.soort)
        with self._lock:
            cached = self._scopes.get(key)
        if cached is not None:
            return cached
        own_names = {n.casefold() for n in profile.own}
        own_text = text_pattern(profile.own)
        near = {n.casefold() for n in profile.nearby}
        studied = {n.casefold() for n in profile.studied}
        scope = RegionScope(profile)
        for p in self.passages:
            places = {x.casefold() for x in p.places}
            if places & own_names or (own_text is not None and own_text.search(p.text)):
                scope.own.append(p)
            elif places & near:
                scope.nearby.append(p)
            elif places & studied:
                scope.studied.append(p)
        with self._lock:
            if len(self._scopes) > 256:
                self._scopes.clear()
            self._scopes[key] = scope
        return scope


def _without(names, taken) -> tuple[str, ...]:
    gone = {n.casefold() for n in taken}
    return tuple(dict.fromkeys(n for n in names if n.casefold() not in gone))


def _overlaps(regio: Regio, names: list[str]) -> bool:
    folded = {n.casefold() for n in names}
    return bool(folded & {n.casefold() for n in regio.namen})


def text_pattern(names: Sequence[str]) -> re.Pattern | None:
    """Whole-word, case-sensitive: "Best" the municipality, not "best" the word."""
    names = sorted({n for n in names if len(n) >= 3}, key=len, reverse=True)
    if not names:
        return None
    return re.compile(r"(?<![\w-])(?:" + "|".join(re.escape(n) for n in names) + r")(?![\w-])")


def region_for(book: RegionBook, text: str, history: Sequence[str], setting: str | None):
    """(scope or None, the question without its region phrase, the history likewise, notice).

    The question's own region phrase wins, then the latest one in the conversation, then the
    user's setting (`--regio`, the app's "Uw regio")."""
    mention = book.detect(text)
    searched = book.strip(text, mention)
    cleaned_history: list[str] = []
    earlier = None
    for question in history:
        found = book.detect(question)
        earlier = found or earlier
        cleaned_history.append(book.strip(question, found))
    chosen = mention or earlier
    if chosen is not None:
        profile = book.profile(chosen.name, chosen.kind)
    elif setting and setting.strip():
        profile = book.profile(setting)
    else:
        return None, searched, cleaned_history, None
    searched = name_own_subject(strip_own_locative(searched), profile.naam)
    notice = None
    if book.atlas_error:
        notice = f"Het regiobestand kon niet worden gelezen ({book.atlas_error}); regio's zijn beperkt."
    elif not profile.known:
        notice = (f"Regiowijzer kent '{profile.naam}' niet als gemeente, arbeidsmarktregio of provincie; "
                  f"voeg de gemeente toe aan corpus/regios.toml voor een vergelijking met de provincie.")
    return book.scope(profile), searched, cleaned_history, notice
