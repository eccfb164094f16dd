"""papers.yaml, edited in place: what `enrich` reads of it and how it adds what it found.

The file is read and written with ruamel.yaml's round trip, so the maintainer's comments,
order, quoting and fields stay as they were; `record` only adds fields an entry does not
have, each addition with a comment naming its source. New entries go at the end.
"""

from __future__ import annotations

import io
import os
import re
import tempfile
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.error import YAMLError
from ruamel.yaml.scalarstring import DoubleQuotedScalarString

PAPERS = "papers.yaml"
FIELDS = ("arxiv", "doi", "openalex", "authors", "published")
"""The fields `enrich` writes, in the order it writes them."""

_NESTED_KEY = re.compile(r"^[^\s#][^\n]*:[ \t]*(?:#[^\n]*)?\n(?: *#[^\n]*\n)*( +)[^\s#-]", re.M)
_SEQUENCE = re.compile(r"^( *)[^\s#-][^\n]*:[ \t]*(?:#[^\n]*)?\n(?: *#[^\n]*\n)*( *)- ", re.M)


class PapersFileError(Exception):
    """papers.yaml cannot be read as a mapping of paper slugs to mappings."""


@dataclass
class PapersFile:
    path: Path
    text: str
    """The file as read ("" when there is none)."""
    doc: CommentedMap
    header: str
    """Text kept as it is before the entries: a file of comments alone, which the round
    trip would drop."""

    def entry(self, slug: str) -> Mapping[str, object]:
        found = self.doc.get(slug)
        return found if isinstance(found, Mapping) else {}

    def identified(self, slug: str) -> bool:
        """The entry already has an arXiv ID or a DOI: nothing to look up."""
        entry = self.entry(slug)
        return entry.get("arxiv") is not None or entry.get("doi") is not None

    def merged(self) -> set[str]:
        """Slugs that an entry's `merge` folds into another paper."""
        names: set[str] = set()
        for value in self.doc.values():
            merge = value.get("merge") if isinstance(value, Mapping) else None
            if isinstance(merge, list):
                names |= {m for m in merge if isinstance(m, str)}
        return names

    def title(self, slug: str) -> str | None:
        """The maintainer's corrected title, if there is one."""
        title = self.entry(slug).get("title")
        return title if isinstance(title, str) and title.strip() else None


def _yaml() -> YAML:
    yaml = YAML()
    yaml.preserve_quotes = True
    yaml.width = 4096  # never fold a long line the maintainer wrote on one
    return yaml


def _layout(text: str) -> tuple[int, int, int]:
    """The file's indentation (mapping, sequence, dash offset) as ruamel.yaml counts it;
    the one of the documented example when the file shows none."""
    nested = _NESTED_KEY.search(text)
    mapping = len(nested.group(1)) if nested else 2
    sequence = _SEQUENCE.search(text)
    offset = len(sequence.group(2)) - len(sequence.group(1)) if sequence else 2
    offset = max(offset, 0)
    return mapping, max(offset + 2, mapping), offset


def read_papers(root: Path) -> PapersFile:
    """Read papers.yaml in `root` (an empty one when there is none)."""
    path = root / PAPERS
    text = path.read_text(encoding="utf-8") if path.is_file() else ""
    try:
        doc = _yaml().load(text)
    except YAMLError as exc:
        raise PapersFileError(f"{PAPERS}: {exc}") from None
    header = ""
    if doc is None:
        doc, header = CommentedMap(), text if text.strip() else ""
        header += "" if not header or header.endswith("\n") else "\n"
    if not isinstance(doc, CommentedMap):
        raise PapersFileError(f"{PAPERS}: the top level must be a mapping of paper slugs")
    doc.fa.set_block_style()  # a file that is `{}` gets its entries one a line
    wrong = [str(k) for k, v in doc.items() if v is not None and not isinstance(v, Mapping)]
    if wrong:
        raise PapersFileError(f"{PAPERS}: not a mapping of fields: {', '.join(wrong)}")
    return PapersFile(path, text, doc, header)


def _value(key: str, value: object) -> object:
    if key == "arxiv":
        return DoubleQuotedScalarString(str(value))  # 2502.11089 unquoted is a number
    if key == "authors" and isinstance(value, list | tuple):
        return CommentedSeq([str(v) for v in value])
    return value


def record(papers: PapersFile, slug: str, found: Mapping[str, object], comment: str) -> list[str]:
    """Add the fields of `found` the entry of `slug` lacks (never changing one it has),
    marked with `comment`; returns the names of the fields added."""
    current = papers.doc.get(slug)
    entry = current if isinstance(current, CommentedMap) else CommentedMap()
    added = [key for key in FIELDS if key not in entry and found.get(key) not in (None, "", (), [])]
    if not added:
        return []
    # At the top of the entry: a comment after its last field belongs, for ruamel.yaml,
    # to that field, so fields added after it would land below the comment.
    for position, key in enumerate(added):
        entry.insert(position, key, _value(key, found[key]))
    if slug in papers.doc:
        papers.doc[slug] = entry
        entry.yaml_add_eol_comment(comment, added[0])
    else:
        papers.doc[slug] = entry
        gap = "\n" if len(papers.doc) > 1 else ""  # a blank line between entries
        papers.doc.yaml_set_comment_before_after_key(slug, before=gap + comment, indent=0)
    return added


def render(papers: PapersFile) -> str:
    """The text of papers.yaml with what was recorded."""
    if not papers.doc:
        return papers.text
    yaml = _yaml()
    mapping, sequence, offset = _layout(papers.text)
    yaml.indent(mapping=mapping, sequence=sequence, offset=offset)
    out = io.StringIO()
    yaml.dump(papers.doc, out)
    return papers.header + out.getvalue()


def write_papers(root: Path, text: str) -> Path:
    """Replace papers.yaml in `root` with `text` in one step (a file beside it, renamed
    over it). Refuses a papers.yaml that leads out of the project folder."""
    folder = root.resolve()
    target = (root / PAPERS).resolve()
    if not target.is_relative_to(folder):
        raise PapersFileError(f"{PAPERS} leads out of the project folder, to {target}")
    handle, temporary = tempfile.mkstemp(prefix=".papers-", suffix=".yaml", dir=target.parent)
    try:
        with os.fdopen(handle, "w", encoding="utf-8", newline="\n") as out:
            out.write(text)
        if target.exists():
            os.chmod(temporary, target.stat().st_mode & 0o777)
        else:
            os.chmod(temporary, 0o644)
        os.replace(temporary, target)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    return target
