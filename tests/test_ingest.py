from __future__ import annotations

import datetime as dt
import random
from pathlib import Path

import pytest

from generator.dump import CHROME, parse_dump
from generator.errors import InputError
from generator.identity import apply_facts
from generator.ingest import merge
from generator.metadata import load_metadata
from generator.model import RawRecord, Source
from generator.text import decode, slugify, title_key

DUMPS = Path(__file__).parent.parent / "dumps"
SEEDS = sorted(DUMPS.glob("*.txt"))


def parse_all(paths=SEEDS):
    records, infos = [], []
    for path in paths:
        got, info = parse_dump(decode(path.read_bytes(), path.name), path.name)
        records += got
        infos.append(info)
    return records, infos


def expected_count(path: Path) -> int:
    """An oracle independent of the parser's state machine: in the search layout a paper
    is two lines; in the Daily Papers layout, a paper is two blank-separated paragraphs
    (title, abstract) that are not chrome and not part of a metadata block."""
    lines = path.read_text(encoding="utf-8").splitlines()
    if "Daily Papers" not in lines:
        body = [ln for ln in lines if ln.strip() and ln not in CHROME]
        return len(body) // 2
    paragraphs = [ln.strip() for ln in lines if ln.strip()]
    meta = set()
    for n, ln in enumerate(paragraphs):
        if ln == "·":
            meta |= {n - 1, n, n + 1}
    start = paragraphs.index("byAK and the research community") + 2  # then the capture date
    text = [p for n, p in enumerate(paragraphs) if n >= start and n not in meta]
    return len(text) // 2


@pytest.mark.parametrize("path", SEEDS, ids=lambda p: p.name)
def test_each_seed_parses_to_the_independent_count(path: Path) -> None:
    records, info = parse_dump(path.read_text(encoding="utf-8"), path.name)
    assert len(records) == info.records == expected_count(path)
    assert all(r.title and r.abstract for r in records)
    assert not any(r.title.startswith("Subscribe") for r in records)


def test_seed_corpus_counts() -> None:
    records, infos = parse_all()
    corpus, warnings = merge(records, infos)
    assert sum(expected_count(p) for p in SEEDS) == len(records) == corpus.record_count
    in_two = [p for p in corpus.papers if len(p.sources) > 1]
    # Every merged paper keeps one source per record: no record disappears in the merge.
    assert sum(len(p.sources) for p in corpus.papers) == len(records)
    assert len(corpus.papers) == len(records) - sum(len(p.sources) - 1 for p in in_two)
    assert len({p.slug for p in corpus.papers}) == len(corpus.papers)
    # Facts stated in the project's design: 364 records, 349 papers, 15 in two dumps.
    assert (len(records), len(corpus.papers), len(in_two)) == (364, 349, 15)
    assert warnings == []


def by_title(records, start: str):
    found = [r for r in records if r.title.startswith(start)]
    assert len(found) >= 1, start
    return found[0]


def test_named_records_keep_their_metadata() -> None:
    records, infos = parse_all()
    soft = by_title(records, "Soft Thinking: Unlocking")
    assert (soft.authors_count, soft.published, soft.upvotes, soft.organization) == (
        8,
        dt.date(2025, 5, 21),
        3,
        None,
    )
    front = by_title(records, "Front-Loading Reasoning")
    assert (front.organization, front.organization_id, front.published, front.upvotes) == (
        "NVIDIA",
        "nvidia",
        dt.date(2025, 9, 26),
        4,
    )
    hippo = [r for r in records if r.organization == "Hippocratic AI"]
    assert len(hippo) == 1 and hippo[0].organization_id == "hippocraticai"
    lcm = by_title(records, "Large Concept Models")
    assert (lcm.published, lcm.upvotes, lcm.authors_count) == (dt.date(2024, 12, 11), 1, 21)
    # The same paper is in a search dump (no date) and a Daily Papers dump (dated).
    mix = {
        r.source.file: r.published
        for r in records
        if r.title.startswith("Imitate, Explore, and Self-Improve")
    }
    assert mix == {
        "000_3ad75cd37dcb97db.txt": None,
        "002_76436621c5af2ff8.txt": dt.date(2024, 12, 12),
    }


