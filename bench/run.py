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
headless Chromium. Every build is `mkdocs build --strict`, as a deploy's is, and any warning
stops the benchmark. At the --floor sizes the same pages are also built by MkDocs alone
(bench/floor.py), right after the full build, for the ratio of the two; the live preview is
timed by bench/preview.py when it takes a --papers option. The table goes to stdout and,
unless --no-write, to docs/performance.md (bench/report.py writes it).
"""

from __future__ import annotations

import argparse
import re
import shlex
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

from measure import (
    CHROMIUM,
    CHROMIUM_ARGS,
    DEFAULT_SIZES,
    ENGINES,
    FLOOR_SIZES,
    FULL_SIZE,
    Result,
    measure,
)
from report import report, slope, table

ROOT = Path(__file__).resolve().parent.parent
PREVIEW_SIZE = 10000


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
    parser.add_argument(
        "--floor",
        default=",".join(map(str, FLOOR_SIZES)),
        help="comma-separated sizes whose pages are also built by MkDocs alone, the engine's "
        "floor (bench/floor.py), right after the full build (default: %(default)s)",
    )
    parser.add_argument(
        "--preview",
        type=int,
        default=PREVIEW_SIZE,
        help="size of the survey whose live preview bench/preview.py times, when it takes a "
        "--papers option; 0: none (default: %(default)s)",
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
    floors = {int(s) for s in args.floor.split(",") if s.strip()}
    runs = [(size, ENGINES["pagefind"]) for size in sizes]
    runs += [(int(s), ENGINES["builtin"]) for s in args.builtin.split(",") if s.strip()]
    with _browser(not args.no_browser) as (browser, version):
        for size, engine in runs:
            print(f"bench: {size:,} papers, {engine.name} search ...", file=sys.stderr, flush=True)
            floor = engine.name == "pagefind" and size in floors
            result = measure(size, work, browser, args.in_process, engine, floor)
            results.append(result)
            print(table([result]).splitlines()[-1], file=sys.stderr, flush=True)
            if not args.work:
                shutil.rmtree(work / f"survey-{size}-{engine.name}", ignore_errors=True)
                shutil.rmtree(work / f"site-{size}-{engine.name}", ignore_errors=True)
                shutil.rmtree(work / f"floor-{size}", ignore_errors=True)
                shutil.rmtree(work / f"floor-site-{size}", ignore_errors=True)
    if not args.work:
        shutil.rmtree(work, ignore_errors=True)
    preview = preview_seconds(args.preview) if args.preview else None
    took = time.perf_counter() - started
    print(table(results))
    print(f"build time growth exponent: {slope(results, 'build_s')}")
    print(f"generator time growth exponent: {slope(results, 'generator_s')}")
    print(
        f"preview at {args.preview:,} papers: "
        + ("not measured" if preview is None else f"{preview[1]:.2f} s")
    )
    if not args.no_write:
        args.write.write_text(
            report(results, command, version, took, args.in_process, preview), encoding="utf-8"
        )
        print(f"wrote {args.write}")
    return 0


def preview_seconds(size: int) -> tuple[int, float] | None:
    """bench/preview.py's median from saving taxonomy.yaml to the refreshed page, for a
    survey of `size` papers, when it takes a --papers option (else None)."""
    script = Path(__file__).with_name("preview.py")
    usage = subprocess.run(
        [sys.executable, str(script), "--help"], capture_output=True, text=True, timeout=60
    )
    if "--papers" not in usage.stdout:
        return None
    print(f"bench: the live preview at {size:,} papers ...", file=sys.stderr, flush=True)
    proc = subprocess.run(
        [sys.executable, str(script), "--papers", str(size)],
        capture_output=True,
        text=True,
        timeout=3600,
    )
    return size, parse_preview(proc.stdout)


def parse_preview(output: str) -> float:
    """The median in bench/preview.py's line 'save -> refreshed page, ...; median 1.23 s'."""
    found = re.search(r"^save -> refreshed page.*median ([\d.]+) s$", output, re.MULTILINE)
    if not found:
        raise SystemExit(f"bench/preview.py printed no median:\n{output[-2000:]}")
    return float(found[1])


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
