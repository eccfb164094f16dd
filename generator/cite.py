r"""How a reader reaches and cites a paper: direct links from its ids, its authors for
lists, a BibTeX entry per paper and the whole survey as papers.bib, and the `citation_*`
meta tags that Zotero and Google Scholar read.

BibTeX values are the paper's text with every character BibTeX or LaTeX reads as syntax
escaped, so an entry always parses and no title can close a brace it did not open (BibTeX
counts `\{` as a brace too: braces become `\textbraceleft{}` and `\textbraceright{}`).
"""

from __future__ import annotations

import html
import re
import urllib.parse
from collections import Counter
from collections.abc import Iterable

from markupsafe import Markup

from . import urls
from .model import Corpus, Paper
from .text import title_key

_BIB_ESCAPE = {
    "\\": r"\textbackslash{}",
    "{": r"\textbraceleft{}",
    "}": r"\textbraceright{}",
    "&": r"\&",
    "%": r"\%",
    "$": r"\$",
    "#": r"\#",
    "_": r"\_",
    "~": r"\textasciitilde{}",
    "^": r"\textasciicircum{}",
}
_BIB_SPECIAL = re.compile(r"[\\{}&%$#_~^]")
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]+")
_JOURNAL = re.compile(r"\b(journal|transactions|letters|review|TMLR|JMLR|TACL)\b", re.I)
_STOP = {"a", "an", "the", "on", "of", "in", "for", "to", "and", "is", "are", "from", "with"}


DATE_NOTES = {
    "dump, year inferred": "year inferred: the listing showed no year",
    "papers.yaml": "date set by the survey's curators",
    "arXiv id": "month of the arXiv identifier",
}
"""What a paper page says beside a date that is not as the listing showed it."""


def author_line(paper: Paper) -> str:
    """The authors as a list shows them: "A", "A and B", "A et al."; '' when unknown."""
    names = paper.authors
    if not names:
        return ""
    if len(names) == 1:
        return names[0]
    return f"{names[0]} and {names[1]}" if len(names) == 2 else f"{names[0]} et al."


def direct_links(paper: Paper) -> list[tuple[str, str]]:
    """(label, URL) of the paper itself, from its ids: arXiv abstract and PDF, its Hugging
    Face page (Hugging Face keys papers by arXiv id), the DOI, OpenAlex. Ids are checked
    by generator/metadata.py, so the URLs need no further escaping than an attribute's."""
    out = []
    if paper.arxiv:
        out += [
            ("arXiv", f"https://arxiv.org/abs/{paper.arxiv}"),
            ("PDF", f"https://arxiv.org/pdf/{paper.arxiv}"),
            ("Hugging Face", f"https://huggingface.co/papers/{paper.arxiv}"),
        ]
    if paper.doi:
        out.append(("DOI", f"https://doi.org/{paper.doi}"))
    if paper.openalex:
        out.append(("OpenAlex", f"https://openalex.org/{paper.openalex}"))
    return out


def bib_text(text: str) -> str:
    text = " ".join(_CONTROL.sub(" ", text).split())
    return _BIB_SPECIAL.sub(lambda m: _BIB_ESCAPE[m.group()], text)


def _surname(name: str) -> str:
    return name.rsplit(" ", 1)[-1] if "," not in name else name.split(",", 1)[0]


def _base_key(paper: Paper) -> str:
    who = _surname(paper.authors[0]) if paper.authors else ""
    words = [w for w in re.findall(r"[a-z0-9]+", title_key(paper.title)) if w not in _STOP]
    first = words[0] if words else "paper"
    year = str(paper.published.year) if paper.published else ""
    who = re.sub(r"[^a-z0-9]", "", title_key(who).encode("ascii", "ignore").decode())
    return (who + year + first)[:40] if who else (first + year)[:40]


