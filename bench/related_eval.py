"""Related papers measured on the judged pairs of evaluation/related_pairs.yaml.

A pair is a hit when either paper is among the other's five related papers. The pairs
before the first line `# --- blind sample` are DEV; each such line starts a blind sample,
TEST (seed 20261203) and NEW (seed 419830696). A change of the similarity is tuned on DEV
only, and the blind samples are read only to report a chosen method, so that their figure
says how the method does on pairs nobody tuned it for. TEST was read for seven variants
while the sentence encoder was chosen (docs/architecture.md); NEW was first read for the
method chosen.

    python bench/related_eval.py [--variant NAME ...] [--test]

Without --variant it measures the site's own related papers (generator/related.py with the
configured `related_theme_weight`). A variant scores every pair of the seed survey's papers
densely, as an experiment: `configured` is that same similarity, and each other one changes
one thing (see VARIANTS). Printed per variant: DEV hits and the mean reciprocal rank of
each pair's partner (the better of its two ranks; for the site's lists, a partner not among
the five shown counts 0); with --test, TEST and all pairs too.
"""

from __future__ import annotations

import argparse
import re
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import numpy as np
import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from generator import related as R  # noqa: E402
from generator.site import Build, build  # noqa: E402

PAIRS = ROOT / "evaluation" / "related_pairs.yaml"
MARK = "# --- blind sample"


def split(path: Path = PAIRS) -> list[list[dict[str, Any]]]:
    """DEV, then each blind sample: the pairs between the lines starting with MARK."""
    text = path.read_text(encoding="utf-8")
    pairs = yaml.safe_load(text)["pairs"]
    cuts = [m.start() for m in re.finditer(r"^\s*" + re.escape(MARK), text, flags=re.M)]
    counts = [len(re.findall(r"^\s*- a:", text[:cut], flags=re.M)) for cut in cuts]
    bounds = [0, *counts, len(pairs)]
    return [pairs[a:b] for a, b in zip(bounds, bounds[1:], strict=False)]


def partner_ranks(top: Callable[[str], list[str]], pairs: Sequence[dict[str, Any]]) -> list[int]:
    """For each pair, the better rank (1 = first) of one paper in the other's list."""
    out = []
    for p in pairs:
        a, b = top(p["a"]), top(p["b"])
        ranks = [a.index(p["b"]) + 1 if p["b"] in a else 10**6]
        ranks.append(b.index(p["a"]) + 1 if p["a"] in b else 10**6)
        out.append(min(ranks))
    return out


def dense_lists(site: Build, score: np.ndarray) -> Callable[[str], list[str]]:
    """Each paper's others, best first (ties by slug), from a dense similarity."""
    papers = site.corpus.papers
    slugs = [p.slug for p in papers]
    index = {s: i for i, s in enumerate(slugs)}
    rank = np.argsort(np.argsort(slugs))
    score = np.round(score.astype(np.float64), 5)
    np.fill_diagonal(score, -np.inf)
    return lambda s: [slugs[j] for j in np.lexsort((rank, -score[index[s]]))[:-1]]


def _cosine(site: Build, matrix: Any = None) -> tuple[np.ndarray, np.ndarray]:
    """(text similarity, shared-theme overlap) of every pair."""
    papers = site.corpus.papers
    matrix = R.tfidf(papers)[0] if matrix is None else matrix
    themes = R._theme_matrix(papers, site.assignment.themes_of)
    return (matrix @ matrix.T).toarray(), (themes @ themes.T).toarray()


def _weight(site: Build) -> float:
    return float(site.inputs.config.settings.related_theme_weight)


def configured(site: Build) -> np.ndarray:
    text, themes = _cosine(site)
    return text + np.float32(_weight(site)) * themes


def no_themes(site: Build) -> np.ndarray:
    return _cosine(site)[0]


def bm25(site: Build, k1: float = 1.2, b: float = 0.75) -> np.ndarray:
    """Saturating term frequency with length normalisation, in place of log tf."""
    from sklearn.feature_extraction.text import CountVectorizer
    from sklearn.preprocessing import normalize

    papers = site.corpus.papers
    base = R.make_vectorizer(len(papers))
    counts = CountVectorizer(
        stop_words="english",
        ngram_range=base.ngram_range,
        min_df=base.min_df,
        max_df=base.max_df,
        token_pattern=base.token_pattern,
    ).fit_transform(R.paper_text(p) for p in papers)
    counts = counts.tocsr().astype(np.float64)
    df = np.bincount(counts.indices, minlength=counts.shape[1])
    idf = np.log((len(papers) + 1) / (df + 1)) + 1
    length = np.asarray(counts.sum(axis=1)).ravel()
    row = np.repeat(np.arange(len(papers)), np.diff(counts.indptr))
    tf = counts.data
    counts.data = tf * (k1 + 1) / (tf + k1 * (1 - b + b * length[row] / length.mean()))
    weighted = normalize(counts.multiply(idf).tocsr())
    text, themes = _cosine(site, weighted)
    return text + _weight(site) * themes


def _refit(site: Build, text: Callable[[str], str], **options: Any) -> np.ndarray:
    """The configured similarity over a vectorizer changed by `options`, reading each
    paper's text through `text`."""
    papers = site.corpus.papers
    vectorizer = R.make_vectorizer(len(papers)).set_params(**options)
    matrix = vectorizer.fit_transform(text(R.paper_text(p)) for p in papers)
    similarity, themes = _cosine(site, matrix)
    return similarity + _weight(site) * themes


