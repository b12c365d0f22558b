"""Prompt files as data: Dutch templates in prompts/*.toml with named fields, rendered strictly.

Source passages go into the prompt between <bron>-tags; anything tag-like inside a passage is
neutralised so a passage can neither close its own tag nor open a new one.
"""

from __future__ import annotations

import re
import string
import tomllib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from assistant.compose.llm.backends import Message
from assistant.compose.llm.checks import CITATION
from assistant.compose.llm.errors import PromptError
from ingest.config import REPO_ROOT

PROMPTS_DIR = REPO_ROOT / "prompts"
ANSWER_MODES = ("vraag", "notitie", "gespreksvragen")
CONDENSE = "condense"
_KEYS = {"beschrijving", "system", "user"}
_TAG_OPEN = re.compile(r"<(?=\s*/?\s*[A-Za-z!?])|&lt;", re.IGNORECASE)


@dataclass(frozen=True)
class Prompt:
    name: str
    system: str
    user: str
    fields: frozenset[str]

    def render(self, **values: str) -> list[Message]:
        """System and user message; every field must be given, and nothing else."""
        missing = sorted(self.fields - values.keys())
        unknown = sorted(values.keys() - self.fields)
        if missing or unknown:
            parts = [f"ontbrekend: {', '.join(missing)}"] if missing else []
            parts += [f"onbekend: {', '.join(unknown)}"] if unknown else []
            raise PromptError(f"prompt {self.name!r}: velden kloppen niet ({'; '.join(parts)})")
        bad = sorted(k for k, v in values.items() if not isinstance(v, str))
        if bad:
            raise PromptError(f"prompt {self.name!r}: velden moeten tekst zijn: {', '.join(bad)}")
        return [Message("system", self.system.format(**values).strip()),
                Message("user", self.user.format(**values).strip())]


def _fields(name: str, key: str, template: str) -> set[str]:
    try:
        parsed = list(string.Formatter().parse(template))
    except ValueError as exc:
        raise PromptError(
            f"prompt {name!r}, {key}: ongeldige accolades ({exc}); schrijf {{{{ voor {{"
        ) from None
    fields = set()
    for _, field, spec, conversion in parsed:
        if field is None:
            continue
        if not field.isidentifier() or spec or conversion:
            raise PromptError(f"prompt {name!r}, {key}: veld {{{field}}} moet een eenvoudige naam zijn")
        fields.add(field)
    return fields


def load_prompt(name: str, directory: Path | None = None) -> Prompt:
    """Read and validate prompts/<name>.toml (keys: beschrijving, system, user)."""
    path = Path(directory or PROMPTS_DIR) / f"{name}.toml"
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise PromptError(f"promptbestand ontbreekt: {path}") from None
    except tomllib.TOMLDecodeError as exc:
        raise PromptError(f"{path}: geen geldige TOML ({exc})") from None
    if set(data) - _KEYS or not {"system", "user"} <= set(data):
        raise PromptError(f"{path}: verwacht de sleutels system en user (en eventueel beschrijving), "
                          f"niet {', '.join(sorted(data))}")
    if not all(isinstance(data[k], str) and data[k].strip() for k in ("system", "user")):
        raise PromptError(f"{path}: system en user moeten niet-lege tekst zijn")
    fields = _fields(name, "system", data["system"]) | _fields(name, "user", data["user"])
    return Prompt(name, data["system"], data["user"], frozenset(fields))


@lru_cache(maxsize=16)
def default_prompt(name: str) -> Prompt:
    return load_prompt(name)


KINDS_FILE = "soorten"
DEFAULT_KIND = "aanpak"


@lru_cache(maxsize=4)
def kind_instructions(directory: Path | None = None) -> dict[str, str]:
    """prompts/soorten.toml: what each kind of question asks of the answer, by kind."""
    path = Path(directory or PROMPTS_DIR) / f"{KINDS_FILE}.toml"
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (FileNotFoundError, tomllib.TOMLDecodeError) as exc:
        raise PromptError(f"{path}: niet te lezen ({exc})") from None
    if DEFAULT_KIND not in data or not all(isinstance(v, str) and v.strip() for v in data.values()):
        raise PromptError(f"{path}: verwacht per soort vraag een tekst, ook voor '{DEFAULT_KIND}'")
    return {k: v.strip() for k, v in data.items()}


def kind_instruction(kind: str | None) -> str:
    texts = kind_instructions()
    return texts.get(kind or DEFAULT_KIND, texts[DEFAULT_KIND])


def defuse_tags(text: str) -> str:
    """Make tag-like text inert: '</bron>' becomes '‹/bron>', so it cannot end the passage."""
    return _TAG_OPEN.sub("‹", text)


def _attribute(value: object) -> str:
    return defuse_tags(str(value)).replace('"', "'").replace("\n", " ").strip()


def format_sources(citations: Sequence[tuple[int, object]]) -> str:
    """Each passage as <bron n=".." document=".." pagina=".." ...>text</bron>, in the given order."""
    blocks = []
    for n, passage in citations:
        attrs: Mapping[str, object] = {
            "n": n,
            "document": getattr(passage, "title", ""),
            "pagina": getattr(passage, "page", None),
            "sectie": getattr(passage, "section", ""),
            "soort": getattr(passage, "block", ""),
            "stap": ", ".join(map(str, getattr(passage, "steps", None) or ())),
            "wegwijzer": getattr(passage, "wegwijzer", None),
        }
        head = " ".join(f'{k}="{_attribute(v)}"' for k, v in attrs.items() if v not in (None, ""))
        body = defuse_tags(getattr(passage, "text", str(passage)).strip())
        blocks.append(f"<bron {head}>\n{body}\n</bron>")
    return "\n\n".join(blocks)


def format_claims(claims: Sequence[tuple[str, Sequence[int]]]) -> str:
    """The sentences the extractive answer chose as its short answer, each self-contained (a
    sentence that leans on the one before comes with it) and with its source numbers."""
    if not claims:
        return "(geen)"
    return "\n".join(f"- “{defuse_tags(' '.join(text.split()))}” "
                     f"[{', '.join(map(str, numbers))}]" for text, numbers in claims)


def format_history(history: Sequence[tuple[str, str]], max_answer_chars: int = 600) -> str:
    """Earlier (question, answer) turns; old [n] markers are dropped because they name other passages."""
    if not history:
        return "(geen)"
    lines = []
    for question, answer in history:
        answer = " ".join(CITATION.sub("", answer).split())
        if len(answer) > max_answer_chars:
            answer = answer[: max_answer_chars - 1].rsplit(" ", 1)[0] + " …"
        lines.append(f"Vraag: {defuse_tags(question.strip())}\nAntwoord: {defuse_tags(answer)}")
    return "\n\n".join(lines)


def format_steps(routekaart) -> str:
    """The route map as a short list: 'Stap 1 – titel (wegwijzers: 1 titel; 2 titel)'."""
    lines = []
    for stap in routekaart.stappen:
        signs = "; ".join(f"{w.nummer} {w.titel}" for w in routekaart.wegwijzers if w.stap == stap.nummer)
        lines.append(f"Stap {stap.nummer} – {stap.titel}" + (f" (wegwijzers: {signs})" if signs else ""))
    return "\n".join(lines)
