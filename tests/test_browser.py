"""The built site as a reader meets it, in a real Chromium: pages render, links lead where
they say, the palette toggle sticks, phones get a drawer and no sideways scrolling, no
script errors, and awkward titles read literally. (The search: test_search.py.)"""

from __future__ import annotations

import re
from urllib.parse import urljoin, urlsplit

import pytest
from conftest import REPO_ROOT, site_name

pytestmark = pytest.mark.browser

PHONE = {"width": 375, "height": 740}

# Titles that break naive escaping: HTML tags, pipes, ampersands, Markdown emphasis, carets.
LITERAL_TITLES = [
    "DeepSeek-R1 Thoughtology: Let's <think> about LLM Reasoning",
    "From P(y|x) to P(y): Investigating Reinforcement Learning in Pre-train Space",
    "A & B == B & A: Triggering Logical Reasoning Failures in Large Language Models",
]
DUMP_TITLE_PREFIXES = ["A*-Thought", "ALR^2"]


def dump_title(prefix: str) -> str:
    """The one exact title line in dumps/*.txt starting with ``prefix``."""
    found = {
        line.strip()
        for path in sorted((REPO_ROOT / "dumps").glob("*.txt"))
        for line in path.read_text(encoding="utf-8").splitlines()
        if line.startswith(prefix)
    }
    assert len(found) == 1, f"expected one title starting with {prefix!r} in dumps/, got {found}"
    return found.pop()


HARD_TITLES = LITERAL_TITLES + [dump_title(p) for p in DUMP_TITLE_PREFIXES]

# The page's h1 as a reader reads it: its text without the "¶" permalink.
H1_JS = """() => {
  const h = document.querySelector('.md-content h1');
  if (!h) return null;
  const c = h.cloneNode(true);
  c.querySelectorAll('.headerlink').forEach(a => a.remove());
  return c.textContent.trim();
}"""


def h1(page) -> str | None:
    return page.evaluate(H1_JS)


def wait_for_h1(page, text: str, timeout: float = 15_000) -> None:
    """Wait until the page's h1 reads ``text`` (instant navigation swaps it in place)."""
    try:
        page.wait_for_function(f"t => ({H1_JS})() === t", arg=text, timeout=timeout)
    except Exception:  # noqa: BLE001 - turn a timeout into a readable failure
        pytest.fail(f"at {page.url} the h1 reads {h1(page)!r}, expected {text!r}", pytrace=False)


def path_of(url: str) -> str:
    return urlsplit(url).path


def paper_by_slug(survey) -> dict:
    return {p.slug: p for p in survey.corpus.papers}


def paper_by_title(survey, title: str):
    """The paper titled `title`, as shown or as the dump has it."""
    hits = [p for p in survey.corpus.papers if title in (p.title, p.dump_title)]
    assert hits, f"the generator knows no paper titled exactly {title!r}"
    return hits[0]


def assert_no_errors(page) -> None:
    assert not page.errors, "console or page errors:\n" + "\n".join(page.errors)


def assert_no_sideways_scroll(page) -> None:
    widths = page.evaluate(
        """() => {
          const vw = window.innerWidth;
          const wide = [];
          for (const el of document.querySelectorAll('body *')) {
            const r = el.getBoundingClientRect();
            if (r.width && r.right > vw + 1 && getComputedStyle(el).position !== 'fixed')
              wide.push(el.tagName.toLowerCase() + (el.id ? '#' + el.id : '') +
                        (el.className && typeof el.className === 'string'
                           ? '.' + el.className.trim().split(/\\s+/).join('.') : '') +
                        ' right=' + Math.round(r.right));
          }
          return {scroll: document.documentElement.scrollWidth, inner: vw,
                  wide: wide.slice(0, 8)};
        }"""
    )
    assert widths["scroll"] <= widths["inner"], (
        f"{page.url} scrolls sideways at {widths['inner']} px: scrollWidth is "
        f"{widths['scroll']}; elements sticking out: {widths['wide']}"
    )


def first_link(page, pattern: str, scope: str = ".md-content article") -> tuple[str, str]:
    """(raw href, absolute URL) of the first link in ``scope`` whose absolute URL's path
    matches ``pattern``."""
    links = page.eval_on_selector_all(
        f"{scope} a[href]", "els => els.map(e => [e.getAttribute('href'), e.href])"
    )
    for raw, absolute in links:
        if re.search(pattern, path_of(absolute)):
            return raw, absolute
    pytest.fail(f"no link matching {pattern!r} in {scope} at {page.url}", pytrace=False)


def click_and_wait(page, locator, url: str, title: str) -> None:
    locator.click()
    page.wait_for_url(lambda u: path_of(u) == path_of(url))
    wait_for_h1(page, title)


# --------------------------------------------------------------------------- pages


@pytest.fixture(scope="module")
def theme_and_paper(survey) -> tuple[str, str]:
    """A top-level theme id and, from the hard titles, a paper slug, for per-page checks."""
    return survey.taxonomy.roots[0], paper_by_title(survey, HARD_TITLES[3]).slug


def test_home_renders_title_and_theme_cards(page, site_url, survey, screenshot):
    page.goto(site_url)
    assert h1(page) == survey.taxonomy.title
    themes = survey.taxonomy.by_id()
    expected = [themes[t].title for t in survey.taxonomy.roots]
    cards = page.locator(".md-content .grid.cards > ul > li")
    titles = [card.locator("a").first.inner_text().strip() for card in cards.all()]
    screenshot(page, "home", full_page=True)
    assert titles == expected, (
        f"the home page should show one card per top-level theme {expected}, "
        f"shows {len(titles)} card(s) titled {titles}: "
        + " | ".join(c.inner_text().replace("\n", " ") for c in cards.all())
    )
    for card, theme_id in zip(cards.all(), survey.taxonomy.roots, strict=True):
        assert card.is_visible()
        href = card.locator("a").first.get_attribute("href")
        assert path_of(urljoin(site_url, href)) == f"/themes/{theme_id}/"
    page.wait_for_timeout(300)  # late console errors from the theme's scripts
    assert_no_errors(page)


