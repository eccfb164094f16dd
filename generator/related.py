"""Related papers by what their abstracts say, each link explained by its shared terms.

A pair scores its TF-IDF cosine, plus `related_theme_weight` times its shared themes, plus,
with `related: meaning`, its sentence-encoder cosine, and links under `related_floor` are
left out (generator/neighbours.py; docs/architecture.md has the figures). Scores are computed a
block of rows at a time, keeping the top k of each row: memory grows with the papers only.

Up to EXACT_MAX papers, and always with vectors, every pair is scored. Past that, a paper's
candidates are the papers sharing its less common terms (in at most COMMON_SHARE of the
papers), then scored exactly. On the benchmark's 10,000-paper survey (bench/run.py) this
found the same five related papers as scoring every pair for 9,994 papers; for the other
six, the five it found had 99.6% of the exact five's summed similarity on average (98.9% at
the least), in 3.5 s against 5.5 s.

A link is explained by the shared terms weighing most in it, less the survey's generic
words: those whose lemma is in more than GENERIC_SHARE of the papers, a list learned from
the corpus (generic_words), and terms with no word far more frequent here than in English
(generator/topical.py). Each lemma shows once per link.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable, Mapping, Sequence
from typing import TYPE_CHECKING

import numpy as np
from scipy import sparse

from .model import Link, Paper
from .topical import term_words, topical_words

if TYPE_CHECKING:  # scikit-learn takes a second to import: only what needs it does
    from sklearn.feature_extraction.text import TfidfVectorizer

BLOCK = 512
EXACT_MAX = 2000  # up to this many papers, every pair is scored
COMMON_SHARE = 0.01
"""Past EXACT_MAX, terms in more than this share of the papers propose no candidates."""
CANDIDATES = 40
"""Past EXACT_MAX, papers scored exactly for each paper."""


def paper_text(paper: Paper) -> str:
    """What the vectorizer reads: the title counts twice, as it names the paper's topic."""
    return f"{paper.title}. {paper.title}. {paper.abstract}"


def make_vectorizer(n_docs: int) -> TfidfVectorizer:
    """The one TF-IDF configuration of the project."""
    from sklearn.feature_extraction.text import TfidfVectorizer

    return TfidfVectorizer(
        stop_words="english",
        ngram_range=(1, 2),
        sublinear_tf=True,
        min_df=2 if n_docs >= 20 else 1,
        max_df=0.5 if n_docs >= 20 else 1.0,
        token_pattern=r"(?u)\b[a-zA-Z][a-zA-Z0-9]+(?:-[a-zA-Z0-9]+)*\b",
        dtype=np.float32,
    )


def tfidf(papers: Sequence[Paper]) -> tuple[sparse.csr_matrix, TfidfVectorizer]:
    """The TF-IDF rows (CSR, unit length, terms not sorted within a row) of `papers` and
    the fitted vectorizer. Related papers, the map and the suggestions all read the same
    matrix: it is computed once per corpus, and must not be modified."""
    return _tfidf(tuple(papers))


@functools.lru_cache(maxsize=2)
def _tfidf(papers: tuple[Paper, ...]) -> tuple[sparse.csr_matrix, TfidfVectorizer]:
    vectorizer = make_vectorizer(len(papers))
    matrix = vectorizer.fit_transform(paper_text(p) for p in papers).tocsr()
    # every term dropped by min_df and max_df: large, and only there for introspection
    vectorizer.stop_words_ = None
    return matrix, vectorizer


