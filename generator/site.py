"""The whole build: the loaded inputs through every stage, to pages and files in memory.

`compose` is pure: it takes the frozen Inputs of generator/load.py and returns a Build.
The costly analysis behind two pages (the map's projection, the maintainers' page's
clustering) runs only when such a page is read, at most once per build, so `check` pays
for no rendering it does not show.
"""

from __future__ import annotations

import logging
import time
from collections import Counter
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from . import charts, urls
from .about import about_page, provenance, themes_page
from .aside import Aside, last_call
from .assign import assign
from .checks import validate
from .errors import InputError, Problem
from .export import export_files
from .feeds import feed_files, unfed
from .identity import apply_facts, near_duplicates
from .ingest import merge, published_slugs
from .load import load, read_site_config
from .maintainers import maintainers_page
from .model import (
    Assignment,
    Corpus,
    DumpInfo,
    Entry,
    Facts,
    Inputs,
    Link,
    RawRecord,
    Survey,
    Taxonomy,
)
from .neighbours import related_papers
from .pages import build_pages, check_nothing_lost, page_makers
from .projection import TSNE_MAX
from .redirects import feed_moves, redirect_files, renames, unrecorded
from .related import tfidf

log = logging.getLogger("mkdocs.plugins.survey")


class Pages(Mapping[str, str]):
    """Generated Markdown per path under the docs folder; a page given as a function is
    rendered when first read, once."""

    def __init__(
        self,
        ready: Mapping[str, str],
        later: Mapping[str, Callable[[], str]],
        coming: tuple[str, ...] = (),
    ):
        """`coming`: pages given later by `update`, in this order after the others."""
        self._ready = dict(ready)
        self._later = dict(later)
        order = [*ready, *later, *coming]
        self._order = list(dict.fromkeys(order))

    def update(self, pages: Mapping[str, str]) -> None:
        """Give pages that were coming (or replace pages not yet rendered)."""
        for path, text in pages.items():
            self._later.pop(path, None)
            self._ready[path] = text
            if path not in self._order:
                self._order.append(path)

    def __getitem__(self, path: str) -> str:
        if path not in self._ready:
            self._ready[path] = self._later.pop(path)()
        return self._ready[path]

    def __iter__(self) -> Iterator[str]:
        return iter(self._order)

    def __len__(self) -> int:
        return len(self._order)

    def rendered(self, path: str) -> bool:
        """Whether the page is rendered already: one given as a function is not until read."""
        return path in self._ready


@dataclass(frozen=True)
class Build:
    """Everything a build produced."""

    corpus: Corpus
    """The merged papers."""
    taxonomy: Taxonomy
    """The loaded taxonomy."""
    assignment: Assignment
    """Papers per theme and themes per paper."""
    related: Mapping[str, tuple[Link, ...]]
    """Related papers per slug."""
    pages: Mapping[str, str]
    """Generated Markdown per path under the docs folder."""
    warnings: tuple[Problem, ...]
    """Problems that do not stop a build, unless it is strict."""
    files: Mapping[str, str]
    """Generated files that are not pages (feeds, data, redirects) per path under the docs
    folder; MkDocs copies them as they are."""
    inputs: Inputs
    """What the build was made from."""
    vectors: Mapping[str, Any] = field(default_factory=dict)
    """The papers' sentence-encoder vectors by key, for the writers to keep (vectors.py)."""


def build(
    root: Path,
    site_url: str | None = None,
    directory_urls: bool | None = None,
    eager: bool = False,
) -> Build:
    """Load the project in `root` and compose its build; `site_url` and `directory_urls`
    override mkdocs.yml's. `eager` renders every page now (for timing)."""
    clock = time.perf_counter()
    config = read_site_config(root)
    if site_url is not None:  # given, so no warning that mkdocs.yml sets none
        config = replace(config, site_url=site_url.rstrip("/") + "/", problems=())
    if directory_urls is not None:
        config = replace(config, directory_urls=directory_urls)
    inputs = load(root, config)
    return compose(inputs, eager=eager, started=clock)


