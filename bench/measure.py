"""Measuring one synthetic survey: the generator, `mkdocs build --strict`, the site and its
search index, and the first search result in headless Chromium."""

from __future__ import annotations

import functools
import http.server
import json
import logging
import math
import os
import re
import statistics
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from corpus import make_project, seed_papers
from floor import make_floor

from generator.site import build
from generator.text import slugify

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
DEFAULT_SIZES = (350, 1000, 3000, 10000)
FULL_SIZE = 30000
FLOOR_SIZES = (3000, 10000)
"""Sizes whose pages are also built by MkDocs alone (bench/floor.py)."""
SEARCH_TIMEOUT_S = 120
SEARCH_SAMPLES = 3
"""Searches per size, each for another paper's title in a new browser context."""
FOUND_TIMEOUT_S = 10


# --------------------------------------------------------------------------- measuring


@dataclass
class Result:
    size: int
    papers: int = 0
    pages: int = 0
    stages: dict[str, float] = field(default_factory=dict)
    generator_s: float = 0.0
    build_s: float = 0.0
    build_rss_mb: float = 0.0
    strict: str = ""
    site_mb: float = 0.0
    index_mb: float = 0.0
    index_docs: int = 0
    search_ms: float | None = None
    warm_ms: float | None = None
    found: bool | None = None
    fetched_kb: float | None = None
    search_max_ms: float | None = None
    engine: str = "pagefind"
    build_cpu_s: float = 0.0
    floor_s: float | None = None
    """The same pages built by MkDocs alone (bench/floor.py), in the same run."""
    floor_cpu_s: float | None = None

    @property
    def generator_share(self) -> float | None:
        return self.generator_s / self.build_s if self.build_s else None

    @property
    def over_floor(self) -> float | None:
        """The full build's wall time over the floor's."""
        return self.build_s / self.floor_s if self.floor_s and self.build_s else None

    @property
    def site_kb_per_paper(self) -> float:
        return 1024 * self.site_mb / self.papers if self.papers else math.nan

    @property
    def ms_per_paper(self) -> float:
        return 1000 * self.build_s / self.papers if self.papers else math.nan

    @property
    def index_kb_per_paper(self) -> float:
        return 1024 * self.index_mb / self.papers if self.papers else math.nan


GENERATOR_STAGES = ("parsed", "assigned", "found", "rendered", "wrote")
"""The generator's own stages, as its progress lines name them; MkDocs' page counts and
the search index (built on another core while MkDocs renders) are logged too, apart."""
_INDEXED = re.compile(r"survey: indexed \d+ pages for search.*?\(([\d.]+) s, ([\d.]+) s of it")


class _Stages(logging.Handler):
    """Collects the generator's progress lines: 'survey: <what> ... (<seconds> s)'."""

    def __init__(self) -> None:
        super().__init__(logging.INFO)
        self.stages: dict[str, float] = {}

    def emit(self, record: logging.LogRecord) -> None:
        message = record.getMessage()
        m = re.fullmatch(r"survey: (\w+) .*\(([\d.]+) s\)", message)
        if m and m[1] in GENERATOR_STAGES:
            self.stages[m[1]] = float(m[2])
        m = _INDEXED.match(message)
        if m:
            self.stages["indexed"], self.stages["index wait"] = float(m[1]), float(m[2])

    @property
    def generator_s(self) -> float:
        return sum(self.stages.get(s, 0.0) for s in GENERATOR_STAGES)


def run_generator(project: Path) -> tuple[int, int, dict[str, float], float]:
    """generator.site.build in this process: papers, pages, seconds per stage, total."""
    logger = logging.getLogger("mkdocs.plugins.survey")
    handler = _Stages()
    logger.addHandler(handler)
    level = logger.level
    logger.setLevel(logging.INFO)
    try:
        start = time.perf_counter()
        site = build(project, eager=True)
        total = time.perf_counter() - start
    finally:
        logger.removeHandler(handler)
        logger.setLevel(level)
    return len(site.corpus.papers), len(site.pages), handler.stages, total


