"""Reader pages and maintainer pages kept apart: the reader's navigation, an About page
made from `site: about:`, provenance in readers' words, no empty Unsorted page, and the
edit button only where an edit makes sense."""

from __future__ import annotations

import html
import os
import re
import subprocess
import sys
from pathlib import Path

import bibtexparser
import pytest
from test_bad_inputs import make_project

from generator.cli import main

READER_NAV = ["Home", "Themes", "Papers", "About"]


def visible_text(page: str) -> str:
    body = page.split("<body", 1)[-1]
    body = re.sub(r"<(script|style)\b.*?</\1>", " ", body, flags=re.S)
    return html.unescape(re.sub(r"<[^>]+>", " ", body))


def test_the_navigation_is_the_readers(built_site: Path, survey) -> None:
    page = (built_site / "papers" / "index.html").read_text(encoding="utf-8")
    tabs = re.findall(r'class="md-tabs__link">\s*([^<]+?)\s*<', page)
    assert tabs == READER_NAV
    nav = page.split("md-nav--primary", 1)[1].split("md-nav--secondary", 1)[0]
    assert "All themes" in nav and "About this survey" in nav and "The survey as data" in nav
    for maintainer in ("Maintainers", "How the site is made", "Editing the survey", "Performance"):
        assert maintainer not in visible_text(nav), maintainer
    in_none = survey.assignment.unsorted or survey.assignment.outside
    assert ("In no theme" in visible_text(nav)) == bool(in_none)


def test_no_empty_unsorted_page_is_published(built_site: Path, survey) -> None:
    from generator.pages import navigation

    in_none = [*survey.assignment.unsorted, *survey.assignment.outside]
    assert (built_site / "unsorted").exists() == bool(in_none)
    for slug in in_none:  # the seed survey's papers no theme fits are listed there
        assert f"papers/{slug}/" in (built_site / "unsorted" / "index.html").read_text("utf-8")
    assert "In no theme" in navigation(survey.taxonomy, (), True)
    assert "In no theme" not in navigation(survey.taxonomy, (), False)


def test_paper_pages_name_their_listings_not_files(built_site: Path, survey) -> None:
    pages = sorted((built_site / "papers").glob("*/index.html"))
    assert len(pages) > 300
    for path in pages:
        text = visible_text(path.read_text(encoding="utf-8"))
        assert not re.search(r"dumps/|\.txt\b|\bline \d", text), path
    (daily,) = [
        p for p in survey.corpus.papers if p.title.startswith("Which Heads Matter for Reasoning?")
    ]
    page = (built_site / "papers" / daily.slug / "index.html").read_text("utf-8")
    assert "Hugging Face Daily Papers, 16 Apr 2026" in visible_text(page)


def test_the_about_page_says_what_a_reader_asks(built_site: Path, survey) -> None:
    text = visible_text((built_site / "about" / "index.html").read_text(encoding="utf-8"))
    for heading in (
        "What it covers",
        "How papers are chosen",
        "Who curates it",
        "Last updated",
        "Licence",
        "Cite this survey",
    ):
        assert heading in text, heading
    assert "22 November 2026" in text  # the newest listing's capture date
    assert "CC BY 4.0" in text
    page = (built_site / "about" / "index.html").read_text(encoding="utf-8")
    bib = html.unescape(re.search(r'<pre class="survey-bibtex"><code>(.*?)</code>', page, re.S)[1])
    (entry,) = bibtexparser.loads(bib).entries
    assert entry["title"] == "{Reasoning, Attention and Memory in Language Models}"
    assert entry["howpublished"] == "https://example.github.io/survey/"


def test_check_advises_when_the_about_page_would_say_nothing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    project = make_project(tmp_path / "p")
    assert main(["--root", str(project), "check", "--strict"]) == 0
    assert (
        "taxonomy.yaml: advice: site.about says nothing of the survey's scope, inclusion, "
        "curators, licence" in capsys.readouterr().err
    )


