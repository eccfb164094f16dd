"""The map of papers, drawn at build time as inline SVG (the timelines are timeline.py).

It is plain markup with a text alternative (the map's links, each titled with its paper),
so it reads the same offline. Colours come from CSS classes in docs/css/survey.css, so
dark mode applies.
"""

from __future__ import annotations

import functools
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np
from markupsafe import Markup

from .feeds import xml_attr, xml_text
from .model import Assignment, Corpus, Paper, Taxonomy
from .related import tfidf
from .render import front_matter, render

MAP_WIDTH, MAP_HEIGHT, MAP_MARGIN = 960, 640, 16
# Above this many papers t-SNE costs minutes on two cores; the linear projection stays fast.
TSNE_MAX = 3000
# Above this many papers t-SNE lays out a sample this large, and every other paper goes
# where its nearest sampled papers are: the layout's cost stops growing with the survey.
TSNE_SAMPLE = 1000
# How far from its nearest sampled paper another paper sits, as a share of the layout.
TSNE_SPREAD = 0.01
# Half the default: the layout has settled by then and the build is seconds faster.
TSNE_ITERATIONS = 500
RANDOM_STATE = 0
# Distinguishable on light and dark backgrounds; shapes repeat with a different colour so
# that neighbouring themes differ in shape too.
PALETTE = (
    "#4e79a7",
    "#f28e2b",
    "#e15759",
    "#59a14f",
    "#b07aa1",
    "#76b7b2",
    "#edc948",
    "#9c755f",
    "#ff9da7",
    "#17becf",
    "#bcbd22",
    "#e377c2",
    "#a0cbe8",
)
SHAPES = ("circle", "square", "diamond", "triangle")
UNSORTED_COLOUR = "#9e9e9e"


def project(papers: Sequence[Paper]) -> np.ndarray:
    """2-D coordinates of every paper from its TF-IDF vector, in [0, 1] and reproducible:
    TruncatedSVD to at most 50 dimensions, then t-SNE (of a sample past TSNE_SAMPLE papers;
    TruncatedSVD alone past TSNE_MAX)."""
    return _project(tuple(papers)).copy()


# The layout is the slowest step of a build; the CLI and the tests build the same corpus
# several times in one process.
@functools.lru_cache(maxsize=2)
def _project(papers: tuple[Paper, ...]) -> np.ndarray:
    n = len(papers)
    if n < 3:
        return np.array([[0.5, 0.5]] * n if n < 2 else [[0.25, 0.5], [0.75, 0.5]])
    try:
        matrix = tfidf(papers)[0]
    except ValueError:  # an empty vocabulary: nothing to place the papers by
        angles = np.linspace(0, 2 * np.pi, n, endpoint=False)
        return _unit(np.column_stack([np.cos(angles), np.sin(angles)]))
    from sklearn.decomposition import TruncatedSVD  # imported here: only the map needs it

    # t-SNE starts from 50 dimensions; the linear projection needs only its two.
    dims = max(1, min(2 if n > TSNE_MAX else 50, matrix.shape[1] - 1, n - 1))
    reduced = TruncatedSVD(n_components=dims, random_state=RANDOM_STATE).fit_transform(matrix)
    if dims < 2:
        reduced = np.column_stack([reduced[:, 0], np.zeros(n)])
    if n > TSNE_MAX or n < 8 or dims < 2:
        return _unit(reduced[:, :2])
    if n <= TSNE_SAMPLE:
        return _unit(_tsne(reduced))
    rng = np.random.RandomState(RANDOM_STATE)
    sample = np.sort(rng.choice(n, TSNE_SAMPLE, replace=False))
    laid = _tsne(reduced[sample])
    # Each other paper sits by its most similar sampled paper, a little apart so that it
    # stays visible. Measured on the benchmark's 3,000-paper survey (bench/run.py): 22% of a
    # paper's ten nearest points share its first theme, against 26% when t-SNE lays out
    # every paper and 6% with the linear projection of two dimensions.
    unit = reduced / np.maximum(np.linalg.norm(reduced, axis=1, keepdims=True), 1e-12)
    nearest = np.argmax(unit @ unit[sample].T, axis=1)
    spread = (laid.max(axis=0) - laid.min(axis=0)) * TSNE_SPREAD
    points = laid[nearest] + rng.normal(size=(n, 2)) * spread
    points[sample] = laid
    return _unit(points)


def _tsne(reduced: np.ndarray) -> np.ndarray:
    from sklearn.manifold import TSNE
    from threadpoolctl import threadpool_limits

    n = len(reduced)
    tsne = TSNE(
        n_components=2,
        perplexity=min(30.0, (n - 1) / 3),
        init="pca",
        learning_rate="auto",
        max_iter=TSNE_ITERATIONS,
        random_state=RANDOM_STATE,
    )
    # One thread: measured faster on two busy cores, and the result cannot depend on
    # how the work was split.
    with threadpool_limits(limits=1):
        points: np.ndarray = tsne.fit_transform(reduced.astype(np.float64))
    return points


def _unit(points: np.ndarray) -> np.ndarray:
    low, high = points.min(axis=0), points.max(axis=0)
    size = np.where(high - low > 0, high - low, 1.0)
    unit: np.ndarray = np.round((points - low) / size, 4)
    return unit