def test_records_without_metadata() -> None:
    records, _ = parse_all()
    pyx = [r for r in records if r.title.startswith("From P(y|x) to P(y)")]
    assert len(pyx) == 1
    assert (pyx[0].published, pyx[0].authors_count, pyx[0].organization, pyx[0].upvotes) == (
        None,
        None,
        None,
        None,
    )
    search = [r for r in records if r.source.file.startswith("000_")]
    assert search and all(r.published is None and r.authors_count is None for r in search)


def test_capture_year_is_inferred_and_reported_or_taken_from_taxonomy() -> None:
    path = DUMPS / "001_c9417f67b05f9a1a.txt"
    _, inferred = parse_dump(path.read_text(encoding="utf-8"), path.name)
    assert inferred.year == 2025 and inferred.year_source.startswith("inferred")
    assert inferred.captured == dt.date(2025, 10, 29)
    records, given = parse_dump(path.read_text(encoding="utf-8"), path.name, dt.date(2030, 10, 29))
    assert given.year == 2030 and given.year_source == "taxonomy"
    assert by_title(records, "Soft Thinking: Unlocking").published == dt.date(2030, 5, 21)


def test_merge_keeps_every_source_and_the_richest_metadata() -> None:
    records, infos = parse_all()
    corpus, _ = merge(records, infos)
    phi = next(p for p in corpus.papers if p.title == "Phi-4-reasoning Technical Report")
    assert [s.file for s in phi.sources] == ["000_3ad75cd37dcb97db.txt", "002_76436621c5af2ff8.txt"]
    # The search listing has no metadata; the Daily Papers listing has it.
    assert phi.published is not None and (phi.authors_count or phi.organization)


def test_slugs_do_not_depend_on_dump_or_record_order() -> None:
    records, infos = parse_all()
    first, _ = merge(records, infos)
    shuffled = list(records)
    random.Random(7).shuffle(shuffled)
    second, _ = merge(shuffled, reversed(infos))
    assert [(p.slug, p.title, p.sources) for p in first.papers] == [
        (p.slug, p.title, p.sources) for p in second.papers
    ]


def test_colliding_slugs_are_distinct_and_stable() -> None:
    text = "\n".join(
        [
            "Attention!",
            "First abstract.",
            "Attention?",
            "Second abstract.",
            "Memory",
            "Third abstract.",
        ]
    )
    records, info = parse_dump(text, "x.txt")
    corpus, _ = merge(records, [info])
    slugs = {p.title: p.slug for p in corpus.papers}
    assert slugs["Memory"] == "memory"
    assert slugs["Attention!"] != slugs["Attention?"]
    assert all(s.startswith("attention-") for t, s in slugs.items() if t != "Memory")
    again, _ = merge(list(reversed(records)), [info])
    assert {p.title: p.slug for p in again.papers} == slugs


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (
            "Title one\nAbstract one.\nTitle two",
            'x.txt:3: error: the title "Title two" has no '
            "abstract: the dump ends here (was it cut short?)",
        ),
        ("", "x.txt: error: the dump is empty: no paper listings found"),
        (
            "<!DOCTYPE html>\n<html><body></body></html>",
            "x.txt:1:1: error: this is an HTML page, "
            "not a paper listing: select the page's text in the browser and paste that instead",
        ),
        (
            "Daily Papers\n\nT\n\nA.\n\n  • 3 authors\n·\n21 May 2025\n",
            'x.txt:9: error: unknown date format "21 May 2025": expected "May 21", "Dec 11, 2024" '
            "or either followed by an upvote count",
        ),
        (
            "Daily Papers\n\nT\n\nA.\n\n  • 3 authors\n·\nFeb 30, 2025\n",
            'x.txt:9: error: "Feb 30, 2025" is not a real date',
        ),
        (
            "Daily Papers\n\nT\n\nnvidia NVIDIA\n·\nMay 2, 2025\n",
            'x.txt:3: error: the title "T" has no abstract: line 5 is metadata',
        ),
        (
            "T\nA.\n  • 3 authors\n·\nMay 2, 2025\n·\nT2\nA2.\n",
            'x.txt:6: error: metadata line "·" is out of place: expected a paper title; '
            "a metadata block follows an abstract",
        ),
        (
            "Daily Papers\n\n  • 3 authors\n·\nMay 2, 2025\nT\n\nA.\n",
            'x.txt:3: error: metadata line "• 3 authors" is out of place: expected a paper title; '
            "a metadata block follows an abstract",
        ),
    ],
)
def test_bad_dumps_name_file_and_line(text: str, message: str) -> None:
    with pytest.raises(InputError) as exc:
        parse_dump(text, "x.txt")
    assert message in str(exc.value).splitlines()


