"""papers.yaml: facts a maintainer owns, merges of near-duplicates, aliases, and the
near-duplicate report (generator/metadata.py, generator/identity.py)."""

from __future__ import annotations

import datetime as dt

import pytest

from generator.errors import InputError
from generator.identity import apply_facts, near_duplicates
from generator.ingest import merge
from generator.metadata import load_metadata
from generator.model import Corpus, RawRecord, Source
from generator.redirects import redirect_files
from generator.taxonomy import load_taxonomy

ABSTRACT = (
    "We describe a new class of learning models called memory networks. Memory networks "
    "reason with inference components combined with a long-term memory component; they "
    "learn how to use these jointly, and we evaluate them on question answering tasks."
)
OTHER = (
    "Sparse attention offers a promising direction for improving efficiency while "
    "maintaining model capabilities, and we present a natively trainable sparse attention "
    "mechanism with hardware-aligned kernels for long-context modelling at scale."
)


def record(title: str, abstract: str, file: str, line: int, **kw: object) -> RawRecord:
    return RawRecord(title=title, abstract=abstract, source=Source(file, line), **kw)  # type: ignore[arg-type]


def corpus_of(*records: RawRecord) -> Corpus:
    return merge(list(records))[0]


def test_metadata_keeps_each_value_and_where_it_is() -> None:
    facts = load_metadata(
        "memory-networks:\n"
        "  arxiv: 1410.3916\n"  # unquoted: read as written, not as the number 1410.3916
        "  doi: 10.48550/arXiv.1410.3916\n"
        "  authors: [Jason Weston, Sumit Chopra, Antoine Bordes]\n"
        "  venue: ICLR 2015\n"
        "  published: 2014-10-15\n"
        "  title: Memory   Networks\n"
        "  links: https://github.com/facebook/MemNN\n"
    )
    (got,) = facts
    assert got.arxiv == "1410.3916" and got.doi == "10.48550/arXiv.1410.3916"
    assert got.authors == ("Jason Weston", "Sumit Chopra", "Antoine Bordes")
    assert got.published == dt.date(2014, 10, 15) and got.venue == "ICLR 2015"
    assert got.title == "Memory Networks"  # spacing folded
    assert got.links == ("https://github.com/facebook/MemNN",)
    assert got.where["venue"] == (5, 10) and got.line == 1
    assert got.fields() == ("arxiv", "authors", "doi", "links", "published", "title", "venue")


def test_an_empty_metadata_file_sets_nothing() -> None:
    assert load_metadata("# nothing yet\n") == ()


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("x:\n  arxiv: 2502.11089v2\n", "papers.yaml:2:10: error: arxiv must be an arXiv id"),
        ("x:\n  openalex: 123\n", "papers.yaml:2:13: error: openalex must be an OpenAlex work id"),
        ("x:\n  authors: [A, [B]]\n", "papers.yaml:2:16: error: an item of authors must be text"),
        ("x:\n  venue: ''\n", "papers.yaml:2:10: error: venue is empty"),
        (
            "x:\n  aliases: [Old Slug]\n",
            'papers.yaml:2:13: error: an item of aliases must be a paper slug, found "Old Slug"',
        ),
        ("Not A Slug:\n  venue: X\n", 'papers.yaml:1:1: error: "Not A Slug" is not a paper slug'),
        ("x: [1]\n", 'papers.yaml:1:4: error: the entry of "x" must be a mapping'),
    ],
)
def test_metadata_errors_are_located(text: str, message: str) -> None:
    with pytest.raises(InputError) as caught:
        load_metadata(text)
    assert any(str(p).startswith(message) for p in caught.value.problems), caught.value


def test_a_merge_keeps_both_sources_and_the_duplicate_slug_leads_to_the_paper() -> None:
    corpus = corpus_of(
        record("Memory Networks", ABSTRACT, "dumps/a.txt", 3, published=dt.date(2014, 10, 15)),
        record("Memory Networks!", ABSTRACT + " More.", "dumps/b.txt", 7, upvotes=4),
    )
    keep, other = sorted(corpus.papers, key=lambda p: p.sources[0])
    facts = load_metadata(f"{keep.slug}:\n  merge: [{other.slug}]\n")
    merged, problems = apply_facts(corpus, facts)
    assert problems == []
    (paper,) = merged.papers
    assert paper.slug == keep.slug and paper.title == "Memory Networks"
    assert paper.sources == (Source("dumps/a.txt", 3), Source("dumps/b.txt", 7))
    assert paper.abstract.endswith("More.") and paper.upvotes == 4
    assert paper.published == dt.date(2014, 10, 15) and paper.date_source == "dump"
    assert paper.aliases == (other.slug,)
    tax = load_taxonomy("site:\n  title: T\nthemes:\n  - id: t\n    title: T\n    summary: s\n")
    files, _ = redirect_files([], merged, tax, "https://x.org/")
    page = files[f"papers/{other.slug}/index.html"]
    assert f"papers/{keep.slug}/" in page and "Moved: Memory Networks" in page


