"""The one loader: every input file of a build is read here, once, into frozen records.

mkdocs.yml (through MkDocs' own configuration loader), the dumps, the taxonomy,
published.json and the hand-written pages in docs/. Everything after this module is pure
until a writer (generator/plugin.py, generator/cli.py) puts files on disk.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from .dump import cut_short, parse_dump
from .encoder import Vectors
from .errors import InputError, Problem
from .manifest import MANIFEST, parse_manifest
from .metadata import load_metadata
from .model import DumpInfo, Entry, Facts, Inputs, RawRecord, Settings, SiteConfig, Taxonomy
from .taxonomy import load_taxonomy
from .text import decode
from .vectors import model_digest, read_cache, read_encoder

CONFIG = "mkdocs.yml"
CACHE = ".cache"
"""Computed data kept between builds, in the project folder (git ignores it)."""
PLUGIN = "survey"
"""The plugin's name in mkdocs.yml and in the package's entry points."""
DEFAULT_SITE_URL = "http://127.0.0.1:8000/"
"""MkDocs' own preview address: the site's address when mkdocs.yml sets none."""


def settings_of(options: Mapping[str, Any]) -> Settings:
    """The survey plugin's validated options as Settings."""
    names = Settings.__dataclass_fields__
    return Settings(**{k: v for k, v in options.items() if k in names})


def site_config(config: Any) -> SiteConfig:
    """What the build needs from a loaded MkDocs configuration."""
    plugin = config.plugins.get(PLUGIN)
    settings = settings_of(plugin.config) if plugin is not None else Settings()
    url = config.site_url or DEFAULT_SITE_URL
    problems: tuple[Problem, ...] = ()
    if not config.site_url:
        problems = (
            Problem(
                CONFIG,
                0,
                0,
                f"no site_url: feeds, papers.json and the sitemap point at {DEFAULT_SITE_URL}; "
                "the deploy sets it (SURVEY_SITE_URL), or set site_url in mkdocs.yml",
                "advice",
            ),
        )
    return SiteConfig(
        site_url=url.rstrip("/") + "/",
        site_name=config.site_name or "",
        directory_urls=bool(config.use_directory_urls),
        language=config.theme.get("language") or "en",
        settings=settings,
        problems=problems,
    )


def read_site_config(root: Path) -> SiteConfig:
    """mkdocs.yml of the project in `root`, loaded and validated by MkDocs; defaults when
    the project has none. InputError names the file when MkDocs refuses it."""
    path = root / CONFIG
    if not path.exists():
        return SiteConfig(site_url=DEFAULT_SITE_URL)
    from mkdocs.config import load_config
    from mkdocs.exceptions import ConfigurationError

    quiet, said = logging.getLogger("mkdocs"), _Said()
    level = quiet.level
    quiet.setLevel(logging.ERROR)  # load_config logs its own INFO lines, and its errors
    quiet.addHandler(said)
    try:
        config = load_config(str(path))
        mismatch = search_mismatch(config)
    except (ConfigurationError, SystemExit) as exc:
        why = "; ".join(said.messages) or str(exc)
        raise InputError([Problem(CONFIG, 0, 0, f"MkDocs refuses it: {why}")]) from None
    finally:
        quiet.removeHandler(said)
        quiet.setLevel(level)
    if mismatch:
        raise InputError([Problem(CONFIG, 0, 0, mismatch)])
    return site_config(config)


class _Said(logging.Handler):
    """The error lines MkDocs logs before it raises a bare "Aborted"."""

    def __init__(self) -> None:
        super().__init__(logging.ERROR)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(record.getMessage())


def search_mismatch(config: Any) -> str:
    """What is wrong when the survey's `search` option and the theme's search plugin
    disagree ("" when they agree)."""
    plugin = config.plugins.get(PLUGIN)
    if plugin is None:
        return ""
    wanted = plugin.config["search"]
    theme = config.plugins.get("material/search") or config.plugins.get("search")
    enabled = bool(theme is not None and theme.config.get("enabled", True))
    if enabled == (wanted == "builtin"):
        return ""
    return (
        f"survey: `search: {wanted}` needs the theme's search plugin "
        f"{'enabled' if wanted == 'builtin' else 'disabled'}: set "
        f"`enabled: {'true' if wanted == 'builtin' else 'false'}` under `- search:`"
    )


