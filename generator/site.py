"""The whole build: the loaded inputs through every stage, to pages and files in memory.

`compose` is pure: it takes the frozen Inputs of generator/load.py and returns a Build.
The costly analysis behind two pages (the map's projection, the maintainers' page's
clustering) runs only when such a page is read, at most once per build, so `check` pays
for no rendering it does not show.
"""

from __future__ import annotations

import logging
import os
import pickle
import signal
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any, Generic, TypeVar

from . import charts, urls
from .about import about_page, provenance, themes_page
from .assign import assign
from .checks import validate
from .errors import InputError, Problem
from .export import export_files
from .feeds import feed_files, unfed
from .identity import apply_facts, near_duplicates
from .ingest import merge, published_slugs
from .load import load, read_site_config
from .maintainers import maintainers_page
from .model import Assignment, Corpus, Inputs, Link, Survey, Taxonomy
from .pages import build_pages, check_nothing_lost
from .projection import TSNE_MAX
from .redirects import feed_moves, redirect_files, renames, unrecorded
from .related import related, tfidf

log = logging.getLogger("mkdocs.plugins.survey")
T = TypeVar("T")


class Aside(Generic[T]):
    """`work()` run in a forked child process, on another core, while this process goes
    on; `result()` waits for it. The child sends its result back pickled; when the work
    fails there, `result()` runs it here, so that its error is raised as it would be."""

    @staticmethod
    def available() -> bool:
        """A fork copies only the thread that calls it: fork only a process of one."""
        return hasattr(os, "fork") and threading.active_count() == 1

    def __init__(self, work: Callable[[], T]) -> None:
        self.work = work
        read, write = os.pipe()
        self.pid = os.fork()
        if self.pid == 0:  # the child: send the result, or None when the work fails
            os.close(read)
            try:
                try:
                    payload = pickle.dumps(work(), protocol=pickle.HIGHEST_PROTOCOL)
                except BaseException:
                    payload = pickle.dumps(None)
                with os.fdopen(write, "wb") as out:
                    out.write(payload)
            finally:
                os._exit(0)
        os.close(write)
        self.read = read
        self.done = False

    def result(self) -> T:
        self.done = True
        with os.fdopen(self.read, "rb") as source:
            data = source.read()
        os.waitpid(self.pid, 0)
        value: T | None = pickle.loads(data) if data else None
        return self.work() if value is None else value

    def cancel(self) -> None:
        """Stop the child (this process failed before it needed the result)."""
        if self.done:
            return
        self.done = True
        os.close(self.read)
        try:
            os.kill(self.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        os.waitpid(self.pid, 0)


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
    corpus, merged = merge(list(inputs.records), list(inputs.dumps), published)
    corpus, facts = apply_facts(corpus, inputs.facts, config.settings.papers)
    found_twice = (
        near_duplicates(corpus, inputs.facts, config.settings.papers) if duplicates else []
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


def records_lost(inputs: Inputs, corpus: Corpus, assignment: Assignment) -> list[Problem]:
    """Every record is a source of exactly one paper, and every paper is in a theme or
    unsorted (the rendered pages are checked again by `compose`)."""
    held = Counter(s for p in corpus.papers for s in p.sources)
    problems = [
        Problem(r.source.file, r.source.line, 0, f"this record is in {held[r.source]} papers")
        for r in inputs.records
        if held[r.source] != 1
    ]
    unsorted = set(assignment.unsorted)
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
        links = related(
            corpus.papers,
            themes_of=assignment.themes_of,
            theme_weight=inputs.config.settings.related_theme_weight,
        )
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
    return Build(corpus, tax, assignment, links, pages, warnings, files, inputs)


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


def _pages(
    inputs: Inputs,
    corpus: Corpus,
    assignment: Assignment,
    links: Mapping[str, tuple[Link, ...]],
    problems: list[Problem],
    side: Aside[Any] | None = None,
) -> Pages:
    tax, config = inputs.taxonomy, inputs.config
    named = {s.file: s.label for s in tax.sources}
    labels = {d.file: provenance(d, named.get(d.file.rsplit("/", 1)[-1])) for d in corpus.dumps}
    # The reader's About section: the survey's own page and the reader's hand-written ones;
    # the maintainers' pages stay out of the navigation (About links them).
    reader = [(t, p) for t, p in _titled(inputs.docs) if p not in urls.MAINTAINER_DOCS]
    extra = [("About this survey", urls.ABOUT), *reader]
    ready = build_pages(
        corpus, tax, assignment, links, labels, extra, config.directory_urls, config.site_url
    )
    ready[urls.ABOUT] = about_page(tax, corpus, labels, config.site_url)
    ready[urls.ALL_THEMES] = themes_page(tax, assignment)
    if side is not None:  # made beside: see compose
        return Pages(ready, {}, (urls.MAP, urls.MAINTAINERS))
    later = {
        urls.MAP: lambda: charts.map_page(corpus, tax, assignment),
        urls.MAINTAINERS: lambda: maintainers_page(
            corpus, tax, assignment, problems, tax.leaf_size, inputs.manifest
        ),
    }
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
