"""Turn the corpus, taxonomy, assignment and related links into Markdown pages."""

from __future__ import annotations

import datetime as dt
import functools
import html
import re
from collections import Counter
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass

from markupsafe import Markup

from . import export, timeline
from .cite import bibtex, citation_meta, cite_keys, direct_links, lookup_links
from .errors import Problem
from .model import Assignment, Corpus, Link, Paper, Source, Taxonomy, Theme
from .render import front_matter, md_escape, render
from .urls import (
    ALL_PAPERS,
    ALL_THEMES,
    EXPLORE,
    HOME,
    MAP,
    NAVIGATION,
    PAPERS,
    UNSORTED,
    feed_path,
    is_paper_doc,
    link_from,
    paper_doc,
    relative_doc,
    rewrite_summary_links,
    theme_doc,
    up_to_root,
)

GIST_LENGTH = 180
_SENTENCE = re.compile(r"(?<=[.!?])\s+(?=[A-Z0-9\"'(])")
_CONTRIBUTION = re.compile(
    r"\b(we|this paper|this work|our|here)\b.{0,60}?\b(propose|introduce|present|develop)",
    re.IGNORECASE,
)
"""A sentence that states the paper's contribution."""
_FINDING = re.compile(
    r"\b(we|this paper|this work|our|here)\b.{0,60}?\b(show|find|demonstrate|investigate|"
    r"study|explore|reveal)",
    re.IGNORECASE,
)
"""Else one that states what it found or studied..."""
_FOLLOW_UP = re.compile(
    r"(finally|moreover|furthermore|additionally|in addition|lastly|also|then|further)\b",
    re.IGNORECASE,
)
"""...unless it only continues another ("Finally, we show")."""


@dataclass(frozen=True)
class PaperRow:
    """What a listing shows of one paper."""

    paper: Paper
    """The paper."""
    href: str
    """Link to its page from the listing page."""
    gist: str
    """One line saying what the paper does."""


# A paper is listed on several pages (its themes, all papers, the home page).
@functools.lru_cache(maxsize=1 << 15)
def gist(abstract: str) -> str:
    """The abstract's first sentence that states its contribution ("we propose..."), else
    what it found ("we show...", not "Finally, we show..."), else its first; cut short."""
    sentences = _SENTENCE.split(abstract.strip())
    leading = [s for s in sentences if not _FOLLOW_UP.match(s)]
    chosen = next(
        (s for pattern in (_CONTRIBUTION, _FINDING) for s in leading if pattern.search(s)),
        sentences[0] if sentences else "",
    )
    if len(chosen) > GIST_LENGTH:
        chosen = chosen[: GIST_LENGTH + 1].rsplit(" ", 1)[0].rstrip(",;:") + "…"
    return chosen


def first_sentence(markdown: str) -> str:
    """A summary's first sentence as plain text, for a page's description."""
    text = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", " ".join(markdown.split()))
    text = re.sub(r"<[^>]*>|\{[^}]*\}", "", text)  # raw HTML and attribute lists: not prose
    text = " ".join(re.sub(r"[*_`#>]", "", text).split())
    return _SENTENCE.split(text.strip(), maxsplit=1)[0] if text.strip() else ""


def _rows(papers: list[Paper], prefix: str) -> list[PaperRow]:
    ordered = sorted(
        papers, key=lambda p: (-(p.published.toordinal() if p.published else 0), p.slug)
    )
    return [PaperRow(p, f"{prefix}{p.slug}.md", gist(p.abstract)) for p in ordered]


def related_themes(
    theme: Theme, taxonomy: Taxonomy, assignment: Assignment, n: int = 4
) -> list[tuple[Theme, int]]:
    """Themes sharing the most papers with `theme`, outside its own branch."""
    by_id = taxonomy.by_id()
    mine = set(assignment.members[theme.id])
    family = {theme.id, *theme.children}
    if theme.parent:
        family.add(theme.parent)
    shared = Counter(
        {
            t.id: len(mine & set(assignment.members[t.id]))
            for t in taxonomy.themes
            if t.id not in family and not t.children
        }
    )
    return [(by_id[i], c) for i, c in sorted(shared.items(), key=lambda x: (-x[1], x[0]))[:n] if c]