def test_the_edit_button_is_on_theme_pages_and_opens_the_themes_line(tmp_path: Path) -> None:
    project = make_project(tmp_path / "p")
    env = {
        **os.environ,
        "DISABLE_MKDOCS_2_WARNING": "true",
        "NO_MKDOCS_2_WARNING": "1",
        "SURVEY_SITE_URL": "https://someone.github.io/fork/",
        "SURVEY_REPO_URL": "https://github.com/someone/fork",
        "SURVEY_REPO_NAME": "someone/fork",
        "SURVEY_EDIT_URI": "edit/main/docs/",
    }
    site = tmp_path / "site"
    proc = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir", str(site)],
        cwd=project,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert proc.returncode == 0, proc.stderr[-3000:]
    theme = (site / "themes" / "reasoning" / "index.html").read_text(encoding="utf-8")
    (edit,) = re.findall(r'<a href="([^"]+)" title="([^"]+)"[^>]*rel="edit"', theme)
    line = next(
        n
        for n, ln in enumerate((project / "taxonomy.yaml").read_text().splitlines(), 1)
        if ln.strip() == "- id: reasoning"
    )
    assert edit == (
        f"https://github.com/someone/fork/blob/main/taxonomy.yaml#L{line}",
        f"Edit this theme in taxonomy.yaml (line {line})",
    )
    for page in (
        "index.html",
        "papers/index.html",
        "papers/memory-networks/index.html",
        "explore/index.html",
    ):
        assert 'rel="edit"' not in (site / page).read_text(encoding="utf-8"), page
    # the fork's own address and repository, from the environment
    assert 'href="https://github.com/someone/fork"' in theme
    assert "https://someone.github.io/fork/papers/memory-networks/" in (
        site / "papers.json"
    ).read_text("utf-8")


# --------------------------------------------------------------------------- what a reader sees


def meta(page_html: str, attribute: str, name: str) -> str | None:
    found = re.search(rf'<meta {attribute}="{re.escape(name)}" content="([^"]*)"', page_html)
    return html.unescape(found[1]) if found else None


def test_pages_introduce_themselves(built_site: Path, survey) -> None:
    """A description of its own on every theme and paper page, Open Graph tags, and the
    survey's own favicon."""
    seen: dict[str, str] = {}
    pages = [built_site / "themes" / t.id / "index.html" for t in survey.taxonomy.themes]
    pages += sorted((built_site / "papers").glob("*/index.html"))[:80]
    for path in pages:
        text = path.read_text(encoding="utf-8")
        description = meta(text, "name", "description")
        assert description and description == meta(text, "property", "og:description"), path
        assert description not in seen, (path, seen.get(description))
        seen[description] = str(path)
        assert meta(text, "property", "og:title") and meta(text, "property", "og:site_name")
    paper = next(p for p in pages if "/papers/" in str(p))
    assert meta(paper.read_text("utf-8"), "property", "og:type") == "article"
    home = (built_site / "index.html").read_text(encoding="utf-8")
    assert '<link rel="icon" href="assets/favicon.svg">' in home
    assert (built_site / "assets" / "favicon.svg").read_text("utf-8").startswith("<svg")


def test_a_top_level_theme_lists_every_paper_and_siblings_link_each_other(
    built_site: Path, survey
) -> None:
    tax, members = survey.taxonomy, survey.assignment.members
    root = tax.roots[0]
    page = (built_site / "themes" / root / "index.html").read_text(encoding="utf-8")
    listed = set(re.findall(r'href="\.\./\.\./papers/([^/"]+)/"', page.split('id="all-papers"')[1]))
    assert listed == set(members[root])
    second = (built_site / "themes" / tax.roots[1] / "index.html").read_text(encoding="utf-8")
    siblings = second.split('class="theme-siblings"')[1].split("</nav>")[0]
    assert f'href="../{tax.roots[0]}/"' in siblings and f'href="../{tax.roots[2]}/"' in siblings


