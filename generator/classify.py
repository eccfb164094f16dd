"""A classifier of papers into leaf themes, trained on the curation, and the theme centroids
it is measured against (generator/crossval.py).

Both read the same features: TF-IDF (the project's one configuration,
`related.make_vectorizer`) fitted on every paper's text and on every leaf theme's own
texts, its title and the sentences of its summary (past `OWN_VOCABULARY_MAX` papers, on
the papers alone). A summary's links to papers lose their
text, so that a paper's title never reaches a theme through the summary that names it:
that would tell a held-out paper where it belongs.

The classifier is one-vs-rest logistic regression: one binary model per leaf theme (liblinear,
C = `C`, each class weighted inversely to its size), trained on every (paper, leaf theme) the site
shows, listed or claimed by a rule, a paper in two themes being a positive example for
both, and on the theme's own sentences. A paper's score for a theme is that model's
probability. Past `TRAIN_PER_THEME` papers in a theme, that many of them (the same ones at
every build) train it, so the cost of training stops growing with the survey.

The doubts are the papers whose best-fitting theme is not one of theirs. A model remembers
the papers it was trained on, so a paper that trained it is scored by a model trained
without it: the training papers are split into `FOLDS` folds and each fold is scored by
the model of the other folds; every other paper is scored by the model of all of them.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from scipy import sparse

from .model import Assignment, Paper, Taxonomy
from .related import make_vectorizer, paper_text, tfidf

C = 10.0
"""Inverse regularisation of each theme's model; 1, 10 and 30 measure within one point of
each other by ten-fold cross-validation on the seed survey (first: 79.7%, 80.0%, 79.3%)."""
TRAIN_PER_THEME = 50
"""Papers of one theme that train its model at most."""
FOLDS = 3
"""Folds of the training papers for the doubts."""
OWN_VOCABULARY_MAX = 2000
"""Up to this many papers, the vocabulary is fitted on the papers and the themes' texts;
past it, the papers' TF-IDF of related papers is read, which the build has already
computed (fitting another took 3.2 s at 10,000 papers), and the themes' texts change its
vocabulary little."""
SUMMARY_WEIGHT = 1.0
"""Weight of a theme's own texts next to its papers' centroid."""
_LINK = re.compile(r"\[([^\]]*)\]\(([^)\s]*)\)")
_SENTENCE = re.compile(r"(?<=[.!?])\s+|\n\s*\n")


@dataclass(frozen=True)
class Features:
    """What both suggesters read."""

    leaves: tuple[str, ...]
    """The leaf themes, in taxonomy order."""
    papers: sparse.csr_matrix
    """One unit TF-IDF row per paper, in the corpus's order."""
    texts: sparse.csr_matrix
    """One unit row per theme text (a leaf's title, a sentence of its summary)."""
    owner: np.ndarray
    """The leaf (its number in `leaves`) of each row of `texts`."""
    labels: np.ndarray
    """labels[i, k]: paper i is in leaf k on the site."""
    names: np.ndarray
    """The term of each column."""


@dataclass(frozen=True)
class Model:
    """One linear model per leaf theme: score = sigmoid(x . weights[k] + bias[k])."""

    weights: np.ndarray
    bias: np.ndarray

    def scores(self, rows: sparse.csr_matrix) -> np.ndarray:
        """The probability of each row for each leaf theme."""
        margin = np.asarray(rows @ self.weights.T) + self.bias
        out: np.ndarray = 1.0 / (1.0 + np.exp(-np.clip(margin, -30.0, 30.0)))
        return out


def theme_texts(summary: str, title: str) -> list[str]:
    """A leaf theme's own training texts: its title (twice, as a paper's title counts
    twice) and the sentences of its summary, without the titles of the papers it links,
    and without the parts (a sentence, or a clause after a semicolon) that link another
    theme: those say what the theme leaves to others ("...; memory modules are in
    [Memory-augmented models](/themes/memory-architectures/)")."""
    pieces = [p for s in _SENTENCE.split(summary) for p in s.split(";")]
    kept = [p for p in pieces if "](/themes/" not in p]
    text = [_LINK.sub(lambda m: "" if "/papers/" in m.group(2) else m.group(1), p) for p in kept]
    return [f"{title}. {title}.", *(s.strip() for s in text if len(s.strip()) > 20)]


