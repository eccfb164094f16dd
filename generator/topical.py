"""The words that explain a related-papers link (generator/related.py): not the survey's
generic words (generic_words, learned from its papers), and only terms with a word that
names a topic, one its papers use far more often than English at large does, by the word
counts of the `wordfreq` package (web pages, books, news, subtitles and more). A word any
abstract may use, whatever its subject ("additional", "robust", "scenarios"), is used here
about as often as anywhere, and explains no link."""

from __future__ import annotations

import itertools
import math
import re
from collections import Counter
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING

import numpy as np
from scipy import sparse

from .lemma import lemma

if TYPE_CHECKING:
    from .model import Paper

KEYNESS_MIN = 3.8
"""The least natural log of (a word's share of the survey's words) over (its share of
English words) for a topic word: about 45 times as frequent. Chosen on the first half of
the terms in evaluation/shared_terms.yaml, which a blind reader labelled topical or
generic before it was written: of the 69 labelled either, the shown terms with a word at
or above it were 16 topical and 2 generic, against 24 and 45 for all."""

ENGLISH_FLOOR = 1e-8
"""The share in English given to a word that wordfreq does not know (its own least is
about 1e-8): such a word ("gsm8k", "rlvr") is the survey's own."""

WORD = re.compile(r"(?u)\b[a-zA-Z][a-zA-Z0-9]+(?:-[a-zA-Z0-9]+)*\b")
"""A word as the TF-IDF vectorizer reads it (generator/related.py)."""


def topical_words(papers: Sequence[Paper], words: Iterable[str]) -> frozenset[str]:
    """Of `words` (lower case), those the papers' titles and abstracts use at least
    e**KEYNESS_MIN times as often as English does."""
    from wordfreq import word_frequency

    counts = Counter(w.lower() for p in papers for w in WORD.findall(f"{p.title} {p.abstract}"))
    total = sum(counts.values())
    if not total:
        return frozenset()
    floor = math.log(total) + KEYNESS_MIN
    return frozenset(
        w
        for w in set(words)
        if counts[w]
        and math.log(counts[w]) - math.log(word_frequency(w, "en", minimum=ENGLISH_FLOOR)) >= floor
    )


GENERIC_SHARE = 0.08
"""A word whose lemma is in more than this share of the papers is generic: it still counts
in the similarity, but never explains a link alone (a term of generic words only is not
shown). Chosen on the seed survey (349 papers): the lowest share that still catches every
word of the hand-written list it replaced (the least common of them, "show", is in 8.6%
of the papers); it is also about where the survey's 5% of words in most papers begin (in
8.0% of the papers and more, `bench/explanations.py`)."""

SAID_ONCE_MIN = 8
"""A word (its lemma) in at least this many papers that no paper says twice, not even in
its title (counted twice), is a word of style ("additionally", "comprises", "ensure"), not
of a topic, whose words come back within some of its papers: it is generic too. Chosen on
the seed survey: at 8 papers this adds 161 lemmas, of which a few name topics
("annotation", "loss", "math500"); at 5 it would add 207 more, with more topics among them
("perplexity", "positional", "rollout")."""

GENERIC_MIN = 2
"""A word in at most this many papers is never generic: in a small survey, a share of
its papers may be one or two, and a word two papers share is what relates them."""

HAND_GENERIC = frozenset({"https", "http", "www", "com", "github", "io", "org"})
"""Generic whatever their frequency: the pieces of a code link in an abstract say
that both papers publish code, not what they are about."""


