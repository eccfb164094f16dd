"""The maintainers' page: coverage, dumps, unsorted papers with suggestions, warnings."""

from __future__ import annotations

from collections.abc import Sequence

from .assign import MAX_LEAF, Assignment
from .errors import Problem
from .model import Corpus, Taxonomy
from .render import front_matter, render
from .suggest import suggest


def maintainers_page(
    corpus: Corpus, taxonomy: Taxonomy, assignment: Assignment, warnings: Sequence[Problem]
) -> dict[str, str]:
    """{"maintainers.md": markdown}."""
    by_id = taxonomy.by_id()
    rows = []
    for theme in taxonomy.themes:
        depth, parent = 0, theme.parent
        while parent is not None and depth < len(taxonomy.themes):
            depth, parent = depth + 1, by_id[parent].parent
        count = len(assignment.members[theme.id])
        note = ""
        if count == 0:
            note = "empty"
        elif not theme.children and count > MAX_LEAF:
            note = f"more than {MAX_LEAF}: split it"
        rows.append((theme, depth, count, len(assignment.direct[theme.id]), note))
    suggestions, proposals = suggest(corpus.papers, taxonomy, assignment)
    total = len(corpus.papers)
    return {
        "maintainers.md": render(
            "maintainers",
            fm=front_matter(title="Maintainers' page", search={"exclude": True}),
            covered=total - len(assignment.unsorted),
            total=max(total, 1),
            unsorted=assignment.unsorted,
            themes=rows,
            dumps=corpus.dumps,
            suggestions=suggestions,
            proposals=proposals,
            titles={p.slug: p.title for p in corpus.papers},
            theme_titles={t.id: t.title for t in taxonomy.themes},
            warnings=[str(w) for w in warnings],
        )
    }
