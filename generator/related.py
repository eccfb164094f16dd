"""Related papers by TF-IDF cosine similarity, each link explained by its shared terms.

Similarities are computed a block of rows at a time and only the top k of each row are
kept, so memory grows with the number of papers, never with its square.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

import numpy as np
from scipy import sparse
from sklearn.feature_extraction.text import TfidfVectorizer

from .model import Paper

BLOCK = 512


@dataclass(frozen=True)
class Link:
    """One related paper."""

    slug: str
    """The related paper."""
    score: float
    """Similarity in [0, 1], rounded so that output is reproducible."""
    terms: tuple[str, ...]
    """The terms that weigh most in the similarity, strongest first."""


def paper_text(paper: Paper) -> str:
    """What the vectorizer reads: the title counts twice, as it names the paper's topic."""
    return f"{paper.title}. {paper.title}. {paper.abstract}"


def make_vectorizer(n_docs: int) -> TfidfVectorizer:
    """The one TF-IDF configuration of the project."""
    return TfidfVectorizer(
        stop_words="english",
        ngram_range=(1, 2),
        sublinear_tf=True,
        min_df=2 if n_docs >= 20 else 1,
        max_df=0.5 if n_docs >= 20 else 1.0,
        token_pattern=r"(?u)\b[a-zA-Z][a-zA-Z0-9]+(?:-[a-zA-Z0-9]+)*\b",
        dtype=np.float32,
    )


def related(
    papers: Sequence[Paper],
    k: int = 5,
    n_terms: int = 4,
    themes_of: Mapping[str, Sequence[str]] | None = None,
    theme_weight: float = 0.0,
) -> dict[str, tuple[Link, ...]]:
    """Top-k related papers of every paper; `theme_weight` adds shared-theme similarity."""
    if len(papers) < 2:
        return {p.slug: () for p in papers}
    vectorizer = make_vectorizer(len(papers))
    matrix = vectorizer.fit_transform(paper_text(p) for p in papers).tocsr()
    terms = vectorizer.get_feature_names_out()
    themes = _theme_matrix(papers, themes_of or {}) if theme_weight else None
    out: dict[str, tuple[Link, ...]] = {}
    # CSR, not CSC: scipy converts a CSC right operand to CSR again for every block.
    transposed = matrix.T.tocsr()
    themes_t = themes.T.tocsr() if themes is not None else None
    indptr, indices, data = matrix.indptr, matrix.indices, matrix.data
    k = min(k, len(papers) - 1)
    for start in range(0, len(papers), BLOCK):
        block = (matrix[start : start + BLOCK] @ transposed).toarray()
        if themes is not None:
            block += theme_weight * (themes[start : start + BLOCK] @ themes_t).toarray()
        rows = np.arange(block.shape[0])
        block[rows, start + rows] = -1.0
        block = np.round(block, 5)
        for row, scores in enumerate(block):
            i = start + row
            top = np.argpartition(-scores, k - 1)[:k] if k < len(scores) else np.arange(len(scores))
            ranked = sorted(top, key=lambda j: (-scores[j], papers[j].slug))
            links = []
            mine = slice(indptr[i], indptr[i + 1])
            for j in ranked:
                if scores[j] <= 0:
                    continue
                theirs = slice(indptr[j], indptr[j + 1])
                cols, a, b = np.intersect1d(
                    indices[mine], indices[theirs], assume_unique=True, return_indices=True
                )
                weights = data[mine][a] * data[theirs][b]
                cols = cols[weights != 0]
                weights = weights[weights != 0]
                # Terms are numbered in alphabetical order: by weight, then by term.
                order = cols[np.lexsort((cols, -weights))]
                words = distinct_terms((str(terms[c]) for c in order), n_terms)
                links.append(Link(papers[j].slug, float(round(min(scores[j], 1.0), 3)), words))
            out[papers[i].slug] = tuple(links)
    return out


def _theme_matrix(
    papers: Sequence[Paper], themes_of: Mapping[str, Sequence[str]]
) -> sparse.csr_matrix:
    """Rows of unit length over themes: the product of two rows is their theme overlap."""
    ids = sorted({t for p in papers for t in themes_of.get(p.slug, ())})
    column = {t: n for n, t in enumerate(ids)}
    rows, cols, vals = [], [], []
    for i, p in enumerate(papers):
        mine = themes_of.get(p.slug, ())
        for t in mine:
            rows.append(i)
            cols.append(column[t])
            vals.append(1.0 / np.sqrt(len(mine)))
    return sparse.csr_matrix(
        (np.array(vals, dtype=np.float32), (rows, cols)), shape=(len(papers), max(len(ids), 1))
    )


def distinct_terms(ranked: Iterable[str], n: int) -> tuple[str, ...]:
    """Strongest terms, skipping a word already shown inside a chosen bigram or vice versa."""
    chosen: list[str] = []
    for term in ranked:
        words = set(term.split())
        if any(words & set(c.split()) for c in chosen):
            continue
        chosen.append(term)
        if len(chosen) == n:
            break
    return tuple(chosen)
