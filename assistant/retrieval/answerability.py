"""Whether the sources answer a question at all: a small learned model over what one search
learned about the question (how much of it the corpus knows, how strongly the best passages
match in words and in meaning, how sure the ranker is of its best candidate).

Trained with the ranker by `python -m evals.ranker` on the tuning questions (dev + val, with
their unanswerable questions); its thresholds for abstaining and for the "weinig houvast"
notice are calibrated there on cross-validated probabilities and stored in the same file.
"""

from __future__ import annotations

import json
import math
from dataclasses import asdict, dataclass
from pathlib import Path

import numpy as np

ANSWERABILITY_FILE = Path(__file__).with_name("answerability.json")
FEATURES = ("coverage", "lexical_top_log", "dense_top", "ranker_top")


def feature_row(signals) -> list[float]:
    """The FEATURES of one search's QuerySignals."""
    return [signals.coverage, math.log1p(max(signals.lexical_top, 0.0)), signals.dense_top,
            signals.ranker_top if signals.ranker_top is not None else 0.0]


@dataclass(frozen=True)
class Answerability:
    features: tuple[str, ...]
    mean: tuple[float, ...]
    scale: tuple[float, ...]
    weights: tuple[float, ...]
    bias: float
    abstain_below: float  # refuse below this probability
    caution_below: float  # answer with the "weinig houvast" notice below this one
    model: str  # the embedding model identity it was trained with
    trained_on: str = ""

    def probability(self, signals) -> float:
        z = (np.asarray(feature_row(signals)) - np.asarray(self.mean)) / np.asarray(self.scale)
        return float(1.0 / (1.0 + math.exp(-(float(z @ np.asarray(self.weights)) + self.bias))))

    def to_json(self) -> str:
        return json.dumps(asdict(self), ensure_ascii=False, indent=2) + "\n"

    @classmethod
    def from_json(cls, text: str) -> Answerability:
        data = json.loads(text)
        return cls(**{k: tuple(v) if isinstance(v, list) else v for k, v in data.items()})


def load_answerability(model_identity: str, path: Path = ANSWERABILITY_FILE) -> Answerability | None:
    """The shipped model when it was trained for this embedding model and these features."""
    try:
        model = Answerability.from_json(path.read_text(encoding="utf-8"))
    except (OSError, ValueError, TypeError):
        return None
    if model.model != model_identity or model.features != FEATURES:
        return None
    return model
