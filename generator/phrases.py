"""The rule phrases of taxonomy.yaml (`keywords`, `title_keywords`, `exclude_keywords`)
as regular expressions."""

from __future__ import annotations

import re


def compile_phrase(phrase: str) -> re.Pattern[str]:
    """Compile a rule phrase: /regex/, or words matched at word boundaries where a space
    also matches a hyphen and a trailing * matches any word ending."""
    if len(phrase) > 2 and phrase.startswith("/") and phrase.endswith("/"):
        return re.compile(phrase[1:-1], re.IGNORECASE)
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