def generic_words(
    matrix: sparse.csr_matrix, terms: Sequence[str], idf: np.ndarray | None = None
) -> frozenset[str]:
    """The lemmas in more than GENERIC_SHARE of the papers (rows of `matrix` over `terms`),
    counting a paper once for all the forms it uses; with `idf` (the vectorizer's), also
    those in at least SAID_ONCE_MIN papers that no paper says twice; and HAND_GENERIC."""
    unigrams = [i for i, t in enumerate(terms) if " " not in t]
    lemmas = [lemma(terms[i]) for i in unigrams]
    column = {w: c for c, w in enumerate(dict.fromkeys(lemmas))}
    # papers x terms @ terms x lemmas: a paper's forms of one lemma count once
    fold = sparse.csr_matrix(
        (
            np.ones(len(unigrams), dtype=np.float32),
            (unigrams, [column[w] for w in lemmas]),
        ),
        shape=(len(terms), max(len(column), 1)),
    )
    present = sparse.csr_matrix(
        (np.ones(matrix.nnz, dtype=np.float32), matrix.indices, matrix.indptr),
        shape=matrix.shape,
    )
    df = np.bincount((present @ fold).indices, minlength=fold.shape[1])
    limit = max(GENERIC_SHARE * matrix.shape[0], GENERIC_MIN)
    generic = df > limit
    if idf is not None:
        repeated = fold.T @ _repeated(matrix, idf).astype(np.float32)
        generic |= (df >= SAID_ONCE_MIN) & (repeated == 0)
    chosen = {w for w, c in column.items() if generic[c]}
    return frozenset(chosen | {lemma(w) for w in HAND_GENERIC})


def _repeated(matrix: sparse.csr_matrix, idf: np.ndarray) -> np.ndarray:
    """Whether some paper says each term more than once. A weight divided by its idf is
    (1 + ln tf) over the row's norm, so a term said once in a row has the row's least
    quotient, and a term said twice 1.69 times that (sublinear tf; twice as much
    without)."""
    quotient = matrix.data / idf[matrix.indices]
    sizes = np.diff(matrix.indptr)
    full = sizes > 0
    least = np.zeros(matrix.shape[0], dtype=quotient.dtype)
    if full.any():
        least[full] = np.minimum.reduceat(quotient, matrix.indptr[:-1][full])
    twice = quotient > 1.3 * np.repeat(least, sizes)
    return np.bincount(matrix.indices[twice], minlength=matrix.shape[1]) > 0


def term_words(
    matrix: sparse.csr_matrix,
    terms: Sequence[str],
    idf: np.ndarray | None = None,
    topical: frozenset[str] | None = None,
) -> list[list[str]]:
    """explained_words of every term, with generic_words; a word found in terms but not
    alone is generic too, as the vectorizer dropped it for being in most papers (max_df).
    With `topical` (generator/topical.py), a term none of whose words is in it shows none."""
    split = [t.split() for t in terms]
    lemmas = {w: lemma(w) for w in set(itertools.chain.from_iterable(split))}
    dropped = lemmas.keys() - {t for t in terms if " " not in t}
    generic = generic_words(matrix, terms, idf) | {lemmas[w] for w in dropped}
    out: list[list[str]] = []
    for words in split:
        if topical is not None and topical.isdisjoint(words):
            out.append([])
        elif len(words) == 1:
            one = lemmas[words[0]]
            out.append([] if one in generic else [one])
        else:
            mine = [lemmas[w] for w in words]
            shown = not generic.issuperset(mine) and len(set(mine)) == len(mine)
            out.append(mine if shown else [])
    return out


def explained_words(term: str, generic: frozenset[str]) -> list[str]:
    """The lemmas a term shows, or none for a term made only of `generic` lemmas or
    saying one twice ("caches caching"): a term is shown when it shares no lemma with a
    term already shown."""
    lemmas = [lemma(w) for w in term.split()]
    if generic.issuperset(lemmas) or len(set(lemmas)) < len(lemmas):
        return []
    return lemmas


def distinct_terms(ranked: Iterable[str], n: int) -> tuple[str, ...]:
    """Strongest terms, skipping a word already shown inside a chosen bigram or vice versa."""
    chosen: list[str] = []
    shown: set[str] = set()
    for term in ranked:
        words = term.split()
        if not shown.isdisjoint(words):
            continue
        chosen.append(term)
        shown.update(words)
        if len(chosen) == n:
            break
    return tuple(chosen)
