"""A paper's lasting identity and the facts a maintainer owns (papers.yaml), applied to the
merged corpus: near-duplicates merged where declared and reported where not, aliases,
corrected titles, ids, authors and dates, each with where it came from."""

from __future__ import annotations

import datetime as dt
import difflib
import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace

from .errors import Problem, did_you_mean
from .latex import clean_latex, title_name
from .model import Corpus, Facts, Paper
from .text import title_key
from .urls import RESERVED

ABSTRACT_SIMILARITY = 0.9
"""Two abstracts at least this similar (difflib ratio of their words) are the same text."""
TITLE_ABSTRACT_SIMILARITY = 0.5
"""Titles equal up to one word are one paper only if their abstracts are this similar."""
MIN_TITLE_WORDS = 4
_NEW_ARXIV = re.compile(r"(\d{2})(\d{2})\.\d{4,5}")


def apply_facts(
    corpus: Corpus, facts: Iterable[Facts], path: str = "papers.yaml"
) -> tuple[Corpus, list[Problem]]:
    """The corpus with papers.yaml applied: merges, aliases, then each paper's facts. Every
    slug papers.yaml names is checked against the papers, with its line and column."""
    facts = list(facts)
    problems: list[Problem] = []
    papers = corpus.by_slug()
    known = [f for f in facts if _exists(f.slug, f.line, 0, papers, path, problems)]
    merged = _merge(known, papers, path, problems)
    taken = set(merged)
    out: dict[str, Paper] = {}
    for slug, paper in merged.items():
        entry = next((f for f in known if f.slug == slug), None)
        if entry is not None:
            paper = _with_facts(paper, entry, path, problems, taken)
        out[slug] = _dated_by_arxiv(paper)
    result = replace(corpus, papers=tuple(out[s] for s in sorted(out)))
    return result, problems


def _exists(
    slug: str,
    line: int,
    col: int,
    papers: Mapping[str, Paper],
    path: str,
    problems: list[Problem],
) -> bool:
    if slug in papers:
        return True
    hint = did_you_mean(slug, papers)
    problems.append(Problem(path, line, col, f'no paper has the slug "{slug}"{hint}'))
    return False


def _merge(
    facts: list[Facts], papers: Mapping[str, Paper], path: str, problems: list[Problem]
) -> dict[str, Paper]:
    """Papers after the `merge:` declarations: each duplicate's sources, links and dates
    join the paper that keeps its slug, and the duplicate's slug becomes an alias."""
    out = dict(papers)
    into: dict[str, str] = {}
    for entry in facts:
        line, col = entry.where.get("merge", (entry.line, 0))
        for other in entry.merge:
            if not _exists(other, line, col, papers, path, problems):
                continue
            if other == entry.slug or other in into or other in {f.slug for f in facts if f.merge}:
                why = "itself" if other == entry.slug else "a paper already merged or merging"
                problems.append(Problem(path, line, col, f'"{other}" cannot merge into {why}'))
                continue
            into[other] = entry.slug
            out[entry.slug] = _combined(out[entry.slug], out.pop(other))
    return out


def _combined(keep: Paper, other: Paper) -> Paper:
    dated = [p for p in (keep, other) if p.published]
    first = min(dated, key=lambda p: p.published or dt.date.max, default=keep)
    return replace(
        keep,
        abstract=max((keep.abstract, other.abstract), key=len),
        published=first.published,
        date_source=first.date_source,
        authors_count=keep.authors_count or other.authors_count,
        organization=keep.organization or other.organization,
        organization_id=keep.organization_id or other.organization_id,
        upvotes=max((u for u in (keep.upvotes, other.upvotes) if u is not None), default=None),
        links=tuple(dict.fromkeys([*keep.links, *other.links])),
        sources=tuple(sorted({*keep.sources, *other.sources})),
        aliases=tuple(sorted({*keep.aliases, other.slug, *other.aliases})),
    )


def _with_facts(
    paper: Paper, entry: Facts, path: str, problems: list[Problem], taken: set[str]
) -> Paper:
    aliases = list(paper.aliases)
    line, col = entry.where.get("aliases", (entry.line, 0))
    for alias in entry.aliases:
        if alias in taken or alias in RESERVED or alias in aliases:
            why = "another paper's slug: merge the two with `merge:`" if alias in taken else ""
            problems.append(
                Problem(
                    path, line, col, f'alias "{alias}" is already taken{": " + why if why else ""}'
                )
            )
            continue
        taken.add(alias)
        aliases.append(alias)
    if entry.authors and paper.authors_count and len(entry.authors) != paper.authors_count:
        line, col = entry.where["authors"]
        problems.append(
            Problem(
                path,
                line,
                col,
                f"{len(entry.authors)} authors listed, but the dump counts {paper.authors_count}: "
                "is this the right paper?",
                "warning",
            )
        )
    title = clean_latex(entry.title, title_name(entry.title)) if entry.title else paper.title
    return replace(
        paper,
        title=title,
        dump_title=paper.dump_title or paper.title,
        arxiv=entry.arxiv,
        doi=entry.doi,
        openalex=entry.openalex,
        authors=entry.authors,
        venue=entry.venue,
        published=entry.published or paper.published,
        date_source="papers.yaml" if entry.published else paper.date_source,
        links=tuple(dict.fromkeys([*paper.links, *entry.links])),
        aliases=tuple(sorted(aliases)),
        from_metadata=entry.fields(),
    )


