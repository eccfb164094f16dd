"""What changed since the last publish: the current survey against published.json.

`python -m generator changes` prints it, and the maintainers' page shows it: pages new
since the last `urls --update` (papers per theme, new themes), published pages that now
redirect to another page, and published pages that lead nowhere any more.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from .model import Assignment, Corpus, Entry, Taxonomy
from .redirects import current_entries, resolve
from .urls import PAPERS


@dataclass(frozen=True)
class Changes:
    """The survey's pages compared with the ones published.json records."""

    new: tuple[Entry, ...]
    """Pages not recorded yet."""
    moved: tuple[tuple[Entry, Entry], ...]
    """(recorded, current) for each recorded page that now redirects."""
    gone: tuple[Entry, ...]
    """Recorded pages that nothing matches: readers get a notice page."""
    growth: tuple[tuple[str, int], ...]
    """(theme id, new papers) for each theme that gained papers, most first."""
    recorded: int
    """Entries in published.json."""


def changes(
    manifest: list[Entry], corpus: Corpus, taxonomy: Taxonomy, assignment: Assignment
) -> Changes:
    """Compare the survey with what published.json records."""
    listed = {e.url for e in manifest}
    new = tuple(e for e in current_entries(corpus, taxonomy) if e.url not in listed)
    moved, gone = [], []
    for entry, target in resolve(manifest, corpus, taxonomy):
        if target is None:
            if not entry.gone:
                gone.append(entry)
            continue
        # `urls --update` records a redirect with its target's identity, and the target
        # too: such a redirect is not news; one to a new page, or from another page, is
        same = (entry.kind, entry.title, entry.sources, entry.parent) == (
            target.kind,
            target.title,
            target.sources,
            target.parent,
        )
        if target.url not in listed or not same:
            moved.append((entry, target))
    slugs = {e.url.removeprefix(PAPERS).rstrip("/") for e in new if e.kind == "paper"}
    growth = Counter(
        theme.id
        for theme in taxonomy.themes
        for slug in assignment.members[theme.id]
        if slug in slugs
    )
    ranked = tuple(sorted(growth.items(), key=lambda kv: (-kv[1], kv[0])))
    return Changes(new, tuple(moved), tuple(gone), ranked, len(manifest))


def changes_report(found: Changes, taxonomy: Taxonomy) -> str:
    """The changes as text for the terminal."""
    titles = {t.id: t.title for t in taxonomy.themes}
    papers = [e for e in found.new if e.kind == "paper"]
    themes = [e for e in found.new if e.kind == "theme"]
    lines = [
        f"Since the last publish (published.json records {found.recorded} URLs):",
        f"  {len(papers)} new papers, {len(themes)} new themes",
    ]
    lines += [f"    new theme {e.url} ({e.title})" for e in themes]
    lines += [f"    {titles[t]}: +{n} papers" for t, n in found.growth]
    lines.append(f"  {len(found.moved)} published pages now redirect")
    lines += [f"    {old.url} -> {new.url} ({new.title})" for old, new in found.moved]
    lines.append(f"  {len(found.gone)} published pages lead nowhere (a notice page)")
    lines += [f"    {e.url} ({e.title})" for e in found.gone]
    if found.new or found.moved or found.gone:
        lines.append(
            "Record them with `python -m generator urls --update` and commit published.json "
            "when you publish."
        )
    return "\n".join(lines)