def build_pages(
    corpus: Corpus,
    taxonomy: Taxonomy,
    assignment: Assignment,
    links: Mapping[str, tuple[Link, ...]],
    labels: Mapping[str, str],
    extra: Iterable[tuple[str, str]] = (),
    directory_urls: bool = True,
    site_url: str = "",
) -> dict[str, str]:
    """Every generated page, keyed by its path under the docs folder; `directory_urls` is
    mkdocs.yml's setting, which the raw HTML links of paper pages follow; `site_url` is the
    published address that BibTeX entries cite."""
    one = PaperPages(corpus, taxonomy, assignment, links, labels, directory_urls, site_url)
    pages = {paper_doc(p.slug): one.render(p) for p in corpus.papers}
    makers = page_makers(corpus, taxonomy, assignment, extra)
    return pages | {path: make() for path, make in makers.items()}


def page_makers(
    corpus: Corpus,
    taxonomy: Taxonomy,
    assignment: Assignment,
    extra: Iterable[tuple[str, str]] = (),
) -> dict[str, Callable[[], str]]:
    """Every generated page but the papers' own, each as the function that renders it."""
    latest = timeline.latest_date(corpus.papers)
    makers: dict[str, Callable[[], str]] = {
        theme_doc(t.id): functools.partial(_theme_page, t, corpus, taxonomy, assignment, latest)
        for t in taxonomy.themes
    }
    makers[HOME] = functools.partial(_home_page, corpus, taxonomy, assignment, latest)
    makers[EXPLORE] = functools.partial(export.explore_page, corpus, taxonomy, assignment)
    in_none = bool(assignment.unsorted or assignment.outside)
    nav = functools.partial(navigation, taxonomy, list(extra), in_none)
    makers[NAVIGATION] = nav
    makers[ALL_PAPERS] = functools.partial(_all_papers, corpus, taxonomy, assignment)
    if in_none:  # an empty page of the papers in no theme is not published
        makers[UNSORTED] = functools.partial(_unsorted, corpus, assignment)
    return makers


def _all_papers(corpus: Corpus, taxonomy: Taxonomy, assignment: Assignment) -> str:
    rows = sorted(_rows(list(corpus.papers), ""), key=lambda r: r.paper.title.casefold())
    fm, themes_of = front_matter(title="All papers"), assignment.themes_of
    return render("all_papers", fm=fm, rows=rows, themes_of=themes_of, themes=taxonomy.by_id())


def _unsorted(corpus: Corpus, assignment: Assignment) -> str:
    """The papers in no theme: those no rule or list places yet, and those the curators keep
    outside the themes, each with the reason."""
    unsorted = set(assignment.unsorted)
    rows = _rows([p for p in corpus.papers if p.slug in unsorted], PAPERS)
    outside = _rows([p for p in corpus.papers if p.slug in assignment.outside], PAPERS)
    return render(
        "unsorted",
        fm=front_matter(title="Papers in no theme"),
        rows=rows,
        outside=[(row, assignment.outside[row.paper.slug]) for row in outside],
        total=len(corpus.papers),
    )


Related = tuple[tuple[Paper, Link], ...]
PaperInputs = tuple[Paper, tuple[Theme, ...], Related, str, tuple[object, ...], str]


