"""Reading a data file and saying, in Dutch, what is wrong with it: which file, which entry, which
field. Pydantic's own (English) messages never reach the user; each error type gets a Dutch phrase."""

from __future__ import annotations

import re
import tomllib
import typing
from pathlib import Path
from typing import Any, NoReturn, TypeVar

from pydantic import BaseModel, ValidationError
from pydantic_core import ErrorDetails, PydanticCustomError

M = TypeVar("M", bound=BaseModel)
MAX_LISTED = 10


class CorpusDataError(ValueError):
    """A data file is missing, unreadable or invalid; `problem` is the Dutch explanation."""

    def __init__(self, path: Path, problem: str, where: str | None = None) -> None:
        self.path = Path(path)
        self.problem = problem
        self.where = where
        super().__init__(f"{self.path}, {where}: {problem}" if where else f"{self.path}: {problem}")


def fail(path: Path, problem: str, where: str | None = None) -> NoReturn:
    raise CorpusDataError(path, problem, where)


def invalid(problem: str) -> PydanticCustomError:
    """A check of our own inside a model; the problem text passes through untouched."""
    return PydanticCustomError("corpus", "{problem}", {"problem": problem})


# --- TOML ---------------------------------------------------------------------------------------

_TOML_PROBLEMS = (
    ("Unterminated string", "een tekst zonder afsluitend aanhalingsteken"),
    ("Unclosed array", "een lijst zonder afsluitende ']'"),
    ("Unclosed inline table", "een tabel zonder afsluitende '}'"),
    ("Invalid value", "een ongeldige waarde (tekst hoort tussen aanhalingstekens)"),
    ("Expected '='", "'=' ontbreekt na de sleutel"),
    ("Expected ']]'", "']]' ontbreekt aan het eind van de [[tabel]]-kop"),
    ("Expected ']'", "']' ontbreekt aan het eind van de [tabel]-kop"),
    ("Cannot ", "een sleutel of tabel staat er twee keer"),
    ("Duplicate", "een sleutel staat er twee keer"),
    ("Unescaped '\\'", "een losse '\\' in een tekst (schrijf '\\\\')"),
    ("Illegal character", "een ongeldig teken"),
    ("Found invalid character", "een ongeldig teken"),
    ("Invalid initial character", "een sleutel die met een ongeldig teken begint"),
)


def read_toml(path: Path) -> dict[str, Any]:
    try:
        text = Path(path).read_bytes().decode("utf-8")
    except FileNotFoundError:
        fail(path, "het bestand bestaat niet")
    except UnicodeDecodeError:
        fail(path, "het bestand is geen UTF-8-tekst")
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        message = str(exc)
        match = re.search(r"\(at line (\d+), column (\d+)\)", message)
        where = f" op regel {match[1]}, kolom {match[2]}" if match else " aan het eind van het bestand"
        detail = next((dutch for english, dutch in _TOML_PROBLEMS if message.startswith(english)),
                      "deze regel is geen geldige TOML")
        fail(path, f"TOML-syntaxfout{where}: {detail}")


def validate(path: Path, model: type[M], data: dict[str, Any]) -> M:
    """`data` as a `model`, or a CorpusDataError that lists every problem in Dutch."""
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        errors = exc.errors()
    # A list whose entries failed also counts as too short; only the entries' errors matter.
    inner = {e["loc"][:n] for e in errors for n in range(len(e["loc"]))}
    errors = [e for e in errors if not (e["type"] == "too_short" and e["loc"] in inner)]
    found = [describe(error, data, model) for error in errors]
    if len(found) == 1:
        fail(path, found[0][1], found[0][0])
    lines = [f"{where}: {problem}" if where else problem for where, problem in found]
    shown = "\n".join(f"- {line}" for line in lines[:MAX_LISTED])
    more = f"\n- en nog {len(lines) - MAX_LISTED} fouten" if len(lines) > MAX_LISTED else ""
    fail(path, f"{len(lines)} fouten:\n{shown}{more}")


# --- one validation error in Dutch ----------------------------------------------------------------


def _table_model(annotation: Any) -> type[BaseModel] | None:
    """The model of a list-of-tables field (`tuple[Stap, ...]`), else None."""
    for arg in typing.get_args(annotation):
        if isinstance(arg, type) and issubclass(arg, BaseModel):
            return arg
        found = _table_model(arg)
        if found is not None:
            return found
    return None


def _fields(model: type[BaseModel]) -> dict[str, Any]:
    return {info.alias or name: info for name, info in model.model_fields.items()}


