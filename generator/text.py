"""Pure text helpers: link extraction, slugs, title keys, lines and decoding (the LaTeX
clean-up is `latex.py`)."""

from __future__ import annotations

import re
import unicodedata

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
