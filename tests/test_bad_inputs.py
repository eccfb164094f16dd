"""Bad and hostile inputs (cases/bad_inputs.yaml): each gives its exact message with file
and line, and a non-zero exit from both `python -m generator check` and the MkDocs build."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import pytest
import yaml

from generator.cli import main
from generator.copies import link_site_config

ROOT = Path(__file__).parent.parent
CASES_DIR = Path(__file__).parent / "cases"
CASES: list[dict[str, Any]] = yaml.safe_load((CASES_DIR / "bad_inputs.yaml").read_text("utf-8"))
ENV = {
    **os.environ,
    "NO_MKDOCS_2_WARNING": "1",
    "DISABLE_MKDOCS_2_WARNING": "true",
    "SURVEY_SITE_URL": "https://example.github.io/survey/",  # as the deploy sets it
}


def make_project(folder: Path, case: dict[str, Any] | None = None) -> Path:
    """The tiny valid project, with the site's configuration, and the case's file written."""
    shutil.copytree(CASES_DIR / "project", folder)
    shutil.copytree(ROOT / "docs", folder / "docs")
    link_site_config(ROOT, folder)
    if case:
        target = folder / case["file"]
        data = bytes.fromhex(case["hex"]) if "hex" in case else case["text"].encode()
        if "long_line" in case:
            data += b"x" * case["long_line"] + b"\n"
        target.write_bytes(data)
        for name, text in case.get("also", {}).items():
            (folder / name).write_text(text, encoding="utf-8")
    return folder


def add_dump(project: Path, name: str, text: str, captured: str = "2025-11-01") -> None:
    """Write a dump into the project and give it a capture date under `sources:`, as a
    maintainer does for a listing whose page shows no date."""
    (project / "dumps" / name).write_text(text, encoding="utf-8")
    taxonomy = project / "taxonomy.yaml"
    entry = f"sources:\n  - file: {name}\n    captured: {captured}\n"
    taxonomy.write_text(taxonomy.read_text("utf-8").replace("sources:\n", entry, 1), "utf-8")


def mkdocs_build(project: Path, site: Path, **env: str) -> subprocess.CompletedProcess[str]:
    """`mkdocs build --strict` of `project` into `site`, with extra environment variables."""
    return subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir", str(site)],
        cwd=project,
        env={**ENV, **env},
        capture_output=True,
        text=True,
        timeout=300,
    )


def test_there_are_enough_cases() -> None:
    assert len([c for c in CASES if not c.get("ok")]) >= 25


@pytest.mark.parametrize("case", CASES, ids=[c["name"] for c in CASES])
def test_check_reports_the_exact_message(
    case: dict[str, Any], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    project = make_project(tmp_path / "p", case)
    strict = any(": warning: " in m for m in case.get("messages", []))
    status = main(["--root", str(project), "check", *(["--strict"] if strict else [])])
    out, err = capsys.readouterr()
    if case.get("ok"):
        assert status == 0, err
        assert f"{case['file']}: {case['records']} records" in out
        return
    assert status == 1
    lines = err.splitlines()
    for message in case["messages"]:
        assert any(line.startswith(message) for line in lines), (message, lines)


def test_mkdocs_build_fails_with_the_same_messages(tmp_path: Path) -> None:
    bad = [c for c in CASES if not c.get("ok")]

    def run(
        n_case: tuple[int, dict[str, Any]],
    ) -> tuple[dict[str, Any], subprocess.CompletedProcess[str]]:
        n, case = n_case
        project = make_project(tmp_path / f"p{n}", case)
        return case, mkdocs_build(project, tmp_path / f"site{n}")

    with ThreadPoolExecutor(max_workers=2) as pool:
        results = list(pool.map(run, enumerate(bad)))
    failures = []
    for case, result in results:
        output = result.stdout + result.stderr
        if result.returncode == 0:
            failures.append(f"{case['name']}: the build succeeded")
        for message in case["messages"]:
            if message not in output:
                failures.append(f"{case['name']}: missing {message!r} in\n{output[-1500:]}")
    assert not failures, "\n\n".join(failures)


def test_a_failed_make_site_leaves_the_previous_site_untouched(tmp_path: Path) -> None:
    project = make_project(tmp_path / "p")
    for name in ("Makefile", "pyproject.toml", "requirements.lock"):
        shutil.copy2(ROOT / name, project)  # copy2 keeps mtimes: make sees the venv as current
    venv = Path(sys.executable).parent.parent
    # -o: use the test's own virtual environment as it is, never reinstall it from the copy
    make = ["make", "-C", str(project), "site", f"VENV={venv}", "-o", f"{venv}/.installed"]
    first = subprocess.run(make, env=ENV, capture_output=True, text=True, timeout=300)
    assert first.returncode == 0, first.stdout + first.stderr
    before = {p: p.read_bytes() for p in sorted((project / "site").rglob("*")) if p.is_file()}
    assert (project / "site" / "papers" / "memory-networks" / "index.html") in before

    (project / "taxonomy.yaml").write_text("site:\n  title: T\nthemes: [\n", encoding="utf-8")
    second = subprocess.run(make, env=ENV, capture_output=True, text=True, timeout=300)
    assert second.returncode != 0
    assert "taxonomy.yaml:3:9: error: YAML syntax error" in second.stdout + second.stderr
    after = {p: p.read_bytes() for p in sorted((project / "site").rglob("*")) if p.is_file()}
    assert after == before
