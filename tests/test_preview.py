"""The live preview (`python -m generator serve`, run by `make serve`): a saved edit reaches
the open page, and an invalid edit prints its error while the last good site stays up. The
time it takes is measured by bench/preview.py, not asserted here."""

from __future__ import annotations

import re
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import IO

import pytest
import yaml

from generator.copies import link_site_config

pytestmark = pytest.mark.browser

ROOT = Path(__file__).parent.parent
CASES = Path(__file__).parent / "cases"


def _themes(tree: list[dict[str, object]]) -> Iterator[dict[str, object]]:
    for theme in tree:
        yield theme
        yield from _themes(theme.get("children") or [])  # type: ignore[arg-type]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def test_edits_reach_the_page_and_a_broken_edit_keeps_the_last_good_site() -> None:
    result = subprocess.run(
        [
            sys.executable,
            str(ROOT / "bench" / "preview.py"),
            "--edits",
            "1",
            "--port",
            str(free_port()),
        ],
        capture_output=True,
        text=True,
        timeout=600,
        cwd=ROOT,
    )
    assert result.returncode == 0, result.stdout + result.stderr[-3000:]
    assert "save -> refreshed page, 1 edits:" in result.stdout
    assert (
        "error printed: True; last good page still served: True; "
        "error shown in the open page: True; gone once fixed: True"
    ) in result.stdout


def test_a_taken_port_is_replaced_by_a_free_one_and_announced() -> None:
    """`make serve` asks for port 8000; when something holds it, the preview serves on a
    free port and says which, instead of failing or hanging."""
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = subprocess.run(
            [
                sys.executable,
                str(ROOT / "bench" / "preview.py"),
                "--edits",
                "1",
                "--port",
                str(port),
            ],
            capture_output=True,
            text=True,
            timeout=600,
            cwd=ROOT,
        )
    assert result.returncode == 0, result.stdout + result.stderr[-3000:]
    assert "save -> refreshed page, 1 edits:" in result.stdout


def _get(url: str) -> str:
    with urllib.request.urlopen(url, timeout=60) as response:
        return str(response.read().decode())


def _shows(url: str, text: str) -> bool:
    try:
        return text in _get(url)
    except OSError:  # not served yet
        return False


def _until(condition: Callable[[], bool], what: str, timeout: float = 300) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"never: {what}")
        time.sleep(0.2)


def _serve(project: Path, site: Path, log: IO[str]) -> subprocess.Popen[str]:
    command = [sys.executable, "-m", "generator", "--root", str(project), "serve"]
    command += ["--port", str(free_port()), "--site-dir", str(site)]
    return subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT, text=True, cwd=project)


