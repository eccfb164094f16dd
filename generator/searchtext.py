"""What the reader's search finds (generator/search.py indexes it with Pagefind).

The records are made from the survey's own data, not from the built HTML: every paper
(title, abstract, organisation), every theme (title, summary) and the pages for readers:
the maintainers' pages are left out (those `urls.MAINTAINER_DOCS` names, and any whose
front matter has `search: exclude: true`, as the maintainers' page has, which the theme's
built-in search leaves out too). Readers search what papers say, not the navigation and
related-paper lists around them.

A paper's themes and every record's kind are Pagefind filters, not text: the dialog offers
the themes to narrow a search to, and a theme's name finds the theme and the papers that
use its words, not every paper placed in it. Pagefind 1.5 searches every metadata field,
so nothing that should not be found is kept as metadata.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from .model import Assignment, Corpus, Taxonomy
from .urls import MAINTAINER_DOCS, page_url, paper_doc, theme_doc

THEME_WEIGHT = 0.5
"""What a match in a theme's summary counts for (Record.weight)."""


@dataclass(frozen=True)
class Record:
    """One search result: a page of the site and the text it is found by."""

    url: str
    """The page's address relative to the site root, e.g. `papers/<slug>/`."""
    title: str
    content: str
    meta: Mapping[str, str] = field(default_factory=dict)
    """Shown with the result, and searched (Pagefind ranks a match in the `title` field
    above one in the text): for papers, `date` and `who`."""
    filters: Mapping[str, Sequence[str]] = field(default_factory=dict)
    """Not searched: `kind` (Paper, Theme, Page), and for papers `placed` (the titles of
    their themes, shown with the result) and `theme` (those and the themes above them,
    offered to narrow a search)."""
    weight: float = 1.0
    """What a match in `content` counts for, next to one in a paper's text (Pagefind's
    `data-pagefind-weight`, which counts quadratically): a theme's summary names many of
    its papers, and a paper comes before the theme that names it."""


_FRONT_MATTER = re.compile(r"\A---\n.*?\n---\n", re.DOTALL)
_MARKUP = [
    (re.compile(r"```.*?```", re.DOTALL), " "),  # code blocks
    (re.compile(r"<[^>]+>"), " "),  # HTML tags
    (re.compile(r"!?\[([^\]]*)\]\([^)]*\)"), r"\1"),  # links and images: their text
    (re.compile(r"\{[:.#][^}]*\}|\{ [^}]*\}"), " "),  # attribute lists
    (re.compile(r"^[ \t]*(?:#+|[-*+>]|\d+\.|[|:-]+$)[ \t]*", re.MULTILINE), ""),
    (re.compile(r"[*_`|]+"), " "),
]


def excluded(markdown: str) -> bool:
    """Whether a page's front matter keeps it out of the search (`search: exclude: true`,
    the theme's own key for its built-in search)."""
    found = _FRONT_MATTER.match(markdown)
    try:
        meta = yaml.safe_load(found.group(0).strip("-\n")) if found else None
    except yaml.YAMLError:
        return False
    search = meta.get("search") if isinstance(meta, dict) else None
    return isinstance(search, dict) and search.get("exclude") is True


def markdown_text(markdown: str) -> tuple[str, str]:
    """(first heading, plain text) of a hand-written Markdown page."""
    body = _FRONT_MATTER.sub("", markdown, count=1)
    heading = next((ln[2:].strip() for ln in body.splitlines() if ln.startswith("# ")), "")
    for pattern, replacement in _MARKUP:
        body = pattern.sub(replacement, body)
    return heading, re.sub(r"\s+", " ", body).strip()


def _with_ancestors(themes: Sequence[str], parent: Mapping[str, str]) -> list[str]:
    """`themes` and the themes above them, each once: a theme's page lists its sub-themes'
    papers, and so does its filter."""
    out: list[str] = []
    for theme in themes:
        while theme not in out:
            out.append(theme)
            if theme not in parent:
                break
            theme = parent[theme]
    return out


def records(
    corpus: Corpus,
    taxonomy: Taxonomy,
    assignment: Assignment,
    pages: Mapping[str, str] = {},
    directory_urls: bool = True,
) -> list[Record]:
    """What the search finds: every paper and theme, and the pages named in `pages` (docs
    path to Markdown text: the home page, About and the hand-written pages) but the
    maintainers'."""
    titles = {t.id: t.title for t in taxonomy.themes}
    parent = {child: t.id for t in taxonomy.themes for child in t.children}
    out = []
    for paper in corpus.papers:
        meta = {}
        if paper.published:
            meta["date"] = paper.published.isoformat()
        if paper.organization:
            meta["who"] = paper.organization
        placed = list(assignment.themes_of.get(paper.slug, ()))
        filters = {"kind": ["Paper"]}
        if placed:
            filters["placed"] = [titles[t] for t in placed]
            filters["theme"] = [titles[t] for t in _with_ancestors(placed, parent)]
        # Sentences, so that an excerpt across the parts reads as text.
        parts = [paper.title + ".", paper.abstract]
        if paper.organization:
            parts.append(f"From {paper.organization}.")
        out.append(
            Record(
                page_url(paper_doc(paper.slug), directory_urls),
                paper.title,
                "\n".join(parts),
                meta,
                filters,
            )
        )
    for theme in taxonomy.themes:
        _, summary = markdown_text(theme.summary)
        out.append(
            Record(
                page_url(theme_doc(theme.id), directory_urls),
                theme.title,
                f"{theme.title}.\n{summary}",
                filters={"kind": ["Theme"]},
                weight=THEME_WEIGHT,
            )
        )
    for path, markdown in sorted(pages.items()):
        if path in MAINTAINER_DOCS or excluded(markdown):
            continue
        heading, text = markdown_text(markdown)
        title = heading or Path(path).stem.replace("-", " ").capitalize()
        url = page_url(path, directory_urls)
        out.append(Record(url, title, text, filters={"kind": ["Page"]}))
    return out
