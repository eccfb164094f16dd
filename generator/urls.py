"""Every URL and path of the site, in one place.

A page has a docs path (where its Markdown lives under the docs folder, such as
`papers/<slug>.md`) and a URL (where MkDocs publishes it, such as `papers/<slug>/`, relative
to the site's root, following `use_directory_urls`). Generated files that are not pages
(feeds, data, redirects) have one path for both.
"""

from __future__ import annotations

import html
import re
import urllib.parse
from collections.abc import Iterator

from markupsafe import Markup

HOME = "index.md"
NAVIGATION = "SUMMARY.md"
"""The navigation that mkdocs-literate-nav reads; not published itself."""
ALL_PAPERS = "papers/index.md"
EXPLORE = "explore.md"
MAP = "map.md"
UNSORTED = "unsorted.md"
MAINTAINERS = "maintainers.md"
ABOUT = "about.md"
ALL_THEMES = "themes/index.md"
MAINTAINER_DOCS = ("editing.md", "architecture.md", "performance.md")
"""Hand-written pages for maintainers: out of the reader's navigation and search."""
PAPERS = "papers/"
"""The folder of paper pages (under the docs folder and in the site)."""
THEMES = "themes/"
"""The folder of theme pages."""
RESERVED = frozenset(
    {
        "index",
        "explore",
        "map",
        "papers",
        "themes",
        "unsorted",
        "maintainers",
        "about",
        "assets",
        "pagefind",
        "search",
        "css",
        "js",
        "feed",
        "404",
        "sitemap",
    }
)
"""Names no theme id or paper slug may take: they name pages and folders of the site
(`papers/index.md` is the all-papers page, `themes/index.md` would be served at `themes/`)."""


def paper_doc(slug: str) -> str:
    """Docs path of a paper's page."""
    return f"{PAPERS}{slug}.md"


def is_theme_doc(path: str) -> bool:
    """A theme's page (not the overview of all themes)."""
    return path.startswith(THEMES) and path != ALL_THEMES


def theme_doc(theme_id: str) -> str:
    """Docs path of a theme's page."""
    return f"{THEMES}{theme_id}.md"


def is_paper_doc(path: str) -> bool:
    """Whether the docs path is a paper's page (not the all-papers index)."""
    return path.startswith(PAPERS) and path != ALL_PAPERS


def feed_path(theme_id: str | None = None) -> str:
    """Where a feed lives: feed.xml, or feed-<id>.xml for a theme."""
    return f"feed-{theme_id}.xml" if theme_id else "feed.xml"


def page_url(path: str, directory_urls: bool = True) -> str:
    """The URL MkDocs gives the page at docs path `path` (e.g. `papers/x.md`), from the
    site's root."""
    stem = path[: -len(".md")]
    if not directory_urls:
        return f"{stem}.html"
    if stem == "index" or stem.endswith("/index"):
        return stem[: -len("index")]
    return f"{stem}/"


def paper_url(slug: str) -> str:
    """A paper page's URL as published.json records it (directory URLs)."""
    return page_url(paper_doc(slug))


def theme_url(theme_id: str) -> str:
    """A theme page's URL as published.json records it (directory URLs)."""
    return page_url(theme_doc(theme_id))


def absolute(site_url: str, path: str = "") -> str:
    """The absolute URL of `path` (relative to the site's root) on the site at `site_url`."""
    return f"{site_url.rstrip('/')}/{path}"


def up_to_root(source: str, directory_urls: bool = True) -> str:
    """The relative link from the page at docs path `source` to the site's root: `../`
    once per folder of its URL ("" for the home page)."""
    return "../" * page_url(source, directory_urls).count("/")


def link_from(root: str, target: str, directory_urls: bool = True) -> Markup:
    """The link to the page at docs path `target` from a page whose way to the site's root
    is `root` (see up_to_root), for pages whose links are raw HTML rather than Markdown
    links, which MkDocs would resolve."""
    return Markup(html.escape(root + urllib.parse.quote(page_url(target, directory_urls))))


def relative_doc(source: str, target: str) -> str:
    """A Markdown link target from the page at docs path `source` to the docs path
    `target`, which every engine resolves to the target page."""
    depth = source.count("/")
    return "../" * depth + target


SUMMARY_LINK = re.compile(r"\]\(/(papers|themes)/([^/)#\s]+?)(?:/|\.md)?(#[^)]*)?\)")
"""The one grammar of links in theme summaries and the home page's introduction, which a
maintainer writes as `/papers/<slug>/` or `/themes/<id>/` (an anchor may follow)."""


def summary_links(markdown: str) -> Iterator[tuple[str, str, int]]:
    """(kind, name, offset) of every summary link: kind is "papers" or "themes"."""
    for m in SUMMARY_LINK.finditer(markdown):
        yield m[1], m[2], m.start()


def rewrite_summary_links(markdown: str, depth: int) -> Markup:
    """Summary links as relative `.md` links from a page `depth` folders deep, so MkDocs
    checks them and `--strict` fails on a broken one; the rest made safe (safe_markdown)."""
    up = "../" * depth
    safe = safe_markdown(markdown)
    return Markup(SUMMARY_LINK.sub(lambda m: f"]({up}{m[1]}/{m[2]}.md{m[3] or ''})", safe))


_RAW_HTML = re.compile(r"<(?!https?://[^\s<>]+>)")
_ATTRIBUTES = re.compile(r"\{")
_UNSAFE_TARGET = re.compile(
    r"(\]\(\s*<?\s*)(?!https?:|mailto:)([a-z][a-z0-9+.\-]*:)", re.IGNORECASE
)


def safe_markdown(markdown: str) -> str:
    """A summary's Markdown with what could run script taken out: raw HTML (a `<` that
    does not open an autolink is shown as text), attribute lists (`{ onclick=... }`, shown
    as text) and link targets with a scheme other than http(s) and mailto (the link goes
    nowhere). Summaries arrive through pull requests like every input."""
    markdown = _RAW_HTML.sub("&lt;", markdown)
    markdown = _ATTRIBUTES.sub("&#123;", markdown)
    return _UNSAFE_TARGET.sub(r"\1#unsafe-", markdown)


_SAFE_SEGMENT = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]*")


def checked(path: str) -> str:
    """`path` itself when it is a relative path under the output folder made only of safe
    segments (letters, digits, `.`, `_`, `-`; none empty, none `..`); ValueError otherwise.
    Every generated file is written at a path that passed this check."""
    segments = path.split("/")
    if not all(_SAFE_SEGMENT.fullmatch(s) and s not in (".", "..") for s in segments):
        raise ValueError(f"refusing to write outside the output folder: {path!r}")
    return path


_TARGET = re.compile(r"\]\(\s*<?([^)\s>]*)")


def internal_links(markdown: str) -> Iterator[tuple[str, int]]:
    """(target, offset) of every link to the site itself that is not in the summary-link
    grammar: `papers/x/`, `../themes/y.md`, `/about/`. MkDocs would resolve such a link
    from each page that shows the text, so it works on some pages and breaks on others."""
    for m in _TARGET.finditer(markdown):
        target = m[1]
        if not target or target.startswith("#") or re.match(r"[a-z][a-z0-9+.\-]*:", target, re.I):
            continue  # an anchor, or an address with a scheme (unsafe_links judges those)
        if not SUMMARY_LINK.match(markdown, m.start()):
            yield target, m.start(1)


def unsafe_links(markdown: str) -> Iterator[tuple[str, int]]:
    """(scheme, offset) of every link target with a scheme other than http(s) and mailto."""
    for m in _UNSAFE_TARGET.finditer(markdown):
        yield m[2], m.start(2)
