"""Parse paper-listing dumps into records, and merge records into unique papers.

Two layouts are read, both as copied from a browser:

* search results: page chrome, then a title line and an abstract line per paper;
* Hugging Face Daily Papers: chrome and a capture date, then per paper a title, an
  abstract and an optional metadata block (``• N authors`` or an organisation line,
  a ``·`` line, and a date line with an optional upvote count).

Blank lines carry no meaning, so both layouts go through the same state machine.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from .errors import InputError, Problem
from .model import Corpus, DumpInfo, Paper, RawRecord, Source
from .text import clean_latex, extract_links, slugify, title_key

MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
CHROME = frozenset(
    {
        "new",
        "Get trending papers in your email inbox once a day!",
        "Get trending papers in your email inbox!",
        "Subscribe",
        "Daily Papers",
        "byAK and the research community",
    }
)
MAX_LINE = 50_000
_DATE = re.compile(
    r"(?P<mon>[A-Z][a-z]{2}) (?P<day>\d{1,2})(?:, (?P<year>\d{4}))?(?: (?P<up>\d+))?"
)
_AUTHORS = re.compile(r"•\s*(\d+)\s+authors?")
_DOT = "·"
# Two sentence ends inside one line: an abstract. No title in the seed dumps has even one.
_SENTENCES = re.compile(r"[a-z0-9)][.]\s+[A-Z].*[a-z0-9)][.]\s+[A-Z]")


@dataclass(frozen=True)
class _Line:
    number: int
    text: str


@dataclass(frozen=True)
class _Date:
    month: int
    day: int
    year: int | None
    upvotes: int | None


def decode(data: bytes, file: str) -> str:
    """Decode a dump as UTF-8 (a byte-order mark is allowed), naming the line of a bad byte."""
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        col = exc.start - (data.rfind(b"\n", 0, exc.start) + 1) + 1
        raise InputError(
            [
                Problem(
                    file,
                    line,
                    col,
                    f"byte 0x{data[exc.start]:02x} is not UTF-8; save the dump as UTF-8 text",
                )
            ]
        ) from None
    return text.removeprefix("\ufeff")


def _parse_date(text: str) -> _Date | None:
    m = _DATE.fullmatch(text)
    if not m or m["mon"] not in MONTHS:
        return None
    return _Date(
        MONTHS.index(m["mon"]) + 1,
        int(m["day"]),
        int(m["year"]) if m["year"] else None,
        int(m["up"]) if m["up"] else None,
    )


def _is_meta(text: str) -> bool:
    return text == _DOT or bool(_AUTHORS.fullmatch(text))


def parse_dump(
    text: str, file: str, captured: dt.date | None = None
) -> tuple[list[RawRecord], DumpInfo]:
    """Parse one dump's text into records; `captured` resolves dates that show no year.

    Raises InputError listing every problem, each with the file and line.
    """
    problems: list[Problem] = []
    lines: list[_Line] = []
    for number, raw in enumerate(text.splitlines(), start=1):
        stripped = raw.replace("\t", " ").strip()
        if len(stripped) > MAX_LINE:
            problems.append(
                Problem(
                    file,
                    number,
                    0,
                    f"line is {len(stripped):,} characters long; a title "
                    f"or abstract has at most {MAX_LINE:,}: is this a paper listing?",
                )
            )
            continue
        if stripped:
            lines.append(_Line(number, " ".join(stripped.split())))
    if problems:
        raise InputError(problems)
    if not lines:
        raise InputError([Problem(file, 0, 0, "the dump is empty: no paper listings found")])
    head = lines[:20]
    markup = sum(1 for ln in head if ln.text.startswith("<") and ln.text.endswith(">"))
    if lines[0].text.lower().startswith(("<!doctype", "<html", "<?xml")) or markup > len(head) / 2:
        raise InputError(
            [
                Problem(
                    file,
                    lines[0].number,
                    1,
                    "this is an HTML page, not a paper listing: select the page's text in "
                    "the browser and paste that instead",
                )
            ]
        )

    # Header: chrome lines, "Subscribe" possibly glued to the first title, a capture date.
    i = 0
    header_date: _Line | None = None
    layout = "search"
    while i < len(lines):
        line = lines[i]
        if line.text in CHROME:
            layout = "daily" if line.text == "Daily Papers" else layout
            i += 1
        elif line.text.startswith("Subscribe") and i > 0 and lines[i - 1].text in CHROME:
            lines[i] = _Line(line.number, line.text.removeprefix("Subscribe").strip())
            break
        elif header_date is None and i > 0 and _parse_date(line.text) is not None:
            header_date = line
            i += 1
        else:
            break

    if i >= len(lines):
        raise InputError(
            [Problem(file, lines[-1].number, 0, "no paper listings after the page's header")]
        )
    pending: list[tuple[_Line, _Line, _Line | None, _Line | None, _Line | None]] = []
    while i < len(lines):
        title = lines[i]
        if _is_meta(title.text) or (
            _parse_date(title.text) and i > 0 and lines[i - 1].text == _DOT
        ):
            problems.append(
                Problem(
                    file,
                    title.number,
                    0,
                    f'metadata line "{title.text}" is out of place: '
                    "expected a paper title; a metadata block follows an abstract",
                )
            )
            i += 1
            continue
        if _SENTENCES.search(title.text):
            problems.append(
                Problem(
                    file,
                    title.number,
                    0,
                    "this line reads like an abstract (several sentences), not a title: a "
                    "title or an abstract is missing just before it",
                )
            )
            break
        if i + 1 >= len(lines):
            problems.append(
                Problem(
                    file,
                    title.number,
                    0,
                    f'the title "{_short(title.text)}" has no abstract: '
                    "the dump ends here (was it cut short?)",
                )
            )
            break
        abstract = lines[i + 1]
        if _is_meta(abstract.text) or (i + 2 < len(lines) and lines[i + 2].text == _DOT):
            problems.append(
                Problem(
                    file,
                    title.number,
                    0,
                    f'the title "{_short(title.text)}" has no abstract: '
                    f"line {abstract.number} is metadata",
                )
            )
            i += 1
            while i < len(lines) and (
                _is_meta(lines[i].text)
                or lines[i - 1].text == _DOT
                or (i + 1 < len(lines) and lines[i + 1].text == _DOT)
            ):
                i += 1
            continue
        i += 2
        who = dot = when = None
        if i < len(lines) and (
            _AUTHORS.fullmatch(lines[i].text) or (i + 1 < len(lines) and lines[i + 1].text == _DOT)
        ):
            who = lines[i]
            if i + 2 >= len(lines) or lines[i + 1].text != _DOT:
                problems.append(
                    Problem(
                        file,
                        who.number,
                        0,
                        f'metadata block "{who.text}" is incomplete: '
                        'expected a "·" line and a date line after it',
                    )
                )
                i += 1
            else:
                dot, when = lines[i + 1], lines[i + 2]
                i += 3
        elif i < len(lines) and lines[i].text == _DOT:
            problems.append(
                Problem(
                    file,
                    lines[i].number,
                    0,
                    'metadata line "·" is out of place: expected '
                    'an authors line ("• 3 authors") or an organisation line before it',
                )
            )
            i += 2 if i + 1 < len(lines) and _parse_date(lines[i + 1].text) else 1
        pending.append((title, abstract, who, dot, when))

    dates: list[tuple[_Line, _Date]] = []
    for _, _, _, _, when in pending:
        if when is None:
            continue
        parsed = _parse_date(when.text)
        if parsed is None:
            problems.append(
                Problem(
                    file,
                    when.number,
                    0,
                    f'unknown date format "{_short(when.text)}": '
                    'expected "May 21", "Dec 11, 2024" or either followed by an upvote count',
                )
            )
        else:
            dates.append((when, parsed))
    header = _parse_date(header_date.text) if header_date else None
    if dates or header:
        layout = "daily"

    year, year_source = _resolve_year(dates, header, captured)
    needs_year = any(d.year is None for _, d in dates)
    if needs_year and year is None:
        problems.append(
            Problem(
                file,
                0,
                0,
                "dates without a year, and no year to infer them from: add "
                f"`captured: YYYY-MM-DD` to the entry of {file} under `sources:` in taxonomy.yaml",
            )
        )
    resolved: dict[int, dt.date] = {}
    for when, d in dates:
        try:
            resolved[when.number] = dt.date(d.year or year or 1, d.month, d.day)
        except ValueError:
            problems.append(Problem(file, when.number, 0, f'"{when.text}" is not a real date'))
    if problems:
        raise InputError(problems)

    records: list[RawRecord] = []
    for title, abstract, who, _, when in pending:
        authors = org = org_id = None
        if who is not None:
            m = _AUTHORS.fullmatch(who.text)
            if m:
                authors = int(m.group(1))
            else:
                org_id, _, org = who.text.partition(" ")
                org = org or org_id
        day = _parse_date(when.text) if when else None
        records.append(
            RawRecord(
                title=title.text,
                abstract=abstract.text,
                source=Source(file, title.number),
                published=resolved.get(when.number) if when else None,
                authors_count=authors,
                organization=org,
                organization_id=org_id,
                upvotes=day.upvotes if day else None,
            )
        )
    captured_date = captured
    if captured_date is None and header is not None and year is not None:
        captured_date = dt.date(header.year or year, header.month, header.day)
    info = DumpInfo(
        file=file,
        layout=layout,
        records=len(records),
        captured=captured_date,
        year=year if needs_year or header else None,
        year_source=year_source if needs_year or header else "not needed",
    )
    return records, info


def _resolve_year(
    dates: list[tuple[_Line, _Date]], header: _Date | None, captured: dt.date | None
) -> tuple[int | None, str]:
    if captured is not None:
        return captured.year, "taxonomy"
    if header is not None and header.year is not None:
        return header.year, "the dump's header"
    explicit = [d.year for _, d in dates if d.year is not None]
    if explicit:
        # Hugging Face shows the year only for dates outside the current year.
        latest = max(explicit)
        return latest + 1, f"inferred: the latest date that shows a year is in {latest}"
    return None, "unknown"


def _short(text: str, n: int = 60) -> str:
    return text if len(text) <= n else text[: n - 1] + "…"


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
                    f'"{_short(first.title)}" is also in {first.source.file}:'
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
                links=extract_links(abstract),
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
    depends on the order in which dumps or records were read."""
    by_slug: dict[str, list[str]] = defaultdict(list)
    for key, title in titles.items():
        by_slug[slugify(title)].append(key)
    out = {}
    for slug, keys in by_slug.items():
        for key in keys:
            if len(keys) == 1:
                out[key] = slug
            else:
                out[key] = f"{slug}-{hashlib.sha1(key.encode()).hexdigest()[:6]}"
    return out
