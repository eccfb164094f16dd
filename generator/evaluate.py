"""Measure the survey against judgements kept in the repository (evaluation/).

* `related_pairs.yaml`: pairs of papers a reader expects to see linked; the figure is
  hit@5, the share of pairs where one paper is among the other's five related papers.
* `precision.yaml`: (paper, theme) assignments drawn at random and judged by a reader;
  the figure is the share judged correct among those the build still makes.
* `recall.yaml`: papers drawn at random, each with the themes a reader says it clearly
  belongs to (`belongs:`); the figure is the share of those memberships the build makes.
* `related_pages.yaml`: the related-paper links of random paper pages, each judged
  `related`, `borderline` or `unrelated`; the figure is the share judged related among the
  links the build still shows, then among those it lists as closely related and those it
  lists as in the same area (and of these, the share judged related or borderline).
* `related_random.yaml`: the same, on pages drawn after closely related links were listed
  apart.
* `related_close.yaml`, `related_close_fresh.yaml`: the same, on random pages among those
  that list a closely related paper (the second drawn after the rule for such a link was
  last changed).
* `precision_second.yaml`, `recall_second.yaml`, `related_pages_second.yaml` (and so on for
  each file of related links): the same
  samples judged again by a second reader who did not see the first reader's verdicts (nor,
  for recall, the survey's placements); besides
  that reader's own figures, the share of assignments the two readers gave the same verdict
  and, of the memberships either named, the share both named: how far two careful readers
  agree, which bounds what a figure judged by one of them can show.
* `shared_terms.yaml`: terms the related links showed, each labelled `topical`, `generic`
  or `unclear` by a reader; the figure is the share labelled topical among those labelled
  either that links still show, then the share of those labelled topical still shown.
* `heldout.yaml`: papers of a dump held out while the rules were written, with the themes a
  reader chose for each before seeing where the rules put it (`belongs:`) and the themes the
  rules gave it at the commit named in the file (`rules:`); the figure is the share placed
  where the reader would (every theme the rules gave is one the reader chose, or above or
  below one).
"""

from __future__ import annotations

import random
from collections.abc import Mapping
from pathlib import Path
from typing import Protocol

import yaml

from .errors import InputError, Problem
from .model import Assignment, Corpus, Link, Score, Taxonomy


class Analysed(Protocol):
    """What a sample is drawn from: the analysed survey."""

    @property
    def corpus(self) -> Corpus: ...
    @property
    def taxonomy(self) -> Taxonomy: ...
    @property
    def assignment(self) -> Assignment: ...


def _load(path: Path, key: str, fields: tuple[str, ...] = ()) -> list[dict[str, object]]:
    """The `key:` list of a judgement file; every item a mapping with `fields`."""
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except yaml.YAMLError as exc:
        raise InputError([Problem(str(path), 0, 0, f"YAML syntax error: {exc}")]) from None
    items = data.get(key) if isinstance(data, dict) else None
    if not isinstance(items, list):
        raise InputError([Problem(str(path), 0, 0, f'expected a top-level "{key}:" list')])
    for n, item in enumerate(items, 1):
        missing = [f for f in fields if not isinstance(item, dict) or f not in item]
        if missing:
            raise InputError(
                [Problem(str(path), 0, 0, f"{key} item {n} has no {', '.join(missing)}")]
            )
    return items


def _names(value: object) -> tuple[str, ...]:
    return tuple(str(v) for v in value) if isinstance(value, list) else ()


def related_hits(pairs_file: Path, links: Mapping[str, tuple[Link, ...]], k: int = 5) -> Score:
    """hit@k of the judged pairs."""
    hits, notes = 0, []
    pairs = _load(pairs_file, "pairs", ("a", "b"))
    for pair in pairs:
        a, b = str(pair["a"]), str(pair["b"])
        if a not in links or b not in links:
            notes.append(f"unknown paper in pair {a} / {b}")
            continue
        if b in {x.slug for x in links[a][:k]} or a in {x.slug for x in links[b][:k]}:
            hits += 1
        else:
            notes.append(f"missed: {a} / {b}")
    return Score(hits, len(pairs), tuple(notes))


def precision(sample_file: Path, assignment: Assignment) -> Score:
    """Share of judged assignments that are correct, among those the build still makes."""
    hits, total, notes = 0, 0, []
    for item in _load(sample_file, "sample", ("slug", "theme", "verdict")):
        slug, theme, verdict = str(item["slug"]), str(item["theme"]), str(item["verdict"])
        if theme not in assignment.themes_of.get(slug, ()):
            notes.append(f"no longer assigned, not counted: {slug} -> {theme}")
            continue
        total += 1
        if verdict == "correct":
            hits += 1
        else:
            notes.append(f"judged {verdict}: {slug} -> {theme}: {item.get('reason', '')}")
    return Score(hits, total, tuple(notes))


