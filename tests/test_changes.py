"""`python -m generator changes`: what changed since the last publish, from published.json."""

from __future__ import annotations

from pathlib import Path

import pytest
from test_bad_inputs import make_project

from generator.cli import main


def test_changes_lists_new_moved_and_gone_pages_and_theme_growth(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    project = make_project(tmp_path / "p")
    assert main(["--root", str(project), "urls", "--update"]) == 0
    capsys.readouterr()
    assert main(["--root", str(project), "changes"]) == 0
    assert "0 new papers, 0 new themes" in capsys.readouterr().out
    # a new dump, a theme renamed (same title), a paper dropped from its dump
    (project / "dumps" / "b.txt").write_text(
        "Reasoning about memory\nAn abstract about memory. It has two sentences.\n", "utf-8"
    )
    taxonomy = (project / "taxonomy.yaml").read_text(encoding="utf-8")
    taxonomy = taxonomy.replace("id: attention-memory", "id: attention-and-memory")
    (project / "taxonomy.yaml").write_text(
        taxonomy.replace("sources:\n", "sources:\n  - file: b.txt\n    captured: 2025-11-01\n"),
        "utf-8",
    )
    dump = (project / "dumps" / "a.txt").read_text(encoding="utf-8")
    (project / "dumps" / "a.txt").write_text(dump.split("\nMemory Networks\n")[0] + "\n", "utf-8")
    assert main(["--root", str(project), "changes"]) == 0
    out = capsys.readouterr().out
    assert "1 new papers, 1 new themes" in out
    assert "new theme themes/attention-and-memory/ (Attention and memory)" in out
    assert "Reasoning: +1 papers" in out and "Attention and memory: +1 papers" in out
    assert "themes/attention-memory/ -> themes/attention-and-memory/" in out
    assert "1 published pages lead nowhere" in out and "papers/memory-networks/" in out
    # once recorded, the redirect is no longer news
    assert main(["--root", str(project), "urls", "--update"]) == 0
    capsys.readouterr()
    assert main(["--root", str(project), "changes"]) == 0
    out = capsys.readouterr().out
    assert "0 published pages now redirect" in out and "0 new papers, 0 new themes" in out
