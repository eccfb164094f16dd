"""Load and validate taxonomy.yaml, reporting every problem with its line and column.

The YAML is read as a node tree (not through a plain loader) so that each value keeps
its position, and duplicate keys, which plain loaders silently resolve to the last
one, are reported.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Mapping
from typing import Any

import yaml

from .errors import InputError, Problem
from .model import About, Rules, SourceEntry, Taxonomy, Theme
from .outside import read_outside
from .phrases import compile_phrase
from .text import split_lines
from .urls import RESERVED
from .yamlnodes import EXAMPLE_THEME, NodeReader, kind, read_root

MAX_DEPTH = 3
MAX_LEAF = 60
"""Default of `advice: leaf_size`: a leaf theme with more papers is advised to be split."""
PLACEHOLDER_SUMMARY = "Write what this theme covers."
"""The summary of the themes `suggest` proposes; `check` refuses a theme that still has it."""
PLACEHOLDER_TITLE = "Fits no theme"
"""The title `suggest` gives a proposal of papers too few to cluster; refused as well."""
_ID = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
_TOP_FIELDS = {"site", "sources", "advice", "organizations", "outside", "themes"}
_ADVICE_FIELDS = {"leaf_size"}
_SITE_FIELDS = {"title", "description", "intro", "about"}
_ABOUT_FIELDS = {"scope", "inclusion", "curators", "licence"}
_SOURCE_FIELDS = {"file", "label", "captured"}
_THEME_FIELDS = {
    "id",
    "title",
    "summary",
    "keywords",
    "title_keywords",
    "abstract_min",
    "exclude_keywords",
    "papers",
    "exclude",
    "children",
}


def text_start(loader: NodeReader, node: yaml.Node) -> tuple[int, int]:
    """Line and column where a scalar's text starts: a block scalar (| or >) on the line
    after its indicator, at that line's indentation; a quoted one after its quote."""
    line, col = node.start_mark.line + 1, node.start_mark.column + 1
    style = getattr(node, "style", None)
    if style in ("|", ">"):
        text = loader.lines[line] if line < len(loader.lines) else ""
        return line + 1, len(text) - len(text.lstrip(" ")) + 1
    return line, col + (style in ("'", '"'))


def _site(
    loader: NodeReader, root: yaml.Node, top: Mapping[str, tuple[yaml.Node, yaml.Node]]
) -> tuple[str, str, str, tuple[int, int], About]:
    """The `site:` block: title, description, introduction (and where it starts), about."""
    title, description, intro, intro_at, about = "Survey", "", "", (0, 0), About()
    if "site" in top:
        site = loader.mapping(top["site"][1], _SITE_FIELDS, "site")
        if "title" in site:
            title = loader.string(site["title"][1], "site.title") or title
        else:
            loader.error(top["site"][0], 'site needs a "title"')
        if "description" in site:
            description = loader.string(site["description"][1], "site.description", True) or ""
        if "intro" in site:
            intro = loader.string(site["intro"][1], "site.intro", True) or ""
            intro_at = text_start(loader, site["intro"][1])
        if "about" in site:
            about = _about(loader, site["about"][1])
    elif isinstance(root, yaml.MappingNode):
        loader.error(root, 'missing "site:" with at least a title')
    return title, description, intro, intro_at, about


def load_taxonomy(text: str, path: str = "taxonomy.yaml", keep_going: bool = False) -> Taxonomy:
    """Parse and validate taxonomy text; raise InputError listing every problem.

    With `keep_going`, a file that is valid YAML is returned even when it has errors: what
    could be read, with every problem, errors included, in `warnings`, so that the caller
    can also check it against the papers and report everything in one run."""
    loader = NodeReader(path)
    loader.lines = split_lines(text)
    root = read_root(text, path)
    top = loader.mapping(root, _TOP_FIELDS, "the top level")
    title, description, intro, intro_at, about = _site(loader, root, top)

    sources = _sources(loader, top["sources"][1]) if "sources" in top else []
    leaf_size = _advice(loader, top["advice"][1]) if "advice" in top else MAX_LEAF
    orgs = _organizations(loader, top["organizations"][1]) if "organizations" in top else ()
    outside = read_outside(loader, top["outside"][1]) if "outside" in top else ()
    themes: list[Theme] = []
    roots: list[str] = []
    if "themes" in top:
        roots = _themes(loader, top["themes"][1], None, 1, themes)
    elif isinstance(root, yaml.MappingNode):
        loader.error(root, 'missing "themes:", the list of themes:\nthemes:\n' + EXAMPLE_THEME)

    seen: dict[str, Theme] = {}
    for theme in themes:
        if theme.id in seen:
            loader.problems.append(
                Problem(
                    path,
                    theme.line,
                    0,
                    f'duplicate theme id "{theme.id}" (first on line {seen[theme.id].line})',
                )
            )
        else:
            seen[theme.id] = theme
    if not keep_going and any(p.severity == "error" for p in loader.problems):
        raise InputError(loader.problems)
    return Taxonomy(
        title,
        description,
        intro,
        tuple(sources),
        tuple(themes),
        path,
        tuple(roots),
        tuple(loader.problems),
        leaf_size,
        intro_at,
        about,
        orgs,
        outside,
    )


