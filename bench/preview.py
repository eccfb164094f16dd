"""Measure the live preview: from saving taxonomy.yaml to the refreshed page in Chromium.

    .venv/bin/python bench/preview.py [--edits 3] [--papers 10000]

Copies the project into a temporary folder (with `--papers N`, a synthetic survey of N
papers made by bench/corpus.py, as bench/run.py makes them), starts `python -m generator
serve` there, opens a theme page in headless Chromium and edits that theme's summary in
taxonomy.yaml; the time is measured from the write to the moment the open page shows the
new text (the page reloads itself). Then it saves an invalid taxonomy.yaml and checks that
the error is printed and the last good page is still served, and restores it.

The last line of the output is one JSON object, for scripts that run this one:
`{"papers": N, "edits": E, "median_s": M, "runs_s": [s, ...], "ok": true}`, where N is
the survey's size (null for the project's own survey), `runs_s` the seconds from save to
refreshed page of each edit, `median_s` their median, and `ok` whether the checks of the
invalid edit passed (the exit status is 1 when not).
"""

from __future__ import annotations

import argparse
import json
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

import yaml
from playwright.sync_api import sync_playwright

from generator.copies import link_site_config

ROOT = Path(__file__).resolve().parent.parent
THEME = "latent-reasoning"
"""The theme whose page is open and whose summary each edit changes."""


def themes_of(taxonomy: dict[str, object]) -> list[dict[str, object]]:
    """Every theme of a parsed taxonomy.yaml, depth first."""
    out: list[dict[str, object]] = []
    stack = list(reversed(taxonomy.get("themes") or []))  # type: ignore[call-overload]
    while stack:
        theme = stack.pop()
        out.append(theme)
        stack.extend(reversed(theme.get("children") or []))
    return out


ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def copy_project(folder: Path, papers: int | None = None) -> None:
    """The project's survey, or a synthetic survey of `papers` papers, in `folder`."""
    if papers is not None:
        from corpus import make_project  # bench/ is this script's folder

        make_project(folder, papers)
        return
    for name in ("dumps", "docs"):
        shutil.copytree(ROOT / name, folder / name)
    shutil.copy(ROOT / "taxonomy.yaml", folder / "taxonomy.yaml")
    link_site_config(ROOT, folder)


def announced(server: subprocess.Popen[bytes], log: Path, timeout: float = 1200) -> str:
    """The address the preview says it serves on; fails at once if the preview exits."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        found = re.search(r"serving on (http://[^ ]+/)", log.read_text(encoding="utf-8"))
        if found:
            return found[1]
        if server.poll() is not None:
            raise RuntimeError(f"the preview exited ({server.returncode}):\n{log.read_text()}")
        time.sleep(0.1)
    raise TimeoutError(f"the preview announced no address in {timeout:.0f} s")


def wait_for(url: str, timeout: float = 1200) -> str:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                return response.read().decode()
        except OSError:
            time.sleep(0.2)
    raise TimeoutError(url)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--edits", type=int, default=3)
    parser.add_argument("--port", type=int, default=0, help="0 (the default): any free port")
    parser.add_argument(
        "--papers", type=int, help="a synthetic survey of this many papers (bench/corpus.py)"
    )
    parser.add_argument("--verbose", action="store_true", help="print the server's log")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="preview-bench-") as tmp:
        project = Path(tmp) / "project"
        copy_project(project, args.papers)
        log = open(Path(tmp) / "serve.log", "w+")  # noqa: SIM115
        server = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "generator",
                "--root",
                str(project),
                "serve",
                "--port",
                str(args.port),
                "--site-dir",
                str(Path(tmp) / "site"),
            ],
            stdout=log,
            stderr=subprocess.STDOUT,
            cwd=project,
        )
        try:
            base = announced(server, Path(tmp) / "serve.log")
            wait_for(base + "__build")
            taxonomy = project / "taxonomy.yaml"
            original = taxonomy.read_text(encoding="utf-8")
            # the opening words of the latent-reasoning summary, as the file has them
            summary = next(
                t["summary"] for t in themes_of(yaml.safe_load(original)) if t["id"] == THEME
            )
            anchor = summary.split("\n", 1)[0][:40]
            assert anchor in original, "the benchmark edits the latent-reasoning summary"
            times = []
            with sync_playwright() as pw:
                browser = pw.chromium.launch(executable_path=shutil.which("chromium"), args=ARGS)
                page = browser.new_page()
                page.goto(base + f"themes/{THEME}/")
                for n in range(args.edits):
                    marker = f"Preview{n}Marker"
                    started = time.perf_counter()
                    taxonomy.write_text(original.replace(anchor, f"{marker} {anchor}"), "utf-8")
                    page.wait_for_function(
                        f"document.body && document.body.innerText.includes('{marker}')",
                        timeout=600_000,
                        polling=50,
                    )
                    times.append(time.perf_counter() - started)
                taxonomy.write_text(original + "\nthemes: [\n", encoding="utf-8")
                # the open page reloads and shows the errors above the last good page
                banner = page.wait_for_selector(".survey-preview-error", timeout=600_000)
                shown = banner.inner_text() if banner else ""
                still = wait_for(base + "themes/latent-reasoning/")
                served = f"Preview{args.edits - 1}Marker" in still
                taxonomy.write_text(original, encoding="utf-8")
                page.wait_for_function(
                    "document.body && "
                    f"!document.body.innerText.includes('Preview{args.edits - 1}Marker')",
                    timeout=600_000,
                    polling=50,
                )
                cleared = page.locator(".survey-preview-error").count() == 0
                browser.close()
            log.seek(0)
            output = log.read()
        finally:
            server.terminate()
            server.wait(timeout=30)
    error_shown = "taxonomy.yaml:" in output and "YAML syntax error" in output
    if args.verbose:
        print(output)
    print(
        f"save -> refreshed page, {len(times)} edits: "
        + ", ".join(f"{t:.2f} s" for t in times)
        + f"; median {statistics.median(times):.2f} s"
    )
    in_page = "taxonomy.yaml:" in shown and "YAML syntax error" in shown
    print(
        f"invalid taxonomy.yaml: error printed: {error_shown}; last good page still served: "
        f"{served}; error shown in the open page: {in_page}; gone once fixed: {cleared}"
    )
    ok = error_shown and served and in_page and cleared
    summary = {
        "papers": args.papers,
        "edits": len(times),
        "median_s": round(statistics.median(times), 3),
        "runs_s": [round(t, 3) for t in times],
        "ok": ok,
    }
    print(json.dumps(summary))
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
