"""Pure text helpers: link extraction, slugs, title keys, lines and decoding (the LaTeX
clean-up is `latex.py`), and the names organisations are shown with."""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from collections.abc import Iterable, Mapping

from .errors import InputError, Problem

_URL = re.compile(r"https?://[^\s<>\"'|\\^`]+", re.IGNORECASE)
_URL_TRAILING = ".,;:!?'\""


def _until_unopened_brace(url: str) -> str:
    """A URL up to where LaTeX takes over: a `}` that no `{` in the URL opened
    (`\\url{...}`), or a `{` that is not closed or that opens another URL
    (`\\href{url}{text}` as copied from a PDF). Balanced braces inside a URL are kept."""
    depth, opened = 0, 0
    for n, char in enumerate(url):
        if char == "{":
            if depth == 0:
                opened = n
            depth += 1
        elif char == "}":
            if depth == 0:
                return url[:n]
            depth -= 1
            if depth == 0 and "://" in url[opened:n]:
                return url[:opened]
    return url[:opened] if depth else url


def url_spans(text: str) -> list[tuple[int, int]]:
    """(start, end) of every http(s) URL in `text`, up to where LaTeX takes over and with
    trailing punctuation stripped; an address need not be a valid site to be a span."""
    spans = []
    for match in _URL.finditer(text):
        url = _until_unopened_brace(match.group(0))
        while url and (
            url[-1] in _URL_TRAILING
            or (url[-1] == ")" and url.count(")") > url.count("("))
            or (url[-1] == "]" and url.count("]") > url.count("["))
        ):
            url = url[:-1]
        if url:
            spans.append((match.start(), match.start() + len(url)))
    return spans


def extract_links(text: str) -> tuple[str, ...]:
    """Return the http(s) URLs in `text`, trailing punctuation stripped, first seen first."""
    found: list[str] = []
    for start, end in url_spans(text):
        url = text[start:end]
        if (
            re.fullmatch(r"https?://[^/\s]+\.[^/\s]+(/.*)?", url, re.IGNORECASE)
            and url not in found
        ):
            found.append(url)
    return tuple(found)


def title_key(title: str) -> str:
    """Key under which two listings of the same title are merged: case and spacing ignored."""
    return " ".join(unicodedata.normalize("NFKC", title).casefold().split())


def slugify(title: str, max_length: int = 80) -> str:
    """A readable ASCII slug made from a title, cut at a word boundary."""
    ascii_title = unicodedata.normalize("NFKD", title).encode("ascii", "ignore").decode()
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_title.lower()).strip("-")
    if len(slug) > max_length:
        cut = slug[: max_length + 1]
        slug = cut[: cut.rfind("-")] if "-" in cut else cut[:max_length]
    return slug or "paper"


_LINE_END = re.compile(r"\r\n|\r|\n")
CONTROL = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029]")
"""Control characters and Unicode line separators inside a line: read as spaces, so that
neither a line nor a paper splits where an editor shows none, and no terminal escape
sequence reaches a message or a page."""


def split_lines(text: str) -> list[str]:
    """The lines of a text as editors number them: split at \\n, \\r\\n and \\r only (not at
    the other breaks `str.splitlines` knows, such as U+2028 or a form feed)."""
    lines = _LINE_END.split(text)
    return lines[:-1] if lines and lines[-1] == "" else lines


def decode(data: bytes, file: str, what: str = "the dump") -> str:
    """Decode an input as UTF-8 (a byte-order mark is allowed), naming the line of a bad
    byte; `what` names the input in the message."""
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        before = split_lines(data[: exc.start].decode("utf-8", "replace") + "|")
        line, col = len(before), len(before[-1])
        raise InputError(
            [
                Problem(
                    file,
                    line,
                    col,
                    f"byte 0x{data[exc.start]:02x} is not UTF-8; save {what} as UTF-8 text",
                )
            ]
        ) from None
    return text.removeprefix("\ufeff")


# Words that end an organisation's name without changing which organisation it is:
# "Alibaba-NLP" and "alibaba-inc" are Alibaba, "ServiceNow-AI" is ServiceNow.
ORG_SUFFIXES = frozenset(
    {"ai", "co", "corp", "corporation", "gmbh", "group", "inc", "lab", "labs", "llc", "ltd"}
    | {"nlp", "research", "team"}
)
_ORG_WORD = re.compile(r"[^\W_]+")


def organisation_keys(name: str) -> tuple[str, str, str]:
    """How an organisation's name compares: its words run together, case folded ("open
    ai" and "OpenAI" are "openai"); the same without the ORG_SUFFIXES that end it; and
    the name cut before those suffixes, as written."""
    text = unicodedata.normalize("NFKC", name)
    words = list(_ORG_WORD.finditer(text))
    n = len(words)
    while n > 1 and words[n - 1].group().casefold() in ORG_SUFFIXES:
        n -= 1
    full = "".join(w.group().casefold() for w in words)
    core = "".join(w.group().casefold() for w in words[:n])
    return full, core, (text[: words[n - 1].end()] if words else text).strip()


def organisation_names(names: Iterable[str], overrides: Mapping[str, str] = {}) -> dict[str, str]:
    """The name to show for each organisation name in `names` (one per paper).

    A name `overrides` maps (exactly, or up to case) is shown as it says. The others are
    grouped when they compare equal by organisation_keys, either way; a group of one
    spelling keeps it, a larger one takes its most written spelling with a capital, cut
    before its suffixes when all the group share that stem; a group whose stem is an
    override's name ("Alibaba" for "Alibaba-NLP") takes that name."""
    counts = Counter(names)
    folded = {k.casefold(): v for k, v in overrides.items()}
    out = {n: overrides.get(n, folded.get(n.casefold(), "")) for n in counts}
    free = [n for n in counts if not out[n]]
    named = {organisation_keys(v)[0]: v for v in overrides.values()}
    for group in _org_groups(free):
        shown = group[0] if len(group) == 1 else _org_spelling(group, counts)
        stem = organisation_keys(shown)[1]
        for n in group:
            out[n] = named.get(stem, shown)
    return out


def _org_groups(names: list[str]) -> list[list[str]]:
    """`names` grouped by any key they share (organisation_keys' first two), in order."""
    parent = list(range(len(names)))

    def root(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    first: dict[str, int] = {}
    for i, name in enumerate(names):
        for key in organisation_keys(name)[:2]:
            if key:
                parent[root(i)] = root(first.setdefault(key, i))
    groups: dict[int, list[str]] = {}
    for i, name in enumerate(names):
        groups.setdefault(root(i), []).append(name)
    return list(groups.values())


def _org_spelling(group: list[str], counts: Mapping[str, int]) -> str:
    """The spelling a group of names of one organisation is shown with."""
    keys = {n: organisation_keys(n) for n in group}
    shared = len({k[1] for k in keys.values()}) == 1
    shown = {n: keys[n][2] if shared else n for n in group}
    best = min(group, key=lambda n: (shown[n] == shown[n].lower(), -counts[n], len(n), n))
    return shown[best]
