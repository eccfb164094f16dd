"""YAML read safely into a node tree: anchors and aliases refused first, libyaml when it is
there, and every syntax or character error located at its line and column."""

from __future__ import annotations

import yaml

from .errors import InputError, Problem, did_you_mean
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


_INDENT = (
    "YAML reads structure from indentation: the keys of one mapping, and the `-` items of "
    "one list, start in exactly the same column, with spaces (never tabs)"
)


def _at(mark: yaml.Mark | None) -> tuple[int, int]:
    return (mark.line + 1, mark.column + 1) if mark else (0, 0)


def _unclosed(lines: list[str], upto: int) -> tuple[int, int, str] | None:
    """Line, column and bracket of the last `[` or `{` not closed before line `upto`
    (quoted text and comments skipped); None when every bracket is closed."""
    stack: list[tuple[int, int, str]] = []
    for number, text in enumerate(lines[:upto], start=1):
        quote = ""
        for col, char in enumerate(text, start=1):
            if quote:
                quote = "" if char == quote else quote
            elif char in "'\"" and (col == 1 or text[col - 2] in " [{,:"):
                quote = char
            elif char == "#" and (col == 1 or text[col - 2] == " "):
                break
            elif char in "[{":
                stack.append((number, col, char))
            elif char in "]}" and stack:
                stack.pop()
    return stack[-1] if stack else None


def explain(exc: yaml.MarkedYAMLError, lines: list[str]) -> tuple[int, int, str]:
    """Line, column and message of a YAML syntax error, at the mistake rather than where
    the parser gave up: an unclosed list, mapping or quote where it opened, and an
    indentation mistake with what YAML expects."""
    problem, context = exc.problem or "", exc.context or ""
    (line, col), (open_line, open_col) = _at(exc.problem_mark), _at(exc.context_mark)
    shown = lines[line - 1].strip() if 0 < line <= len(lines) else ""
    opened = _unclosed(lines, line) if context.startswith("while parsing a flow") else None
    if opened:
        open_line, open_col, bracket = opened
        what, close = ("list", "]") if bracket == "[" else ("mapping", "}")
        return (
            open_line,
            open_col,
            (
                f"YAML syntax error: this {what} is never closed: add `{close}` at its end "
                f"(the parser gave up on line {line})"
            ),
        )
    if context.startswith("while scanning a quoted") and open_line:
        return open_line, open_col, "YAML syntax error: this quoted text is never closed"
    if context.startswith("while scanning a simple key") and open_line:
        key = lines[open_line - 1].strip() if open_line <= len(lines) else ""
        return (
            open_line,
            open_col,
            (
                f'YAML syntax error: "{key}" is read as a key, but has no ":" after it; if it '
                "continues the text above, indent it like that text. " + _INDENT
            ),
        )
    if "expected <block end>" in problem:
        return (
            line,
            col,
            (
                f'YAML syntax error: "{shown}" is indented {col - 1} spaces, where no '
                f"mapping above it has its keys (the block it is in starts on line {open_line}, "
                f"column {open_col}). {_INDENT}"
            ),
        )
    if "mapping values are not allowed" in problem:
        start = len(lines[line - 1]) - len(lines[line - 1].lstrip()) + 1 if shown else col
        return (
            line,
            start,
            (
                f'YAML syntax error: "{shown}" is indented deeper than the key above it, so it '
                "is read as part of that key's value; line it up with that key (or quote a "
                'value that holds ": "). ' + _INDENT
            ),
        )
    if "\t" in problem or "'\\t'" in problem:
        return line, col, "YAML syntax error: a tab; indent with spaces. " + _INDENT
    return line, col, f"YAML syntax error: {problem or context}"


def read_root(text: str, path: str) -> yaml.Node:
    """The document's root node; InputError for a syntax error or an empty file."""
    alias = _first_alias(text)
    if alias is not None:
        message = "anchors and aliases (&name, *name) are not allowed here: write the value out"
        raise InputError([Problem(path, *alias, message)])
    try:
        root = _compose(text)
    except yaml.MarkedYAMLError as exc:
        raise InputError([Problem(path, *explain(exc, split_lines(text)))]) from None
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


class NodeReader:
    """Reads values out of a YAML node tree, collecting every problem with its line and column."""

    def __init__(self, path: str) -> None:
        self.path = path
        self.problems: list[Problem] = []
        self.lines: list[str] = []
        """The file's lines, for positions inside block scalars."""

    def error(self, node: yaml.Node | None, message: str, severity: str = "error") -> None:
        line = node.start_mark.line + 1 if node is not None else 0
        col = node.start_mark.column + 1 if node is not None else 0
        self.problems.append(Problem(self.path, line, col, message, severity))

    def mapping(
        self, node: yaml.Node, fields: set[str], where: str
    ) -> dict[str, tuple[yaml.Node, yaml.Node]]:
        if not isinstance(node, yaml.MappingNode):
            self.error(node, f"{where} must be a mapping of keys to values, found {kind(node)}")
            return {}
        out: dict[str, tuple[yaml.Node, yaml.Node]] = {}
        for key_node, value_node in node.value:
            key = key_node.value if isinstance(key_node, yaml.ScalarNode) else str(key_node)
            if key in out:
                first = out[key][0].start_mark.line + 1
                self.error(
                    key_node,
                    f'duplicate key "{key}" in {where} (first on line {first}); '
                    "YAML would silently keep only the last one",
                )
                continue
            if key not in fields:
                self.error(
                    key_node,
                    f'unknown key "{key}" in {where}'
                    f"{did_you_mean(key, fields)}; valid keys: {', '.join(sorted(fields))}",
                )
                continue
            out[key] = (key_node, value_node)
        return out

    def string(self, node: yaml.Node, where: str, allow_empty: bool = False) -> str | None:
        if isinstance(node, yaml.ScalarNode) and node.tag == "tag:yaml.org,2002:str":
            return str(node.value)
        if isinstance(node, yaml.ScalarNode) and node.tag == "tag:yaml.org,2002:null":
            if not allow_empty:
                self.error(node, f"{where} must be text, found nothing")
            return None
        if isinstance(node, yaml.ScalarNode):
            self.error(
                node,
                f'{where} must be text, found {kind(node)} "{node.value}"; '
                "put it in quotes if it is meant as text",
            )
        else:
            self.error(node, f"{where} must be text, found {kind(node)}")
        return None

    def string_list(self, node: yaml.Node, where: str) -> list[tuple[yaml.Node, str]]:
        if not isinstance(node, yaml.SequenceNode):
            self.error(node, f'{where} must be a list such as ["a", "b"], found {kind(node)}')
            return []
        out = []
        for item in node.value:
            value = self.string(item, f"an item of {where}")
            if value is not None:
                out.append((item, value))
        return out


def kind(node: yaml.Node) -> str:
    if isinstance(node, yaml.MappingNode):
        return "a mapping"
    if isinstance(node, yaml.SequenceNode):
        return "a list"
    tag = node.tag.rsplit(":", 1)[-1]
    return {
        "int": "a number",
        "float": "a number",
        "bool": "true/false",
        "null": "nothing",
        "timestamp": "a date",
        "str": "text",
    }.get(tag, tag)
