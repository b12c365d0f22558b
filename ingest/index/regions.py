"""The region atlas: which municipality lies in which labour-market region and province, from the
editable `corpus/regios.toml`. Validated with pydantic; every problem is reported in Dutch, naming
the file, the entry and the field (pydantic's own English never reaches the user).

Names are looked up case-insensitively, with their aliases. A name may be a municipality, a
labour-market region and a province at once ("Groningen", "Drenthe"): `lookup` prefers the
municipality, then the province, then the region, unless the caller asks for one kind.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import ClassVar

from pydantic import BaseModel, ConfigDict

from ingest.index.corpusdata import CorpusDataError, find_data_file
from ingest.index.corpusdata.errors import read_toml, validate
from ingest.index.corpusdata.models import Text, Texts

REGIONS_FILE = "regios.toml"
KINDS = ("gemeente", "provincie", "arbeidsmarktregio")  # lookup order for a bare name


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class ProvincieModel(_Strict):
    hoofdstad: Text | None = None
    aliassen: Texts = ()


class RegioModel(_Strict):
    label_key: ClassVar[str] = "naam"  # "[[arbeidsmarktregio]] 'Twente'" in error messages

    naam: Text
    aliassen: Texts = ()
    centrumgemeente: Text | None = None
    gemeenten: dict[Text, Texts]  # province -> municipalities in it


class RegiosFile(_Strict):
    provincies: dict[Text, ProvincieModel]
    arbeidsmarktregio: tuple[RegioModel, ...]
    gemeente_aliassen: dict[Text, Texts] = {}


@dataclass(frozen=True)
class Place:
    """One municipality, labour-market region or province, with what lies around or in it."""

    naam: str
    soort: str  # "gemeente" | "arbeidsmarktregio" | "provincie"
    provincies: tuple[str, ...]  # the province(s) it lies in (itself, for a province)
    arbeidsmarktregios: tuple[str, ...] = ()  # the region(s) it belongs to or overlaps
    gemeenten: tuple[str, ...] = ()  # municipalities in it (itself, for a municipality)
    aliassen: tuple[str, ...] = ()
    centrumgemeente: str | None = None

    @property
    def namen(self) -> tuple[str, ...]:
        return (self.naam, *self.aliassen)

    @property
    def label(self) -> str:
        """How an answer names it: 'Zwolle', 'arbeidsmarktregio Twente', 'provincie Drenthe'."""
        if self.soort == "gemeente":
            return self.naam
        if self.soort == "provincie":
            return f"provincie {self.naam}"
        return self.naam if self.naam.lower().startswith("regio ") else f"arbeidsmarktregio {self.naam}"


class RegionAtlas:
    """Every place of regios.toml by kind and by (case-folded) name or alias."""

    def __init__(self, places: list[Place]) -> None:
        self.places = places
        self._by_name: dict[str, dict[str, Place]] = {}
        for place in places:
            for name in place.namen:
                self._by_name.setdefault(name.casefold(), {})[place.soort] = place

    def lookup(self, name: str, soort: str | None = None) -> Place | None:
        found = self._by_name.get(" ".join(name.split()).casefold(), {})
        for kind in (soort,) if soort else KINDS:
            if kind in found:
                return found[kind]
        return None

    def names(self) -> Iterator[str]:
        """Every name and alias, each once (for finding them in a question)."""
        seen: set[str] = set()
        for place in self.places:
            for name in place.namen:
                if name.casefold() not in seen:
                    seen.add(name.casefold())
                    yield name

    def of_kind(self, soort: str) -> list[Place]:
        return [p for p in self.places if p.soort == soort]


# --- loading ------------------------------------------------------------------------------------


def load_regions(path: Path | None = None) -> RegionAtlas:
    """Load and cross-check regios.toml (`None`: the repository's copy)."""
    path = Path(path) if path is not None else find_data_file(None, REGIONS_FILE)
    return _atlas(path, validate(path, RegiosFile, read_toml(path)))


def find_regions(corpus_dir: Path | None) -> RegionAtlas:
    """The user's regios.toml in `corpus_dir` when there is one, else the repository's."""
    return load_regions(find_data_file(corpus_dir, REGIONS_FILE))


def _atlas(path: Path, model: RegiosFile) -> RegionAtlas:
    def fail(problem: str):
        raise CorpusDataError(path, problem)

    provinces = model.provincies
    gemeente: dict[str, tuple[str, str]] = {}  # name -> (province, region)
    regions: list[Place] = []
    seen_regions: set[str] = set()
    for row in model.arbeidsmarktregio:
        if not row.gemeenten:
            fail(f"arbeidsmarktregio '{row.naam}': noem minstens één provincie met haar gemeenten")
        if row.naam.casefold() in seen_regions:
            fail(f"arbeidsmarktregio '{row.naam}' staat er twee keer in")
        seen_regions.add(row.naam.casefold())
        members: list[str] = []
        for province, names in row.gemeenten.items():
            if province not in provinces:
                fail(f"arbeidsmarktregio '{row.naam}': '{province}' is geen provincie uit [provincies] "
                     f"(kies uit: {', '.join(provinces)})")
            for name in names:
                if name.casefold() in {g.casefold() for g in gemeente}:
                    other = next(r for g, (_, r) in gemeente.items() if g.casefold() == name.casefold())
                    if other == row.naam:
                        fail(f"gemeente '{name}' staat twee keer bij '{row.naam}'")
                    fail(f"gemeente '{name}' staat bij '{other}' en bij '{row.naam}'; een gemeente "
                         f"hoort bij één arbeidsmarktregio")
                gemeente[name] = (province, row.naam)
                members.append(name)
        if row.centrumgemeente is not None and row.centrumgemeente not in members:
            fail(f"arbeidsmarktregio '{row.naam}': centrumgemeente '{row.centrumgemeente}' staat niet "
                 f"in de gemeenten van die regio")
        regions.append(Place(naam=row.naam, soort="arbeidsmarktregio", provincies=tuple(row.gemeenten),
                             arbeidsmarktregios=(row.naam,), gemeenten=tuple(members),
                             aliassen=tuple(row.aliassen), centrumgemeente=row.centrumgemeente))
    for name in model.gemeente_aliassen:
        if name not in gemeente:
            fail(f"[gemeente_aliassen]: '{name}' is geen gemeente uit een [[arbeidsmarktregio]]")
    places = [Place(naam=name, soort="gemeente", provincies=(province,), arbeidsmarktregios=(region,),
                    gemeenten=(name,), aliassen=tuple(model.gemeente_aliassen.get(name, ())))
              for name, (province, region) in gemeente.items()]
    for name, info in provinces.items():
        in_province = tuple(g for g, (p, _) in gemeente.items() if p == name)
        overlapping = tuple(r.naam for r in regions if name in r.provincies)
        places.append(Place(naam=name, soort="provincie", provincies=(name,),
                            arbeidsmarktregios=overlapping, gemeenten=in_province,
                            aliassen=tuple(info.aliassen), centrumgemeente=info.hoofdstad))
    places += regions
    _unique_names(fail, places)
    return RegionAtlas(places)


def _unique_names(fail, places: list[Place]) -> None:
    """Within one kind, a name or alias names one place (across kinds it may repeat)."""
    for soort in KINDS:
        seen: dict[str, str] = {}
        for place in (p for p in places if p.soort == soort):
            for name in place.namen:
                other = seen.get(name.casefold())
                if other is not None and other != place.naam:
                    fail(f"de naam '{name}' hoort bij twee plaatsen van de soort {soort}: "
                         f"'{other}' en '{place.naam}'")
                seen[name.casefold()] = place.naam
