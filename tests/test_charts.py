"""Timelines and the map: inline SVG made at build time, well-formed, with text alternatives;
the timeline's axis fitted to its papers, with the survey's unfinished last quarter marked."""

from __future__ import annotations

import datetime as dt
import html
import re
import xml.etree.ElementTree as ET
from collections import Counter
from pathlib import Path

import numpy as np
import pytest

from generator import charts, projection, timeline
from generator.model import Paper, Source

SVG = "{http://www.w3.org/2000/svg}"
XLINK = "{http://www.w3.org/1999/xlink}href"


def paper(slug: str, title: str, published: dt.date | None, abstract: str = "") -> Paper:
    return Paper(
        slug=slug,
        key=title.casefold(),
        title=title,
        abstract=abstract or f"We study {title} with attention and memory.",
        published=published,
        authors_count=None,
        organization=None,
        organization_id=None,
        upvotes=None,
        links=(),
        sources=(Source("dumps/a.txt", 1),),
    )


def parse_svg(fragment: str) -> ET.Element:
    """The <svg> inside a fragment, parsed as XML (so it must be well-formed)."""
    svg = fragment[fragment.index("<svg") : fragment.index("</svg>") + 6]
    svg = svg.replace(
        "<svg ",
        '<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" ',
        1,
    )
    return ET.fromstring(svg)


def bar_rects(svg: ET.Element) -> list[ET.Element]:
    """A timeline's bars (not the shading of an unfinished quarter)."""
    return [r for r in svg.iter(f"{SVG}rect") if "bar" in (r.get("class") or "").split()]


@pytest.mark.parametrize(
    ("day", "quarter"),
    [
        (dt.date(2025, 1, 1), (2025, 1)),
        (dt.date(2025, 3, 31), (2025, 1)),
        (dt.date(2025, 4, 1), (2025, 2)),
        (dt.date(2025, 12, 31), (2025, 4)),
    ],
)
def test_quarter_of(day: dt.date, quarter: tuple[int, int]) -> None:
    assert timeline.quarter_of(day) == quarter


def test_quarter_span_crosses_years() -> None:
    assert timeline.quarter_span((2024, 3), (2025, 2)) == [
        (2024, 3),
        (2024, 4),
        (2025, 1),
        (2025, 2),
    ]


def test_timeline_counts_papers_per_quarter_and_the_undated() -> None:
    papers = [
        paper("a", "A", dt.date(2024, 2, 1)),
        paper("b", "B", dt.date(2024, 3, 1)),
        paper("c", "C", dt.date(2025, 5, 1)),
        paper("d", "D", None),
        paper("e", "E", None),
    ]
    fragment = timeline.timeline(papers, dt.date(2025, 6, 30), "papers in <T & U>")
    svg = parse_svg(fragment)
    assert svg.get("role") == "img"
    assert svg.get("aria-labelledby") == "timeline-title timeline-desc"
    desc = svg.find(f"{SVG}desc").text or ""
    assert "2024 Q1: 2, 2025 Q2: 1" in desc and "2 papers have no date." in desc
    assert "papers in <T & U>" in desc
    bars = [r.find(f"{SVG}title").text for r in bar_rects(svg)]
    assert bars == ["2024 Q1: 2 papers", "2025 Q2: 1 paper"]
    # The axis is the papers' own: it starts at their first quarter.
    assert svg.find(f"{SVG}title").text == "Papers per quarter, 2024 Q1 to 2025 Q2"
    # 2025-06-30 ends its quarter: nothing is partial.
    assert "so far" not in fragment and "bar--partial" not in fragment
    caption = re.search(r"<figcaption>(.*)</figcaption>", fragment).group(1)  # type: ignore[union-attr]
    assert html.unescape(caption).endswith("2 papers have no date.")


def test_the_survey_s_unfinished_last_quarter_is_marked() -> None:
    papers = [paper("a", "A", dt.date(2025, 1, 10)), paper("b", "B", dt.date(2025, 4, 9))]
    svg = parse_svg(timeline.timeline(papers, dt.date(2025, 4, 9), "papers"))
    last = bar_rects(svg)[-1]
    assert last.get("class") == "bar bar--partial"
    assert last.find(f"{SVG}title").text == "2025 Q2: 1 paper so far"
    notes = [t.text for t in svg.iter(f"{SVG}text") if "tick--note" in (t.get("class") or "")]
    assert notes == ["so far"]
    # The quarter's whole column is shaded, with papers or without.
    shaded = [r for r in svg.iter(f"{SVG}rect") if r.get("class") == "partial"]
    assert len(shaded) == 1 and float(shaded[0].get("height")) == float(last.get("height"))
    assert "2025 Q2 is shown so far, to 2025-04-09." in (svg.find(f"{SVG}desc").text or "")
    # A theme without papers in the survey's last quarter still reaches it, marked too.
    older = parse_svg(timeline.timeline(papers[:1], dt.date(2025, 4, 9), "papers"))
    assert older.find(f"{SVG}title").text == "Papers per quarter, 2025 Q1 to 2025 Q2"
    assert "so far" in [t.text for t in older.iter(f"{SVG}text")]


