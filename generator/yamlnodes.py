"""YAML read safely into a node tree: anchors and aliases refused first, libyaml when it is
there, and every syntax or character error located at its line and column."""

from __future__ import annotations

import yaml

from .errors import InputError, Problem
from .text import split_lines

EXAMPLE_THEME = "  - id: long-context\n    title: Long context\n    summary: |\n      ...\n"
"""The smallest theme, shown in messages about a missing or malformed theme list."""


def _first_alias(text: str) -> tuple[int, int] | None:
    """(line, column) of the first anchor or alias, None when there is none. They are
    refused before anything is built from them: a few lines of nested aliases can stand for
    billions of nodes. (Read event by event, in linear time; a syntax error is left to the
    composer, which words it.)"""
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    try:
        for event in yaml.parse(text, Loader=loader):
            mark = event.start_mark
            if (isinstance(event, yaml.AliasEvent) or getattr(event, "anchor", None)) and mark:
                return mark.line + 1, mark.column + 1
    except yaml.YAMLError:
        return None
    return None


def _compose(text: str) -> yaml.Node | None:
    """The YAML node tree, with libyaml when it is there (twenty times faster); a syntax
    error is found again by the pure-Python parser, whose messages are the clearer."""
    fast = getattr(yaml, "CSafeLoader", None)
    if fast is not None:
        try:
            return yaml.compose(text, Loader=fast)
        except yaml.YAMLError:
            pass
    return yaml.compose(text, Loader=yaml.SafeLoader)


def read_root(text: str, path: str) -> yaml.Node:
    """The document's root node; InputError for a syntax error or an empty file."""
    alias = _first_alias(text)
    if alias is not None:
        message = "anchors and aliases (&name, *name) are not allowed here: write the value out"
        raise InputError([Problem(path, *alias, message)])
    try:
        root = _compose(text)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line, col = (mark.line + 1, mark.column + 1) if mark else (0, 0)
        raise InputError(
            [Problem(path, line, col, f"YAML syntax error: {exc.problem or exc.context}")]
        ) from None
    except yaml.reader.ReaderError as exc:  # a character YAML does not allow
        before = split_lines(text[: exc.position] + "|")
        raise InputError(
            [
                Problem(
                    path,
                    len(before),
                    len(before[-1]),
                    f"character U+{exc.character:04X} is not allowed in YAML"
                    if isinstance(exc.character, int)
                    else "a character that is not allowed in YAML",
                )
            ]
        ) from None
    if root is None:
        raise InputError(
            [
                Problem(
                    path,
                    0,
                    0,
                    "the file is empty; it needs at least\n"
                    "site:\n  title: My survey\nthemes:\n" + EXAMPLE_THEME,
                )
            ]
        )
    return root
