"""Atom feeds: one for the whole survey (feed.xml) and one per theme (feed-<id>.xml).

Every feed sits at the site's root: mkdocs-material reads each <link rel="alternate"> of a
page's head as a language version and fetches sitemap.xml beside it, which exists only there.

Nothing is dated by invention. An entry's date is the paper's publication date; a paper
with none is dated by the day it entered the survey, the capture date of the first dump that
lists it, and its summary says so. A paper with neither is left out of the feeds, and
`check` warns about it. Entries are newest first by that date. Nothing depends on the time
of the build: a feed's `updated` is the newest date among its entries.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from xml.sax.saxutils import escape, quoteattr

from . import urls
from .errors import Problem
from .export import paper_url, safe_links, theme_url
from .model import Assignment, Corpus, Paper, Taxonomy
from .urls import feed_path

# A feed is for following what is new, and a feed reader keeps the entries it has seen;
# past this many entries a feed only grows heavy (41 feeds of 500 entries were 3.5 KB of
# the site per paper at 10,000 papers, docs/performance.md).
FEED_LIMIT = 100
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


def entered(paper: Paper, captured: Mapping[str, dt.date | None]) -> dt.date | None:
    """The day the paper entered the survey: the earliest capture date of its dumps."""
    days = [d for d in (captured.get(s.file) for s in paper.sources) if d is not None]
    return min(days, default=None)


def entry_date(paper: Paper, captured: Mapping[str, dt.date | None]) -> dt.date | None:
    """The date a feed gives the paper: published, else entered; None leaves it out."""
    return paper.published or entered(paper, captured)


def newest_first(
    papers: Iterable[Paper], captured: Mapping[str, dt.date | None] = {}
) -> list[Paper]:
    """The papers a feed lists, newest first by their entry date, then by slug."""
    dated = [(entry_date(p, captured), p) for p in papers]
    ordered = sorted(((d, p) for d, p in dated if d), key=lambda x: (-x[0].toordinal(), x[1].slug))
    return [p for _, p in ordered]


def unfed(corpus: Corpus) -> list[Problem]:
    """A warning per dump whose papers have no date and the dump no capture date: the
    feeds cannot date them without inventing, so they leave them out."""
    captured = {d.file: d.captured for d in corpus.dumps}
    missing = Counter(p.sources[0].file for p in corpus.papers if entry_date(p, captured) is None)
    return [
        Problem(
            file,
            0,
            0,
            f"{n} papers have no date and this dump no capture date, so the feeds leave them "
            f"out: add `captured: YYYY-MM-DD` (the day the listing was copied) to its entry "
            "under `sources:` in taxonomy.yaml",
            "warning",
        )
        for file, n in sorted(missing.items())
    ]


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
    captured: Mapping[str, dt.date | None] = {},
) -> str:
    """An Atom 1.0 document listing `papers`, newest first, at most FEED_LIMIT of them."""
    ordered = newest_first(papers, captured)[:FEED_LIMIT]
    updated = max((entry_date(p, captured) or _EPOCH for p in ordered), default=_EPOCH)
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
        day = entry_date(paper, captured) or _EPOCH  # every listed paper has one
        lines += _entry(paper, day, site_url, themes_of, theme_titles)
    lines.append("</feed>")
    return "\n".join(lines) + "\n"


def _entry(
    paper: Paper,
    day: dt.date,
    site_url: str,
    themes_of: Mapping[str, Sequence[str]],
    theme_titles: Mapping[str, str],
) -> list[str]:
    """One paper's <entry>, dated `day`: its publication date, else the day it entered."""
    url = paper_url(site_url, paper.slug)
    lines = [
        "  <entry>",
        f'    <title type="text">{xml_text(paper.title)}</title>',
        f'    <link rel="alternate" type="text/html" href={xml_attr(url)}/>',
        f"    <id>{xml_text(url)}</id>",
    ]
    summary = paper.abstract
    if paper.published:
        lines.append(f"    <published>{_stamp(paper.published)}</published>")
    else:
        summary = (
            f"Publication date unknown: dated {day.isoformat()}, the day its listing entered "
            f"the survey. {summary}"
        )
    lines.append(f"    <updated>{_stamp(day)}</updated>")
    for name in paper.authors or ([paper.organization] if paper.organization else []):
        lines.append(f"    <author><name>{xml_text(name)}</name></author>")
    for theme_id in themes_of.get(paper.slug, ()):
        lines.append(
            f"    <category term={xml_attr(theme_id)} "
            f"scheme={xml_attr(urls.absolute(site_url, urls.THEMES))} "
            f"label={xml_attr(theme_titles[theme_id])}/>"
        )
    for link in safe_links(paper):
        lines.append(f'    <link rel="related" href={xml_attr(link)}/>')
    return [*lines, f'    <summary type="text">{xml_text(summary)}</summary>', "  </entry>"]


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
        "captured": {d.file: d.captured for d in corpus.dumps},
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