def test_a_lone_early_paper_does_not_stretch_the_axis() -> None:
    papers = [paper("old", "Old", dt.date(2017, 9, 25))] + [
        paper(f"p{n}", f"P{n}", dt.date(2024, 1 + n % 12, 1)) for n in range(12)
    ]
    fragment = timeline.timeline(papers, dt.date(2024, 12, 31), "papers")
    svg = parse_svg(fragment)
    assert svg.find(f"{SVG}title").text == "Papers per quarter, 2024 Q1 to 2024 Q4"
    assert "1 earlier paper is not drawn (2017 Q3: 1)." in html.unescape(fragment)
    years = [t.text for t in svg.iter(f"{SVG}text") if t.text and t.text.isdigit()]
    assert years == ["2024"]
    # Early papers that are a large share of the theme are drawn.
    few = timeline.timeline(papers[:3], dt.date(2024, 12, 31), "papers")
    assert "Papers per quarter, 2017 Q3 to 2024 Q4" in few and "not drawn" not in few


def test_the_timeline_text_keeps_its_css_size() -> None:
    svg = parse_svg(timeline.timeline([paper("a", "A", dt.date(2025, 1, 1))], None, "papers"))
    # No viewBox: the chart does not scale its text down with its width.
    assert svg.get("viewBox") is None and svg.get("width") == "100%"
    assert all(r.get("x", "").endswith("%") for r in svg.iter(f"{SVG}rect"))


def test_timeline_without_dates_is_text_only() -> None:
    fragment = timeline.timeline([paper("a", "A", None)], None, "papers")
    assert "<svg" not in fragment and "1 paper has no date. No timeline" in fragment


def test_map_escapes_titles_and_links_every_paper(survey) -> None:
    papers = [
        paper("a", 'Let\'s <think> & "see"', dt.date(2025, 1, 1)),
        *[paper(f"p{n}", f"Paper {n} on topic {n % 3}", None) for n in range(12)],
    ]
    points = projection.project(papers)
    assert points.shape == (13, 2) and points.min() >= 0 and points.max() <= 1
    svg_text, legend = charts.paper_map(papers, points, {}, survey.taxonomy)
    svg = parse_svg(svg_text)
    links = list(svg.iter(f"{SVG}a"))
    assert [a.get(XLINK) for a in links] == [
        f"../papers/{p.slug}/" for p in sorted(papers, key=lambda p: p.slug)
    ]
    titles = {a.find(f"{SVG}title").text for a in links}
    assert 'Let\'s <think> & "see" (In no theme)' in titles
    assert [(g.id, n) for g, n in legend] == [("", 13)]


def test_projection_is_reproducible() -> None:
    papers = [paper(f"p{n}", f"Topic {n % 4} paper {n}", None) for n in range(30)]
    first = projection._project.__wrapped__(tuple(papers))
    second = projection._project.__wrapped__(tuple(papers))
    assert (first == second).all()


def test_theme_and_home_pages_show_a_timeline_with_text(built_site: Path, survey) -> None:
    papers = survey.corpus.by_slug()
    pages = {"": list(survey.corpus.papers)}
    pages.update(
        {
            f"themes/{t.id}/": [papers[s] for s in survey.assignment.members[t.id]]
            for t in survey.taxonomy.themes
        }
    )
    last = timeline.quarter_of(timeline.latest_date(survey.corpus.papers))
    for url, members in pages.items():
        text = (built_site / url / "index.html").read_text(encoding="utf-8")
        figure = re.search(r'<figure class="survey-timeline">(.*?)</figure>', text, re.S)
        assert figure, f"{url or 'home'} has no timeline"
        undated = sum(1 for p in members if not p.published)
        noun = "papers have" if undated != 1 else "paper has"
        assert f"{undated} {noun} no date." in figure.group(1), url
        if "<svg" not in figure.group(1):
            assert undated == len(members), url
            continue
        svg = parse_svg(figure.group(1))
        counts = Counter(timeline.quarter_of(p.published) for p in members if p.published)
        first = timeline.fitted_start(counts)
        # The axis runs from the papers' own first quarter to the survey's latest one.
        heading = svg.find(f"{SVG}title").text
        assert heading == f"Papers per quarter, {first[0]} Q{first[1]} to {last[0]} Q{last[1]}"
        bars = [r.find(f"{SVG}title").text for r in bar_rects(svg)]
        assert len(bars) == len([q for q in counts if q >= first]), url
        earlier = sum(n for q, n in counts.items() if q < first)
        if earlier:
            assert "not drawn" in figure.group(1), url


