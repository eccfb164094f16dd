"""Frozen data records passed between the pipeline stages."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from .errors import Problem


@dataclass(frozen=True, order=True)
class Source:
    """Where a record was read: one dump file and the line of its title."""

    file: str
    """File name of the dump, relative to the dumps folder."""
    line: int
    """1-based line number of the record's title in that file."""


@dataclass(frozen=True)
class RawRecord:
    """One paper listing exactly as parsed from one dump, before merging."""

    title: str
    """The title as it reads in the dump (chrome such as "Subscribe" removed)."""
    abstract: str
    """The abstract as it reads in the dump, uncleaned."""
    source: Source
    """Where the record was read."""
    published: dt.date | None = None
    """Publication date from the metadata block, with the year resolved."""
    authors_count: int | None = None
    """Number of authors from a "• N authors" line."""
    organization: str | None = None
    """Display name of the organisation from an organisation line."""
    organization_id: str | None = None
    """Hugging Face handle of the organisation (first word of that line)."""
    upvotes: int | None = None
    """Upvote count that follows the date, when shown."""


@dataclass(frozen=True)
class Paper:
    """One unique paper: every record of the same title, merged."""

    slug: str
    """URL slug, stable across rebuilds and dump order; unique in the corpus."""
    key: str
    """Normalised title used to recognise the same paper in several dumps."""
    title: str
    """The title exactly as it reads in the dump."""
    abstract: str
    """The abstract with LaTeX remnants cleaned."""
    published: dt.date | None
    """Publication date, or None when no dump shows one."""
    authors_count: int | None
    """Number of authors, when a dump shows it."""
    organization: str | None
    """Organisation display name, when a dump shows it."""
    organization_id: str | None
    """Organisation handle on Hugging Face, when a dump shows it."""
    upvotes: int | None
    """Highest upvote count seen in any dump."""
    links: tuple[str, ...]
    """Code and project URLs found in the abstract (http and https only)."""
    sources: tuple[Source, ...]
    """Every dump file and line the paper was read from, sorted."""


@dataclass(frozen=True)
class DumpInfo:
    """What the parser learned about one dump file."""

    file: str
    """File name of the dump, relative to the dumps folder."""
    layout: str
    """"daily" (Hugging Face Daily Papers) or "search" (paper-search results)."""
    records: int
    """Number of records parsed from the file."""
    captured: dt.date | None
    """Capture date shown in the dump's header, with its year resolved."""
    year: int | None
    """Year given to dates that show no year."""
    year_source: str
    """How `year` was decided: "taxonomy", "inferred: <reason>" or "not needed"."""


@dataclass(frozen=True)
class Corpus:
    """All papers of all dumps, merged, sorted by slug."""

    papers: tuple[Paper, ...]
    """Unique papers, sorted by slug."""
    dumps: tuple[DumpInfo, ...]
    """One entry per dump file read, sorted by file name."""
    record_count: int
    """Number of records parsed before merging."""

    def by_slug(self) -> dict[str, Paper]:
        """Map from slug to paper."""
        return {p.slug: p for p in self.papers}


@dataclass(frozen=True)
class Rules:
    """How a theme claims papers."""

    keywords: tuple[str, ...] = ()
    """Phrases matched at word boundaries in title or abstract, case-insensitive;
    a phrase written /like this/ is a regular expression."""
    title_keywords: tuple[str, ...] = ()
    """Phrases matched in the title only."""
    papers: tuple[str, ...] = ()
    """Slugs of papers the theme always claims."""
    exclude: tuple[str, ...] = ()
    """Slugs of papers the theme never claims."""
    exclude_keywords: tuple[str, ...] = ()
    """Phrases that stop a keyword match (explicit `papers` still win)."""
    abstract_min: int = 1
    """Keyword occurrences an abstract needs to claim a paper (one in the title suffices)."""
    positions: tuple[tuple[str, str, int, int], ...] = ()
    """(field, value, line, column) of every rule entry, for messages."""


@dataclass(frozen=True)
class Theme:
    """One node of the theme tree."""

    id: str
    """Identifier used in the URL `themes/<id>/`; unique in the taxonomy."""
    title: str
    """Display title."""
    summary: str
    """Markdown written by the survey's author."""
    rules: Rules
    """How the theme claims papers."""
    parent: str | None = None
    """Id of the parent theme, None for a top-level theme."""
    children: tuple[str, ...] = ()
    """Ids of the sub-themes, in taxonomy order."""
    line: int = 0
    """Line of the theme's `id` in taxonomy.yaml."""
    summary_line: int = 0
    """Line where the summary's text starts in taxonomy.yaml."""


@dataclass(frozen=True)
class SourceEntry:
    """A dump's entry in taxonomy.yaml."""

    file: str
    """File name in the dumps folder."""
    label: str | None
    """Human-readable name of the dump."""
    captured: dt.date | None
    """Capture date; its year resolves dates that show none."""
    line: int = 0
    """Line of the entry in taxonomy.yaml."""


@dataclass(frozen=True)
class Taxonomy:
    """The curated survey: site info, sources and the theme tree."""

    title: str
    """Site title."""
    description: str
    """One-sentence description of the survey."""
    intro: str
    """Markdown introduction shown on the home page."""
    sources: tuple[SourceEntry, ...]
    """Known dumps, in taxonomy order."""
    themes: tuple[Theme, ...]
    """All themes, depth-first in taxonomy order."""
    path: str = "taxonomy.yaml"
    """File the taxonomy was read from, for messages."""
    roots: tuple[str, ...] = field(default=())
    """Ids of the top-level themes, in taxonomy order."""
    warnings: tuple[Problem, ...] = ()
    """Problems that do not stop a build, unless it is strict."""

    def by_id(self) -> dict[str, Theme]:
        """Map from theme id to theme."""
        return {t.id: t for t in self.themes}

    def ancestors(self, theme_id: str) -> tuple[str, ...]:
        """Ids of the themes above `theme_id`, from its parent up to its top-level theme."""
        by_id, out = self.by_id(), []
        parent = by_id[theme_id].parent
        while parent is not None:
            out.append(parent)
            parent = by_id[parent].parent
        return tuple(out)

    def root_of(self, theme_id: str) -> str:
        """Id of the top-level theme that `theme_id` is in (itself, if it is top-level)."""
        return (theme_id, *self.ancestors(theme_id))[-1]
