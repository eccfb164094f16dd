"""Atom feeds, read by a real feed parser: valid, complete, newest first, titles verbatim."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import feedparser
import pytest

from generator.feeds import (
    FEED_LIMIT,
    atom_feed,
    entry_date,
    feed_path,
    newest_first,
    unfed,
    xml_text,
)
from generator.model import Corpus, DumpInfo, Paper, Source

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


def captured_of(survey) -> dict[str, dt.date | None]:
    return {d.file: d.captured for d in survey.corpus.dumps}


def test_the_survey_feed_lists_the_newest_papers_first(built_site: Path, survey) -> None:
    feed = parse(built_site / "feed.xml")
    captured = captured_of(survey)
    expected = newest_first(survey.corpus.papers, captured)[:FEED_LIMIT]
    # every dump of the seed survey has a capture date, so no paper is left out but for
    # the limit, which the seed survey is larger than
    assert len(survey.corpus.papers) > FEED_LIMIT
    assert len(feed.entries) == len(expected) == FEED_LIMIT
    assert [e.title for e in feed.entries] == [p.title for p in expected]
    assert [e.link for e in feed.entries] == [f"{SITE_URL}papers/{p.slug}/" for p in expected]
    # Newest first by entry date: publication date, else the day the paper entered.
    dates = [e.updated[:10] for e in feed.entries]
    assert dates == sorted(dates, reverse=True)
    newest = max(entry_date(p, captured) for p in survey.corpus.papers)
    assert feed.feed.updated == f"{newest.isoformat()}T00:00:00Z"
    assert feed.feed.title == survey.taxonomy.title
    assert {link.rel: link.href for link in feed.feed.links}["self"] == SITE_URL + "feed.xml"


def test_no_feed_entry_carries_an_invented_date(built_site: Path, survey) -> None:
    """Every entry's date is the paper's publication date or, for an undated paper, the
    capture date of one of its dumps, and the entry says so."""
    papers = {f"{SITE_URL}papers/{p.slug}/": p for p in survey.corpus.papers}
    captured = captured_of(survey)
    by_capture = 0
    for path in sorted(built_site.glob("feed*.xml")):
        for e in parse(path).entries:
            p = papers[e.link]
            day = dt.date.fromisoformat(e.updated[:10])
            if p.published:
                assert day == p.published and e.published[:10] == p.published.isoformat()
                assert not e.summary.startswith("Publication date unknown")
            else:
                assert "published" not in e, e.link
                assert day in {captured[s.file] for s in p.sources}, (path.name, e.link)
                assert e.summary.startswith(f"Publication date unknown: dated {day}"), e.link
                by_capture += path.name == "feed.xml"
    listed = newest_first(survey.corpus.papers, captured)[:FEED_LIMIT]
    undated = [p for p in listed if p.published is None]
    assert by_capture == len(undated) > 0


def test_every_theme_has_a_feed_of_its_papers(built_site: Path, survey) -> None:
    papers = survey.corpus.by_slug()
    for theme in survey.taxonomy.themes:
        feed = parse(built_site / feed_path(theme.id))
        members = [papers[s] for s in survey.assignment.members[theme.id]]
        expected = newest_first(members, captured_of(survey))[:FEED_LIMIT]
        assert [e.title for e in feed.entries] == [p.title for p in expected]
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
        captured={"dumps/a.txt": dt.date(2024, 3, 4)},
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
    # An undated paper is dated by its dump's capture date, and says so.
    assert feed.entries[1].updated == "2024-03-04T00:00:00Z"
    assert feed.entries[1].summary.startswith("Publication date unknown: dated 2024-03-04")


def test_a_paper_with_no_date_anywhere_is_left_out_and_check_says_so() -> None:
    undated = paper("a", "Undated", None, sources=(Source("dumps/x.txt", 3),))
    dated = paper("b", "Dated", dt.date(2025, 1, 2), sources=(Source("dumps/x.txt", 1),))
    assert newest_first([undated, dated], {"dumps/x.txt": None}) == [dated]
    corpus = Corpus(
        (dated, undated), (DumpInfo("dumps/x.txt", "search", 2, None, None, "not needed"),), 2
    )
    (warning,) = unfed(corpus)
    assert str(warning).startswith("dumps/x.txt: warning: 1 papers have no date and this dump no")


def test_xml_text_escapes_and_drops_what_xml_cannot_hold() -> None:
    assert xml_text("a<b>&c\x00\x0bd") == "a&lt;b&gt;&amp;cd"
