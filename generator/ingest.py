"""Merge the records of every dump into unique papers, each with a stable slug."""

from __future__ import annotations

import hashlib
from collections import defaultdict
from collections.abc import Iterable, Mapping

from .dump import short
from .errors import Problem
from .latex import clean_latex, title_name
from .model import Corpus, DumpInfo, Entry, Paper, RawRecord
from .text import extract_links, slugify, title_key
from .urls import PAPERS, RESERVED


def merge(
    records: Iterable[RawRecord],
    dumps: Iterable[DumpInfo] = (),
    published: Mapping[str, str] = {},
) -> tuple[Corpus, list[Problem]]:
    """Merge records of the same title into papers; warn where their abstracts disagree.
    `published` (title key to slug, from published.json) keeps published papers' slugs."""
    groups: dict[str, list[RawRecord]] = defaultdict(list)
    all_records = sorted(records, key=lambda r: (r.source.file, r.source.line))
    for record in all_records:
        groups[title_key(record.title)].append(record)
    warnings: list[Problem] = []
    merged: list[tuple[str, list[RawRecord]]] = sorted(groups.items())
    slugs = _slugs({key: group[0].title for key, group in merged}, published)
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
        name = title_name(first.title)
        title = clean_latex(first.title, name)
        dated = sorted((r.published, r.year_inferred) for r in group if r.published)
        papers.append(
            Paper(
                slug=slugs[key],
                key=key,
                title=title,
                abstract=clean_latex(abstracts[0], name),
                published=dated[0][0] if dated else None,
                date_source=("dump, year inferred" if dated[0][1] else "dump") if dated else None,
                authors_count=_first(r.authors_count for r in group),
                organization=_first(r.organization for r in group),
                organization_id=_first(r.organization_id for r in group),
                upvotes=max((r.upvotes for r in group if r.upvotes is not None), default=None),
                links=extract_links(abstracts[0]),  # before LaTeX cleaning, which eats {}
                sources=tuple(r.source for r in group),
                dump_title=first.title,  # the slug and the key come from it, as before
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


def _slugs(titles: Mapping[str, str], published: Mapping[str, str] = {}) -> dict[str, str]:
    """Slug per title key. Colliding slugs get a short hash of their key, so no slug
    depends on the order in which dumps or records were read; so does a reserved name (a
    paper titled "Index" would be the all-papers page). A paper published under the plain
    slug keeps it: only the newcomers that collide with it get the hash."""
    by_slug: dict[str, list[str]] = defaultdict(list)
    for key, title in titles.items():
        by_slug[slugify(title)].append(key)
    out = {}
    for slug, keys in by_slug.items():
        owner = next((k for k in keys if published.get(k) == slug), None)
        for key in keys:
            plain = key == owner or (len(keys) == 1 and owner is None)
            if plain and slug not in RESERVED:
                out[key] = slug
            else:
                out[key] = f"{slug}-{hashlib.sha1(key.encode()).hexdigest()[:6]}"
    return out


def published_slugs(entries: Iterable[Entry]) -> dict[str, str]:
    """Title key to slug of every paper page published.json records as live."""
    return {
        title_key(e.title): e.url.removeprefix(PAPERS).rstrip("/")
        for e in entries
        if e.kind == "paper" and not e.gone
    }
