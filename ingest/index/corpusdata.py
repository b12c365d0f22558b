"""Typed loaders for the editable data next to the documents: bronnen, routekaart, begrippen.

Trainers edit these TOML files by hand, so every loader validates strictly and fails with a
Dutch message that names the file and the problem. Field names follow the TOML keys, so the
file and the code read the same.
"""

from __future__ import annotations

import re
import string
import tomllib
import unicodedata
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, NoReturn

MANIFEST_FILE = "bronnen.toml"
ROUTEKAART_FILE = "routekaart.toml"
GLOSSARY_FILE = "begrippen.toml"
REPO_CORPUS_DIR = Path(__file__).resolve().parents[2] / "corpus"

KINDS = ("rapport", "handreiking", "casus", "artikel", "document")
DEFAULT_KIND = "document"
PLACEHOLDERS = frozenset({"onderwerp"})


class CorpusDataError(ValueError):
    """A data file is missing, unreadable or inconsistent; `problem` is the Dutch explanation."""

    def __init__(self, path: Path, problem: str) -> None:
        self.path = Path(path)
        self.problem = problem
        super().__init__(f"Fout in {self.path}: {problem}")


@dataclass(frozen=True)
class SourceInfo:
    id: str
    file: str
    title: str
    author: str | None
    year: int | None
    kind: str
    source: str | None
    description: str
    language: str = "nl"
    year_note: str | None = None


@dataclass(frozen=True)
class Verhaal:
    titel: str
    spreker: str
    functie: str | None = None


@dataclass(frozen=True)
class Stap:
    nummer: int
    titel: str
    omschrijving: str
    kernwoorden: tuple[str, ...]
    wegwijzers: tuple[int, ...]
    gespreksvragen: tuple[str, ...] = ()
    raadsvragen: tuple[str, ...] = ()


@dataclass(frozen=True)
class Wegwijzer:
    nummer: int
    titel: str
    stap: int
    omschrijving: str
    kernwoorden: tuple[str, ...]
    verhalen: tuple[Verhaal, ...]
    onderzoek_onderwerp: str | None = None


@dataclass(frozen=True)
class Perspectief:
    naam: str
    kernwaarde: str
    kernwoorden: tuple[str, ...]
    zijde: str | None = None
    kwadrant: str | None = None
    omschrijving: str = ""


@dataclass(frozen=True)
class Regio:
    naam: str
    aliassen: tuple[str, ...] = ()
    provincie: str | None = None
    onderzocht: bool = False
    deel_van: str | None = None
    omschrijving: str = ""

    @property
    def namen(self) -> tuple[str, ...]:
        return (self.naam, *self.aliassen)


@dataclass(frozen=True)
class Oefening:
    titel: str
    instructie: str
    stappen: tuple[int, ...] = ()


@dataclass(frozen=True)
class Routekaart:
    stappen: tuple[Stap, ...]
    wegwijzers: tuple[Wegwijzer, ...]
    perspectieven: tuple[Perspectief, ...] = ()
    regios: tuple[Regio, ...] = ()
    oefeningen: tuple[Oefening, ...] = ()
    stellingen: tuple[str, ...] = ()

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


@dataclass(frozen=True)
class GlossaryEntry:
    term: str
    synoniemen: tuple[str, ...]
    omschrijving: str | None = None


# --- field checking ---------------------------------------------------------------------------
# A spec maps each allowed key to (kind, required); kinds name what the value must be, in Dutch.


def _is_text(v: Any) -> bool:
    return isinstance(v, str) and bool(v.strip())


def _is_int(v: Any) -> bool:
    return isinstance(v, int) and not isinstance(v, bool)


_KINDS: dict[str, Callable[[Any], bool]] = {
    "tekst": _is_text,
    "geheel getal": _is_int,
    "true of false": lambda v: isinstance(v, bool),
    "lijst van teksten": lambda v: isinstance(v, list) and all(_is_text(x) for x in v),
    "lijst van getallen": lambda v: isinstance(v, list) and all(_is_int(x) for x in v),
    "lijst van tabellen": lambda v: isinstance(v, list) and all(isinstance(x, dict) for x in v),
}
Spec = dict[str, tuple[str, bool]]


def _fail(path: Path, problem: str) -> NoReturn:
    raise CorpusDataError(path, problem)


