"""The maintainers' page: coverage, dumps, unsorted papers with suggestions, doubts about
sorted papers, warnings."""

from __future__ import annotations

from collections.abc import Sequence

from .assign import oversized
from .changes import changes, changes_report
from .classify import Doubt, doubts, features, out_of_fold
from .errors import Problem
from .model import Assignment, Corpus, Entry, Proposal, Suggestion, Taxonomy
from .render import front_matter, render
from .suggest import suggest


def maintainers_page(
    corpus: Corpus,
    taxonomy: Taxonomy,
    assignment: Assignment,
    warnings: Sequence[Problem],
    leaf_size: int = 60,
    manifest: Sequence[Entry] = (),
) -> str:
    """maintainers.md: coverage, dumps, themes, unsorted papers with suggestions."""
    rows = []
    for theme in taxonomy.themes:
        depth = len(taxonomy.ancestors(theme.id))
        count = len(assignment.members[theme.id])
        note = ""
        if count == 0:
            note = "empty"
        elif oversized(theme, count, leaf_size):
            note = f"more than {leaf_size}: split it"
        rows.append((theme, depth, count, len(assignment.direct[theme.id]), note))
    # one training serves the suggestions and the doubts
    suggestions: list[Suggestion] = []
    proposals: list[Proposal] = []
    doubted: list[Doubt] = []
    if len(corpus.papers) >= 2:
        feats = features(corpus.papers, taxonomy, assignment)
        model, scores = out_of_fold(feats)
        suggestions, proposals = suggest(corpus.papers, taxonomy, assignment, (feats, model))
        doubted = doubts(corpus.papers, feats, scores)
    total = len(corpus.papers)
    return render(
        "maintainers",
        fm=front_matter(title="Maintainers' page", search={"exclude": True}),
        covered=len(assignment.themes_of),
        total=max(total, 1),
        unsorted=assignment.unsorted,
        outside=len(assignment.outside),
        themes=rows,
        dumps=corpus.dumps,
        suggestions=suggestions,
        proposals=proposals,
        doubts=doubted,
        titles={p.slug: p.title for p in corpus.papers},
        theme_titles={t.id: t.title for t in taxonomy.themes},
        warnings=[str(w) for w in warnings],
        changes=changes_report(changes(list(manifest), corpus, taxonomy, assignment), taxonomy),
    )
