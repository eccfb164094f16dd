"""What the search index is given (generator/searchtext.py): a paper's themes are filters,
not text or metadata (Pagefind searches both); the maintainers' pages are left out."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from generator import urls
from generator.search import COMMON_WORDS, excluded, records, words, write_parts
from generator.site import Build, build

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def site() -> Build:
    return build(ROOT)


def test_themes_are_filters_not_text(site: Build) -> None:
    titles = {t.id: t.title for t in site.taxonomy.themes}
    parent = {c: t.id for t in site.taxonomy.themes for c in t.children}
    by_url = {r.url: r for r in records(site.corpus, site.taxonomy, site.assignment)}
    for paper in site.corpus.papers:
        record = by_url[f"papers/{paper.slug}/"]
        placed = site.assignment.themes_of.get(paper.slug, ())
        assert record.filters["kind"] == ["Paper"]
        assert list(record.filters.get("placed", [])) == [titles[t] for t in placed]
        above = {titles[parent[t]] for t in placed if t in parent}
        assert set(record.filters.get("theme", [])) == {titles[t] for t in placed} | above
        text = " ".join([record.content, *record.meta.values()])
        own = f"{paper.title} {paper.abstract} {paper.organization or ''}"
        for name in record.filters.get("theme", []):
            assert name not in text or name in own, (paper.slug, name)
        assert set(record.meta) <= {"date", "who"}
    for theme in site.taxonomy.themes:
        record = by_url[f"themes/{theme.id}/"]
        assert record.filters == {"kind": ["Theme"]} and record.weight < 1


def test_the_maintainers_pages_are_left_out(site: Build) -> None:
    pages = {urls.MAINTAINERS: site.pages[urls.MAINTAINERS], **site.inputs.docs}
    found = {r.url for r in records(site.corpus, site.taxonomy, site.assignment, pages)}
    assert {"architecture.md", "editing.md", "performance.md"} <= set(urls.MAINTAINER_DOCS)
    for name in (urls.MAINTAINERS, *urls.MAINTAINER_DOCS):
        assert urls.page_url(name) not in found, name
    assert excluded(pages[urls.MAINTAINERS])  # by its front matter
    assert urls.page_url("data.md") in found  # a page for readers
    assert not excluded("# A page\n\nsearch: exclude: true\n")  # front matter only
    assert not excluded("---\nsearch:\n  exclude: false\n---\n# A page\n")


def test_a_last_part_of_a_few_records_goes_into_the_one_before(site: Build, tmp_path: Path) -> None:
    """Each part costs every query one index chunk per word: no part of a record or two."""
    items = records(site.corpus, site.taxonomy, site.assignment)
    assert write_parts(items[:21], tmp_path / "a", size=20) == 1
    assert json.loads((tmp_path / "a" / "parts.json").read_text()) == []
    assert write_parts(items[:25], tmp_path / "b", size=20) == 2


def test_the_bundle_lists_its_themes_and_its_commonest_words(built_site: Path, site: Build) -> None:
    """The dialog's theme list, and the words it leaves to itself in a long query."""
    items = records(site.corpus, site.taxonomy, site.assignment)
    bundle = built_site / "pagefind"
    themes = json.loads((bundle / "themes.json").read_text(encoding="utf-8"))
    placed = [t for item in items for t in item.filters.get("theme", ())]
    assert themes == {t: placed.count(t) for t in set(placed)}
    common = json.loads((bundle / "common.json").read_text(encoding="utf-8"))
    counts = list(common.values())
    assert len(common) == COMMON_WORDS and counts == sorted(counts, reverse=True)
    papers = [i for i in items if i.url.startswith("papers/")]
    for word in list(common)[:5]:
        held = sum(word in words(i.title + " " + i.content) for i in papers)
        assert held <= common[word] and held > len(papers) / 2
