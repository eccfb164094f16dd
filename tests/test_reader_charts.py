"""A theme's timeline as a reader sees it, in Chromium at 375 and 1280 px, light and dark:
its text is drawn at 11 px or more, its bars hold 3:1 against the page, its axis is the
theme's own, the survey's unfinished last quarter says "so far", and the caption still
counts the undated papers."""

from __future__ import annotations

import re
from collections import Counter

import pytest
from visual import SVG_TEXT_SIZES, install

from generator import timeline

pytestmark = pytest.mark.browser

MIN_TEXT_PX = 11
MIN_BAR_CONTRAST = 3.0
SCHEMES = ["light", "dark"]
WIDTHS = [375, 1280]
CHART = "figure.survey-timeline svg"
YEAR = re.compile(r"(19|20)[0-9]{2}")


@pytest.fixture(scope="module")
def busiest(survey) -> tuple[str, list]:
    """The top-level theme with the most dated papers, and its papers."""
    papers = survey.corpus.by_slug()
    root = max(
        survey.taxonomy.roots,
        key=lambda r: sum(1 for s in survey.assignment.members[r] if papers[s].published),
    )
    return root, [papers[s] for s in survey.assignment.members[root]]


def open_chart(new_page, site_url: str, path: str, width: int, scheme: str):
    page = new_page(width=width, height=800, color_scheme=scheme)
    page.goto(site_url + path)
    page.locator(CHART).scroll_into_view_if_needed()
    install(page)
    return page


@pytest.mark.parametrize("scheme", SCHEMES)
@pytest.mark.parametrize("width", WIDTHS)
def test_timeline_text_is_legible_at_every_width(new_page, site_url, busiest, width, scheme):
    page = open_chart(new_page, site_url, f"themes/{busiest[0]}/", width, scheme)
    texts = page.evaluate(SVG_TEXT_SIZES, CHART)
    assert texts, "the timeline draws no text"
    small = [(t["text"], round(t["px"], 1)) for t in texts if t["px"] < MIN_TEXT_PX]
    assert not small, f"text under {MIN_TEXT_PX} px at {width} px: {small}"
    # Nothing runs off the page, and the year labels do not run into each other.
    assert all(0 <= t["left"] and t["right"] <= width for t in texts), texts
    years = sorted((t for t in texts if YEAR.fullmatch(t["text"])), key=lambda t: t["left"])
    assert len(years) >= 2
    for a, b in zip(years, years[1:], strict=False):
        assert a["right"] + 2 <= b["left"], f"{a['text']} and {b['text']} overlap at {width} px"


@pytest.mark.parametrize("scheme", SCHEMES)
def test_timeline_bars_hold_three_to_one(new_page, site_url, busiest, scheme):
    page = open_chart(new_page, site_url, f"themes/{busiest[0]}/", 1280, scheme)
    ratios = page.evaluate(
        """(selector) => {
          const v = window.__v, svg = document.querySelector(selector);
          const bg = v.background(svg);
          return Array.from(svg.querySelectorAll('rect.bar')).map(r => {
            const s = getComputedStyle(r);
            const paint = v.parse(s.fill) ? s.fill : s.stroke;
            return v.contrast(v.parse(paint), bg);
          });
        }""",
        CHART,
    )
    assert ratios and min(ratios) >= MIN_BAR_CONTRAST, ratios


def test_the_axis_is_the_theme_s_own(new_page, site_url, survey, busiest):
    """The home page's axis starts after the one 2017 paper; a theme's at its own first
    quarter; both end at the survey's latest quarter, marked "so far"."""
    latest = timeline.latest_date(survey.corpus.papers)
    assert latest and latest < timeline.quarter_end(timeline.quarter_of(latest))
    for path, papers in [("", list(survey.corpus.papers)), (f"themes/{busiest[0]}/", busiest[1])]:
        counts = Counter(timeline.quarter_of(p.published) for p in papers if p.published)
        first = timeline.fitted_start(counts)
        page = open_chart(new_page, site_url, path, 375, "light")
        texts = page.evaluate(SVG_TEXT_SIZES, CHART)
        years = [int(t["text"]) for t in texts if YEAR.fullmatch(t["text"])]
        assert years[0] == (first[0] if first[1] <= 2 else first[0] + 1), (path, years)
        so_far = [t for t in texts if t["text"] == "so far"]
        assert len(so_far) == 1 and so_far[0]["right"] > 0.8 * 375, (path, so_far)
        caption = page.locator("figure.survey-timeline figcaption").inner_text()
        undated = sum(1 for p in papers if not p.published)
        assert f"{undated} papers have no date." in caption, caption
        assert f"shown so far, to {latest.isoformat()}" in caption
        if path == "":  # one paper of 2017, years before the others, is counted, not drawn
            assert min(counts)[0] == 2017 and years[0] > 2017
            assert "1 earlier paper is not drawn (2017 Q3: 1)." in caption
