"""Place papers in themes by the taxonomy's rules."""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from .errors import Problem
from .model import Corpus, Paper, Taxonomy, Theme
from .taxonomy import compile_phrase

MAX_LEAF = 60


@dataclass(frozen=True)
class Assignment:
    """Which papers each theme holds, and which themes each paper is in."""

    direct: Mapping[str, tuple[str, ...]]
    """Theme id -> slugs the theme claims itself and no sub-theme claims, sorted."""
    members: Mapping[str, tuple[str, ...]]
    """Theme id -> slugs of the theme and all its sub-themes, sorted."""
    themes_of: Mapping[str, tuple[str, ...]]
    """Slug -> the most specific themes claiming it, in taxonomy order."""
    unsorted: tuple[str, ...]
    """Slugs no theme claims, sorted."""
    why: Mapping[tuple[str, str], str]
    """(slug, theme id) -> what claimed the paper: 'listed', 'title: x' or 'abstract: x'."""


class _Phrase:
    """A compiled rule phrase with a literal word it cannot match without: most phrases are
    absent from most papers, and a substring test rules them out far faster than a regex."""

    def __init__(self, phrase: str) -> None:
        self.pattern = compile_phrase(phrase)
        words = [] if phrase.startswith("/") else [w.rstrip("*") for w in phrase.split()]
        self.needle = max(words, key=len).casefold() if words else ""

    def search(self, text: str, folded: str) -> bool:
        return self.needle in folded and self.pattern.search(text) is not None

    def count(self, text: str, folded: str) -> int:
        return len(self.pattern.findall(text)) if self.needle in folded else 0


@dataclass(frozen=True)
class _Text:
    """A paper's text as the rules read it, with case folded once for the quick test."""

    title: str
    abstract: str
    both: str
    folded_title: str
    folded_abstract: str
    folded_both: str

    @classmethod
    def of(cls, paper: Paper) -> _Text:
        both = paper.title + "\n" + paper.abstract
        return cls(
            paper.title,
            paper.abstract,
            both,
            paper.title.casefold(),
            paper.abstract.casefold(),
            both.casefold(),
        )


def _claims(theme: Theme, paper: Paper, t: _Text, patterns: Mapping[str, _Phrase]) -> str | None:
    rules = theme.rules
    if paper.slug in rules.papers:
        return "listed in papers"
    if paper.slug in rules.exclude:
        return None
    title, abstract, folded_title, folded_abstract = (
        t.title,
        t.abstract,
        t.folded_title,
        t.folded_abstract,
    )
    for phrase in rules.exclude_keywords:
        if patterns[phrase].search(t.both, t.folded_both):
            return None
    for phrase in rules.title_keywords + rules.keywords:
        if patterns[phrase].search(title, folded_title):
            return f'title has "{phrase}"'
    hits = 0
    found = []
    for phrase in rules.keywords:
        n = patterns[phrase].count(abstract, folded_abstract)
        if n:
            hits += n
            found.append(phrase)
    if hits and hits >= rules.abstract_min:
        return "abstract has " + ", ".join(f'"{p}"' for p in found)
    return None


