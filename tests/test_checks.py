"""check's "did you mean": published and older papers first, renames that published.json
records followed, and the title shown beside each slug (generator/checks.py)."""

from __future__ import annotations

from pathlib import Path

import pytest
from test_bad_inputs import make_project

from generator.checks import closest, paper_rank
from generator.cli import main
from generator.ingest import merge
from generator.model import RawRecord, Source


def test_a_published_paper_is_suggested_before_a_newcomers_near_copy() -> None:
    old = RawRecord("Memory networks for QA", "An abstract.", Source("dumps/a.txt", 9))
    new = RawRecord("Memory networks for a QA", "Another one.", Source("dumps/b.txt", 1))
    corpus, _ = merge([old, new])
    slugs = [p.slug for p in corpus.papers]
    assert closest("memory-networks-for", slugs, 2) == [
        "memory-networks-for-a-qa",  # alphabetical: the newcomer first
        "memory-networks-for-qa",
    ]
    rank = paper_rank(corpus, published=["memory-networks-for-qa"])
    assert closest("memory-networks-for", slugs, 2, rank)[0] == "memory-networks-for-qa"
    # unpublished both: the older listing (its first dump line) first
    assert closest("memory-networks-for", slugs, 1, paper_rank(corpus, [])) == [
        "memory-networks-for-qa"
    ]


def test_a_link_to_a_renamed_theme_names_the_new_id(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    project = make_project(tmp_path / "p")
    assert main(["--root", str(project), "urls", "--update"]) == 0
    taxonomy = (project / "taxonomy.yaml").read_text(encoding="utf-8")
    renamed = taxonomy.replace("id: reasoning", "id: reasoning-methods").replace(
        "Papers on attention and memory.",
        "Papers on attention and memory; see [r](/themes/reasoning/).",
    )
    (project / "taxonomy.yaml").write_text(renamed, encoding="utf-8")
    capsys.readouterr()
    assert main(["--root", str(project), "check"]) == 1
    err = capsys.readouterr().err
    assert (
        'links to unknown theme "reasoning"; it became "reasoning-methods" (Reasoning), as '
        "published.json records: write that"
    ) in err
