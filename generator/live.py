"""The live preview's pages, rendered again one at a time in the site of the last full build.

After a full MkDocs build the preview keeps MkDocs' own structures of that build (its
configuration, files, navigation and template environment). After an edit it hands this
module the new Markdown of the generated pages: a page whose Markdown changed is stale, and
a stale page goes through MkDocs' own page pipeline (Markdown to HTML, the theme's
template, every plugin's page events) when a reader first asks for it, or at once for the
page the reader has open. A page whose Markdown is costly (a paper's page, the map) can be
given as a function, called only when the page is asked for. A new navigation (a theme
added, removed or renamed) is built anew with literate-nav, and then every page is stale,
since every page shows the navigation; pages no reader opens are never rendered again.

MkDocs 1.6 renders a page with `_populate_page` and `_build_page` (mkdocs.commands.build),
the two functions its dirty build runs per page; mkdocs is pinned (pyproject.toml).
"""

from __future__ import annotations

import functools
import logging
import threading
from collections.abc import Callable, Iterable, Mapping
from pathlib import Path
from typing import Any

from mkdocs.commands.build import _build_page, _populate_page
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.plugins import BasePlugin, event_priority
from mkdocs.structure.files import File, Files, InclusionLevel, set_exclusions
from mkdocs.structure.nav import Navigation, get_navigation
from mkdocs.structure.pages import Page

from . import urls
from .model import Assignment, Corpus, Inputs, Link, Paper, Survey
from .neighbours import related_papers
from .pages import PaperInputs, PaperPages
from .redirects import redirect_files
from .site import Build, labels_of
from .vectors import write_cache

log = logging.getLogger("mkdocs.plugins.survey")

Markdown = str | Callable[[], str]
"""A page's Markdown, or the function that renders it when the page is asked for."""


class Captured(BasePlugin):  # type: ignore[type-arg,no-untyped-call]
    """Added to the full build: keeps the structures MkDocs made, for LiveSite."""

    def __init__(self) -> None:
        super().__init__()
        self.files: Files | None = None
        self.nav: Navigation | None = None
        self.env: Any = None

    @event_priority(-200)  # after every other plugin
    def on_nav(self, nav: Navigation, /, *, config: MkDocsConfig, files: Files) -> Navigation:
        self.nav, self.files = nav, files
        return nav

    @event_priority(-200)
    def on_env(self, env: Any, /, *, config: MkDocsConfig, files: Files) -> Any:
        self.env = env
        return env


class LiveSite:
    """The built site of one full build, whose pages are re-rendered in place."""

    def __init__(self, config: MkDocsConfig, captured: Captured, markdown: Mapping[str, str]):
        if captured.files is None or captured.nav is None or captured.env is None:
            raise ValueError("the build did not get as far as rendering pages")
        self.config, self.files, self.nav, self.env = (
            config,
            captured.files,
            captured.nav,
            captured.env,
        )
        self.markdown: dict[str, str] = dict(markdown)
        """The Markdown of every generated page as it is now; the hand-written pages are
        read from docs/."""
        self.later: dict[str, Callable[[], str]] = {}
        """Pages whose new Markdown is rendered when the page is asked for."""
        self.changed: set[str] = set()
        """Pages whose Markdown changed since their HTML was written."""
        self.renavigated: set[str] = set()
        """Pages whose HTML shows an old navigation."""
        self._index()

    def _index(self) -> None:
        self.pages = self.files.documentation_pages(inclusion=InclusionLevel.is_included)
        self.by_dest = {f.dest_uri: f for f in self.pages}

    def update(
        self, pages: Mapping[str, Markdown], edited: Iterable[str] = (), every: bool = True
    ) -> bool:
        """Take the generated pages' new Markdown, each as text or as the function that
        renders it, and the hand-written pages `edited` since the last update. With
        `every`, `pages` holds every generated page, and one missing is gone. True when the
        navigation changed."""
        self.changed.update(p for p in edited if self.files.get_file_from_path(p) is not None)
        added = [p for p in pages if p not in self.markdown and p not in self.later]
        removed = [p for p in [*self.markdown, *self.later] if every and p not in pages]
        for path, text in pages.items():
            if callable(text):
                self.later[path] = text
            else:
                self.later.pop(path, None)
                self._take(path, text)
        if urls.NAVIGATION in self.later:  # every page shows it: known at once
            self._take(urls.NAVIGATION, self.later.pop(urls.NAVIGATION)())
        navigation = urls.NAVIGATION in self.changed or bool(added or removed)
        if navigation:
            self._renavigate(added, removed)
        self.changed.discard(urls.NAVIGATION)
        return navigation

    def _take(self, path: str, text: str) -> None:
        if self.markdown.get(path) != text:
            self.markdown[path] = text
            self.changed.add(path)

    def stale(self, file: File) -> bool:
        """Whether the HTML of `file`'s page is out of date."""
        path = file.src_uri
        return path in self.later or path in self.changed or path in self.renavigated

    def _renavigate(self, added: list[str], removed: list[str]) -> None:
        """Files and navigation anew, as the full build makes them (literate-nav reads the
        generated SUMMARY.md); every page is stale, since every page shows the navigation."""
        for path in removed:
            file = self.files.get_file_from_path(path)
            self.markdown.pop(path, None)
            self.later.pop(path, None)
            if file is not None:
                self.files.remove(file)
                Path(file.abs_dest_path).unlink(missing_ok=True)
        for path in added:
            self.files.append(File.generated(self.config, path, content=""))
        set_exclusions(self.files, self.config)
        summary = self.files.get_file_from_path(urls.NAVIGATION)
        if summary is not None:
            summary.content_string = self.markdown[urls.NAVIGATION]
        self.config.nav = None  # literate-nav fills it from SUMMARY.md
        self.config.plugins["literate-nav"].on_files(self.files, config=self.config)
        for file in self.files.documentation_pages():
            file.page = None
        self.nav = get_navigation(self.files, self.config)
        self.nav = self.config.plugins.on_nav(self.nav, config=self.config, files=self.files)
        self.env = self.config.plugins.on_env(self.env, config=self.config, files=self.files)
        self._index()
        self.renavigated.update(f.src_uri for f in self.pages)

    def file_at(self, dest: str) -> File | None:
        """The page written at `dest` (a path in the site, such as `themes/x/index.html`)."""
        return self.by_dest.get(dest)

    def fresh(self, file: File) -> None:
        """Render the page of `file` now if it is stale."""
        path = file.src_uri
        if path in self.later:
            self._take(path, self.later.pop(path)())
        if path not in self.changed and path not in self.renavigated:
            return
        if path in self.markdown:
            file.content_string = self.markdown[path]
        page = file.page if isinstance(file.page, Page) else Page(None, file, self.config)
        _populate_page(page, self.config, self.files)
        _build_page(page, self.config, self.pages, self.nav, self.env)
        self.changed.discard(path)
        self.renavigated.discard(path)


