"""The classifier behind `suggest` (generator/classify.py): it learns from the curation,
beats the centroid on dumps it has not seen, and names misplaced papers as doubts on the
maintainers' page."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
import yaml

from generator import urls
from generator.classify import theme_texts
from generator.cli import main, suggester_report
from generator.crossval import figures
from generator.load import load
from generator.site import analyse, build
from generator.suggest import MIN_SCORE

ROOT = Path(__file__).parent.parent
MISPLACED = 3


def _leaves(themes: list[dict], top: str | None = None) -> list[tuple[str, dict]]:
    """(top-level id, theme) of every leaf, in taxonomy order."""
    out = []
    for theme in themes:
        group = top or theme["id"]
        if theme.get("children"):
            out += _leaves(theme["children"], group)
        else:
            out.append((group, theme))
    return out


@pytest.fixture(scope="module")
def misplaced(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, str]]:
    """The seed survey with papers listed by hand, each in no other theme, moved to a leaf
    of another top-level theme (and excluded from their own): slug -> the theme it was
    moved out of."""
    themes_of = analyse(load(ROOT)).assignment.themes_of
    folder = tmp_path_factory.mktemp("doubts")
    shutil.copytree(ROOT / "dumps", folder / "dumps")
    data = yaml.safe_load((ROOT / "taxonomy.yaml").read_text(encoding="utf-8"))
    leaves = _leaves(data["themes"])
    moved: dict[str, str] = {}

    def alone(theme: dict) -> list[str]:
        return [s for s in theme.get("papers", []) if themes_of[s] == (theme["id"],)]

    donors = [(g, t) for g, t in leaves if alone(t)]
    for group, theme in donors[:: max(1, len(donors) // MISPLACED)][:MISPLACED]:
        slug = alone(theme)[0]
        theme["papers"].remove(slug)
        theme.setdefault("exclude", []).append(slug)
        target = next(t for g, t in reversed(leaves) if g != group)
        target.setdefault("papers", []).append(slug)
        moved[slug] = theme["id"]
    text = yaml.safe_dump(data, sort_keys=False, allow_unicode=True)
    for slug in moved:  # the summary of its old theme may link it
        text = text.replace(f"(/papers/{slug}/)", "(#)")
    (folder / "taxonomy.yaml").write_text(text, encoding="utf-8")
    return folder, moved


def test_doubts_name_the_misplaced_papers(misplaced: tuple[Path, dict[str, str]]) -> None:
    folder, moved = misplaced
    site = build(folder)
    for slug in moved:  # the fixture did place them elsewhere
        assert site.assignment.themes_of[slug]
        assert moved[slug] not in site.assignment.themes_of[slug]
    page = site.pages[urls.MAINTAINERS]
    doubts = page.split("## Doubts", 1)[1].split("\n## ", 1)[0]
    rows = [ln for ln in doubts.splitlines() if ln.startswith("| [")]
    named = {m.group(1): ln for ln in rows if (m := re.search(r"\(papers/([^)]+)\.md\)", ln))}
    assert set(moved) <= set(named), doubts
    # a doubt gives the paper's own theme and the better-fitting one, each with its score
    for slug in moved:
        cells = [c.strip().replace("&#46;", ".") for c in named[slug].strip("|").split("|")]
        assert len(cells) == 5 and float(cells[4]) > float(cells[2])
    # the doubts are the exception, not the rule
    assert len(rows) < len(site.corpus.papers) / 4


def test_classifier_ranks_the_curated_theme_in_its_top_three_on_held_out_dumps() -> None:
    """Each dump held out in turn, as when a new dump arrives: the same features and the
    same protocol for both, in one run. (On the curated seed survey the two rank about as
    well: the classifier 411 of 478 in its top three, the centroid 414, on 2026-12-04; the
    classifier is the one whose scores are probabilities, which `suggest --apply` thresholds.)"""
    site = analyse(load(ROOT))
    found = figures(
        site.corpus.papers, site.taxonomy, site.assignment, MIN_SCORE, ("each dump held out",)
    )
    ours, theirs = (
        found["each dump held out", "classifier"],
        found["each dump held out", "centroid"],
    )
    assert (
        ours.total
        == theirs.total
        == sum(
            len(set(t) & set(site.taxonomy.leaves())) for t in site.assignment.themes_of.values()
        )
    )
    # within 3% of the centroid, and the curated theme in its top three for 85% or more
    assert ours.top3 >= 0.97 * theirs.top3
    assert ours.top3 / ours.total >= 0.85
    # what `suggest --apply` writes is mostly right
    assert ours.right / ours.confident > 0.8


def test_the_report_says_both(capsys: pytest.CaptureFixture[str]) -> None:
    site = analyse(load(ROOT))
    lines = suggester_report(site, ("each dump held out",))
    pattern = r"each dump held out, (\w+): over (\d+) .* for (\d+) .* for (\d+) .*listed by hand"
    methods = [m.group(1) for ln in lines if (m := re.match(pattern, ln))]
    assert methods == ["centroid", "classifier"]
    assert re.search(
        rf"classifier scoring {MIN_SCORE:g} or more .*: right for \d+ of \d+", lines[-1]
    )


def test_check_stays_the_fast_gate(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--root", str(ROOT), "check"]) == 0
    out = capsys.readouterr().out
    assert "Coverage:" in out and "leave-one-out" not in out and "held out" not in out


def test_a_theme_learns_from_what_it_holds_not_from_what_it_sends_elsewhere() -> None:
    """The parts of a summary that link another theme say what the theme leaves to it: they
    do not train the theme's model, nor do the titles of the papers it links."""
    summary = (
        "This theme covers how models use a long context window; memory modules are in "
        "[Memory-augmented models](/themes/memory-architectures/). "
        "[Ring Attention](/papers/ring-attention/) spreads the window over devices. "
        "Retrieval from a corpus is in [Retrieval](/themes/retrieval-augmented/)."
    )
    texts = theme_texts(summary, "Long context")
    assert texts[0] == "Long context. Long context."
    assert texts[1] == "This theme covers how models use a long context window"
    assert texts[2] == "spreads the window over devices."
    assert len(texts) == 3
    assert not any("memory modules" in t or "Retrieval" in t or "Ring" in t for t in texts)
