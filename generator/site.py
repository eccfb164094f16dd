"""The whole build: read the inputs, run every stage, return the pages.

This and the CLI are the only modules that touch the file system.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from .assign import Assignment, assign, validate
from .errors import InputError, Problem
from .ingest import decode, merge, parse_dump
from .model import Corpus, RawRecord, Taxonomy
from .pages import build_pages, check_nothing_lost
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


def read_inputs(
    root: Path, dumps: str = "dumps", taxonomy: str = "taxonomy.yaml"
) -> tuple[list[RawRecord], Corpus, Taxonomy, list[Problem]]:
    """Read and parse every `dumps/*.txt` and the taxonomy; raise InputError with every
    problem of every file."""
    problems: list[Problem] = []
    tax_path = root / taxonomy
    tax: Taxonomy | None = None
    try:
        tax = load_taxonomy(_read_text(tax_path, taxonomy), taxonomy)
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
        raise InputError(problems)
    corpus, warnings = merge(records, infos)
    return records, corpus, tax, [*problems, *warnings, *tax.warnings]


def _read_text(path: Path, shown: str) -> str:
    try:
        return decode(path.read_bytes(), shown)
    except FileNotFoundError:
        raise InputError([Problem(shown, 0, 0, "file not found")]) from None


def build(root: Path, dumps: str = "dumps", taxonomy: str = "taxonomy.yaml") -> Build:
    """Run the whole pipeline on a project folder."""
    records, corpus, tax, warnings = read_inputs(root, dumps, taxonomy)
    assignment = assign(corpus, tax)
    problems = validate(corpus, tax, assignment)
    if any(p.severity == "error" for p in problems):
        raise InputError(problems + warnings)
    links = related(corpus.papers, themes_of=assignment.themes_of, theme_weight=THEME_WEIGHT)
    labels = {f"{dumps}/{s.file}": s.label for s in tax.sources if s.label}
    pages = build_pages(corpus, tax, assignment, links, labels, _hand_written(root / "docs"))
    lost = check_nothing_lost((r.source for r in records), corpus, assignment, pages)
    if lost:
        raise InputError(lost)
    return Build(corpus, tax, assignment, links, pages, tuple(sorted([*warnings, *problems])))


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
