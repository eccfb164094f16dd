"""Checks that need the papers: every name and link in taxonomy.yaml leads somewhere, with
a "did you mean" that prefers published and older papers and follows renames recorded in
published.json, and editorial advice on theme sizes, which fails no build."""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from .assign import oversized
from .errors import Problem, did_you_mean
from .model import Assignment, Corpus, Paper, Taxonomy, Theme
from .urls import internal_links, summary_links, unsafe_links


def closest(
    name: str, choices: Iterable[str], n: int, rank: Mapping[str, tuple[object, ...]] = {}
) -> list[str]:
    """Up to n choices that `name` most likely meant: those it begins (a slug written
    short), else the most similar; among those, the ones `rank` puts first (published
    papers, then older ones: a newcomer's near-copy is rarely what was meant)."""
    ordered = sorted(choices, key=lambda c: (rank.get(c, ()), c))
    starts = [c for c in ordered if c.startswith(name)]
    if starts:
        return starts[:n]
    close = difflib.get_close_matches(name, ordered, n=max(n, 5), cutoff=0.5)
    best = difflib.SequenceMatcher(None, name, close[0]).ratio() if close else 0
    near = [c for c in close if difflib.SequenceMatcher(None, name, c).ratio() >= best - 0.05]
    return sorted(near, key=lambda c: (rank.get(c, ()), close.index(c)))[:n]


def paper_rank(corpus: Corpus, published: Iterable[str]) -> dict[str, tuple[object, ...]]:
    """Published papers first, then by the first dump line that lists them."""
    live = set(published)
    return {p.slug: (p.slug not in live, p.sources[0]) for p in corpus.papers}


@dataclass(frozen=True)
class Names:
    """What a name in taxonomy.yaml can refer to, and how to tell what was meant."""

    papers: Mapping[str, Paper]
    themes: Mapping[str, Theme]
    aliases: Mapping[str, str]
    """Alias (papers.yaml) to the paper's slug."""
    moved: Mapping[str, str]
    """"papers/<old>" or "themes/<old>" to the slug or id published.json says it became."""
    rank: Mapping[str, tuple[object, ...]]

    def hint(self, kind: str, name: str) -> str:
        """What to write instead of an unknown paper slug or theme id, or ''."""
        known: Mapping[str, Paper | Theme] = self.papers if kind == "papers" else self.themes
        alias = self.aliases.get(name) if kind == "papers" else None
        if alias is not None and alias in known:
            return f'; it is an alias of "{alias}" ({known[alias].title}): write that slug'
        new = self.moved.get(f"{kind}/{name}")
        if new is not None and new in known:
            return (
                f'; it became "{new}" ({known[new].title}), as published.json records: write that'
            )
        close = closest(name, known, 2, self.rank if kind == "papers" else {})
        if not close:
            return ""
        return "; did you mean " + " or ".join(f'"{c}" ({known[c].title})' for c in close) + "?"


def validate(
    corpus: Corpus,
    taxonomy: Taxonomy,
    assignment: Assignment,
    published: Iterable[str] = (),
    moved: Mapping[str, str] = {},
) -> list[Problem]:
    """Problems that need the corpus: unknown paper references, links that lead nowhere,
    and advice on empty or over-broad themes. `published` are the slugs published.json
    records, `moved` what it says former pages became (generator/redirects.py)."""
    names = Names(
        corpus.by_slug(),
        taxonomy.by_id(),
        {a: p.slug for p in corpus.papers for a in p.aliases},
        moved,
        paper_rank(corpus, published),
    )
    problems: list[Problem] = []
    for theme in taxonomy.themes:
        problems += _unknown_papers(theme, corpus, taxonomy, names)
        at = (theme.summary_line, theme.summary_col)
        problems += text_links(theme.summary, at, f'the summary of "{theme.id}"', taxonomy, names)
        problems += _claims(theme, at, taxonomy, names, assignment)
    problems += text_links(taxonomy.intro, taxonomy.intro_at, "site.intro", taxonomy, names)
    problems += _about(taxonomy, names)
    for theme in taxonomy.themes:
        problems += _advice(theme, len(assignment.members[theme.id]), taxonomy)
    problems += _unknown_organizations(corpus, taxonomy)
    problems += _outside(taxonomy, names)
    return problems


def _outside(taxonomy: Taxonomy, names: Names) -> list[Problem]:
    """`outside:` entries that name no paper (an error, with the fix), and those a theme
    also lists in its `papers:` (a warning: outside wins, so the list says what is not so)."""
    listed = {s: t.id for t in taxonomy.themes for s in t.rules.papers}
    problems = []
    for slug, _, line, col in taxonomy.outside:
        if slug not in names.papers:
            hint = names.hint("papers", slug)
            message = f'outside names unknown paper "{slug}"{hint}'
            problems.append(Problem(taxonomy.path, line, col, message))
        elif slug in listed:
            message = (
                f'"{slug}" is outside every theme, yet theme "{listed[slug]}" lists it in '
                "papers: take it out of one of the two"
            )
            problems.append(Problem(taxonomy.path, line, col, message, "warning"))
    return problems


def _unknown_organizations(corpus: Corpus, taxonomy: Taxonomy) -> list[Problem]:
    """Names in `organizations:` that no paper's organisation has (advice: the dump that
    had it may be gone), with the closest one a paper has."""
    known = sorted({p.organization for p in corpus.papers if p.organization})
    folded = {name.casefold() for name in known}
    problems = []
    for raw, _, line, col in taxonomy.organizations:
        if raw.casefold() in folded:
            continue
        message = f'organizations names "{raw}", which is no paper\'s organisation'
        message += did_you_mean(raw, known)
        problems.append(Problem(taxonomy.path, line, col, message, "advice"))
    return problems


