"""YAML files edited in place, the maintainer's text kept: ruamel.yaml's round trip makes an
edit, and only the lines the edit changes are replaced in the file as it was.

The round trip keeps comments, key order, quoting and block scalars, but it writes one
indentation for the whole file (taxonomy.yaml indents `sources:` and `themes:` differently)
and joins a plain scalar folded over lines (as in evaluation/precision.yaml). So the
document is written twice, as read and as edited, and `splice` carries the lines that
differ between the two into the original text: every other line stays byte for byte. The
result must read as the edited document, or the edited document as ruamel.yaml writes it
is used instead.
"""

from __future__ import annotations

import difflib
import io
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.error import CommentMark, YAMLError
from ruamel.yaml.scalarstring import ScalarString
from ruamel.yaml.tokens import CommentToken

from .urls import SUMMARY_LINK

LAYOUTS = ((2, 2, 0), (2, 4, 2), (4, 4, 0), (4, 6, 2), (2, 2, 2))
"""Indentations (mapping, sequence, dash offset) tried; the one that rewrites the most lines
of the file as they were is used."""
_WIDTH = 4096
"""Never fold a line the maintainer wrote on one."""


class YamlEditError(Exception):
    """A file cannot be read for editing: the line (0 when unknown) and why."""

    def __init__(self, line: int, message: str) -> None:
        self.line, self.message = line, message
        super().__init__(message)


def _yaml(layout: tuple[int, int, int] | None = None) -> YAML:
    yaml = YAML()
    yaml.preserve_quotes = True
    yaml.width = _WIDTH
    if layout:
        yaml.indent(mapping=layout[0], sequence=layout[1], offset=layout[2])
    return yaml


def dump(data: Any, layout: tuple[int, int, int]) -> str:
    out = io.StringIO()
    _yaml(layout).dump(data, out)
    return out.getvalue()


def _kept(text: str, other: str) -> int:
    """How many lines of `text` stay in `other`, in order."""
    matcher = difflib.SequenceMatcher(None, text.splitlines(), other.splitlines(), False)
    return sum(block.size for block in matcher.get_matching_blocks())


@dataclass
class Document:
    """A YAML file read for editing: edit `data`, then `text()` is the file edited."""

    name: str
    original: str
    data: Any
    layout: tuple[int, int, int]
    before: str
    """The document as ruamel.yaml writes it unedited."""

    def text(self) -> str:
        return splice(self.original, self.before, dump(self.data, self.layout))


def read_document(name: str, text: str) -> Document:
    """`text` (the file `name`) read round trip; YamlEditError when it is not YAML or empty."""
    try:
        data = _yaml().load(text)
    except YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 1 if mark is not None else 0
        raise YamlEditError(line, f"cannot be read for editing: {exc}") from None
    if not isinstance(data, CommentedMap | CommentedSeq):
        raise YamlEditError(0, "expected a mapping or a list to edit")
    written = {layout: dump(data, layout) for layout in LAYOUTS}
    best = max(LAYOUTS, key=lambda layout: _kept(written[layout], text))
    return Document(name, text, data, best, written[best])


def has_data(text: str) -> bool:
    """Whether the text holds more than comments and blank lines."""
    return any(line.strip() and not line.lstrip().startswith("#") for line in text.splitlines())


def _same(a: str, b: str) -> bool:
    try:
        return bool(YAML(typ="safe", pure=True).load(a) == YAML(typ="safe", pure=True).load(b))
    except YAMLError:
        return False


def splice(original: str, before: str, after: str) -> str:
    """`original` with the changes that turn `before` into `after` (the document as written
    unedited and edited). A line of `original` that ruamel.yaml writes otherwise is kept
    unless the edit changes it, when the stretch that differs is taken from `after`; and
    `after` itself is returned when the result does not read as `after` does."""
    if before == original:
        return after
    old, base, new = (t.splitlines(keepends=True) for t in (original, before, after))
    becomes, changed, first = _changes(base, new)
    out = list(first)
    for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(None, base, old, False).get_opcodes():
        if tag != "equal" and not any(changed[i1:i2]):
            out += old[j1:j2]  # written otherwise by ruamel.yaml, and not edited: as it was
        else:
            out += [line for i in range(i1, i2) for line in becomes[i]]
    spliced = "".join(out)
    return spliced if _same(spliced, after) else after


