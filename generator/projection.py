"""Where each paper sits on the map, and the regions of the map: a 2-D layout of the papers'
TF-IDF vectors, reproducible (fixed random states, one thread), and clusters of it named by
the terms that set them apart.

The layout is TruncatedSVD to at most 50 dimensions, then t-SNE; past TSNE_SAMPLE papers
t-SNE lays out a sample and every other paper goes beside its most similar sampled paper,
and past TSNE_MAX papers the linear projection alone is kept.
"""

from __future__ import annotations

import functools
import math
import re
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from .model import Paper
from .related import tfidf

# Above this many papers t-SNE costs minutes on two cores; the linear projection stays fast.
TSNE_MAX = 3000
# Above this many papers t-SNE lays out a sample this large, and every other paper goes
# where its nearest sampled papers are: the layout's cost stops growing with the survey.
TSNE_SAMPLE = 1000
# How far from its nearest sampled paper another paper sits, as a share of the layout.
TSNE_SPREAD = 0.01
# Half the default: the layout has settled by then and the build is seconds faster.
TSNE_ITERATIONS = 500
RANDOM_STATE = 0


def project(papers: Sequence[Paper]) -> np.ndarray:
    """2-D coordinates of every paper from its TF-IDF vector, in [0, 1] and reproducible:
    TruncatedSVD to at most 50 dimensions, then t-SNE (of a sample past TSNE_SAMPLE papers;
    TruncatedSVD alone past TSNE_MAX)."""
    return _project(tuple(papers)).copy()


# The layout is the slowest step of a build; the CLI and the tests build the same corpus
# several times in one process.
@functools.lru_cache(maxsize=2)
def _project(papers: tuple[Paper, ...]) -> np.ndarray:
    n = len(papers)
    if n < 3:
        return np.array([[0.5, 0.5]] * n if n < 2 else [[0.25, 0.5], [0.75, 0.5]])
    try:
        matrix = tfidf(papers)[0]
    except ValueError:  # an empty vocabulary: nothing to place the papers by
        angles = np.linspace(0, 2 * np.pi, n, endpoint=False)
        return _unit(np.column_stack([np.cos(angles), np.sin(angles)]))
    from sklearn.decomposition import TruncatedSVD  # imported here: only the map needs it

    # t-SNE starts from 50 dimensions; the linear projection needs only its two.
    dims = max(1, min(2 if n > TSNE_MAX else 50, matrix.shape[1] - 1, n - 1))
    reduced = TruncatedSVD(n_components=dims, random_state=RANDOM_STATE).fit_transform(matrix)
    if dims < 2:
        reduced = np.column_stack([reduced[:, 0], np.zeros(n)])
    if n > TSNE_MAX or n < 8 or dims < 2:
        return _unit(reduced[:, :2])
    if n <= TSNE_SAMPLE:
        return _unit(_tsne(reduced))
    rng = np.random.RandomState(RANDOM_STATE)
    sample = np.sort(rng.choice(n, TSNE_SAMPLE, replace=False))
    laid = _tsne(reduced[sample])
    # Each other paper sits by its most similar sampled paper, a little apart so that it
    # stays visible. Measured on the benchmark's 3,000-paper survey (bench/run.py): 22% of a
    # paper's ten nearest points share its first theme, against 26% when t-SNE lays out
    # every paper and 6% with the linear projection of two dimensions.
    unit = reduced / np.maximum(np.linalg.norm(reduced, axis=1, keepdims=True), 1e-12)
    nearest = np.argmax(unit @ unit[sample].T, axis=1)
    spread = (laid.max(axis=0) - laid.min(axis=0)) * TSNE_SPREAD
    points = laid[nearest] + rng.normal(size=(n, 2)) * spread
    points[sample] = laid
    return _unit(points)


def _tsne(reduced: np.ndarray) -> np.ndarray:
    from sklearn.manifold import TSNE
    from threadpoolctl import threadpool_limits

    n = len(reduced)
    tsne = TSNE(
        n_components=2,
        perplexity=min(30.0, (n - 1) / 3),
        init="pca",
        learning_rate="auto",
        max_iter=TSNE_ITERATIONS,
        random_state=RANDOM_STATE,
    )
    # One thread: measured faster on two busy cores, and the result cannot depend on
    # how the work was split.
    with threadpool_limits(limits=1):
        points: np.ndarray = tsne.fit_transform(reduced.astype(np.float64))
    return points


