"""Theme suggestions for unsorted papers, and new themes for what fits nowhere.

An unsorted paper is suggested the leaf theme whose model in generator/classify.py (one-vs-rest
logistic regression trained on the curation) gives it the highest probability, with the
terms that weigh most in that model's score. Papers that fit no theme well are clustered
(k-means on the same TF-IDF rows) into proposed new themes labelled by their top terms.
Nothing here edits taxonomy.yaml.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np
import yaml
from scipy import sparse

from .classify import Features, Model, features, train, training_rows
from .model import Assignment, Paper, Proposal, Suggestion, Taxonomy
from .taxonomy import PLACEHOLDER_SUMMARY
from .topical import distinct_terms

CLUSTER_RESTARTS_MAX = 500
"""Up to this many papers fit no theme, k-means restarts ten times; above, three."""
MIN_SCORE = 0.3
"""Below this probability for its best theme, a paper is proposed for a new theme, and
`suggest --apply` leaves it alone. Chosen on the seed survey with each dump held out
(`python -m generator check --figures` prints it): 217 of the 227 papers at 0.3 or more got
one of their own themes first, 294 of 343 at 0.1, 117 of 119 at 0.5."""


def _terms(
    columns: np.ndarray, values: np.ndarray, weights: np.ndarray, names: np.ndarray, n: int = 4
) -> tuple[str, ...]:
    """The n terms of a paper (its nonzero `columns` and `values`) that add most to its
    score under a theme's `weights`; ties go to the first term alphabetically, which is the
    first column."""
    weight = values * weights[columns]
    keep = weight > 0
    columns, weight = columns[keep], weight[keep]
    order = np.lexsort((columns, -weight))[:n]
    return tuple(str(names[j]) for j in columns[order])


def suggest(
    papers: Sequence[Paper],
    taxonomy: Taxonomy,
    assignment: Assignment,
    fitted: tuple[Features, Model] | None = None,
) -> tuple[list[Suggestion], list[Proposal]]:
    """Suggestions for every unsorted paper, and proposals for those that fit nowhere;
    `fitted` is the features and model when the caller has them already."""
    if not assignment.unsorted or len(papers) < 2:
        return [], []
    feats, model = fitted or _fit(papers, taxonomy, assignment)
    index = {p.slug: n for n, p in enumerate(papers)}
    leaves = feats.leaves
    rows = feats.papers[[index[slug] for slug in assignment.unsorted]].tocsr()
    every = model.scores(rows)
    suggestions, loose = [], []
    for n, slug in enumerate(assignment.unsorted):
        scores = every[n]
        ranked = sorted(range(len(leaves)), key=lambda t: (-scores[t], leaves[t]))
        best = ranked[0]
        mine = slice(rows.indptr[n], rows.indptr[n + 1])
        terms = _terms(rows.indices[mine], rows.data[mine], model.weights[best], feats.names)
        # no term for it: the probability is the model's prior alone, no evidence
        score = round(float(scores[best]), 3) if terms else 0.0
        suggestion = Suggestion(slug, leaves[best], score, terms, tuple(leaves[t] for t in ranked))
        suggestions.append(suggestion)
        if suggestion.score < MIN_SCORE:
            loose.append(slug)
    return suggestions, _cluster(loose, feats.papers, index, feats.names)


def _fit(
    papers: Sequence[Paper], taxonomy: Taxonomy, assignment: Assignment
) -> tuple[Features, Model]:
    feats = features(papers, taxonomy, assignment)
    return feats, train(feats, training_rows(feats))


def _cluster(
    slugs: Sequence[str], matrix: sparse.csr_matrix, index: Mapping[str, int], names: np.ndarray
) -> list[Proposal]:
    if len(slugs) < 3:
        return [Proposal("fits no theme", (), tuple(slugs))] if slugs else []
    rows = matrix[[index[s] for s in slugs]]
    k = max(1, min(len(slugs) // 4, 12))
    # Ten restarts pick a good clustering of a few hundred papers; past that each restart
    # costs seconds, and three find as good a one.
    restarts = 10 if len(slugs) <= CLUSTER_RESTARTS_MAX else 3
    from sklearn.cluster import KMeans  # imported here: only clustering needs it

    labels = KMeans(n_clusters=k, n_init=restarts, random_state=0).fit_predict(rows)
    proposals = []
    for cluster in range(k):
        chosen = [s for s, c in zip(slugs, labels, strict=True) if c == cluster]
        centroid = np.asarray(rows[labels == cluster].mean(axis=0)).ravel()
        ranked = sorted(np.flatnonzero(centroid), key=lambda j: (-centroid[j], names[j]))
        top = list(distinct_terms([str(names[j]) for j in ranked], 4))
        proposals.append(Proposal(", ".join(top[:3]), tuple(top), tuple(sorted(chosen))))
    return sorted(proposals, key=lambda p: (-len(p.papers), p.label))


def as_yaml(
    suggestions: Sequence[Suggestion], proposals: Sequence[Proposal], titles: Mapping[str, str]
) -> str:
    """The suggestions as a YAML snippet with comments, ready to paste into taxonomy.yaml."""
    if not suggestions:
        return "# Every paper is in a theme: nothing to suggest.\n"
    lines = [
        "# Suggestions for the unsorted papers. Nothing was changed: paste what you agree with",
        "# into taxonomy.yaml (a slug under the theme's `papers:`, or a rule that catches it).",
        "",
    ]
    by_theme: dict[str, list[Suggestion]] = {}
    for s in suggestions:
        if s.score >= MIN_SCORE:
            by_theme.setdefault(s.theme, []).append(s)
    for theme in sorted(by_theme):
        lines.append(f"# add under the `papers:` of theme {theme}:")
        lines.append(f"{theme}:")
        for s in by_theme[theme]:
            lines.append(f"  - {s.slug}  # score {s.score:.2f}; {', '.join(s.terms)}")
            lines.append(f"    # {titles[s.slug]}")
        lines.append("")
    if proposals:
        lines.append("# Proposed new themes for papers that fit no theme well:")
        lines.append("new_themes:")
        themes = [
            {
                "id": "new-" + "-".join(p.terms[:2]).replace(" ", "-") if p.terms else "new-theme",
                "title": p.label.capitalize(),
                "summary": PLACEHOLDER_SUMMARY,
                "papers": list(p.papers),
            }
            for p in proposals
        ]
        lines.append(yaml.safe_dump(themes, sort_keys=False, allow_unicode=True, width=100))
    return "\n".join(lines).rstrip() + "\n"
