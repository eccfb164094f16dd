"""Related papers as the survey plugin's settings ask for them: with `related: meaning`, the
papers' sentence-encoder vectors (generator/encoder.py) join the TF-IDF and the shared themes
that generator/related.py scores, links below `related_floor` are not shown, and those at
or above `related_close` between papers that share a theme are marked closely related."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace

import numpy as np

from .encoder import embed, paper_text
from .errors import InputError, Problem
from .model import Assignment, Corpus, Inputs, Link
from .related import related
from .vectors import ModelMissing

CONFIG = "mkdocs.yml"


def related_papers(
    inputs: Inputs, corpus: Corpus, assignment: Assignment
) -> tuple[dict[str, tuple[Link, ...]], Mapping[str, np.ndarray]]:
    """Each paper's related papers, and the vectors used by key (for the writers to keep).
    Raises InputError naming mkdocs.yml when the model is needed and not installed."""
    settings = inputs.config.settings
    vectors, floor = None, 0.0
    used: Mapping[str, np.ndarray] = {}
    if inputs.vectors is not None and len(corpus.papers) >= 2:
        texts = [paper_text(p.title, p.abstract) for p in corpus.papers]
        try:
            vectors, used = embed(texts, inputs.vectors)
        except ModelMissing as exc:
            raise InputError([Problem(CONFIG, 0, 0, str(exc))]) from None
        floor = settings.related_floor
    links = related(
        corpus.papers,
        themes_of=assignment.themes_of,
        theme_weight=settings.related_theme_weight,
        vectors=vectors,
        floor=floor,
    )
    if vectors is not None:
        # closely related: close in meaning and words, and placed in a common theme by the
        # taxonomy (docs/architecture.md gives the blind verdicts behind both)
        close, themes = settings.related_close, assignment.themes_of
        links = {
            slug: tuple(
                replace(
                    x,
                    close=x.score >= close
                    and not set(themes.get(slug, ())).isdisjoint(themes.get(x.slug, ())),
                )
                for x in found
            )
            for slug, found in links.items()
        }
    return links, used
