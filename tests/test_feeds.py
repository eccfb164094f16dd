"""Atom feeds, read by a real feed parser: valid, complete, newest first, titles verbatim."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import feedparser
import pytest

from generator.feeds import FEED_LIMIT, atom_feed, feed_path, newest_first, xml_text
from generator.model import Paper, Source

SITE_URL = "https://example.github.io/survey/"
THINK = "DeepSeek-R1 Thoughtology: Let's <think> about LLM Reasoning"


def paper(slug: str, title: str, published: dt.date | None, **kw: object) -> Paper:
    fields: dict[str, object] = {
        "key": title.casefold(),
        "abstract": "An abstract.",
        "authors_count": None,
        "organization": None,
        "organization_id": None,
        "upvotes": None,
        "links": (),
        "sources": (Source("dumps/a.txt", 1),),
    }
    fields.update(kw)
    return Paper(slug=slug, title=title, published=published, **fields)  # type: ignore[arg-type]


def parse(path: Path) -> feedparser.FeedParserDict:
    feed = feedparser.parse(path.read_bytes())
    assert feed.bozo == 0, f"{path.name} is not well-formed: {feed.get('bozo_exception')}"
    return feed


def test_the_survey_feed_lists_every_paper_newest_first(built_site: Path, survey) -> None:
    feed = parse(built_site / "feed.xml")
    expected = newest_first(survey.corpus.papers)[:FEED_LIMIT]
    assert len(feed.entries) == len(expected) == len(survey.corpus.papers)
    assert [e.title for e in feed.entries] == [p.title for p in expected]
    assert THINK in [e.title for e in feed.entries]
    assert [e.link for e in feed.entries] == [f"{SITE_URL}papers/{p.slug}/" for p in expected]
    # Newest first by published date, then every undated paper.
    dates = [e.get("published", "")[:10] for e in feed.entries]
    dated = [d for d in dates if d]
    assert dated == sorted(dated, reverse=True)
    assert dates == dated + [""] * (len(dates) - len(dated))
    newest = max(p.published for p in survey.corpus.papers if p.published)
    assert feed.feed.updated == f"{newest.isoformat()}T00:00:00Z"
    assert feed.feed.title == survey.taxonomy.title
    assert {link.rel: link.href for link in feed.feed.links}["self"] == SITE_URL + "feed.xml"


def test_every_theme_has_a_feed_of_its_papers(built_site: Path, survey) -> None:
    papers = survey.corpus.by_slug()
    for theme in survey.taxonomy.themes:
        feed = parse(built_site / feed_path(theme.id))
        members = [papers[s] for s in survey.assignment.members[theme.id]]
        assert [e.title for e in feed.entries] == [p.title for p in newest_first(members)]
        assert theme.title in feed.feed.title


def test_pages_announce_their_feeds(built_site: Path, survey) -> None:
    def alternates(url: str) -> list[str]:
        text = (built_site / url / "index.html").read_text(encoding="utf-8")
        return re.findall(
            r'<link rel="alternate" type="application/atom\+xml" href="([^"]+)"', text
        )

    assert alternates("") == ["feed.xml"]
    theme = survey.taxonomy.themes[1]
    assert alternates(f"themes/{theme.id}") == ["../../feed.xml", f"../../{feed_path(theme.id)}"]
    page = (built_site / "themes" / theme.id / "index.html").read_text(encoding="utf-8")
    assert f'href="../../{feed_path(theme.id)}"' in page.split("</head>", 1)[1], "no visible link"


@pytest.mark.parametrize(
    "title",
    [THINK, "A & B == B & A", 'P(y|x) ]]> <!-- x --> "quoted"', "control \x0b\x1f char", "é ✓ 🙂"],
)
def test_hostile_titles_survive_the_feed(title: str) -> None:
    papers = [
        paper("b", title, dt.date(2025, 1, 2), organization="Org <&>"),
        paper("a", "Undated", None, links=("https://github.com/x/y?a=1&b=2",)),
    ]
    text = atom_feed(
        papers,
        title="T & <t>",
        subtitle="S",
        feed_url=SITE_URL + "feed.xml",
        page_url=SITE_URL,
        site_url=SITE_URL,
        author="Me",
        themes_of={"b": ("t1",)},
        theme_titles={"t1": "Theme <1>"},
    )
    feed = feedparser.parse(text.encode())
    assert feed.bozo == 0, feed.get("bozo_exception")
    assert feed.feed.title == "T & <t>"
    assert [e.title for e in feed.entries] == [
        re.sub("[\x00-\x08\x0b\x0c\x0e-\x1f]", "", title),
        "Undated",
    ]
    assert feed.entries[0].tags[0].label == "Theme <1>"
    assert feed.entries[0].author == "Org <&>"
    assert "published" not in feed.entries[1]
    assert {link.rel: link.href for link in feed.entries[1].links}["related"] == (
        "https://github.com/x/y?a=1&b=2"
    )
    # Undated papers carry the oldest date, so date-sorting readers keep them last.
    assert feed.entries[1].updated == "2025-01-02T00:00:00Z"


def test_xml_text_escapes_and_drops_what_xml_cannot_hold() -> None:
    assert xml_text("a<b>&c\x00\x0bd") == "a&lt;b&gt;&amp;cd"
