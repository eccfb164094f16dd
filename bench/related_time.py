"""The related-papers stage of two checkouts of the generator, on the benchmark's survey.

    .venv/bin/python bench/related_time.py OTHER_CHECKOUT [--size 10000] [--runs 3]

Makes the benchmark's synthetic survey of `--size` papers once (bench/corpus.py), places
its papers in themes, then times `generator.related.related` (TF-IDF included, as in the
build) in a fresh process for this checkout and for OTHER_CHECKOUT in turn, `--runs`
times each. Prints each run's seconds, the medians and their ratio (this / other).
"""

from __future__ import annotations

import argparse
import pickle
import random
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

TIMED = """
import pickle, sys, time
from generator.related import related
papers, themes_of, weight = pickle.load(open(sys.argv[1], "rb"))
started = time.perf_counter()
related(papers, themes_of=themes_of, theme_weight=weight)
print(time.perf_counter() - started)
"""


def survey(size: int, path: Path) -> None:
    """The papers of a benchmark survey of `size`, with their themes, pickled to `path`."""
    from bench.corpus import distinct_papers, seed_papers
    from generator.assign import assign
    from generator.ingest import merge
    from generator.load import load
    from generator.model import RawRecord, Source
    from generator.text import slugify

    inputs = load(ROOT)
    seed = seed_papers()
    taken = {slugify(title) for title, _ in seed}
    papers = seed + distinct_papers(size - len(seed), seed, random.Random(0), taken)
    records = [RawRecord(t, a, Source("bench", i + 1)) for i, (t, a) in enumerate(papers)]
    corpus = merge(records)[0]
    themes_of = assign(corpus, inputs.taxonomy).themes_of
    weight = inputs.config.settings.related_theme_weight
    path.write_bytes(pickle.dumps((corpus.papers, dict(themes_of), weight)))


def timed(checkout: Path, data: Path) -> float:
    proc = subprocess.run(
        [sys.executable, "-c", TIMED, str(data)],
        cwd=checkout,
        env={"PYTHONPATH": str(checkout)},
        capture_output=True,
        text=True,
        check=True,
    )
    return float(proc.stdout.split()[-1])


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("other", type=Path)
    parser.add_argument("--size", type=int, default=10000)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="related-time-") as tmp:
        data = Path(tmp) / "survey.pickle"
        survey(args.size, data)
        mine, other = [], []
        for run in range(args.runs):
            mine.append(timed(ROOT, data))
            other.append(timed(args.other.resolve(), data))
            print(f"run {run + 1}: this {mine[-1]:.2f} s, other {other[-1]:.2f} s")
    a, b = statistics.median(mine), statistics.median(other)
    print(f"median: this {a:.2f} s, other {b:.2f} s, ratio {a / b:.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
