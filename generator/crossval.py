"""How often a suggester finds the curated themes of papers it did not learn from: the
classifier of generator/classify.py and the theme centroids, under the same protocols.

* Leave-one-out, exact: each paper in a leaf theme is left out in turn, with every label
  it has (the models are trained again without it), and the leaf themes are ranked for it.
* Each dump held out: the papers first seen in one dump are left out together, as when a
  new dump arrives, and ranked by models trained on the other dumps' papers.

Every (paper, leaf theme) the site shows counts once, listed or claimed by a rule. It is
found first when the theme ranks first once the paper's other curated themes are set aside
(a paper in two themes can rank only one of them first), and found in the top three alike.
The themes' own texts, which never name a paper (see classify.py), always train. The TF-IDF
vocabulary is fitted once, on every paper's text and theme text, as it is when unsorted
papers are suggested: it reads no label.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np

from .classify import Features, centroid_scores, features, train, training_rows
from .model import Assignment, Paper, Taxonomy

Scorer = Callable[[Features, np.ndarray, np.ndarray], np.ndarray]
"""(features, training papers, papers to score) -> their scores for every leaf theme."""


def classifier(feats: Features, rows: np.ndarray, query: np.ndarray) -> np.ndarray:
    """The classifier's probabilities, trained on `rows`."""
    return train(feats, rows).scores(feats.papers[query])


def centroid(feats: Features, rows: np.ndarray, query: np.ndarray) -> np.ndarray:
    """The centroids' cosines, of the papers `rows`."""
    return centroid_scores(feats, rows, feats.papers[query])


METHODS: dict[str, Scorer] = {"centroid": centroid, "classifier": classifier}


@dataclass(frozen=True)
class Figure:
    """Hits of one suggester under one protocol."""

    top1: int
    top3: int
    total: int
    """(paper, leaf theme) pairs found first, in the top three, and counted."""
    listed1: int
    listed3: int
    listed: int
    """The same, of the pairs listed by hand in taxonomy.yaml."""
    right: int
    confident: int
    """Papers whose best theme scores MIN_SCORE or more, and how many of those best themes
    are theirs."""


def _count(scores: np.ndarray, labels: np.ndarray, hand: np.ndarray, floor: float) -> Figure:
    hits = [0] * 6
    right = confident = 0
    for row, mine, listed in zip(scores, labels, hand, strict=True):
        order = sorted(range(len(row)), key=lambda k: (-row[k], k))
        if row[order[0]] >= floor:
            confident += 1
            right += bool(mine[order[0]])
        for theme in map(int, np.flatnonzero(mine)):
            rank = [k for k in order if k == theme or not mine[k]].index(theme)
            counted = (rank == 0, rank < 3, True)
            for n, hit in enumerate(counted):
                hits[n] += hit
                hits[3 + n] += hit and bool(listed[theme])
    return Figure(hits[0], hits[1], hits[2], hits[3], hits[4], hits[5], right, confident)


def evaluate(
    feats: Features, groups: Sequence[np.ndarray], scorer: Scorer, hand: np.ndarray, floor: float
) -> Figure:
    """The figure of `scorer` when each group of papers is held out in turn."""
    rows = training_rows(feats)
    scores = np.zeros(feats.labels.shape)
    for held in groups:
        scores[held] = scorer(feats, np.setdiff1d(rows, held), held)
    labelled = np.unique(np.concatenate([*groups, np.zeros(0, dtype=np.int64)]))
    return _count(scores[labelled], feats.labels[labelled], hand[labelled], floor)


def protocols(papers: Sequence[Paper], feats: Features) -> dict[str, list[np.ndarray]]:
    """The held-out groups of each protocol, over the papers in a leaf theme."""
    labelled = np.flatnonzero(feats.labels.any(axis=1))
    dumps: dict[str, list[int]] = {}
    for i in map(int, labelled):
        dumps.setdefault(papers[i].sources[0].file, []).append(i)
    return {
        "leave-one-out": [np.array([i]) for i in labelled],
        "each dump held out": [np.array(dumps[d]) for d in sorted(dumps)],
    }


def listed_pairs(papers: Sequence[Paper], feats: Features, assignment: Assignment) -> np.ndarray:
    """hand[i, k]: paper i is listed by hand under leaf k (not only claimed by a rule)."""
    position = {t: k for k, t in enumerate(feats.leaves)}
    hand = np.zeros(feats.labels.shape, dtype=bool)
    index = {p.slug: i for i, p in enumerate(papers)}
    for (slug, theme), why in assignment.why.items():
        if why.startswith("listed") and theme in position and slug in index:
            hand[index[slug], position[theme]] = True
    return hand


def figures(
    papers: Sequence[Paper],
    taxonomy: Taxonomy,
    assignment: Assignment,
    floor: float,
    which: Sequence[str] = ("leave-one-out", "each dump held out"),
) -> dict[tuple[str, str], Figure]:
    """(protocol, method) -> its figure, for both suggesters."""
    feats = features(papers, taxonomy, assignment)
    hand = listed_pairs(papers, feats, assignment)
    groups = protocols(papers, feats)
    return {
        (protocol, method): evaluate(feats, groups[protocol], scorer, hand, floor)
        for protocol in which
        for method, scorer in METHODS.items()
    }
