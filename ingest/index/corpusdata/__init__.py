"""The editable data next to the documents: bronnen, routekaart, begrippen and plaatsen.

Trainers edit these TOML files by hand, so every loader validates strictly (pydantic models in
`models`) and fails with a Dutch CorpusDataError that names the file, the entry and the field.
"""

from ingest.index.corpusdata.errors import CorpusDataError
from ingest.index.corpusdata.load import (
    DEFAULT_KIND,
    GLOSSARY_FILE,
    MANIFEST_FILE,
    PLACES_FILE,
    REPO_CORPUS_DIR,
    ROUTEKAART_FILE,
    default_source_info,
    find_data_file,
    load_glossary,
    load_manifest,
    load_places,
    load_routekaart,
    slugify,
    source_info_for,
)
from ingest.index.corpusdata.models import (
    KINDS,
    PLACEHOLDERS,
    GlossaryEntry,
    Oefening,
    Perspectief,
    Regio,
    Routekaart,
    SourceInfo,
    Stap,
    Verhaal,
    Wegwijzer,
)

__all__ = [
    "DEFAULT_KIND", "GLOSSARY_FILE", "KINDS", "MANIFEST_FILE", "PLACEHOLDERS", "PLACES_FILE",
    "REPO_CORPUS_DIR", "ROUTEKAART_FILE", "CorpusDataError", "GlossaryEntry", "Oefening",
    "Perspectief", "Regio", "Routekaart", "SourceInfo", "Stap", "Verhaal", "Wegwijzer",
    "default_source_info", "find_data_file", "load_glossary", "load_manifest", "load_places",
    "load_routekaart", "slugify", "source_info_for",
]
