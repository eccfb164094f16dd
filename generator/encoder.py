"""What each paper is about, as a vector: the sentence encoder all-MiniLM-L6-v2, in NumPy.

Related papers compare these vectors (generator/neighbours.py): two abstracts that say the
same thing in other words ("shorter chains of thought", "fewer reasoning tokens") are close,
where TF-IDF sees only the words they share. This is the model as sentence-transformers runs
it: a six-layer BERT, 384 dimensions, mean-pooled over the tokens and normalised, reading at
most 256 tokens. Its files are read by generator/vectors.py; tests/test_embed.py checks the
tokens and vectors against those of the `tokenizers` and sentence-transformers libraries.
On two cores a paper takes about 80 ms (bench/embed_time.py).
"""

from __future__ import annotations

import functools
import hashlib
import unicodedata
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

MAX_TOKENS = 256
"""sentence-transformers' max_seq_length for this model: longer texts are cut there."""
BATCH = 8
"""Texts encoded together, of similar length (8 was fastest of 1, 8, 16 and 32 here)."""
DIMENSIONS = 384


def paper_text(title: str, abstract: str) -> str:
    """What the encoder reads of a paper."""
    return f"{title}. {abstract}" if abstract else title


# --- the tokenizer: BERT's basic tokenisation, then WordPiece, as the model's tokenizer.json


def _is_punctuation(char: str) -> bool:
    code = ord(char)
    if 33 <= code <= 47 or 58 <= code <= 64 or 91 <= code <= 96 or 123 <= code <= 126:
        return True
    return unicodedata.category(char).startswith("P")


def _is_cjk(code: int) -> bool:
    return (
        0x4E00 <= code <= 0x9FFF
        or 0x3400 <= code <= 0x4DBF
        or 0x20000 <= code <= 0x2A6DF
        or 0x2A700 <= code <= 0x2B73F
        or 0x2B740 <= code <= 0x2B81F
        or 0x2B820 <= code <= 0x2CEAF
        or 0xF900 <= code <= 0xFAFF
        or 0x2F800 <= code <= 0x2FA1F
    )


def _words(text: str) -> list[str]:
    """BertNormalizer (clean text, CJK spacing, lower case, no accents) and
    BertPreTokenizer (split on white space and around punctuation)."""
    cleaned = []
    for char in text:
        code = ord(char)
        if code == 0 or code == 0xFFFD or unicodedata.category(char).startswith("C"):
            if char not in "\t\n\r":
                continue
        if char.isspace() or unicodedata.category(char) == "Zs":
            cleaned.append(" ")
        elif _is_cjk(code):
            cleaned.append(f" {char} ")
        else:
            cleaned.append(char)
    folded = unicodedata.normalize("NFD", "".join(cleaned).lower())
    folded = "".join(c for c in folded if unicodedata.category(c) != "Mn")
    words: list[str] = []
    for chunk in folded.split():
        current = ""
        for char in chunk:
            if _is_punctuation(char):
                if current:
                    words.append(current)
                words.append(char)
                current = ""
            else:
                current += char
        if current:
            words.append(current)
    return words


class Tokenizer:
    """WordPiece over the model's vocabulary: each word split greedily into the longest
    pieces the vocabulary holds, "##" marking a piece inside a word; a word of more than 100
    characters, or one with no split, is [UNK]."""

    def __init__(self, vocab: Sequence[str]) -> None:
        self.ids = {piece: i for i, piece in enumerate(vocab)}
        self.unknown = self.ids["[UNK]"]
        self.first, self.last = self.ids["[CLS]"], self.ids["[SEP]"]

    @functools.lru_cache(maxsize=65536)  # noqa: B019 - one tokenizer per process
    def _pieces(self, word: str) -> tuple[int, ...]:
        if len(word) > 100:
            return (self.unknown,)
        out, start = [], 0
        while start < len(word):
            end = len(word)
            while end > start:
                piece = word[start:end] if start == 0 else "##" + word[start:end]
                if piece in self.ids:
                    out.append(self.ids[piece])
                    break
                end -= 1
            else:
                return (self.unknown,)
            start = end
        return tuple(out)

    def encode(self, text: str, limit: int = MAX_TOKENS) -> list[int]:
        """[CLS], the pieces of the text cut to fit `limit` in all, [SEP]."""
        ids: list[int] = []
        for word in _words(text):
            ids.extend(self._pieces(word))
            if len(ids) >= limit - 2:
                break
        return [self.first, *ids[: limit - 2], self.last]


# --- the encoder


