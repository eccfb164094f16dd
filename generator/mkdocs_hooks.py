"""MkDocs hooks of the project."""

from __future__ import annotations

import html
import logging
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from jinja2 import Environment
from markupsafe import Markup
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import Abort
from mkdocs.structure.files import Files, InclusionLevel
from mkdocs.structure.pages import Page

from generator import search

log = logging.getLogger("mkdocs.plugins.survey")
INSTANT_MAX_PAGES = 3000
"""Above this many pages the theme's instant navigation is turned off. To know which links
it may load in place, it downloads and parses sitemap.xml on a reader's first page: at
10,000 papers a 1.9 MB file that kept the page from answering for about a third of a
second (docs/performance.md). Without it every link is an ordinary page load."""
PREVIEW_PLUGIN = "survey-preview"
"""The name generator/preview.py gives its plugin in the configuration it builds."""


class Progress:
    """Counts the pages MkDocs converts from Markdown and then writes as HTML, and logs a
    line every STEP pages of a large site, so a build of thousands of pages is not silent
    for minutes."""

    STEP = 1000

    def __init__(self) -> None:
        self.total = 0
        self.counts: dict[str, int] = {}
        self.started: dict[str, float] = {}

    def reset(self, total: int) -> None:
        self.total, self.counts, self.started = total, {}, {}

    def tick(self, what: str) -> None:
        if what not in self.started:
            self.started[what] = time.perf_counter()
        done = self.counts[what] = self.counts.get(what, 0) + 1
        if self.total >= 2 * self.STEP and (done % self.STEP == 0 or done == self.total):
            log.info(
                "survey: MkDocs %s %d of %d pages (%.1f s)",
                what,
                done,
                self.total,
                time.perf_counter() - self.started[what],
            )


progress = Progress()


class NavCache:
    """The primary navigation of pages that are not in it, rendered once per folder depth.

    The theme marks the current page and its sections in the navigation and writes its links
    relative to the page; a page outside the navigation has nothing marked, so two such pages
    at the same depth get the same text. Pages in the navigation are always rendered anew.
    """

    def __init__(self) -> None:
        self.rendered: dict[int, Markup] = {}
        self.nav_id = 0
        self.nav_urls: frozenset[str] = frozenset()

    def __call__(self, page: Page | None, nav: Any, render: Callable[[], str]) -> Markup:
        if id(nav) != self.nav_id:  # a new build: `mkdocs serve` rebuilds in one process
            self.rendered.clear()
            self.nav_id = id(nav)
            self.nav_urls = frozenset(p.url for p in nav.pages)
        if page is None or page.url in self.nav_urls:
            return Markup(render())
        depth = page.url.count("/")
        if depth not in self.rendered:
            self.rendered[depth] = Markup(render())
        return self.rendered[depth]


def on_env(env: Environment, config: MkDocsConfig, files: Files) -> Environment:
    env.globals["survey_nav"] = NavCache()
    return env


def on_files(files: Files, config: MkDocsConfig) -> Files:
    """Keep the generated SUMMARY.md for literate-nav to read, but do not publish it."""
    summary = files.get_file_from_path("SUMMARY.md")
    if summary is not None:
        summary.inclusion = InclusionLevel.EXCLUDED
    included = [f for f in files.documentation_pages() if f.inclusion.is_included()]  # type: ignore[no-untyped-call]
    pages = len(included)
    progress.reset(pages)
    kept, dropped = features_for(list(config.theme["features"] or []), pages)
    if dropped:
        config.theme["features"] = kept
        log.info(
            "survey: %d pages, more than %d: the theme's %s is off for this build",
            pages,
            INSTANT_MAX_PAGES,
            ", ".join(dropped),
        )
    return files


def features_for(features: list[str], pages: int) -> tuple[list[str], list[str]]:
    """The theme features a site of `pages` pages keeps, and those it drops: instant
    navigation and its options above INSTANT_MAX_PAGES."""
    if pages <= INSTANT_MAX_PAGES:
        return features, []
    dropped = [
        f for f in features if f == "navigation.instant" or f.startswith("navigation.instant.")
    ]
    return [f for f in features if f not in dropped], dropped


def on_page_content(content: str, page: Page, **kwargs: Any) -> str:
    progress.tick("converted")
    return content


def on_post_page(output: str, page: Page, config: MkDocsConfig) -> str:
    """Announce the survey's Atom feed in every page's head, and a theme's own feed on its
    page (named by the `feed` key of its front matter), so feed readers find them."""
    progress.tick("wrote")
    up = "../" * page.url.count("/")
    feeds = [("feed.xml", config.site_name)]
    if page.meta.get("feed"):
        title = html.unescape(str(page.meta.get("title") or page.title))  # escaped in front matter
        feeds.append((str(page.meta["feed"]), f"{title} · {config.site_name}"))
    links = "".join(
        f'<link rel="alternate" type="application/atom+xml" href="{html.escape(up + href)}" '
        f'title="{html.escape(title)}">'
        for href, title in feeds
    )
    output = output.replace("</head>", links + "</head>", 1)
    # The theme's search dialog has no accessible name (axe: aria-dialog-name).
    return output.replace(
        'data-md-component="search" role="dialog"',
        'data-md-component="search" role="dialog" aria-label="Search the survey"',
        1,
    )


def on_post_build(config: MkDocsConfig) -> None:
    """Put the search index, built beside the pages (generator/search.py), into the site;
    the live preview (generator/preview.py) shows the pages first and the index once ready."""
    try:
        search.finish(Path(config.site_dir), wait=PREVIEW_PLUGIN not in config.plugins)
    except search.SearchIndexError as exc:
        raise Abort(str(exc)) from None