def _fields(path: Path, raw: Any, where: str, spec: Spec) -> dict[str, Any]:
    """Check one table against its spec; strip texts and return the present values."""
    if not isinstance(raw, dict):
        _fail(path, f"{where} moet een tabel zijn")
    unknown = sorted(set(raw) - set(spec))
    if unknown:
        _fail(path, f"{where}: onbekende sleutel '{unknown[0]}' (toegestaan: {', '.join(spec)})")
    out: dict[str, Any] = {}
    for key, (kind, required) in spec.items():
        if key not in raw:
            if required:
                _fail(path, f"{where}: verplichte sleutel '{key}' ontbreekt")
            continue
        value = raw[key]
        if not _KINDS[kind](value):
            _fail(path, f"{where}: '{key}' moet een {kind} zijn (niet leeg), maar is {value!r}")
        if isinstance(value, str):
            value = value.strip()
        elif kind == "lijst van teksten":
            value = [x.strip() for x in value]
        out[key] = value
    return out


def _rows(
    path: Path, data: dict[str, Any], name: str, spec: Spec, required: bool = False
) -> list[dict[str, Any]]:
    """All [[name]] tables in the file, each checked against `spec`."""
    tables = data.get(name, [])
    if not _KINDS["lijst van tabellen"](tables):
        _fail(path, f"'{name}' moet een lijst van [[{name}]]-tabellen zijn")
    if required and not tables:
        _fail(path, f"er staat geen enkele [[{name}]]-tabel in")
    return [_fields(path, raw, f"[[{name}]] nr. {i}", spec) for i, raw in enumerate(tables, 1)]


def _unique(path: Path, items: Iterable[Any], what: str) -> None:
    seen: set[Any] = set()
    for item in items:
        key = item.casefold() if isinstance(item, str) else item
        if key in seen:
            _fail(path, f"{what} '{item}' komt meer dan één keer voor")
        seen.add(key)


def _lower_unique(words: list[str]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(w.lower() for w in words))


def _read_toml(path: Path) -> dict[str, Any]:
    try:
        text = Path(path).read_bytes().decode("utf-8")
    except FileNotFoundError:
        _fail(path, "het bestand bestaat niet")
    except UnicodeDecodeError:
        _fail(path, "het bestand is geen UTF-8-tekst")
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        message = str(exc)
        match = re.search(r"\(at line (\d+), column (\d+)\)", message)
        detail = message[: match.start()].strip() if match else message
        where = f" op regel {match[1]}, kolom {match[2]}" if match else ""
        _fail(path, f"TOML-syntaxfout{where}: {detail}")


def _toplevel(path: Path, data: dict[str, Any], allowed: Iterable[str]) -> None:
    allowed = tuple(allowed)
    for key in data:
        if key not in allowed:
            _fail(path, f"onbekende sleutel '{key}' bovenaan (toegestaan: {', '.join(allowed)})")


# --- bronnen.toml -----------------------------------------------------------------------------

_DOCUMENT: Spec = {
    "file": ("tekst", True),
    "id": ("tekst", True),
    "title": ("tekst", True),
    "author": ("tekst", False),
    "year": ("geheel getal", False),
    "year_note": ("tekst", False),
    "kind": ("tekst", True),
    "source": ("tekst", False),
    "description": ("tekst", False),
    "language": ("tekst", False),
}
_SOURCE_DEFAULTS = {
    "author": None,
    "year": None,
    "source": None,
    "description": "",
    "language": "nl",
}
_SLUG = re.compile(r"[a-z0-9]+(-[a-z0-9]+)*")


def load_manifest(corpus_dir: Path) -> dict[str, SourceInfo]:
    """Read `bronnen.toml` in `corpus_dir`, keyed by file name; no file means no manifest."""
    path = Path(corpus_dir) / MANIFEST_FILE
    if not path.is_file():
        return {}
    data = _read_toml(path)
    _toplevel(path, data, ["document"])
    infos: list[SourceInfo] = []
    for f in _rows(path, data, "document", _DOCUMENT):
        if not _SLUG.fullmatch(f["id"]):
            _fail(path, f"id '{f['id']}' mag alleen kleine letters, cijfers en koppeltekens hebben")
        if f["kind"] not in KINDS:
            _fail(
                path,
                f"onbekende soort (kind) '{f['kind']}' bij {f['file']} "
                f"(kies uit: {', '.join(KINDS)})",
            )
        infos.append(SourceInfo(**{**_SOURCE_DEFAULTS, **f}))
    _unique(path, (info.file for info in infos), "bestand")
    _unique(path, (info.id for info in infos), "id")
    return {info.file: info for info in infos}


def slugify(text: str) -> str:
    plain = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", plain.lower()).strip("-") or "document"


def default_source_info(path: Path, title_hint: str | None = None) -> SourceInfo:
    """What a file without a manifest entry gets: a slug id and the best title we have."""
    path = Path(path)
    pretty = re.sub(r"[\s_-]+", " ", path.stem).strip()
    title = (title_hint or "").strip() or (pretty[:1].upper() + pretty[1:]) or path.name
    return SourceInfo(
        id=slugify(path.stem),
        file=path.name,
        title=title,
        author=None,
        year=None,
        kind=DEFAULT_KIND,
        source=None,
        description="",
    )


