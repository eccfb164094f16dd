"""The survey plugin: its options as MkDocs validates them, and its decisions that do not
need a build (which theme features a site of a given size keeps, the navigation cache)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from generator.copies import link_site_config, with_options
from generator.errors import InputError
from generator.load import read_site_config
from generator.model import Settings
from generator.plugin import NavCache, features_for

ROOT = Path(__file__).parent.parent
INSTANT_MAX_PAGES = Settings().instant_max_pages

FEATURES = [
    "navigation.instant",
    "navigation.instant.prefetch",
    "navigation.tabs",
    "navigation.instantly-not-a-feature",
    "toc.follow",
]


@pytest.mark.parametrize(
    ("pages", "kept", "dropped"),
    [
        (349, FEATURES, []),
        (INSTANT_MAX_PAGES, FEATURES, []),
        (
            INSTANT_MAX_PAGES + 1,
            ["navigation.tabs", "navigation.instantly-not-a-feature", "toc.follow"],
            ["navigation.instant", "navigation.instant.prefetch"],
        ),
    ],
)
def test_instant_navigation_is_off_only_for_large_sites(
    pages: int, kept: list[str], dropped: list[str]
) -> None:
    assert features_for(list(FEATURES), pages, INSTANT_MAX_PAGES) == (kept, dropped)


class _Page:
    def __init__(self, url: str) -> None:
        self.url = url


class _Nav:
    def __init__(self, *urls: str) -> None:
        self.pages = [_Page(u) for u in urls]


def test_pages_outside_the_navigation_get_the_compact_one_rendered_once_per_depth() -> None:
    cache = NavCache()
    nav = _Nav("", "themes/a/")
    calls: list[str] = []

    def render(label: str):
        return lambda: calls.append(label) or f"<nav {label}>"

    assert cache(_Page("papers/x/"), nav, render("full"), render("x")) == "<nav x>"
    assert cache(_Page("papers/y/"), nav, render("full"), render("y")) == "<nav x>"  # reused
    assert cache(_Page("themes/a/"), nav, render("a"), render("-")) == "<nav a>"  # in the nav
    assert cache(_Page("themes/a/"), nav, render("a2"), render("-")) == "<nav a2>"
    assert cache(_Page("unsorted/"), nav, render("full"), render("u")) == "<nav u>"  # depth
    assert cache(_Page("papers/z/"), _Nav(""), render("full"), render("z")) == "<nav z>"  # build
    assert calls == ["x", "a", "a2", "u", "z"]


def project(folder: Path, config: str) -> Path:
    for name in ("dumps", "docs"):
        shutil.copytree(ROOT / name, folder / name)
    shutil.copy(ROOT / "taxonomy.yaml", folder)
    (folder / "mkdocs.yml").write_text(config, encoding="utf-8")
    link_site_config(ROOT, folder)
    return folder


def test_mkdocs_yml_sets_the_options_the_build_reads(tmp_path: Path) -> None:
    config = (ROOT / "mkdocs.yml").read_text(encoding="utf-8")
    changed = with_options(
        config, instant_max_pages=7, search_part_size=150, related_theme_weight=0.5
    )
    settings = read_site_config(project(tmp_path, changed)).settings
    assert (
        settings.instant_max_pages,
        settings.search_part_size,
        settings.related_theme_weight,
    ) == (7, 150, 0.5)
    assert read_site_config(ROOT).settings == Settings()  # mkdocs.yml shows the defaults


@pytest.mark.parametrize(
    ("options", "message"),
    [
        ({"instant_max_pages": "many"}, "Expected type: <class 'int'> but received: <class 'str'>"),
        ({"search_part_size": 0}, "option 'search_part_size': must be at least 1, not 0"),
        ({"search": "lunr"}, "Expected one of: ('pagefind', 'builtin') but received: 'lunr'"),
        ({"search": "builtin"}, "`search: builtin` needs the theme's search plugin enabled"),
    ],
)
def test_bad_options_are_refused_with_the_fix(
    tmp_path: Path, options: dict[str, object], message: str
) -> None:
    config = with_options((ROOT / "mkdocs.yml").read_text(encoding="utf-8"), **options)
    with pytest.raises(InputError) as exc:
        read_site_config(project(tmp_path, config))
    assert message in str(exc.value), str(exc.value)
    assert str(exc.value).startswith("mkdocs.yml:")
