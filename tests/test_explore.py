"""The Explore page in a real Chromium: facets combine, the text filter narrows, columns sort,
the URL keeps the view, and the page is a real, labelled table; the map and a timeline as
a reader sees them."""

from __future__ import annotations

import json
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest

from generator import export

pytestmark = pytest.mark.browser

BLOCKING = {"serious", "critical"}


@pytest.fixture(scope="module")
def records(built_site: Path) -> list[dict]:
    return json.loads((built_site / "papers.json").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def themes(built_site: Path) -> dict[str, dict]:
    return {t["id"]: t for t in json.loads((built_site / "themes.json").read_text("utf-8"))}


def rows(page) -> list[dict]:
    """Every row the table shows, after pressing "Show more" until none is hidden."""
    more = page.locator("#explore-more")
    while more.is_visible():
        more.click()
    return page.eval_on_selector_all(
        "#explore-table tbody tr",
        """trs => trs.map(tr => ({
             title: tr.cells[0].textContent,
             href: tr.cells[0].querySelector('a').getAttribute('href'),
             date: tr.cells[1].textContent,
             code: !!tr.cells[4].querySelector('a'),
           }))""",
    )


def status(page) -> str:
    return page.locator("#explore-status").inner_text()


def open_explore(page, url: str) -> None:
    """Open Explore and wait until it has applied the URL's filters (which may match no
    paper, so the table can stay empty)."""
    page.goto(url)
    page.wait_for_function(
        "() => /papers? match/.test(document.getElementById('explore-status').textContent)"
    )


def matches_word(record: dict, word: str, themes: dict[str, dict], survey) -> bool:
    """Whether the Explore page's word filter keeps a paper for `word`: a part of its
    title, organisation (as shown or as the dumps write it), theme titles, or of a word of
    its abstract (export.abstract_words)."""
    paper = survey.corpus.by_slug()[record["slug"]]
    shown = export.organisations(survey.corpus, survey.taxonomy).get(paper.organization or "")
    text = [record["title"], record["organization"] or "", shown or ""]
    text += [themes[t]["title"] for t in record["themes"]]
    return word in " ".join(text).lower() or any(word in w for w in export.abstract_words(paper))


def test_facets_text_sort_and_the_url(page, site_url, records, themes, survey, screenshot):
    open_explore(page, site_url + "explore/")
    assert status(page).startswith(f"{len(records)} of {len(records)} papers match")
    # Papers first show newest first, undated last; only the first batch is in the DOM.
    assert page.locator("#explore-table tbody tr").count() == min(100, len(records))
    date_th = page.locator('th[data-sort="date"]')
    assert date_th.get_attribute("aria-sort") == "descending"

    # A leaf theme with papers that have code, so that both facets narrow the list.
    leaf = max(
        (t for t in themes.values() if not t["children"]),
        key=lambda t: sum(1 for r in records if t["id"] in r["themes"] and r["links"]),
    )
    in_theme = [r for r in records if leaf["id"] in r["themes"]]
    page.select_option("#explore-theme", leaf["id"])
    assert len(rows(page)) == len(in_theme)
    assert status(page).startswith(f"{len(in_theme)} of {len(records)} papers match")

    page.check("#explore-code")
    with_code = [r for r in in_theme if r["links"]]
    shown = rows(page)
    assert 0 < len(shown) == len(with_code) < len(in_theme)
    assert all(r["code"] for r in shown)

    # Words must all occur in the title, organisation, theme titles or abstract.
    word = with_code[0]["title"].split()[0].lower()
    page.fill("#explore-q", word)
    page.wait_for_function(
        "n => document.querySelectorAll('#explore-table tbody tr').length === n",
        arg=sum(1 for r in with_code if matches_word(r, word, themes, survey)),
    )

    # Sort by date, oldest first, with the keyboard.
    page.fill("#explore-q", "")
    page.uncheck("#explore-code")
    date_th.locator("button").focus()
    page.keyboard.press("Enter")
    assert date_th.get_attribute("aria-sort") == "ascending"
    dates = [r["date"] for r in rows(page)]
    dated = [d for d in dates if d]
    assert dated == sorted(dated) and dates == dated + [""] * (len(dates) - len(dated))
    screenshot(page, "explore-filtered")

    # The view lives in the URL: reload it, and everything comes back.
    # location.href, not page.url: Playwright learns of replaceState a moment later.
    query = parse_qs(urlsplit(page.evaluate("location.href")).query)
    assert query == {"theme": [leaf["id"]], "sort": ["date"], "dir": ["asc"]}
    page.check("#explore-code")
    page.fill("#explore-min", "1")
    shared = page.evaluate("location.href")
    expected = [r["title"] for r in rows(page)]
    page.goto("about:blank")
    open_explore(page, shared)
    assert page.locator("#explore-theme").input_value() == leaf["id"]
    assert page.locator("#explore-code").is_checked()
    assert page.locator("#explore-min").input_value() == "1"
    assert page.locator('th[data-sort="date"]').get_attribute("aria-sort") == "ascending"
    assert [r["title"] for r in rows(page)] == expected
    assert all((r["upvotes"] or 0) >= 1 for r in records if r["title"] in expected), (
        "the upvotes range keeps papers below it"
    )
    assert not page.errors, page.errors


def test_the_table_is_accessible(page, site_url, axe_script, screenshot) -> None:
    open_explore(page, site_url + "explore/")
    headers = page.eval_on_selector_all(
        "#explore-table thead th", "ths => ths.map(th => th.getAttribute('scope'))"
    )
    assert headers and set(headers) == {"col"}
    for control in ("q", "theme", "year", "org", "min", "max", "code"):
        label = page.locator(f'label[for="explore-{control}"]')
        assert label.count() == 1 and label.inner_text().strip(), control
    live = page.locator("#explore-status")
    assert live.get_attribute("role") == "status" and live.get_attribute("aria-live") == "polite"
    screenshot(page, "explore")
    page.add_script_tag(path=str(axe_script))
    assert_no_blocking_violations(page)


def test_the_explorer_survives_instant_navigation(page, site_url) -> None:
    page.goto(site_url + "papers/")
    page.locator('.md-content a[href$="explore/"]').first.click()
    page.wait_for_selector("#explore-table tbody tr")
    page.go_back()
    page.locator('.md-content a[href$="explore/"]').first.click()
    page.wait_for_function("document.querySelectorAll('#explore-table tbody tr').length > 0")
    assert not page.errors, page.errors


def test_the_map_links_papers_and_is_accessible(page, site_url, survey, axe_script, screenshot):
    page.goto(site_url + "map/")
    points = page.locator("svg.survey-map a")
    assert points.count() == len(survey.corpus.papers)
    assert page.locator("svg.survey-map").is_visible()
    screenshot(page, "map", full_page=True)
    last = points.last
    # docs/js/map.js makes each point's <title> its name (our tooltip replaces the native one)
    title = last.get_attribute("aria-label")
    last.click()
    page.wait_for_url("**/papers/**")
    heading = page.locator(".md-content h1").inner_text().rstrip("¶").strip()
    assert title.startswith(heading + " (")
    page.go_back()
    page.wait_for_selector("svg.survey-map")
    page.add_script_tag(path=str(axe_script))
    assert_no_blocking_violations(page)
    assert not page.errors, page.errors


def test_a_theme_timeline_is_drawn(page, site_url, survey, screenshot) -> None:
    theme = survey.taxonomy.roots[0]
    page.goto(f"{site_url}themes/{theme}/")
    figure = page.locator("figure.survey-timeline")
    figure.scroll_into_view_if_needed()
    assert figure.locator("svg[role=img]").is_visible()
    box = figure.locator("svg").bounding_box()
    assert box and box["width"] > 300 and box["height"] > 60
    assert "no date" in figure.locator("figcaption").inner_text()
    screenshot(page, "theme-timeline")


def assert_no_blocking_violations(page) -> None:
    result = page.evaluate(
        """async () => {
          const r = await axe.run(document, {resultTypes: ['violations']});
          return r.violations.map(v => ({id: v.id, impact: v.impact,
                                         nodes: v.nodes.slice(0, 3).map(n => n.html)}));
        }"""
    )
    blocking = [v for v in result if v["impact"] in BLOCKING]
    assert not blocking, blocking
