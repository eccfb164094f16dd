"""Parse paper-listing dumps into records (generator/ingest.py merges them into papers).

Two layouts are read, both as copied from a browser:

* search results: page chrome, then a title line and an abstract line per paper;
* Hugging Face Daily Papers: chrome and a capture date, then per paper a title, an
  abstract and an optional metadata block (``• N authors`` or an organisation line,
  a ``·`` line, and a date line with an optional upvote count).

Blank lines carry no meaning, so both layouts go through the same state machine.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from dataclasses import dataclass

from .errors import InputError, Problem
from .model import DumpInfo, RawRecord, Source
from .text import CONTROL, split_lines

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
_NO_YEAR = "dates without a year, and no year to infer them from: say when the page was copied"
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
    lines = _scan(text, file)
    start, layout, header_line = _read_header(lines, file)
    problems: list[Problem] = []
    blocks = _read_blocks(lines, start, file, problems)
    dates = _read_dates(blocks, file, problems)
    header = _parse_date(header_line.text) if header_line else None
    if dates or header:
        layout = "daily"
    year, year_source = _resolve_year(dates, header, captured)
    needs_year = any(d.year is None for _, d in dates)
    if needs_year and year is None:
        paste = f"sources:\n  - file: {file.rsplit('/', 1)[-1]}\n    captured: " + (
            f"YYYY-{header.month:02}-{header.day:02}" if header else "YYYY-MM-DD"
        )
        problems.append(
            Problem(file, 0, 0, f"{_NO_YEAR}, under `sources:` in taxonomy.yaml:\n{paste}")
        )
    resolved = _resolve_dates(dates, year, file, problems)
    if problems:
        raise InputError(problems)
    records = [_record(b, resolved, file, year_source.startswith("inferred")) for b in blocks]
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


@dataclass(frozen=True)
class _Block:
    """One paper's lines: title, abstract and the optional metadata block."""

    title: _Line
    abstract: _Line
    who: _Line | None = None
    """The authors or organisation line."""
    when: _Line | None = None
    """The date line."""


def _scan(text: str, file: str) -> list[_Line]:
    """The dump's non-blank lines, whitespace folded; refuses overlong lines, an empty dump
    and an HTML page."""
    problems: list[Problem] = []
    lines: list[_Line] = []
    for number, raw in enumerate(split_lines(text), start=1):
        stripped = CONTROL.sub(" ", raw).strip()
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
    return lines


def _read_header(lines: list[_Line], file: str) -> tuple[int, str, _Line | None]:
    """Skip the page's header: chrome lines, "Subscribe" possibly glued to the first title
    (unglued in `lines`), a capture date. Returns where the papers start, the layout the
    chrome shows and the capture date's line."""
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
    return i, layout, header_date


def _read_blocks(lines: list[_Line], i: int, file: str, problems: list[Problem]) -> list[_Block]:
    """Every paper from line index `i` on; what is out of place goes to `problems`."""
    blocks: list[_Block] = []
    while i < len(lines):
        title = lines[i]
        if _misplaced_meta(lines, i):
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
        missing = _no_abstract(lines, i)
        if missing is not None:
            problems.append(Problem(file, title.number, 0, missing))
            if i + 1 >= len(lines) or _SENTENCES.search(title.text):
                break
            i = _skip_metadata(lines, i + 1)
            continue
        abstract = lines[i + 1]
        who, when, i = _read_metadata(lines, i + 2, file, problems)
        blocks.append(_Block(title, abstract, who, when))
    return blocks


def _misplaced_meta(lines: list[_Line], i: int) -> bool:
    """Whether line `i`, where a title should be, is metadata."""
    text = lines[i].text
    return _is_meta(text) or bool(_parse_date(text) and i > 0 and lines[i - 1].text == _DOT)


def _no_abstract(lines: list[_Line], i: int) -> str | None:
    """What is wrong when the title at `i` is not followed by its abstract, else None."""
    title = lines[i]
    if _SENTENCES.search(title.text):
        return (
            "this line reads like an abstract (several sentences), not a title: a "
            "title or an abstract is missing just before it"
        )
    if i + 1 >= len(lines):
        return (
            f'the title "{short(title.text)}" has no abstract: '
            "the dump ends here (was it cut short?)"
        )
    abstract = lines[i + 1]
    if _is_meta(abstract.text) or (i + 2 < len(lines) and lines[i + 2].text == _DOT):
        return (
            f'the title "{short(title.text)}" has no abstract: line {abstract.number} is metadata'
        )
    return None


