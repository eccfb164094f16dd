"""Find LaTeX and TeX remnants in what a reader of the built site sees.

`remnants(text)` names the remnants in one text; `site_remnants(folder)` reads every HTML
page (its visible text, tooltips and the Explore page's data), every feed, the data files
and the search index's fragments of a built site. The patterns are meant to flag debris
only: the seed survey's legitimate text (code names in backquotes, `{time}{place}` template
slots, `"\\n\\n"` as a string, `~6%`, a `$5` price) is not flagged.

Run as a script on a built site to list what it finds:
``python tests/remnants.py SITE_DIR`` (the hand-written pages are this repository's docs/).
"""

from __future__ import annotations

import csv
import gzip
import html
import io
import json
import re
import sys
import xml.etree.ElementTree as ET
from collections.abc import Collection, Iterator
from html.parser import HTMLParser
from pathlib import Path

REMNANT = re.compile(
    r"""
    \\[A-Za-z]{2,}                              # a control word: \ourmodel, \textbf, \alpha
    | \\[%&_\#$`'^"~{},;!|]                     # an escaped character, accent or math space
    | ``|''                                     # TeX's double quotes
    | (?<![\w`])`[^`'\s][^`'\n]{0,80}'(?!\w)     # TeX's single quotes: `word'
    | \{\\?(?:textbf|textit|texttt|emph|bf|it|em|tt|sc|rm)\b  # {\bf x}, {textbf x}
    | \b(?:textbf|textit|texttt|textsc|mathcal|mathbb|mathbf|mathrm|langle|rangle|frac|sqrt)\b
    | (?<![\w$])\$(?=[^\s$\d])[^$\n]{1,80}(?<=\S)\$(?!\d)  # inline math: $x$ (not $5 and $10)
    | [\w)\]]\^[\w{*(+-]                         # a superscript: n^2, V^*, x^{10}
    | [\w)\]]_\{                                # a subscript in braces: x_{ij}
    | [\w.,;:)]~[\w(]                           # a tie: Fig.~3
    """,
    re.VERBOSE,
)
"""One LaTeX or TeX remnant in text a reader sees (URLs removed first: see `remnants`)."""

_URL = re.compile(r"https?://\S+")
_SHOWN_META = ("citation_", "og:", "twitter:", "dc.")


def remnants(text: str) -> list[str]:
    """Each remnant in `text`, with a little context, in order."""
    text = _URL.sub(" ", text)
    return [
        text[max(0, m.start() - 25) : m.end() + 25].replace("\n", " ")
        for m in REMNANT.finditer(text)
    ]


class _Visible(HTMLParser):
    """The text a reader sees on a page: element text outside scripts, styles and code,
    tooltips and labels, the description and citation tags, and the strings of the JSON
    data the page carries."""

    SKIP = {"script", "style", "code", "pre", "template", "noscript"}
    SHOWN_ATTRIBUTES = {"title", "aria-label", "alt", "placeholder"}

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.skipping: list[str] = []
        self.json_script = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        if tag in self.SKIP:
            self.skipping.append(tag)
            self.json_script = tag == "script" and found.get("type") == "application/json"
        meta = found.get("name") or found.get("property") or ""
        if tag == "meta" and (meta in ("description", "title") or meta.startswith(_SHOWN_META)):
            self.parts.append(found.get("content") or "")  # what search engines and Scholar show
        self.parts += [v for k, v in attrs if k in self.SHOWN_ATTRIBUTES and v]

    def handle_endtag(self, tag: str) -> None:
        if self.skipping and self.skipping[-1] == tag:
            self.skipping.pop()
            self.json_script = False

    def handle_data(self, data: str) -> None:
        if not self.skipping:
            self.parts.append(data)
        elif self.json_script and data.strip():
            self.parts += json_strings(json.loads(data))


def json_strings(value: object) -> Iterator[str]:
    """Every string in a JSON value, keys excepted."""
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for item in value.values():
            yield from json_strings(item)
    elif isinstance(value, list):
        for item in value:
            yield from json_strings(item)


def page_text(markup: str) -> str:
    """What a reader sees of an HTML page, one piece a line."""
    parser = _Visible()
    parser.feed(markup)
    parser.close()
    return "\n".join(parser.parts)


def feed_text(xml: bytes) -> str:
    """The text of every element of an Atom feed, and the labels of its categories."""
    root = ET.fromstring(xml)
    parts = [e.text or "" for e in root.iter()]
    parts += [e.get("label") or "" for e in root.iter() if e.get("label")]
    return "\n".join(parts)


def fragment(data: bytes) -> tuple[str, str]:
    """The page URL and the strings of one Pagefind fragment (gzip-compressed JSON after a
    "pagefind_dcd" signature)."""
    raw = gzip.decompress(data)
    record = json.loads(raw[raw.index(b"{") :])
    return str(record.get("url", "")), "\n".join(json_strings(record))


def site_texts(site: Path, literal: Collection[str] = ()) -> Iterator[tuple[str, str]]:
    """(file, text a reader sees) for every page, feed, data file and search fragment.
    The search fragments of the `literal` pages (URLs such as "editing/": hand-written
    pages whose code shows LaTeX on purpose) are left out: the index keeps no code markup,
    and those pages' prose is read from their HTML, code left out."""
    for path in sorted(site.rglob("*")):
        name = path.relative_to(site).as_posix()
        if path.suffix == ".html":
            yield name, page_text(path.read_text(encoding="utf-8"))
        elif path.suffix == ".xml" and name.startswith("feed"):
            yield name, feed_text(path.read_bytes())
        elif path.suffix == ".json" and "pagefind" not in name:
            yield name, "\n".join(json_strings(json.loads(path.read_text(encoding="utf-8"))))
        elif path.suffix == ".csv":
            rows = csv.reader(io.StringIO(path.read_text(encoding="utf-8")))
            yield name, "\n".join(cell for row in rows for cell in row)
        elif path.suffix == ".pf_fragment":
            url, text = fragment(path.read_bytes())
            if url.lstrip("/") not in literal:
                yield name, text


def site_remnants(site: Path, literal: Collection[str] = ()) -> list[tuple[str, str]]:
    """(file, remnant in context) for every remnant a reader of the built site would see
    (`literal` as for `site_texts`)."""
    return [(n, found) for n, text in site_texts(site, literal) for found in remnants(text)]


def handwritten(docs: Path) -> set[str]:
    """The URLs of the hand-written pages of a docs folder (`editing.md` is "editing/")."""
    return {f"{p.stem}/" for p in docs.glob("*.md") if p.stem != "index"}


if __name__ == "__main__":
    found = site_remnants(Path(sys.argv[1]), handwritten(Path(__file__).parent.parent / "docs"))
    for name, snippet in found:
        print(f"{name}: {html.escape(snippet, quote=False)!r}")
    files = {name for name, _ in found}
    print(f"{len(found)} remnants in {len(files)} files")
