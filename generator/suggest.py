"""Theme suggestions for unsorted papers, and new themes for what fits nowhere.

A theme is represented by the centroid of its papers' TF-IDF vectors; an unsorted paper is
suggested the leaf theme whose centroid it is closest to, with the terms that weigh most in
that closeness. Papers that fit no theme well are clustered (k-means on the same vectors)
into proposed new themes labelled by their top terms. Nothing here edits taxonomy.yaml.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING

import numpy as np
import yaml
from scipy import sparse

from .model import Assignment, Paper, Proposal, Suggestion, Taxonomy

if TYPE_CHECKING:
    from sklearn.feature_extraction.text import TfidfVectorizer
from .related import distinct_terms, tfidf
from .taxonomy import PLACEHOLDER_SUMMARY

CLUSTER_RESTARTS_MAX = 500
"""Up to this many papers fit no theme, k-means restarts ten times; above, three."""
MIN_SCORE = 0.15
"""Below this similarity to the closest theme, a paper is proposed for a new theme."""
SUMMARY_WEIGHT = 0.5
"""Weight of a theme's own title and summary next to its papers; measured by leave-one-out
(`python -m generator suggest --evaluate`): top-1 18/51 and top-3 40/51 without the
summary, 25/51 and 44/51 at 0.5 on the seed survey."""


def _leaves(taxonomy: Taxonomy) -> list[str]:
    return taxonomy.leaves()


def _matrix(papers: Sequence[Paper]) -> tuple[sparse.csr_matrix, TfidfVectorizer]:
    return tfidf(papers)


def _theme_vectors(
    sums: np.ndarray, vectorizer: TfidfVectorizer, taxonomy: Taxonomy, leaves: Sequence[str]
) -> np.ndarray:
    """Unit vectors per leaf theme: its papers' centroid plus its own title and summary,
    which also place papers in a theme that has few papers yet."""
    from sklearn.preprocessing import normalize

    by_id = taxonomy.by_id()
    written = vectorizer.transform(
        f"{by_id[t].title}. {by_id[t].title}. {by_id[t].summary}" for t in leaves
    )
    vectors: np.ndarray = normalize(normalize(sums) + SUMMARY_WEIGHT * normalize(written).toarray())
    return vectors


def _centroids(
    matrix: sparse.csr_matrix,
    index: Mapping[str, int],
    members: Mapping[str, Sequence[str]],
    leaves: Sequence[str],
) -> np.ndarray:
    sums = np.zeros((len(leaves), matrix.shape[1]), dtype=np.float64)
    for n, theme in enumerate(leaves):
        rows = [index[s] for s in members.get(theme, ()) if s in index]
        if rows:
            sums[n] = np.asarray(matrix[rows].sum(axis=0)).ravel()
    return sums


def _terms(
    columns: np.ndarray, values: np.ndarray, centroid: np.ndarray, names: np.ndarray, n: int = 4
) -> tuple[str, ...]:
    """The n terms of a paper (its nonzero `columns` and `values`) weighing most in its
    similarity to `centroid`; ties go to the first term alphabetically, which is the first
    column."""
    weight = values * centroid[columns]
    keep = weight != 0
    columns, weight = columns[keep], weight[keep]
    order = np.lexsort((columns, -weight))[:n]
    return tuple(str(names[j]) for j in columns[order])


def suggest(
    papers: Sequence[Paper], taxonomy: Taxonomy, assignment: Assignment
) -> tuple[list[Suggestion], list[Proposal]]:
    """Suggestions for every unsorted paper, and proposals for those that fit nowhere."""
    if not assignment.unsorted or len(papers) < 2:
        return [], []
    matrix, vectorizer = _matrix(papers)
    names = vectorizer.get_feature_names_out()
    index = {p.slug: n for n, p in enumerate(papers)}
    leaves = _leaves(taxonomy)
    members = {t: assignment.members[t] for t in leaves}
    centroids = _theme_vectors(
        _centroids(matrix, index, members, leaves), vectorizer, taxonomy, leaves
    )
    rows = matrix[[index[slug] for slug in assignment.unsorted]].tocsr()
    every = np.asarray(rows @ centroids.T)
    suggestions, loose = [], []
    for n, slug in enumerate(assignment.unsorted):
        scores = every[n]
        ranked = sorted(range(len(leaves)), key=lambda t: (-scores[t], leaves[t]))
        best = ranked[0]
        mine = slice(rows.indptr[n], rows.indptr[n + 1])
        suggestion = Suggestion(
            slug,
            leaves[best],
            round(float(scores[best]), 3),
            _terms(rows.indices[mine], rows.data[mine], centroids[best], names),
            tuple(leaves[t] for t in ranked),
        )
        suggestions.append(suggestion)
        if suggestion.score < MIN_SCORE:
            loose.append(slug)
    return suggestions, _cluster(loose, matrix, index, names)


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


def leave_one_out(
    papers: Sequence[Paper], taxonomy: Taxonomy, assignment: Assignment
) -> tuple[int, int, int]:
    """Hide each explicitly listed (paper, leaf theme) pair in turn and rank the leaf themes
    for that paper without it. Returns (top-1 hits, top-3 hits, pairs)."""
    matrix, vectorizer = _matrix(papers)
    index = {p.slug: n for n, p in enumerate(papers)}
    leaves = _leaves(taxonomy)
    members = {t: assignment.members[t] for t in leaves}
    sums = _centroids(matrix, index, members, leaves)
    position = {t: n for n, t in enumerate(leaves)}
    top1 = top3 = total = 0
    for theme in taxonomy.themes:
        if theme.children:
            continue
        for slug in theme.rules.papers:
            if slug not in index:
                continue
            vector = matrix[index[slug]].toarray().ravel()
            hidden = sums.copy()
            for other in assignment.themes_of.get(slug, ()):
                if other in position:
                    hidden[position[other]] -= vector
            scores = _theme_vectors(hidden, vectorizer, taxonomy, leaves) @ vector
            ranked = sorted(range(len(leaves)), key=lambda n: (-scores[n], leaves[n]))
            total += 1
            top1 += leaves[ranked[0]] == theme.id
            top3 += theme.id in {leaves[n] for n in ranked[:3]}
    return top1, top3, total
