"""Parse and validate papers.yaml: the facts a maintainer sets or corrects per paper.

The file is a mapping from paper slug to fields (arXiv id, DOI, authors, venue, date, a
corrected title, extra links) and identity declarations (aliases, near-duplicates to merge
or to keep apart). Every value keeps its line and column, so that each problem, here or
when the slugs are checked against the papers (generator/identity.py), is located.
"""

from __future__ import annotations

import datetime as dt
import re

import yaml

from .errors import InputError
from .model import Facts
from .yamlnodes import NodeReader, kind, read_root

PAPERS_FILE = "papers.yaml"
SLUG = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
ARXIV = re.compile(r"(?:\d{4}\.\d{4,5}|[a-z-]+(?:\.[A-Z]{2})?/\d{7})")
"""An arXiv identifier without its version: 2502.11089, or the old style cs/0112017."""
DOI = re.compile(r"10\.\d{4,9}/[^\s\"<>]+")
OPENALEX = re.compile(r"W\d{4,12}")
_URL = re.compile(r"https?://[^\s<>\"'`]+", re.IGNORECASE)
_TEXT_FIELDS = {"venue", "title"}
_LIST_FIELDS = {"authors", "links", "aliases", "merge", "distinct"}
_ID_FIELDS = {"arxiv": ARXIV, "doi": DOI, "openalex": OPENALEX}
FIELDS = _TEXT_FIELDS | _LIST_FIELDS | set(_ID_FIELDS) | {"published"}
EXAMPLE = (
    "native-sparse-attention:\n"
    '  arxiv: "2502.11089"\n'
    "  authors: [Jingyang Yuan, Huazuo Gao]\n"
    "  published: 2025-02-16\n"
)
_ID_HELP = {
    "arxiv": 'an arXiv id without version, such as "2502.11089" or "cs/0112017"',
    "doi": "a DOI such as 10.18653/v1/2023.acl-long.1 (without https://doi.org/)",
    "openalex": "an OpenAlex work id such as W4392222222",
}


def load_metadata(text: str, path: str = PAPERS_FILE) -> tuple[Facts, ...]:
    """Every paper's facts, in file order; InputError listing every problem."""
    if all(not ln.strip() or ln.lstrip().startswith("#") for ln in text.splitlines()):
        return ()  # nothing set yet
    root = read_root(text, path)
    reader = NodeReader(path)
    facts: list[Facts] = []
    if isinstance(root, yaml.ScalarNode) and root.tag.endswith(":null"):
        return ()
    if not isinstance(root, yaml.MappingNode):
        reader.error(root, f"{path} must map paper slugs to their facts, such as\n{EXAMPLE}")
        raise InputError(reader.problems)
    seen: dict[str, int] = {}
    for key_node, value_node in root.value:
        slug = reader.string(key_node, "a paper slug")
        if slug is None:
            continue
        line = key_node.start_mark.line + 1
        if slug in seen:
            reader.error(key_node, f'"{slug}" is already set on line {seen[slug]}')
            continue
        seen[slug] = line
        if not SLUG.fullmatch(slug):
            reader.error(
                key_node, f'"{slug}" is not a paper slug (the last part of papers/<slug>/)'
            )
            continue
        facts.append(_facts(reader, slug, line, value_node))
    if reader.problems:
        raise InputError(reader.problems)
    return tuple(facts)


def _facts(reader: NodeReader, slug: str, line: int, node: yaml.Node) -> Facts:
    fields = reader.mapping(node, FIELDS, f'the entry of "{slug}"')
    values: dict[str, object] = {}
    where: dict[str, tuple[int, int]] = {}
    for name, (_, value) in fields.items():
        where[name] = (value.start_mark.line + 1, value.start_mark.column + 1)
        got = _value(reader, name, value, name)
        if got is not None:
            values[name] = got
    return Facts(slug=slug, line=line, where=where, **values)  # type: ignore[arg-type]


def _value(reader: NodeReader, name: str, node: yaml.Node, where: str) -> object:
    if name == "published":
        return _date(reader, node, where)
    if name in _LIST_FIELDS:
        items = _strings(reader, node, where)
        return tuple(_item(reader, name, item, value, where) for item, value in items) or None
    if name in _ID_FIELDS:
        text = _scalar(node)
        if text is None or not _ID_FIELDS[name].fullmatch(text):
            found = f'"{text}"' if text is not None else kind(node)
            reader.error(node, f"{where} must be {_ID_HELP[name]}, found {found}")
            return None
        return text
    text = reader.string(node, where)
    if text is not None and not text.strip():
        reader.error(node, f"{where} is empty: write the text or remove the key")
        return None
    return " ".join(text.split()) if text else None


def _item(reader: NodeReader, name: str, node: yaml.Node, value: str, where: str) -> str:
    value = " ".join(value.split())
    if name == "links" and not _URL.fullmatch(value):
        reader.error(node, f'an item of {where} must be an http(s) address, found "{value}"')
    elif name in ("aliases", "merge", "distinct") and not SLUG.fullmatch(value):
        reader.error(node, f'an item of {where} must be a paper slug, found "{value}"')
    elif not value:
        reader.error(node, f"an item of {where} is empty")
    return value


def _strings(reader: NodeReader, node: yaml.Node, where: str) -> list[tuple[yaml.Node, str]]:
    """A list of text items; a single text is taken as a list of one."""
    if isinstance(node, yaml.ScalarNode) and node.tag.endswith(":str"):
        return [(node, str(node.value))]
    return reader.string_list(node, where)


def _scalar(node: yaml.Node) -> str | None:
    """A scalar's text as written (an unquoted 2502.11089 stays as written, not a float)."""
    if isinstance(node, yaml.ScalarNode) and not node.tag.endswith(":null"):
        return str(node.value).strip()
    return None


def _date(reader: NodeReader, node: yaml.Node, where: str) -> dt.date | None:
    text = _scalar(node)
    try:
        if text is not None and re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
            return dt.date.fromisoformat(text)
    except ValueError:
        pass
    reader.error(node, f"{where} must be a date such as 2025-02-16, found {text or kind(node)}")
    return None
