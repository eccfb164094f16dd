"""published.json: every URL the site has published, with what identified its page.

One entry per line, sorted by URL (generator/redirects.py says what the build does with
it):

    {"kind": "paper", "url": "papers/<slug>/", "title": "...", "sources": ["dumps/x.txt:12"]}
    {"kind": "theme", "url": "themes/<id>/", "title": "...", "parent": "<id>" or null}
    {"kind": "paper", "url": "...", "title": "...", "gone": true}
    {"kind": "theme", "url": "themes/<old id>/", "title": "...", "parent": null,
     "to": "themes/<new id>/"}

`to`, written by `python -m generator rename-theme`, names the page a former URL leads to.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from dataclasses import replace

from .errors import InputError, Problem
from .model import Entry
from .text import split_lines

MANIFEST = "published.json"
_URL = re.compile(r'"url": "([^"\\]*)"')
_PAGE_URL = re.compile(r"(papers|themes)/[a-z0-9]+(?:-[a-z0-9]+)*/")
"""What a recorded URL may be: a paper's or a theme's page, never a path out of the site."""


def parse_manifest(text: str, path: str = MANIFEST) -> list[Entry]:
    """Read the manifest; InputError names the line of every malformed entry."""
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise InputError(
            [Problem(path, exc.lineno, exc.colno, f"not valid JSON: {exc.msg}")]
        ) from None
    if not isinstance(data, dict) or not isinstance(data.get("urls"), list):
        raise InputError(
            [
                Problem(
                    path,
                    1,
                    1,
                    'expected {"urls": [...]}, as written by `python -m generator urls --update`',
                )
            ]
        )
    # The manifest is written one entry per line: find each entry's line for messages.
    line_of = {
        url: n for n, text in enumerate(split_lines(text), 1) for url in _URL.findall(text)[:1]
    }
    entries, problems = [], []
    for n, item in enumerate(data["urls"]):
        url = item.get("url") if isinstance(item, dict) else None
        line = line_of.get(url, n + 2) if isinstance(url, str) else n + 2
        problem = _entry_problem(item, path, line)
        if problem is not None:
            problems.append(problem)
            continue
        entries.append(
            Entry(
                item["kind"],
                item["url"],
                item["title"],
                tuple(item.get("sources", ())),
                item.get("parent"),
                bool(item.get("gone", False)),
                line,
                item.get("to"),
            )
        )
    if problems:
        raise InputError(problems)
    return entries


def dump_manifest(entries: Iterable[Entry]) -> str:
    """The manifest's text: one entry per line, sorted by URL."""
    rows = []
    for e in sorted(entries, key=lambda e: e.url):
        item: dict[str, object] = {"kind": e.kind, "url": e.url, "title": e.title}
        if e.kind == "paper" and not e.gone:
            item["sources"] = list(e.sources)
        if e.kind == "theme" and not e.gone:
            item["parent"] = e.parent
        if e.gone:
            item["gone"] = True
        if e.to is not None and not e.gone:
            item["to"] = e.to
        rows.append(json.dumps(item, ensure_ascii=False))
    return '{"urls": [\n' + ",\n".join(rows) + "\n]}\n"


def _row(entry: Entry) -> str:
    return dump_manifest([entry]).splitlines()[1]


def edited_manifest(text: str, before: Iterable[Entry], after: Iterable[Entry]) -> str:
    """The manifest's text with the entries `after`: a changed entry rewritten on its own
    line, a new one inserted before the first entry with a later URL, the other lines kept
    as they are; the whole manifest written anew when it is not one entry a line."""
    was = sorted(before, key=lambda e: e.line)
    wanted = {e.url: e for e in after}
    lines = text.split("\n")
    first = was[0].line - 1 if was else -1
    if (
        not was
        or {e.url for e in was} - set(wanted)
        or [e.line - 1 for e in was] != list(range(first, first + len(was)))
        or not all(f'"url": {json.dumps(e.url)}' in lines[e.line - 1] for e in was)
    ):
        return dump_manifest(wanted.values())
    rows = []
    for entry in was:
        kept = replace(wanted[entry.url], line=0) == replace(entry, line=0)
        rows.append(
            (
                entry.url,
                lines[entry.line - 1].rstrip().rstrip(",") if kept else _row(wanted[entry.url]),
            )
        )
    for url in sorted(set(wanted) - {e.url for e in was}):
        at = next((n for n, (other, _) in enumerate(rows) if other > url), len(rows))
        rows.insert(at, (url, _row(wanted[url])))
    lines[first : first + len(was)] = [row + "," for _, row in rows[:-1]] + [rows[-1][1]]
    return "\n".join(lines)


def _entry_problem(item: object, path: str, line: int) -> Problem | None:
    """What is wrong with one entry of the manifest, None when it is well formed."""
    ok = (
        isinstance(item, dict)
        and item.get("kind") in ("paper", "theme")
        and isinstance(item.get("url"), str)
        and isinstance(item.get("title"), str)
        and isinstance(item.get("sources", []), list)
        and all(isinstance(s, str) for s in item.get("sources", []))
        and isinstance(item.get("parent"), str | None)
        and isinstance(item.get("gone", False), bool)
        and isinstance(item.get("to"), str | None)
    )
    if not ok:
        return Problem(
            path,
            line,
            0,
            'an entry needs "kind" ("paper" or "theme"), "url" '
            f'and "title"; found {json.dumps(item, ensure_ascii=False)[:120]}',
        )
    assert isinstance(item, dict)
    if not _PAGE_URL.fullmatch(item["url"]):
        return Problem(
            path,
            line,
            0,
            '"url" must be a page of the survey, such as "papers/<slug>/" or '
            f'"themes/<id>/"; found {json.dumps(item["url"], ensure_ascii=True)[:120]}',
        )
    to, folder = item.get("to"), item["url"].split("/")[0]
    if to is not None and not (_PAGE_URL.fullmatch(to) and to.split("/")[0] == folder):
        found = json.dumps(to, ensure_ascii=True)[:120]
        return Problem(
            path, line, 0, f'"to" must be a page such as "{folder}/<name>/"; found {found}'
        )
    return None
