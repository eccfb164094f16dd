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


def test_the_advice_for_a_dump_without_years_works_when_pasted_as_it_is(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    dump = "Daily Papers\n\nOct 29\n\nA title\n\nAn abstract.\n\n  • 3 authors\n·\nMay 2\n"
    (project / "dumps" / "004_one.txt").write_text(dump, encoding="utf-8")
    assert main(["--root", str(project), "check"]) == 1
    err = capsys.readouterr().err
    after = err[err.index("sources:\n") :].splitlines()
    paste = "\n".join([after[0], *[ln for ln in after[1:3] if ln.startswith("  ")]])
    assert paste == "sources:\n  - file: 004_one.txt\n    captured: YYYY-10-29"
    entry = paste.removeprefix("sources:\n").replace("YYYY", "2025")
    taxonomy = (project / "taxonomy.yaml").read_text(encoding="utf-8")
    taxonomy = taxonomy.replace("sources:\n", "sources:\n" + entry + "\n", 1)
    (project / "taxonomy.yaml").write_text(taxonomy, encoding="utf-8")
    assert main(["--root", str(project), "check"]) == 0, capsys.readouterr().err
    assert "dumps/004_one.txt: 1 records, daily layout" in capsys.readouterr().out


def test_a_source_given_as_a_path_says_to_write_the_name(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    taxonomy = (project / "taxonomy.yaml").read_text(encoding="utf-8")
    (project / "taxonomy.yaml").write_text(taxonomy.replace("file: a.txt", "file: dumps/a.txt"))
    assert main(["--root", str(project), "check"]) == 1
    assert (
        'taxonomy.yaml:4:11: error: file is the dump\'s name, without a folder: "a.txt"'
        in capsys.readouterr().err
    )


def test_pages_not_recorded_in_published_json_are_listed_with_the_command(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["--root", str(project), "check", "--strict"]) == 0
    err = capsys.readouterr().err
    assert "published.json: advice: 5 pages are not recorded yet (papers/memory-networks/, " in err
    assert "record them with `python -m generator urls --update`" in err
    assert main(["--root", str(project), "urls", "--update"]) == 0
    capsys.readouterr()
    assert main(["--root", str(project), "check"]) == 0
    assert "not recorded yet" not in capsys.readouterr().err