def run_mkdocs(project: Path, site: Path, log: Path) -> tuple[float, float, str, float]:
    """`mkdocs build --strict` in a subprocess: wall seconds, peak RSS in MB, a verdict on
    its warnings, and the CPU seconds of the build and the processes it waited for."""
    env = {
        **os.environ,
        "NO_MKDOCS_2_WARNING": "1",
        "DISABLE_MKDOCS_2_WARNING": "true",
    }
    cmd = [sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir", str(site)]
    with log.open("w") as out:
        start = time.perf_counter()
        proc = subprocess.Popen(cmd, cwd=project, env=env, stdout=out, stderr=subprocess.STDOUT)
        _, status, usage = os.wait4(proc.pid, 0)
        elapsed = time.perf_counter() - start
        proc.returncode = os.waitstatus_to_exitcode(status)
    text = log.read_text(encoding="utf-8", errors="replace")
    warnings = [ln for ln in text.splitlines() if ln.startswith("WARNING")]
    if proc.returncode != 0 or warnings or not (site / "index.html").exists():
        raise SystemExit(
            f"`mkdocs build --strict` failed (exit {proc.returncode}, {len(warnings)} "
            f"warnings); see {log}:\n{text[-3000:]}"
        )
    verdict = "clean"
    # ru_maxrss is in kilobytes on Linux
    return elapsed, usage.ru_maxrss / 1024, verdict, usage.ru_utime + usage.ru_stime


def folder_mb(folder: Path) -> float:
    return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file()) / 2**20


class _Quiet(http.server.SimpleHTTPRequestHandler):
    sent: list[tuple[str, int]]
    """(path, bytes) of every file served, appended as each is sent."""

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002 - stdlib name
        pass

    def copyfile(self, source: Any, outputfile: Any) -> None:
        start = source.tell()
        super().copyfile(source, outputfile)
        self.sent.append((self.path, source.tell() - start))


@contextmanager
def serve(folder: Path) -> Iterator[tuple[str, list[tuple[str, int]]]]:
    """Serve `folder` on localhost: its URL, and (path, bytes) of each file sent (counted on
    the server, so a Web Worker's downloads count as much as the page's)."""
    sent: list[tuple[str, int]] = []
    handler = type("_Counted", (_Quiet,), {"sent": sent})
    server = http.server.ThreadingHTTPServer(
        ("127.0.0.1", 0), functools.partial(handler, directory=str(folder))
    )
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/", sent
    finally:
        server.shutdown()
        server.server_close()


@dataclass(frozen=True)
class Engine:
    """How the benchmark drives one search engine's box in the browser."""

    name: str
    open: str
    """Selector of what is clicked to open the search."""
    box: str
    result: str
    """Selector of one result's link."""
    files: tuple[str, ...]
    """What the search downloads: paths that hold one of these."""
    on_keyup: bool
    """The search reads the box on keyup (so the query's last character is typed), not on
    each input event."""


ENGINES = {
    "pagefind": Engine(
        "pagefind",
        "[data-survey-search-open]",
        "input.survey-search__input",
        "a.survey-search__result",
        ("/pagefind/", "/js/search.js"),
        on_keyup=False,
    ),
    "builtin": Engine(
        "builtin",
        "input.md-search__input",
        "input.md-search__input",
        ".md-search-result__item > a.md-search-result__link",
        ("/search/", "/workers/search"),
        on_keyup=True,
    ),
}


def search_times(
    browser: object, site: Path, query: str, slug: str, engine: Engine
) -> tuple[float, float, bool, float]:
    """Open the home page; as soon as it has loaded, open the search and enter `query`.
    Returns ms from the click that opens the search to the first result, ms for a second
    query once the index is ready, whether the paper `slug` is among the results of `query`,
    and the KB the browser fetched for the search (from the page's load on) until then."""
    from playwright.sync_api import TimeoutError as BrowserTimeout

    with serve(site) as (url, sent):
        context = browser.new_context(viewport={"width": 1280, "height": 800})  # type: ignore[attr-defined]
        context.set_default_timeout(SEARCH_TIMEOUT_S * 1000)
        context.route(lambda u: not u.startswith(url), lambda route: route.abort())
        try:
            page = context.new_page()
            page.goto(url, wait_until="load")
            start = time.perf_counter()
            page.click(engine.open)
            # The query arrives at once: what is timed is the search, not typing speed.
            if engine.on_keyup:
                page.fill(engine.box, query[:-1])
                page.keyboard.type(query[-1])
            else:
                page.fill(engine.box, query)
            page.wait_for_selector(engine.result, state="attached")
            first = 1000 * (time.perf_counter() - start)
            fetched = sum(n for path, n in list(sent) if any(f in path for f in engine.files))
            # The first results may be for a prefix of the query: give the full query time.
            try:
                page.wait_for_selector(
                    f'{engine.result}[href*="papers/{slug}/"]',
                    state="attached",
                    timeout=FOUND_TIMEOUT_S * 1000,
                )
                found = True
            except BrowserTimeout:
                found = False
            page.fill(engine.box, "")
            if engine.on_keyup:
                page.keyboard.press("Backspace")
            page.wait_for_selector(engine.result, state="detached")
            start = time.perf_counter()
            if engine.on_keyup:
                page.fill(engine.box, "memor")
                page.keyboard.type("y")
            else:
                page.fill(engine.box, "memory")
            page.wait_for_selector(engine.result, state="attached")
            warm = 1000 * (time.perf_counter() - start)
        finally:
            context.close()
    return first, warm, found, fetched / 1024