def features(papers: Sequence[Paper], taxonomy: Taxonomy, assignment: Assignment) -> Features:
    """TF-IDF of the papers and of the leaf themes' texts, one vocabulary for both, and the
    curated labels."""
    from sklearn.preprocessing import normalize

    leaves = tuple(taxonomy.leaves())
    by_id = taxonomy.by_id()
    owned = [
        (k, s) for k, t in enumerate(leaves) for s in theme_texts(by_id[t].summary, by_id[t].title)
    ]
    if len(papers) > OWN_VOCABULARY_MAX:
        # the build's TF-IDF of the papers, computed once for related papers
        rows, vectorizer = tfidf(papers)
        matrix = sparse.vstack([rows, vectorizer.transform(s for _, s in owned)]).tocsr()
    else:
        vectorizer = make_vectorizer(len(papers) + len(owned))
        matrix = vectorizer.fit_transform([*map(paper_text, papers), *(s for _, s in owned)])
    matrix = normalize(matrix.tocsr())
    position = {t: k for k, t in enumerate(leaves)}
    labels = np.zeros((len(papers), len(leaves)), dtype=bool)
    for i, paper in enumerate(papers):
        for theme in assignment.themes_of.get(paper.slug, ()):
            if theme in position:
                labels[i, position[theme]] = True
    return Features(
        leaves,
        matrix[: len(papers)],
        matrix[len(papers) :],
        np.array([k for k, _ in owned], dtype=np.int64),
        labels,
        vectorizer.get_feature_names_out(),
    )


def training_rows(feats: Features) -> np.ndarray:
    """The papers that train the models: every labelled paper, but at most TRAIN_PER_THEME
    of each theme, picked in an order fixed by the corpus's size."""
    order = np.random.default_rng(0).permutation(len(feats.labels))
    taken = np.zeros(len(feats.leaves), dtype=np.int64)
    keep = []
    for i in order:
        mine = feats.labels[i]
        if mine.any() and (taken[mine] < TRAIN_PER_THEME).any():
            keep.append(i)
            taken[mine] += 1
    return np.array(sorted(keep), dtype=np.int64)


def train(feats: Features, rows: np.ndarray) -> Model:
    """The leaf themes' models, trained on the papers `rows` and the themes' own texts."""
    from sklearn.linear_model import LogisticRegression

    x = sparse.vstack([feats.papers[rows], feats.texts]).tocsr().astype(np.float64)
    weights = np.zeros((len(feats.leaves), x.shape[1]))
    bias = np.full(len(feats.leaves), -30.0)
    for k in range(len(feats.leaves)):
        y = np.concatenate([feats.labels[rows, k], feats.owner == k])
        if y.all() or not y.any():
            continue  # a theme with no example scores 0 everywhere
        # the dual problem, as there are fewer papers than terms: ten times faster here
        fitted = LogisticRegression(
            C=C, solver="liblinear", dual=True, class_weight="balanced", max_iter=1000
        ).fit(x, y)
        weights[k] = fitted.coef_[0]
        bias[k] = fitted.intercept_[0]
    return Model(weights, bias)


def centroid_scores(feats: Features, rows: np.ndarray, query: sparse.csr_matrix) -> np.ndarray:
    """The baseline: cosine of each `query` row to each leaf's centroid of the papers
    `rows`, plus SUMMARY_WEIGHT times the centroid of its own texts."""
    from sklearn.preprocessing import normalize

    papers = sparse.csr_matrix(feats.labels[rows].T.astype(np.float64)) @ feats.papers[rows]
    own = np.zeros((len(feats.leaves), len(feats.owner)))
    own[feats.owner, np.arange(len(feats.owner))] = 1.0
    texts = sparse.csr_matrix(own) @ feats.texts
    vectors = normalize(normalize(papers) + SUMMARY_WEIGHT * normalize(texts))
    out: np.ndarray = np.asarray((query @ vectors.T).todense())
    return out


def out_of_fold(feats: Features) -> tuple[Model, np.ndarray]:
    """The model of every training paper, and every paper's scores from a model it did not
    train (see the module's docstring)."""
    rows = training_rows(feats)
    model = train(feats, rows)
    scores = model.scores(feats.papers)
    for fold in range(min(FOLDS, len(rows))):
        held = rows[fold::FOLDS]
        scores[held] = train(feats, np.setdiff1d(rows, held)).scores(feats.papers[held])
    return model, scores


@dataclass(frozen=True)
class Doubt:
    """A paper whose best-fitting leaf theme is not one of its own."""

    slug: str
    best: str
    score: float
    """The probability of `best`."""
    own: str
    own_score: float
    """Its best-fitting theme of its own and that probability."""


def doubts(papers: Sequence[Paper], feats: Features, scores: np.ndarray) -> list[Doubt]:
    """The papers in a leaf theme whose best-fitting leaf theme (by `scores`, from
    `out_of_fold`) is another one, the largest difference first."""
    found = []
    for i in map(int, np.flatnonzero(feats.labels.any(axis=1))):
        row = scores[i]
        best = min(range(len(row)), key=lambda k: (-row[k], k))
        own = min(np.flatnonzero(feats.labels[i]), key=lambda k: (-row[k], k))
        if not feats.labels[i, best]:
            found.append(
                Doubt(
                    papers[i].slug,
                    feats.leaves[best],
                    round(float(row[best]), 3),
                    feats.leaves[own],
                    round(float(row[own]), 3),
                )
            )
    return sorted(found, key=lambda d: (-(d.score - d.own_score), d.slug))
