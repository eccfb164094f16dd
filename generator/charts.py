"""The map of papers, drawn at build time as inline SVG (the timelines are timeline.py).

It is plain markup with a text alternative (the map's links, each titled with its paper),
its regions named in text over it, and a legend beside it; docs/js/map.js adds the tooltip
(on hover, focus and tap), the arrow keys (the map is one tab stop: only one point is in
the tab order) and the highlighting of a theme picked in the legend.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np
from markupsafe import Markup

from .feeds import xml_attr, xml_text
from .model import Assignment, Corpus, Paper, Taxonomy
from .projection import TSNE_MAX, Region, project, regions
from .render import front_matter, render

MAP_WIDTH, MAP_HEIGHT, MAP_MARGIN = 960, 640, 16
# Mid-light colours, seen on light and dark pages alike. Shapes repeat every fourth theme,
# so neighbours in the legend differ in shape, and the themes that share a shape (0, 4, 8,
# 12; 1, 5, 9; ...) have hues far apart: blue, purple, brown, mint; orange, cyan, lime.
PALETTE = (
    "#3b73d9",
    "#f28e2b",
    "#2ca25f",
    "#d62728",
    "#9467bd",
    "#17becf",
    "#c9a20a",
    "#e377c2",
    "#8c564b",
    "#84c225",
    "#6f5fd8",
    "#1b9e77",
    "#66c2a5",
)
SHAPES = ("circle", "square", "diamond", "triangle")
UNSORTED_COLOUR = "#9e9e9e"


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

    @property
    def key(self) -> str:
        """Its name in the page's data-group attributes ("unsorted" is no theme id)."""
        return self.id or "unsorted"


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
    out[""] = Group("", "In no theme", UNSORTED_COLOUR, "circle")
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
        f'role="group" aria-labelledby="map-title" aria-describedby="map-keys">',
        f'<title id="map-title">Map of the {len(papers)} papers of the survey: similar papers '
        "sit close together; each point links to its paper</title>",
        '<desc id="map-keys">The map is one stop of the Tab key: the arrow keys move from '
        "a paper to its neighbour in that direction, and Enter opens it.</desc>",
    ]
    w, h = MAP_WIDTH - 2 * MAP_MARGIN, MAP_HEIGHT - 2 * MAP_MARGIN
    # Draw unsorted papers first so that the coloured points stay on top.
    order = sorted(
        range(len(papers)),
        key=lambda i: (main_theme(papers[i].slug, themes_of, taxonomy) != "", papers[i].slug),
    )
    for n, i in enumerate(order):
        paper = papers[i]
        group = colours[main_theme(paper.slug, themes_of, taxonomy)]
        counts[group.id] += 1
        x = MAP_MARGIN + float(points[i][0]) * w
        y = MAP_MARGIN + float(points[i][1]) * h
        label = f"{paper.title} ({group.title})"
        parts.append(
            # xlink:href, not href: mkdocs-material rewrites every [href] element's href
            # property on load, which SVG links only have as read-only.
            # One tab stop: docs/js/map.js moves it with the arrow keys.
            f"<a xlink:href={xml_attr(href + paper.slug + '/')} "
            f'data-group={xml_attr(group.key)} tabindex="{0 if n == 0 else -1}">'
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


@dataclass(frozen=True)
class RegionLabel:
    """A region's name where it sits over the map, in percent of the map's size."""

    text: str
    left: float
    top: float


def region_labels(found: Sequence[Region]) -> list[RegionLabel]:
    """The regions' names, largest region first (docs/js/map.js hides a name that runs
    into a larger region's), placed at their papers' median."""
    w, h = MAP_WIDTH - 2 * MAP_MARGIN, MAP_HEIGHT - 2 * MAP_MARGIN
    return [
        RegionLabel(
            " · ".join(r.terms),
            round(100 * (MAP_MARGIN + r.x * w) / MAP_WIDTH, 2),
            round(100 * (MAP_MARGIN + r.y * h) / MAP_HEIGHT, 2),
        )
        for r in found
        if r.terms
    ]


def map_page(corpus: Corpus, taxonomy: Taxonomy, assignment: Assignment) -> str:
    """map.md: the map of every paper with its regions named, and its legend beside it."""
    papers = list(corpus.papers)
    points = project(papers)
    svg, legend = paper_map(papers, points, assignment.themes_of, taxonomy)
    return render(
        "map",
        fm=front_matter(
            title="Map of the papers", hide=["navigation", "toc"], search={"exclude": True}
        ),
        svg=Markup(svg),
        total=len(papers),
        tsne=8 <= len(papers) <= TSNE_MAX,
        legend=legend,
        regions=region_labels(regions(papers, points)),
        swatch=lambda group: Markup(legend_swatch(group)),
    )