def _about(loader: NodeReader, node: yaml.Node) -> About:
    """`site: about:`, what the About page says of the survey."""
    fields = loader.mapping(node, _ABOUT_FIELDS, "site.about")
    text = {
        name: loader.string(fields[name][1], f"site.about.{name}") or ""
        for name in ("scope", "inclusion", "licence")
        if name in fields
    }
    curators = (
        tuple(v for _, v in loader.string_list(fields["curators"][1], "site.about.curators"))
        if "curators" in fields
        else ()
    )
    at = {name: text_start(loader, fields[name][1]) for name in fields}
    at["about"] = (node.start_mark.line + 1, node.start_mark.column + 1)
    return About(**text, curators=curators, at=at)


def _advice(loader: NodeReader, node: yaml.Node) -> int:
    """The thresholds of editorial advice, which `check` reports and no build fails on."""
    fields = loader.mapping(node, _ADVICE_FIELDS, "advice")
    if "leaf_size" not in fields:
        return MAX_LEAF
    value = fields["leaf_size"][1]
    text = value.value if isinstance(value, yaml.ScalarNode) else ""
    if value.tag.endswith(":int") and int(text) >= 1:
        return int(text)
    found = f'{kind(value)} "{text}"' if text else kind(value)
    loader.error(value, f"advice.leaf_size must be a whole number, 1 or more, found {found}")
    return MAX_LEAF


def _organizations(loader: NodeReader, node: yaml.Node) -> tuple[tuple[str, str, int, int], ...]:
    """`organizations:`, the names to show for organisations, by their name in the dumps."""
    if not isinstance(node, yaml.MappingNode):
        loader.error(
            node,
            f"organizations must map a name as the dumps write it to the name to show, found "
            f"{kind(node)}; such as\norganizations:\n  alibaba-inc: Alibaba\n"
            "  Alibaba-NLP: Alibaba",
        )
        return ()
    out: dict[str, tuple[str, str, int, int]] = {}
    for key_node, value_node in node.value:
        raw = loader.string(key_node, "an organisation's name in organizations")
        shown = loader.string(value_node, f'the name shown for "{raw}" in organizations')
        if not raw or not shown:
            continue
        if raw.casefold() in out:
            first = out[raw.casefold()][2]
            loader.error(key_node, f'"{raw}" is in organizations twice (first on line {first})')
            continue
        at = key_node.start_mark
        out[raw.casefold()] = (raw, shown.strip(), at.line + 1, at.column + 1)
    return tuple(out.values())


def _sources(loader: NodeReader, node: yaml.Node) -> list[SourceEntry]:
    if not isinstance(node, yaml.SequenceNode):
        loader.error(
            node,
            "sources must be a list of entries such as\n"
            "sources:\n  - file: 000_example.txt\n    label: Daily Papers, May\n"
            "    captured: 2025-05-21",
        )
        return []
    out = []
    for item in node.value:
        fields = loader.mapping(item, _SOURCE_FIELDS, "a source")
        if "file" not in fields:
            if isinstance(item, yaml.MappingNode):
                loader.error(item, 'a source needs a "file" (its name in dumps/)')
            continue
        file = loader.string(fields["file"][1], "source file") or ""
        if "/" in file or "\\" in file:
            name = file.replace("\\", "/").rsplit("/", 1)[-1]
            loader.error(fields["file"][1], f'file is the dump\'s name, without a folder: "{name}"')
        label = (
            loader.string(fields["label"][1], "source label", True) if "label" in fields else None
        )
        captured = None
        if "captured" in fields:
            value = fields["captured"][1]
            try:
                captured = dt.date.fromisoformat(str(value.value))
            except (ValueError, AttributeError):
                loader.error(
                    value,
                    "captured must be a date such as 2025-05-21, "
                    f'found "{getattr(value, "value", "")}"',
                )
        out.append(SourceEntry(file, label, captured, item.start_mark.line + 1))
    return out


