"""The whole build: read the inputs, run every stage, return the pages.

This and the CLI are the only modules that touch the file system.
"""

from __future__ import annotations

import logging
import os
import re
import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from .assign import Assignment, assign, validate
from .errors import InputError, Problem
from .export import export_files
from .feeds import feed_files
from .ingest import decode, merge, parse_dump
from .maintainers import maintainers_page
from .model import Corpus, RawRecord, Taxonomy
from .pages import build_pages, check_nothing_lost
from .redirects import MANIFEST, Entry, parse_manifest, redirect_files
from .related import Link, related
from .taxonomy import load_taxonomy

log = logging.getLogger("mkdocs.plugins.survey")

# Weight of shared themes next to text similarity; measured with `python -m generator check`
# against evaluation/related_pairs.yaml (hit@5: 30/40 without, 35/40 at 0.05).
THEME_WEIGHT = 0.05


@dataclass(frozen=True)
class Build:
    """Everything a build produced."""

    corpus: Corpus
    """The merged papers."""
    taxonomy: Taxonomy
    """The loaded taxonomy."""
    assignment: Assignment
    """Papers per theme and themes per paper."""
    related: Mapping[str, tuple[Link, ...]]
    """Related papers per slug."""
    pages: Mapping[str, str]
    """Generated Markdown per path under the docs folder."""
    warnings: tuple[Problem, ...]
    """Problems that do not stop a build, unless it is strict."""
    files: Mapping[str, str] = field(default_factory=dict)
    """Generated files that are not pages (feeds, data, redirects) per path under the docs
    folder; MkDocs copies them as they are."""


def read_inputs(
    root: Path, dumps: str = "dumps", taxonomy: str = "taxonomy.yaml"
) -> tuple[list[RawRecord], Corpus, Taxonomy, list[Problem]]:
    """Read and parse every `dumps/*.txt` and the taxonomy; raise InputError with every
    problem of every file."""
    problems: list[Problem] = []
    tax_path = root / taxonomy
    tax: Taxonomy | None = None
    try:
        tax = load_taxonomy(_read_text(tax_path, taxonomy), taxonomy, keep_going=True)
    except InputError as exc:
        problems.extend(exc.problems)
    captured = {s.file: s.captured for s in tax.sources} if tax else {}
    files = sorted((root / dumps).glob("*.txt"))
    if not files:
        problems.append(
            Problem(dumps, 0, 0, f"no dumps found: put paper listings in {dumps}/*.txt")
        )
    records: list[RawRecord] = []
    infos = []
    for path in files:
        shown = f"{dumps}/{path.name}"
        try:
            text = decode(path.read_bytes(), shown)
            got, info = parse_dump(text, shown, captured.get(path.name))
        except InputError as exc:
            problems.extend(exc.problems)
            continue
        records.extend(got)
        infos.append(info)
    if tax:
        names = {p.name for p in files}
        for entry in tax.sources:
            if entry.file not in names:
                problems.append(
                    Problem(taxonomy, entry.line, 0, f'source "{entry.file}" is not in {dumps}/')
                )
    if any(p.severity == "error" for p in problems) or tax is None:
        raise InputError([*problems, *(tax.warnings if tax else ())])
    corpus, warnings = merge(records, infos)
    if any(p.severity == "error" for p in tax.warnings):
        # report what the papers reveal too (unknown references, broken links) in this run
        more = validate(corpus, tax, assign(corpus, tax))
        raise InputError([*problems, *tax.warnings, *more])
    return records, corpus, tax, [*problems, *warnings, *tax.warnings]


def _read_text(path: Path, shown: str) -> str:
    try:
        return decode(path.read_bytes(), shown)
    except FileNotFoundError:
        raise InputError([Problem(shown, 0, 0, "file not found")]) from None