def _changes(base: list[str], new: list[str]) -> tuple[list[list[str]], list[bool], list[str]]:
    """What each line of `base` becomes in `new` (itself, nothing, or lines replacing or
    following it), whether the edit changed it, and the lines inserted before the first."""
    becomes: list[list[str]] = [[line] for line in base]
    changed = [False] * len(base)
    first: list[str] = []
    for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(None, base, new, False).get_opcodes():
        if tag in ("replace", "delete"):
            for i in range(i1, i2):
                becomes[i], changed[i] = [], True
            becomes[i1] = new[j1:j2]
        elif tag == "insert" and i1 == 0:
            first = new[j1:j2]
        elif tag == "insert":
            becomes[i1 - 1] = becomes[i1 - 1] + new[j1:j2]
            changed[i1 - 1] = True
    return becomes, changed, first


def retext(old: object, text: str) -> object:
    """`text` in the style of the scalar `old`: quoted, literal or folded as it was."""
    if not isinstance(old, ScalarString):
        return text
    new = type(old)(text)
    comment = getattr(old, "comment", None)
    if comment is not None:
        new.comment = comment
    return new


def set_text(mapping: CommentedMap, key: str, text: str) -> None:
    """The value of `key` becomes `text`, in the style of the value it replaces; a comment
    at the end of its line keeps its distance from the value."""
    old = mapping[key]
    mapping[key] = retext(old, text)
    slot = mapping.ca.items.get(key)
    token = slot[2] if slot and len(slot) > 2 else None
    mark = getattr(token, "start_mark", None)
    if isinstance(token, CommentToken) and mark is not None and "\n" not in str(old):
        mark.column = max(mark.column + len(text) - len(str(old)), 0)


def themes(data: Any) -> Iterator[CommentedMap]:
    """Every theme mapping of a taxonomy document, depth-first in file order."""

    def walk(items: Any) -> Iterator[CommentedMap]:
        for item in items if isinstance(items, CommentedSeq) else ():
            if isinstance(item, CommentedMap):
                yield item
                yield from walk(item.get("children"))

    yield from walk(data.get("themes") if isinstance(data, CommentedMap) else None)


def theme(data: Any, theme_id: str) -> CommentedMap | None:
    return next((t for t in themes(data) if t.get("id") == theme_id), None)


def rename_links(markdown: str, kind: str, old: str, new: str) -> str:
    """Summary links (`/papers/<slug>/`, `/themes/<id>/`) of `kind` to `old` lead to `new`;
    the rest of the text is kept as it is."""
    parts, last = [], 0
    for m in SUMMARY_LINK.finditer(markdown):
        if m[1] == kind and m[2] == old:
            parts += [markdown[last : m.start(2)], new]
            last = m.end(2)
    return "".join(parts) + markdown[last:]


def summaries(data: Any) -> Iterator[tuple[CommentedMap, str]]:
    """(mapping, key) of every Markdown text of a taxonomy that may hold summary links:
    the site's introduction, the About page's texts and each theme's summary."""
    site = data.get("site") if isinstance(data, CommentedMap) else None
    if isinstance(site, CommentedMap) and isinstance(site.get("intro"), str):
        yield site, "intro"
    about = site.get("about") if isinstance(site, CommentedMap) else None
    for key in ("scope", "inclusion"):
        if isinstance(about, CommentedMap) and isinstance(about.get(key), str):
            yield about, key
    for item in themes(data):
        if isinstance(item.get("summary"), str):
            yield item, "summary"


def relink(data: Any, kind: str, old: str, new: str) -> None:
    """Every summary link of `kind` to `old` in a taxonomy document leads to `new`."""
    for mapping, key in summaries(data):
        text = rename_links(mapping[key], kind, old, new)
        if text != mapping[key]:
            mapping[key] = retext(mapping[key], text)


