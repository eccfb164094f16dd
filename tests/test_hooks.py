"""The MkDocs hooks' decisions that do not need a build: which theme features a site of a
given size keeps, and the pages-outside-the-navigation cache."""

from __future__ import annotations

import pytest

from generator.mkdocs_hooks import INSTANT_MAX_PAGES, NavCache, features_for

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
    assert features_for(list(FEATURES), pages) == (kept, dropped)


class _Page:
    def __init__(self, url: str) -> None:
        self.url = url


class _Nav:
    def __init__(self, *urls: str) -> None:
        self.pages = [_Page(u) for u in urls]


def test_the_navigation_of_pages_outside_it_is_rendered_once_per_depth() -> None:
    cache = NavCache()
    nav = _Nav("", "themes/a/")
    calls: list[str] = []

    def render(label: str):
        return lambda: calls.append(label) or f"<nav {label}>"

    assert cache(_Page("papers/x/"), nav, render("x")) == "<nav x>"
    assert cache(_Page("papers/y/"), nav, render("y")) == "<nav x>"  # same depth: reused
    assert cache(_Page("themes/a/"), nav, render("a")) == "<nav a>"  # in the nav: anew
    assert cache(_Page("themes/a/"), nav, render("a2")) == "<nav a2>"
    assert cache(_Page("unsorted/"), nav, render("u")) == "<nav u>"  # another depth
    assert cache(_Page("papers/z/"), _Nav(""), render("z")) == "<nav z>"  # a new build
    assert calls == ["x", "a", "a2", "u", "z"]
