"""Related papers' explanations: a stop list learned from the corpus, and lemma folding."""

from __future__ import annotations

import pytest

from generator.lemma import lemma
from generator.model import Paper, Source
from generator.related import related, tfidf
from generator.topical import SAID_ONCE_MIN, explained_words, generic_words, topical_words

FILLER = 30
"""Papers in the fixture survey; each pair (2i, 2i + 1) shares words of its own."""


def _paper(n: int, title: str, abstract: str) -> Paper:
    return Paper(
        slug=f"p{n:02d}",
        key=title.casefold(),
        title=title,
        abstract=abstract,
        published=None,
        authors_count=None,
        organization=None,
        organization_id=None,
        upvotes=None,
        links=(),
        sources=(Source("dumps/a.txt", n + 1),),
    )


def _survey(shared: dict[int, str]) -> list[Paper]:
    """FILLER papers: the first ten say "transformer" again and again (a third of the
    survey: common, yet under the vectorizer's max_df), and paper n also says shared[n]."""
    papers = []
    for n in range(FILLER):
        words = [f"topic{n // 2}x", shared.get(n, "")]
        if n < 10:
            words += ["transformer"] * 6
        papers.append(_paper(n, f"Paper {n}", " ".join(words)))
    return papers


def test_a_word_most_papers_share_never_explains_a_link() -> None:
    """Papers 0 and 1 share "transformer" with eight more papers, and "zebrafish" with no
    other: the frequent word weighs most in their similarity, yet only the rare one shows."""
    papers = _survey({0: "zebrafish", 1: "zebrafish"})
    matrix, vectorizer = tfidf(papers)
    terms = vectorizer.get_feature_names_out().tolist()
    assert "transformer" in terms  # the vectorizer kept it: only the stop list drops it
    assert lemma("transformer") in generic_words(matrix, terms)
    links = related(papers)
    first = links["p00"][0]
    assert first.slug == "p01"
    assert "zebrafish" in first.terms and "transformer" not in first.terms, first.terms
    # Papers that share nothing but the frequent word are still related, unexplained.
    assert all(not link.terms for link in links["p04"] if link.slug not in {"p05"})
    assert any(link.slug == "p02" for link in links["p04"])


def test_the_document_frequency_of_a_word_counts_all_its_forms() -> None:
    """ "cache" in two papers and "caches" in two others: four papers use the word, more
    than the survey's share, while neither form alone is."""
    share = {10: "cache", 11: "cache", 12: "caches", 13: "caches"}
    papers = _survey(share)
    matrix, vectorizer = tfidf(papers)
    terms = vectorizer.get_feature_names_out().tolist()
    assert lemma("cache") in generic_words(matrix, terms)
    alone = _survey({10: "cache", 11: "cache"})
    matrix, vectorizer = tfidf(alone)
    assert lemma("cache") not in generic_words(matrix, vectorizer.get_feature_names_out())


@pytest.mark.parametrize(
    "forms",
    [
        ("model", "models", "modelling", "modeling", "modelled"),
        ("reason", "reasons", "reasoning", "reasoned"),
        ("attention", "attentions"),
        ("network", "networks"),
        ("cache", "caches", "caching", "cached"),
        ("memory", "memories"),
        ("process", "processes", "processing"),
        ("embed", "embeds", "embedding", "embeddings", "embedded"),
        ("strategy", "strategies"),
        ("bias", "biases"),
        ("LLM", "LLMs", "llms"),
        ("fine-tune", "fine-tuned", "fine-tuning"),
    ],
)
def test_lemma_folds_the_inflections_of_a_word(forms: tuple[str, ...]) -> None:
    assert len({lemma(w) for w in forms}) == 1, {w: lemma(w) for w in forms}


@pytest.mark.parametrize(
    "words",
    [
        ("attention", "attend"),
        ("thing", "think"),
        ("speed", "sped"),
        ("analysis", "analyst"),
        ("sparse", "sparsity"),
        ("corpus", "corp"),
    ],
)
def test_lemma_keeps_different_words_apart(words: tuple[str, ...]) -> None:
    assert len({lemma(w) for w in words}) == len(words), {w: lemma(w) for w in words}


def test_an_explanation_shows_a_lemma_once() -> None:
    """Two papers that both say "cache", "caches" and "caching" show one of the three."""
    both = "cache zz caches yy caching"
    papers = _survey({0: both, 1: both})
    terms = related(papers)["p00"][0].terms
    lemmas = [lemma(w) for t in terms for w in t.split()]
    assert lemmas.count(lemma("cache")) == 1, terms
    assert explained_words("caches caching", frozenset()) == []
    assert explained_words("kv caches", frozenset({lemma("kv")})) == ["kv", lemma("cache")]
    assert explained_words("models", frozenset({lemma("model")})) == []


def test_a_word_no_paper_says_twice_is_of_style_not_of_a_topic() -> None:
    """In 120 papers, "additionally" and "zebrafish" are each in SAID_ONCE_MIN papers,
    too few to be generic by their share: "zebrafish" comes back within its papers, so it
    names their topic; "additionally" never does, so it explains no link."""
    papers = []
    for n in range(120):
        words = [f"topic{n // 2}x", f"topic{n // 2}x"]
        if n < SAID_ONCE_MIN:
            words += ["additionally", "zebrafish", "zebrafish"]
        papers.append(_paper(n, f"Paper {n}", " ".join(words)))
    matrix, vectorizer = tfidf(papers)
    terms = vectorizer.get_feature_names_out().tolist()
    generic = generic_words(matrix, terms, vectorizer.idf_)
    assert lemma("additionally") in generic and lemma("zebrafish") not in generic
    assert lemma("additionally") not in generic_words(matrix, terms)
    first = related(papers)["p00"][0]
    assert "zebrafish" in first.terms and "additionally" not in first.terms, first.terms


def test_a_term_shows_only_with_a_word_used_far_more_here_than_in_english() -> None:
    """Two papers share "eviction", two others share only "results" and "system": in these
    papers "eviction" is hundreds of times as frequent as in English at large, the other
    two a few times, as in any text, so only the first pair's link names what it shares."""
    papers = []
    for n in range(30):
        words = [f"filler{n}w{k}" for k in range(50)]
        words += {0: ["eviction"] * 2, 1: ["eviction"] * 2, 2: ["results", "system"]}.get(n, [])
        words += ["results", "system"] if n == 3 else []
        papers.append(_paper(n, f"Paper {n}", " ".join(words)))
    assert topical_words(papers, {"eviction", "results", "system"}) == {"eviction"}
    links = related(papers)
    assert "eviction" in links["p00"][0].terms
    partner = next(x for x in links["p02"] if x.slug == "p03")
    assert partner.terms == (), partner.terms