def _skip_metadata(lines: list[_Line], i: int) -> int:
    """The index after the metadata lines that start at `i`."""
    while i < len(lines) and (
        _is_meta(lines[i].text)
        or lines[i - 1].text == _DOT
        or (i + 1 < len(lines) and lines[i + 1].text == _DOT)
    ):
        i += 1
    return i


def _read_metadata(
    lines: list[_Line], i: int, file: str, problems: list[Problem]
) -> tuple[_Line | None, _Line | None, int]:
    """The metadata block after an abstract, if any, starting at index `i`: (who line,
    date line, index after it)."""
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
            return who, None, i + 1
        return who, lines[i + 2], i + 3
    if i < len(lines) and lines[i].text == _DOT:
        problems.append(
            Problem(
                file,
                lines[i].number,
                0,
                'metadata line "·" is out of place: expected '
                'an authors line ("• 3 authors") or an organisation line before it',
            )
        )
        return None, None, i + (2 if i + 1 < len(lines) and _parse_date(lines[i + 1].text) else 1)
    return None, None, i


def _read_dates(
    blocks: list[_Block], file: str, problems: list[Problem]
) -> list[tuple[_Line, _Date]]:
    """Each block's date line with its parsed date; unknown formats go to `problems`."""
    dates: list[tuple[_Line, _Date]] = []
    for block in blocks:
        if block.when is None:
            continue
        parsed = _parse_date(block.when.text)
        if parsed is None:
            problems.append(
                Problem(
                    file,
                    block.when.number,
                    0,
                    f'unknown date format "{short(block.when.text)}": '
                    'expected "May 21", "Dec 11, 2024" or either followed by an upvote count',
                )
            )
        else:
            dates.append((block.when, parsed))
    return dates


def _resolve_dates(
    dates: list[tuple[_Line, _Date]], year: int | None, file: str, problems: list[Problem]
) -> dict[int, dt.date]:
    """Line number of each date line to its date, with the year resolved."""
    resolved: dict[int, dt.date] = {}
    for when, d in dates:
        try:
            resolved[when.number] = dt.date(d.year or year or 1, d.month, d.day)
        except ValueError:
            problems.append(Problem(file, when.number, 0, f'"{when.text}" is not a real date'))
    return resolved


def _record(block: _Block, resolved: Mapping[int, dt.date], file: str, inferred: bool) -> RawRecord:
    authors = org = org_id = None
    if block.who is not None:
        m = _AUTHORS.fullmatch(block.who.text)
        if m:
            authors = int(m.group(1))
        else:
            org_id, _, org = block.who.text.partition(" ")
            org = org or org_id
    day = _parse_date(block.when.text) if block.when else None
    return RawRecord(
        title=block.title.text,
        abstract=block.abstract.text,
        source=Source(file, block.title.number),
        published=resolved.get(block.when.number) if block.when else None,
        authors_count=authors,
        organization=org,
        organization_id=org_id,
        upvotes=day.upvotes if day else None,
        year_inferred=inferred and day is not None and day.year is None,
    )


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


def short(text: str, n: int = 60) -> str:
    return text if len(text) <= n else text[: n - 1] + "…"


_ENDS_SENTENCE = re.compile(r"""[.!?)\]"'”’…]$|https?://\S+$""")


def cut_short(records: list[RawRecord]) -> Problem | None:
    """A warning when the dump's last abstract stops mid-sentence, as a selection that
    missed the end of the page does."""
    if not records or _ENDS_SENTENCE.search(records[-1].abstract):
        return None
    last = records[-1]
    words = " ".join(last.abstract.split()[-4:])
    return Problem(
        last.source.file,
        last.source.line,
        0,
        f'the last abstract ends mid-sentence ("…{short(words, 40)}"): was the dump cut '
        "short? Copy the page again down to its end",
        "warning",
    )