def test_an_edit_renders_again_only_the_pages_it_changes_and_each_shows_the_new_navigation(
    tmp_path: Path,
) -> None:
    """After a save, the open theme page shows the new summary and a paper moved into it; a
    page opened afterwards (the moved paper's, another paper's) shows the paper's new theme
    and a theme's new title in the navigation; a page nobody opened was not written again,
    so the save did not rebuild the site."""
    project, site = tmp_path / "project", tmp_path / "site"
    for name in ("dumps", "docs"):
        shutil.copytree(ROOT / name, project / name)
    taxonomy = project / "taxonomy.yaml"
    shutil.copy(ROOT / "taxonomy.yaml", taxonomy)
    link_site_config(ROOT, project)
    log = open(tmp_path / "serve.log", "w+")  # noqa: SIM115
    server = _serve(project, site, log)
    try:
        _until(lambda: "serving on" in (tmp_path / "serve.log").read_text(), "served")
        base = re.findall(r"serving on (http://[^ ]+/)", (tmp_path / "serve.log").read_text())[0]
        theme = _get(base + "themes/latent-reasoning/")
        outside = sorted(
            p.parent.name
            for p in (site / "papers").glob("*/index.html")
            if f"papers/{p.parent.name}/" not in theme
        )
        moved, opened, untouched = outside[0], outside[1], outside[-1]
        listed = 'themes/latent-reasoning/">Latent and continuous reasoning</a></li>'
        assert listed not in _get(f"{base}papers/{moved}/")
        old = (site / "papers" / untouched / "index.html").stat().st_mtime_ns
        text = taxonomy.read_text(encoding="utf-8")
        themes = {t["id"]: t for t in _themes(yaml.safe_load(text)["themes"])}
        renamed = f"title: {themes['attention-seq2seq']['title']}\n"
        latent = themes["latent-reasoning"]
        opening = latent["summary"].split("\n", 1)[0][:40]
        held = f"    title: {latent['title']}\n"
        assert renamed in text and opening in text and held in text
        assert moved not in (latent.get("papers") or [])
        text = text.replace(renamed, "title: Renamed early attention\n", 1)
        text = text.replace(opening, f"SavedSummaryMarker {opening}", 1)
        if "papers" in latent:  # a block list below the key, as taxonomy.yaml writes them
            at = text.index("\n    papers:\n", text.index(held)) + len("\n    papers:\n")
            text = text[:at] + f"    - {moved}\n" + text[at:]
        else:
            text = text.replace(held, f"{held}    papers: [{moved}]\n", 1)
        taxonomy.write_text(text, encoding="utf-8")
        _until(
            lambda: _shows(base + "themes/latent-reasoning/", "SavedSummaryMarker"),
            "the open page shows the edit",
        )
        theme = _get(base + "themes/latent-reasoning/")
        assert f"papers/{moved}/" in theme and "Renamed early attention" in theme
        assert listed in _get(f"{base}papers/{moved}/")
        # a theme page opened afterwards has the new navigation (paper pages have a compact
        # one, without the themes)
        other = _get(base + "themes/efficient-reasoning/")
        assert "Renamed early attention" in other and "encoder&#45;decoder and early" not in other
        assert _get(f"{base}papers/{opened}/").count('class="md-tabs__link"') == 4
        assert (site / "papers" / untouched / "index.html").stat().st_mtime_ns == old
        assert "<h1" in _get(f"{base}papers/{untouched}/")  # rendered when opened
    finally:
        server.terminate()
        server.wait(timeout=30)
        log.close()


def test_a_change_of_the_generators_code_restarts_the_preview_and_open_pages_reload(
    tmp_path: Path,
) -> None:
    """Saving a .py file of the generator starts a new preview process on the same port (the
    build runs in the process, so new code needs one), and the build state the open pages
    poll changes, so they reload and show what the new code makes."""
    project, site = tmp_path / "project", tmp_path / "site"
    shutil.copytree(CASES / "project", project)
    shutil.copytree(ROOT / "docs", project / "docs")
    link_site_config(ROOT, project)
    (project / "generator").unlink()  # a copy of the code, to edit
    shutil.copytree(ROOT / "generator", project / "generator")
    log_path = tmp_path / "serve.log"
    log = open(log_path, "w+")  # noqa: SIM115
    server = _serve(project, site, log)
    try:
        _until(lambda: "serving on" in log_path.read_text(), "served")
        base = re.findall(r"serving on (http://[^ ]+/)", log_path.read_text())[0]
        before = _get(base + "__build")
        code = project / "generator" / "about.py"
        code.write_text(code.read_text("utf-8") + "\n# edited\n", "utf-8")
        _until(lambda: "restarting the preview" in log_path.read_text(), "a restart")
        _until(lambda: log_path.read_text().count("serving on") == 2, "served again")
        assert re.findall(r"serving on (http://[^ ]+/)", log_path.read_text())[1] == base
        assert "<h1" in _get(base + "about/")
        # the new process's first build is not the old one's: an open page reloads
        assert _get(base + "__build") != before
    finally:
        server.terminate()
        server.wait(timeout=30)
        log.close()