def _unit(points: np.ndarray) -> np.ndarray:
    low, high = points.min(axis=0), points.max(axis=0)
    size = np.where(high - low > 0, high - low, 1.0)
    unit: np.ndarray = np.round((points - low) / size, 4)
    return unit


@dataclass(frozen=True)
class Region:
    """A cluster of the map, named by the terms its papers share more than the others."""

    x: float
    y: float
    """Where its papers are, in the layout's [0, 1] coordinates (their median)."""
    terms: tuple[str, ...]
    size: int
    """How many papers it holds."""


REGION_MIN_PAPERS = 12
"""A survey with fewer papers gets no regions."""
REGION_TERMS = 2
REGION_SHARE = 0.1
"""A region is named only by terms at least this share of its papers use."""
UNNAMING = frozenset({"available", "code", "com", "github", "html", "http", "https", "io", "org"})
UNNAMING |= frozenset({"page", "project", "url", "www"})
"""Words of the links and "code is available at" lines abstracts end with: no name."""


def region_count(n: int) -> int:
    """How many regions a map of `n` papers is cut into: 3 to 10, about one per 40."""
    return max(3, min(10, round(math.sqrt(n / 5))))


def regions(papers: Sequence[Paper], points: np.ndarray) -> list[Region]:
    """The map's regions, largest first: k-means clusters of the layout (region_count of
    them), each named by the terms its papers use far more than the others (share in it
    times the log of that share over the share outside), at least REGION_SHARE of them,
    as written in one of them (not a bigram that stop words were taken out of), and no
    two terms sharing a word."""
    n = len(papers)
    if n < REGION_MIN_PAPERS:
        return []
    labels = _clusters(tuple(map(tuple, points)), region_count(n))
    matrix, vectorizer = tfidf(papers)
    names = vectorizer.get_feature_names_out()
    used = (matrix > 0).astype(np.float32)
    out = []
    for label in sorted(set(labels.tolist())):
        members = np.flatnonzero(labels == label)
        inside = np.asarray(used[members].sum(axis=0)).ravel() / len(members)
        outside = (np.asarray(used.sum(axis=0)).ravel() - inside * len(members)) / max(
            n - len(members), 1
        )
        score = np.where(
            inside >= REGION_SHARE, inside * np.log((inside + 1e-3) / (outside + 1e-3)), -np.inf
        )
        texts = [f"{papers[i].title} {papers[i].abstract}".lower() for i in members.tolist()]
        x, y = np.median(points[members], axis=0)
        terms = _names(score, names, texts)
        out.append(Region(round(float(x), 4), round(float(y), 4), terms, len(members)))
    return sorted(out, key=lambda r: (-r.size, r.x, r.y))


def _names(score: np.ndarray, names: Sequence[str], texts: list[str]) -> tuple[str, ...]:
    """The REGION_TERMS best-scored terms written as they are in `texts`, no two sharing
    a word (or its singular; "long-context" has two), and none the initials of another
    ("rl" or "lrms" after "reinforcement learning" or "large reasoning models")."""
    terms: list[str] = []
    taken: set[str] = set()
    initials: list[str] = []
    for index in np.argsort(-score, kind="stable"):
        if not np.isfinite(score[index]) or len(terms) == REGION_TERMS:
            break
        term = str(names[index])
        words = {w.rstrip("s") for w in re.split(r"[ -]", term)}
        written = re.compile(r"\b" + re.escape(term).replace(r"\ ", "[ -]") + r"\b")
        acronym = len(term) <= 5 and any(term.startswith(i) for i in initials)
        if words & (taken | UNNAMING) or acronym or not any(written.search(t) for t in texts):
            continue
        terms.append(term)
        taken |= words
        if " " in term:
            initials.append("".join(w[0] for w in term.split()))
    return tuple(terms)


@functools.lru_cache(maxsize=2)
def _clusters(points: tuple[tuple[float, ...], ...], k: int) -> np.ndarray:
    from sklearn.cluster import KMeans
    from threadpoolctl import threadpool_limits

    with threadpool_limits(limits=1):
        kmeans = KMeans(n_clusters=k, n_init=4, random_state=RANDOM_STATE)
        labels: np.ndarray = kmeans.fit_predict(np.array(points))
    return labels
