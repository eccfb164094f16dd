"""The reader's search measured on the judged queries of evaluation/search_queries.yaml.

Every query is typed into the site's own search dialog (docs/js/search.js over the Pagefind
index of generator/search.py) in headless Chromium, and the pages it lists are read back in
their order, so what is measured is what a reader gets. A query succeeds at k when its
`expect` page, or one of its `also` pages, is among the first k results; a query whose
`expect` is `none` succeeds when the dialog lists nothing.

    python bench/search_eval.py [--site DIR | --at REV] [--part-size N] [--out FILE]

Without --site the seed site is built first (`mkdocs build --strict`, as the deploy does),
from the working tree or, with --at, from the repository as it was at a commit (to measure
before a change); --part-size splits its search index as a large survey's is split (the
tests' site has parts of 150 records). --out writes the per-query results as YAML
(evaluation/search_results_before.yaml and _after.yaml).
"""

from __future__ import annotations

import argparse
import functools
import http.server
import os
import subprocess
import sys
import tempfile
import threading
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parent.parent
QUERIES = ROOT / "evaluation" / "search_queries.yaml"
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking"]
OPEN = "[data-survey-search-open]"
BOX = "input.survey-search__input"
STATUS = "#survey-search-status"
RESULT = "a.survey-search__result"
RESULTS = "#survey-search-results"
KEPT = 5
"""Results recorded per query."""


def load_queries(path: Path = QUERIES) -> list[dict[str, Any]]:
    items = yaml.safe_load(path.read_text(encoding="utf-8"))
    assert isinstance(items, list), f"{path}: expected a list of queries"
    return items


def wanted(query: dict[str, Any]) -> set[str]:
    """The pages that answer `query` well; empty for a query that should find nothing."""
    if query["expect"] == "none":
        return set()
    return {query["expect"], *(query.get("also") or [])}


def ask(page: Any, site_url: str, text: str) -> tuple[list[str], str]:
    """Type `text` into the open dialog at once; wait for its answer (the results list is
    aria-busy while a query is answered, and the status line then says what was found).
    Returns the listed pages (relative to the site's root, in order) and the status."""
    settled = f"""() => !document.querySelector({RESULTS!r}).hasAttribute("aria-busy")"""
    page.fill(BOX, "")
    page.wait_for_function(settled)
    page.fill(BOX, text)
    page.wait_for_function(f"() => ({settled})() && document.querySelector({STATUS!r}).textContent")
    hrefs: list[str] = page.eval_on_selector_all(RESULT, "els => els.map(a => a.href)")
    return [h.removeprefix(site_url) or "./" for h in hrefs], page.inner_text(STATUS)


def judge(page: Any, site_url: str, queries: Sequence[dict[str, Any]]) -> list[dict[str, Any]]:
    """Each query's first results and whether they succeed at 1 and at 3."""
    page.goto(site_url)
    page.click(OPEN)
    rows = []
    for query in queries:
        found, status = ask(page, site_url, query["query"])
        good = wanted(query)
        if good:
            at1, at3 = bool(found[:1]) and found[0] in good, bool(good & set(found[:3]))
        else:
            at1 = at3 = not found
        rows.append(
            {
                "query": query["query"],
                "kind": query.get("kind", ""),
                "expect": query["expect"],
                "top": found[:KEPT],
                "status": status,
                "success@1": at1,
                "success@3": at3,
            }
        )
    return rows


def scores(rows: Sequence[dict[str, Any]]) -> dict[str, float]:
    n = len(rows)
    return {
        "success@1": sum(r["success@1"] for r in rows) / n,
        "success@3": sum(r["success@3"] for r in rows) / n,
    }


@contextmanager
def serve(site: Path) -> Iterator[str]:
    class Quiet(http.server.SimpleHTTPRequestHandler):
        def log_message(self, format: str, *args: object) -> None:  # noqa: A002
            pass

    server = http.server.ThreadingHTTPServer(
        ("127.0.0.1", 0), functools.partial(Quiet, directory=str(site))
    )
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()


def build_seed(out: Path, source: Path = ROOT, part_size: int | None = None) -> None:
    """Build the seed project in `source` into `out`, as the deploy does; with `part_size`,
    its search index in parts of that many records (conftest.built_site uses 150)."""
    project = source
    if part_size:
        project = out.parent / "project"
        project.mkdir()
        for name in ("dumps", "docs", "taxonomy.yaml", "published.json", "papers.yaml"):
            (project / name).symlink_to(source / name)
        sys.path.insert(0, str(source))
        from generator.copies import link_site_config

        link_site_config(source, project, search_part_size=part_size)
    env = {**os.environ, "SURVEY_SITE_URL": "https://example.github.io/survey/"}
    env["PYTHONPATH"] = str(source)
    cmd = [sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir", str(out)]
    subprocess.run(cmd, cwd=project, env=env, check=True, capture_output=True)


def checkout(rev: str, folder: Path) -> Path:
    """The repository as it was at `rev`, in `folder` (for a measure before a change)."""
    subprocess.run(["git", "clone", "-q", str(ROOT), str(folder)], check=True)
    subprocess.run(["git", "-C", str(folder), "checkout", "-q", rev], check=True)
    return folder


def evaluate(site: Path) -> list[dict[str, Any]]:
    from playwright.sync_api import sync_playwright

    with serve(site) as url, sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            context = browser.new_context(viewport={"width": 1280, "height": 800})
            context.route(lambda u: not u.startswith(url), lambda route: route.abort())
            return judge(context.new_page(), url, load_queries())
        finally:
            browser.close()


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--site", type=Path, help="a built site (default: build the seed)")
    parser.add_argument("--at", metavar="REV", help="build the seed as it was at this commit")
    parser.add_argument("--part-size", type=int, help="records per part of the search index")
    parser.add_argument("--out", type=Path, help="write the per-query results here (YAML)")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        site = args.site
        if site is None:
            source = checkout(args.at, Path(tmp) / "repo") if args.at else ROOT
            (Path(tmp) / "build").mkdir()
            site = Path(tmp) / "build" / "site"
            build_seed(site, source, args.part_size)
        rows = evaluate(site)
    summary = scores(rows)
    for row in rows:
        mark = "ok  " if row["success@3"] else "MISS"
        print(f"{mark} {row['query'][:60]!r:64} -> {(row['top'] or ['(nothing)'])[0]}")
    print(f"success@1 {summary['success@1']:.3f}  success@3 {summary['success@3']:.3f}")
    if args.out:
        command = " ".join(["python bench/search_eval.py", *(argv or sys.argv[1:])])
        data = {"command": command, "queries": len(rows)}
        data.update({k: round(v, 3) for k, v in summary.items()})
        text = yaml.safe_dump({**data, "results": rows}, sort_keys=False, allow_unicode=True)
        args.out.write_text(f"# The judged search queries, run by bench/search_eval.py.\n{text}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
