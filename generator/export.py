"""The survey as data: papers.json, papers.csv and themes.json, for people and the Explore page.

The schema is documented for readers in docs/data.md; keep the two in step.
"""

from __future__ import annotations

import csv
import io
import json
import re
from collections import Counter
from typing import Any

from markupsafe import Markup

from . import urls
from .cite import direct_links, papers_bib
from .model import Assignment, Corpus, Paper, Taxonomy
from .render import external_url, front_matter, render
from .text import organisation_names

# Columns of papers.csv, in order; list-valued fields are joined with LIST_SEPARATOR. The
# abstracts are in papers.json only: in both files they were a sixth of the site's weight
# at 10,000 papers (bench/run.py), and a table to sort and filter does without them.
CSV_COLUMNS = (
    "slug",
    "url",
    "title",
    "published",
    "authors_count",
    "organization",
    "upvotes",
    "links",
    "sources",
    "themes",
    "date_source",
    "arxiv",
    "doi",
    "openalex",
    "authors",
    "venue",
    "aliases",
    "from_metadata",
)
JSON_COLUMNS = (*CSV_COLUMNS[:3], "abstract", *CSV_COLUMNS[3:], "direct_links")
"""papers.json's fields: the CSV's, the abstract, and the paper's own links by name."""
LIST_SEPARATOR = " "
AUTHOR_SEPARATOR = "; "
"""Joins author names in papers.csv: names hold spaces."""


def paper_url(site_url: str, slug: str) -> str:
    """Absolute URL of a paper's page."""
    return urls.absolute(site_url, urls.paper_url(slug))


def theme_url(site_url: str, theme_id: str) -> str:
    """Absolute URL of a theme's page."""
    return urls.absolute(site_url, urls.theme_url(theme_id))


def safe_links(paper: Paper) -> list[str]:
    """The paper's links that are http(s), as they are emitted on its page."""
    out = []
    for link in paper.links:
        try:
            out.append(str(external_url(link)))
        except ValueError:
            continue  # the page shows no link for it either
    return out


def paper_record(paper: Paper, themes: tuple[str, ...], site_url: str) -> dict[str, Any]:
    """One paper as a JSON-ready mapping."""
    return {
        "slug": paper.slug,
        "url": paper_url(site_url, paper.slug),
        "title": paper.title,
        "abstract": paper.abstract,
        "published": paper.published.isoformat() if paper.published else None,
        "authors_count": paper.authors_count,
        "organization": paper.organization,
        "upvotes": paper.upvotes,
        "links": safe_links(paper),
        "sources": [f"{s.file}:{s.line}" for s in paper.sources],
        "themes": list(themes),
        "date_source": paper.date_source,
        "arxiv": paper.arxiv,
        "doi": paper.doi,
        "openalex": paper.openalex,
        "authors": list(paper.authors),
        "venue": paper.venue,
        "aliases": list(paper.aliases),
        "direct_links": dict(direct_links(paper)),
        "from_metadata": list(paper.from_metadata),
    }


def paper_records(corpus: Corpus, assignment: Assignment, site_url: str) -> list[dict[str, Any]]:
    """Every paper as a JSON-ready mapping, sorted by slug."""
    return [
        paper_record(p, tuple(assignment.themes_of.get(p.slug, ())), site_url)
        for p in sorted(corpus.papers, key=lambda p: p.slug)
    ]


def theme_records(
    taxonomy: Taxonomy, assignment: Assignment, site_url: str
) -> list[dict[str, Any]]:
    """Every theme, depth-first in taxonomy order, with its place in the tree."""
    return [
        {
            "id": t.id,
            "title": t.title,
            "url": theme_url(site_url, t.id),
            "parent": t.parent,
            "children": list(t.children),
            "papers": len(assignment.members[t.id]),
        }
        for t in taxonomy.themes
    ]


def _json_lines(items: list[dict[str, Any]]) -> str:
    # One object per line: a list that reads and diffs well, and parses as plain JSON.
    body = ",\n".join(json.dumps(i, ensure_ascii=False, sort_keys=True) for i in items)
    return f"[\n{body}\n]\n" if items else "[]\n"


def papers_csv(records: list[dict[str, Any]]) -> str:
    """papers.csv: one row per paper, CSV_COLUMNS as the header."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(CSV_COLUMNS)
    for record in records:
        row = []
        for column in CSV_COLUMNS:
            value = record[column]
            if isinstance(value, list):
                value = (AUTHOR_SEPARATOR if column == "authors" else LIST_SEPARATOR).join(value)
            row.append("" if value is None else value)
        writer.writerow(row)
    return out.getvalue()


def export_files(
    corpus: Corpus, taxonomy: Taxonomy, assignment: Assignment, site_url: str
) -> dict[str, str]:
    """papers.json, papers.csv and themes.json, keyed by their path at the site's root."""
    records = paper_records(corpus, assignment, site_url)
    return {
        "papers.bib": papers_bib(corpus, site_url),
        "papers.json": _json_lines(records),
        "papers.csv": papers_csv(records),
        "themes.json": _json_lines(theme_records(taxonomy, assignment, site_url)),
        WORDS_FILE: explore_words(corpus),
    }


