"""Frozen data records passed between the pipeline stages."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field

from .encoder import Vectors
from .errors import Problem


@dataclass(frozen=True, order=True)
class Source:
    """Where a record was read: the dump's path from the project's folder, such as
    `dumps/001_x.txt`, and the 1-based line of the record's title in it."""

    file: str
    line: int


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
    year_inferred: bool = False
    """The date showed no year, and the dump's year was inferred, not given."""


@dataclass(frozen=True)
class Paper:
    """One unique paper: every record of the same title, merged."""

    slug: str
    """URL slug, stable across rebuilds and dump order; unique in the corpus."""
    key: str
    """Normalised title used to recognise the same paper in several dumps."""
    title: str
    """The title shown: papers.yaml's correction, else the dump's; LaTeX remnants cleaned."""
    abstract: str
    """The abstract with LaTeX remnants cleaned."""
    published: dt.date | None
    """Publication date, or None when no dump shows one."""
    authors_count: int | None  # number of authors, when a dump shows it
    organization: str | None  # organisation display name, when a dump shows it
    organization_id: str | None
    """Organisation handle on Hugging Face, when a dump shows it."""
    upvotes: int | None
    """Highest upvote count seen in any dump."""
    links: tuple[str, ...]
    """Code and project URLs found in the abstract (http and https only)."""
    sources: tuple[Source, ...]
    """Every dump file and line the paper was read from, sorted."""
    arxiv: str | None = None
    """From papers.yaml, as the fields below: arXiv id without version (2502.11089)."""
    doi: str | None = None
    openalex: str | None = None
    """OpenAlex work id (W123)."""
    authors: tuple[str, ...] = ()
    venue: str | None = None
    aliases: tuple[str, ...] = ()
    """Other slugs that lead to this paper: declared aliases and merged duplicates."""
    date_source: str | None = None
    """Where `published` comes from: "dump", "dump, year inferred", "papers.yaml" or
    "arXiv id" (year and month only); None when undated."""
    from_metadata: tuple[str, ...] = ()
    """The fields papers.yaml set or corrected, sorted."""
    dump_title: str = ""
    """The title exactly as the dump has it: slug, key and published.json come from it."""


@dataclass(frozen=True)
class Facts:
    """What a maintainer set or corrected for one paper in papers.yaml (generator/metadata.py
    documents the fields); `merge` names near-duplicates to fold into this paper, keeping
    their sources, and `distinct` look-alikes that are other papers. `line` is the line of
    the paper's key, `where` the line and column of each field's value, for messages."""

    slug: str
    line: int
    arxiv: str | None = None
    doi: str | None = None
    openalex: str | None = None
    authors: tuple[str, ...] = ()
    venue: str | None = None
    published: dt.date | None = None
    title: str | None = None
    links: tuple[str, ...] = ()
    aliases: tuple[str, ...] = ()
    merge: tuple[str, ...] = ()
    distinct: tuple[str, ...] = ()
    where: Mapping[str, tuple[int, int]] = field(default_factory=dict)

    def fields(self) -> tuple[str, ...]:
        """The paper facts set (not the identity declarations), sorted."""
        names = ("arxiv", "doi", "openalex", "authors", "venue", "published", "title", "links")
        return tuple(sorted(n for n in names if getattr(self, n) not in (None, ())))


@dataclass(frozen=True)
class DumpInfo:
    """What the parser learned about one dump file."""

    file: str  # path of the dump from the project's folder, such as `dumps/001_x.txt`
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
    dumps: tuple[DumpInfo, ...]
    """One entry per dump file read, sorted by file name."""
    record_count: int
    """Number of records parsed before merging."""

    def by_slug(self) -> dict[str, Paper]:
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
    exclude: tuple[str, ...] = ()
    """Slugs of papers the theme always claims (`papers`) and never claims (`exclude`)."""
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
    summary: str
    """Markdown written by the survey's author."""
    rules: Rules
    parent: str | None = None
    """Id of the parent theme, None for a top-level theme."""
    children: tuple[str, ...] = ()
    """Ids of the sub-themes, in taxonomy order."""
    line: int = 0
    """Line of the theme's `id` in taxonomy.yaml."""
    summary_line: int = 0
    summary_col: int = 0
    """Line and column where the summary's text starts in taxonomy.yaml."""


