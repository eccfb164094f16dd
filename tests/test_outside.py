"""`outside:` in taxonomy.yaml: papers of the listings that the curators keep out of every
theme, each with the reason the site shows, so that none is lost or forced into a theme."""

from __future__ import annotations

from pathlib import Path

import pytest
from test_bad_inputs import make_project

from generator import urls
from generator.cli import main
from generator.load import load
from generator.site import analyse, build

NSA = "native-sparse-attention-hardware-aligned-and-natively-trainable-sparse-attention"
WHY = "A kernel design <b>paper</b> | kept *outside* on purpose"


def keep_outside(project: Path, entry: str) -> None:
    taxonomy = project / "taxonomy.yaml"
    text = taxonomy.read_text("utf-8").replace("themes:\n", f"outside:\n{entry}themes:\n", 1)
    taxonomy.write_text(text, "utf-8")


def test_a_paper_kept_outside_is_in_no_theme_yet_on_the_site(tmp_path: Path) -> None:
    project = make_project(tmp_path / "p")
    before = analyse(load(project)).assignment
    assert before.themes_of[NSA] == ("attention-memory",)  # a rule claims it
    keep_outside(project, f'  - paper: {NSA}\n    why: "{WHY}"\n')
    site = build(project)
    a = site.assignment
    assert NSA not in a.themes_of and NSA not in a.unsorted
    assert dict(a.outside) == {NSA: WHY}
    assert NSA not in a.members["attention-memory"]
    assert all(slug != NSA for slug, _ in a.why)
    # every other paper keeps its place
    assert {s: t for s, t in a.themes_of.items()} == {
        s: t for s, t in before.themes_of.items() if s != NSA
    }
    # nothing is lost: the paper keeps its page, and the page of papers in no theme lists it
    # with the reason, escaped
    page = site.pages[f"papers/{NSA}.md"]
    assert "Outside the survey's themes: A kernel design &#60;b&#62;paper&#60;/b&#62;" in page
    listing = site.pages[urls.UNSORTED]
    assert f"(papers/{NSA}.md)" in listing and "Outside the survey's themes" in listing
    assert "<b>" not in listing and "Not yet sorted" not in listing
    assert "[In no theme](unsorted.md)" in site.pages[urls.NAVIGATION]


def test_check_reports_outside_and_names_the_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    project = make_project(tmp_path / "p")
    keep_outside(project, f"  - paper: {NSA}\n    why: A kernel design.\n")
    assert main(["--root", str(project), "check"]) == 0
    out = capsys.readouterr().out
    assert "outside the themes, by the curators (outside:, 1):" in out
    assert f"    {NSA}: A kernel design." in out
    assert "Coverage: 2 of 3 papers" in out


def test_an_unknown_paper_outside_is_an_error_with_its_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    project = make_project(tmp_path / "p")
    typo = NSA.replace("attention-hardware", "atention-hardware")
    keep_outside(project, f"  - paper: {typo}\n    why: A typo.\n")
    assert main(["--root", str(project), "check"]) == 1
    err = capsys.readouterr()
    text = err.out + err.err
    line = 1 + (project / "taxonomy.yaml").read_text("utf-8").splitlines().index(
        f"  - paper: {typo}"
    )
    assert f"taxonomy.yaml:{line}:" in text
    assert f'outside names unknown paper "{typo}"' in text
    assert f'"{NSA}"' in text  # the slug it most likely means


def test_a_paper_both_listed_and_outside_is_a_warning(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    project = make_project(tmp_path / "p")
    keep_outside(project, f"  - paper: {NSA}\n    why: A kernel design.\n")
    taxonomy = project / "taxonomy.yaml"
    text = taxonomy.read_text("utf-8").replace(
        '    title_keywords: ["reasoning"]\n',
        f'    title_keywords: ["reasoning"]\n    papers: [{NSA}]\n',
    )
    taxonomy.write_text(text, "utf-8")
    assert main(["--root", str(project), "check", "--strict"]) == 1
    out = capsys.readouterr()
    assert f'"{NSA}" is outside every theme, yet theme "reasoning" lists it' in out.out + out.err
    assert NSA not in analyse(load(project)).assignment.themes_of  # outside wins


def test_merging_a_paper_kept_outside_keeps_the_decision(tmp_path: Path) -> None:
    project = make_project(tmp_path / "p")
    keep_outside(project, f"  - paper: {NSA}\n    why: A kernel design.\n")
    assert main(["--root", str(project), "merge", "memory-networks", NSA]) == 0
    taxonomy = (project / "taxonomy.yaml").read_text("utf-8")
    assert "  - paper: memory-networks\n    why: A kernel design.\n" in taxonomy
    assert dict(analyse(load(project)).assignment.outside) == {
        "memory-networks": "A kernel design."
    }
