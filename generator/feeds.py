"""Atom feeds: one for the whole survey (feed.xml) and one per theme (feed-<id>.xml).

Every feed sits at the site's root: mkdocs-material reads each <link rel="alternate"> of a
page's head as a language version and fetches sitemap.xml beside it, which exists only there.

Entries are the newest papers first by published date, undated papers last. Nothing depends
on the time of the build: a feed's `updated` is the newest date among its papers.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Mapping, Sequence
from xml.sax.saxutils import escape, quoteattr

from . import urls
from .export import paper_url, safe_links, theme_url
from .model import Assignment, Corpus, Paper, Taxonomy
from .urls import feed_path

# A feed is for following what is new; past this many entries it only grows heavy.
FEED_LIMIT = 500
ATOM_NS = "http://www.w3.org/2005/Atom"
# Characters XML 1.0 forbids even when escaped; a dump could carry them over.
_NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
_EPOCH = dt.date(1970, 1, 1)


def xml_text(text: str) -> str:
    """Text escaped for XML character data; characters XML cannot hold are dropped."""
    return escape(_NOT_XML.sub("", text))


def xml_attr(text: str) -> str:
    """Text as a quoted XML attribute value, quotes included."""
    return quoteattr(_NOT_XML.sub("", text))


def newest_first(papers: Iterable[Paper]) -> list[Paper]:
    """Dated papers newest first, then undated ones, each group by slug."""
    return sorted(
        papers, key=lambda p: (p.published is None, -(p.published or _EPOCH).toordinal(), p.slug)
    )


def _stamp(day: dt.date) -> str:
    return f"{day.isoformat()}T00:00:00Z"


def atom_feed(
    papers: Sequence[Paper],
    *,
    title: str,
    subtitle: str,
    feed_url: str,
    page_url: str,
    site_url: str,
    author: str,
    themes_of: Mapping[str, Sequence[str]],
    theme_titles: Mapping[str, str],
) -> str:
    """An Atom 1.0 document listing `papers`, newest first, at most FEED_LIMIT of them."""
    ordered = newest_first(papers)[:FEED_LIMIT]
    dates = [p.published for p in ordered if p.published]
    updated = max(dates, default=_EPOCH)
    # Undated papers carry the feed's oldest date, so readers that sort by date list them
    # last, as the feed itself does.
    oldest = min(dates, default=_EPOCH)
    lines = [
        '<?xml version="1.0" encoding="utf-8"?>',
        f'<feed xmlns="{ATOM_NS}">',
        f"  <title>{xml_text(title)}</title>",
        f"  <subtitle>{xml_text(subtitle)}</subtitle>",
        f'  <link rel="self" type="application/atom+xml" href={xml_attr(feed_url)}/>',
        f'  <link rel="alternate" type="text/html" href={xml_attr(page_url)}/>',
        f"  <id>{xml_text(feed_url)}</id>",
        f"  <updated>{_stamp(updated)}</updated>",
        f"  <author><name>{xml_text(author)}</name></author>",
        "  <generator>survey-site</generator>",
    ]
    for paper in ordered:
        url = paper_url(site_url, paper.slug)
        lines += [
            "  <entry>",
            f'    <title type="text">{xml_text(paper.title)}</title>',
            f'    <link rel="alternate" type="text/html" href={xml_attr(url)}/>',
            f"    <id>{xml_text(url)}</id>",
        ]
        if paper.published:
            lines.append(f"    <published>{_stamp(paper.published)}</published>")
        lines.append(f"    <updated>{_stamp(paper.published or oldest)}</updated>")
        if paper.organization:
            lines.append(f"    <author><name>{xml_text(paper.organization)}</name></author>")
        for theme_id in themes_of.get(paper.slug, ()):
            lines.append(
                f"    <category term={xml_attr(theme_id)} "
                f"scheme={xml_attr(urls.absolute(site_url, urls.THEMES))} "
                f"label={xml_attr(theme_titles[theme_id])}/>"
            )
        for link in safe_links(paper):
            lines.append(f'    <link rel="related" href={xml_attr(link)}/>')
        lines += [f'    <summary type="text">{xml_text(paper.abstract)}</summary>', "  </entry>"]
    lines.append("</feed>")
    return "\n".join(lines) + "\n"


def feed_files(
    corpus: Corpus, taxonomy: Taxonomy, assignment: Assignment, site_url: str
) -> dict[str, str]:
    """The survey's feed and one feed per theme, keyed by their path under the docs folder."""
    site = site_url.rstrip("/") + "/"
    titles = {t.id: t.title for t in taxonomy.themes}
    common = {
        "site_url": site,
        "author": taxonomy.title,
        "themes_of": assignment.themes_of,
        "theme_titles": titles,
    }
    files = {
        feed_path(): atom_feed(
            corpus.papers,
            title=taxonomy.title,
            subtitle=taxonomy.description or taxonomy.title,
            feed_url=site + feed_path(),
            page_url=site,
            **common,  # type: ignore[arg-type]
        )
    }
    papers = corpus.by_slug()
    for theme in taxonomy.themes:
        files[feed_path(theme.id)] = atom_feed(
            [papers[s] for s in assignment.members[theme.id]],
            title=f"{theme.title} · {taxonomy.title}",
            subtitle=f"Papers of the theme “{theme.title}” in {taxonomy.title}",
            feed_url=site + feed_path(theme.id),
            page_url=theme_url(site, theme.id),
            **common,  # type: ignore[arg-type]
        )
    return files