def _unknown_papers(
    theme: Theme, corpus: Corpus, taxonomy: Taxonomy, names: Names
) -> list[Problem]:
    """A theme's `papers:` and `exclude:` entries that name no paper, with the fix."""
    unknown = [
        (field, value, line, col)
        for field, value, line, col in theme.rules.positions
        if field in ("papers", "exclude") and value not in names.papers
    ]
    if not unknown:  # the usual case: no need to look at every paper's title
        return []
    titles = {t.casefold(): p.slug for p in corpus.papers for t in (p.dump_title, p.title) if t}
    problems = []
    for field, value, line, col in unknown:
        if value.casefold() in titles:
            hint = f'; write its slug "{titles[value.casefold()]}"'
        else:
            hint = names.hint("papers", value)
        message = f'{field} of theme "{theme.id}" names unknown paper "{value}"{hint}'
        problems.append(Problem(taxonomy.path, line, col, message))
    return problems


def _about(taxonomy: Taxonomy, names: Names) -> list[Problem]:
    """The About page's texts: their links checked, and advice for what is not said."""
    about, problems = taxonomy.about, []
    for name in ("scope", "inclusion"):
        text = getattr(about, name)
        problems += text_links(
            text, about.at.get(name, (0, 0)), f"site.about.{name}", taxonomy, names
        )
    missing = [n for n in ("scope", "inclusion", "curators", "licence") if not getattr(about, n)]
    if missing:
        line = about.at.get("about", (0, 0))[0]
        problems.append(
            Problem(
                taxonomy.path,
                line,
                0,
                f"site.about says nothing of the survey's {', '.join(missing)}: readers see "
                "the About page without it",
                "advice",
            )
        )
    return problems


_SENTENCE_END = re.compile(r"[.!?](?=\s)|\n\s*\n")


def _claims(
    theme: Theme, at: tuple[int, int], taxonomy: Taxonomy, names: Names, assignment: Assignment
) -> list[Problem]:
    """A summary's sentence about a paper is checkable: the paper it links is in the theme,
    or in a theme the same sentence links ("[Memory](/themes/memory/) holds [X](...)")."""
    text, members, problems = theme.summary, assignment.members, []
    ends = [m.end() for m in _SENTENCE_END.finditer(text)] + [len(text)]
    for kind, slug, offset in summary_links(text):
        if kind != "papers" or slug not in names.papers or slug in members[theme.id]:
            continue
        start = max([e for e in ends if e <= offset], default=0)
        end = min(e for e in ends if e > offset)
        named = [n for k, n, _ in summary_links(text[start:end]) if k == "themes"]
        if any(slug in members.get(n, ()) for n in named):
            continue
        before = text[: offset + 2]
        line = at[0] + before.count("\n")
        col = at[1] + offset + 2 - (before.rfind("\n") + 1)
        title = names.papers[slug].title
        problems.append(
            Problem(
                taxonomy.path,
                line,
                col,
                f'the summary of "{theme.id}" links "{slug}" ({title}), which is neither in '
                "the theme nor in a theme its sentence links: add the paper to the theme, "
                "link the theme it is in, or reword the sentence",
                "warning",
            )
        )
    return problems


def _advice(theme: Theme, count: int, taxonomy: Taxonomy) -> list[Problem]:
    """Editorial advice on a theme's size, which fails no build."""
    if count == 0:
        message = f'theme "{theme.id}" holds no papers'
    elif oversized(theme, count, taxonomy.leaf_size):
        message = (
            f'theme "{theme.id}" holds {count} papers, more than {taxonomy.leaf_size} '
            f"(`advice: leaf_size` in {taxonomy.path}): "
            "split it into sub-themes or narrow its rules"
        )
    else:
        return []
    return [Problem(taxonomy.path, theme.line, 0, message, "advice")]


def text_links(
    text: str, at: tuple[int, int], what: str, taxonomy: Taxonomy, names: Names
) -> list[Problem]:
    """Every link of a summary or the introduction that leads nowhere: to an unknown paper
    or theme, to a page given some other way (`papers/x/`, `../themes/y/`, which would
    break on some pages), or to an address with a scheme other than http(s) and mailto.
    Each is located at its line and column in taxonomy.yaml."""
    problems = []

    def report(offset: int, message: str) -> None:
        before = text[:offset]
        line, col = at[0] + before.count("\n"), at[1] + offset - (before.rfind("\n") + 1)
        problems.append(Problem(taxonomy.path, line, col, f"{what} {message}"))

    for kind, name, offset in summary_links(text):
        if name not in (names.papers if kind == "papers" else names.themes):
            report(offset + 2, f'links to unknown {kind[:-1]} "{name}"{names.hint(kind, name)}')
    for target, offset in internal_links(text):
        report(
            offset,
            f'links to "{target}", which is not a page of the survey: link a paper as '
            "/papers/<slug>/ and a theme as /themes/<id>/",
        )
    for scheme, offset in unsafe_links(text):
        report(
            offset,
            f'links to a "{scheme}" address; a summary links '
            "only to http(s) and mailto addresses and to the survey's own pages",
        )
    return problems