def _dated_by_arxiv(paper: Paper) -> Paper:
    """An undated paper with a new-style arXiv id gets the id's year and month."""
    m = _NEW_ARXIV.fullmatch(paper.arxiv or "")
    if paper.published is not None or m is None or not 1 <= int(m[2]) <= 12:
        return paper
    return replace(paper, published=dt.date(2000 + int(m[1]), int(m[2]), 1), date_source="arXiv id")


def _words(text: str) -> list[str]:
    return re.findall(r"\w+", title_key(text))


def near_duplicates(
    corpus: Corpus, facts: Iterable[Facts], path: str = "papers.yaml"
) -> list[Problem]:
    """A warning for each pair of papers that look like one paper (the same or nearly the
    same abstract, or titles equal up to one word with similar abstracts) and that
    papers.yaml neither merges nor declares distinct. Candidates come from shared keys (the
    abstract's opening and closing words, each title with one word left out), so the cost
    grows with the corpus, not with its square."""
    return [_report(a, b, why, path) for a, b, why in duplicate_pairs(corpus, facts)]


def duplicate_pairs(corpus: Corpus, facts: Iterable[Facts]) -> list[tuple[Paper, Paper, str]]:
    """(paper, paper, why) of every pair `near_duplicates` reports, by slugs."""
    apart = {frozenset((f.slug, o)) for f in facts for o in f.distinct}
    blocks: dict[tuple[str, str], list[Paper]] = defaultdict(list)
    for paper in corpus.papers:
        for key in _keys(paper):
            blocks[key].append(paper)
    pairs: dict[frozenset[str], tuple[Paper, Paper, str]] = {}
    tried: set[tuple[frozenset[str], str]] = set()  # a pair in many blocks is compared once
    words: dict[str, Words] = {}
    for (kind, _), group in sorted(blocks.items()):
        for i, a in enumerate(group[:50]):
            for b in group[i + 1 : 50]:
                pair = frozenset((a.slug, b.slug))
                if pair in pairs or pair in apart or (pair, kind) in tried:
                    continue
                tried.add((pair, kind))
                why = _same_paper(a, b, kind, words)
                if why:
                    pairs[pair] = (a, b, why)
    return sorted(pairs.values(), key=lambda t: (t[0].slug, t[1].slug))


def _keys(paper: Paper) -> list[tuple[str, str]]:
    words = _words(paper.abstract)
    keys = []
    if len(words) >= 20:
        keys += [("abstract", " ".join(words[:12])), ("abstract", " ".join(words[-12:]))]
    title = _words(paper.title)
    if len(title) >= MIN_TITLE_WORDS:
        keys.append(("title", " ".join(title)))
        keys += [("title", " ".join(title[:i] + ["*"] + title[i + 1 :])) for i in range(len(title))]
        keys += [("title", " ".join(title[:i] + title[i + 1 :])) for i in range(len(title))]
    return keys


def _similarity(a: Words, b: Words, least: float) -> float:
    """How alike two abstracts' words are (difflib's ratio), or an upper bound of it when
    that bound (the share of words they have in common, counted with repeats, which is
    difflib's quick_ratio) is already less than `least`."""
    total = len(a.words) + len(b.words)
    if not total:
        return 1.0
    small, large = sorted((a.counts, b.counts), key=len)
    common = sum(min(n, large.get(word, 0)) for word, n in small.items())
    bound = 2.0 * common / total
    if bound < least:
        return bound
    return difflib.SequenceMatcher(None, a.words, b.words, autojunk=False).ratio()


@dataclass(frozen=True)
class Words:
    """An abstract's words in order, and how often each occurs."""

    words: list[str]
    counts: Counter[str]


def _same_paper(a: Paper, b: Paper, kind: str, words: dict[str, Words]) -> str:
    """Why `a` and `b` look like one paper, "" if they do not; `words` caches each
    paper's abstract's words by slug."""
    if set(a.sources) & set(b.sources):
        return ""
    for paper in (a, b):
        if paper.slug not in words:
            found = _words(paper.abstract)
            words[paper.slug] = Words(found, Counter(found))
    least = TITLE_ABSTRACT_SIMILARITY if kind == "title" else ABSTRACT_SIMILARITY
    similar = _similarity(words[a.slug], words[b.slug], least)
    if similar >= ABSTRACT_SIMILARITY:
        return (
            "the same abstract"
            if similar == 1
            else f"nearly the same abstract ({similar:.0%} alike)"
        )
    if kind == "title" and similar >= TITLE_ABSTRACT_SIMILARITY:
        return f"titles equal up to one word, abstracts {similar:.0%} alike"
    return ""


def _report(a: Paper, b: Paper, why: str, path: str) -> Problem:
    keep, other = sorted((a, b), key=lambda p: (p.sources[0], p.slug))
    there = other.sources[0]
    return Problem(
        keep.sources[0].file,
        keep.sources[0].line,
        0,
        f'"{keep.title}" and "{other.title}" ({there.file}:{there.line}) look like one paper: '
        f"{why}. In {path}, merge them (both sources are kept) with\n"
        f"{keep.slug}:\n  merge: [{other.slug}]\n"
        f"or, if they are different papers, say so with\n"
        f"{keep.slug}:\n  distinct: [{other.slug}]",
        "warning",
    )