def test_map_page_links_every_paper_with_its_title(built_site: Path, survey) -> None:
    text = (built_site / "map" / "index.html").read_text(encoding="utf-8")
    svg = parse_svg(text[text.index('<svg class="survey-chart survey-map"') :])
    links = list(svg.iter(f"{SVG}a"))
    assert len(links) == len(survey.corpus.papers)
    titles = {p.slug: p.title for p in survey.corpus.papers}
    for a in links:
        slug = a.get(XLINK).split("/")[2]
        assert (built_site / "papers" / slug / "index.html").is_file()
        assert a.find(f"{SVG}title").text.startswith(titles[slug] + " (")
    legend = text[text.index('id="legend"') :]
    # a top-level theme is in the legend when it colours a point: when it is above the first
    # theme of some paper
    themes_of, taxonomy = survey.assignment.themes_of, survey.taxonomy
    coloured = {charts.main_theme(p.slug, themes_of, taxonomy) for p in survey.corpus.papers}
    assert coloured - {""} <= set(taxonomy.roots)
    for root in taxonomy.roots:
        assert (f'href="../themes/{root}/"' in legend) == (root in coloured)


def test_the_map_s_regions_are_named_by_their_own_terms() -> None:
    topics = {
        "kv cache compression": "We compress the kv cache of long-context decoding.",
        "reward models": "Reward models guide reinforcement learning with verifiable rewards.",
        "visual grounding": "Visual grounding links image regions to words in captions.",
    }
    papers = [
        paper(f"{t.split()[0]}-{n}", f"{t.title()} study {n}", None, f"{abstract} Variant {n}.")
        for t, abstract in topics.items()
        for n in range(12)
    ]
    points = projection.project(papers)
    found = projection.regions(papers, points)
    assert len(found) == projection.region_count(len(papers)) == 3
    assert sum(r.size for r in found) == len(papers)
    # Each region is named by words of one topic, and each topic names a region.
    named = [set(" ".join(r.terms).split()) for r in found]
    vocab = [
        set(f"{t} {a} study variant".lower().replace(".", "").split()) for t, a in topics.items()
    ]
    assert sorted(next(i for i, v in enumerate(vocab) if words <= v) for words in named) == [
        0,
        1,
        2,
    ]
    labels = charts.region_labels(found)
    assert all(0 < label.left < 100 and 0 < label.top < 100 for label in labels)
    assert all(" · " in label.text for label in labels)
    # Too few papers for regions.
    assert projection.regions(papers[:5], points[:5]) == []


def test_the_map_is_one_tab_stop_and_says_how_to_move_in_it(survey) -> None:
    papers = [
        paper("a", "Attention and memory", dt.date(2025, 1, 1)),
        *[paper(f"p{n}", f"Paper {n} on topic {n % 3}", None) for n in range(12)],
    ]
    svg = parse_svg(charts.paper_map(papers, projection.project(papers), {}, survey.taxonomy)[0])
    stops = [a.get("tabindex") for a in svg.iter(f"{SVG}a")]
    assert stops.count("0") == 1 and stops.count("-1") == len(papers) - 1
    assert "arrow keys" in (svg.find(f"{SVG}desc").text or "")
    assert {a.get("data-group") for a in svg.iter(f"{SVG}a")} == {"unsorted"}


def test_a_region_s_name_says_something(monkeypatch: pytest.MonkeyPatch) -> None:
    """No link words, no acronym of a term already taken, no word twice."""
    names = ["https", "large reasoning", "lrms", "long-context", "context", "models"]
    score = np.array([9.0, 8.0, 7.0, 6.0, 5.0, 4.0])
    texts = ["large reasoning models (lrms) at https://x.org handle long-context inputs"]
    monkeypatch.setattr(projection, "REGION_TERMS", 3)
    assert projection._names(score, names, texts) == ("large reasoning", "long-context", "models")
