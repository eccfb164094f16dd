"""Shared fixtures: the real seed site built once, served on localhost, and a real browser.

* ``built_site``: the seed site (dumps/ + taxonomy.yaml) built ONCE per session by the venv's
  ``mkdocs build --strict`` into a temporary folder; a pathlib.Path to that folder.
* ``site_url``: that folder served over HTTP on an ephemeral localhost port; the base URL,
  ending with "/".
* ``browser``: a session-wide Chromium driven by Playwright. It is Debian's Chromium, found on
  PATH: Playwright's own browser download cannot work on this machine. A missing Chromium
  FAILS the browser tests; only ``SURVEY_SKIP_BROWSER=1`` (never set by .ci/run) skips them.
* ``page``: a fresh browser context and page per test, recording console and page errors.
* ``screenshot(page, name)``: save a PNG under test-artifacts/ (git-ignored).
* ``axe_script``: node_modules/axe-core/axe.min.js, installed with ``npm ci`` when missing.
"""

from __future__ import annotations

import functools
import http.server
import os
import re
import shutil
import subprocess
import sys
import threading
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parent.parent
ARTIFACTS = REPO_ROOT / "test-artifacts"

CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]

BUILD_TIMEOUT = 600
SEARCH_PART_SIZE = 150


def site_name() -> str:
    """mkdocs.yml's site_name, as MkDocs reads it."""
    from generator.load import read_site_config

    return read_site_config(REPO_ROOT).site_name


# --------------------------------------------------------------------------- the built site


PUBLISHED_AT = "https://example.github.io/survey/"
"""The published address the seed site is built for in the tests."""


@pytest.fixture(scope="session", autouse=True)
def seed_vectors() -> None:
    """The seed survey's sentence-encoder vectors in the repository's .cache/ before any test
    copies the project (generator/copies.py): a copy reads them there rather than spending
    80 ms a paper computing them again in each build."""
    from generator.load import load
    from generator.neighbours import related_papers
    from generator.site import analyse
    from generator.vectors import write_cache

    inputs = load(REPO_ROOT)
    if inputs.vectors is not None:
        survey = analyse(inputs)
        write_cache(
            inputs.vectors.folder, related_papers(inputs, survey.corpus, survey.assignment)[1]
        )


@pytest.fixture(scope="session")
def built_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The seed site, built once per session with the venv's ``mkdocs build --strict``."""
    from generator.copies import link_site_config

    out = tmp_path_factory.mktemp("built") / "site"
    # The seed project's inputs, with the search index in parts of 150 records (three for
    # the seed survey), as a survey of thousands of papers has them: the search tests cover
    # the merging of parts.
    project = tmp_path_factory.mktemp("seed-project")
    for name in ("dumps", "docs", "taxonomy.yaml", "published.json", "papers.yaml"):
        (project / name).symlink_to(REPO_ROOT / name)
    link_site_config(REPO_ROOT, project, search_part_size=SEARCH_PART_SIZE)
    # The address the deploy would give it (.github/workflows/deploy.yml sets it so).
    env = {
        **os.environ,
        "NO_MKDOCS_2_WARNING": "1",
        "DISABLE_MKDOCS_2_WARNING": "true",
        "SURVEY_SITE_URL": PUBLISHED_AT,
    }
    cmd = [sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir", str(out)]
    try:
        proc = subprocess.run(
            cmd, cwd=project, env=env, capture_output=True, text=True, timeout=BUILD_TIMEOUT
        )
    except subprocess.TimeoutExpired:
        pytest.fail(f"`{' '.join(cmd)}` took more than {BUILD_TIMEOUT} s", pytrace=False)
    if proc.returncode != 0:
        pytest.fail(
            f"`{' '.join(cmd)}` failed with exit code {proc.returncode}:\n"
            f"{proc.stdout[-4000:]}\n{proc.stderr[-8000:]}",
            pytrace=False,
        )
    if not (out / "index.html").is_file():
        pytest.fail(f"mkdocs build succeeded but wrote no {out / 'index.html'}", pytrace=False)
    return out


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:  # noqa: A002 - stdlib name
        pass


@pytest.fixture(scope="session")
def site_url(built_site: Path) -> Iterator[str]:
    """The built site served on an ephemeral localhost port; base URL ending with "/"."""
    handler = functools.partial(_QuietHandler, directory=str(built_site))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, name="site-server", daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=10)


# --------------------------------------------------------------------------- the browser


def find_chromium() -> str | None:
    for name in ("chromium", "chromium-browser"):
        found = shutil.which(name)
        if found:
            return found
    return None


