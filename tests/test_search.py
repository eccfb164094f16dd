"""The survey's search (Pagefind, generator/search.py + docs/js/search.js) as a reader uses
it, in Chromium: it opens from the header or the keyboard, finds papers by the words of
their titles and of their abstracts, shows awkward titles literally, moves through results
with the keys, works from any page and on a phone, and the open dialog passes axe."""

from __future__ import annotations

import re

import pytest
from test_browser import (
    HARD_TITLES,
    PHONE,
    assert_no_errors,
    assert_no_sideways_scroll,
    paper_by_title,
    path_of,
    wait_for_h1,
)

pytestmark = pytest.mark.browser

BOX = "input.survey-search__input"
RESULT = "a.survey-search__result"
RESULT_TITLES_JS = (
    "els => els.map(a => [new URL(a.href).pathname,"
    " a.querySelector('.survey-search__title').textContent])"
)


def search(page, query: str, timeout: float = 15_000) -> None:
    """Open the search with "/" and type `query` (opening selects the last query, so typing
    replaces it); wait until results are shown."""
    page.keyboard.press("/")
    page.wait_for_function(f"() => document.activeElement?.matches({BOX!r})")
    page.keyboard.type(query, delay=10)
    assert page.locator(BOX).input_value() == query
    page.wait_for_selector(RESULT, timeout=timeout)


def results(page) -> list[tuple[str, str]]:
    """(path, title as shown) of every result listed."""
    return [tuple(r) for r in page.eval_on_selector_all(RESULT, RESULT_TITLES_JS)]


def wait_for_result(page, path: str, within: int = 10) -> bool:
    """Whether `path` comes to be among the first `within` results (the list is replaced as
    the query's later words arrive)."""
    try:
        page.wait_for_function(
            """([sel, path, n]) => Array.from(document.querySelectorAll(sel)).slice(0, n)
                 .some(a => new URL(a.href).pathname === path)""",
            arg=[RESULT, path, within],
            timeout=10_000,
        )
        return True
    except Exception:  # noqa: BLE001 - the caller reports what the search showed instead
        return False


def words_of(text: str, n: int, skip: set[str] = frozenset()) -> list[str]:
    """The n longest distinct words of `text` (letters only), longest first."""
    found = {w for w in re.findall(r"[A-Za-z]{6,}", text) if w.lower() not in skip}
    return sorted(found, key=lambda w: (-len(w), w))[:n]


def test_search_finds_a_paper_by_title_words(page, site_url, survey, screenshot):
    paper = paper_by_title(survey, HARD_TITLES[3])
    query = " ".join(words_of(paper.title, 3))
    target = f"/papers/{paper.slug}/"
    page.goto(site_url)
    search(page, query)
    found = wait_for_result(page, target, within=5)
    screenshot(page, "search-results")
    assert found, f"{query!r} should list {target} among the first 5 results: {results(page)}"
    assert_no_errors(page)