def related(
    papers: Sequence[Paper],
    k: int = 5,
    n_terms: int = 4,
    themes_of: Mapping[str, Sequence[str]] | None = None,
    theme_weight: float = 0.0,
    vectors: np.ndarray | None = None,
    floor: float = 0.0,
) -> dict[str, tuple[Link, ...]]:
    """Top-k related papers of every paper; `theme_weight` adds shared-theme similarity and
    `vectors` (a unit row per paper) their cosine, scoring every pair. A link scores more
    than 0 and at least `floor`: a paper close to no other has fewer than k, or none."""
    if len(papers) < 2:
        return {p.slug: () for p in papers}
    matrix, vectorizer = tfidf(papers)
    terms = vectorizer.get_feature_names_out().tolist()
    topical = topical_words(papers, {w for t in terms for w in t.split()})
    words = term_words(matrix, terms, vectorizer.idf_, topical)
    by_term = matrix.sorted_indices()
    themes = _theme_matrix(papers, themes_of or {}) if theme_weight else None
    n = len(papers)
    k = min(k, n - 1)
    # ties are broken by slug
    rank = np.empty(n, dtype=np.int64)
    rank[sorted(range(n), key=lambda i: papers[i].slug)] = np.arange(n)
    if vectors is not None and vectors.shape != (n, vectors.shape[1]):
        raise ValueError(f"{vectors.shape[0]} vectors for {n} papers")
    if n <= EXACT_MAX or vectors is not None:
        blocks = _exact(matrix, themes, theme_weight, k, vectors)
    else:
        blocks = _candidates(matrix, themes, theme_weight, k)
    out: dict[str, tuple[Link, ...]] = {}
    for start, chosen, scores in blocks:
        # strongest first, then by slug
        order = np.lexsort((rank[chosen], -scores), axis=1)[:, :k]
        chosen = np.take_along_axis(chosen, order, axis=1)
        scores = np.take_along_axis(scores, order, axis=1)
        shown = np.round(np.minimum(scores, np.float32(1.0)), 3).tolist()
        kept = (scores > 0) & (scores >= np.float32(floor))
        explained = _shared_terms(by_term, start, chosen, kept, terms, words, n_terms)
        for row in range(chosen.shape[0]):
            links = [
                Link(papers[j].slug, shown[row][c], explained[row][c])
                for c, j in enumerate(chosen[row].tolist())
                if kept[row, c]
            ]
            out[papers[start + row].slug] = tuple(links)
    return out


Blocks = Iterable[tuple[int, np.ndarray, np.ndarray]]
"""(first row, candidate columns, their float32 scores rounded to 5 decimals) per block."""


def _exact(
    matrix: sparse.csr_matrix,
    themes: sparse.csr_matrix | None,
    theme_weight: float,
    k: int,
    vectors: np.ndarray | None = None,
) -> Blocks:
    """Every pair scored; the k best of each row, in no particular order."""
    n = matrix.shape[0]
    # CSR, not CSC: scipy converts a CSC right operand to CSR again for every block.
    transposed = matrix.T.tocsr()
    themes_t = themes.T.tocsr() if themes is not None else None
    dense = None if vectors is None else np.ascontiguousarray(vectors, dtype=np.float32)
    for start in range(0, n, BLOCK):
        block = (matrix[start : start + BLOCK] @ transposed).toarray()
        if dense is not None:
            block += dense[start : start + BLOCK] @ dense.T
        if themes is not None:
            block += theme_weight * (themes[start : start + BLOCK] @ themes_t).toarray()
        rows = np.arange(block.shape[0])
        block[rows, start + rows] = -1.0
        block = np.round(block, 5)
        top = np.argpartition(-block, k - 1, axis=1)[:, :k]
        yield start, top, np.take_along_axis(block, top, axis=1)


