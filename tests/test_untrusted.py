"""Inputs from people the maintainer may not know (issue 19): what tests/cases/bad_inputs.yaml
cannot write as one file. Every case ends in a located message or a safe build, never a
traceback, a hang, a file outside the project or markup injected."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from test_bad_inputs import make_project, mkdocs_build

from generator.cli import main
from generator.site import build
from generator.text import extract_links
from generator.urls import checked


def check(project: Path, capsys: pytest.CaptureFixture[str], *flags: str) -> tuple[int, str]:
    status = main(["--root", str(project), "check", *flags])
    out, err = capsys.readouterr()
    assert "Traceback" not in out + err
    return status, err


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (lambda d: (d / "gone.txt").symlink_to(d / "nowhere.txt"), "a link to a file that does"),
        (lambda d: (d / "folder.txt").mkdir(), "not a file: a dump is a text file"),
        (
            lambda d: (d / "outside.txt").symlink_to("/etc/hostname"),
            "a link to a file outside the project",
        ),
        (
            lambda d: (d / "new\nline.txt").write_text("T\nAn abstract.\n", encoding="utf-8"),
            "the file name holds control characters",
        ),
    ],
    ids=["dangling link", "directory", "link out of the project", "newline in the name"],
)
def test_an_unreadable_dump_is_an_error_naming_it(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], make, message: str
) -> None:
    project = make_project(tmp_path / "p")
    make(project / "dumps")
    status, err = check(project, capsys)
    assert status == 1 and message in err, err
    assert "/etc/hostname" not in err.replace("outside.txt", "")  # nothing of the file echoed
    assert "\nline.txt" not in err  # the name is escaped, not split over two lines


def test_a_local_build_without_an_address_names_no_example_address(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """mkdocs.yml takes the address and the repository from the deploy's environment; a
    local build has neither, says so as advice, builds strictly, and no page or file of it
    names an `example` address, a repository or the GitHub API."""
    project = make_project(tmp_path / "p")
    env = {k: v for k, v in os.environ.items() if not k.startswith("SURVEY_")}
    status, err = check(project, capsys, "--strict")
    assert status == 0, err
    assert "mkdocs.yml: advice: no site_url: feeds, papers.json and the sitemap point at" in err
    proc = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir", str(tmp_path / "s")],
        cwd=project,
        env={**env, "NO_MKDOCS_2_WARNING": "1", "DISABLE_MKDOCS_2_WARNING": "true"},
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert proc.returncode == 0, proc.stderr[-3000:]
    for path in (tmp_path / "s").rglob("*"):
        if path.suffix in (".html", ".xml", ".json", ".csv", ".bib"):
            text = path.read_text(encoding="utf-8")
            assert not re.search(r"https?://[^\s\"'<>]*example|example/survey", text), path
            assert 'class="md-source"' not in text and "api.github.com" not in text, path


def test_markup_in_a_theme_title_stays_text_on_every_page(tmp_path: Path) -> None:
    project = make_project(tmp_path / "p")
    taxonomy = project / "taxonomy.yaml"
    hostile = "<img src=x onerror=alert(1)> [x](javascript:alert(2)) *y*"
    text = taxonomy.read_text(encoding="utf-8")
    text = text.replace("title: Reasoning", f'title: "Reasoning {hostile}"')
    text = text.replace(
        "Papers on reasoning,",
        "Papers <script>alert(3)</script> {: onclick=alert(5) } on reasoning,",
    )
    taxonomy.write_text(text, encoding="utf-8")
    result = mkdocs_build(project, tmp_path / "site")
    assert result.returncode == 0, result.stderr[-3000:]
    pages = [p.read_text(encoding="utf-8") for p in (tmp_path / "site").rglob("*.html")]
    assert len(pages) > 5
    for page in pages:
        assert "<img src=x" not in page and "<script>alert(3)" not in page
        assert 'href="javascript:' not in page
        assert not re.search(r"<[^>]*\sonclick=", page)  # an attribute, not text
    home = (tmp_path / "site" / "index.html").read_text(encoding="utf-8")
    assert "Reasoning &#60;img src&#61;x" in home  # shown as text, in the navigation too


def test_a_paper_titled_index_does_not_replace_the_all_papers_page(tmp_path: Path) -> None:
    project = make_project(tmp_path / "p")
    (project / "dumps" / "b.txt").write_text("Index\nA paper about indexes.\n", encoding="utf-8")
    site = build(project)
    (paper,) = [p for p in site.corpus.papers if p.title == "Index"]
    assert paper.slug.startswith("index-") and f"papers/{paper.slug}.md" in site.pages
    assert site.pages["papers/index.md"].splitlines()[4] == "# All papers"


def test_code_links_are_escaped_exactly_once() -> None:
    from generator.render import _env

    out = _env.from_string('<a href="{{ url | href }}">').render(url="https://g.com/h?q=1&r=2")
    assert out == '<a href="https://g.com/h?q=1&amp;r=2">'


def test_braces_in_a_url_are_kept_and_latex_around_it_is_not() -> None:
    text = (
        "see http://x.example/a{b}c and \\url{https://x.org/y}, "
        "https://github.com/a/System{GitHub Repository} (from the seed dumps), "
        "https://github.com/b/U{https://github.com/b/U} and \\href{https://c.org/d}{code}."
    )
    assert extract_links(text) == (
        "http://x.example/a{b}c",
        "https://x.org/y",
        "https://github.com/a/System",
        "https://github.com/b/U",
        "https://c.org/d",
    )


@pytest.mark.parametrize(
    "path", ["../x", "/tmp/x", "a/../b", "a//b", "a\\b", "", "papers/\x00/index.html"]
)
def test_no_file_is_written_outside_the_output(path: str) -> None:
    with pytest.raises(ValueError, match="refusing to write outside the output folder"):
        checked(path)
    assert checked("papers/a-b_c.1/index.html") == "papers/a-b_c.1/index.html"


def test_a_traversing_published_url_writes_nothing_outside(tmp_path: Path) -> None:
    project = make_project(tmp_path / "p")
    escape = tmp_path / "escape"
    relative = os.path.relpath(escape, project / "docs")
    (project / "published.json").write_text(
        '{"urls": [\n{"kind": "paper", "url": "' + relative + '/", "title": "X"}\n]}\n',
        encoding="utf-8",
    )
    result = mkdocs_build(project, tmp_path / "site")
    assert result.returncode != 0
    assert "published.json:2: error:" in result.stdout + result.stderr
    assert not escape.exists()