def corpus_of(inputs: Inputs) -> Corpus:
    """The merged papers of the loaded dumps, with papers.yaml applied."""
    corpus = merge(list(inputs.records), list(inputs.dumps), published_slugs(inputs.manifest))[0]
    return apply_facts(corpus, inputs.facts, inputs.config.settings.papers)[0]


def analyse(inputs: Inputs, started: float | None = None, duplicates: bool = True) -> Survey:
    """Merge the records into papers and place them in themes: everything `check` needs.
    Raises InputError with every problem found. Without `duplicates` the near-duplicate
    warnings are left out (compose finds them beside the rest of the build)."""
    tax, config = inputs.taxonomy, inputs.config
    clock = started if started is not None else time.perf_counter()
    published = published_slugs(inputs.manifest)
    corpus, merged, facts, found_twice = _corpus(
        inputs.records,
        inputs.dumps,
        inputs.manifest,
        inputs.facts,
        config.settings.papers,
        duplicates,
    )
    warnings = [*inputs.problems, *merged, *facts, *found_twice, *unfed(corpus), *tax.warnings]
    if any(p.severity == "error" for p in [*tax.warnings, *facts]):
        # report what the papers reveal too (unknown references, broken links) in this run
        raise InputError([*warnings, *validate(corpus, tax, assign(corpus, tax))])
    clock = _progress(
        clock,
        f"parsed {len(inputs.records)} records from {len(corpus.dumps)} dumps "
        f"into {len(corpus.papers)} papers",
    )
    assignment = assign(corpus, tax)
    manifest = list(inputs.manifest)
    problems = validate(corpus, tax, assignment, published.values(), renames(manifest, corpus, tax))
    if any(p.severity == "error" for p in problems):
        raise InputError(problems + warnings)
    lost = records_lost(inputs, corpus, assignment)
    if lost:
        raise InputError(lost)
    _progress(
        clock,
        f"assigned {len(corpus.papers) - len(assignment.unsorted)} papers to "
        f"{len(tax.themes)} themes, {len(assignment.unsorted)} unsorted",
    )
    stale = redirect_files(list(inputs.manifest), corpus, tax, config.site_url)[1]
    new = unrecorded(list(inputs.manifest), corpus, tax)
    found = tuple(sorted([*warnings, *problems, *stale, *new]))
    return Survey(inputs, corpus, tax, assignment, found)


@last_call
def _corpus(
    records: tuple[RawRecord, ...],
    dumps: tuple[DumpInfo, ...],
    manifest: tuple[Entry, ...],
    facts: tuple[Facts, ...],
    papers_file: str,
    duplicates: bool = True,
) -> tuple[Corpus, tuple[Problem, ...], tuple[Problem, ...], tuple[Problem, ...]]:
    """The merged papers with papers.yaml applied, and the problems of merging, of
    papers.yaml and (with `duplicates`) the near-duplicates: the same for an edit of the
    taxonomy alone, which the live preview then analyses in a fraction of the time."""
    corpus, merged = merge(list(records), list(dumps), published_slugs(manifest))
    corpus, problems = apply_facts(corpus, facts, papers_file)
    found = near_duplicates(corpus, facts, papers_file) if duplicates else []
    return corpus, tuple(merged), tuple(problems), tuple(found)


def records_lost(inputs: Inputs, corpus: Corpus, assignment: Assignment) -> list[Problem]:
    """Every record is a source of exactly one paper, and every paper is in a theme, kept
    outside them by the curators, or unsorted (the rendered pages are checked again by
    `compose`)."""
    held = Counter(s for p in corpus.papers for s in p.sources)
    problems = [
        Problem(r.source.file, r.source.line, 0, f"this record is in {held[r.source]} papers")
        for r in inputs.records
        if held[r.source] != 1
    ]
    unsorted = set(assignment.unsorted) | set(assignment.outside)
    for paper in corpus.papers:
        if paper.slug not in assignment.themes_of and paper.slug not in unsorted:
            first = paper.sources[0]
            problems.append(Problem(first.file, first.line, 0, "this paper is in no listing"))
    return problems