def index_size(site: Path, engine: Engine) -> tuple[float, int]:
    """MB of the search index in `site` (what grows with the survey: for Pagefind its index
    chunks, metadata and per-page fragments, not its fixed scripts), and pages it holds."""
    if engine.name == "builtin":
        index = site / "search" / "search_index.json"
        docs = json.loads(index.read_text(encoding="utf-8"))["docs"]
        return index.stat().st_size / 2**20, len(docs)
    bundle = site / "pagefind"  # and its parts, in part-<n>/ folders
    files = [*bundle.rglob("index/*"), *bundle.rglob("fragment/*"), *bundle.rglob("*.pf_meta")]
    pages = 0
    for entry_file in bundle.rglob("pagefind-entry.json"):
        entry = json.loads(entry_file.read_text(encoding="utf-8"))
        pages += sum(lang["page_count"] for lang in entry["languages"].values())
    return sum(p.stat().st_size for p in files) / 2**20, pages


def measure_floor(project: Path, site: Path, work: Path, size: int) -> tuple[float, float]:
    """Wall and CPU seconds of the engine's floor (bench/floor.py) for `project`, whose
    full build is in `site`: the same HTML pages, built by MkDocs alone."""
    folder = work / f"floor-{size}"
    make_floor(project, folder)
    floor_site = work / f"floor-site-{size}"
    elapsed, _, _, cpu = run_mkdocs(folder, floor_site, work / f"floor-{size}.log")
    full, alone = html_pages(site), html_pages(floor_site)
    if full != alone:
        raise SystemExit(
            f"the floor built other pages than the full build: {len(full - alone)} only in "
            f"{site} (e.g. {sorted(full - alone)[:3]}), {len(alone - full)} only in "
            f"{floor_site} (e.g. {sorted(alone - full)[:3]})"
        )
    return elapsed, cpu


def html_pages(site: Path) -> set[str]:
    """The HTML pages of a built site, but the search's own files."""
    return {
        p.relative_to(site).as_posix()
        for p in site.rglob("*.html")
        if p.relative_to(site).parts[0] not in ("pagefind", "search")
    }


def measure(
    size: int,
    work: Path,
    browser: object | None,
    in_process: bool,
    engine: Engine,
    floor: bool = False,
) -> Result:
    project = work / f"survey-{size}-{engine.name}"
    synthetic = make_project(project, size, engine=engine.name)
    result = Result(size, engine=engine.name)
    if in_process:
        result.papers, result.pages, result.stages, result.generator_s = run_generator(project)
    site = work / f"site-{size}-{engine.name}"
    log = work / f"build-{size}-{engine.name}.log"
    result.build_s, result.build_rss_mb, result.strict, result.build_cpu_s = run_mkdocs(
        project, site, log
    )
    if floor:
        result.floor_s, result.floor_cpu_s = measure_floor(project, site, work, size)
    if not in_process:
        stages = _Stages()
        for line in log.read_text(encoding="utf-8").splitlines():
            stages.emit(logging.makeLogRecord({"msg": line.split("-", 1)[-1].strip()}))
        result.stages, result.generator_s = stages.stages, stages.generator_s
        result.papers = size
        pages = re.search(r"survey: rendered (\d+) pages", log.read_text(encoding="utf-8"))
        result.pages = int(pages[1]) if pages else 0
    result.site_mb = folder_mb(site)
    result.index_mb, result.index_docs = index_size(site, engine)
    if browser is not None:
        from playwright.sync_api import TimeoutError as BrowserTimeout

        pool = [t for t, _ in synthetic] or [t for t, _ in seed_papers()]
        titles = [pool[len(pool) * (n + 1) // (SEARCH_SAMPLES + 1)] for n in range(SEARCH_SAMPLES)]
        samples = []
        try:
            for title in titles:  # each in a new browser context: nothing cached
                samples.append(search_times(browser, site, title, slugify(title), engine))
        except BrowserTimeout:
            result.search_ms = math.inf
        else:
            first, warm, found, fetched = zip(*samples, strict=True)
            result.search_ms, result.warm_ms = statistics.median(first), statistics.median(warm)
            result.search_max_ms = max(first)
            result.found, result.fetched_kb = all(found), statistics.median(fetched)
    return result