def assign(corpus: Corpus, taxonomy: Taxonomy) -> Assignment:
    """Apply every theme's rules to every paper."""
    patterns: dict[str, _Phrase] = {}
    for theme in taxonomy.themes:
        r = theme.rules
        for phrase in r.keywords + r.title_keywords + r.exclude_keywords:
            if phrase not in patterns:
                patterns[phrase] = _Phrase(phrase)
    by_id = taxonomy.by_id()
    order = {t.id: n for n, t in enumerate(taxonomy.themes)}

    claimed: dict[str, set[str]] = {t.id: set() for t in taxonomy.themes}
    why: dict[tuple[str, str], str] = {}
    for paper in corpus.papers:
        text = _Text.of(paper)
        for theme in taxonomy.themes:
            reason = _claims(theme, paper, text, patterns)
            if reason:
                claimed[theme.id].add(paper.slug)
                why[(paper.slug, theme.id)] = reason

    def ancestors(theme_id: str) -> list[str]:
        # a taxonomy with a duplicate id (reported as an error) can make a parent chain loop
        out: list[str] = []
        parent = by_id[theme_id].parent
        while parent is not None and parent not in out and parent != theme_id:
            out.append(parent)
            parent = by_id[parent].parent
        return out

    members: dict[str, set[str]] = {t.id: set(claimed[t.id]) for t in taxonomy.themes}
    for theme in taxonomy.themes:
        for up in ancestors(theme.id):
            members[up] |= claimed[theme.id]

    themes_of: dict[str, list[str]] = {}
    for paper in corpus.papers:
        mine = {t for t in claimed if paper.slug in claimed[t]}
        covered = {a for t in mine for a in ancestors(t)}
        specific = sorted(mine - covered, key=order.__getitem__)
        if specific:
            themes_of[paper.slug] = specific
    direct = {
        t.id: tuple(sorted(s for s in claimed[t.id] if t.id in themes_of.get(s, ())))
        for t in taxonomy.themes
    }
    unsorted = tuple(sorted(p.slug for p in corpus.papers if p.slug not in themes_of))
    return Assignment(
        direct=direct,
        members={k: tuple(sorted(v)) for k, v in members.items()},
        themes_of={k: tuple(v) for k, v in sorted(themes_of.items())},
        unsorted=unsorted,
        why=why,
    )


def closest(name: str, choices: Iterable[str], n: int) -> list[str]:
    """Up to n choices that `name` most likely meant: those it begins (a slug written
    short), else the most similar."""
    ordered = sorted(choices)
    starts = [c for c in ordered if c.startswith(name)]
    return starts[:n] if starts else difflib.get_close_matches(name, ordered, n=n, cutoff=0.5)


def validate(corpus: Corpus, taxonomy: Taxonomy, assignment: Assignment) -> list[Problem]:
    """Problems that need the corpus: unknown paper references, empty or over-broad themes."""
    problems: list[Problem] = []
    slugs = corpus.by_slug()
    titles = {p.title.casefold(): p.slug for p in corpus.papers}
    for theme in taxonomy.themes:
        for field, value, line, col in theme.rules.positions:
            if field not in ("papers", "exclude") or value in slugs:
                continue
            if value.casefold() in titles:
                hint = f'; write its slug "{titles[value.casefold()]}"'
            else:
                close = closest(value, slugs, 2)
                hint = (
                    "; did you mean "
                    + " or ".join(f'"{c}" ({slugs[c].title})' for c in close)
                    + "?"
                    if close
                    else ""
                )
            problems.append(
                Problem(
                    taxonomy.path,
                    line,
                    col,
                    f'{field} of theme "{theme.id}" names unknown paper "{value}"{hint}',
                )
            )
        problems += _summary_links(theme, taxonomy, slugs)
        count = len(assignment.members[theme.id])
        if count == 0:
            problems.append(
                Problem(
                    taxonomy.path, theme.line, 0, f'theme "{theme.id}" holds no papers', "warning"
                )
            )
        elif not theme.children and count > MAX_LEAF:
            problems.append(
                Problem(
                    taxonomy.path,
                    theme.line,
                    0,
                    f'theme "{theme.id}" holds {count} papers, more than {MAX_LEAF}: '
                    "split it into sub-themes or narrow its rules",
                    "warning",
                )
            )
    return problems


_LINK = re.compile(r"\]\(/(papers|themes)/([^/)#]+)/?(?:\.md)?(?:#[^)]*)?\)")


def _summary_links(theme: Theme, taxonomy: Taxonomy, slugs: Mapping[str, Paper]) -> list[Problem]:
    """Links in a summary to papers or themes that do not exist."""
    problems = []
    ids = {t.id for t in taxonomy.themes}
    for m in _LINK.finditer(theme.summary):
        kind, name = m.group(1), m.group(2)
        known = slugs if kind == "papers" else ids
        if name in known:
            continue
        line = theme.summary_line + theme.summary[: m.start()].count("\n")
        hint = closest(name, known, 1)
        problems.append(
            Problem(
                taxonomy.path,
                line,
                0,
                f'the summary of "{theme.id}" links to unknown {kind[:-1]} "{name}"'
                + (f' (did you mean "{hint[0]}"?)' if hint else ""),
            )
        )
    return problems
