"""The reader's pages about the survey itself: About (scope, inclusion, curators, last
update, licence, how to cite it) and the overview of the whole theme tree."""

from __future__ import annotations

import datetime as dt
import re

from markupsafe import Markup

from .cite import bib_text
from .model import Assignment, Corpus, DumpInfo, Taxonomy
from .render import front_matter, render
from .urls import rewrite_summary_links

_LAYOUTS = {"daily": "Hugging Face Daily Papers", "search": "Paper search results"}


def last_update(corpus: Corpus) -> dt.date | None:
    """The day of the newest listing in the survey: the latest capture date of a dump."""
    return max((d.captured for d in corpus.dumps if d.captured), default=None)


def provenance(dump: DumpInfo, label: str | None) -> str:
    """A listing as a reader names it: "Hugging Face Daily Papers, 29 Oct 2025"."""
    name = label or _LAYOUTS.get(dump.layout, "A paper listing")
    if dump.captured is None:
        return name
    return f"{name}, {dump.captured.day} {dump.captured.strftime('%b %Y')}"


def survey_bibtex(taxonomy: Taxonomy, corpus: Corpus, site_url: str) -> str:
    """How to cite the survey, as BibTeX."""
    updated = last_update(corpus)
    year = str(updated.year) if updated else ""
    key = re.sub(r"[^a-z0-9]+", "", taxonomy.title.lower())[:24] + year
    fields = [("title", "{" + bib_text(taxonomy.title) + "}")]
    if taxonomy.about.curators:
        fields.append(("author", " and ".join(bib_text(c) for c in taxonomy.about.curators)))
    if year:
        fields.append(("year", year))
    fields.append(("howpublished", bib_text(site_url)))
    if updated:
        fields.append(("note", f"A living survey, updated {updated.isoformat()}"))
    body = ",\n".join(f"  {name} = {{{value}}}" for name, value in fields)
    return f"@misc{{{key},\n{body}\n}}\n"


def survey_citation(taxonomy: Taxonomy, corpus: Corpus, site_url: str) -> str:
    """How to cite the survey, as plain text."""
    updated = last_update(corpus)
    who = ", ".join(taxonomy.about.curators)
    when = f" ({updated.year})" if updated else ""
    note = (
        f" A living survey, updated {updated.day} {updated.strftime('%B %Y')}." if updated else ""
    )
    return f"{who}{when}. {taxonomy.title}.{note} {site_url}".lstrip(". ")


def about_page(taxonomy: Taxonomy, corpus: Corpus, labels: dict[str, str], site_url: str) -> str:
    """about.md; `labels` names each dump's listing for readers (`provenance`)."""
    about = taxonomy.about
    return render(
        "about",
        fm=front_matter(
            title="About this survey",
            description=taxonomy.description,
            edit_line=about.at.get("about", (1, 1))[0],
            edit_label="Edit this page's text in taxonomy.yaml (site: about:)",
        ),
        taxonomy=taxonomy,
        scope=rewrite_summary_links(about.scope, 0),
        inclusion=rewrite_summary_links(about.inclusion, 0),
        listings=[labels.get(d.file, provenance(d, None)) for d in corpus.dumps],
        papers=len(corpus.papers),
        updated=last_update(corpus),
        bibtex=survey_bibtex(taxonomy, corpus, site_url),
        citation=survey_citation(taxonomy, corpus, site_url),
    )


def themes_page(taxonomy: Taxonomy, assignment: Assignment) -> str:
    """themes/index.md: the whole theme tree, each theme with its size and first sentence."""
    rows = []
    for theme in taxonomy.themes:
        first = " ".join(re.split(r"(?<=[.!?])\s", theme.summary.strip(), maxsplit=1)[0].split())
        depth = len(taxonomy.ancestors(theme.id))
        link = Markup(theme.id + ".md")
        rows.append((depth, theme, link, len(assignment.members[theme.id]), first))
    return render(
        "themes_index", fm=front_matter(title="All themes"), rows=rows, first_of=_first_text
    )


def _first_text(markdown: str) -> Markup:
    return rewrite_summary_links(markdown, 1)