def add_to_list(mapping: CommentedMap, key: str, item: str, before: tuple[str, ...]) -> None:
    """`item` at the end of the list `key` of `mapping`; a new flow list `[item]` when there
    is none, placed before the first of the keys `before` the mapping has (else last). A
    single text becomes a list of it and `item`."""
    current = mapping.get(key)
    if isinstance(current, CommentedSeq):
        if item not in current:
            current.append(item)
        return
    if key in mapping and not isinstance(current, str):
        raise YamlEditError(0, f'"{key}" of "{mapping.get("id")}" is not a list')
    value = CommentedSeq(
        [current, item] if isinstance(current, str) and current != item else [item]
    )
    value.fa.set_flow_style()
    if key in mapping:  # a single text, which papers.yaml reads as a list of one
        mapping[key] = value
        return
    keys = list(mapping)
    position = next((keys.index(k) for k in before if k in mapping), len(keys))
    insert_key(mapping, position, key, value)


def remove_from_list(mapping: CommentedMap, key: str, item: str, drop: bool = True) -> bool:
    """Take every `item` out of the list `key` (and, with `drop`, the key when nothing is
    left and no comment hangs on it); whether there was one."""
    current = mapping.get(key)
    if not isinstance(current, CommentedSeq) or item not in current:
        return False
    for n in reversed([n for n, value in enumerate(current) if value == item]):
        del current[n]
    if drop and not current and not any(mapping.ca.items.get(key) or ()) and not current.ca.items:
        del mapping[key]  # an empty list says nothing, unless a comment hangs on it
    return True


def insert_key(mapping: CommentedMap, position: int, key: str, value: Any) -> None:
    """`key: value` inserted at `position`. Comment lines that follow the entry before it
    (and introduce the next one) stay below the new line."""
    keys = list(mapping)
    mapping.insert(position, key, value)
    if not position:
        return
    token = _trailing_comment(mapping, keys[position - 1])
    if token is None:
        return
    first, newline, rest = token.value.partition("\n")
    if rest.strip():
        token.value = first + newline
        mapping.ca.items[key] = [None, None, CommentToken("\n" + rest, CommentMark(0)), None]


def _trailing_comment(mapping: CommentedMap, key: Any) -> CommentToken | None:
    """The comment token written after the entry `key` (at the end of its last line)."""
    value = mapping[key]
    if isinstance(value, CommentedMap | CommentedSeq) and len(value) and not value.fa.flow_style():
        if isinstance(value, CommentedMap):
            return _trailing_comment(value, list(value)[-1])
        last = len(value) - 1
        if isinstance(value[last], CommentedMap) and len(value[last]):
            return _trailing_comment(value[last], list(value[last])[-1])
        slot = value.ca.items.get(last)
        return slot[0] if slot and isinstance(slot[0], CommentToken) else None
    slot = mapping.ca.items.get(key)
    return slot[2] if slot and len(slot) > 2 and isinstance(slot[2], CommentToken) else None


def rename_values(data: Any, keys: tuple[str, ...], old: str, new: str) -> int:
    """Every value `old` of one of `keys` (or item of such a list), in any mapping of the
    document, becomes `new`; where the mapping names `new` already under those keys, a list
    loses its `old` and a single value stays as it is (a pair of one paper means nothing).
    Returns how many changed."""
    changed = 0
    stack = [data]
    while stack:
        node = stack.pop()
        if isinstance(node, CommentedMap):
            changed += _rename_in(node, [k for k in keys if k in node], old, new)
            stack.extend(node.values())
        elif isinstance(node, CommentedSeq):
            stack.extend(node)
    return changed


def _rename_in(node: CommentedMap, keys: list[str], old: str, new: str) -> int:
    values = [v for k in keys for v in (node[k] if isinstance(node[k], list) else [node[k]])]
    if old not in values:
        return 0
    for key in keys:
        value = node[key]
        if isinstance(value, CommentedSeq) and old in value:
            if new in values:
                remove_from_list(node, key, old, drop=False)
            else:
                value[value.index(old)] = new
        elif value == old and new not in values:
            set_text(node, key, new)
    return 1
