"""Stable links: every URL ever published keeps leading somewhere.

`published.json` at the project's root lists the published paper and theme URLs with what
identifies their page, one entry per line:

    {"kind": "paper", "url": "papers/<slug>/", "title": "...", "sources": ["dumps/x.txt:12"]}
    {"kind": "theme", "url": "themes/<id>/", "title": "...", "parent": "<id>" or null}
    {"kind": "paper", "url": "...", "title": "...", "gone": true}

A listed URL that is no longer a page gets a redirect page to the page it became:

* a paper is the one that carries its slug as an alias (papers.yaml's `aliases`, or a
  duplicate merged into it with `merge`), else the current paper with the same normalised
  title (its slug changed), else the one read from the same dump line with a similar title
  (its title was corrected), else a new paper with a very similar title;
* a theme is the current theme with the same title (its id changed), else a new theme with
  a similar title or id, else its former parent theme.

An entry that names its target (`to`, which `python -m generator rename-theme` records) leads
there while that page exists, whatever its title has become. A theme's feed moves with its
page: the former `feed-<old id>.xml` is a copy of the feed of the theme it leads to.

Every alias gets a redirect page too, recorded or not. When nothing matches, the URL gets
a notice page linking to the home page, and the build warns until `python -m generator
urls --update` records the entry as gone. That command rewrites the manifest: every
current page, plus every former URL with the identity of the
page it now leads to, so a paper renamed twice still redirects from its first URL.
"""

from __future__ import annotations

import difflib
import functools
import html
import json

from .errors import Problem
from .latex import clean_latex
from .manifest import MANIFEST, dump_manifest
from .model import Corpus, Entry, Paper, Taxonomy, Theme
from .text import title_key
from .urls import PAPERS, feed_path, paper_url, theme_url

SAME_LINE_SIMILARITY = 0.5
TITLE_SIMILARITY = 0.85
THEME_SIMILARITY = 0.6


def current_entries(corpus: Corpus, taxonomy: Taxonomy) -> list[Entry]:
    """The entries of every page the build makes now."""
    out = list(_paper_entries(corpus.papers))
    out += [Entry("theme", theme_url(t.id), t.title, parent=t.parent) for t in taxonomy.themes]
    return out


@functools.lru_cache(maxsize=2)  # asked for three times a build, of the same papers
def _paper_entries(papers: tuple[Paper, ...]) -> tuple[Entry, ...]:
    return tuple(
        Entry(
            "paper",
            paper_url(p.slug),
            _dump_title(p),  # which the slug and the key come from
            tuple(f"{s.file}:{s.line}" for s in p.sources),
        )
        for p in papers
    )


def _dump_title(paper: Paper) -> str:
    """The paper's title as the dump has it (a paper made by hand has only `title`)."""
    return paper.dump_title or paper.title


def _ratio(a: str, b: str) -> float:
    return difflib.SequenceMatcher(None, title_key(a), title_key(b)).ratio()


def _find_paper(entry: Entry, papers: list[Paper], new: set[str]) -> Paper | None:
    key, slug = title_key(entry.title), entry.url.removeprefix(PAPERS).rstrip("/")
    for paper in papers:
        if slug in paper.aliases:  # declared in papers.yaml, or a merged duplicate
            return paper
    for paper in papers:
        if paper.key == key:
            return paper
    recorded = set(entry.sources)
    same_line = [
        (
            len(recorded & {f"{s.file}:{s.line}" for s in p.sources}),
            _ratio(entry.title, _dump_title(p)),
            p,
        )
        for p in papers
    ]
    same_line = [c for c in same_line if c[0] and c[1] >= SAME_LINE_SIMILARITY]
    if same_line:
        return max(same_line, key=lambda c: (c[0], c[1], c[2].slug))[2]
    close = [(_ratio(entry.title, _dump_title(p)), p) for p in papers if paper_url(p.slug) in new]
    close = [c for c in close if c[0] >= TITLE_SIMILARITY]
    return max(close, key=lambda c: (c[0], c[1].slug))[1] if close else None


def _find_theme(entry: Entry, themes: list[Theme], new: set[str]) -> Theme | None:
    for theme in themes:
        if title_key(theme.title) == title_key(entry.title):
            return theme
    old_id = entry.url.strip("/").split("/")[-1]
    close = [
        (max(_ratio(entry.title, t.title), _ratio(old_id, t.id)), t)
        for t in themes
        if theme_url(t.id) in new
    ]
    close = [c for c in close if c[0] >= THEME_SIMILARITY]
    if close:
        return max(close, key=lambda c: (c[0], c[1].id))[1]
    return next((t for t in themes if t.id == entry.parent), None)


def resolve(
    manifest: list[Entry], corpus: Corpus, taxonomy: Taxonomy
) -> list[tuple[Entry, Entry | None]]:
    """Each manifest entry whose URL is no longer a page, with the current entry it now
    leads to (None when nothing matches), sorted by URL."""
    current = {e.url: e for e in current_entries(corpus, taxonomy)}
    listed = {e.url for e in manifest}
    new = set(current) - listed
    papers, themes = list(corpus.papers), list(taxonomy.themes)
    out: list[tuple[Entry, Entry | None]] = []
    for entry in sorted(manifest, key=lambda e: e.url):
        if entry.url in current:
            continue
        target: Entry | None = None
        if not entry.gone and entry.to in current:
            target = current[entry.to]  # named by `rename-theme`
        elif not entry.gone and entry.kind == "paper":
            paper = _find_paper(entry, papers, new)
            target = current[paper_url(paper.slug)] if paper else None
        elif not entry.gone:
            theme = _find_theme(entry, themes, new)
            target = current[theme_url(theme.id)] if theme else None
        out.append((entry, target))
    return out