class PaperPages:
    """The pages of the papers, one at a time: the live preview renders only those whose
    `inputs` changed since its last build."""

    def __init__(
        self,
        corpus: Corpus,
        taxonomy: Taxonomy,
        assignment: Assignment,
        links: Mapping[str, tuple[Link, ...]],
        labels: Mapping[str, str],
        directory_urls: bool,
        site_url: str,
    ) -> None:
        self.papers, self.keys = corpus.by_slug(), cite_keys(corpus.papers)
        self.themes, self.themes_of = taxonomy.by_id(), assignment.themes_of
        self.outside = assignment.outside
        self.links, self.labels, self.site_url = links, labels, site_url
        root = up_to_root(paper_doc("paper"), directory_urls)  # the same for every paper page
        self.link = functools.partial(link_from, root, directory_urls=directory_urls)

    def inputs(self, paper: Paper) -> PaperInputs:
        """Everything the page of `paper` is made of but the settings (`directory_urls`,
        `site_url`): equal inputs render the same page."""
        return (
            paper,
            tuple(self.themes[t] for t in self.themes_of.get(paper.slug, ())),
            tuple((self.papers[link.slug], link) for link in self.links.get(paper.slug, ())),
            self.keys[paper.slug],
            tuple(self.labels.get(s.file) for s in paper.sources),
            self.outside.get(paper.slug, ""),
        )

    def render(self, paper: Paper) -> str:
        """The Markdown of the page of `paper`."""
        _, themes, related, key, _, outside = self.inputs(paper)
        return render(
            "paper",
            link=self.link,
            fm=front_matter(
                title=paper.title,
                description=gist(paper.abstract),
                hide=["toc"],  # five short sections a reader sees at once; 1.3 KB a page
                search={"boost": 2},
                citation=citation_meta(paper),
            ),
            paper=paper,
            themes=list(themes),
            outside=outside,
            related=list(related),
            lookups=lookup_links(paper.title),
            direct=[(name, Markup(html.escape(url))) for name, url in direct_links(paper)],
            bib=bibtex(paper, key, self.site_url) if paper.authors else "",
            labels=self.labels,
        )


def _theme_page(
    theme: Theme,
    corpus: Corpus,
    taxonomy: Taxonomy,
    assignment: Assignment,
    latest: dt.date | None,
) -> str:
    """The page of one theme."""
    papers = corpus.by_slug()
    themes = taxonomy.by_id()
    children = [(themes[c], len(assignment.members[c])) for c in theme.children]
    members = [papers[s] for s in assignment.members[theme.id]]
    siblings = list(themes[theme.parent].children if theme.parent else taxonomy.roots)
    at = siblings.index(theme.id)
    return render(
        "theme",
        fm=front_matter(
            title=theme.title,
            description=first_sentence(theme.summary) or theme.title,
            feed=feed_path(theme.id),
            edit_line=theme.line,
            edit_label=f"Edit this theme in taxonomy.yaml (line {theme.line})",
        ),
        previous=themes[siblings[at - 1]] if at > 0 else None,
        next=themes[siblings[at + 1]] if at + 1 < len(siblings) else None,
        everything=sorted(members, key=lambda p: p.title.casefold()) if children else [],
        timeline=Markup(timeline.timeline(members, latest, f"papers in {theme.title}")),
        feed=relative_doc(theme_doc(theme.id), feed_path(theme.id)),
        theme=theme,
        parent=themes[theme.parent] if theme.parent else None,
        summary=rewrite_summary_links(theme.summary, 1),
        children=children,
        rows=_rows(
            [papers[s] for s in assignment.direct[theme.id]],
            relative_doc(theme_doc(theme.id), PAPERS),
        ),
        total=len(assignment.members[theme.id]),
        related=related_themes(theme, taxonomy, assignment),
    )


def _home_page(
    corpus: Corpus,
    taxonomy: Taxonomy,
    assignment: Assignment,
    latest: dt.date | None,
) -> str:
    """The home page: introduction, top-level themes, newest and most voted papers."""
    themes = taxonomy.by_id()
    dated = [p for p in corpus.papers if p.published]
    newest = sorted(dated, key=lambda p: (-p.published.toordinal(), p.slug))[:8]  # type: ignore[union-attr]
    voted = sorted(
        (p for p in corpus.papers if p.upvotes), key=lambda p: (-(p.upvotes or 0), p.slug)
    )[:8]
    return render(
        "home",
        fm=front_matter(hide=["navigation"]),  # the theme titles the home page by site_name
        taxonomy=taxonomy,
        intro=rewrite_summary_links(taxonomy.intro, 0),
        corpus=corpus,
        roots=[(themes[r], len(assignment.members[r])) for r in taxonomy.roots],
        themes=themes,
        assignment=assignment,
        newest=_rows(newest, PAPERS),
        voted=sorted(_rows(voted, PAPERS), key=lambda r: (-(r.paper.upvotes or 0), r.paper.slug)),
        first=min((p.published for p in dated if p.published), default=None),
        last=max((p.published for p in dated if p.published), default=None),
        updated=max((d.captured for d in corpus.dumps if d.captured), default=None),
        timeline=Markup(timeline.timeline(corpus.papers, latest, "papers")),
        feed=feed_path(),
    )


