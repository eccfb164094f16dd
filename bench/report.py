"""Reporting the benchmark: the table, growth exponents, targets, the comparison of search
engines and docs/performance.md."""

from __future__ import annotations

import datetime as dt
import importlib.metadata
import math
import os
import platform
import re
from collections.abc import Sequence
from pathlib import Path

from measure import FULL_SIZE, GENERATOR_STAGES, SEARCH_SAMPLES, SEARCH_TIMEOUT_S, Result

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
        "Floor s",
        "Build/floor",
        "Build CPU s",
        "Floor CPU s",
        "ms/paper",
        "Generator share",
        "Peak RSS MB",
        "Site MB",
        "Site KB/paper",
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
        share = "" if r.generator_share is None else f"{100 * r.generator_share:.0f}%"
        rows.append(
            [
                f"{r.papers:,}",
                r.engine,
                f"{r.pages:,}" if r.pages else "",
                *[f"{r.stages[s]:.1f}" if s in r.stages else "" for s in stage_names],
                f"{r.generator_s:.1f}",
                f"{r.build_s:.1f}",
                "" if r.floor_s is None else f"{r.floor_s:.1f}",
                "" if r.over_floor is None else f"{r.over_floor:.2f}",
                f"{r.build_cpu_s:.1f}" if r.build_cpu_s else "",
                "" if r.floor_cpu_s is None else f"{r.floor_cpu_s:.1f}",
                f"{r.ms_per_paper:.1f}",
                share,
                f"{r.build_rss_mb:,.0f}",
                f"{r.site_mb:,.0f}",
                f"{r.site_kb_per_paper:.1f}",
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


PAGES_LIMIT_MB = 1024
"""GitHub Pages publishes sites of at most 1 GB."""


def ceiling(results: Sequence[Result]) -> tuple[int, float, float] | None:
    """The largest survey whose site fits in PAGES_LIMIT_MB, from the growth of the site
    between the two largest (Pagefind) sizes measured: that number of papers, the KB the
    site grows by per paper, and the MB it would weigh with no paper. None when fewer than
    two sizes were measured or the site did not grow."""
    ordered = sorted(
        (r for r in results if r.engine == "pagefind" and r.site_mb), key=lambda r: r.papers
    )
    if len(ordered) < 2 or ordered[-1].papers == ordered[-2].papers:
        return None
    a, b = ordered[-2], ordered[-1]
    per_paper = (b.site_mb - a.site_mb) / (b.papers - a.papers)
    if per_paper <= 0:
        return None
    fixed = b.site_mb - per_paper * b.papers
    return int((PAGES_LIMIT_MB - fixed) / per_paper), 1024 * per_paper, fixed


def targets(results: Sequence[Result], preview: tuple[int, float] | None = None) -> list[str]:
    """Each scale target, what this run measured for it, and whether that meets it."""
    by_size = {r.size: r for r in results if r.engine == "pagefind"}
    at3k, at10k, at30k = (by_size.get(n) for n in (3000, 10000, FULL_SIZE))
    found = growth(results, "build_s", exact=True)
    share = at10k.generator_share if at10k else None
    preview_s = preview[1] if preview and preview[0] == 10000 else None
    # (target, measured value or None, how it is written, at most)
    rows: list[tuple[str, float | None, str, float]] = [
        ("build growth exponent, 1k to 10k papers, at most 1.1", found and found[0], "{:.2f}", 1.1),
        (
            "build time at 10k papers, at most 8 ms per paper",
            at10k and at10k.ms_per_paper,
            "{:.1f} ms",
            8,
        ),
        ("peak RSS at 10k papers, at most 1 GB", at10k and at10k.build_rss_mb, "{:,.0f} MB", 1024),
        (
            "generator's share of the build at 10k, at most 10%",
            share and 100 * share,
            "{:.0f}%",
            10,
        ),
        (
            "build over the engine's floor at 3k, at most 1.15",
            at3k and at3k.over_floor,
            "{:.2f}",
            1.15,
        ),
        (
            "build over the engine's floor at 10k, at most 1.15",
            at10k and at10k.over_floor,
            "{:.2f}",
            1.15,
        ),
        (
            "site at 10k papers, at most 20 KB per paper",
            at10k and at10k.site_kb_per_paper,
            "{:.1f} KB",
            20,
        ),
        (
            "site at 30k papers, at most 20 KB per paper",
            at30k and at30k.site_kb_per_paper,
            "{:.1f} KB",
            20,
        ),
        (
            "search index at 10k, at most 2 KB per paper",
            at10k and at10k.index_kb_per_paper,
            "{:.2f} KB",
            2,
        ),
        (
            "first search result at 10k papers, within 1 s",
            at10k and at10k.search_ms,
            "{:,.0f} ms",
            1000,
        ),
        (
            "first search result at 30k papers, within 1 s",
            at30k and at30k.search_ms,
            "{:,.0f} ms",
            1000,
        ),
        (
            "slowest first result at 30k papers, within 1.5 s",
            at30k and at30k.search_max_ms,
            "{:,.0f} ms",
            1500,
        ),
        (
            "related papers for 30k papers, at most 60 s",
            at30k and at30k.stages.get("found"),
            "{:.1f} s",
            60,
        ),
        ("live preview at 10k papers, save to refreshed page within 5 s", preview_s, "{:.2f} s", 5),
    ]
    out = ["| Target | Measured | Met |", "| :--- | ---: | :---: |"]
    for target, value, written, limit in rows:
        if value is None or value is False or (isinstance(value, float) and math.isnan(value)):
            out.append(f"| {target} | not measured in this run | |")
        else:
            met = "yes" if value <= limit else "**no**"
            text = "> 120 s" if math.isinf(value) else written.format(value)
            out.append(f"| {target} | {text} | {met} |")
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
    for r in sorted(pagefind.values(), key=lambda r: r.size):
        if r.over_floor is None or r.floor_s is None:
            continue
        beyond = r.build_s - r.floor_s
        lines.append(
            f"- At {r.size:,} papers the full build took {r.build_s:.1f} s, {r.over_floor:.2f} "
            f"times the {r.floor_s:.1f} s of the same pages built by MkDocs alone "
            f"({beyond:.1f} s more): the generator {r.generator_s:.1f} s, MkDocs with the "
            f"plugin's hooks the other {r.build_s - r.generator_s:.1f} s. In CPU seconds the "
            f"build's processes took {r.build_cpu_s:.1f} s (Pagefind's and the generator's "
            f"child process among them), the floor's {r.floor_cpu_s or 0:.1f} s."
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


def sizes(results: Sequence[Result]) -> list[str]:
    """The Pages ceiling, as a bullet line."""
    found = ceiling(results)
    if found is None:
        return ["- Pages ceiling: not measured in this run (it needs two sizes)."]
    papers, kb, fixed = found
    return [
        f"- Pages ceiling: the site grows by {kb:.1f} KB a paper (between the two largest "
        f"sizes), from {fixed:,.0f} MB with none, so the largest survey that fits in "
        f"GitHub Pages' {PAGES_LIMIT_MB / 1024:.0f} GB holds about {papers:,} papers."
    ]


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
    preview: tuple[int, float] | None = None,
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
        "other, not with another machine's. Related papers are found by words (`related:",
        "words`): the default sentence encoder adds about 80 ms a paper the first time the",
        "paper is built and almost nothing after, as its vectors are kept (`bench/embed_time.py`).",
        "",
        table(results),
        "",
        "The scale targets, read off the table above:",
        "",
        *targets(results, preview),
        "",
        *comparison(results),
        *sizes(results),
        f"- Growth exponent of the full build time: {slope(results, 'build_s')}.",
        f"- Growth exponent of the generator time: {slope(results, 'generator_s')}.",
        generator,
        "- *Floor* is the engine's floor: the same pages, written to disk and built by",
        "  `mkdocs build --strict` alone with the same theme, templates and Markdown",
        "  extensions, but no survey plugin, gen-files, literate-nav or search index",
        "  (bench/floor.py), right after the full build of the same size; the run checks",
        "  that both builds wrote the same HTML pages. *Build/floor* is the ratio of their",
        "  wall times; *CPU s* counts the build's processes and those it waited for",
        "  (Pagefind among them), which the machine's other load sways less than wall time.",
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
        "- *Strict*: every build is `mkdocs build --strict`, as a deploy is, and a warning or",
        "  a failed build stops the benchmark. The seed taxonomy's themes are sized for a few",
        "  hundred papers: larger synthetic surveys draw advice (themes of more than 60",
        "  papers), which is logged and fails no build.",
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