@dataclass(frozen=True)
class Group:
    """One colour of the map: a top-level theme, or the unsorted papers."""

    id: str
    """Theme id, or "" for unsorted papers."""
    title: str
    """What the legend calls it."""
    colour: str
    """Fill colour."""
    shape: str
    """One of SHAPES."""


def main_theme(slug: str, themes_of: Mapping[str, Sequence[str]], taxonomy: Taxonomy) -> str:
    """The top-level theme above a paper's first theme, or "" for an unsorted paper."""
    first = next(iter(themes_of.get(slug, ())), None)
    return "" if first is None else taxonomy.root_of(first)


def groups(taxonomy: Taxonomy) -> dict[str, Group]:
    """Colour and shape of every top-level theme and of the unsorted papers."""
    by_id = taxonomy.by_id()
    out = {
        root: Group(root, by_id[root].title, PALETTE[n % len(PALETTE)], SHAPES[n % len(SHAPES)])
        for n, root in enumerate(taxonomy.roots)
    }
    out[""] = Group("", "Not yet in a theme", UNSORTED_COLOUR, "circle")
    return out


def marker(shape: str, x: float, y: float, r: float, fill: str) -> str:
    """An SVG shape of radius about `r` centred on (x, y)."""
    style = f'fill="{fill}"'
    if shape == "square":
        s = r * 0.9
        return (
            f'<rect x="{x - s:.1f}" y="{y - s:.1f}" '
            f'width="{2 * s:.1f}" height="{2 * s:.1f}" {style}/>'
        )
    if shape == "diamond":
        d = r * 1.25
        pts = f"{x:.1f},{y - d:.1f} {x + d:.1f},{y:.1f} {x:.1f},{y + d:.1f} {x - d:.1f},{y:.1f}"
        return f'<polygon points="{pts}" {style}/>'
    if shape == "triangle":
        t = r * 1.3
        pts = f"{x:.1f},{y - t:.1f} {x + t:.1f},{y + t * 0.8:.1f} {x - t:.1f},{y + t * 0.8:.1f}"
        return f'<polygon points="{pts}" {style}/>'
    return f'<circle cx="{x:.1f}" cy="{y:.1f}" r="{r:.1f}" {style}/>'


def paper_map(
    papers: Sequence[Paper],
    points: np.ndarray,
    themes_of: Mapping[str, Sequence[str]],
    taxonomy: Taxonomy,
    href: str = "../papers/",
) -> tuple[str, list[tuple[Group, int]]]:
    """The map as an inline <svg> with one link per paper, and the legend's (group, count)
    rows in taxonomy order. `href` leads from the map's page to the papers' folder."""
    colours = groups(taxonomy)
    counts: Counter[str] = Counter()
    parts = [
        f'<svg class="survey-chart survey-map" viewBox="0 0 {MAP_WIDTH} {MAP_HEIGHT}" '
        f'role="group" aria-labelledby="map-title">',
        f'<title id="map-title">Map of the {len(papers)} papers of the survey: similar papers '
        "sit close together; each point links to its paper</title>",
    ]
    w, h = MAP_WIDTH - 2 * MAP_MARGIN, MAP_HEIGHT - 2 * MAP_MARGIN
    # Draw unsorted papers first so that the coloured points stay on top.
    order = sorted(
        range(len(papers)),
        key=lambda i: (main_theme(papers[i].slug, themes_of, taxonomy) != "", papers[i].slug),
    )
    for i in order:
        paper = papers[i]
        group = colours[main_theme(paper.slug, themes_of, taxonomy)]
        counts[group.id] += 1
        x = MAP_MARGIN + float(points[i][0]) * w
        y = MAP_MARGIN + float(points[i][1]) * h
        label = f"{paper.title} ({group.title})"
        parts.append(
            # xlink:href, not href: mkdocs-material rewrites every [href] element's href
            # property on load, which SVG links only have as read-only.
            f"<a xlink:href={xml_attr(href + paper.slug + '/')}>"
            f"<title>{xml_text(label)}</title>"
            f"{marker(group.shape, x, y, 5.0, group.colour)}</a>"
        )
    parts.append("</svg>")
    legend = [(colours[g], counts[g]) for g in [*taxonomy.roots, ""] if counts[g]]
    return "\n".join(parts), legend


def legend_swatch(group: Group) -> str:
    """A small inline SVG showing a group's marker, for the legend."""
    return (
        '<svg class="survey-swatch" viewBox="0 0 14 14" width="14" height="14" '
        f'aria-hidden="true">{marker(group.shape, 7, 7, 5.0, group.colour)}</svg>'
    )


def map_page(corpus: Corpus, taxonomy: Taxonomy, assignment: Assignment) -> str:
    """map.md: the map of every paper, and its legend."""
    papers = list(corpus.papers)
    svg, legend = paper_map(papers, project(papers), assignment.themes_of, taxonomy)
    return render(
        "map",
        fm=front_matter(title="Map of the papers", hide=["toc"], search={"exclude": True}),
        svg=Markup(svg),
        total=len(papers),
        tsne=8 <= len(papers) <= TSNE_MAX,
        legend=legend,
        swatch=lambda group: Markup(legend_swatch(group)),
    )
