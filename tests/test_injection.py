"""Nothing injected: titles and abstracts that contain HTML, Markdown, Jinja, javascript:
URLs, table pipes and non-ASCII text render as literal text in a real browser."""

from __future__ import annotations

import functools
import http.server
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from test_bad_inputs import add_dump, make_project, mkdocs_build

from generator.site import build

pytestmark = pytest.mark.browser

HOSTILE = [
    (
        "<script>window.__pwned = 1</script> Attention Is Not Enough",
        'We show <img src=x onerror="window.__pwned = 2"> that <b>bold</b> claims need '
        "evidence. See javascript:window.__pwned=3 and [a link](javascript:window.__pwned=4).",
    ),
    (
        "{{ config.site_name }} and {% if true %}Jinja{% endif %} in a Title",
        "Templates like {{ 7 * 7 }} and {# comments #} must stay text. Code: http://ok.example/repo.",
    ),
    (
        "**Markdown** _is_ `not` # rendered | here | at all",
        "| a | b |\n"[:-1] + " a table row, a ![picture](x.png) and <think>tags</think> stay text.",
    ),
    (
        "Right\u200fto\u200eleft \u6ce8\u610f\u529b\u673a\u5236 \U0001f9e0 Emoji & CJK",
        "Non-ASCII text \u2014 \u00e9\u00e8\u00ea, "
        "\u0627\u0644\u0627\u0646\u062a\u0628\u0627\u0647, "
        "\u6ce8\u610f\u529b \u2014 reads as written. Another sentence here.",
    ),
    ("A*-Thought: P(y|x) == B & A <think>", "Short abstract with <!-- a comment --> inside it."),
]


@pytest.fixture(scope="module")
def hostile_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Path]]:
    folder = tmp_path_factory.mktemp("hostile")
    project = make_project(folder / "project")
    text = "".join(f"{title}\n{abstract}\n" for title, abstract in HOSTILE)
    add_dump(project, "hostile.txt", text)
    site = folder / "site"
    result = mkdocs_build(project, site)
    assert result.returncode == 0, result.stderr
    handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(site))
    handler.log_message = lambda *a: None  # type: ignore[method-assign]
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/", project
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture
def open_page(browser, hostile_site):
    """A page that may only load the hostile site; page.errors collects console errors."""
    base = hostile_site[0]
    context = browser.new_context(viewport={"width": 1280, "height": 800})
    context.route(lambda url: not url.startswith(base), lambda route: route.abort())
    page = context.new_page()
    page.errors = []
    page.on("pageerror", lambda exc: page.errors.append(str(exc)))
    page.on(
        "console",
        lambda m: (
            m.type == "error"
            and m.text.startswith("Failed to load resource") is False
            and page.errors.append(m.text)
        ),
    )
    yield page
    context.close()


def test_hostile_text_reads_verbatim_and_runs_nothing(hostile_site, open_page) -> None:
    base, project = hostile_site
    papers = {p.title: p for p in build(project).corpus.papers}
    page = open_page
    for title, _ in HOSTILE:
        paper = papers[" ".join(title.split())]
        page.goto(f"{base}papers/{paper.slug}/")
        h1 = page.eval_on_selector("article h1", "e => e.firstChild.textContent")
        assert h1 == paper.title
        assert page.title().startswith(paper.title + " - ")
        article = page.inner_text("article")
        assert paper.abstract in " ".join(article.split("\n"))
        found = page.evaluate(
            """() => ({
                pwned: window.__pwned ?? null,
                think: document.querySelectorAll('think').length,
                onerror: document.querySelectorAll('[onerror]').length,
                js: [...document.querySelectorAll('a[href]')]
                      .filter(a => a.href.trim().toLowerCase().startsWith('javascript:')).length,
                bold: document.querySelectorAll('article b').length,
                pictures: document.querySelectorAll('article img').length,
                scripts: [...document.scripts]
                           .filter(s => s.textContent.includes('__pwned')).length,
                links: [...document.querySelectorAll('article a[href]')].map(a => a.href),
            })"""
        )
        assert (found["pwned"], found["think"], found["onerror"], found["js"]) == (None, 0, 0, 0)
        assert (found["pictures"], found["scripts"], found["bold"]) == (0, 0, 0)
        assert all(u.startswith(("http://", "https://")) for u in found["links"]), found["links"]
    assert page.errors == []


def test_pipes_stay_inside_their_table_cell(hostile_site, open_page) -> None:
    base, _ = hostile_site
    page = open_page
    page.goto(f"{base}papers/")
    widths = page.evaluate(
        "() => [...document.querySelectorAll('article table tbody tr')].map(r => r.cells.length)"
    )
    header = page.evaluate("() => document.querySelector('article table thead tr').cells.length")
    assert widths and set(widths) == {header}
    cells = page.evaluate(
        "() => [...document.querySelectorAll('article table tbody tr td:first-child')]"
        ".map(c => c.textContent)"
    )
    assert "**Markdown** _is_ `not` # rendered | here | at all" in cells
    # The cell's Markdown and pipes stay text: no element in it but the link to the paper.
    tags = page.evaluate(
        """() => [...document.querySelectorAll('article table tbody td')]
            .filter(c => c.textContent.includes('rendered | here'))
            .map(c => [...c.querySelectorAll('*')].map(e => e.tagName))"""
    )
    assert len(tags) == 1 and set(tags[0]) <= {"A"}, tags


def test_hostile_text_in_search_results_reads_verbatim_and_runs_nothing(
    hostile_site, open_page
) -> None:
    """The search dialog shows titles and excerpts from the index as text: a hostile title
    is found, reads as written, and nothing in it becomes an element or runs. (This site's
    index is one part; the seed site's is several, see conftest.built_site.)"""
    base, project = hostile_site
    papers = {p.title: p for p in build(project).corpus.papers}
    page = open_page
    page.goto(base)
    for title, _ in HOSTILE:
        paper = papers[" ".join(title.split())]
        target = f"/papers/{paper.slug}/"
        words = [w for w in paper.abstract.split() if w.isalpha() and len(w) > 4][:3]
        page.click("[data-survey-search-open]")
        page.fill("input.survey-search__input", " ".join(words))
        page.wait_for_function(
            """t => [...document.querySelectorAll('a.survey-search__result')]
                 .some(a => new URL(a.href).pathname === t)""",
            arg=target,
        )
        shown = page.evaluate(
            """t => {
                const a = [...document.querySelectorAll('a.survey-search__result')]
                  .find(a => new URL(a.href).pathname === t);
                return {
                  title: a.querySelector('.survey-search__title').textContent,
                  tags: [...new Set([...a.querySelectorAll('*')].map(e => e.localName))].sort(),
                  pwned: window.__pwned ?? null,
                };
            }""",
            target,
        )
        assert shown["title"] == paper.title
        assert set(shown["tags"]) <= {"span", "p", "mark"}, shown["tags"]
        assert shown["pwned"] is None
        page.keyboard.press("Escape")
    assert page.errors == []
