"""The timeline of a theme (or of the survey): papers per quarter, drawn at build time as
inline SVG with a text alternative (its <title>/<desc> and a visible caption).

The SVG has no viewBox: its height is fixed in CSS pixels and every horizontal position is
a percentage of its width, so the text keeps its CSS size (survey.css) at every width
instead of shrinking with the chart on a phone. The axis runs from the theme's own first
quarter (papers a year or more before all the others are counted in the caption, not
drawn) to the survey's latest quarter, and that quarter is hatched and labelled "so far"
when the survey's latest date is before its end. Colours come from CSS classes, so the
dark scheme applies.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Mapping, Sequence

from .feeds import xml_text
from .model import Paper

Quarter = tuple[int, int]
"""(year, quarter 1-4)."""

HEIGHT = 160
"""Height of the chart in CSS pixels."""
HEAD, FOOT = 22, 24
"""Room above the tallest bar (its count, "so far") and below the axis (the years)."""
OUTLIER_GAP = 4
"""Quarters without a paper that set the first papers of a theme apart from the rest..."""
OUTLIER_SHARE = 0.1
"""...when they are at most this share of its dated papers: they are counted, not drawn."""
MAJOR_YEARS = 6
"""Above this many years on the axis every other year's label is minor (hidden on phones)."""


def quarter_of(day: dt.date) -> Quarter:
    """The quarter a date falls in."""
    return day.year, (day.month - 1) // 3 + 1


def quarter_span(first: Quarter, last: Quarter) -> list[Quarter]:
    """Every quarter from `first` to `last`, both included."""
    out = []
    year, q = first
    while (year, q) <= last:
        out.append((year, q))
        year, q = (year + 1, 1) if q == 4 else (year, q + 1)
    return out


def quarter_label(quarter: Quarter) -> str:
    """'2025 Q3'."""
    return f"{quarter[0]} Q{quarter[1]}"


def quarter_end(quarter: Quarter) -> dt.date:
    """The last day of a quarter."""
    year, q = quarter
    start = dt.date(year + 1, 1, 1) if q == 4 else dt.date(year, 3 * q + 1, 1)
    return start - dt.timedelta(days=1)


def latest_date(papers: Sequence[Paper]) -> dt.date | None:
    """The survey's latest publication date: how far its data goes."""
    return max((p.published for p in papers if p.published), default=None)


def fitted_start(counts: Mapping[Quarter, int]) -> Quarter:
    """The first quarter of the axis: the first with a paper, past the leading papers that
    at least OUTLIER_GAP empty quarters set apart from the others, while they are at most
    OUTLIER_SHARE of the dated papers."""
    quarters = sorted(counts)
    total = sum(counts.values())
    start, dropped = 0, 0
    while start + 1 < len(quarters):
        gap = len(quarter_span(quarters[start], quarters[start + 1])) - 2
        if gap < OUTLIER_GAP or dropped + counts[quarters[start]] > OUTLIER_SHARE * total:
            break
        dropped += counts[quarters[start]]
        start += 1
    return quarters[start]


def _plural(n: int, one: str, many: str) -> str:
    return f"{n} {one if n == 1 else many}"


def timeline(papers: Sequence[Paper], latest: dt.date | None, what: str) -> str:
    """A <figure> with papers per quarter, from the papers' own first quarter to the quarter
    of `latest` (the survey's latest date), and a caption that counts the papers with no
    date and those drawn outside the axis.

    `what` names the set of papers for the text alternative ("papers in Long context").
    """
    counts = Counter(quarter_of(p.published) for p in papers if p.published)
    undated = sum(1 for p in papers if not p.published)
    no_date = f"{_plural(undated, 'paper has', 'papers have')} no date."
    if not counts:
        return _figure("", f"{no_date} No timeline can be drawn yet.")
    first = fitted_start(counts)
    last = max(max(counts), quarter_of(latest)) if latest else max(counts)
    quarters = quarter_span(first, last)
    earlier = {q: n for q, n in counts.items() if q < first}
    partial = latest is not None and quarter_of(latest) == last and latest < quarter_end(last)
    shown = {q: counts[q] for q in quarters if counts[q]}
    heading = f"Papers per quarter, {quarter_label(first)} to {quarter_label(last)}"
    listed = ", ".join(f"{quarter_label(q)}: {n}" for q, n in shown.items())
    notes = []
    if earlier:
        before = ", ".join(f"{quarter_label(q)}: {n}" for q, n in sorted(earlier.items()))
        notes.append(
            f"{_plural(sum(earlier.values()), 'earlier paper is', 'earlier papers are')} "
            f"not drawn ({before})."
        )
    if partial and latest:
        notes.append(f"{quarter_label(last)} is shown so far, to {latest.isoformat()}.")
    dated = sum(counts.values())
    desc = " ".join(
        [
            f"{dated} dated {what} by quarter of publication: {listed}.",
            "Quarters not listed have none.",
            *notes,
            no_date,
        ]
    )
    svg = _svg(quarters, shown, partial, heading, desc)
    caption = " ".join([f"Papers per quarter of publication ({dated} dated {what}).", *notes])
    return _figure(svg, f"{caption} {no_date}")