def test_list_items_link_their_code_and_label_their_upvotes(built_site: Path, survey) -> None:
    paper = next(p for p in survey.corpus.papers if p.links and p.upvotes and p.upvotes > 1)
    theme = survey.assignment.themes_of[paper.slug][0]
    page = (built_site / "themes" / theme / "index.html").read_text(encoding="utf-8")
    # its item in the theme's list of papers (the summary may link the paper too)
    (item,) = [i for i in re.findall(r"<li>.*?</li>", page, re.S) if f"papers/{paper.slug}/" in i]
    assert f"{paper.upvotes} upvotes" in visible_text(item)
    assert re.search(r'<a class="code-badge" href="https?://', item), item


@pytest.mark.browser
def test_on_a_phone_a_themes_papers_come_before_its_prose(new_page, site_url, survey) -> None:
    leaf = next(t for t in survey.taxonomy.themes if not t.children)
    tops = {}
    for width in (375, 1280):
        page = new_page(width=width)
        page.goto(site_url + f"themes/{leaf.id}/")
        tops[width] = page.evaluate(
            "() => ['.theme-papers', '.theme-prose'].map("
            "s => document.querySelector(s).getBoundingClientRect().top)"
        )
    papers, prose = tops[375]
    assert papers < prose
    papers, prose = tops[1280]
    assert prose < papers


def test_a_gist_states_the_contribution_not_a_follow_up() -> None:
    from generator.pages import gist

    abstract = (
        "Large models reason poorly over long inputs. Finally, we show that our method "
        "transfers. We propose SinkFix, a training-free fix for attention sinks."
    )
    assert gist(abstract) == "We propose SinkFix, a training-free fix for attention sinks."
    assert gist("Models are big. We find that heads matter. Finally, we show more.") == (
        "We find that heads matter."
    )
    assert gist("No verbs of that kind here. Another one.") == "No verbs of that kind here."


@pytest.mark.browser
def test_the_404_page_works_deep_under_the_published_path_and_offers_a_way_on(
    browser, built_site: Path
) -> None:
    """Served as GitHub Pages serves it: the site under its path (/survey/, the address
    the seed site is built for) and 404.html for any missing address, however deep."""
    import functools
    import http.server
    import threading

    class Pages(http.server.SimpleHTTPRequestHandler):
        def log_message(self, format: str, *args: object) -> None:  # noqa: A002
            pass

        def do_GET(self) -> None:  # noqa: N802
            path = self.path.split("?")[0]
            local = built_site / path.removeprefix("/survey/")
            if path.startswith("/survey/") and (
                local.is_file() or (local / "index.html").is_file()
            ):
                self.path = "/" + path.removeprefix("/survey/")
                return super().do_GET()
            body = (built_site / "404.html").read_bytes()
            self.send_response(404)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

    server = http.server.ThreadingHTTPServer(
        ("127.0.0.1", 0), functools.partial(Pages, directory=str(built_site))
    )
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_address[1]}/survey/"
    context = browser.new_context()
    try:
        page = context.new_page()
        page.goto(base + "no/such/page/deep/")
        assert page.locator("h1").inner_text() == "This page is not in the survey"
        # the theme's styles loaded: the header is coloured, not an unstyled page
        colour = page.evaluate(
            "getComputedStyle(document.querySelector('.md-header')).backgroundColor"
        )
        assert colour not in ("rgba(0, 0, 0, 0)", "transparent")
        assert page.locator(".survey-search__open").count() == 1  # the search, in the header
        page.get_by_role("link", name="All themes").first.click()
        page.wait_for_url(base + "themes/")
        assert page.locator("h1").inner_text().startswith("All themes")
    finally:
        context.close()
        server.shutdown()
        server.server_close()


@pytest.mark.browser
def test_previous_and_next_themes_sit_apart(new_page, site_url, survey) -> None:
    middle = survey.taxonomy.roots[1]
    page = new_page(width=1280)
    page.goto(site_url + f"themes/{middle}/")
    gap = page.evaluate(
        "() => { const p = document.querySelector('.theme-previous').getBoundingClientRect();"
        " const n = document.querySelector('.theme-next').getBoundingClientRect();"
        " return n.left - p.right; }"
    )
    assert gap > 16  # not run together as one line of text
