"""Pure text helpers: LaTeX clean-up, link extraction, slugs and title keys."""

from __future__ import annotations

import re
import unicodedata

from .errors import InputError, Problem

_ACCENTS = {"`": "\u0300", "'": "\u0301", "^": "\u0302", '"': "\u0308", "~": "\u0303"}
_LATEX_WORDS = {
    "textemdash": "\u2014",
    "textendash": "\u2013",
    "ie": "i.e.",
    "eg": "e.g.",
    "etal": "et al.",
}
_LATEX_STYLE = re.compile(
    r"\\(?:textbf|textit|emph|texttt|textsc|underline|mathbf|mathrm)\{([^{}]*)\}"
)
_LATEX_WORD = re.compile(r"\\(" + "|".join(sorted(_LATEX_WORDS, key=len, reverse=True)) + r")\b ?")
_LATEX_ACCENT = re.compile(r"\\([`'^\"~])\{?([A-Za-z])\}?")
_LATEX_ESCAPED = re.compile(r"\\([%&_#$])")
# "https://x{https://x}" and "https://x{this link}": a \url{} or \href{} that lost its backslash.
_URL_DOUBLED = re.compile(r"(https?://[^\s{}]+)\{([^{}\s]*|[^{}]{0,30})\}")

_URL = re.compile(r"https?://[^\s<>\"'|\\^`]+", re.IGNORECASE)
_URL_TRAILING = ".,;:!?'\""


def clean_latex(text: str) -> str:
    """Undo the LaTeX remnants that paper listings carry over from arXiv abstracts.

    Only known remnants are touched; anything else (an undefined macro such as
    ``\\ourmodel`` or a literal ``"\\n"`` in quotes) is left exactly as written.
    """
    text = _URL_DOUBLED.sub(r"\1", text)
    previous = None
    while previous != text:  # nested styles such as \textbf{\emph{x}}
        previous = text
        text = _LATEX_STYLE.sub(r"\1", text)
    text = _LATEX_WORD.sub(lambda m: _LATEX_WORDS[m.group(1)] + _space_after(m), text)
    text = _LATEX_ACCENT.sub(
        lambda m: unicodedata.normalize("NFC", m.group(2) + _ACCENTS[m.group(1)]), text
    )
    return _LATEX_ESCAPED.sub(r"\1", text)


def _space_after(match: re.Match[str]) -> str:
    # LaTeX swallows the space after a control word; abbreviations such as \ie are
    # written by authors expecting one, dashes are not.
    keep = match.group(0).endswith(" ") and not match.group(1).startswith("text")
    return " " if keep else ""


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


def extract_links(text: str) -> tuple[str, ...]:
    """Return the http(s) URLs in `text`, trailing punctuation stripped, first seen first."""
    found: list[str] = []
    for match in _URL.finditer(text):
        url = _until_unopened_brace(match.group(0))
        while url and (
            url[-1] in _URL_TRAILING
            or (url[-1] == ")" and url.count(")") > url.count("("))
            or (url[-1] == "]" and url.count("]") > url.count("["))
        ):
            url = url[:-1]
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