def test_facts_correct_the_paper_and_say_which_fields_they_set() -> None:
    corpus = corpus_of(record("Memory Netwroks", ABSTRACT, "dumps/a.txt", 1, authors_count=3))
    (slug,) = [p.slug for p in corpus.papers]
    facts = load_metadata(
        f"{slug}:\n  title: Memory Networks\n  arxiv: '1410.3916'\n"
        "  authors: [Jason Weston, Sumit Chopra, Antoine Bordes]\n  aliases: [memnn]\n"
    )
    applied, problems = apply_facts(corpus, facts)
    (paper,) = applied.papers
    assert problems == []
    assert paper.slug == slug  # a corrected title never moves the page
    assert (paper.title, paper.dump_title) == ("Memory Networks", "Memory Netwroks")
    assert paper.arxiv == "1410.3916" and paper.aliases == ("memnn",)
    assert paper.from_metadata == ("arxiv", "authors", "title")
    # no date in the dump or papers.yaml: the arXiv id's year and month, said so
    assert (paper.published, paper.date_source) == (dt.date(2014, 10, 1), "arXiv id")


def test_a_dump_date_wins_over_the_arxiv_id_and_papers_yaml_over_both() -> None:
    corpus = corpus_of(record("A", ABSTRACT, "d.txt", 1, published=dt.date(2014, 11, 2)))
    slug = corpus.papers[0].slug
    (paper,) = apply_facts(corpus, load_metadata(f"{slug}:\n  arxiv: '1410.3916'\n"))[0].papers
    assert (paper.published, paper.date_source) == (dt.date(2014, 11, 2), "dump")
    facts = load_metadata(f"{slug}:\n  arxiv: '1410.3916'\n  published: 2014-10-15\n")
    (paper,) = apply_facts(corpus, facts)[0].papers
    assert (paper.published, paper.date_source) == (dt.date(2014, 10, 15), "papers.yaml")


def test_near_duplicates_are_reported_with_both_places_and_the_declaration_to_write() -> None:
    corpus = corpus_of(
        record("Memory Networks for Question Answering", ABSTRACT, "dumps/a.txt", 3),
        record("Memory Networks for Question-Answering.", ABSTRACT, "dumps/b.txt", 9),
        record("Sparse Attention: Natively Trainable and Fast", OTHER, "dumps/a.txt", 5),
        record(
            "Sparse Attention: Natively Trainable and Quick",
            OTHER[:-9] + "in bulk.",
            "dumps/b.txt",
            1,
        ),
    )
    found = near_duplicates(corpus, ())
    assert len(found) == 2, found
    first = str(found[0])
    assert first.startswith(
        'dumps/a.txt:3: warning: "Memory Networks for Question Answering" and "Memory '
        'Networks for Question-Answering." (dumps/b.txt:9) look like one paper: the same abstract.'
    )
    assert "merge: [" in first and "distinct: [" in first
    assert "titles equal up to one word" in str(found[1]) or "nearly the same" in str(found[1])
    # declared distinct, or merged: no longer reported
    slugs = {p.title: p.slug for p in corpus.papers}
    a, b = (
        slugs["Memory Networks for Question Answering"],
        slugs["Memory Networks for Question-Answering."],
    )
    facts = load_metadata(f"{a}:\n  distinct: [{b}]\n")
    assert len(near_duplicates(corpus, facts)) == 1
    merged, _ = apply_facts(corpus, load_metadata(f"{a}:\n  merge: [{b}]\n"))
    assert len(near_duplicates(merged, ())) == 1


def test_different_papers_with_titles_one_word_apart_are_not_reported() -> None:
    corpus = corpus_of(
        record("Attention Is All You Need", ABSTRACT, "a.txt", 1),
        record("Attention Is Not All You Need", OTHER, "a.txt", 3),
    )
    assert near_duplicates(corpus, ()) == []


def test_slugs_papers_yaml_names_are_checked_against_the_papers() -> None:
    corpus = corpus_of(record("Memory Networks", ABSTRACT, "a.txt", 1))
    facts = load_metadata("memory-network:\n  venue: X\nmemory-networks:\n  merge: [nope]\n")
    _, problems = apply_facts(corpus, facts)
    assert [str(p) for p in problems] == [
        'papers.yaml:1: error: no paper has the slug "memory-network"'
        ' (did you mean "memory-networks"?)',
        'papers.yaml:4:10: error: no paper has the slug "nope"',
    ]


def test_a_new_dump_that_collides_with_published_slugs_moves_no_published_url() -> None:
    """The seed survey with a new dump whose papers' slugs collide with published ones
    (punctuation-only title changes): every URL published.json records as live is still a
    page, only the newcomers are suffixed, and each newcomer is reported as a near-duplicate
    with both places."""
    import dataclasses
    from pathlib import Path

    from generator.load import load
    from generator.site import analyse
    from generator.text import slugify

    inputs = load(Path(__file__).parent.parent)
    published = {e.url for e in inputs.manifest if e.kind == "paper" and not e.gone}
    before = analyse(inputs)
    victims = sorted(before.corpus.papers, key=lambda p: p.slug)[:: len(before.corpus.papers) // 6][
        :6
    ]
    new = tuple(
        record(p.title + "!", p.abstract, "dumps/009_new.txt", 1 + 2 * n)
        for n, p in enumerate(victims)
    )
    assert all(slugify(r.title) == p.slug for r, p in zip(new, victims, strict=True))
    after = analyse(dataclasses.replace(inputs, records=inputs.records + new))
    current = {f"papers/{p.slug}/" for p in after.corpus.papers}
    assert published <= current, sorted(published - current)
    assert len(after.corpus.papers) == len(before.corpus.papers) + len(new)
    reported = [w for w in after.warnings if "look like one paper" in w.message]
    assert len(reported) == len(new)
    assert {f"{w.file}:{w.line}" for w in reported} == {
        f"{p.sources[0].file}:{p.sources[0].line}" for p in victims
    }
    assert all("(dumps/009_new.txt:" in w.message for w in reported)