def source_info_for(
    path: Path, manifest: dict[str, SourceInfo], title_hint: str | None = None
) -> SourceInfo:
    return manifest.get(Path(path).name) or default_source_info(path, title_hint)


def find_data_file(corpus_dir: Path | None, name: str) -> Path:
    """The user's copy in `corpus_dir` if there is one, else the repository's copy."""
    candidates = [Path(corpus_dir) / name] if corpus_dir is not None else []
    candidates.append(REPO_CORPUS_DIR / name)
    for candidate in candidates:
        if candidate.is_file():
            return candidate
    searched = " of ".join(str(c.parent) for c in candidates)
    _fail(candidates[0], f"{name} niet gevonden (gezocht in {searched})")


# --- routekaart.toml --------------------------------------------------------------------------

_STAP: Spec = {
    "nummer": ("geheel getal", True),
    "titel": ("tekst", True),
    "omschrijving": ("tekst", True),
    "kernwoorden": ("lijst van teksten", True),
    "wegwijzers": ("lijst van getallen", False),
    "gespreksvragen": ("lijst van teksten", False),
    "raadsvragen": ("lijst van teksten", False),
}
_WEGWIJZER: Spec = {
    "nummer": ("geheel getal", True),
    "titel": ("tekst", True),
    "stap": ("geheel getal", True),
    "omschrijving": ("tekst", True),
    "kernwoorden": ("lijst van teksten", True),
    "verhalen": ("lijst van tabellen", False),
    "onderzoek_onderwerp": ("tekst", False),
}
_VERHAAL: Spec = {"titel": ("tekst", True), "spreker": ("tekst", True), "functie": ("tekst", False)}
_PERSPECTIEF: Spec = {
    "naam": ("tekst", True),
    "kernwaarde": ("tekst", True),
    "kernwoorden": ("lijst van teksten", True),
    "zijde": ("tekst", False),
    "kwadrant": ("tekst", False),
    "omschrijving": ("tekst", False),
}
_REGIO: Spec = {
    "naam": ("tekst", True),
    "aliassen": ("lijst van teksten", False),
    "provincie": ("tekst", False),
    "onderzocht": ("true of false", False),
    "deel_van": ("tekst", False),
    "omschrijving": ("tekst", False),
}
_OEFENING: Spec = {
    "titel": ("tekst", True),
    "instructie": ("tekst", True),
    "stappen": ("lijst van getallen", False),
}
_ROUTEKAART_KEYS = ("stap", "wegwijzer", "perspectief", "regio", "oefening", "stellingen")
_SIDES = {
    "zijde": ("links", "rechts"),
    "kwadrant": ("linksboven", "linksonder", "rechtsboven", "rechtsonder"),
}


def load_routekaart(path: Path | None = None) -> Routekaart:
    """Load and cross-check the route map; `None` means the repository's copy."""
    path = Path(path) if path is not None else find_data_file(None, ROUTEKAART_FILE)
    data = _read_toml(path)
    _toplevel(path, data, _ROUTEKAART_KEYS)
    wegwijzers = [_wegwijzer(path, f) for f in _rows(path, data, "wegwijzer", _WEGWIJZER, True)]
    stap_rows = _rows(path, data, "stap", _STAP, True)
    _unique(path, (f["nummer"] for f in stap_rows), "stapnummer")
    _unique(path, (w.nummer for w in wegwijzers), "wegwijzernummer")
    numbers = sorted(f["nummer"] for f in stap_rows)
    for w in wegwijzers:
        if w.stap not in numbers:
            _fail(
                path,
                f"wegwijzer {w.nummer} verwijst naar stap {w.stap}, maar die stap bestaat "
                f"niet (stappen: {', '.join(map(str, numbers))})",
            )
    stappen = [_stap(path, f, wegwijzers) for f in stap_rows]
    perspectieven = [_perspectief(path, f) for f in _rows(path, data, "perspectief", _PERSPECTIEF)]
    _unique(path, (p.naam for p in perspectieven), "perspectief")
    regios = [_regio(f) for f in _rows(path, data, "regio", _REGIO)]
    _unique(path, (name for r in regios for name in r.namen), "regionaam of alias")
    for r in regios:
        if r.deel_van is not None and r.deel_van not in {x.naam for x in regios}:
            _fail(path, f"regio '{r.naam}' is deel_van '{r.deel_van}', maar die regio bestaat niet")
    oefeningen = [_oefening(path, f, numbers) for f in _rows(path, data, "oefening", _OEFENING)]
    stellingen = data.get("stellingen", [])
    if not _KINDS["lijst van teksten"](stellingen):
        _fail(path, "'stellingen' moet een lijst van (niet-lege) teksten zijn")
    return Routekaart(
        stappen=tuple(sorted(stappen, key=lambda s: s.nummer)),
        wegwijzers=tuple(sorted(wegwijzers, key=lambda w: w.nummer)),
        perspectieven=tuple(perspectieven),
        regios=tuple(regios),
        oefeningen=tuple(oefeningen),
        stellingen=tuple(s.strip() for s in stellingen),
    )


