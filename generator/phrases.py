"""The rule phrases of taxonomy.yaml (`keywords`, `title_keywords`, `exclude_keywords`)
as regular expressions."""

from __future__ import annotations

import re
from typing import Any

import regex

REGEX_TIMEOUT = 1.0
"""Seconds a maintainer's /regex/ may take on one paper's text. A pattern that backtracks
without end, such as /(a|aa)+$/ on a long run of a's, then stops the build with a message
that names its line, instead of hanging it."""


class PatternTimeout(Exception):
    """A /regex/ phrase ran past REGEX_TIMEOUT on one text."""


class MaintainerRegex:
    """A /regex/ phrase: the `regex` engine, which gives up after a time limit."""

    def __init__(self, body: str) -> None:
        re.compile(body, re.IGNORECASE)  # the same syntax, and the same messages, as `re`
        self.pattern: Any = regex.compile(body, regex.IGNORECASE | regex.VERSION0)

    def search(self, text: str) -> object | None:
        try:
            found: object | None = self.pattern.search(text, timeout=REGEX_TIMEOUT)
            return found
        except TimeoutError:
            raise PatternTimeout from None

    def findall(self, text: str) -> list[Any]:
        try:
            return list(self.pattern.findall(text, timeout=REGEX_TIMEOUT))
        except TimeoutError:
            raise PatternTimeout from None


def compile_phrase(phrase: str) -> re.Pattern[str] | MaintainerRegex:
    """Compile a rule phrase: /regex/, or words matched at word boundaries where a space
    also matches a hyphen and a trailing * matches any word ending."""
    if len(phrase) > 2 and phrase.startswith("/") and phrase.endswith("/"):
        return MaintainerRegex(phrase[1:-1])
    words = phrase.split()
    if not words:
        raise re.error("empty phrase")
    parts = []
    for n, word in enumerate(words):
        star = n == len(words) - 1 and word.endswith("*") and len(word) > 1
        parts.append(
            re.escape(word.rstrip("*") if star else word) + ("[A-Za-z0-9]*" if star else "")
        )
    body = r"[\s\-]+".join(parts)
    # Same as (?i)(?<![A-Za-z0-9])<body>(?![A-Za-z0-9]), written so that the pattern starts
    # with its first character: the regex engine then skips ahead to where that character
    # occurs instead of trying the look-behind at every position (about 3x faster).
    first = words[0][0]
    cases = "".join(sorted(_CASES.get(first.lower(), {first.lower(), first.upper()}) | {first}))
    head = "[" + "".join(re.escape(c) for c in cases) + "]"
    rest = body[len(re.escape(first)) :]
    return re.compile(f"{head}(?<![A-Za-z0-9]{head})(?i:{rest})(?![A-Za-z0-9])")


# Characters that IGNORECASE also matches beyond a letter's upper and lower case.
_CASES = {"k": {"k", "K", "\u212a"}, "s": {"s", "S", "\u017f"}, "i": {"i", "I", "\u0130"}}