def verdict_agreement(first: Path, second: Path) -> Score:
    """Of the (paper, theme) assignments both files judge, the share given the same verdict."""
    fields = ("slug", "theme", "verdict")
    before = {
        (str(i["slug"]), str(i["theme"])): str(i["verdict"]) for i in _load(first, "sample", fields)
    }
    hits, total, notes = 0, 0, []
    for item in _load(second, "sample", fields):
        key, verdict = (str(item["slug"]), str(item["theme"])), str(item["verdict"])
        if key not in before:
            continue
        total += 1
        if before[key] == verdict:
            hits += 1
        else:
            notes.append(f"{before[key]} / {verdict}: {key[0]} -> {key[1]}")
    return Score(hits, total, tuple(notes))


def membership_agreement(first: Path, second: Path) -> Score:
    """Of the memberships either reader named for the papers both judged, the share that
    both named."""
    fields = ("slug", "belongs")
    before = {str(i["slug"]): set(_names(i["belongs"])) for i in _load(first, "papers", fields)}
    hits, total, notes = 0, 0, []
    for item in _load(second, "papers", fields):
        slug = str(item["slug"])
        if slug not in before:
            continue
        named = set(_names(item["belongs"]))
        for theme in sorted(before[slug] | named):
            total += 1
            if theme in before[slug] and theme in named:
                hits += 1
            else:
                who = "first" if theme in before[slug] else "second"
                notes.append(f"only the {who} reader: {slug} -> {theme}")
    return Score(hits, total, tuple(notes))


def recall(sample_file: Path, assignment: Assignment) -> Score:
    """Share of the memberships a reader judged clear that the build makes: a paper is a
    member of a theme when the theme or one of its sub-themes holds it."""
    hits, total, notes = 0, 0, []
    for item in _load(sample_file, "papers", ("slug", "belongs")):
        slug = str(item["slug"])
        for theme in _names(item["belongs"]):
            total += 1
            if slug in assignment.members.get(theme, ()):
                hits += 1
            else:
                notes.append(f"missing: {slug} -> {theme}")
    return Score(hits, total, tuple(notes))


def related_pages(
    pages_file: Path, links: Mapping[str, tuple[Link, ...]], tier: str = "all"
) -> Score:
    """Share of judged related-paper links that are truly related, among those the build
    still shows on the page: all of them, those it lists as closely related (`tier`
    "close"), or those it lists as in the same area ("near"); for "area", the share of the
    latter judged related or borderline, which is what their label claims."""
    hits, total, notes = 0, 0, []
    for page in _load(pages_file, "pages", ("slug", "links")):
        slug = str(page["slug"])
        shown = {x.slug: x for x in links.get(slug, ())}
        judged = page["links"] if isinstance(page["links"], list) else []
        for link in judged:
            if not isinstance(link, dict):
                notes.append(f"not a mapping, not counted: a link of {slug}")
                continue
            other, verdict = str(link.get("slug")), str(link.get("verdict"))
            if other not in shown:
                if tier == "all":
                    notes.append(f"no longer shown, not counted: {slug} -> {other}")
                continue
            if tier != "all" and bool(shown[other].close) != (tier == "close"):
                continue
            total += 1
            if verdict == "related" or (tier == "area" and verdict == "borderline"):
                hits += 1
            elif tier == "all":  # each verdict is noted once, under all the links
                notes.append(f"judged {verdict}: {slug} -> {other}")
    return Score(hits, total, tuple(notes))


def shared_terms(terms_file: Path, links: Mapping[str, tuple[Link, ...]], kept: bool) -> Score:
    """Of the judged terms labelled topical or generic that links still show, the share
    labelled topical; with `kept`, of those labelled topical, the share still shown."""
    shown = {t for found in links.values() for x in found for t in x.terms}
    hits, total, notes = 0, 0, []
    for item in _load(terms_file, "terms", ("term", "verdict")):
        term, verdict = str(item["term"]), str(item["verdict"])
        if verdict not in ("topical", "generic") or (kept and verdict != "topical"):
            continue
        if kept:
            total += 1
            hits += term in shown
        elif term in shown:
            total += 1
            hits += verdict == "topical"
            if verdict == "generic":
                notes.append(f"shown, judged generic: {term}")
    return Score(hits, total, tuple(notes))


def pages_figures(
    stem: str, label: str, pages: str, second: str = "the same pages"
) -> tuple[tuple[str, str, str, str], ...]:
    """The figures (file, measure, label, meaning) of `stem`.yaml, a file of judged pages
    drawn from `pages`, and of its second reader's `stem`_second.yaml: all links, then by
    how the page lists each."""
    rows: list[tuple[str, str, str, str]] = []
    for name, title, who in ((stem, label, ""), (f"{stem}_second", second, ", second reader")):
        share = (
            f"of the judged links on {pages} are truly related"
            if not who
            else ("of the same links are truly related by a second reader")
        )
        rows += [
            (f"{name}.yaml", "pages", title + (", second reader" if who else ""), share),
            (f"{name}.yaml", "pages-close", "  listed as closely related",
             f"of those the page lists as closely related are truly related{who}"),
            (f"{name}.yaml", "pages-near", "  listed as in the same area",
             f"of those the page lists as in the same area are truly related{who}"),
            (f"{name}.yaml", "pages-area", "  listed as in the same area",
             f"of those are related or in the same area (borderline){who}"),
        ]  # fmt: skip
    return tuple(rows)


