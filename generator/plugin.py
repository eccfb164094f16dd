"""The survey's MkDocs plugin, `survey` (an entry point of this package).

It owns the configuration, whose options live in mkdocs.yml under `plugins: - survey:` and
are validated by MkDocs' config schema, and the build's lifecycle: it composes the survey
(generator/site.py) when gen-files runs generator/gen_pages.py, indexes it for search on
another core while MkDocs renders, and adds feed links, progress lines and a cached
navigation. Its state lives on the plugin object, one per MkDocs configuration.
"""

from __future__ import annotations

import html
import logging
import time
from collections.abc import Callable
from pathlib import Path
from typing import IO, Any

from jinja2 import Environment
from markupsafe import Markup
from mkdocs.config import base
from mkdocs.config import config_options as c
from mkdocs.config.base import ValidationError
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import Abort, PluginError
from mkdocs.plugins import BasePlugin, event_priority
from mkdocs.structure.files import Files, InclusionLevel
from mkdocs.structure.pages import Page

from . import search, urls
from .errors import InputError
from .load import load, search_mismatch, site_config
from .model import Settings
from .site import Build, compose
from .vectors import write_cache

log = logging.getLogger("mkdocs.plugins.survey")
_DEFAULTS = Settings()


class SurveyConfig(base.Config):  # type: ignore[no-untyped-call]
    """The plugin's options (see the README for what each does)."""

    taxonomy = c.Type(str, default=_DEFAULTS.taxonomy)
    dumps = c.Type(str, default=_DEFAULTS.dumps)
    papers = c.Type(str, default=_DEFAULTS.papers)
    search = c.Choice(("pagefind", "builtin"), default=_DEFAULTS.search)
    search_part_size = c.Type(int, default=_DEFAULTS.search_part_size)
    instant_max_pages = c.Type(int, default=_DEFAULTS.instant_max_pages)
    related_theme_weight = c.Type(float, default=_DEFAULTS.related_theme_weight)
    related = c.Choice(("meaning", "words"), default=_DEFAULTS.related)
    related_floor = c.Type(float, default=_DEFAULTS.related_floor)
    related_close = c.Type(float, default=_DEFAULTS.related_close)


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


class NavCache:
    """The primary navigation: the whole tree for a page in it, rendered anew each time, and
    a compact one (overrides/partials/nav-compact.html) for a page outside it, rendered once
    per folder depth.

    The theme marks the current page and its sections in the navigation and writes its links
    relative to the page; a page outside the navigation has nothing marked, so two such pages
    at the same depth get the same text.
    """

    def __init__(self) -> None:
        self.rendered: dict[int, Markup] = {}
        self.nav_id = 0
        self.nav_urls: frozenset[str] = frozenset()

    def __call__(
        self, page: Page | None, nav: Any, render: Callable[[], str], compact: Callable[[], str]
    ) -> Markup:
        if id(nav) != self.nav_id:  # a new build: `mkdocs serve` rebuilds in one process
            self.rendered.clear()
            self.nav_id = id(nav)
            self.nav_urls = frozenset(p.url for p in nav.pages)
        if page is None or page.url in self.nav_urls:
            return Markup(render())
        depth = page.url.count("/")
        if depth not in self.rendered:
            self.rendered[depth] = Markup(compact())
        return self.rendered[depth]


def features_for(features: list[str], pages: int, limit: int) -> tuple[list[str], list[str]]:
    """The theme features a site of `pages` pages keeps, and those it drops: instant
    navigation and its options above `limit` pages. (To know which links it may load in
    place, instant navigation downloads and parses sitemap.xml on a reader's first page: at
    10,000 papers a 1.9 MB file that kept the page from answering for about a third of a
    second, docs/performance.md.)"""
    if pages <= limit:
        return features, []
    dropped = [
        f for f in features if f == "navigation.instant" or f.startswith("navigation.instant.")
    ]
    return [f for f in features if f not in dropped], dropped


