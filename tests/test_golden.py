"""Golden pages: the fixture project in tests/golden/project (a few records of each dump
layout, a taxonomy that uses every key, a published.json with moved and gone URLs) builds
into exactly the Markdown pages, feeds and data files pinned in tests/golden/expected/.

After an intended change of the output, rewrite them with
`.venv/bin/python -m pytest tests/test_golden.py --update-golden` and review the diff.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from generator.load import load
from generator.model import Settings, SiteConfig
from generator.site import compose

GOLDEN = Path(__file__).parent / "golden"
PROJECT = GOLDEN / "project"
EXPECTED = GOLDEN / "expected"
SITE_URL = "https://example.org/golden/"


FLOOR = 0.36
"""The related papers' floor: these few papers on unlike topics are far apart, and at this
floor most pages show some related links and one shows none."""

CLOSE = 0.55
"""The score of a closely related link: at this one some pages list closely related papers
and others in the same area, some both."""


def generated() -> dict[str, str]:
    config = SiteConfig(
        site_url=SITE_URL, settings=Settings(related_floor=FLOOR, related_close=CLOSE)
    )
    site = compose(load(PROJECT, config))
    return {**{path: site.pages[path] for path in site.pages}, **site.files}


def pinned() -> dict[str, str]:
    return {
        p.relative_to(EXPECTED).as_posix(): p.read_bytes().decode("utf-8")
        for p in sorted(EXPECTED.rglob("*"))
        if p.is_file()
    }


def test_the_fixture_builds_into_the_pinned_files(request: pytest.FixtureRequest) -> None:
    files = generated()
    if request.config.getoption("--update-golden"):
        shutil.rmtree(EXPECTED, ignore_errors=True)
        for path, text in files.items():
            (EXPECTED / path).parent.mkdir(parents=True, exist_ok=True)
            (EXPECTED / path).write_bytes(text.encode("utf-8"))  # CSV lines end in CRLF
    expected = pinned()
    assert sorted(files) == sorted(expected), "files added or removed: run --update-golden"
    changed = [path for path in files if files[path] != expected[path]]
    for path in changed:  # the first difference of each, to read in the report
        got, want = files[path].splitlines(), expected[path].splitlines()
        first = next(
            (n for n, (a, b) in enumerate(zip(got, want, strict=False)) if a != b),
            min(len(got), len(want)),
        )
        print(f"{path}:{first + 1}:\n  got:  {got[first:][:1]}\n  want: {want[first:][:1]}")
    assert changed == [], "generated files differ from tests/golden/expected/"


def test_the_fixture_uses_every_taxonomy_key() -> None:
    from generator.outside import _OUTSIDE_FIELDS
    from generator.taxonomy import (
        _ABOUT_FIELDS,
        _ADVICE_FIELDS,
        _SITE_FIELDS,
        _SOURCE_FIELDS,
        _THEME_FIELDS,
        _TOP_FIELDS,
    )

    text = (PROJECT / "taxonomy.yaml").read_text(encoding="utf-8")
    fields = _TOP_FIELDS | _SITE_FIELDS | _SOURCE_FIELDS | _THEME_FIELDS | _ADVICE_FIELDS
    fields |= _ABOUT_FIELDS | _OUTSIDE_FIELDS
    for key in sorted(fields):
        assert f"{key}:" in text, key


def test_the_fixture_uses_every_papers_yaml_field_but_the_merges() -> None:
    from generator.metadata import FIELDS

    text = (PROJECT / "papers.yaml").read_text(encoding="utf-8")
    for key in sorted(FIELDS - {"merge", "distinct"}):  # merges: tests/test_identity.py
        assert f"  {key}:" in text, key