def _near(theme: str, chosen: tuple[str, ...], taxonomy: Taxonomy) -> bool:
    """`theme` is a chosen theme, one above it or one below it."""
    known = taxonomy.by_id()
    if theme in chosen:
        return True
    if theme not in known:
        return False
    line = taxonomy.ancestors(theme)
    return any(c in line or (c in known and theme in taxonomy.ancestors(c)) for c in chosen)


def heldout(sample_file: Path, taxonomy: Taxonomy) -> Score:
    """Share of held-out papers the rules placed where a reader would: placed at all, and
    every theme given near one the reader chose."""
    hits, notes = 0, []
    items = _load(sample_file, "papers", ("slug", "belongs", "rules"))
    for item in items:
        slug, chosen, given = str(item["slug"]), _names(item["belongs"]), _names(item["rules"])
        wrong = [t for t in given if not _near(t, chosen, taxonomy)]
        if given and not wrong:
            hits += 1
        elif not given:
            notes.append(f"placed nowhere: {slug} (reader: {', '.join(chosen) or 'none'})")
        else:
            notes.append(f"placed in {', '.join(wrong)}: {slug} (reader: {', '.join(chosen)})")
    return Score(hits, len(items), tuple(notes))


def draw_sample(
    site: Analysed, related: Mapping[str, tuple[Link, ...]], kind: str, n: int, seed: int
) -> str:
    """A random sample as YAML for a reader to fill in: (paper, theme) assignments, papers
    (the reader lists the themes each belongs to), paper pages with their related links
    (of the pages that show any: a page close to no other shows none to judge) or, for
    kind "close", such pages among those that list a closely related paper. The reader is
    not told which links the page lists as closely related."""
    titles = {p.slug: p.title for p in site.corpus.papers}
    themes = site.taxonomy.by_id()
    pick = random.Random(seed)
    items: list[dict[str, object]]
    if kind == "assignments":
        pairs = sorted((s, t) for s, ts in site.assignment.themes_of.items() for t in ts)
        chosen = sorted(pick.sample(pairs, min(n, len(pairs))))
        items = [
            dict[str, object](slug=s, theme=t, title=titles[s], theme_title=themes[t].title)
            | {"verdict": "?", "reason": ""}
            for s, t in chosen
        ]
    else:
        slugs = sorted(
            s
            for s in titles
            if kind == "papers"
            or (kind == "pages" and related.get(s))
            or (kind == "close" and any(x.close for x in related.get(s, ())))
        )
        chosen_slugs = pick.sample(slugs, min(n, len(slugs)))
        if kind == "papers":
            items = [
                {"slug": s, "title": titles[s], "belongs": [], "reason": ""} for s in chosen_slugs
            ]
        else:
            items = [
                {
                    "slug": s,
                    "title": titles[s],
                    "links": [
                        {"slug": x.slug, "title": titles.get(x.slug, x.slug), "verdict": "?"}
                        for x in related.get(s, ())
                    ],
                }
                for s in chosen_slugs
            ]
    key = {"assignments": "sample", "papers": "papers", "pages": "pages", "close": "pages"}[kind]
    header = f"# python -m generator sample --kind {kind} --n {n} --seed {seed}\n"
    return header + yaml.safe_dump({key: items}, allow_unicode=True, sort_keys=False, width=100)


def heldout_placements(sample_file: Path, taxonomy: Taxonomy) -> Score:
    """Share of the (paper, theme) placements the rules made on a held-out dump that are
    near a theme the reader chose: the held-out counterpart of precision."""
    hits, total = 0, 0
    for item in _load(sample_file, "papers", ("slug", "belongs", "rules")):
        chosen = _names(item["belongs"])
        for theme in _names(item["rules"]):
            total += 1
            hits += _near(theme, chosen, taxonomy)
    return Score(hits, total)


def heldout_found(sample_file: Path, taxonomy: Taxonomy) -> Score:
    """Share of the themes a reader chose for held-out papers that the rules gave them (or
    one above or below): the held-out counterpart of recall."""
    hits, total = 0, 0
    for item in _load(sample_file, "papers", ("slug", "belongs", "rules")):
        given = _names(item["rules"])
        for theme in _names(item["belongs"]):
            total += 1
            hits += _near(theme, given, taxonomy)
    return Score(hits, total)