def test_every_abstract_is_searchable_by_words_only_it_has(page, site_url, survey):
    """Words of the abstract that are not in the title find the paper: the index holds
    abstracts, not only titles. Checked on papers spread through the corpus."""
    papers = sorted(survey.corpus.papers, key=lambda p: p.slug)
    page.goto(site_url)
    missed = []
    for paper in papers[:: max(1, len(papers) // 6)]:
        title_words = {w.lower() for w in re.findall(r"[A-Za-z]+", paper.title)}
        query = " ".join(words_of(paper.abstract, 3, skip=title_words))
        assert query, f"the abstract of {paper.slug} has no long word outside its title"
        search(page, query)
        if not wait_for_result(page, f"/papers/{paper.slug}/"):
            missed.append(f"{query!r} -> {results(page)[:3]}, not {paper.slug}")
        page.keyboard.press("Escape")
    assert not missed, "abstract words did not find their paper:\n" + "\n".join(missed)
    assert_no_errors(page)


@pytest.mark.parametrize("title", HARD_TITLES)
def test_awkward_titles_read_literally_in_the_results(page, site_url, survey, title):
    paper = paper_by_title(survey, title)
    target = f"/papers/{paper.slug}/"
    page.goto(site_url)
    search(page, " ".join(words_of(paper.title, 4) or paper.title.split()[:4]))
    assert wait_for_result(page, target), f"{title!r} is not among the results: {results(page)}"
    shown = dict(results(page))
    assert shown[target] == paper.title  # the generator's title (ALR^2 reads ALR²)
    # Nothing from a title becomes an element: the results hold only the dialog's own.
    tags = page.eval_on_selector_all(
        f"{RESULT} *", "els => [...new Set(els.map(e => e.tagName.toLowerCase()))].sort()"
    )
    assert set(tags) <= {"span", "p", "mark"}, tags
    assert_no_errors(page)


def test_keys_open_move_through_and_follow_a_result(page, site_url, survey):
    paper = paper_by_title(survey, HARD_TITLES[0])
    page.goto(site_url)
    search(page, "Thoughtology think")
    assert wait_for_result(page, f"/papers/{paper.slug}/", within=1), results(page)
    page.keyboard.press("ArrowDown")
    focused = page.evaluate("() => document.activeElement.matches('a.survey-search__result')")
    assert focused, "ArrowDown from the box should focus the first result"
    page.keyboard.press("ArrowUp")
    assert page.evaluate(f"() => document.activeElement.matches({BOX!r})")
    page.keyboard.press("Enter")  # from the box: the first result
    page.wait_for_url(lambda u: path_of(u).endswith(f"/papers/{paper.slug}/"))
    wait_for_h1(page, paper.title)
    assert not page.locator("dialog.survey-search").evaluate("d => d.open")
    # Escape closes the dialog, and the header button opens it again.
    search(page, "memory")
    page.keyboard.press("Escape")
    assert not page.locator("dialog.survey-search").evaluate("d => d.open")
    page.click("[data-survey-search-open]")
    assert page.locator("dialog.survey-search").evaluate("d => d.open")
    assert_no_errors(page)


def test_results_link_to_the_right_pages_from_a_nested_page(page, site_url, survey):
    """From a paper page, reached by instant navigation, result links still resolve against
    the site's root, and a theme is found by its name."""
    paper = paper_by_title(survey, HARD_TITLES[1])
    theme = survey.taxonomy.themes[0]
    page.goto(site_url)
    page.goto(f"{site_url}papers/{paper.slug}/")
    wait_for_h1(page, paper.title)
    search(page, theme.title)
    assert wait_for_result(page, f"/themes/{theme.id}/", within=3), results(page)
    page.click(f'{RESULT}[href$="/themes/{theme.id}/"]')
    page.wait_for_url(lambda u: path_of(u).endswith(f"/themes/{theme.id}/"))
    wait_for_h1(page, theme.title)
    assert_no_errors(page)


def test_search_fits_a_phone(new_page, site_url, screenshot):
    page = new_page(**PHONE)
    page.goto(site_url)
    page.click("[data-survey-search-open]")
    page.keyboard.type("chain of thought")
    page.wait_for_selector(RESULT)
    box = page.locator("dialog.survey-search").bounding_box()
    assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"]
    assert_no_sideways_scroll(page)
    screenshot(page, "search-phone")
    assert_no_errors(page)


def test_open_search_has_no_serious_axe_violations(page, site_url, axe_script):
    page.goto(site_url)
    search(page, "attention")
    page.add_script_tag(path=str(axe_script))
    violations = page.evaluate(
        """async () => {
          const r = await axe.run(document.querySelector('dialog.survey-search'),
                                  {resultTypes: ['violations']});
          return r.violations.filter(v => ['serious', 'critical'].includes(v.impact))
                             .map(v => v.id + ': ' + v.nodes.length);
        }"""
    )
    assert not violations, violations
