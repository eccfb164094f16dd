"""The Explore page as a reader uses it, in Chromium: the word filter reads the abstracts
(from a file loaded when it is first used, so the page stays small), each facet counts what
the other filters leave, organisations are merged, the list fits a 375 px phone, and every
control holds WCAG AA contrast in both schemes."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from test_explore import assert_no_blocking_violations, open_explore, rows, status
from visual import install

from generator import export

pytestmark = pytest.mark.browser

SCHEMES = ["light", "dark"]
PHONE = 375
TEXT_AA = 4.5
NON_TEXT_AA = 3.0


@pytest.fixture(scope="module")
def records(built_site: Path) -> list[dict]:
    return json.loads((built_site / "papers.json").read_text(encoding="utf-8"))


def shown_counts(page, select: str) -> dict[str, int]:
    """Each option of a facet's <select> (but "any") with the count it shows."""
    options = page.eval_on_selector_all(
        f"#explore-{select} option",
        "os => os.filter(o => o.value).map(o => [o.value, o.textContent])",
    )
    return {value: int(text.rsplit("(", 1)[1].rstrip(")")) for value, text in options}


def test_the_word_filter_reads_abstracts(page, site_url, records, built_site) -> None:
    """ "GRPO" is in no title, organisation or theme title, but in abstracts."""
    word = "grpo"
    assert not any(word in r["title"].lower() for r in records)
    expected = sorted(r["title"] for r in records if word in (r["abstract"] or "").lower())
    assert len(expected) >= 3
    requested: list[str] = []
    page.on("request", lambda request: requested.append(request.url))
    open_explore(page, site_url + "explore/")
    # The abstracts' words are not part of the page, and not fetched until asked for.
    assert not any(export.WORDS_FILE in url for url in requested)
    page_size = (built_site / "explore" / "index.html").stat().st_size
    abstracts = sum(len((r["abstract"] or "").encode()) for r in records)
    assert page_size < abstracts / 2, (page_size, abstracts)
    page.fill("#explore-q", "GRPO")
    page.wait_for_function(
        "n => document.querySelectorAll('#explore-table tbody tr').length === n",
        arg=len(expected),
    )
    assert sorted(r["title"] for r in rows(page)) == expected
    assert any(export.WORDS_FILE in url for url in requested)
    # Every word must match: a second word from only one of those abstracts narrows.
    page.fill("#explore-q", "GRPO zzzznotaword")
    page.wait_for_function("document.querySelectorAll('#explore-table tbody tr').length === 0")
    assert not page.errors, page.errors


def test_a_shared_view_with_words_finds_the_abstracts(page, site_url, records) -> None:
    expected = sum(1 for r in records if "grpo" in (r["abstract"] or "").lower())
    open_explore(page, site_url + "explore/?q=grpo")
    page.wait_for_function(
        "n => document.querySelectorAll('#explore-table tbody tr').length === n", arg=expected
    )
    assert status(page).startswith(f"{expected} of {len(records)} papers match")


def test_facet_counts_follow_the_selection(page, site_url, records, survey) -> None:
    names = export.organisations(survey.corpus, survey.taxonomy)
    within = {
        slug: {a for t in themes for a in (t, *survey.taxonomy.ancestors(t))}
        for slug, themes in survey.assignment.themes_of.items()
    }

    def year(r: dict) -> str:
        return r["published"][:4] if r["published"] else "none"

    open_explore(page, site_url + "explore/")
    theme = "rl-for-reasoning"
    page.select_option("#explore-theme", theme)
    in_theme = [r for r in records if theme in within.get(r["slug"], ())]
    years = shown_counts(page, "year")
    for value, n in years.items():
        assert n == sum(1 for r in in_theme if year(r) == value), value
    assert sum(years.values()) == len(in_theme)
    orgs = shown_counts(page, "org")
    for value, n in orgs.items():
        assert n == sum(1 for r in in_theme if names.get(r["organization"] or "") == value)
    # An option with nothing left is not offered; the theme's own counts ignore the theme.
    assert page.locator('#explore-year option[value="2017"]').is_disabled()
    assert shown_counts(page, "theme")[theme] == len(in_theme)

    page.select_option("#explore-year", "2025")
    page.check("#explore-code")
    kept = [r for r in records if year(r) == "2025" and r["links"]]
    themes = shown_counts(page, "theme")
    for value, n in themes.items():
        if value == "unsorted":
            assert n == sum(1 for r in kept if not r["themes"])
        else:
            assert n == sum(1 for r in kept if value in within.get(r["slug"], ())), value
    assert status(page).startswith(
        f"{sum(1 for r in kept if theme in within.get(r['slug'], ()))} of {len(records)}"
    )
    assert not page.errors, page.errors


