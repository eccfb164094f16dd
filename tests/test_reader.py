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


def test_the_navigation_is_the_readers(built_site: Path) -> None:
    page = (built_site / "papers" / "index.html").read_text(encoding="utf-8")
    tabs = re.findall(r'class="md-tabs__link">\s*([^<]+?)\s*<', page)
    assert tabs == READER_NAV
    nav = page.split("md-nav--primary", 1)[1].split("md-nav--secondary", 1)[0]
    assert "All themes" in nav and "About this survey" in nav and "The survey as data" in nav
    for maintainer in ("Maintainers", "How the site is made", "Editing the survey", "Performance"):
        assert maintainer not in visible_text(nav), maintainer
    assert "Unsorted" not in visible_text(nav)  # the seed survey has none


def test_no_empty_unsorted_page_is_published(built_site: Path, survey) -> None:
    assert survey.assignment.unsorted == ()
    assert not (built_site / "unsorted").exists()


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