def redirect_page(old: str, target: Entry | None, old_title: str, site_url: str) -> str:
    """A page that sends a reader from `old` to the target's page at once (meta refresh,
    and location.replace keeping any #anchor), or tells them the page is gone."""
    up = "../" * old.strip("/").count("/") + "../"
    if old.startswith(PAPERS):  # a paper's title as in the dump: shown cleaned, as on its page
        old_title = clean_latex(old_title)
    if target is None:
        what = "paper" if old.startswith(PAPERS) else "theme"
        return (
            '<!doctype html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
            '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
            '<meta name="robots" content="noindex">\n'
            f"<title>No longer in the survey: {html.escape(old_title)}</title>\n"
            f'<link rel="canonical" href="{html.escape(site_url)}">\n'
            "</head>\n<body>\n<main>\n"
            f"<h1>This {what} is no longer in the survey</h1>\n"
            f"<p>“{html.escape(old_title)}” was published at this address, but the survey "
            "no longer lists it.</p>\n"
            f'<p><a href="{up}">Go to the survey’s home page</a>, or search it from there.</p>\n'
            "</main>\n</body>\n</html>\n"
        )
    href = up + target.url
    shown = clean_latex(target.title) if target.kind == "paper" else target.title
    canonical = site_url.rstrip("/") + "/" + target.url
    script = json.dumps(href).replace("</", "<\\/")
    return (
        '<!doctype html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="robots" content="noindex">\n'
        f"<title>Moved: {html.escape(shown)}</title>\n"
        f'<link rel="canonical" href="{html.escape(canonical)}">\n'
        f'<meta http-equiv="refresh" content="0; url={html.escape(href)}">\n'
        f"<script>location.replace({script} + location.hash)</script>\n"
        "</head>\n<body>\n"
        f'<p>This page has moved to <a href="{html.escape(href)}">'
        f"{html.escape(shown)}</a>.</p>\n"
        "</body>\n</html>\n"
    )


def redirect_files(
    manifest: list[Entry], corpus: Corpus, taxonomy: Taxonomy, site_url: str
) -> tuple[dict[str, str], list[Problem]]:
    """Redirect and notice pages for every published URL that is no longer a page, keyed by
    path under the docs folder, and a warning for each URL whose page nothing matches."""
    files: dict[str, str] = {}
    problems = []
    for entry, target in resolve(manifest, corpus, taxonomy):
        files[entry.url + "index.html"] = redirect_page(entry.url, target, entry.title, site_url)
        if target is None and not entry.gone:
            problems.append(
                Problem(
                    MANIFEST,
                    entry.line,
                    0,
                    f'{entry.url} ("{entry.title}") was published, but no {entry.kind} of the '
                    "survey matches it any more, so its readers get a notice page; if it is "
                    "meant to be gone, record it with `python -m generator urls --update`",
                    "warning",
                )
            )
    for paper in corpus.papers:  # aliases not yet recorded in the manifest
        for alias in paper.aliases:
            old = paper_url(alias)
            here = Entry("paper", paper_url(paper.slug), paper.title)
            files.setdefault(old + "index.html", redirect_page(old, here, paper.title, site_url))
    return files, problems


def renames(manifest: list[Entry], corpus: Corpus, taxonomy: Taxonomy) -> dict[str, str]:
    """ "papers/<old>" or "themes/<old>" to the slug or id that former page became."""
    return {
        entry.url.strip("/"): target.url.strip("/").rsplit("/", 1)[-1]
        for entry, target in resolve(manifest, corpus, taxonomy)
        if target is not None
    }


def unrecorded(manifest: list[Entry], corpus: Corpus, taxonomy: Taxonomy) -> list[Problem]:
    """Advice listing the pages published.json does not record yet: such a page has no
    lasting identity, so it would lose its address if its title or id changed."""
    listed = {e.url for e in manifest}
    new = sorted(e.url for e in current_entries(corpus, taxonomy) if e.url not in listed)
    if not new:
        return []
    shown = ", ".join(new[:5]) + (f" and {len(new) - 5} more" if len(new) > 5 else "")
    return [
        Problem(
            MANIFEST,
            0,
            0,
            f"{len(new)} pages are not recorded yet ({shown}): record them with "
            "`python -m generator urls --update` and commit published.json when you publish, "
            "so they keep their address when a title or theme id changes",
            "advice",
        )
    ]


def updated_manifest(manifest: list[Entry], corpus: Corpus, taxonomy: Taxonomy) -> str:
    """The manifest rewritten: every current page, plus every former URL carrying the
    identity of the page it leads to now, or marked gone."""
    entries = {e.url: e for e in current_entries(corpus, taxonomy)}
    for entry, target in resolve(manifest, corpus, taxonomy):
        if target is None:
            entries[entry.url] = Entry(entry.kind, entry.url, entry.title, gone=True)
        else:
            to = target.url if entry.to is not None else None  # a named target stays named
            entries[entry.url] = Entry(
                target.kind, entry.url, target.title, target.sources, target.parent, to=to
            )
    return dump_manifest(entries.values())


def feed_moves(manifest: list[Entry], corpus: Corpus, taxonomy: Taxonomy) -> dict[str, str]:
    """The feed path of every published theme URL that leads to another theme now, with
    the feed path of that theme: a feed reader cannot follow an HTML redirect, so the old
    address serves a copy of the new feed (whose `self` link names the new address)."""
    moves = {}
    for entry, target in resolve(manifest, corpus, taxonomy):
        if entry.kind == "theme" and target is not None:
            moves[feed_path(_last(entry.url))] = feed_path(_last(target.url))
    return moves


def _last(url: str) -> str:
    return url.strip("/").split("/")[-1]
