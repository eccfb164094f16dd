"""Engine-neutral output: `python -m generator pages OUT` writes a complete docs tree that
MkDocs builds without the survey plugin and without gen-files into the same pages."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import PUBLISHED_AT, REPO_ROOT

from generator.cli import main

ARTICLE = re.compile(r"<article\b.*?</article>", re.DOTALL)
EDIT = re.compile(r'<a href="[^"]*" title="Edit this page".*?</a>', re.DOTALL)
GEN_FILES = "  - gen-files:\n      scripts:\n        - generator/gen_pages.py\n"


def plain_config(folder: Path) -> str:
    """The repository's mkdocs.yml without gen-files and the survey plugin."""
    text = (REPO_ROOT / "mkdocs.yml").read_text(encoding="utf-8")
    assert GEN_FILES in text and "\n  - survey:\n" in text
    text = text.replace(GEN_FILES, "")
    text = re.sub(
        r"\n  # The survey itself.*?\n  - survey:\n(?:      .*\n|      #.*\n)+", "\n", text
    )
    assert "survey:" not in text.split("not_in_nav")[0].split("plugins:")[1]
    return text.replace("custom_dir: overrides", f"custom_dir: {REPO_ROOT / 'overrides'}")


def articles(site: Path) -> dict[str, str]:
    """Each page's article (its content), without the edit button, which points to the
    taxonomy when the plugin built the page, and with runs of white space made one space:
    the plugin renders the templates with Jinja's trim_blocks (generator/plugin.py)."""
    return {
        str(p.relative_to(site)): " ".join(
            EDIT.sub("", "".join(ARTICLE.findall(p.read_text("utf-8")))).split()
        )
        for p in sorted(site.rglob("*.html"))
    }


def test_the_written_docs_tree_builds_into_the_same_pages(
    built_site: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SURVEY_SITE_URL", PUBLISHED_AT)  # the address built_site is built for
    assert main(["--root", str(REPO_ROOT), "pages", str(tmp_path / "docs")]) == 0
    (tmp_path / "mkdocs.yml").write_text(plain_config(tmp_path), encoding="utf-8")
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "DISABLE_MKDOCS_2_WARNING": "true"}
    proc = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--site-dir", str(tmp_path / "site")],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert proc.returncode == 0, proc.stderr[-4000:]
    plain, ours = articles(tmp_path / "site"), articles(built_site)
    # Without the plugin, the navigation file is published as a page of its own.
    assert set(plain) - set(ours) == {"SUMMARY/index.html"}
    assert set(ours) - set(plain) == set()
    # only the redirect pages of renamed themes and papers have no article
    empty = [p for p, text in ours.items() if not text]
    assert len(ours) > 390 and len(empty) < len(ours) / 10
    assert all('http-equiv="refresh"' in (built_site / p).read_text("utf-8") for p in empty)
    different = [path for path in ours if plain[path] != ours[path]]
    assert different == []
