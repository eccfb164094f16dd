"""Measure the survey against judgements kept in the repository (evaluation/).

* `related_pairs.yaml`: pairs of papers a reader expects to see linked; the figure is
  hit@5, the share of pairs where one paper is among the other's five related papers.
* `precision.yaml`: (paper, theme) assignments drawn at random and judged by a reader;
  the figure is the share judged correct among those the build still makes.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

import yaml

from .errors import InputError, Problem
from .model import Assignment, Link, Score


def _load(path: Path, key: str) -> list[dict[str, str]]:
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except yaml.YAMLError as exc:
        raise InputError([Problem(str(path), 0, 0, f"YAML syntax error: {exc}")]) from None
    items = data.get(key) if isinstance(data, dict) else None
    if not isinstance(items, list):
        raise InputError([Problem(str(path), 0, 0, f'expected a top-level "{key}:" list')])
    return items


def related_hits(pairs_file: Path, links: Mapping[str, tuple[Link, ...]], k: int = 5) -> Score:
    """hit@k of the judged pairs."""
    hits, notes = 0, []
    pairs = _load(pairs_file, "pairs")
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
    for item in _load(sample_file, "sample"):
        slug, theme, verdict = str(item["slug"]), str(item["theme"]), str(item["verdict"])
        if theme not in assignment.themes_of.get(slug, ()):
            notes.append(f"no longer assigned, not counted: {slug} -> {theme}")
            continue
        total += 1
        if verdict == "correct":
            hits += 1
        else:
            notes.append(f"judged incorrect: {slug} -> {theme}: {item.get('reason', '')}")
    return Score(hits, total, tuple(notes))
