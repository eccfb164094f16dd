"""The maintainer's gate against the build: `python -m generator check` and the README's
`make site` (`mkdocs build --strict`) on the seed survey, alternated in one run.

    .venv/bin/python bench/gate.py [--runs 3]

Prints each run's seconds, the medians and their ratio. The check parses, merges, places
and validates; it renders no page and runs no t-SNE, so it should stay a small share of
the build.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).parent.parent
ENV = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "DISABLE_MKDOCS_2_WARNING": "true"}


def timed(cmd: list[str]) -> float:
    started = time.perf_counter()
    proc = subprocess.run(cmd, cwd=ROOT, env=ENV, capture_output=True, text=True, timeout=900)
    took = time.perf_counter() - started
    if proc.returncode != 0:
        sys.exit(f"`{' '.join(cmd)}` failed:\n{proc.stderr[-3000:]}")
    return took


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    check = [sys.executable, "-m", "generator", "check"]
    checks, builds = [], []
    with tempfile.TemporaryDirectory() as tmp:
        build = [sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir", tmp]
        for _ in range(args.runs):
            checks.append(timed(check))
            builds.append(timed(build))
    c, b = statistics.median(checks), statistics.median(builds)
    print("check:      " + ", ".join(f"{t:.2f} s" for t in checks) + f"; median {c:.2f} s")
    print("build:      " + ", ".join(f"{t:.2f} s" for t in builds) + f"; median {b:.2f} s")
    print(f"check/build: {c / b:.2f} (the check takes {100 * c / b:.0f}% of the build's time)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
