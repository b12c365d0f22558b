"""Find the places and regions a passage names, so users can filter and the UI can show them."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from pathlib import Path

from ingest.index.corpusdata import load_places


class Gazetteer:
    """Maps surface names (and aliases) to a canonical place name; matching is whole-word."""

    def __init__(self, names: Mapping[str, str]) -> None:
        self._canonical = dict(names)
        ordered = sorted(self._canonical, key=len, reverse=True)
        alternatives = "|".join(re.escape(n) for n in ordered) or r"(?!x)x"
        self._pattern = re.compile(rf"(?<![\w-])({alternatives})(?![\w-])")

    @classmethod
    def from_lists(cls, plain: Iterable[str], aliases: Mapping[str, Iterable[str]]) -> Gazetteer:
        names = {n: n for n in plain}
        for canonical, alts in aliases.items():
            names[canonical] = canonical
            for alt in alts:
                # Aliases that are ordinary words ("zuivel") would tag too much; keep proper names.
                if alt[:1].isupper() or alt[:1] == "'":
                    names[alt] = canonical
        return cls(names)

    def find(self, text: str) -> list[str]:
        found: list[str] = []
        for match in self._pattern.finditer(text):
            name = self._canonical[match.group(1)]
            if name not in found:
                found.append(name)
        return found


def load_gazetteer(places_file: Path | None, regions: Mapping[str, Iterable[str]]) -> Gazetteer:
    plain: tuple[str, ...] = ()
    if places_file is not None and places_file.exists():
        plain = load_places(places_file)
    return Gazetteer.from_lists(plain, regions)
