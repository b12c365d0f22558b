"""The editable data files as pydantic models. Each field is declared once, with its type and check;
field names (or aliases) are the TOML keys, so the file and the code read the same.

Texts are stripped and may not be empty (except those whose default is ""), numbers must be whole
numbers (no true/false), lists come back as tuples and cue words lowercased without duplicates.
Checks across entries (unique numbers, references between steps and wegwijzers) sit on the file's
model and report in Dutch.
"""

from __future__ import annotations

import re
import string
from collections.abc import Iterable
from typing import Annotated, Any, ClassVar, Literal, get_args

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    StrictBool,
    StrictInt,
    StringConstraints,
    ValidationInfo,
    field_validator,
)

from ingest.index.corpusdata.errors import invalid

PLACEHOLDERS = frozenset({"onderwerp"})
Kind = Literal["rapport", "handreiking", "casus", "artikel", "document"]
KINDS: tuple[str, ...] = get_args(Kind)
_SLUG = re.compile(r"[a-z0-9]+(-[a-z0-9]+)*")


def _lower_unique(words: tuple[str, ...]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(w.lower() for w in words))


def _placeholders(templates: tuple[str, ...]) -> tuple[str, ...]:
    for template in templates:
        try:
            names = {n for _, n, _, _ in string.Formatter().parse(template) if n is not None}
        except ValueError:
            raise invalid(f"ongeldige accolades in '{template}'") from None
        wrong = sorted(names - PLACEHOLDERS)
        if wrong:
            raise invalid(f"onbekende plaatshouder {{{wrong[0]}}} (toegestaan: {{onderwerp}})")
    return templates


Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1)]
TextOrEmpty = Annotated[str, StringConstraints(strip_whitespace=True)]  # "" means: none given
Texts = tuple[Text, ...]
Number = Annotated[StrictInt, Field(ge=1)]
CueWords = Annotated[Texts, AfterValidator(_lower_unique)]
Questions = Annotated[Texts, AfterValidator(_placeholders)]


def _unique(items: Iterable[Any], what: str) -> None:
    seen: set[Any] = set()
    for item in items:
        key = item.casefold() if isinstance(item, str) else item
        if key in seen:
            raise invalid(f"{what} '{item}' komt meer dan één keer voor")
        seen.add(key)