class SurveyPlugin(BasePlugin[SurveyConfig]):
    """The survey's build inside MkDocs."""

    def __init__(self) -> None:
        super().__init__()
        self.progress = Progress()
        self.indexer = search.Indexer()
        self.wait_for_search = True
        """False in the live preview, which shows pages before their index is ready."""
        self.site: Build | None = None

    def load_config(
        self, options: dict[str, Any], config_file_path: str | None = None
    ) -> tuple[list[tuple[str, Exception]], list[tuple[str, str]]]:
        """MkDocs' validation of the options, and the ranges it does not know."""
        errors, warnings = super().load_config(options, config_file_path)
        for name in ("search_part_size", "instant_max_pages"):
            value = self.config.get(name)
            if isinstance(value, int) and value < 1:
                errors.append((name, ValidationError(f"must be at least 1, not {value}")))
        return errors, warnings

    def on_config(self, config: MkDocsConfig) -> MkDocsConfig:
        mismatch = search_mismatch(config)
        if mismatch:
            raise PluginError(f"{mismatch} in mkdocs.yml")
        return config

    def emit(
        self,
        config: MkDocsConfig,
        open_file: Callable[[str, str], IO[str]],
        edit: Callable[..., None],
    ) -> None:
        """Compose the survey and write its pages and files through gen-files
        (generator/gen_pages.py); start the search index."""
        root = Path(config.config_file_path or ".").resolve().parent
        started = time.perf_counter()
        try:
            # every page rendered now, before the search index takes the second core
            site = compose(load(root, site_config(config)), eager=True, started=started)
        except InputError as exc:
            for problem in exc.problems:
                (log.error if problem.severity == "error" else log.warning)(str(problem))
            raise Abort(
                f"the survey's input has {len(exc.problems)} problem(s); see above"
            ) from None
        for problem in site.warnings:  # advice is told, and fails no build
            (log.info if problem.severity == "advice" else log.warning)(str(problem))
        if site.inputs.vectors is not None:
            write_cache(site.inputs.vectors.folder, site.vectors)
        self.site = site
        if self.config.search == "pagefind":
            # the reader's pages of text; records() leaves the maintainers' out
            searched = {
                path: site.pages[path] for path in (urls.HOME, urls.ABOUT) if path in site.pages
            }
            searched.update(site.inputs.docs)
            items = search.records(
                site.corpus, site.taxonomy, site.assignment, searched, config.use_directory_urls
            )
            language = config.theme.get("language") or "en"
            self.indexer.begin(items, language, self.config.search_part_size)
        for path in site.pages:
            with open_file(urls.checked(path), "w") as f:
                f.write(site.pages[path])
            # The edit button only where an edit makes sense: a theme's page opens its
            # lines of taxonomy.yaml (overrides/partials/actions.html), the About page the
            # file; pages made from the dumps have nothing to edit by hand.
            if urls.is_theme_doc(path) or path == urls.ABOUT:
                edit(path, "../taxonomy.yaml")
        # Feeds, data files and redirect pages: not Markdown, so MkDocs copies them as they are.
        for path, text in site.files.items():
            with open_file(urls.checked(path), "w") as f:
                f.write(text)

    def on_env(self, env: Environment, /, *, config: MkDocsConfig, files: Files) -> Environment:
        # The theme's templates indent their markup and leave a line for each tag of theirs:
        # half of a page's bytes were that whitespace. Jinja drops it when it reads the
        # templates (a page's content is a value, not template text: it is kept as it is).
        env.trim_blocks = env.lstrip_blocks = True
        env.globals["survey_nav"] = NavCache()
        return env

    @event_priority(-100)  # after gen-files, which adds the generated pages
    def on_files(self, files: Files, /, *, config: MkDocsConfig) -> Files:
        """Keep the generated SUMMARY.md for literate-nav to read, but do not publish it;
        drop instant navigation from a large site."""
        summary = files.get_file_from_path(urls.NAVIGATION)
        if summary is not None:
            summary.inclusion = InclusionLevel.EXCLUDED
        included = [f for f in files.documentation_pages() if f.inclusion.is_included()]  # type: ignore[no-untyped-call]
        pages = len(included)
        self.progress.reset(pages)
        limit = self.config.instant_max_pages
        kept, dropped = features_for(list(config.theme["features"] or []), pages, limit)
        if dropped:
            config.theme["features"] = kept
            log.info(
                "survey: %d pages, more than %d: the theme's %s is off for this build",
                pages,
                limit,
                ", ".join(dropped),
            )
        return files

    def on_page_content(self, html: str, /, *, page: Page, **kwargs: Any) -> str:
        self.progress.tick("converted")
        return html

    def on_post_page(self, output: str, /, *, page: Page, config: MkDocsConfig) -> str:
        """Announce the survey's Atom feed in every page's head, and a theme's own feed on
        its page (named by the `feed` key of its front matter), so feed readers find them."""
        self.progress.tick("wrote")
        return _with_feed_links(output, page, config.site_name)

    def on_post_build(self, *, config: MkDocsConfig) -> None:
        """Put the search index, built beside the pages, into the site."""
        try:
            self.indexer.finish(Path(config.site_dir), wait=self.wait_for_search)
        except search.SearchIndexError as exc:
            raise Abort(str(exc)) from None


def _with_feed_links(output: str, page: Page, site_name: str) -> str:
    up = "../" * page.url.count("/")
    feeds = [("feed.xml", site_name)]
    if page.meta.get("feed"):
        title = html.unescape(str(page.meta.get("title") or page.title))  # escaped in front matter
        feeds.append((str(page.meta["feed"]), f"{title} · {site_name}"))
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
