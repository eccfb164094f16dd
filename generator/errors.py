"""One exception family for every problem found in a user's input."""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable
from dataclasses import dataclass

_CONTROL = re.compile("[\x00-\x09\x0b-\x1f\x7f-\x9f\u2028\u2029]")


@dataclass(frozen=True, order=True)
class Problem:
    """A problem in an input file, located as precisely as the loader can."""

    file: str
    """Path of the file, as the user would type it."""
    line: int
    """1-based line, 0 when the whole file is concerned."""
    col: int
    """1-based column, 0 when unknown."""
    message: str
    """What is wrong and what a valid value looks like."""
    severity: str = "error"
    """"error" stops the build; "warning" only stops a strict build; "advice" (editorial
    advice, such as a theme grown too large) is reported and stops no build."""

    def __str__(self) -> str:
        where = self.file
        if self.line:
            where += f":{self.line}"
            if self.col:
                where += f":{self.col}"
        text = f"{where}: {self.severity}: {self.message}"
        # Messages quote the inputs: no control character reaches a terminal or a log raw
        # (a newline is the message's own line break).
        return _CONTROL.sub(lambda m: m[0].encode("unicode_escape").decode(), text)


class InputError(Exception):
    """Raised with every error found in one run, never just the first."""

    def __init__(self, problems: Iterable[Problem]):
        self.problems = tuple(sorted(problems))
        super().__init__("\n".join(str(p) for p in self.problems))


def did_you_mean(word: str, choices: Iterable[str], n: int = 1) -> str:
    """Return ' (did you mean "x"?)' for the closest choice, or ''."""
    close = difflib.get_close_matches(word, list(choices), n=n, cutoff=0.6)
    if not close:
        return ""
    return " (did you mean " + " or ".join(f'"{c}"' for c in close) + "?)"