def test_organisations_are_merged(page, site_url, records) -> None:
    spellings = {"alibaba-inc", "Alibaba-NLP"}
    assert spellings <= {r["organization"] for r in records}
    open_explore(page, site_url + "explore/")
    orgs = shown_counts(page, "org")
    assert orgs["Alibaba"] == 2 and not spellings & set(orgs), orgs
    page.select_option("#explore-org", "Alibaba")
    shown = rows(page)
    assert len(shown) == 2
    assert page.eval_on_selector_all(
        "#explore-table tbody tr", "trs => trs.map(tr => tr.cells[2].textContent)"
    ) == ["Alibaba", "Alibaba"]
    # The dumps' own spelling still finds its paper.
    page.select_option("#explore-org", "")
    page.fill("#explore-q", "alibaba-inc")
    page.wait_for_function("document.querySelectorAll('#explore-table tbody tr').length === 1")


def test_the_list_fits_a_phone(new_page, site_url) -> None:
    page = new_page(width=PHONE, height=740)
    open_explore(page, site_url + "explore/")
    page.locator("#explore-table").scroll_into_view_if_needed()
    fit = page.evaluate(
        """() => {
          const box = document.querySelector('.survey-explore__scroll');
          const cells = Array.from(document.querySelectorAll(
            '#explore-table tbody tr:nth-child(-n+20) td, #explore-table th[data-sort] button'));
          const seen = cells.filter(c => c.textContent.trim()).map(c => {
            const r = c.getBoundingClientRect();
            return {text: c.textContent.slice(0, 30), left: r.left, right: r.right,
                    width: r.width};
          });
          return {overflow: box.scrollWidth - box.clientWidth,
                  page: document.documentElement.scrollWidth - innerWidth, seen};
        }"""
    )
    assert fit["overflow"] <= 0 and fit["page"] <= 0, fit
    outside = [c for c in fit["seen"] if c["left"] < 0 or c["right"] > PHONE or c["width"] < 1]
    assert not outside, outside
    # Each card names its facts, and its date and organisation are on screen.
    labels = page.eval_on_selector_all(
        "#explore-table tbody tr:first-child td[data-label]",
        "tds => tds.filter(td => td.textContent).map(td => "
        "getComputedStyle(td, '::before').content)",
    )
    assert '"Date: "' in labels, labels


# Everything on the Explore page a reader reads or operates, with what its contrast is
# measured against: its text, and the outline of a field or button.
CONTROLS = """() => {
  const v = window.__v;
  const out = [];
  const text = (el, what) => {
    const s = getComputedStyle(el);
    out.push({what, kind: 'text', ratio: v.contrast(v.parse(s.color), v.background(el))});
  };
  const root = document.getElementById('explore');
  root.querySelectorAll('label, legend, input, select, .md-button, th button, caption')
    .forEach(el => text(el, (el.id ? el.id + ' ' : '') + el.textContent.trim().slice(0, 30)));
  text(document.getElementById('explore-status'), 'status');
  root.querySelectorAll('input:not([type=checkbox]), select, .md-button').forEach(el => {
    const s = getComputedStyle(el);
    out.push({what: (el.id ? el.id + ' ' : '') + el.textContent.trim(), kind: 'outline',
              ratio: v.contrast(v.parse(s.borderTopColor), v.background(el.parentElement))});
  });
  root.querySelectorAll('th button').forEach(el => {
    const s = getComputedStyle(el, '::after');
    out.push({what: el.textContent + ' arrow', kind: 'text',
              ratio: v.contrast(v.parse(s.color), v.background(el))});
  });
  return out;
}"""


@pytest.mark.parametrize("scheme", SCHEMES)
def test_every_control_holds_aa_contrast(new_page, site_url, scheme, axe_script) -> None:
    page = new_page(color_scheme=scheme)
    open_explore(page, site_url + "explore/")
    page.evaluate("document.getElementById('explore-more').hidden = false")
    install(page)
    measured = page.evaluate(CONTROLS)
    assert any("Clear filters" in m["what"] for m in measured)
    low = [
        (m["what"], m["kind"], round(m["ratio"], 2))
        for m in measured
        if m["ratio"] < (TEXT_AA if m["kind"] == "text" else NON_TEXT_AA)
    ]
    assert not low, f"below AA in the {scheme} scheme: {low}"
    page.evaluate("document.getElementById('explore-more').hidden = true")
    page.add_script_tag(path=str(axe_script))
    assert_no_blocking_violations(page)