def _entry_name(model: type[BaseModel], table: str, index: int, raw: Any, rest: list[Any]) -> str:
    """'[[stap]] nummer 3', "[[document]] 'x.pdf'", or '[[stap]] nr. 3' when the key itself is
    missing or wrong (`rest` is the error's path inside the entry)."""
    noun = getattr(model, "noun", None) or f"[[{table}]]"
    key = getattr(model, "label_key", None)
    usable = isinstance(raw, dict) and key and rest[:1] != [key]
    value = raw.get(key) if usable else None
    if isinstance(value, int) and not isinstance(value, bool):
        return f"{noun} {key} {value}"
    if isinstance(value, str) and value.strip():
        return f"{noun} '{value.strip()}'"
    return f"{noun} nr. {index + 1}"


def describe(error: ErrorDetails, data: Any, root: type[BaseModel]) -> tuple[str | None, str]:
    """(where, problem) for one pydantic error: ('[[stap]] nummer 3', "veld 'titel' ontbreekt")."""
    model, raw, entries = root, data, []
    loc = list(error["loc"])
    while len(loc) >= 2 and isinstance(loc[0], str) and isinstance(loc[1], int):
        info = _fields(model).get(loc[0])
        item = _table_model(info.annotation) if info is not None else None
        if item is None:
            break
        rows = raw.get(loc[0]) if isinstance(raw, dict) else None
        row = rows[loc[1]] if isinstance(rows, list) and loc[1] < len(rows) else None
        entries.append(_entry_name(item, loc[0], loc[1], row, loc[2:]))
        model, raw, loc = item, row, loc[2:]
    problem = _problem(error, model, loc, at_top=not entries)
    return (", ".join(entries) or None), problem


def _problem(error: ErrorDetails, model: type[BaseModel], loc: list[Any], at_top: bool) -> str:
    kind, ctx = error["type"], error.get("ctx") or {}
    fields = _fields(model)
    if kind == "extra_forbidden":
        where = " bovenaan" if at_top else ""
        return f"onbekende sleutel '{loc[-1]}'{where} (toegestaan: {', '.join(fields)})"
    subject = ""  # an error on the entry itself ("[[stap]] nr. 1: moet een tabel zijn")
    if loc:
        name = str(loc[0])
        info = fields.get(name)
        tables = info is not None and _table_model(info.annotation) is not None
        subject = f"[[{name}]]" if tables else f"veld '{name}'"
        if tables and kind in ("missing", "too_short"):
            return f"er staat geen enkele [[{name}]]-tabel in"
        if tables and kind in ("tuple_type", "list_type"):
            return f"'{name}' moet een lijst van [[{name}]]-tabellen zijn"
        items = [str(p + 1) for p in loc[1:] if isinstance(p, int)]
        if items:
            subject += f", element {items[0]}"
    if kind == "corpus":
        return f"{subject}: {ctx['problem']}" if loc else ctx["problem"]
    if kind == "missing":
        return f"{subject} ontbreekt"
    phrase = _PHRASES.get(kind)
    if phrase is None:
        phrase = "heeft een ongeldige waarde"
    elif callable(phrase):
        phrase = phrase(ctx)
    shown = repr(error["input"])
    shown = shown if len(shown) <= 60 else shown[:57] + "..."
    return f"{subject} {phrase} (gekregen: {shown})".lstrip()


def _choices(ctx: dict[str, Any]) -> str:
    expected = str(ctx.get("expected", ""))
    return "moet een van deze waarden zijn: " + re.sub(r" or (?=[^,]*$)", " of ", expected)


_PHRASES: dict[str, Any] = {
    "string_type": "moet een tekst zijn",
    "string_too_short": "mag niet leeg zijn",
    "too_short": "mag niet leeg zijn",
    "int_type": "moet een geheel getal zijn",
    "int_parsing": "moet een geheel getal zijn",
    "int_from_float": "moet een geheel getal zijn",
    "bool_type": "moet true of false zijn",
    "bool_parsing": "moet true of false zijn",
    "tuple_type": "moet een lijst zijn",
    "list_type": "moet een lijst zijn",
    "model_type": "moet een tabel zijn",
    "dict_type": "moet een tabel zijn",
    "model_attributes_type": "moet een tabel zijn",
    "literal_error": _choices,
    "greater_than_equal": lambda ctx: f"moet minstens {ctx.get('ge')} zijn",
    "greater_than": lambda ctx: f"moet groter zijn dan {ctx.get('gt')}",
    "less_than_equal": lambda ctx: f"mag hoogstens {ctx.get('le')} zijn",
    "less_than": lambda ctx: f"moet kleiner zijn dan {ctx.get('lt')}",
}