def test_home_document_title_names_the_site_once(page, site_url):
    page.goto(site_url)
    assert page.title() == site_name(), "the home page's browser tab title repeats the site name"


def test_reader_journey_home_theme_paper_related_and_back(page, site_url, survey, screenshot):
    papers = paper_by_slug(survey)
    themes = survey.taxonomy.by_id()
    page.goto(site_url)

    # Home -> a theme, by its card.
    raw, theme_url = first_link(page, r"^/themes/[^/]+/$", ".md-content .grid.cards")
    theme_id = path_of(theme_url).split("/")[2]
    click_and_wait(
        page,
        page.locator(f'.md-content .grid.cards a[href="{raw}"]').first,
        theme_url,
        themes[theme_id].title,
    )
    screenshot(page, "theme")

    # Theme -> a paper.
    raw, paper_url = first_link(page, r"^/papers/[^/]+/$")
    slug = path_of(paper_url).split("/")[2]
    assert slug in papers, f"{theme_url} links to {paper_url}, which is no paper of the survey"
    click_and_wait(
        page,
        page.locator(f'.md-content article a[href="{raw}"]').first,
        paper_url,
        papers[slug].title,
    )
    screenshot(page, "paper")

    # Paper -> a related paper, from the first list under the "Related papers" heading.
    related = page.locator(
        "xpath=//article//h2[starts-with(normalize-space(.), 'Related papers')]"
        "/following-sibling::ol[1]//a[@href]"
    )
    assert related.count() > 0, f"{paper_url} has no links under a 'Related papers' heading"
    related_url = urljoin(paper_url, related.first.get_attribute("href"))
    related_slug = path_of(related_url).split("/")[2]
    assert related_slug in papers and related_slug != slug, related_url
    click_and_wait(page, related.first, related_url, papers[related_slug].title)

    # Back -> the previous paper again.
    page.go_back()
    page.wait_for_url(lambda u: path_of(u) == path_of(paper_url))
    wait_for_h1(page, papers[slug].title)
    assert_no_errors(page)


def _scheme(page) -> str | None:
    return page.evaluate("() => document.body.getAttribute('data-md-color-scheme')")


def test_palette_toggle_switches_and_persists(page, site_url, screenshot):
    page.goto(site_url)
    toggle = page.locator('label.md-header__button[for^="__palette_"]:not([hidden])')
    assert _scheme(page) == "default", "a light-mode browser should get the light scheme"
    assert toggle.count() == 1
    toggle.click()
    page.wait_for_function("() => document.body.getAttribute('data-md-color-scheme') === 'slate'")
    screenshot(page, "home-dark")
    page.reload()
    page.wait_for_load_state("domcontentloaded")
    assert _scheme(page) == "slate", "the dark scheme should survive a reload"
    page.locator('label.md-header__button[for^="__palette_"]:not([hidden])').click()
    page.wait_for_function("() => document.body.getAttribute('data-md-color-scheme') === 'default'")
    page.reload()
    assert _scheme(page) == "default", "switching back to light should survive a reload too"
    assert_no_errors(page)


@pytest.mark.parametrize("which", ["home", "theme", "paper"])
def test_phone_drawer_opens_and_nothing_scrolls_sideways(
    which, new_page, site_url, survey, theme_and_paper, screenshot
):
    theme_id, slug = theme_and_paper
    url = {
        "home": site_url,
        "theme": f"{site_url}themes/{theme_id}/",
        "paper": f"{site_url}papers/{slug}/",
    }[which]
    page = new_page(**PHONE)
    page.goto(url)
    page.wait_for_load_state("networkidle")
    assert h1(page), f"{url} has no h1"
    assert_no_sideways_scroll(page)

    hamburger = page.locator('label.md-header__button[for="__drawer"]')
    assert hamburger.is_visible(), f"no visible menu button for the drawer at {url}"
    hamburger.click()
    page.wait_for_function(
        """() => {
          if (!document.getElementById('__drawer').checked) return false;
          const r = document.querySelector('.md-sidebar--primary').getBoundingClientRect();
          return r.width > 0 && r.left >= -1 && r.right <= window.innerWidth + 1;
        }"""
    )
    page.wait_for_timeout(300)  # let the slide-in transition finish for the screenshot
    screenshot(page, f"phone-drawer-{which}")
    nav_links = page.locator(".md-sidebar--primary .md-nav__link")
    assert nav_links.count() > 0 and nav_links.first.is_visible()
    assert_no_errors(page)


@pytest.mark.parametrize("title", HARD_TITLES)
def test_hard_titles_read_literally(title, page, site_url, survey):
    paper = paper_by_title(survey, title)
    page.goto(f"{site_url}papers/{paper.slug}/")
    # exactly the generator's title: LaTeX remnants cleaned (ALR^2 reads ALR²), nothing read
    # as markup
    assert h1(page) == paper.title
    assert page.title() == f"{paper.title} - {site_name()}"
    assert page.evaluate("() => document.querySelector('think') === null"), (
        "a <think> element made it into the DOM: the title was not escaped"
    )
    assert_no_errors(page)