@dataclass(frozen=True)
class SourceEntry:
    """A dump's entry in taxonomy.yaml: its file in the dumps folder, a name, a date."""

    file: str
    label: str | None
    captured: dt.date | None
    """Capture date; its year resolves dates that show none."""
    line: int = 0


@dataclass(frozen=True)
class About:
    """The About page's facts: scope, inclusion, curators (names), licence (Markdown)."""

    scope: str = ""
    inclusion: str = ""
    curators: tuple[str, ...] = ()
    licence: str = ""
    at: Mapping[str, tuple[int, int]] = field(default_factory=dict)  # where each text starts


@dataclass(frozen=True)
class Taxonomy:
    """The curated survey: site info, sources and the theme tree."""

    title: str
    description: str
    intro: str
    sources: tuple[SourceEntry, ...]
    themes: tuple[Theme, ...]
    """All themes, depth-first in taxonomy order."""
    path: str = "taxonomy.yaml"
    roots: tuple[str, ...] = field(default=())
    """Ids of the top-level themes, in taxonomy order."""
    warnings: tuple[Problem, ...] = ()
    """Problems that do not stop a build, unless it is strict."""
    leaf_size: int = 60
    """Advice: a leaf theme with more papers than this should be split (`advice:`)."""
    intro_at: tuple[int, int] = (0, 0)
    """Line and column where the introduction's text starts."""
    about: About = field(default_factory=About)  # what the About page says (`site: about:`)
    organizations: tuple[tuple[str, str, int, int], ...] = ()  # (dumps' name, shown, line, col)
    outside: tuple[tuple[str, str, int, int], ...] = ()  # `outside:`: (slug, why, line, col)

    def by_id(self) -> dict[str, Theme]:
        return {t.id: t for t in self.themes}

    def ancestors(self, theme_id: str) -> tuple[str, ...]:
        """Ids of the themes above `theme_id`, from its parent up to its top-level theme."""
        by_id, out = self.by_id(), []
        parent = by_id[theme_id].parent
        # a taxonomy with a duplicate id (reported as an error) can make a parent chain loop
        while parent is not None and parent not in out and parent != theme_id:
            out.append(parent)
            parent = by_id[parent].parent
        return tuple(out)

    def leaves(self) -> list[str]:
        """Ids of the themes without sub-themes, in taxonomy order."""
        return [t.id for t in self.themes if not t.children]

    def root_of(self, theme_id: str) -> str:
        """Id of the top-level theme that `theme_id` is in (itself, if it is top-level)."""
        return (theme_id, *self.ancestors(theme_id))[-1]


@dataclass(frozen=True)
class Assignment:
    """Which papers each theme holds, and which themes each paper is in."""

    direct: Mapping[str, tuple[str, ...]]
    """Theme id -> slugs the theme claims itself and no sub-theme claims, sorted."""
    members: Mapping[str, tuple[str, ...]]
    """Theme id -> slugs of the theme and all its sub-themes, sorted."""
    themes_of: Mapping[str, tuple[str, ...]]
    """Slug -> the most specific themes claiming it, in taxonomy order."""
    unsorted: tuple[str, ...]
    why: Mapping[tuple[str, str], str]
    """(slug, theme id) -> what claimed the paper: 'listed', 'title: x' or 'abstract: x';
    `unsorted`: the slugs no theme claims and the curators did not keep outside, sorted."""
    outside: Mapping[str, str] = field(default_factory=dict)  # slug -> why, from `outside:`


@dataclass(frozen=True)
class Link:
    """One related paper: its score (at most 1, rounded), its terms, strongest first, and
    whether it is listed as closely related (None when found by words alone)."""

    slug: str
    score: float
    terms: tuple[str, ...]
    close: bool | None = None


