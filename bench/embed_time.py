"""What the sentence encoder costs a build: the seed survey's papers encoded with no cache,
then read back from the cache, and the related-papers stage with and without the vectors.

    .venv/bin/python bench/embed_time.py [--runs 3]

Each timing runs in a fresh process (the model read from disk included, as in a build), in
a temporary copy of the cache folder; medians are printed with the ratios between them.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

TIMED = """
import sys, time
from pathlib import Path
from generator.load import load
from generator.neighbours import related_papers
from generator.site import analyse
from generator.vectors import write_cache
from dataclasses import replace
inputs = load(Path(sys.argv[1]))
if sys.argv[3] == "words":
    inputs = replace(inputs, vectors=None)
elif inputs.vectors is not None:
    folder = Path(sys.argv[2])
    from generator.load import _vectors
    inputs = replace(inputs, vectors=_vectors(folder))
survey = analyse(inputs)
started = time.perf_counter()
links, used = related_papers(inputs, survey.corpus, survey.assignment)
print(time.perf_counter() - started, len(survey.corpus.papers))
if inputs.vectors is not None:
    write_cache(inputs.vectors.folder, used)
"""


def timed(cache: Path, mode: str) -> tuple[float, int]:
    done = subprocess.run(
        [sys.executable, "-c", TIMED, str(ROOT), str(cache), mode],
        capture_output=True,
        text=True,
        check=True,
        cwd=ROOT,
    )
    seconds, papers = done.stdout.split()
    return float(seconds), int(papers)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    cold, warm, words = [], [], []
    papers = 0
    for _ in range(args.runs):
        with tempfile.TemporaryDirectory() as folder:
            cache = Path(folder) / "cache"
            seconds, papers = timed(cache, "meaning")
            cold.append(seconds)
            warm.append(timed(cache, "meaning")[0])
        words.append(timed(Path("."), "words")[0])
    c, w, t = (statistics.median(x) for x in (cold, warm, words))
    print(f"{papers} papers, median of {args.runs} runs each")
    print(f"  meaning, no cache:     {c:.2f} s ({1000 * c / papers:.0f} ms a paper)")
    print(f"  meaning, cached:       {w:.2f} s")
    print(f"  words (TF-IDF alone):  {t:.2f} s")
    print(f"  no cache / cached: {c / w:.1f}x; cached / words: {w / t:.2f}x")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
