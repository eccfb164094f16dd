"""The fast paths of the generator give what the plain ones give: escaping, front matter,
theme rules, and related papers past the size where every pair is scored."""

from __future__ import annotations

import difflib
import html
import re
from collections import Counter
from pathlib import Path

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from generator import identity, latex
from generator import related as related_module
from generator import site as site_module
from generator.assign import assign
from generator.evaluate import related_hits
from generator.load import load
from generator.model import Corpus, Paper, Rules, Settings, Source, Taxonomy, Theme
from generator.phrases import compile_phrase
from generator.render import _MD_SPECIAL, front_matter, md_escape
from generator.site import corpus_of

ROOT = Path(__file__).parent.parent
THEME_WEIGHT = Settings().related_theme_weight
TABLE = {ord(c): f"&#{ord(c)};" for c in _MD_SPECIAL}
# Characters that matter: Markdown syntax, characters that case-fold to ASCII letters,
# line breaks YAML knows, characters YAML cannot hold as they are.
TRICKY = st.text(
    alphabet=st.one_of(
        st.sampled_from(sorted(_MD_SPECIAL) + list("\u0130\u0131\u017f\u212a\x85\u2028\ufeff\t\n")),
        st.characters(exclude_categories=("Cs",)),
    ),
    max_size=60,
)


@given(TRICKY)
def test_md_escape_matches_a_character_table(text: str) -> None:
    assert md_escape(text) == text.translate(TABLE)


@given(TRICKY, TRICKY)
def test_front_matter_reads_back_as_written(title: str, feed: str) -> None:
    text = str(front_matter(title=title, feed=feed, hide=["toc"], search={"boost": 2}))
    assert text.startswith("---\n") and text.endswith("\n---\n")
    expected = {
        "title": html.escape(title, quote=False),
        "feed": feed,
        "hide": ["toc"],
        "search": {"boost": 2},
    }
    assert yaml.safe_load(text[4:-4]) == expected
    if yaml.__with_libyaml__:  # what MkDocs reads front matter with
        assert yaml.load(text[4:-4], Loader=yaml.CSafeLoader) == expected