def _candidates(
    matrix: sparse.csr_matrix,
    themes: sparse.csr_matrix | None,
    theme_weight: float,
    k: int,
) -> Blocks:
    """The best CANDIDATES of each row by its less common terms, scored exactly."""
    n = matrix.shape[0]
    df = np.bincount(matrix.indices, minlength=matrix.shape[1])
    common = df > COMMON_SHARE * n
    rare = matrix[:, np.flatnonzero(~common)].tocsr()
    rare_t = rare.T.tocsr()
    frequent = matrix[:, np.flatnonzero(common)].tocsr()
    transposed = None
    dense_themes = themes.toarray() if themes is not None else None
    wanted = min(max(CANDIDATES, k), n - 1)
    for start in range(0, n, BLOCK):
        stop = min(start + BLOCK, n)
        product = rare[start:stop] @ rare_t
        cand = np.zeros((stop - start, wanted), dtype=np.int64)
        # the similarity over the less common terms, then over all terms
        scores = np.zeros((stop - start, wanted), dtype=np.float32)
        short = []
        indptr, indices, data = product.indptr, product.indices, product.data
        for row in range(stop - start):
            cols = indices[indptr[row] : indptr[row + 1]]
            vals = data[indptr[row] : indptr[row + 1]]
            mine = cols != start + row
            cols, vals = cols[mine], vals[mine]
            if len(cols) < wanted:
                short.append(row)
                continue
            best = np.argpartition(-vals, wanted - 1)[:wanted]
            cand[row], scores[row] = cols[best], vals[best]
        scores += _common_part(frequent, start, stop, cand)
        if short:
            # Papers with few uncommon terms: their candidates come from all their terms.
            if transposed is None:
                transposed = matrix.T.tocsr()
            own = [start + r for r in short]
            full = (matrix[own] @ transposed).toarray()
            full[np.arange(len(short)), own] = -1.0
            best = np.argpartition(-full, wanted - 1, axis=1)[:, :wanted]
            cand[short] = best
            scores[short] = np.take_along_axis(full, best, axis=1)
        if dense_themes is not None:
            scores += np.float32(theme_weight) * np.einsum(
                "ijt,it->ij", dense_themes[cand], dense_themes[start:stop]
            )
        yield start, cand, np.round(scores, 5)


def _common_part(
    frequent: sparse.csr_matrix, start: int, stop: int, cand: np.ndarray
) -> np.ndarray:
    """Dot products over the common terms of each row start + r with the rows cand[r]."""
    if frequent.shape[1] == 0:
        return np.zeros(cand.shape, dtype=np.float32)
    mine = frequent[start:stop].toarray()
    theirs = frequent[cand.ravel()]
    pair = np.repeat(np.arange(cand.size), np.diff(theirs.indptr))
    weights = mine[pair // cand.shape[1], theirs.indices] * theirs.data
    sums = np.bincount(pair, weights=weights, minlength=cand.size)
    return sums.astype(np.float32).reshape(cand.shape)


def _shared_terms(
    matrix: sparse.csr_matrix,
    start: int,
    chosen: np.ndarray,
    linked: np.ndarray,
    terms: Sequence[str],
    words: Sequence[list[str]],
    n_terms: int,
) -> list[list[tuple[str, ...]]]:
    """The distinct terms weighing most in each (row, chosen paper) similarity, as
    distinct_terms picks them; `words` holds each term's words."""
    rows, width = chosen.shape
    owner = np.repeat(np.arange(start, start + rows), width)
    pairs = matrix[owner].multiply(matrix[chosen.ravel()]).tocsr()
    pairs.eliminate_zeros()
    pair_of = np.repeat(np.arange(pairs.shape[0]), np.diff(pairs.indptr))
    # Terms are numbered in alphabetical order: by weight, then by term. Weights are
    # positive, so their float32 bits sort as integers do, and a stable sort of one
    # integer key keeps each pair's terms (held in column order) in order among equals.
    if pairs.has_sorted_indices and (pairs.data > 0).all():
        key = (pair_of.astype(np.int64) << 32) | (
            np.int64(0x7FFFFFFF) - pairs.data.astype(np.float32).view(np.int32)
        )
        order = np.argsort(key, kind="stable")
    else:
        order = np.lexsort((pairs.indices, -pairs.data, pair_of))
    cols = pairs.indices[order].tolist()
    bounds = pairs.indptr.tolist()
    out: list[tuple[str, ...]] = []
    for p, wanted in enumerate(linked.ravel().tolist()):
        picked: list[str] = []
        if wanted:
            shown: set[str] = set()
            for c in cols[bounds[p] : bounds[p + 1]]:
                if words[c] and shown.isdisjoint(words[c]):
                    picked.append(terms[c])
                    if len(picked) == n_terms:
                        break
                    shown.update(words[c])
        out.append(tuple(picked))
    return [out[r * width : (r + 1) * width] for r in range(rows)]


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