class Papers:
    """The papers' pages of the last build: what each is made of, and the related papers
    they show, worked out again only when the papers or their themes changed."""

    def __init__(self, site: Build | None = None) -> None:
        self.ready = threading.Event()
        self.ready.set()
        self.made_of: dict[str, PaperInputs] = {}
        self.pages: PaperPages | None = None
        self.related: tuple[object, Mapping[str, tuple[Link, ...]]] | None = None
        if site is not None:
            self.related = ((site.corpus.papers, site.assignment.themes_of), site.related)
            self.pages = self._pages(site.inputs, site.corpus, site.assignment, site.related)
            self.made_of = {p.slug: self.pages.inputs(p) for p in site.corpus.papers}

    def _pages(
        self,
        inputs: Inputs,
        corpus: Corpus,
        assignment: Assignment,
        links: Mapping[str, tuple[Link, ...]],
    ) -> PaperPages:
        config = inputs.config
        labels = labels_of(inputs, corpus)
        return PaperPages(
            corpus,
            inputs.taxonomy,
            assignment,
            links,
            labels,
            config.directory_urls,
            config.site_url,
        )

    def update(self, inputs: Inputs, survey: Survey) -> dict[str, Markdown]:
        """The pages of the papers whose pages changed, as functions that render them."""
        corpus, assignment = survey.corpus, survey.assignment
        key = (corpus.papers, assignment.themes_of)
        if self.related is None or self.related[0] != key:
            links, vectors = related_papers(inputs, corpus, assignment)
            if inputs.vectors is not None:
                write_cache(inputs.vectors.folder, vectors)
            self.related = (key, links)
        self.pages = pages = self._pages(inputs, corpus, assignment, self.related[1])
        changed: dict[str, Markdown] = {}
        made_of = {}
        for paper in corpus.papers:
            made_of[paper.slug] = pages.inputs(paper)
            if self.made_of.get(paper.slug) != made_of[paper.slug]:
                changed[urls.paper_doc(paper.slug)] = functools.partial(pages.render, paper)
        self.made_of = made_of
        return changed

    def page(self, paper: Paper) -> str:
        """The Markdown of a paper's page the last build did not have (asked for once
        `ready` is set)."""
        if self.pages is None:
            raise RuntimeError("no papers' pages yet")
        return self.pages.render(paper)


def write_redirects(site_dir: Path, inputs: Inputs, survey: Survey) -> None:
    """The redirect pages of the published addresses that are no longer pages (a theme
    renamed), as the full build writes them."""
    url = inputs.config.site_url
    moved = redirect_files(list(inputs.manifest), survey.corpus, survey.taxonomy, url)[0]
    for path, text in moved.items():
        target = site_dir / path
        if not target.is_file() or target.read_text(encoding="utf-8") != text:
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(text, encoding="utf-8")