def _stap(path: Path, f: dict[str, Any], wegwijzers: list[Wegwijzer]) -> Stap:
    n = f["nummer"]
    derived = sorted(w.nummer for w in wegwijzers if w.stap == n)
    if "wegwijzers" in f and sorted(f["wegwijzers"]) != derived:
        _fail(
            path,
            f"stap {n} noemt wegwijzers {sorted(f['wegwijzers'])}, maar volgens de "
            f"[[wegwijzer]]-tabellen horen bij stap {n}: {derived}; maak die twee gelijk",
        )
    for key in ("gespreksvragen", "raadsvragen"):
        for question in f.get(key, []):
            _check_placeholders(path, f"stap {n}, {key}", question)
    return Stap(
        nummer=n,
        titel=f["titel"],
        omschrijving=f["omschrijving"],
        kernwoorden=_lower_unique(f["kernwoorden"]),
        wegwijzers=tuple(derived),
        gespreksvragen=tuple(f.get("gespreksvragen", [])),
        raadsvragen=tuple(f.get("raadsvragen", [])),
    )


def _check_placeholders(path: Path, where: str, template: str) -> None:
    try:
        names = {name for _, name, _, _ in string.Formatter().parse(template) if name is not None}
    except ValueError as exc:
        _fail(path, f"{where}: ongeldige accolades in '{template}' ({exc})")
    wrong = sorted(names - PLACEHOLDERS)
    if wrong:
        _fail(path, f"{where}: onbekende plaatshouder {{{wrong[0]}}} (toegestaan: {{onderwerp}})")


def _wegwijzer(path: Path, f: dict[str, Any]) -> Wegwijzer:
    where = f"verhaal bij wegwijzer {f['nummer']}"
    verhalen = [Verhaal(**_fields(path, v, where, _VERHAAL)) for v in f.get("verhalen", [])]
    return Wegwijzer(
        nummer=f["nummer"],
        titel=f["titel"],
        stap=f["stap"],
        omschrijving=f["omschrijving"],
        kernwoorden=_lower_unique(f["kernwoorden"]),
        verhalen=tuple(verhalen),
        onderzoek_onderwerp=f.get("onderzoek_onderwerp"),
    )


def _perspectief(path: Path, f: dict[str, Any]) -> Perspectief:
    for key, allowed in _SIDES.items():
        if key in f and f[key] not in allowed:
            _fail(
                path,
                f"perspectief '{f['naam']}': {key} '{f[key]}' is ongeldig "
                f"(kies uit: {', '.join(allowed)})",
            )
    return Perspectief(**{**f, "kernwoorden": _lower_unique(f["kernwoorden"])})


def _regio(f: dict[str, Any]) -> Regio:
    return Regio(**{**f, "aliassen": tuple(f.get("aliassen", []))})


def _oefening(path: Path, f: dict[str, Any], numbers: list[int]) -> Oefening:
    for n in f.get("stappen", []):
        if n not in numbers:
            _fail(path, f"oefening '{f['titel']}' verwijst naar stap {n}, die niet bestaat")
    return Oefening(**{**f, "stappen": tuple(f.get("stappen", []))})


# --- begrippen.toml ---------------------------------------------------------------------------

_BEGRIP: Spec = {
    "term": ("tekst", True),
    "synoniemen": ("lijst van teksten", True),
    "omschrijving": ("tekst", False),
}


def load_glossary(path: Path | None = None) -> list[GlossaryEntry]:
    """Load the glossary; synonyms come back lowercased and without duplicates."""
    path = Path(path) if path is not None else find_data_file(None, GLOSSARY_FILE)
    data = _read_toml(path)
    _toplevel(path, data, ["begrip"])
    entries = []
    for f in _rows(path, data, "begrip", _BEGRIP, True):
        if not f["synoniemen"]:
            _fail(path, f"begrip '{f['term']}' heeft geen synoniemen")
        synonyms = _lower_unique(f["synoniemen"])
        entries.append(GlossaryEntry(f["term"], synonyms, f.get("omschrijving")))
    _unique(path, (e.term for e in entries), "term")
    return entries
