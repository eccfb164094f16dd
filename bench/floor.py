"""The engine's floor: the pages a survey's build publishes, written to disk and built by
MkDocs alone, with the same theme, templates and Markdown extensions but without the survey
plugin, gen-files, literate-nav or a search index. What the full build takes beyond this is
the survey's own cost: the generator, its hooks and the search index.

The project's mkdocs.yml is kept but for its `plugins:` block, which becomes `plugins: []`
(MkDocs adds no search then), and the navigation, which literate-nav reads from the
generated SUMMARY.md and which becomes the same `nav:` (parsed by literate-nav's own parser,
so titles and order are the same). The theme features the plugin turns off for a large
site are turned off here too.
"""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import yaml
from mkdocs.config import load_config
from mkdocs_literate_nav.parser import NavParser

from generator import urls
from generator.load import read_site_config
from generator.plugin import features_for
from generator.site import build

_PLUGINS = "\nplugins:\n"
_AFTER_PLUGINS = "\nnot_in_nav:"


def literate_nav(summary: str, markdown_config: dict[str, Any]) -> list[Any]:
    """The `nav:` that literate-nav makes of `summary` (a SUMMARY.md without wildcards)."""
    parser = NavParser(
        lambda folder: ("SUMMARY.md", summary) if folder == "." else None,
        None,  # type: ignore[arg-type]  # the globber: only wildcards need it
        markdown_config=markdown_config,
    )
    return list(parser.markdown_to_nav())


def floor_config(
    config: str, nav: list[Any], features: list[str], pages: int, instant_max_pages: int
) -> str:
    """The project's mkdocs.yml without its plugins, with `nav`, and without the features
    the survey plugin drops from a site of `pages` pages."""
    start = config.index(_PLUGINS)
    end = config.index(_AFTER_PLUGINS, start)
    config = config[:start] + "\nplugins: []\n" + config[end:]
    dropped = features_for(features, pages, instant_max_pages)[1]
    for feature in dropped:
        config = config.replace(f"\n    - {feature}\n", "\n", 1)
    return config + "\nnav:\n" + _indent(yaml.safe_dump(nav, allow_unicode=True, sort_keys=False))


def _indent(text: str) -> str:
    return "".join(f"  {line}\n" for line in text.splitlines())


def make_floor(project: Path, folder: Path) -> int:
    """Write the pages and files of `project`'s build, and the floor's mkdocs.yml, to
    `folder`; return the number of pages MkDocs will build."""
    site = build(project)
    shutil.copytree(project / "docs", folder / "docs")
    docs = folder / "docs"
    for path in site.pages:
        if path == urls.NAVIGATION:
            continue
        target = docs / path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(site.pages[path], encoding="utf-8")
    for path, text in site.files.items():
        target = docs / path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8")
    for name in ("overrides",):
        if (project / name).exists():
            (folder / name).symlink_to((project / name).resolve())
    loaded = load_config(str(project / "mkdocs.yml"))
    markdown = {
        "extensions": loaded.markdown_extensions,
        "extension_configs": loaded.mdx_configs,
        "tab_length": loaded.get("tab_length", 4),
    }
    nav = literate_nav(site.pages[urls.NAVIGATION], markdown)
    pages = sum(1 for p in docs.rglob("*.md"))
    limit = read_site_config(project).settings.instant_max_pages
    features = list(loaded.theme["features"] or [])
    config = floor_config(
        (project / "mkdocs.yml").read_text(encoding="utf-8"), nav, features, pages, limit
    )
    (folder / "mkdocs.yml").write_text(config, encoding="utf-8")
    return pages
