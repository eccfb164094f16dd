"""Benchmark: synthetic surveys of growing size through the generator, `mkdocs build --strict`
and the built-in search in headless Chromium.

    .venv/bin/python bench/run.py                      # 350, 1,000, 3,000 and 10,000 papers
    .venv/bin/python bench/run.py --full               # ... and 30,000
    .venv/bin/python bench/run.py --sizes 350,1000 --no-write

Each size is a temporary project: the repository's mkdocs.yml, docs/, taxonomy.yaml and real
dumps, plus synthetic dumps in the search layout (a title line, an abstract line) that bring
the survey to that many papers. Synthetic abstracts recombine sentences of the real abstracts
and synthetic titles recombine fragments of the real titles, so the vocabulary, the theme
rules and the TF-IDF behave as on real text; every synthetic title and slug is unique.

Measured per size: the generator in-process (`generator.site.build`, per stage from its own
progress log), the whole `mkdocs build --strict` in a subprocess (wall time and peak RSS from
wait4), the size of the site and of its search index, and the time from typing a query into
the search box (right after the home page has loaded) to the first search result, in
headless Chromium. The table goes to stdout and, unless --no-write, to docs/performance.md.
"""

from __future__ import annotations

import argparse
import datetime as dt
import functools
import http.server
import importlib.metadata
import json
import logging
import math
import os
import platform
import random
import re
import shlex
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from generator.copies import link_site_config, with_options
from generator.load import load
from generator.site import build, corpus_of
from generator.text import slugify, title_key

ROOT = Path(__file__).resolve().parent.parent
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
PAPERS_PER_DUMP = 1000
SEARCH_TIMEOUT_S = 120
SEARCH_SAMPLES = 3
"""Searches per size, each for another paper's title in a new browser context."""
FOUND_TIMEOUT_S = 10
# Over-broad-theme warnings are expected: the seed taxonomy's leaves are sized for ~350
# papers, and a synthetic survey of 30 times as many papers overfills all of them.
EXPECTED_WARNING = re.compile(r"theme \"[^\"]+\" holds \d+ papers, more than \d+")
_SENTENCE = re.compile(r"(?<=[.!?])\s+(?=[A-Z])")


# --------------------------------------------------------------------------- the corpus


def seed_papers(root: Path = ROOT) -> list[tuple[str, str]]:
    """(title, abstract) of every paper of the project's real dumps."""
    corpus = corpus_of(load(root))
    return [(p.title, p.abstract) for p in corpus.papers]