@dataclass(frozen=True)
class Entry:
    """One published URL ("paper" or "theme" `kind`, `url` under the site's root such as
    "papers/<slug>/") and what identifies the page it showed: its `title`, a paper's
    "file:line" `sources`, a theme's `parent` id."""

    kind: str
    url: str
    title: str
    sources: tuple[str, ...] = ()
    parent: str | None = None
    gone: bool = False
    """Recorded by `urls --update` when nothing matched: the notice page stays, unwarned."""
    line: int = 0
    to: str | None = None
    """The URL it leads to, recorded by a command that moved it (`rename-theme`)."""


@dataclass(frozen=True)
class Suggestion:
    """Where an unsorted paper would fit best: the leaf `theme` whose model (classify.py)
    gives it the highest probability, that `score` (0 when no term adds to it), the `terms`
    that add most to it, every leaf theme `ranked` from most to least probable."""

    slug: str
    theme: str
    score: float
    terms: tuple[str, ...]
    ranked: tuple[str, ...]


@dataclass(frozen=True)
class Proposal:
    """A proposed new theme, labelled by its top terms: papers that fit no theme well."""

    label: str
    terms: tuple[str, ...]
    papers: tuple[str, ...]


@dataclass(frozen=True)
class Score:
    """A measured share: `hits` items passed of `total`; `notes` says which did not."""

    hits: int
    total: int
    notes: tuple[str, ...] = ()

    @property
    def share(self) -> float:  # 0 when nothing was measured
        return self.hits / self.total if self.total else 0.0


@dataclass(frozen=True)
class Settings:
    """The survey plugin's options in mkdocs.yml (generator/plugin.py validates them)."""

    taxonomy: str = "taxonomy.yaml"
    dumps: str = "dumps"
    """The folder of paper listings; paths are relative to the project folder."""
    papers: str = "papers.yaml"  # the per-paper metadata file (optional)
    search: str = "pagefind"
    """The reader's search: "pagefind", or "builtin" for the theme's own."""
    search_part_size: int = 6000  # records per Pagefind process (generator/search.py)
    instant_max_pages: int = 3000  # above this many pages, no instant navigation
    related_theme_weight: float = 0.05
    """Weight of shared themes next to text similarity in related papers."""
    related: str = "meaning"  # a sentence encoder and TF-IDF, or "words": TF-IDF alone
    related_floor: float = 0.75  # with "meaning", the least score of a link shown
    related_close: float = 0.95  # with "meaning", the least score of a closely related link


@dataclass(frozen=True)
class SiteConfig:
    """What the build needs from mkdocs.yml."""

    site_url: str
    """The published address, ending with "/"; MkDocs' preview address when unset."""
    site_name: str = ""
    directory_urls: bool = True
    """mkdocs.yml's `use_directory_urls`."""
    language: str = "en"
    """The theme's language, which the search index is built for."""
    settings: Settings = field(default_factory=Settings)
    problems: tuple[Problem, ...] = ()
    """What is wrong with the configuration but does not stop a build."""


@dataclass(frozen=True)
class Inputs:
    """Every input of one build, read and parsed once (generator/load.py)."""

    records: tuple[RawRecord, ...]
    """Every record of every dump, in file order."""
    dumps: tuple[DumpInfo, ...]
    """What the parser learned about each dump, by file name."""
    taxonomy: Taxonomy
    manifest: tuple[Entry, ...]
    """The published URLs recorded in published.json (none without it)."""
    docs: Mapping[str, str]
    """Hand-written pages: path under docs/ to Markdown text, sorted."""
    config: SiteConfig
    problems: tuple[Problem, ...] = ()
    """Warnings found while reading."""
    facts: tuple[Facts, ...] = ()
    """What papers.yaml sets per paper (none without it), in file order."""
    vectors: Vectors | None = None  # the sentence encoder and the vectors `.cache/` keeps


@dataclass(frozen=True)
class Survey:
    """The survey analysed: papers merged and placed in themes, every problem found."""

    inputs: Inputs
    corpus: Corpus
    taxonomy: Taxonomy
    assignment: Assignment
    warnings: tuple[Problem, ...]
    """Problems that do not stop a build, unless it is strict."""