def _theme_id(loader: NodeReader, node: yaml.Node) -> str:
    """A theme's id, with what is wrong with it reported."""
    theme_id = loader.string(node, "theme id") or ""
    if theme_id and not _ID.fullmatch(theme_id):
        loader.error(
            node,
            f'theme id "{theme_id}" must be lowercase letters and '
            'digits joined by "-", such as "long-context"',
        )
    elif theme_id in RESERVED:
        loader.error(
            node,
            f'theme id "{theme_id}" is reserved: it names a page or folder of the site; '
            "choose another",
        )
    return theme_id


def _themes(
    loader: NodeReader, node: yaml.Node, parent: str | None, depth: int, out: list[Theme]
) -> list[str]:
    where = f"the children of {parent}" if parent else "themes"
    if not isinstance(node, yaml.SequenceNode):
        loader.error(node, f"{where} must be a list of themes such as\n" + EXAMPLE_THEME)
        return []
    if depth > MAX_DEPTH:
        loader.error(
            node, f"themes nest at most {MAX_DEPTH} levels deep; move these sub-themes up a level"
        )
        return []
    ids = []
    for item in node.value:
        fields = loader.mapping(item, _THEME_FIELDS, "a theme")
        if not isinstance(item, yaml.MappingNode):
            continue
        if "id" not in fields:
            loader.error(item, 'a theme needs an "id" (lowercase words joined by "-")')
            continue
        theme_id = _theme_id(loader, fields["id"][1])
        title = theme_id
        if "title" in fields:
            title = loader.string(fields["title"][1], "theme title") or theme_id
        else:
            loader.error(item, f'theme "{theme_id}" needs a "title"')
        summary, summary_at = "", (0, 0)
        if "summary" in fields:
            node = fields["summary"][1]
            summary = loader.string(node, "theme summary", True) or ""
            summary_at = text_start(loader, node)
        _placeholder(loader, fields, theme_id, title, summary)
        rules = _rules(loader, fields, theme_id)
        children: list[str] = []
        child_themes: list[Theme] = []
        if "children" in fields:
            children = _themes(loader, fields["children"][1], theme_id, depth + 1, child_themes)
        out.append(
            Theme(
                theme_id,
                title,
                summary,
                rules,
                parent,
                tuple(children),
                fields["id"][1].start_mark.line + 1,
                *summary_at,
            )
        )
        out.extend(child_themes)
        ids.append(theme_id)
    return ids


def _placeholder(
    loader: NodeReader,
    fields: dict[str, tuple[yaml.Node, yaml.Node]],
    theme_id: str,
    title: str,
    summary: str,
) -> None:
    """A theme pasted from `suggest` as it was proposed is refused, so that it is never
    published: its page would say nothing."""
    if PLACEHOLDER_SUMMARY.casefold() in " ".join(summary.split()).casefold():
        loader.error(
            fields["summary"][1],
            f'theme "{theme_id}" still has the placeholder summary that `python -m generator '
            f'suggest` proposes ("{PLACEHOLDER_SUMMARY}"): write what the theme covers',
        )
    if "title" in fields and title.strip().casefold() == PLACEHOLDER_TITLE.casefold():
        loader.error(
            fields["title"][1],
            f'theme "{theme_id}" still has the placeholder title "{title}" that `python -m '
            "generator suggest` proposes: name what its papers share",
        )


def _rules(
    loader: NodeReader, fields: dict[str, tuple[yaml.Node, yaml.Node]], theme_id: str
) -> Rules:
    def phrases(key: str, check: Callable[[str], Any] = compile_phrase) -> tuple[str, ...]:
        if key not in fields:
            return ()
        values = []
        for node, value in loader.string_list(fields[key][1], f"{key} of {theme_id}"):
            positions.append((key, value, node.start_mark.line + 1, node.start_mark.column + 1))
            try:
                check(value)
            except re.error as exc:
                loader.error(node, f'invalid pattern "{value}" in {key} of {theme_id}: {exc}')
                continue
            values.append(value)
        return tuple(values)

    positions: list[tuple[str, str, int, int]] = []
    abstract_min = 1
    if "abstract_min" in fields:
        node = fields["abstract_min"][1]
        if not (isinstance(node, yaml.ScalarNode) and re.fullmatch(r"[0-9]{1,6}", node.value)) or (
            int(node.value) < 1
        ):
            loader.error(
                node,
                f"abstract_min of {theme_id} must be a whole number of at least 1, "
                f'found "{node.value if isinstance(node, yaml.ScalarNode) else kind(node)}"',
            )
        else:
            abstract_min = int(node.value)
    return Rules(
        keywords=phrases("keywords"),
        title_keywords=phrases("title_keywords"),
        papers=phrases("papers", _no_check),
        exclude=phrases("exclude", _no_check),
        exclude_keywords=phrases("exclude_keywords"),
        abstract_min=abstract_min,
        positions=tuple(positions),
    )


def _no_check(value: str) -> None:
    return None
