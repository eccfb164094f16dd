"""Property: for any dump written from the grammar of the two layouts, the parser returns
exactly the records written, with their metadata and the line of each title."""

from __future__ import annotations

import datetime as dt

from hypothesis import given, settings
from hypothesis import strategies as st

from generator.dump import _AUTHORS, _DATE, _SENTENCES, CHROME, MONTHS, parse_dump

WORD = st.text(
    alphabet=st.characters(
        categories=("L", "N", "P", "S"), exclude_characters="·•\u2028\u2029\x85"
    ),
    min_size=1,
    max_size=12,
)


def is_title(text: str) -> bool:
    return not (
        text in CHROME
        or text.startswith("Subscribe")
        or _AUTHORS.fullmatch(text)
        or _DATE.fullmatch(text)
        or _SENTENCES.search(text)
        or text.lower().startswith(("<!doctype", "<html", "<?xml", "<"))
    )


TITLE = st.lists(WORD, min_size=1, max_size=12).map(" ".join).filter(is_title)
ABSTRACT = (
    st.lists(WORD, min_size=1, max_size=60)
    .map(" ".join)
    .filter(lambda t: not _AUTHORS.fullmatch(t) and t != "·")
)
ORG = st.tuples(st.from_regex(r"[a-z][a-z0-9-]{0,12}", fullmatch=True), st.lists(WORD, max_size=3))
META = st.one_of(
    st.none(),
    st.fixed_dictionaries(
        {
            "who": st.one_of(st.integers(1, 300), ORG),
            "date": st.dates(dt.date(2000, 1, 1), dt.date(2025, 10, 29)),
            "show_year": st.booleans(),
            "upvotes": st.one_of(st.none(), st.integers(1, 999)),
        }
    ),
)
CAPTURED = dt.date(2025, 10, 29)


@st.composite
def dumps(draw: st.DrawFn) -> tuple[str, list[dict[str, object]]]:
    daily = draw(st.booleans())
    titles = draw(st.lists(TITLE, min_size=1, max_size=8, unique_by=str.casefold))
    lines: list[str] = []
    expected = []
    if daily:
        lines += [
            "new",
            "",
            "Subscribe",
            "",
            "Daily Papers",
            "",
            "byAK and the research community",
            "",
            "Oct 29",
            "",
        ]
    else:
        lines += ["Get trending papers in your email inbox!", "Subscribe"]
        glued = draw(st.booleans())  # as copied from the page: "SubscribeFirst title"
    for n, title in enumerate(titles):
        abstract = draw(ABSTRACT)
        meta = draw(META) if daily else None
        line = len(lines) if (not daily and n == 0 and glued) else len(lines) + 1
        record: dict[str, object] = {
            "title": title,
            "abstract": abstract,
            "line": line,
            "published": None,
            "authors": None,
            "org": None,
            "org_id": None,
            "upvotes": None,
        }
        if not daily and n == 0 and glued:
            lines[-1] = "Subscribe" + title
            lines.append(abstract)
        elif daily:
            lines += [title, "", abstract, ""]
        elif not (n == 0 and glued):
            lines += [title, abstract]
        if meta:
            date: dt.date = meta["date"]  # type: ignore[assignment]
            if meta["show_year"] or date.year != CAPTURED.year:
                shown = f"{MONTHS[date.month - 1]} {date.day}, {date.year}"
            else:
                shown = f"{MONTHS[date.month - 1]} {date.day}"
            if meta["upvotes"]:
                shown += f" {meta['upvotes']}"
            who = meta["who"]
            if isinstance(who, int):
                lines.append(f"  • {who} author" + ("s" if who != 1 else ""))
                record["authors"] = who
            else:
                org_id, name_words = who
                name = " ".join(name_words) or org_id
                lines.append(f"{org_id} {name}")
                record["org"], record["org_id"] = name, org_id
            lines += ["·", shown, ""]
            record["published"], record["upvotes"] = date, meta["upvotes"]
        expected.append(record)
    return "\n".join(lines) + "\n", expected


@settings(max_examples=300, deadline=None)
@given(dumps())
def test_parser_returns_exactly_the_records_written(
    dump: tuple[str, list[dict[str, object]]],
) -> None:
    text, expected = dump
    records, info = parse_dump(text, "x.txt", CAPTURED)
    got = [
        {
            "title": r.title,
            "abstract": r.abstract,
            "line": r.source.line,
            "published": r.published,
            "authors": r.authors_count,
            "org": r.organization,
            "org_id": r.organization_id,
            "upvotes": r.upvotes,
        }
        for r in records
    ]
    assert got == expected
    assert info.records == len(expected)
