"""Whole-site test: the real seed dumps and taxonomy through the real MkDocs build."""

from __future__ import annotations

import html
import re
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urljoin

import pytest

from generator.site import Build, build

ROOT = Path(__file__).parent.parent


class Page(HTMLParser):
    """The h1 text and the links of one built page, with the section heading they sit under."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.url = "/"
        self.h1 = ""
        self.links: list[tuple[str, str]] = []
        self._in_h1 = False
        self._section = ""
        self._in_h2 = False
        self._in_permalink = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "h1":
            self._in_h1 = True
        elif tag == "h2":
            self._in_h2, self._section = True, ""
        elif tag == "a":
            attributes = dict(attrs)
            self._in_permalink = "headerlink" in (attributes.get("class") or "")
            if not self._in_permalink:
                self.links.append((self._section, attributes.get("href") or ""))

    def handle_endtag(self, tag: str) -> None:
        if tag == "a":
            self._in_permalink = False
        if tag == "h1":
            self._in_h1 = False
        elif tag == "h2":
            self._in_h2 = False

    def handle_data(self, data: str) -> None:
        if self._in_h1 and not self._in_permalink:
            self.h1 += data
        if self._in_h2 and not self._in_permalink:
            self._section += data


@pytest.fixture(scope="module")
def site() -> Build:
    return build(ROOT)


def read(built_site: Path, url: str) -> Page:
    page = Page()
    page.url = f"/{url}/"
    page.feed((built_site / url / "index.html").read_text(encoding="utf-8"))
    return page


def targets(page: Page, section: str | None = None) -> set[str]:
    """The site paths (`papers/<slug>`, `themes/<id>`) the page's links in `section` lead
    to, resolved against the page's own URL."""
    return {
        urljoin(page.url, href).strip("/")
        for sec, href in page.links
        if section is None or sec.strip() == section
    }


def test_every_paper_has_a_page_with_its_exact_title(site: Build, built_site: Path) -> None:
    pages = sorted(p.parent.name for p in (built_site / "papers").glob("*/index.html"))
    assert pages == sorted(p.slug for p in site.corpus.papers)
    for paper in site.corpus.papers:
        page = read(built_site, f"papers/{paper.slug}")
        assert page.h1.strip() == paper.title
        text = (built_site / "papers" / paper.slug / "index.html").read_text(encoding="utf-8")
        title = re.search(r"<title>(.*?)</title>", text, re.S)
        assert title and html.unescape(title.group(1)).startswith(paper.title + " - ")


def test_theme_pages_link_their_papers_and_papers_link_back(site: Build, built_site: Path) -> None:
    theme_links = {t.id: targets(read(built_site, f"themes/{t.id}")) for t in site.taxonomy.themes}
    in_none = site.assignment.unsorted or site.assignment.outside
    unsorted = targets(read(built_site, "unsorted")) if in_none else set()
    for theme in site.taxonomy.themes:
        for slug in site.assignment.direct[theme.id]:
            assert f"papers/{slug}" in theme_links[theme.id], (theme.id, slug)
    for paper in site.corpus.papers:
        page = read(built_site, f"papers/{paper.slug}")
        homes = site.assignment.themes_of.get(paper.slug)
        links = targets(page, "Themes")
        if homes:
            assert links == {f"themes/{t}" for t in homes}
            for t in homes:
                assert f"papers/{paper.slug}" in theme_links[t]
        else:
            assert links == {"unsorted"}
            assert f"papers/{paper.slug}" in unsorted
        related = targets(page, "Related papers")
        expected = {f"papers/{link.slug}" for link in site.related[paper.slug]}
        assert related == expected and len(related) <= 5
        if not related:  # close to no other paper: the page says so
            text = (built_site / "papers" / paper.slug / "index.html").read_text("utf-8")
            assert "No paper in the survey is close enough to this one yet." in text


def test_only_themes_and_indexes_are_in_the_navigation(site: Build) -> None:
    nav = site.pages["SUMMARY.md"]
    assert "papers/index.md" in nav and not re.search(r"papers/(?!index)[^)]+\.md", nav)
    for theme in site.taxonomy.themes:
        assert f"themes/{theme.id}.md" in nav