def cite_keys(papers: Iterable[Paper]) -> dict[str, str]:
    """A BibTeX key per slug ("weston2014memory"), unique in the survey: keys that collide
    get a, b, c… in slug order, so a key never depends on the order of the dumps."""
    papers = sorted(papers, key=lambda p: p.slug)
    base = {p.slug: _base_key(p) for p in papers}
    counts, seen = Counter(base.values()), Counter[str]()
    out = {}
    for paper in papers:
        key = base[paper.slug]
        if counts[key] > 1:
            seen[key] += 1
            key += _suffix(seen[key])
        out[paper.slug] = key
    return out


def _suffix(n: int) -> str:
    letters = ""
    while n:
        n, r = divmod(n - 1, 26)
        letters = chr(97 + r) + letters
    return letters


def bibtex(paper: Paper, key: str, site_url: str) -> str:
    """The paper's BibTeX entry: @inproceedings or @article when papers.yaml gives a venue,
    @misc (with the arXiv eprint when known) otherwise."""
    kind, fields = "misc", [("title", "{" + bib_text(paper.title) + "}")]
    if paper.authors:
        fields.append(("author", " and ".join(bib_text(a) for a in paper.authors)))
    if paper.published:
        fields.append(("year", str(paper.published.year)))
        fields.append(("month", paper.published.strftime("%b").lower()))
    if paper.venue:
        journal = bool(_JOURNAL.search(paper.venue))
        kind = "article" if journal else "inproceedings"
        fields.append(("journal" if journal else "booktitle", bib_text(paper.venue)))
    if paper.arxiv:
        fields += [("eprint", paper.arxiv), ("archiveprefix", "arXiv")]
    if paper.doi:
        fields.append(("doi", bib_text(paper.doi)))
    url = dict(direct_links(paper)).get("arXiv") or urls.absolute(
        site_url, urls.paper_url(paper.slug)
    )
    fields.append(("url", bib_text(url)))
    body = ",\n".join(
        f"  {name} = {value}" if name in ("month",) else f"  {name} = {{{value}}}"
        for name, value in fields
    )
    return f"@{kind}{{{key},\n{body}\n}}\n"


def papers_bib(corpus: Corpus, site_url: str) -> str:
    """Every paper of the survey as one BibTeX file, by slug."""
    keys = cite_keys(corpus.papers)
    head = f"% The papers of the survey at {bib_text(site_url)}, one entry each.\n\n"
    return head + "\n".join(bibtex(p, keys[p.slug], site_url) for p in corpus.papers)


def citation_meta(paper: Paper) -> dict[str, str | list[str]]:
    """The Highwire Press `citation_*` tags for the paper's page (Google Scholar's
    inclusion guidelines; Zotero reads the same)."""
    meta: dict[str, str | list[str]] = {"citation_title": paper.title}
    if paper.authors:
        meta["citation_author"] = list(paper.authors)
    if paper.published:
        precise = paper.date_source != "arXiv id"
        meta["citation_publication_date"] = paper.published.strftime(
            "%Y/%m/%d" if precise else "%Y/%m"
        )
    links = dict(direct_links(paper))
    if paper.arxiv:
        meta["citation_arxiv_id"] = paper.arxiv
        meta["citation_pdf_url"] = links["PDF"]
        meta["citation_abstract_html_url"] = links["arXiv"]
    if paper.doi:
        meta["citation_doi"] = paper.doi
    if paper.venue:
        journal = bool(_JOURNAL.search(paper.venue))
        meta["citation_journal_title" if journal else "citation_conference_title"] = paper.venue
    return meta


def lookup_links(title: str) -> list[tuple[str, Markup]]:
    """Search pages for a title on Hugging Face, arXiv and Semantic Scholar, as URLs ready
    for an HTML attribute (the title is percent-encoded: nothing else in them varies)."""
    q = urllib.parse.quote_plus(title)
    return [
        (name, Markup(html.escape(url, quote=True)))
        for name, url in (
            ("Hugging Face", f"https://huggingface.co/papers?q={q}"),
            ("arXiv", f"https://arxiv.org/search/?query={q}&searchtype=title"),
            ("Semantic Scholar", f"https://www.semanticscholar.org/search?q={q}"),
        )
    ]