def build(
    root: Path,
    dumps: str = "dumps",
    taxonomy: str = "taxonomy.yaml",
    site_url: str | None = None,
    directory_urls: bool = True,
) -> Build:
    """Run the whole pipeline on a project folder; `site_url` (for feeds and data) defaults
    to mkdocs.yml's; `directory_urls` is mkdocs.yml's `use_directory_urls`."""
    # A few INFO lines, one per stage, so a long build shows what it is doing.
    clock = time.perf_counter()
    records, corpus, tax, warnings = read_inputs(root, dumps, taxonomy)
    clock = _progress(
        clock,
        f"parsed {len(records)} records from {len(corpus.dumps)} dumps "
        f"into {len(corpus.papers)} papers",
    )
    assignment = assign(corpus, tax)
    problems = validate(corpus, tax, assignment)
    if any(p.severity == "error" for p in problems):
        raise InputError(problems + warnings)
    clock = _progress(
        clock,
        f"assigned {len(corpus.papers) - len(assignment.unsorted)} papers to "
        f"{len(tax.themes)} themes, {len(assignment.unsorted)} unsorted",
    )
    links = related(corpus.papers, themes_of=assignment.themes_of, theme_weight=THEME_WEIGHT)
    clock = _progress(clock, f"found related papers for {len(links)} papers")
    labels = {f"{dumps}/{s.file}": s.label for s in tax.sources if s.label}
    extra = [*_hand_written(root / "docs"), ("Maintainers' page", "maintainers.md")]
    pages = build_pages(corpus, tax, assignment, links, labels, extra, directory_urls)
    pages.update(maintainers_page(corpus, tax, assignment, [*warnings, *problems]))
    lost = check_nothing_lost((r.source for r in records), corpus, assignment, pages)
    if lost:
        raise InputError(lost)
    clock = _progress(clock, f"rendered {len(pages)} pages")
    url = site_url or read_site_url(root)
    moved, stale = redirect_files(read_manifest(root), corpus, tax, url)
    files = {
        **export_files(corpus, tax, assignment, url),
        **feed_files(corpus, tax, assignment, url),
        **moved,
    }
    _progress(clock, f"wrote {len(files)} feeds, data files and redirects")
    found = tuple(sorted([*warnings, *problems, *stale]))
    return Build(corpus, tax, assignment, links, pages, found, files)


DEFAULT_SITE_URL = "http://127.0.0.1:8000/"


def read_site_url(root: Path) -> str:
    """mkdocs.yml's site_url, else MkDocs' own preview address. (Read with a regex: the file
    holds Python tags that yaml.safe_load refuses.)"""
    try:
        text = (root / "mkdocs.yml").read_text(encoding="utf-8")
    except FileNotFoundError:
        return DEFAULT_SITE_URL
    match = re.search(r"^site_url:\s*[\"']?([^\s\"'#]+)", text, re.MULTILINE)
    return match.group(1).rstrip("/") + "/" if match else DEFAULT_SITE_URL


def read_manifest(root: Path) -> list[Entry]:
    """The published URLs recorded in published.json; none when the file does not exist."""
    path = root / MANIFEST
    if not path.exists():
        return []
    return parse_manifest(_read_text(path, MANIFEST), MANIFEST)


def _progress(since: float, done: str) -> float:
    """Log one finished stage with its duration; return the time it ended."""
    now = time.perf_counter()
    log.info("survey: %s (%.1f s)", done, now - since)
    return now


def _hand_written(docs: Path) -> list[tuple[str, str]]:
    """(title, path) of the hand-written pages in docs/, for the navigation."""
    out = []
    for path in sorted(docs.glob("*.md")):
        text = path.read_text(encoding="utf-8")
        heading = next(
            (ln[2:].strip() for ln in text.splitlines() if ln.startswith("# ")), path.stem
        )
        out.append((heading, path.name))
    return out


def write_pages(pages: Mapping[str, str], folder: Path) -> None:
    """Write generated pages into a folder, for engines that cannot run gen-files."""
    for path, text in sorted(pages.items()):
        target = folder / path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8")


def project_root() -> Path:
    """The folder holding taxonomy.yaml: $SURVEY_ROOT, else the working directory."""
    return Path(os.environ.get("SURVEY_ROOT", ".")).resolve()


def link_site_config(root: Path, folder: Path) -> None:
    """Give the project in `folder` the site configuration of the one in `root` (for test
    and benchmark copies): mkdocs.yml, unless `folder` has its own, and links to the theme
    overrides and to the generator package, which mkdocs.yml names by path and MkDocs imports
    from the project's folder."""
    if not (folder / "mkdocs.yml").exists():
        (folder / "mkdocs.yml").write_bytes((root / "mkdocs.yml").read_bytes())
    for name in ("overrides", "generator"):
        (folder / name).symlink_to(root / name, target_is_directory=True)
