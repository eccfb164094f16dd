"""`python -m generator suggest`: every unsorted paper gets a place to go, as YAML a
maintainer can paste, and taxonomy.yaml is never touched."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
import yaml

from generator.cli import main
from generator.site import build

ROOT = Path(__file__).parent.parent
DROPPED = {"multimodal", "latent-reasoning", "ssm-recurrent"}


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The seed survey with three themes removed, so that their papers are unsorted."""
    folder = tmp_path_factory.mktemp("suggest")
    shutil.copytree(ROOT / "dumps", folder / "dumps")
    data = yaml.safe_load((ROOT / "taxonomy.yaml").read_text(encoding="utf-8"))

    def keep(themes: list[dict]) -> list[dict]:
        out = []
        for theme in themes:
            if theme["id"] in DROPPED:
                continue
            if "children" in theme:
                theme["children"] = keep(theme["children"])
                if not theme["children"]:
                    del theme["children"]
            out.append(theme)
        return out

    data["themes"] = keep(data["themes"])
    text = yaml.safe_dump(data, sort_keys=False, allow_unicode=True)
    text = re.sub(r"\]\(/themes/[^)]*\)", "](#)", text)  # links to the dropped themes
    (folder / "taxonomy.yaml").write_text(text, encoding="utf-8")
    return folder


def test_every_unsorted_paper_gets_a_suggestion(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    before = (project / "taxonomy.yaml").read_bytes()
    site = build(project)
    assert len(site.assignment.unsorted) >= 20
    assert main(["--root", str(project), "suggest"]) == 0
    out = capsys.readouterr().out
    assert (project / "taxonomy.yaml").read_bytes() == before
    snippet = yaml.safe_load(out)
    leaves = {t.id for t in site.taxonomy.themes if not t.children}
    placed = [s for theme, slugs in snippet.items() if theme in leaves for s in slugs]
    proposed = [s for theme in snippet.get("new_themes", []) for s in theme["papers"]]
    assert sorted(placed + proposed) == sorted(site.assignment.unsorted)
    for theme in snippet.get("new_themes", []):
        assert theme["id"].startswith("new-") and theme["title"] and theme["papers"]
    # every placed line says why: a score and the terms behind it
    placed_lines = [ln for ln in out.split("new_themes:")[0].splitlines() if ln.startswith("  - ")]
    assert len(placed_lines) == len(placed)
    assert all(re.search(r"# score \d\.\d\d; \w", line) for line in placed_lines)


def test_leave_one_out_figures_are_reported(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--root", str(ROOT), "suggest", "--evaluate"]) == 0
    out = capsys.readouterr().out
    found = {
        m.group(1): tuple(map(int, m.groups()[1:]))
        for m in re.finditer(
            r"leave-one-out, (\w+): over (\d+) .* top suggestion for (\d+) .* top three for (\d+)",
            out,
        )
    }
    assert set(found) == {"centroid", "classifier"}, out
    site = build(ROOT)
    leaves = set(site.taxonomy.leaves())
    # every (paper, leaf theme) the site shows, listed or claimed by a rule
    pairs = sum(len(leaves & set(t)) for t in site.assignment.themes_of.values())
    for total, top1, top3 in found.values():
        assert total == pairs > 0
        # far better than chance: 1 in len(leaves) first, 3 in len(leaves) in the top three
        assert top1 / total > 5 / len(leaves) and top3 / total > 2 * 3 / len(leaves)
        assert top1 <= top3 <= total