class Model(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class Entry(Model):
    """One table in a list of tables; `label_key` names it in error messages ('[[stap]] nummer 3')."""

    label_key: ClassVar[str]
    noun: ClassVar[str | None] = None


# --- bronnen.toml -----------------------------------------------------------------------------


class SourceInfo(Entry):
    label_key: ClassVar[str] = "file"

    id: Text
    file: Text
    title: Text
    author: Text | None = None
    year: StrictInt | None = None
    kind: Kind
    source: Text | None = None
    description: TextOrEmpty = ""
    language: Text = "nl"
    year_note: Text | None = None

    @field_validator("id")
    @classmethod
    def _slug(cls, value: str) -> str:
        if not _SLUG.fullmatch(value):
            raise invalid(f"id '{value}' mag alleen kleine letters, cijfers en koppeltekens hebben")
        return value


class Manifest(Model):
    document: tuple[SourceInfo, ...] = ()

    @field_validator("document")
    @classmethod
    def _unique_files_and_ids(cls, infos: tuple[SourceInfo, ...]) -> tuple[SourceInfo, ...]:
        _unique((info.file for info in infos), "bestand")
        _unique((info.id for info in infos), "id")
        return infos


# --- routekaart.toml --------------------------------------------------------------------------


class Verhaal(Entry):
    label_key: ClassVar[str] = "titel"
    noun: ClassVar[str | None] = "verhaal"

    titel: Text
    spreker: Text
    functie: Text | None = None


class Stap(Entry):
    label_key: ClassVar[str] = "nummer"

    nummer: Number
    titel: Text
    omschrijving: Text
    kernwoorden: CueWords
    wegwijzers: tuple[StrictInt, ...] = ()  # checked against, and filled from, the wegwijzers
    gespreksvragen: Questions = ()
    raadsvragen: Questions = ()


class Wegwijzer(Entry):
    label_key: ClassVar[str] = "nummer"

    nummer: Number
    titel: Text
    stap: Number
    omschrijving: Text
    kernwoorden: CueWords
    verhalen: tuple[Verhaal, ...] = ()
    onderzoek_onderwerp: Text | None = None


class Perspectief(Entry):
    label_key: ClassVar[str] = "naam"

    naam: Text
    kernwaarde: Text
    kernwoorden: CueWords
    zijde: Literal["links", "rechts"] | None = None
    kwadrant: Literal["linksboven", "linksonder", "rechtsboven", "rechtsonder"] | None = None
    omschrijving: TextOrEmpty = ""


class Regio(Entry):
    label_key: ClassVar[str] = "naam"

    naam: Text
    aliassen: Texts = ()
    provincie: Text | None = None
    onderzocht: StrictBool = False
    deel_van: Text | None = None
    omschrijving: TextOrEmpty = ""

    @property
    def namen(self) -> tuple[str, ...]:
        return (self.naam, *self.aliassen)


class Oefening(Entry):
    label_key: ClassVar[str] = "titel"

    titel: Text
    instructie: Text
    stappen: tuple[StrictInt, ...] = ()


class Routekaart(Model):
    # Wegwijzers come first so the steps' check can see them; the steps come before the exercises.
    wegwijzers: tuple[Wegwijzer, ...] = Field(alias="wegwijzer", min_length=1)
    stappen: tuple[Stap, ...] = Field(alias="stap", min_length=1)
    perspectieven: tuple[Perspectief, ...] = Field((), alias="perspectief")
    regios: tuple[Regio, ...] = Field((), alias="regio")
    oefeningen: tuple[Oefening, ...] = Field((), alias="oefening")
    stellingen: Texts = ()

    @field_validator("wegwijzers")
    @classmethod
    def _sorted_wegwijzers(cls, wegwijzers: tuple[Wegwijzer, ...]) -> tuple[Wegwijzer, ...]:
        _unique((w.nummer for w in wegwijzers), "wegwijzernummer")
        return tuple(sorted(wegwijzers, key=lambda w: w.nummer))

    @field_validator("stappen")
    @classmethod
    def _steps_match_wegwijzers(cls, stappen: tuple[Stap, ...], info: ValidationInfo):
        _unique((s.nummer for s in stappen), "stapnummer")
        stappen = tuple(sorted(stappen, key=lambda s: s.nummer))
        wegwijzers = info.data.get("wegwijzers")
        if wegwijzers is None:  # broken wegwijzers are reported on their own
            return stappen
        numbers = [s.nummer for s in stappen]
        for w in wegwijzers:
            if w.stap not in numbers:
                raise invalid(f"wegwijzer {w.nummer} verwijst naar stap {w.stap}, maar die stap "
                              f"bestaat niet (stappen: {', '.join(map(str, numbers))})")
        filled = []
        for s in stappen:
            derived = tuple(w.nummer for w in wegwijzers if w.stap == s.nummer)
            if "wegwijzers" in s.model_fields_set and sorted(s.wegwijzers) != list(derived):
                raise invalid(f"stap {s.nummer} noemt wegwijzers {sorted(s.wegwijzers)}, maar "
                              f"volgens de [[wegwijzer]]-tabellen horen bij stap {s.nummer}: "
                              f"{list(derived)}; maak die twee gelijk")
            filled.append(s.model_copy(update={"wegwijzers": derived}))
        return tuple(filled)

    @field_validator("perspectieven")
    @classmethod
    def _unique_perspectives(cls, perspectieven: tuple[Perspectief, ...]):
        _unique((p.naam for p in perspectieven), "perspectief")
        return perspectieven

    @field_validator("regios")
    @classmethod
    def _regions_known(cls, regios: tuple[Regio, ...]) -> tuple[Regio, ...]:
        _unique((name for r in regios for name in r.namen), "regionaam of alias")
        names = {r.naam for r in regios}
        for r in regios:
            if r.deel_van is not None and r.deel_van not in names:
                raise invalid(f"regio '{r.naam}' is deel_van '{r.deel_van}', maar die regio "
                              "bestaat niet")
        return regios

    @field_validator("oefeningen")
    @classmethod
    def _exercises_on_steps(cls, oefeningen: tuple[Oefening, ...], info: ValidationInfo):
        numbers = {s.nummer for s in info.data.get("stappen", ())}
        for o in oefeningen:
            for n in o.stappen:
                if numbers and n not in numbers:
                    raise invalid(f"oefening '{o.titel}' verwijst naar stap {n}, die niet bestaat")
        return oefeningen

    def step(self, nummer: int) -> Stap:
        for stap in self.stappen:
            if stap.nummer == nummer:
                return stap
        raise KeyError(f"stap {nummer} bestaat niet")

    def wegwijzer(self, nummer: int) -> Wegwijzer:
        for wegwijzer in self.wegwijzers:
            if wegwijzer.nummer == nummer:
                return wegwijzer
        raise KeyError(f"wegwijzer {nummer} bestaat niet")

    def step_of_wegwijzer(self, nummer: int) -> int:
        return self.wegwijzer(nummer).stap


# --- begrippen.toml and plaatsen.toml ---------------------------------------------------------


class GlossaryEntry(Entry):
    label_key: ClassVar[str] = "term"

    term: Text
    synoniemen: Annotated[CueWords, Field(min_length=1)]
    omschrijving: Text | None = None


class Glossary(Model):
    begrip: tuple[GlossaryEntry, ...] = Field(min_length=1)

    @field_validator("begrip")
    @classmethod
    def _unique_terms(cls, entries: tuple[GlossaryEntry, ...]) -> tuple[GlossaryEntry, ...]:
        _unique((e.term for e in entries), "term")
        return entries


class Plaatsen(Model):
    provincies: Texts = ()
    plaatsen: Texts = ()
