"""One file in, cited passages out: read -> clean -> structure -> passages."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from ingest.clean import clean_pages
from ingest.index.corpusdata import Routekaart, SourceInfo
from ingest.index.passage import Passage
from ingest.passages import DocumentInfo, make_passages
from ingest.places import Gazetteer
from ingest.read import ReadError, ReadLimits, first_heading, read_document
from ingest.steps import infer_steps
from ingest.structure import RouteMapNames, detect_structure


@dataclass(frozen=True)
class Processed:
    passages: list[Passage]
    title: str
    warnings: list[str]
    author: str | None = None  # bronnen.toml's, else the file's own metadata


def route_map_names(routekaart: Routekaart) -> RouteMapNames:
    return RouteMapNames(
        steps={s.nummer: s.titel for s in routekaart.stappen},
        wegwijzers={w.nummer: w.titel for w in routekaart.wegwijzers},
        step_of_wegwijzer={w.nummer: w.stap for w in routekaart.wegwijzers},
    )


def step_cues(routekaart: Routekaart) -> dict[int, list[str]]:
    cues: dict[int, list[str]] = {s.nummer: list(s.kernwoorden) for s in routekaart.stappen}
    for w in routekaart.wegwijzers:
        cues.setdefault(w.stap, []).extend(w.kernwoorden)
    return cues


def process_file(path: Path, source: SourceInfo | None, default_source,
                 routekaart: Routekaart, gazetteer: Gazetteer, limits: ReadLimits) -> Processed:
    """Raises ingest.read.ReadError for files that cannot be read or are over the limits."""
    raw = read_document(path, limits=limits)
    paragraphs = clean_pages(raw.pages)
    if source is None:
        hint = raw.title_hint or first_heading("\n".join(p.text for p in paragraphs[:5]))
        source = default_source(path, hint, raw.author_hint)
    sections = detect_structure(paragraphs, route_map_names(routekaart))
    cues = step_cues(routekaart)
    info = DocumentInfo(doc_id=source.id, title=source.title, kind=source.kind)
    passages = make_passages(sections, info, lambda text: infer_steps(text, cues), gazetteer.find)
    if len(passages) > limits.max_passages:
        raise ReadError(f"{len(passages)} passages, meer dan de limiet van {limits.max_passages} per "
                        "bestand (REGIOWIJZER_MAX_PASSAGES); splits het bestand of verhoog de limiet")
    return Processed(passages=passages, title=source.title, warnings=list(raw.warnings),
                     author=source.author)
