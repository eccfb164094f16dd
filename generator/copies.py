"""Copies of a project for tests and benchmarks: a folder with its own inputs that builds
with the site configuration of another project."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

from .load import CACHE, CONFIG
from .vectors import CACHE_FILE


def link_site_config(root: Path, folder: Path, **options: object) -> None:
    """Give the project in `folder` the site configuration of the one in `root`: its
    mkdocs.yml, unless `folder` has its own, with the survey plugin's `options` set, links
    to the theme overrides and to the generator package (mkdocs.yml names the overrides and
    the gen-files script by path), and a copy of the vectors `root` keeps in `.cache/`."""
    target = folder / CONFIG
    if not target.exists():
        target.write_text(with_options((root / CONFIG).read_text("utf-8"), **options), "utf-8")
    for name in ("overrides", "generator"):
        (folder / name).symlink_to(root / name, target_is_directory=True)
    # the sentence encoder's vectors of the papers both have: computed once, not per copy
    kept = root / CACHE / CACHE_FILE
    if kept.is_file() and not (folder / CACHE / CACHE_FILE).exists():
        (folder / CACHE).mkdir(exist_ok=True)
        shutil.copyfile(kept, folder / CACHE / CACHE_FILE)


def with_options(config: str, **options: object) -> str:
    """mkdocs.yml's text with the survey plugin's `options` set; each must be written in it
    already (the repository's mkdocs.yml shows every option with its default)."""
    for name, value in options.items():
        line = re.compile(rf"^(      {re.escape(name)}: ).*$", re.MULTILINE)
        config, found = line.subn(rf"\g<1>{value}", config, count=1)
        if not found:
            raise ValueError(f"{CONFIG} does not show the survey option {name!r}")
    return config
