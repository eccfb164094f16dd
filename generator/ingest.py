"""Merge the records of every dump into unique papers, each with a stable slug."""

from __future__ import annotations

import hashlib
from collections import defaultdict
from collections.abc import Iterable, Mapping

from .dump import short
from .errors import Problem
from .model import Corpus, DumpInfo, Paper, RawRecord
from .text import clean_latex, extract_links, slugify, title_key
from .urls import RESERVED


def merge(
    records: Iterable[RawRecord], dumps: Iterable[DumpInfo] = ()
) -> tuple[Corpus, list[Problem]]:
    """Merge records of the same title into papers; warn where their abstracts disagree."""
    groups: dict[str, list[RawRecord]] = defaultdict(list)
    all_records = sorted(records, key=lambda r: (r.source.file, r.source.line))
    for record in all_records:
        groups[title_key(record.title)].append(record)
    warnings: list[Problem] = []
    merged: list[tuple[str, list[RawRecord]]] = sorted(groups.items())
    slugs = _slugs({key: group[0].title for key, group in merged})
    papers = []
    for key, group in merged:
        first = group[0]
        abstracts = sorted({r.abstract for r in group}, key=lambda a: (-len(a), a))
        if len(abstracts) > 1 and not all(
            abstracts[0].startswith(a.rstrip("…. ")) for a in abstracts
        ):
            other = next(r for r in group if r.abstract != abstracts[0])
            warnings.append(
                Problem(
                    other.source.file,
                    other.source.line,
                    0,
                    f'"{short(first.title)}" is also in {first.source.file}:'
                    f"{first.source.line} with a different abstract; the longer one is shown",
                    "warning",
                )
            )
        abstract = clean_latex(abstracts[0])
        dated = [r.published for r in group if r.published]
        papers.append(
            Paper(
                slug=slugs[key],
                key=key,
                title=first.title,
                abstract=abstract,
                published=min(dated) if dated else None,
                authors_count=_first(r.authors_count for r in group),
                organization=_first(r.organization for r in group),
                organization_id=_first(r.organization_id for r in group),
                upvotes=max((r.upvotes for r in group if r.upvotes is not None), default=None),
                links=extract_links(abstracts[0]),  # before LaTeX cleaning, which eats {}
                sources=tuple(r.source for r in group),
            )
        )
    papers.sort(key=lambda p: p.slug)
    corpus = Corpus(
        papers=tuple(papers),
        dumps=tuple(sorted(dumps, key=lambda d: d.file)),
        record_count=len(all_records),
    )
    return corpus, warnings


def _first(values: Iterable[object]):  # type: ignore[no-untyped-def]
    return next((v for v in values if v is not None), None)


def _slugs(titles: Mapping[str, str]) -> dict[str, str]:
    """Slug per title key. Colliding slugs all get a short hash of their key, so no slug
    depends on the order in which dumps or records were read; so does a reserved name (a
    paper titled "Index" would be the all-papers page)."""
    by_slug: dict[str, list[str]] = defaultdict(list)
    for key, title in titles.items():
        by_slug[slugify(title)].append(key)
    out = {}
    for slug, keys in by_slug.items():
        for key in keys:
            if len(keys) == 1 and slug not in RESERVED:
                out[key] = slug
            else:
                out[key] = f"{slug}-{hashlib.sha1(key.encode()).hexdigest()[:6]}"
    return out
