"""MkDocs hooks of the project."""

from __future__ import annotations

import html

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.files import Files, InclusionLevel
from mkdocs.structure.pages import Page


def on_files(files: Files, config: MkDocsConfig) -> Files:
    """Keep the generated SUMMARY.md for literate-nav to read, but do not publish it."""
    summary = files.get_file_from_path("SUMMARY.md")
    if summary is not None:
        summary.inclusion = InclusionLevel.EXCLUDED
    return files


def on_post_page(output: str, page: Page, config: MkDocsConfig) -> str:
    """Announce the survey's Atom feed in every page's head, and a theme's own feed on its
    page (named by the `feed` key of its front matter), so feed readers find them."""
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