def _paper(n: int, title: str, abstract: str) -> Paper:
    return Paper(
        slug=f"p{n}",
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


PHRASES = [
    "key value",
    "kv cache*",
    "skip",
    "is",
    "chain-of-thought",
    "o(n",
    "re-reading",
    "attention",
    "attention head*",
    "/\\bLLMs?\\b/",
    "/\\w+Bench\\b/",
    "naïve",
    "sink",
]
WORDS = [
    "key",
    "Key",
    "\u212aey",  # KELVIN SIGN: matches "k" case-insensitively
    "\u017fkip",  # LONG S
    "\u0130s",  # I WITH DOT ABOVE
    "ı",
    "value",
    "KV",
    "cache",
    "caches",
    "chain-of-thought",
    "chain of thought",
    "o(n",
    "re-reading",
    "attention",
    "attention-heads",
    "LLMs",
    "llm",
    "MathBench",
    "NAÏVE",
    "sink",
    "sinks",
    "-",
    "\n",
    ",",
    "é",
]


class _Plain:
    """A phrase tried on its own: its pattern, where its longest word (case-folded) is."""

    def __init__(self, phrase: str) -> None:
        self.pattern = compile_phrase(phrase)
        words = [] if phrase.startswith("/") else [w.rstrip("*") for w in phrase.split()]
        self.needle = max(words, key=len).casefold() if words else ""

    def search(self, text: str) -> bool:
        return self.needle in text.casefold() and self.pattern.search(text) is not None

    def findall(self, text: str) -> list[str]:
        return self.pattern.findall(text) if self.needle in text.casefold() else []


def compile_rule(phrase: str) -> _Plain:
    return _Plain(phrase)


def _naive(corpus: Corpus, taxonomy: Taxonomy) -> dict[tuple[str, str], str]:
    """Every rule of every theme tried on every paper, as the rules are written."""
    why = {}
    for paper in corpus.papers:
        both = paper.title + "\n" + paper.abstract
        for theme in taxonomy.themes:
            r = theme.rules
            if paper.slug in r.papers:
                why[(paper.slug, theme.id)] = "listed in papers"
                continue
            if paper.slug in r.exclude or any(
                compile_rule(p).search(both) for p in r.exclude_keywords
            ):
                continue
            title = next(
                (p for p in r.title_keywords + r.keywords if compile_rule(p).search(paper.title)),
                None,
            )
            if title:
                why[(paper.slug, theme.id)] = f'title has "{title}"'
                continue
            counts = [(p, len(compile_rule(p).findall(paper.abstract))) for p in r.keywords]
            found = [p for p, n in counts if n]
            if found and sum(n for _, n in counts) >= r.abstract_min:
                why[(paper.slug, theme.id)] = "abstract has " + ", ".join(f'"{p}"' for p in found)
    return why


@settings(max_examples=60, deadline=None)
@given(
    st.lists(
        st.tuples(
            st.lists(st.sampled_from(WORDS), max_size=6),
            st.lists(st.sampled_from(WORDS), max_size=25),
            st.sampled_from([" ", "", "-", " - "]),
        ),
        min_size=1,
        max_size=8,
    ),
    st.lists(
        st.tuples(
            st.lists(st.sampled_from(PHRASES), max_size=3),
            st.lists(st.sampled_from(PHRASES), max_size=3),
            st.lists(st.sampled_from(PHRASES), max_size=2),
            st.integers(1, 3),
        ),
        min_size=1,
        max_size=5,
    ),
)
def test_rules_claim_what_each_pattern_on_each_paper_claims(
    texts: list[tuple[list[str], list[str], str]],
    rules: list[tuple[list[str], list[str], list[str], int]],
) -> None:
    papers = tuple(
        _paper(n, glue.join(title) or "untitled", glue.join(abstract))
        for n, (title, abstract, glue) in enumerate(texts)
    )
    themes = tuple(
        Theme(
            id=f"t{n}",
            title=f"T{n}",
            summary="",
            rules=Rules(
                keywords=tuple(k),
                title_keywords=tuple(t),
                exclude_keywords=tuple(x),
                abstract_min=m,
                papers=("p0",) if n == 0 else (),
            ),
            parent=None,
            children=(),
            line=n + 1,
            summary_line=0,
        )
        for n, (k, t, x, m) in enumerate(rules)
    )
    taxonomy = Taxonomy("T", "", "", (), themes, "taxonomy.yaml", tuple(t.id for t in themes), ())
    corpus = Corpus(papers, (), len(papers))
    assert dict(assign(corpus, taxonomy).why) == _naive(corpus, taxonomy)


def test_seed_rules_claim_what_each_pattern_claims() -> None:
    inputs = load(ROOT)
    corpus, taxonomy = corpus_of(inputs), inputs.taxonomy
    assert dict(assign(corpus, taxonomy).why) == _naive(corpus, taxonomy)


def test_candidate_search_finds_the_judged_pairs(monkeypatch: pytest.MonkeyPatch) -> None:
    """Past EXACT_MAX papers, related papers come from candidates; forced on the seed
    survey, they keep the judged pairs and most papers' five related papers."""
    inputs = load(ROOT)
    corpus, taxonomy = corpus_of(inputs), inputs.taxonomy
    themes_of = assign(corpus, taxonomy).themes_of

    def links() -> dict:
        return related_module.related(corpus.papers, themes_of=themes_of, theme_weight=THEME_WEIGHT)

    exact = links()
    monkeypatch.setattr(related_module, "EXACT_MAX", 10)
    found = links()
    pairs = ROOT / "evaluation" / "related_pairs.yaml"
    assert related_hits(pairs, found).hits >= related_hits(pairs, exact).hits
    same = sum({x.slug for x in exact[s]} == {x.slug for x in found[s]} for s in exact)
    assert same >= 0.85 * len(exact)
    for slug, mine in found.items():
        assert len(mine) == len(exact[slug])
        for link in mine:
            # no terms when the two share only generic words (generator/related.py)
            assert 0 < link.score <= 1
            assert re.fullmatch(r"[\w\- ]*", " ".join(link.terms))


# Pieces of LaTeX and of text that looks like it, joined at random: every step of the
# cleaner has something to do in some of them, and nothing in others.
LATEX_PIECES = st.sampled_from(
    [
        "\\textbf{x}",
        "{textbf S}patio",
        "textbf{y}",
        "mathbf x_0",
        "langle bo rangle",
        "kleq 10",
        "geq",
        "$O(n^2)$",
        "$5 and $10",
        "\\(a_i\\)",
        "$$x$$",
        "``q''",
        "\"x''",
        "`s'",
        "it's",
        "~6%",
        "et~al.",
        "{time}{place}",
        "}",
        "{",
        "\\{",
        "\\%",
        "\\,",
        "10^{-3}",
        "x_0",
        "snake_case",
        "\\ourmodel",
        "\\ourmodel-7B",
        "\\alpha",
        "\\'e",
        "\\cite{x}",
        "https://x{https://x}",
        "https://a.b/c_d",
        "\\url{https://e.f}",
        "\U000f0001",
        "emphasize",
        "underline the",
        " ",
        ".",
        "plain words",
    ]
)


@settings(max_examples=300)
@given(
    st.lists(LATEX_PIECES, max_size=8).map("".join), st.sampled_from(["", "Name"]), st.booleans()
)
def test_latex_cleaning_skips_only_steps_with_nothing_to_do(
    text: str, name: str, words: bool
) -> None:
    every_step = latex.cleaned(text, name, words, needs=lambda text, parts: True)
    assert latex.clean_latex(text, name, words=words) == every_step


@given(
    st.lists(st.sampled_from("a b c d e f".split()), max_size=30),
    st.lists(st.sampled_from("a b c d e f".split()), max_size=30),
    st.sampled_from([0.5, 0.9]),
)
def test_similarity_bounds_drop_only_pairs_below_the_threshold(
    a: list[str], b: list[str], least: float
) -> None:
    ratio = difflib.SequenceMatcher(None, a, b, autojunk=False).ratio()
    found = identity._similarity(
        identity.Words(a, Counter(a)), identity.Words(b, Counter(b)), least
    )
    assert found == ratio if ratio >= least else found < least


def test_a_build_made_partly_in_a_child_process_is_the_build_made_in_one(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    if not site_module.Aside.available():
        pytest.skip("this platform or process cannot fork")
    forks = []
    real = site_module.Aside.__init__

    def counted(self: site_module.Aside[object], work: object) -> None:
        forks.append(work)
        real(self, work)  # type: ignore[arg-type]

    monkeypatch.setattr(site_module.Aside, "__init__", counted)
    beside = site_module.build(ROOT, eager=True)
    assert len(forks) == 1
    monkeypatch.setattr(site_module.Aside, "available", staticmethod(lambda: False))
    alone = site_module.build(ROOT, eager=True)
    assert len(forks) == 1
    assert list(beside.pages) == list(alone.pages)
    assert {p: beside.pages[p] for p in beside.pages} == {p: alone.pages[p] for p in alone.pages}
    assert beside.files == alone.files
    assert beside.warnings == alone.warnings
    assert any("look like one paper" in p.message for p in beside.warnings) == any(
        "look like one paper" in p.message for p in site_module.analyse(alone.inputs).warnings
    )