@pytest.fixture(scope="session")
def browser() -> Iterator[object]:
    """Debian's Chromium driven by Playwright, shared by the whole session."""
    if os.environ.get("SURVEY_SKIP_BROWSER") == "1":
        pytest.skip("SURVEY_SKIP_BROWSER=1: browser tests skipped on request")
    executable = find_chromium()
    if executable is None:
        pytest.fail(
            "no Chromium found on PATH (looked for `chromium` and `chromium-browser`). "
            "Install Debian's Chromium with `make chromium` (apt-get install chromium); "
            "Playwright's own browser download cannot work here. To skip the browser tests "
            "on purpose, set SURVEY_SKIP_BROWSER=1.",
            pytrace=False,
        )
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        chromium = pw.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        try:
            yield chromium
        finally:
            chromium.close()


class PageErrors(list):
    """Console errors and uncaught page errors seen by one page, as readable strings."""


def _is_local(url: str, base: str) -> bool:
    return url.startswith(base) or not url.startswith(("http://", "https://"))


@pytest.fixture
def new_page(browser, site_url: str) -> Iterator[Callable[..., object]]:
    """Factory: ``new_page(width=1280, height=800)`` opens a fresh context and page.

    The tests are hermetic: requests leaving the served site (the theme asks
    api.github.com for the repository's facts) are aborted, and the browser's own
    "Failed to load resource" console message for them is recorded in ``page.external``
    instead of ``page.errors``. ``page.errors`` (a PageErrors list) collects every other
    console error and every uncaught exception. Everything is closed at the end of the test.
    """
    contexts = []

    def make(width: int = 1280, height: int = 800, **kwargs: object):
        kwargs.setdefault("color_scheme", "light")
        context = browser.new_context(viewport={"width": width, "height": height}, **kwargs)
        context.set_default_timeout(15_000)
        contexts.append(context)
        context.route(lambda url: not _is_local(url, site_url), lambda route: route.abort())
        page = context.new_page()
        errors = PageErrors()
        external: list[str] = []

        def on_console(msg) -> None:
            if msg.type != "error":
                return
            source = (msg.location or {}).get("url", "")
            if msg.text.startswith("Failed to load resource") and not _is_local(source, site_url):
                external.append(f"{page.url}: {source}")
            else:
                errors.append(f"console.error at {page.url}: {msg.text} ({source})")

        page.on("console", on_console)
        page.on("pageerror", lambda exc: errors.append(f"page error at {page.url}: {exc}"))
        page.errors = errors
        page.external = external
        return page

    yield make
    for context in contexts:
        context.close()


@pytest.fixture
def page(new_page):
    """A fresh 1280x800 page (see ``new_page``)."""
    return new_page()


@pytest.fixture(scope="session")
def artifacts_dir() -> Path:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    return ARTIFACTS


@pytest.fixture
def screenshot(artifacts_dir: Path) -> Callable[..., Path]:
    """``screenshot(page, name)`` saves test-artifacts/<name>.png and returns its path."""

    def take(page, name: str, full_page: bool = False) -> Path:
        safe = re.sub(r"[^A-Za-z0-9._-]+", "-", name).strip("-") or "screenshot"
        path = artifacts_dir / f"{safe}.png"
        page.screenshot(path=str(path), full_page=full_page)
        return path

    return take


# --------------------------------------------------------------------------- axe-core


@pytest.fixture(scope="session")
def axe_script() -> Path:
    """node_modules/axe-core/axe.min.js, running ``npm ci`` (from package-lock.json) if
    it is missing."""
    script = REPO_ROOT / "node_modules" / "axe-core" / "axe.min.js"
    if not script.is_file():
        npm = shutil.which("npm")
        if npm is None:
            pytest.fail(
                "axe-core is not installed and npm is not on PATH: install Node.js/npm, then "
                "run `npm ci` in the repository root",
                pytrace=False,
            )
        proc = subprocess.run(
            [npm, "ci", "--no-audit", "--no-fund"],
            cwd=REPO_ROOT,
            capture_output=True,
            text=True,
            timeout=300,
        )
        if proc.returncode != 0 or not script.is_file():
            pytest.fail(
                f"`npm ci --no-audit --no-fund` failed (exit {proc.returncode}):\n"
                f"{proc.stdout[-3000:]}\n{proc.stderr[-3000:]}",
                pytrace=False,
            )
    return script


# --------------------------------------------------------------------------- the model


@pytest.fixture(scope="session")
def survey():
    """The generator's own view of the seed survey (``generator.site.build``): papers with
    their slugs and titles, the taxonomy, the related links."""
    from generator.site import build

    return build(REPO_ROOT)


# --------------------------------------------------------------------------- browser marker


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Every test that drives Chromium carries the ``browser`` marker (added here when it uses
    the ``browser`` fixture), and says so in the JUnit report: .ci/run finds browser tests by
    that property, not by file name."""
    for item in items:
        if "browser" in getattr(item, "fixturenames", ()):
            item.add_marker(pytest.mark.browser)
        if item.get_closest_marker("browser") is not None:
            item.user_properties.append(("marker", "browser"))


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--update-golden",
        action="store_true",
        help="rewrite tests/golden/expected/ from the golden fixture's build",
    )