_SOURCE_MARK = re.compile(r'data-source="([^"]+):(\d+)"')


def check_nothing_lost(
    sources: Iterable[Source], corpus: Corpus, assignment: Assignment, pages: Mapping[str, str]
) -> list[Problem]:
    """Every parsed record is on exactly one paper page, and every paper is listed on its
    themes' pages or on Unsorted. A problem here is a bug, and the build stops on it."""
    problems = []
    shown: Counter[tuple[str, int]] = Counter()
    for path in pages:
        if is_paper_doc(path):
            marks = _SOURCE_MARK.findall(pages[path])
            shown.update((html.unescape(f), int(n)) for f, n in marks)
    for source in sorted(set(sources)):
        count = shown[(source.file, source.line)]
        if count != 1:
            problems.append(
                Problem(
                    source.file,
                    source.line,
                    0,
                    f"this record is on {count} paper pages instead of exactly one",
                )
            )
    for paper in corpus.papers:
        target = f"{paper_doc(paper.slug)})"
        homes = [theme_doc(t) for t in assignment.themes_of.get(paper.slug, ())]
        homes = homes or [UNSORTED]
        missing = [h for h in homes if target not in pages.get(h, "")]
        if missing:
            problems.append(
                Problem(
                    paper.sources[0].file,
                    paper.sources[0].line,
                    0,
                    f'paper "{paper.title}" is missing from {", ".join(missing)}',
                )
            )
    return problems


def navigation(
    taxonomy: Taxonomy, extra: Iterable[tuple[str, str]] = (), unsorted: bool = True
) -> str:
    """SUMMARY.md for mkdocs-literate-nav, the reader's navigation: home, the themes (an
    overview, then the tree), the papers (all, Explore, the map, the papers in no theme when
    there are any), and the `extra` pages under About.
    Paper pages stay out of the navigation: every page renders the whole navigation, so
    listing papers there makes the build quadratic in their number."""
    themes = taxonomy.by_id()

    def nav_text(title: str) -> str:
        # literate-nav reads the link text as Markdown and the theme writes the text it
        # finds unescaped: every character that Markdown or HTML would read becomes a
        # character reference, which the theme's page shows as the character itself
        return md_escape(title)

    def item(theme: Theme, indent: str) -> list[str]:
        link = f"[{nav_text(theme.title)}]({theme_doc(theme.id)})"
        if not theme.children:
            return [f"{indent}* {link}"]
        lines = [
            f"{indent}* {nav_text(theme.title)}",
            f"{indent}    * [Overview]({theme_doc(theme.id)})",
        ]
        for child in theme.children:
            lines += item(themes[child], indent + "    ")
        return lines

    lines = [f"* [Home]({HOME})", "* Themes", f"    * [All themes]({ALL_THEMES})"]
    for root in taxonomy.roots:
        lines += item(themes[root], "    ")
    lines += ["* Papers", f"    * [All papers]({ALL_PAPERS})", f"    * [Explore]({EXPLORE})"]
    lines += [f"    * [Map]({MAP})"] + ([f"    * [In no theme]({UNSORTED})"] if unsorted else [])
    extra = list(extra)
    if extra:
        lines.append("* About")
        lines += [f"    * [{nav_text(title)}]({path})" for title, path in extra]
    return "\n".join(lines) + "\n"
