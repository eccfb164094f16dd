"""What the related papers' explanations show on a built site's paper pages.

    .venv/bin/mkdocs build --strict --site-dir /tmp/site
    .venv/bin/python bench/explanations.py /tmp/site

Reads every `papers/*/index.html` for its "shared terms: ..." lines and prints how many
pages show a word among the survey's most common ones (the TOP share of its words, by
the number of papers using any form of the word; generator.related.lemma folds the
forms), how many pages show a term made only of such words, how many entries repeat a
lemma ("model, models"), and how many links show no terms. The seed survey's papers are
read from the repository, so two sites built from it (before and after a change) are
measured against the same words.
"""

from __future__ import annotations

import argparse
import html
import re
import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).parent.parent
sys.path.insert(0, str(ROOT))

from generator.lemma import lemma  # noqa: E402
from generator.load import load  # noqa: E402
from generator.related import paper_text  # noqa: E402
from generator.site import analyse  # noqa: E402

TOP = 0.05
WORD = re.compile(r"(?u)\b[a-zA-Z][a-zA-Z0-9]+(?:-[a-zA-Z0-9]+)*\b")
SHARED = re.compile(r"shared terms: ([^<]*)</small>")
LINK = re.compile(r'<li><a href="[^"]*">[^<]*</a>(<br>\s*<small>shared terms:)?')


def common_words() -> tuple[set[str], float]:
    """The lemmas in the TOP share of the corpus's lemmas by document frequency, and the
    least share of papers one of them is in."""
    from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS

    papers = analyse(load(ROOT)).corpus.papers
    df: Counter[str] = Counter()
    for paper in papers:
        words = {w.lower() for w in WORD.findall(paper_text(paper))}
        df.update({lemma(w) for w in words - ENGLISH_STOP_WORDS})
    ranked = df.most_common()
    top = ranked[: max(1, round(TOP * len(ranked)))]
    return {w for w, _ in top}, top[-1][1] / len(papers)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("site", type=Path)
    args = parser.parse_args()
    common, least = common_words()
    pages = any_word = all_words = entries = repeats = bare = 0
    for page in sorted((args.site / "papers").glob("*/index.html")):
        text = page.read_text(encoding="utf-8")
        lines = [html.unescape(m) for m in SHARED.findall(text)]
        pages += 1
        entries += len(lines)
        terms = [t.strip() for line in lines for t in line.split(",")]
        any_word += any(lemma(w) in common for t in terms for w in t.split())
        all_words += any(all(lemma(w) in common for w in t.split()) for t in terms)
        for line in lines:
            lemmas = [lemma(w) for w in line.replace(",", " ").split()]
            repeats += len(set(lemmas)) < len(lemmas)
        section = text.split('id="related-papers"', 1)[-1]
        bare += sum(1 for m in LINK.finditer(section) if not m.group(1))
    print(f"common words: the top {TOP:.0%} of {len(common) / TOP:.0f} lemmas, in >= {least:.1%}")
    print(f"paper pages: {pages}; explanation lines: {entries}; links without one: {bare}")
    print(f"pages showing a common word: {any_word}")
    print(f"pages showing a term of common words only: {all_words}")
    print(f"explanations repeating a lemma: {repeats}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