def explore_data(corpus: Corpus, taxonomy: Taxonomy, assignment: Assignment) -> str:
    """The compact index the Explore page filters, as JSON safe inside a <script> element.

    Abstracts stay out (they would make the page ten times heavier): the text filter reads
    titles, organisations and theme titles here, and the words of the abstracts from
    explore_words' file, which the page loads when a reader first types a word.
    Organisations are shown by the names organisation_names gives them; a name as the
    dumps write it, when it differs, is kept for the text filter.
    """
    index = {t.id: n for n, t in enumerate(taxonomy.themes)}
    themes = [
        [t.id, t.title, index[t.parent] if t.parent else -1, len(assignment.members[t.id])]
        for t in taxonomy.themes
    ]
    names = organisations(corpus, taxonomy)
    papers = []
    for p in sorted(corpus.papers, key=lambda p: p.slug):
        links = safe_links(p)
        org = names.get(p.organization or "", "")
        papers.append(
            [
                p.slug,
                p.title,
                p.published.isoformat() if p.published else "",
                org,
                p.upvotes if p.upvotes is not None else -1,
                links[0] if links else "",
                [index[t] for t in assignment.themes_of.get(p.slug, ())],
                p.organization if p.organization and p.organization != org else "",
            ]
        )
    text = json.dumps({"themes": themes, "papers": papers}, ensure_ascii=False)
    return script_safe(text)


def organisations(corpus: Corpus, taxonomy: Taxonomy) -> dict[str, str]:
    """The name each organisation in the dumps is shown with (text.organisation_names, with
    taxonomy.yaml's `organizations:`)."""
    raw = [p.organization for p in corpus.papers if p.organization]
    table = {name: shown for name, shown, _, _ in taxonomy.organizations}
    return organisation_names(raw, table)


# A word of an abstract: letters and digits, with inner hyphens, dots and apostrophes.
_WORD = re.compile(r"[^\W_](?:[\w'\u2019.\-]*[^\W_])?")
_NUMBER = re.compile(r"[0-9.,]+")
# Postings are gaps between paper numbers, base 32: a gap's last digit is from _LAST, the
# digits before it from _MORE, so no separator is needed.
_LAST = "0123456789abcdefghijklmnopqrstuv"
_MORE = "wxyzABCDEFGHIJKLMNOPQRSTUVWXYZ_$"
WORDS_FILE = "explore-words.js"


def _gap(n: int) -> str:
    out = _LAST[n % 32]
    n //= 32
    while n:
        out = _MORE[n % 32] + out
        n //= 32
    return out


def abstract_words(paper: Paper) -> set[str]:
    """The words of a paper's abstract the Explore page's word filter reads: lower case,
    no English stop word, no bare number or single character, and not in its own title
    (which the filter reads anyway)."""
    from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS

    own = set(_WORD.findall(paper.title.lower()))
    words = set(_WORD.findall(paper.abstract.lower())) - own - ENGLISH_STOP_WORDS
    return {w for w in words if len(w) > 1 and not _NUMBER.fullmatch(w)}


def explore_words(corpus: Corpus) -> str:
    """The words of the abstracts (abstract_words) as an inverted index the Explore page
    loads (a script, which also loads from file://): every word, with the papers (numbered
    as in explore_data) whose abstract has it."""
    postings: dict[str, list[int]] = {}
    for n, p in enumerate(sorted(corpus.papers, key=lambda p: p.slug)):
        for word in abstract_words(p):
            postings.setdefault(word, []).append(n)
    words = sorted(postings)
    codes = []
    for word in words:
        numbers = postings[word]
        codes.append("".join(_gap(b - a) for a, b in zip([0, *numbers], numbers, strict=False)))
    data = {"papers": len(corpus.papers), "words": " ".join(words), "postings": " ".join(codes)}
    text = script_safe(json.dumps(data, ensure_ascii=False))
    text = text.replace("\u2028", "\\u2028").replace("\u2029", "\\u2029")
    return f"window.surveyExploreWords = {text};\n"


def script_safe(text: str) -> str:
    """JSON that cannot end or comment out the <script> element holding it."""
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def explore_page(corpus: Corpus, taxonomy: Taxonomy, assignment: Assignment) -> str:
    """explore.md: the filter form, an empty table and the data docs/js/explore.js fills it
    with."""
    depth = {theme.id: len(taxonomy.ancestors(theme.id)) for theme in taxonomy.themes}
    years = Counter(p.published.year for p in corpus.papers if p.published)
    names = organisations(corpus, taxonomy)
    orgs = Counter(names[p.organization] for p in corpus.papers if p.organization)
    return render(
        "explore",
        fm=front_matter(
            title="Explore the papers", hide=["navigation", "toc"], search={"exclude": True}
        ),
        total=len(corpus.papers),
        themes=[(t, depth[t.id], len(assignment.members[t.id])) for t in taxonomy.themes],
        unsorted=len(corpus.papers) - len(assignment.themes_of),
        years=sorted(years.items(), reverse=True),
        undated=sum(1 for p in corpus.papers if not p.published),
        orgs=sorted(orgs.items(), key=lambda x: (x[0].casefold(), x[0])),
        data=Markup(explore_data(corpus, taxonomy, assignment)),
        words=WORDS_FILE,
    )