def test_check_finds_a_lost_record_without_rendering() -> None:
    """site.records_lost, what `check` runs instead of reading rendered pages: a record that
    no paper holds, or a paper in no listing, is a problem naming its line."""
    from dataclasses import replace

    from generator.load import load
    from generator.site import analyse, records_lost

    survey = analyse(load(ROOT))
    assert records_lost(survey.inputs, survey.corpus, survey.assignment) == []
    dropped = replace(survey.corpus, papers=survey.corpus.papers[1:])
    lost = records_lost(survey.inputs, dropped, survey.assignment)
    first = survey.corpus.papers[0].sources[0]
    assert f"{first.file}:{first.line}: error: this record is in 0 papers" in map(str, lost)
    nowhere = replace(survey.assignment, themes_of={}, unsorted=(), outside={})
    assert len(records_lost(survey.inputs, survey.corpus, nowhere)) == len(survey.corpus.papers)


def test_shared_terms_explain_a_link_in_specific_words_each_shown_once(site: Build) -> None:
    """A related paper's shared terms never show a term of generic words only (words in
    more than GENERIC_SHARE of the survey's papers: "models", "neural networks"; words of
    style), nor one with no word the survey uses far more than English does, nor one word
    twice in two forms ("model", "models")."""
    from generator.lemma import lemma
    from generator.related import tfidf
    from generator.topical import generic_words, topical_words

    matrix, vectorizer = tfidf(site.corpus.papers)
    terms = vectorizer.get_feature_names_out().tolist()
    generic = generic_words(matrix, terms, vectorizer.idf_)
    assert {lemma(w) for w in ("models", "neural", "networks", "reasoning")} <= generic
    assert lemma("attention") != lemma("sink") and lemma("sinks") not in generic
    for links in site.related.values():
        for link in links:
            lemmas = [lemma(w) for t in link.terms for w in t.split()]
            assert len(set(lemmas)) == len(lemmas), link.terms
            assert all({lemma(w) for w in t.split()} - generic for t in link.terms), link.terms
    shown = {
        w for found in site.related.values() for x in found for t in x.terms for w in t.split()
    }
    topical = topical_words(site.corpus.papers, shown)
    assert "additional" not in topical and "kv" in topical
    for links in site.related.values():
        for link in links:
            assert all(not topical.isdisjoint(t.split()) for t in link.terms), link.terms


def primary_navigation(built_site: Path, url: str) -> Page:
    """The links of a page's primary navigation (the theme's left sidebar and drawer)."""
    text = (built_site / url / "index.html").read_text(encoding="utf-8")
    start = text.index('data-md-type="navigation"')
    page = Page()
    page.url = f"/{url}/"
    page.feed(text[start : text.index('data-md-type="toc"', start)])
    return page


def test_a_paper_page_has_the_compact_navigation_and_a_theme_page_the_whole(
    site: Build, built_site: Path
) -> None:
    """A paper page's navigation links the overview of all themes and no theme (the whole
    tree was most of a paper page's weight); a theme's page keeps the whole tree."""
    themes = {f"themes/{t.id}" for t in site.taxonomy.themes}
    paper = site.corpus.papers[0]
    links = targets(primary_navigation(built_site, f"papers/{paper.slug}"))
    assert "themes" in links and "papers" in links
    assert not links & themes
    leaf = next(t for t in site.taxonomy.themes if not t.children)
    assert themes <= targets(primary_navigation(built_site, f"themes/{leaf.id}"))


def test_every_theme_is_at_most_two_clicks_from_a_paper_page(site: Build, built_site: Path) -> None:
    paper = site.corpus.papers[0]
    first = targets(read(built_site, f"papers/{paper.slug}"))
    reached = set(first)
    for url in first:
        if not url.startswith(("http:", "https:")) and (built_site / url / "index.html").exists():
            reached |= targets(read(built_site, url))
    assert {f"themes/{t.id}" for t in site.taxonomy.themes} <= reached