def test_non_utf8_bytes_name_line_and_column() -> None:
    with pytest.raises(InputError) as exc:
        decode(b"Title\nAbstract caf\xe9\n", "x.txt")
    assert (
        str(exc.value) == "x.txt:2:13: error: byte 0xe9 is not UTF-8; save the dump as UTF-8 text"
    )


def test_bom_crlf_and_tabs_are_read_as_text() -> None:
    text = decode("\ufeffT1\r\nA\tone.\r\nT2\r\nA two.\r\n".encode(), "x.txt")
    records, _ = parse_dump(text, "x.txt")
    assert [(r.title, r.abstract, r.source.line) for r in records] == [
        ("T1", "A one.", 1),
        ("T2", "A two.", 3),
    ]


def test_a_published_paper_keeps_its_slug_when_a_newcomer_collides() -> None:
    from generator.ingest import published_slugs
    from generator.model import Entry, RawRecord, Source

    old = RawRecord("C models", "An abstract.", Source("dumps/a.txt", 1))
    new = RawRecord("C++ models", "Another abstract.", Source("dumps/b.txt", 1))
    alone, _ = merge([old])
    assert [p.slug for p in alone.papers] == ["c-models"]
    manifest = [Entry("paper", "papers/c-models/", "C models", ("dumps/a.txt:1",))]
    both, _ = merge([old, new], published=published_slugs(manifest))
    slugs = {p.title: p.slug for p in both.papers}
    assert slugs["C models"] == "c-models"  # the published address stays
    assert slugs["C++ models"].startswith("c-models-") and len(slugs["C++ models"]) == 15
    # Without the record of what was published, both would move, as they did before.
    unrecorded, _ = merge([old, new])
    assert all(p.slug != "c-models" for p in unrecorded.papers)


def test_a_cleaned_title_keeps_the_slug_and_key_of_the_dumps_title() -> None:
    """Titles are shown cleaned of LaTeX, but published URLs must not move: the slug and
    the merge key still come from the title as the dump has it."""
    records, infos = parse_all()
    corpus, _ = merge(records, infos)
    paper = corpus.by_slug()["self-attention-does-not-need-o-n-2-memory"]
    assert paper.title == "Self-attention Does Not Need O(n²) Memory"
    assert paper.dump_title == "Self-attention Does Not Need O(n^2) Memory"
    assert paper.abstract.startswith("We present a very simple algorithm for attention")
    iqbench = next(p for p in corpus.papers if p.title.startswith("IQBench"))
    assert iqbench.title.startswith("IQBench: How “Smart” Are Vision-Language Models?")
    assert iqbench.slug == slugify(iqbench.dump_title) == slugify(iqbench.title)
    titles = {r.title for r in records}
    for p in corpus.papers:
        assert p.dump_title in titles
        assert p.key == title_key(p.dump_title)
        assert p.slug.startswith(slugify(p.dump_title))


def test_a_title_papers_yaml_corrects_is_cleaned_and_the_dumps_title_kept() -> None:
    raw = "ALR^2: Retrieve then Reason"
    corpus, _ = merge([RawRecord(raw, "We introduce \\ourmodel.", Source("dumps/a.txt", 1))])
    (paper,) = corpus.papers
    assert (paper.title, paper.abstract, paper.dump_title) == (
        "ALR²: Retrieve then Reason",
        "We introduce ALR².",
        raw,
    )
    fixed, problems = apply_facts(
        corpus, load_metadata(f"{paper.slug}:\n  title: 'ALR^2: Retrieve, then Reason'\n")
    )
    assert problems == []
    (paper,) = fixed.papers
    assert (paper.title, paper.dump_title, paper.slug) == (
        "ALR²: Retrieve, then Reason",
        raw,
        slugify(raw),
    )