def synthetic_papers(
    n: int, seed: Sequence[tuple[str, str]], rng: random.Random, taken: set[str] | None = None
) -> list[tuple[str, str]]:
    """`n` papers made of the seed's text: a title joins the head of one real title to the
    tail of another; the abstract mixes the sentences of those two abstracts with one
    sentence from anywhere. Titles, their merge keys and their slugs are all unique, and
    differ from every slug in `taken` (which is updated)."""
    taken = taken if taken is not None else set()
    keys: set[str] = set()
    heads, tails, sentences = [], [], []
    for number, (title, abstract) in enumerate(seed):
        if ": " in title:
            head, tail = title.split(": ", 1)
            heads.append((f"{head}:", number))
        else:
            words = title.split()
            cut = max(1, len(words) // 2)
            head, tail = " ".join(words[:cut]), " ".join(words[cut:])
            heads.append((head, number))
        if tail:
            tails.append((tail, number))
        sentences.append(_SENTENCE.split(abstract))
    everything = [s for group in sentences for s in group]
    out: list[tuple[str, str]] = []
    attempts = 0
    while len(out) < n:
        attempts += 1
        if attempts > 50 * n + 1000:
            raise RuntimeError(f"cannot make {n} unique titles from {len(seed)} seed titles")
        head, a = rng.choice(heads)
        tail, b = rng.choice(tails)
        title = f"{head} {tail}"
        key, slug = title_key(title), slugify(title)
        if key in keys or slug in taken:
            continue
        keys.add(key)
        taken.add(slug)
        pool = sentences[a] + sentences[b]
        picked = rng.sample(pool, min(len(pool), rng.randint(4, 8)))
        picked.insert(rng.randrange(len(picked) + 1), rng.choice(everything))
        out.append((title, " ".join(picked)))
    return out


def write_dumps(papers: Sequence[tuple[str, str]], folder: Path, prefix: str = "bench") -> int:
    """Write papers as search-layout dumps of at most PAPERS_PER_DUMP papers; return the
    number of files written."""
    folder.mkdir(parents=True, exist_ok=True)
    files = 0
    for start in range(0, len(papers), PAPERS_PER_DUMP):
        chunk = papers[start : start + PAPERS_PER_DUMP]
        text = "".join(f"{title}\n{abstract}\n\n" for title, abstract in chunk)
        (folder / f"{prefix}_{files:04d}.txt").write_text(text, encoding="utf-8")
        files += 1
    return files


SEARCH_OFF = "  - search:\n      enabled: false\n"
"""How mkdocs.yml turns the theme's built-in search off (and the survey plugin's
`search: pagefind` uses Pagefind)."""


def make_project(
    folder: Path, size: int, seed_rng: int = 0, engine: str = "pagefind"
) -> list[tuple[str, str]]:
    """A project of `size` papers: the repository's real dumps plus synthetic ones, searched
    with `engine` (pagefind, as configured, or the theme's builtin search).
    Returns the synthetic papers."""
    seed = seed_papers()
    if size < len(seed):
        raise SystemExit(f"size {size} is smaller than the {len(seed)} papers of the seed")
    folder.mkdir(parents=True)
    config = (ROOT / "mkdocs.yml").read_text(encoding="utf-8")
    if SEARCH_OFF not in config:
        raise SystemExit(f"mkdocs.yml no longer holds {SEARCH_OFF!r}: update bench/run.py")
    if engine == "builtin":
        config = config.replace(SEARCH_OFF, "  - search:\n      enabled: true\n")
        config = with_options(config, search="builtin")
    (folder / "mkdocs.yml").write_text(config, encoding="utf-8")
    shutil.copy(ROOT / "taxonomy.yaml", folder)
    shutil.copytree(ROOT / "docs", folder / "docs")
    shutil.copytree(ROOT / "dumps", folder / "dumps")
    link_site_config(ROOT, folder)
    taken = {slugify(title) for title, _ in seed}
    papers = synthetic_papers(size - len(seed), seed, random.Random(seed_rng), taken)
    write_dumps(papers, folder / "dumps")
    return papers


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


def run_mkdocs(project: Path, site: Path, log: Path) -> tuple[float, float, str]:
    """`mkdocs build --strict` in a subprocess: wall seconds, peak RSS in MB, and a verdict
    on its warnings."""
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
    unexpected = [ln for ln in warnings if not EXPECTED_WARNING.search(ln)]
    if unexpected or (proc.returncode != 0 and not warnings) or not (site / "index.html").exists():
        raise SystemExit(
            f"mkdocs build failed (exit {proc.returncode}); see {log}:\n{text[-3000:]}"
        )
    verdict = "clean" if not warnings else f"{len(warnings)} theme-size warnings"
    # ru_maxrss is in kilobytes on Linux
    return elapsed, usage.ru_maxrss / 1024, verdict


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


def measure(
    size: int, work: Path, browser: object | None, in_process: bool, engine: Engine
) -> Result:
    project = work / f"survey-{size}-{engine.name}"
    synthetic = make_project(project, size, engine=engine.name)
    result = Result(size, engine=engine.name)
    if in_process:
        result.papers, result.pages, result.stages, result.generator_s = run_generator(project)
    site = work / f"site-{size}-{engine.name}"
    log = work / f"build-{size}-{engine.name}.log"
    result.build_s, result.build_rss_mb, result.strict = run_mkdocs(project, site, log)
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


# --------------------------------------------------------------------------- reporting


def growth(
    results: Sequence[Result], attr: str, lo: int = 1000, hi: int = 10000, exact: bool = False
) -> tuple[float, Result, Result] | None:
    """Log-log slope of `attr` between the configured (Pagefind) builds of sizes lo and hi
    (unless `exact`, else the smallest and largest), with those two results; None when it
    cannot be computed."""
    results = [r for r in results if r.engine == "pagefind"]
    by_size = {r.size: r for r in results}
    a, b = by_size.get(lo), by_size.get(hi)
    if (a is None or b is None) and not exact and results:
        ordered = sorted(results, key=lambda r: r.size)
        a, b = ordered[0], ordered[-1]
    if a is None or b is None or a is b or not getattr(a, attr) or not getattr(b, attr):
        return None
    return math.log(getattr(b, attr) / getattr(a, attr)) / math.log(b.papers / a.papers), a, b


def slope(results: Sequence[Result], attr: str) -> str:
    found = growth(results, attr)
    if found is None:
        return "n/a"
    value, a, b = found
    return f"{value:.2f} ({a.size:,} to {b.size:,} papers)"


def table(results: Sequence[Result]) -> str:
    stage_names = ("parsed", "assigned", "found", "rendered", "indexed", "index wait")
    labels = ("parse", "assign", "related", "render", "search index", "index wait")
    head = [
        "Papers",
        "Search",
        "Pages",
        *[f"{n} s" for n in labels],
        "Generator s",
        "Build s",
        "ms/paper",
        "Generator share",
        "Peak RSS MB",
        "Site MB",
        "Index MB",
        "Index KB/paper",
        "First result ms",
        "Slowest ms",
        "Fetched KB",
        "Next query ms",
        "Title found",
        "Strict",
    ]
    rows = [head, ["---:", ":---", *["---:"] * (len(head) - 2)]]
    for r in results:
        share = f"{100 * r.generator_s / r.build_s:.0f}%" if r.build_s else ""
        rows.append(
            [
                f"{r.papers:,}",
                r.engine,
                f"{r.pages:,}" if r.pages else "",
                *[f"{r.stages[s]:.1f}" if s in r.stages else "" for s in stage_names],
                f"{r.generator_s:.1f}",
                f"{r.build_s:.1f}",
                f"{r.ms_per_paper:.1f}",
                share,
                f"{r.build_rss_mb:,.0f}",
                f"{r.site_mb:,.0f}",
                f"{r.index_mb:.1f}",
                f"{r.index_kb_per_paper:.2f}",
                _ms(r.search_ms),
                _ms(r.search_max_ms),
                "" if r.fetched_kb is None else f"{r.fetched_kb:,.0f}",
                _ms(r.warm_ms),
                {True: "yes", False: "no", None: ""}[r.found],
                r.strict,
            ]
        )
    return "\n".join("| " + " | ".join(row) + " |" for row in rows)


def targets(results: Sequence[Result]) -> list[str]:
    """Each scale target, what this run measured for it, and whether that meets it."""
    by_size = {r.size: r for r in results if r.engine == "pagefind"}
    at10k, at30k = by_size.get(10000), by_size.get(FULL_SIZE)
    rows: list[tuple[str, str, bool | None]] = []

    def add(target: str, value: float | None, text: str, ok: bool | None) -> None:
        rows.append((target, "not measured" if value is None else text, ok))

    found = growth(results, "build_s", exact=True)
    e = found[0] if found else None
    add(
        "build growth exponent, 1k to 10k papers, at most 1.1",
        e,
        f"{e or 0:.2f}",
        None if e is None else e <= 1.1,
    )
    if at10k:
        add(
            "build time at 10k papers, at most 8 ms per paper",
            at10k.ms_per_paper,
            f"{at10k.ms_per_paper:.1f} ms",
            at10k.ms_per_paper <= 8,
        )
        add(
            "peak RSS at 10k papers, at most 1 GB",
            at10k.build_rss_mb,
            f"{at10k.build_rss_mb:,.0f} MB",
            at10k.build_rss_mb <= 1024,
        )
        share = 100 * at10k.generator_s / at10k.build_s if at10k.build_s else None
        add(
            "generator's share of the build at 10k, at most 10%",
            share,
            f"{share or 0:.0f}%",
            None if share is None else share <= 10,
        )
        add(
            "search index at 10k, at most 2 KB per paper",
            at10k.index_kb_per_paper,
            f"{at10k.index_kb_per_paper:.2f} KB",
            at10k.index_kb_per_paper <= 2,
        )
        ms = at10k.search_ms
        add(
            "first search result at 10k papers, within 1 s",
            ms,
            _ms(ms) + " ms",
            None if ms is None else ms <= 1000,
        )
    related = at30k.stages.get("found") if at30k else None
    add(
        "related papers for 30k papers, at most 60 s",
        related,
        f"{related or 0:.1f} s",
        None if related is None else related <= 60,
    )
    out = ["| Target | Measured | Met |", "| :--- | ---: | :---: |"]
    verdicts = {True: "yes", False: "**no**", None: ""}
    for target, text, ok in rows:
        out.append(f"| {target} | {text} | {verdicts[ok]} |")
    return out


def comparison(results: Sequence[Result]) -> list[str]:
    """Ratios of the two searches at each size measured with both, and where the build's
    time goes at the largest size, as bullet lines."""
    lines = []
    pagefind = {r.size: r for r in results if r.engine == "pagefind"}
    for other in (r for r in results if r.engine == "builtin"):
        mine = pagefind.get(other.size)
        if mine is None or not mine.search_ms or not other.search_ms:
            continue
        if math.isinf(other.search_ms):
            lines.append(
                f"- At {other.size:,} papers the built-in search showed no result within "
                f"{SEARCH_TIMEOUT_S} s; Pagefind's first result came after "
                f"{_ms(mine.search_ms)} ms."
            )
            continue
        lines.append(
            f"- At {other.size:,} papers the built-in search's first result came after "
            f"{_ms(other.search_ms)} ms, {other.search_ms / mine.search_ms:.1f} times "
            f"Pagefind's {_ms(mine.search_ms)} ms, once the browser had downloaded "
            f"{other.fetched_kb or 0:,.0f} KB for it against Pagefind's "
            f"{mine.fetched_kb or 0:,.0f} KB; its index is "
            f"{other.index_kb_per_paper:.2f} KB a paper against {mine.index_kb_per_paper:.2f}."
        )
    if pagefind:
        big = pagefind[max(pagefind)]
        if big.build_s:
            stages = ", ".join(
                f"{label} {big.stages[s]:.1f} s"
                for s, label in zip(
                    GENERATOR_STAGES, ("parse", "assign", "related", "render", "write"), strict=True
                )
                if s in big.stages
            )
            lines.append(
                f"- Where the {big.build_s:.0f} s of the {big.size:,}-paper build went: the "
                f"generator {big.generator_s:.1f} s ({stages}); MkDocs and the theme the other "
                f"{big.build_s - big.generator_s:.0f} s. The search index took "
                f"{big.stages.get('indexed', 0):.0f} s on the second core while MkDocs "
                f"rendered, and the build waited {big.stages.get('index wait', 0):.1f} s for it."
            )
    return lines


def _ms(value: float | None) -> str:
    if value is None:
        return ""
    return f"> {SEARCH_TIMEOUT_S * 1000:,}" if math.isinf(value) else f"{value:,.0f}"


def machine(chromium_version: str) -> list[str]:
    meminfo = Path("/proc/meminfo").read_text() if Path("/proc/meminfo").exists() else ""
    mem = re.search(r"MemTotal:\s+(\d+) kB", meminfo)
    cpuinfo = Path("/proc/cpuinfo").read_text() if Path("/proc/cpuinfo").exists() else ""
    model = re.search(r"model name\s*:\s*(.+)", cpuinfo)
    versions = []
    for name in (
        "mkdocs",
        "mkdocs-material",
        "mkdocs-gen-files",
        "mkdocs-literate-nav",
        "scikit-learn",
        "jinja2",
        "markdown",
        "playwright",
    ):
        try:
            versions.append(f"{name} {importlib.metadata.version(name)}")
        except importlib.metadata.PackageNotFoundError:
            pass
    return [
        f"{os.cpu_count()} cores ({model[1].strip() if model else platform.machine()}), "
        f"{int(mem[1]) / 2**20:.0f} GB RAM"
        if mem
        else f"{os.cpu_count()} cores",
        f"{platform.system()} {platform.release()}, Python {platform.python_version()}",
        ", ".join(versions),
        f"Chromium {chromium_version}" if chromium_version else "no browser",
        "load average at the end (1, 5, 15 min): " + ", ".join(f"{x:.1f}" for x in os.getloadavg()),
    ]


def report(
    results: Sequence[Result],
    command: str,
    chromium_version: str,
    took: float,
    in_process: bool = True,
) -> str:
    generator = (
        "- *Generator* is `generator.site.build` in-process (parse, assign, related, render);\n"
        "  *Build* is the whole `mkdocs build --strict`, which runs the generator again."
        if in_process
        else "- *Generator* is `generator.site.build` inside the `mkdocs build --strict`, per\n"
        "  stage as its progress log reports it; *Build* is the whole build."
    )
    lines = [
        "# Performance",
        "",
        "How the build and the search scale with the number of papers, measured by",
        "`bench/run.py` on synthetic surveys: the real dumps plus synthetic papers whose",
        "titles and abstracts recombine fragments of the real ones, with the real taxonomy.",
        "Times are wall-clock seconds on one machine in one run, so compare them with each",
        "other, not with another machine's.",
        "",
        table(results),
        "",
        "The scale targets, read off the table above:",
        "",
        *targets(results),
        "",
        *comparison(results),
        f"- Growth exponent of the full build time: {slope(results, 'build_s')}.",
        f"- Growth exponent of the generator time: {slope(results, 'generator_s')}.",
        generator,
        "  *Peak RSS* is the largest of the build process and the Pagefind processes it",
        "  starts, one after the other (what wait4 reports for the build).",
        "- *Search*: `pagefind` is the survey's configured search (generator/search.py),",
        "  `builtin` the theme's own, switched on in mkdocs.yml for comparison.",
        "  *Index MB* is what grows with the survey: Pagefind's index chunks, metadata and",
        "  page fragments (not its fixed scripts), or the built-in `search_index.json`.",
        f"- *First result* is the median of {SEARCH_SAMPLES} searches (*Slowest*: the",
        "  slowest), each for another paper's full title in a new browser context: the time",
        "  from clicking the search, right after the home page has loaded, to the first",
        "  result shown for the title, entered at once, in headless Chromium. It includes",
        "  loading the search's scripts and whatever of the index the query needs.",
        "  *Fetched KB* is what the browser downloaded for the search, from the page's load",
        "  to the first result (the built-in search loads its whole index as the page",
        "  loads; Pagefind loads its scripts and the chunks a query needs).",
        "  *Next query* is one more query after that (median). *Title found*: each paper is",
        "  among the results for its title.",
        "- *Strict*: the seed taxonomy's themes are sized for a few hundred papers; on larger",
        "  synthetic surveys the only warnings are that themes hold more than 60 papers.",
        "",
        "Measured on " + dt.date.today().isoformat() + f", {took / 60:.0f} minutes in all:",
        "",
        *[f"- {line}" for line in machine(chromium_version)],
        "",
        "Command:",
        "",
        "```sh",
        command,
        "```",
        "",
    ]
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--sizes",
        default=",".join(map(str, DEFAULT_SIZES)),
        help="comma-separated numbers of papers (default: %(default)s)",
    )
    parser.add_argument("--full", action="store_true", help=f"also {FULL_SIZE:,} papers")
    parser.add_argument("--no-browser", action="store_true", help="skip the search timing")
    parser.add_argument(
        "--builtin",
        default="",
        help="comma-separated sizes also built and searched with the theme's built-in search "
        "instead of Pagefind, for comparison (default: none)",
    )
    parser.add_argument(
        "--in-process",
        action="store_true",
        help="also run generator.site.build in this process and report its time, instead "
        "of the stage times the mkdocs build logs (a second build of the same papers in one "
        "process reuses cached results, so this is for one size at a time)",
    )
    parser.add_argument("--write", type=Path, default=ROOT / "docs" / "performance.md")
    parser.add_argument("--no-write", action="store_true")
    parser.add_argument("--work", type=Path, help="keep the projects and sites in this folder")
    args = parser.parse_args(argv)
    sizes = sorted({int(s) for s in args.sizes.split(",") if s.strip()})
    if args.full and FULL_SIZE not in sizes:
        sizes.append(FULL_SIZE)
    command = shlex.join([".venv/bin/python", "bench/run.py", *(argv or sys.argv[1:])])

    started = time.perf_counter()
    work = args.work or Path(tempfile.mkdtemp(prefix="survey-bench-"))
    work.mkdir(parents=True, exist_ok=True)
    results: list[Result] = []
    runs = [(size, ENGINES["pagefind"]) for size in sizes]
    runs += [(int(s), ENGINES["builtin"]) for s in args.builtin.split(",") if s.strip()]
    with _browser(not args.no_browser) as (browser, version):
        for size, engine in runs:
            print(f"bench: {size:,} papers, {engine.name} search ...", file=sys.stderr, flush=True)
            result = measure(size, work, browser, args.in_process, engine)
            results.append(result)
            print(table([result]).splitlines()[-1], file=sys.stderr, flush=True)
            if not args.work:
                shutil.rmtree(work / f"survey-{size}-{engine.name}", ignore_errors=True)
                shutil.rmtree(work / f"site-{size}-{engine.name}", ignore_errors=True)
    if not args.work:
        shutil.rmtree(work, ignore_errors=True)
    took = time.perf_counter() - started
    print(table(results))
    print(f"build time growth exponent: {slope(results, 'build_s')}")
    print(f"generator time growth exponent: {slope(results, 'generator_s')}")
    if not args.no_write:
        args.write.write_text(
            report(results, command, version, took, args.in_process), encoding="utf-8"
        )
        print(f"wrote {args.write}")
    return 0


@contextmanager
def _browser(wanted: bool) -> Iterator[tuple[object | None, str]]:
    if not wanted:
        yield None, ""
        return
    from playwright.sync_api import sync_playwright

    executable = CHROMIUM if Path(CHROMIUM).exists() else shutil.which("chromium")
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        try:
            yield browser, browser.version
        finally:
            browser.close()


if __name__ == "__main__":
    sys.exit(main())
