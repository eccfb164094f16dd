"""A light, deterministic English lemmatiser: the inflections of a word share one key.

Related papers (generator/related.py) fold a word's forms with it, so that "model" and
"models" count once, as a word of the survey and in a link's shared terms. Its keys need
not be words ("cache", "caches" and "caching" share "cach"); only inflectional endings go
(plurals, -ing, -ed), so "attention" and "attend" keep apart.
"""

from __future__ import annotations

import functools

_IRREGULAR = {
    "analyses": "analysis",
    "axes": "axis",
    "bias": "bias",
    "biases": "bias",
    "corpora": "corpus",
    "criteria": "criterion",
    "embed": "embed",
    "hypotheses": "hypothesis",
    "indices": "index",
    "matrices": "matrix",
    "phenomena": "phenomenon",
    "vertices": "vertex",
}
"""Plurals no suffix rule undoes, and singulars the rules would take for inflections."""

_DOUBLE = ("bb", "dd", "ff", "gg", "mm", "nn", "pp", "rr", "tt")
_VOWEL = frozenset("aeiouy")


@functools.lru_cache(maxsize=1 << 16)
def lemma(word: str) -> str:
    """The key of an English word that its inflections share ("models", "modelling";
    "reason", "reasons", "reasoning"; "cache", "caches", "caching")."""
    w = word.lower()
    if w in _IRREGULAR:
        return _IRREGULAR[w]
    if len(w) > 4 and w.endswith(("ies", "ied")):
        return w[:-3] + "y"
    ends: tuple[str, ...] = ("ing", "ed")
    if len(w) > 3 and w.endswith("s") and not w.endswith(("ss", "us", "is")):
        w = _IRREGULAR.get(w[:-1], w[:-1])
        ends = ("ing",)  # "embeddings", but not "embeds"
    for end in ends:
        stem = w[: -len(end)]
        if w.endswith(end) and len(stem) >= 3 and not _VOWEL.isdisjoint(stem):
            if end == "ed" and stem.endswith("e"):
                break  # "speed", "need"
            # "embedded", and British "modelling", "labelled"; not "spelling"
            double = stem.endswith(_DOUBLE) or (stem.endswith("ell") and len(stem) >= 6)
            w = stem[:-1] if double else stem
            break
    if len(w) > 3 and w.endswith("e"):
        w = w[:-1]
    return w