_WORD = re.compile(r"(?u)\b[a-zA-Z][a-zA-Z0-9]+(?:-[a-zA-Z0-9]+)*\b")
_SUFFIXES = (("ies", "y", 5), ("ing", "", 6), ("ed", "", 5), ("es", "", 5), ("s", "", 4))


def _fold(word: str) -> str:
    """A rough stem: one inflectional suffix off ("traces", "tracing" -> "trac")."""
    word = word.lower()
    for suffix, replacement, shortest in _SUFFIXES:
        if (
            len(word) >= shortest
            and word.endswith(suffix)
            and not word.endswith(("ss", "us", "is"))
        ):
            word = word[: -len(suffix)] + replacement
            break
    return word[:-1] if len(word) > 4 and word.endswith("e") else word


def stemmed(site: Build) -> np.ndarray:
    return _refit(site, lambda t: _WORD.sub(lambda m: _fold(m.group(0)), t))


def unigrams(site: Build) -> np.ndarray:
    return _refit(site, lambda t: t, ngram_range=(1, 1))


def idf_squared(site: Build) -> np.ndarray:
    """Rare shared terms count more: each weight times its idf once more."""
    from sklearn.preprocessing import normalize

    matrix, vectorizer = R.tfidf(site.corpus.papers)
    similarity, themes = _cosine(site, normalize(matrix.multiply(vectorizer.idf_).tocsr()))
    return similarity + _weight(site) * themes


def soft_themes(site: Build, weight: float = 0.2) -> np.ndarray:
    """Plus the cosine of the papers' affinities to every theme's text (title, summary,
    rule phrases): papers near the same themes, whether or not the rules placed them."""
    from sklearn.preprocessing import normalize

    matrix, vectorizer = R.tfidf(site.corpus.papers)
    texts = [
        ". ".join([t.title, t.summary, *t.rules.keywords, *t.rules.title_keywords])
        for t in site.taxonomy.themes
    ]
    profile = normalize((matrix @ vectorizer.transform(texts).T).toarray())
    return configured(site) + weight * (profile @ profile.T)


def mutual_rank(site: Build, c: float = 0.02) -> np.ndarray:
    """Less for a pair far down either paper's list (reciprocal-neighbour re-ranking)."""
    score = configured(site).astype(np.float64)
    ranked = score.copy()
    np.fill_diagonal(ranked, -np.inf)
    rank = np.argsort(np.argsort(-ranked, axis=1), axis=1).astype(np.float64)
    return score - c * np.log1p(rank + rank.T)


def _meaning(site: Build) -> np.ndarray:
    """The cosine of the papers' sentence-encoder vectors (generator/encoder.py)."""
    from generator.encoder import embed, paper_text
    from generator.load import CACHE, _vectors

    texts = [paper_text(p.title, p.abstract) for p in site.corpus.papers]
    vectors = embed(texts, _vectors(ROOT / CACHE))[0]
    return vectors @ vectors.T


def meaning(site: Build, weight: float | None = None) -> np.ndarray:
    """Sentence-encoder cosine in place of TF-IDF, plus the configured shared themes."""
    themes = _cosine(site)[1]
    return _meaning(site) + np.float32(_weight(site) if weight is None else weight) * themes


def meaning_words(site: Build) -> np.ndarray:
    """Sentence-encoder cosine plus the configured similarity (TF-IDF and themes)."""
    return _meaning(site) + configured(site)


VARIANTS: dict[str, Callable[[Build], np.ndarray]] = {
    "meaning": meaning,
    "meaning-themes-0.1": lambda site: meaning(site, 0.1),
    "meaning-themes-0.2": lambda site: meaning(site, 0.2),
    "meaning-no-themes": lambda site: meaning(site, 0.0),
    "meaning-words": meaning_words,
    "configured": configured,
    "no-themes": no_themes,
    "bm25": bm25,
    "stemmed": stemmed,
    "unigrams": unigrams,
    "idf-squared": idf_squared,
    "soft-themes": soft_themes,
    "mutual-rank": mutual_rank,
}


def report(name: str, top: Callable[[str], list[str]], test: bool) -> str:
    dev_pairs, *blind = split()
    parts = []
    named = [("test", blind[0]), ("new", [p for b in blind[1:] for p in b])]
    every = dev_pairs + [p for b in blind for p in b]
    sets = [("dev", dev_pairs)] + ([*named, ("all", every)] * test)
    for label, pairs in sets:
        ranks = partner_ranks(top, pairs)
        hits = sum(r <= 5 for r in ranks)
        mrr = float(np.mean([1 / r for r in ranks]))
        parts.append(f"{label} {hits}/{len(pairs)} ({hits / len(pairs):.0%}, MRR {mrr:.3f})")
    return f"{name:12s} " + "  ".join(parts)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--variant", action="append", choices=sorted(VARIANTS), default=[])
    parser.add_argument(
        "--test", action="store_true", help="also report the blind samples (sparingly)"
    )
    args = parser.parse_args(argv)
    site = build(ROOT)
    if not args.variant:
        links = site.related
        print(report("site", lambda s: [x.slug for x in links[s]], args.test))
    for name in args.variant:
        print(report(name, dense_lists(site, VARIANTS[name](site)), args.test))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