def load(
    root: Path, config: SiteConfig | None = None, edited: Mapping[str, str] | None = None
) -> Inputs:
    """Read every input of the project in `root`; raise InputError with every problem of
    every file. `config` defaults to the project's mkdocs.yml. `edited` gives the text of
    some of the files (taxonomy, published.json, papers.yaml, by name) instead of the
    file's: an edit is checked before it is written (generator/edit.py)."""
    config = config or read_site_config(root)
    settings = config.settings
    problems: list[Problem] = list(config.problems)
    texts = _Texts(root, edited or {})
    taxonomy = _taxonomy(texts, settings.taxonomy, problems)
    captured = {s.file: s.captured for s in taxonomy.sources} if taxonomy else {}
    records, dumps = _dumps(root, settings.dumps, captured, problems)
    if taxonomy:
        names = _dump_names(root, settings.dumps)
        for entry in taxonomy.sources:
            if entry.file not in names:
                problems.append(
                    Problem(
                        settings.taxonomy,
                        entry.line,
                        0,
                        f'source "{entry.file}" is not in {settings.dumps}/',
                    )
                )
    manifest = _manifest(texts, problems)
    facts = _metadata(texts, settings.papers, problems)
    if any(p.severity == "error" for p in problems) or taxonomy is None:
        raise InputError([*problems, *(taxonomy.warnings if taxonomy else ())])
    return Inputs(
        records=tuple(records),
        dumps=tuple(dumps),
        taxonomy=taxonomy,
        manifest=tuple(manifest),
        docs=hand_written(root / "docs"),
        config=config,
        problems=tuple(problems),
        facts=facts,
        vectors=_vectors(root / CACHE) if settings.related == "meaning" else None,
    )


def _vectors(folder: Path) -> Vectors:
    """The sentence encoder and the vectors kept in `folder`, for related papers."""
    return Vectors(folder, read_cache(folder), model_digest, read_encoder)


class _Texts:
    """The text inputs of the project in `root`, some of them as edited."""

    def __init__(self, root: Path, edited: Mapping[str, str]) -> None:
        self.root, self.edited = root, edited

    def exists(self, name: str) -> bool:
        return name in self.edited or (self.root / name).exists()

    def read(self, name: str) -> str:
        if name in self.edited:
            return self.edited[name]
        return read_text(self.root / name, name)


def _taxonomy(texts: _Texts, name: str, problems: list[Problem]) -> Taxonomy | None:
    try:
        return load_taxonomy(texts.read(name), name, keep_going=True)
    except InputError as exc:
        problems.extend(exc.problems)
        return None


def _dump_names(root: Path, folder: str) -> set[str]:
    return {p.name for p in (root / folder).glob("*.txt")}


def _dumps(
    root: Path, folder: str, captured: Mapping[str, Any], problems: list[Problem]
) -> tuple[list[RawRecord], list[DumpInfo]]:
    files = sorted((root / folder).glob("*.txt"))
    if not files:
        problems.append(
            Problem(folder, 0, 0, f"no dumps found: put paper listings in {folder}/*.txt")
        )
    records: list[RawRecord] = []
    infos: list[DumpInfo] = []
    for path in files:
        shown = f"{folder}/{path.name}"
        refused = _refused(root, path, shown)
        if refused:
            problems.append(Problem(shown.encode("unicode_escape").decode(), 0, 0, refused))
            continue
        try:
            data = path.read_bytes()
            got, info = parse_dump(decode(data, shown), shown, captured.get(path.name))
        except InputError as exc:
            problems.extend(exc.problems)
            continue
        except OSError as exc:
            problems.append(Problem(shown, 0, 0, f"cannot be read: {exc.strerror}"))
            continue
        records.extend(got)
        infos.append(info)
        problems.extend(p for p in [cut_short(got)] if p is not None)
    return records, infos


def _refused(root: Path, path: Path, shown: str) -> str:
    """Why a dump file is not read ("" when it is read): a name with control characters, a
    link that leads out of the project or nowhere, or something that is not a file."""
    if any(ord(c) < 32 or 127 <= ord(c) < 160 for c in path.name):
        return "the file name holds control characters: rename the dump"
    if path.is_symlink():
        target = path.resolve()
        if not target.exists():
            return "a link to a file that does not exist"
        if not target.is_relative_to(root.resolve()):
            return "a link to a file outside the project: copy the dump into dumps/ instead"
    if not path.is_file():
        return "not a file: a dump is a text file"
    return ""


def _manifest(texts: _Texts, problems: list[Problem]) -> list[Entry]:
    if not texts.exists(MANIFEST):
        return []
    try:
        return parse_manifest(texts.read(MANIFEST), MANIFEST)
    except InputError as exc:
        problems.extend(exc.problems)
        return []


def _metadata(texts: _Texts, name: str, problems: list[Problem]) -> tuple[Facts, ...]:
    if not texts.exists(name):
        return ()
    try:
        return load_metadata(texts.read(name), name)
    except InputError as exc:
        problems.extend(exc.problems)
        return ()


def read_text(path: Path, shown: str) -> str:
    """A text input, decoded as the dumps are; InputError when it is missing."""
    try:
        return decode(path.read_bytes(), shown, shown)
    except FileNotFoundError:
        raise InputError([Problem(shown, 0, 0, "file not found")]) from None
    except OSError as exc:
        raise InputError([Problem(shown, 0, 0, f"cannot be read: {exc.strerror}")]) from None


def hand_written(docs: Path) -> dict[str, str]:
    """The hand-written pages in `docs` (its top-level *.md files), path to text."""
    return {p.name: p.read_text(encoding="utf-8") for p in sorted(docs.glob("*.md"))}