def compose(inputs: Inputs, eager: bool = False, started: float | None = None) -> Build:
    """Every stage after loading: analyse, relate, render. Raises InputError with every
    problem found. With `eager` every page is rendered now, and where the platform forks
    and no other thread runs, the pages and files that do not need the related papers
    (the map, the maintainers' page, the feeds and data files, and the near-duplicate
    check) are made in a child process on another core meanwhile; either way the build
    is the same."""
    aside = eager and Aside.available()
    try:
        survey = analyse(inputs, started, duplicates=not aside)
    except InputError:
        if aside:  # the full report, with the near-duplicates: as without a child process
            analyse(inputs, started)
        raise
    clock = time.perf_counter()
    corpus, tax, assignment = survey.corpus, survey.taxonomy, survey.assignment
    side = None
    if aside:
        try:  # the related papers, the map and the suggestions read it: made once, here
            tfidf(corpus.papers)
        except ValueError:  # an empty vocabulary, which each of them handles
            pass
        # Up to TSNE_MAX papers t-SNE lays out the map, the longest part of what is made
        # beside: the files are made here then, after the pages, for the two to end together.
        files_here = len(corpus.papers) <= TSNE_MAX
        side = Aside(lambda: _beside(inputs, survey, duplicates=True, files=not files_here))
    try:
        links, vectors = related_papers(inputs, corpus, assignment)
        clock = _progress(clock, f"found related papers for {len(links)} papers")
        pages = _pages(inputs, corpus, assignment, links, list(survey.warnings), side)
        lost = check_nothing_lost((r.source for r in inputs.records), corpus, assignment, pages)
        if lost:
            raise InputError(lost)
        if eager:
            for path in pages:
                if side is None or path not in (urls.MAP, urls.MAINTAINERS):
                    pages[path]
        clock = _progress(clock, f"rendered {len(pages)} pages")
        if side is None:
            found, later, files = _beside(inputs, survey, duplicates=False, files=True)
        else:
            here = _files(inputs, survey) if files_here else None
            found, later, made = side.result()
            files = made if here is None else here
    except BaseException:
        if side is not None:
            side.cancel()
        raise
    pages.update(later)
    warnings = tuple(sorted([*survey.warnings, *found]))
    _progress(clock, f"wrote {len(files)} feeds, data files and redirects")
    return Build(corpus, tax, assignment, links, pages, warnings, files, inputs, vectors)


def _beside(
    inputs: Inputs, survey: Survey, duplicates: bool, files: bool
) -> tuple[list[Problem], dict[str, str], dict[str, str]]:
    """What the build makes without the related papers: the near-duplicate warnings (when
    `duplicates`), the map and the maintainers' page (when `duplicates`: else they stay
    for Pages to render when read), and the feeds, data files and redirects (when
    `files`)."""
    corpus, tax, assignment = survey.corpus, survey.taxonomy, survey.assignment
    config = inputs.config
    found = near_duplicates(corpus, inputs.facts, config.settings.papers) if duplicates else []
    later = {}
    if duplicates:
        problems = sorted([*survey.warnings, *found])
        later[urls.MAP] = charts.map_page(corpus, tax, assignment)
        later[urls.MAINTAINERS] = maintainers_page(
            corpus, tax, assignment, problems, tax.leaf_size, inputs.manifest
        )
    return list(found), later, _files(inputs, survey) if files else {}


