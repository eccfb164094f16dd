"""Editorial advice (a theme holding no papers, or more than `advice: leaf_size`) is told by
`check` and the build's log, and fails no build, strict or not; warnings still do."""

from __future__ import annotations

from pathlib import Path

import pytest
from test_bad_inputs import make_project, mkdocs_build

from generator.cli import main

TAXONOMY = (
    "site:\n  title: T\nsources:\n  - file: a.txt\n    captured: 2025-10-29\n"
    "advice:\n  leaf_size: 1\n"
    "themes:\n"
    "  - id: all\n    title: All\n    summary: Everything.\n"
    "    title_keywords: [memory, reasoning, attention]\n"
    "  - id: nothing\n    title: Nothing\n    summary: Nothing yet.\n"
    "    title_keywords: [quantum chromodynamics]\n"
)


@pytest.fixture
def project(tmp_path: Path) -> Path:
    folder = make_project(tmp_path / "p")
    (folder / "taxonomy.yaml").write_text(TAXONOMY, encoding="utf-8")
    return folder


def test_check_strict_tells_advice_and_passes(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["--root", str(project), "check", "--strict"]) == 0
    err = capsys.readouterr().err
    assert 'taxonomy.yaml:13: advice: theme "nothing" holds no papers' in err
    assert (
        'taxonomy.yaml:9: advice: theme "all" holds 3 papers, more than 1 (`advice: leaf_size`'
        in err
    )


def test_the_strict_build_logs_advice_and_succeeds(project: Path, tmp_path: Path) -> None:
    proc = mkdocs_build(project, tmp_path / "site")
    assert proc.returncode == 0, proc.stderr[-3000:]
    assert 'INFO    -  taxonomy.yaml:13: advice: theme "nothing" holds no papers' in proc.stderr


def test_a_warning_still_fails_check_strict(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (project / "dumps" / "b.txt").write_text("Undated title\nAn abstract. It is long.\n", "utf-8")
    assert main(["--root", str(project), "check", "--strict"]) == 1
    err = capsys.readouterr().err
    assert "dumps/b.txt: warning: 1 papers have no date" in err
    assert "1 warning(s), and --strict is on" in err