def _figure(svg: str, caption: str) -> str:
    return (
        '<figure class="survey-timeline">\n'
        + svg
        + f"{chr(10) if svg else ''}<figcaption>{xml_text(caption)}</figcaption>\n</figure>\n"
    )


def _pct(value: float) -> str:
    return f"{value:.2f}".rstrip("0").rstrip(".") + "%"


def _svg(
    quarters: Sequence[Quarter],
    counts: Mapping[Quarter, int],
    partial: bool,
    heading: str,
    desc: str,
) -> str:
    """The chart: a grid line at the tallest bar, labelled with its count, the bars, and
    the years under the axis."""
    base = HEIGHT - FOOT
    top = max(counts.values())
    parts = [
        f'<svg class="survey-chart survey-timeline__chart" width="100%" height="{HEIGHT}" '
        'role="img" aria-labelledby="timeline-title timeline-desc">',
        f'<title id="timeline-title">{xml_text(heading)}</title>',
        f'<desc id="timeline-desc">{xml_text(desc)}</desc>',
        '<defs><pattern id="timeline-hatch" width="6" height="6" patternUnits="userSpaceOnUse" '
        'patternTransform="rotate(45)"><line class="hatch" x1="1" y1="0" x2="1" y2="6"/>'
        "</pattern></defs>",
        f'<line class="grid" x1="0" y1="{HEAD}" x2="100%" y2="{HEAD}"/>',
        f'<text class="tick" x="0" y="{HEAD - 6}">{_plural(top, "paper", "papers")}</text>',
        f'<line class="axis" x1="0" y1="{base}" x2="100%" y2="{base}"/>',
    ]
    step = 100 / len(quarters)
    for n, quarter in enumerate(quarters):
        count = counts.get(quarter, 0)
        so_far = partial and n == len(quarters) - 1
        h = (base - HEAD) * count / top
        if count:
            label = f"{quarter_label(quarter)}: {_plural(count, 'paper', 'papers')}"
            parts.append(
                f'<rect class="bar{" bar--partial" if so_far else ""}" '
                f'x="{_pct(n * step + step * 0.1)}" y="{base - h:.1f}" '
                f'width="{_pct(step * 0.8)}" height="{h:.1f}">'
                f"<title>{xml_text(label + (' so far' if so_far else ''))}</title></rect>"
            )
        if so_far:  # its whole column is shaded, so that a quarter with none shows too
            parts.append(
                f'<rect class="partial" x="{_pct(n * step)}" y="{HEAD}" width="{_pct(step)}" '
                f'height="{base - HEAD}"/><text class="tick tick--note" x="100%" '
                f'y="{base - h - 5:.1f}" dx="-2" text-anchor="end">so far</text>'
            )
    parts += _years(quarters, step)
    parts.append("</svg>")
    return "".join(parts)


def _years(quarters: Sequence[Quarter], step: float) -> list[str]:
    """A label under the first quarter of every year on the axis (under its first quarter
    shown, for the first year); a year that starts in the last quarter ends at the right
    edge. Past MAJOR_YEARS labels every other one is minor, and so is the one before a
    label at the edge: phones show only the others."""
    starts = [(n, year) for n, (year, q) in enumerate(quarters) if q == 1 or n == 0 and q <= 2]
    minor = [len(starts) > MAJOR_YEARS and k % 2 == 1 for k in range(len(starts))]
    at_edge = bool(starts) and starts[-1][0] == len(quarters) - 1
    if at_edge and len(starts) > 1:
        minor[-2:] = [len(quarters) > 2 * MAJOR_YEARS, False]
    parts = []
    for k, (n, year) in enumerate(starts):
        kind = "tick tick--minor" if minor[k] else "tick"
        if at_edge and k == len(starts) - 1:
            position = 'x="100%" dx="-2" text-anchor="end"'
        else:
            position = f'x="{_pct(n * step + step * 0.1)}"'
        parts.append(f'<text class="{kind}" {position} y="{HEIGHT - 6}">{year}</text>')
    return parts