def _files(inputs: Inputs, survey: Survey) -> dict[str, str]:
    """The feeds, data files and redirect pages."""
    corpus, tax, assignment = survey.corpus, survey.taxonomy, survey.assignment
    site_url = inputs.config.site_url
    moved = redirect_files(list(inputs.manifest), corpus, tax, site_url)[0]
    feeds = feed_files(corpus, tax, assignment, site_url)
    for old, new in feed_moves(list(inputs.manifest), corpus, tax).items():
        feeds.setdefault(old, feeds[new])  # a renamed theme's feed: see generator/redirects.py
    return {**export_files(corpus, tax, assignment, site_url), **feeds, **moved}


def reader_pages(inputs: Inputs, survey: Survey) -> Pages:
    """Every page of `compose` but the papers' own, each rendered when first read: the live
    preview renders only the pages a reader opens, and the papers' one at a time
    (pages.PaperPages)."""
    corpus, assignment = survey.corpus, survey.assignment
    extra, now, later = _more_pages(inputs, corpus, assignment, list(survey.warnings))
    return Pages({}, {**page_makers(corpus, inputs.taxonomy, assignment, extra), **now, **later})


def labels_of(inputs: Inputs, corpus: Corpus) -> dict[str, str]:
    """How the pages name each dump: its label in taxonomy.yaml, or where it comes from."""
    named = {s.file: s.label for s in inputs.taxonomy.sources}
    return {d.file: provenance(d, named.get(d.file.rsplit("/", 1)[-1])) for d in corpus.dumps}


Makers = dict[str, Callable[[], str]]


def _more_pages(
    inputs: Inputs, corpus: Corpus, assignment: Assignment, problems: list[Problem]
) -> tuple[list[tuple[str, str]], Makers, Makers]:
    """The pages under About in the navigation, as (title, path); the About page and the
    overview of the themes; the map and the maintainers' page, rendered only when read."""
    tax, config = inputs.taxonomy, inputs.config
    # The reader's About section: the survey's own page and the reader's hand-written ones;
    # the maintainers' pages stay out of the navigation (About links them).
    reader = [(t, p) for t, p in _titled(inputs.docs) if p not in urls.MAINTAINER_DOCS]
    extra = [("About this survey", urls.ABOUT), *reader]
    labels = labels_of(inputs, corpus)
    now: Makers = {
        urls.ABOUT: lambda: about_page(tax, corpus, labels, config.site_url),
        urls.ALL_THEMES: lambda: themes_page(tax, assignment),
    }
    later: Makers = {
        urls.MAP: lambda: charts.map_page(corpus, tax, assignment),
        urls.MAINTAINERS: lambda: maintainers_page(
            corpus, tax, assignment, problems, tax.leaf_size, inputs.manifest
        ),
    }
    return extra, now, later


def _pages(
    inputs: Inputs,
    corpus: Corpus,
    assignment: Assignment,
    links: Mapping[str, tuple[Link, ...]],
    problems: list[Problem],
    side: Aside[Any] | None = None,
) -> Pages:
    tax, config = inputs.taxonomy, inputs.config
    extra, now, later = _more_pages(inputs, corpus, assignment, problems)
    labels = labels_of(inputs, corpus)
    ready = build_pages(
        corpus, tax, assignment, links, labels, extra, config.directory_urls, config.site_url
    )
    ready.update({path: make() for path, make in now.items()})
    if side is not None:  # made beside: see compose
        return Pages(ready, {}, (urls.MAP, urls.MAINTAINERS))
    return Pages(ready, later)


def _progress(since: float, done: str) -> float:
    """Log one finished stage with its duration; return the time it ended."""
    now = time.perf_counter()
    log.info("survey: %s (%.1f s)", done, now - since)
    return now


def _titled(docs: Mapping[str, str]) -> list[tuple[str, str]]:
    """(title, path) of the hand-written pages, for the navigation: the first heading."""
    out = []
    for path, text in docs.items():
        heading = next(
            (ln[2:].strip() for ln in text.splitlines() if ln.startswith("# ")), Path(path).stem
        )
        out.append((heading, path))
    return out
