"""Command line: `python -m generator check | pages`."""

from __future__ import annotations

import argparse
import sys
from collections import Counter
from pathlib import Path

from .errors import InputError, Problem
from .site import Build, build, write_pages


def _print_problems(problems: tuple[Problem, ...] | list[Problem]) -> None:
    for problem in problems:
        print(problem, file=sys.stderr)


def report(site: Build) -> str:
    """The coverage report printed by `check`."""
    corpus, tax, a = site.corpus, site.taxonomy, site.assignment
    lines = ["Dumps"]
    for d in corpus.dumps:
        year = "" if d.year_source == "not needed" else f"; dates without a year are {d.year} ({d.year_source})"
        lines.append(f"  {d.file}: {d.records} records, {d.layout} layout{year}")
    multi = sum(1 for p in corpus.papers if len(p.sources) > 1)
    lines.append(
        f"  {corpus.record_count} records, {len(corpus.papers)} unique papers "
        f"({multi} found in more than one dump)"
    )
    lines += ["", "Themes (papers in the theme and its sub-themes; direct papers in brackets)"]
    by_id = tax.by_id()
    for theme in tax.themes:
        depth = 0
        parent = theme.parent
        while parent:
            depth += 1
            parent = by_id[parent].parent
        flag = ""
        if not a.members[theme.id]:
            flag = "  <- empty"
        elif not theme.children and len(a.members[theme.id]) > 60:
            flag = "  <- over 60 papers: split it"
        lines.append(
            f"  {'  ' * depth}{theme.id}: {len(a.members[theme.id])} [{len(a.direct[theme.id])}]{flag}"
        )
    n = len(corpus.papers)
    covered = n - len(a.unsorted)
    lines += ["", f"Coverage: {covered} of {n} papers ({100 * covered / n:.1f}%) are in a theme"]
    spread = Counter(len(t) for t in a.themes_of.values())
    lines.append(
        "  themes per paper: "
        + ", ".join(f"{k}: {spread[k]} papers" for k in sorted(spread))
        + f", 0: {len(a.unsorted)} papers"
    )
    many = sorted(s for s, t in a.themes_of.items() if len(t) >= 4)
    if many:
        lines.append(f"  in 4 or more themes: {', '.join(many)}")
    if a.unsorted:
        lines.append(f"  unsorted ({len(a.unsorted)}):")
        lines += [f"    {s}" for s in a.unsorted]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    """Run the command line; returns the exit status."""
    parser = argparse.ArgumentParser(prog="python -m generator", description=__doc__)
    parser.add_argument("--root", type=Path, default=Path("."), help="project folder")
    sub = parser.add_subparsers(dest="command", required=True)
    check = sub.add_parser("check", help="validate dumps and taxonomy.yaml; report coverage")
    check.add_argument("--strict", action="store_true", help="fail on warnings too")
    pages = sub.add_parser("pages", help="write the generated pages into a folder")
    pages.add_argument("out", type=Path)
    args = parser.parse_args(argv)

    try:
        site = build(args.root.resolve())
    except InputError as exc:
        _print_problems(exc.problems)
        errors = sum(1 for p in exc.problems if p.severity == "error")
        print(f"{errors} error(s); nothing was built", file=sys.stderr)
        return 1
    _print_problems(site.warnings)
    if args.command == "pages":
        write_pages(site.pages, args.out)
        print(f"wrote {len(site.pages)} pages to {args.out}")
    else:
        print(report(site))
    if site.warnings and getattr(args, "strict", False):
        print(f"{len(site.warnings)} warning(s), and --strict is on", file=sys.stderr)
        return 1
    return 0