class Encoder:
    """all-MiniLM-L6-v2: BERT with post-layer-norm blocks and GELU, mean pooling over the
    tokens, unit length."""

    def __init__(
        self,
        config: Mapping[str, Any],
        weights: Mapping[str, np.ndarray],
        vocab: Sequence[str],
        digest: str,
    ) -> None:
        self.layers = int(config["num_hidden_layers"])
        self.heads = int(config["num_attention_heads"])
        self.width = int(config["hidden_size"])
        self.eps = float(config["layer_norm_eps"])
        self.w: dict[str, np.ndarray] = {}
        for name, value in weights.items():
            value = value.astype(np.float32)
            if value.ndim == 2 and not name.startswith("embeddings."):
                value = np.ascontiguousarray(value.T)  # x @ W, not x @ W.T, for every layer
            self.w[name.removeprefix("bert.")] = value
        self.tokenizer = Tokenizer(vocab)
        self.digest = digest
        """Of the model's files: a vector is kept under it and its text."""

    def _norm(self, x: np.ndarray, name: str) -> np.ndarray:
        mean = x.mean(-1, keepdims=True)
        var = x.var(-1, keepdims=True)
        scaled: np.ndarray = (x - mean) / np.sqrt(var + self.eps) * self.w[name + ".weight"]
        out: np.ndarray = scaled + self.w[name + ".bias"]
        return out

    def _linear(self, x: np.ndarray, name: str) -> np.ndarray:
        out: np.ndarray = x @ self.w[name + ".weight"] + self.w[name + ".bias"]
        return out

    def encode_batch(self, texts: Sequence[str]) -> np.ndarray:
        """Unit vectors of `texts`, one row each."""
        from scipy.special import erf

        encoded = [self.tokenizer.encode(t) for t in texts]
        size, length = len(encoded), max(len(e) for e in encoded)
        ids = np.zeros((size, length), dtype=np.int64)
        mask = np.zeros((size, length), dtype=np.float32)
        for row, e in enumerate(encoded):
            ids[row, : len(e)] = e
            mask[row, : len(e)] = 1.0
        w, heads = self.w, self.heads
        per_head = self.width // heads
        h = (
            w["embeddings.word_embeddings.weight"][ids]
            + w["embeddings.position_embeddings.weight"][:length]
            + w["embeddings.token_type_embeddings.weight"][0]
        )
        h = self._norm(h, "embeddings.LayerNorm")
        hidden = np.float32(-1e9) * (1.0 - mask)[:, None, None, :]
        scale = np.float32(1.0 / np.sqrt(per_head))
        for layer in range(self.layers):
            p = f"encoder.layer.{layer}."

            def split(x: np.ndarray) -> np.ndarray:
                return x.reshape(size, length, heads, per_head).transpose(0, 2, 1, 3)

            q = split(self._linear(h, p + "attention.self.query"))
            k = split(self._linear(h, p + "attention.self.key"))
            v = split(self._linear(h, p + "attention.self.value"))
            a = q @ k.transpose(0, 1, 3, 2) * scale + hidden
            a = np.exp(a - a.max(-1, keepdims=True))
            a /= a.sum(-1, keepdims=True)
            c = (a @ v).transpose(0, 2, 1, 3).reshape(size, length, self.width)
            h = self._norm(
                self._linear(c, p + "attention.output.dense") + h, p + "attention.output.LayerNorm"
            )
            f = self._linear(h, p + "intermediate.dense")
            f = 0.5 * f * (1.0 + erf(f / np.float32(np.sqrt(2.0))))
            h = self._norm(self._linear(f, p + "output.dense") + h, p + "output.LayerNorm")
        pooled = (h * mask[:, :, None]).sum(1) / mask.sum(1, keepdims=True)
        out: np.ndarray = pooled / np.linalg.norm(pooled, axis=1, keepdims=True)
        return out.astype(np.float32)


@dataclass(frozen=True)
class Vectors:
    """What the loader gives the encoder (generator/vectors.py): each read when first asked."""

    folder: Path
    """Where the vectors are kept between builds."""
    known: Mapping[str, np.ndarray]
    """The vectors kept there, by key."""
    digest: Callable[[], str]
    """The model's files' SHA-256."""
    encoder: Callable[[], Encoder]
    """The model."""


def key(digest: str, text: str) -> str:
    """What a text's vector is kept under: its model and the text."""
    return hashlib.sha256(f"{digest}\n{text}".encode()).hexdigest()


_memo: dict[str, np.ndarray] = {}
"""Every vector computed in this process, by key: a rebuild (the live preview, the tests)
computes only what changed."""


def embed(texts: Sequence[str], given: Vectors) -> tuple[np.ndarray, dict[str, np.ndarray]]:
    """A unit row per text, in order, and every vector used, by key. A vector comes from
    what the cache held, then from this process's memo; only the others are computed, by
    the encoder, which is read only then."""
    known = given.known
    keys = [key(given.digest(), t) for t in texts]
    text_of = dict(zip(keys, texts, strict=True))
    used: dict[str, np.ndarray] = {}
    missing = []
    for k in text_of:
        found = known.get(k)
        if found is None:
            found = _memo.get(k)
        if found is None:
            missing.append(k)
        else:
            used[k] = found
    if missing:
        model = given.encoder()
        todo = sorted(missing, key=lambda k: len(text_of[k]))  # batches of similar length
        for start in range(0, len(todo), BATCH):
            chunk = todo[start : start + BATCH]
            rows = model.encode_batch([text_of[k] for k in chunk])
            for k, row in zip(chunk, rows, strict=True):
                _memo[k] = used[k] = row
    if not keys:
        return np.zeros((0, DIMENSIONS), dtype=np.float32), used
    return np.stack([used[k] for k in keys]).astype(np.float32), used
