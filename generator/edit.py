"""Commands that edit the survey's inputs for the maintainer, safely:

* `rename-theme OLD NEW [--title T]`: the theme's id (and title) in taxonomy.yaml, every
  summary link to it, the judged items of evaluation/ that name it, and published.json,
  which records that the old page (and so its feed, feed-OLD.xml) leads to the new one;
* `move PAPER --from A --to B`: the paper leaves A (out of its `papers:`, into its
  `exclude:` when a rule of A still claims it) and is listed in B's `papers:`;
* `suggest --apply [SLUG ...] [--min-score S]`: the confident suggestions of `suggest` (or
  the named papers') written into the themes' `papers:`;
* `merge KEEP DUPLICATE`: `KEEP: {merge: [DUPLICATE]}` in papers.yaml, and every mention of
  DUPLICATE in taxonomy.yaml and evaluation/ made a mention of KEEP.

Each edits YAML round trip (generator/yamledit.py: comments, order, quoting and block
scalars kept, the lines it does not change byte for byte), prints a unified diff of every
file it changes, and reads the result back with the project's own loader and analysis:
with any error, nothing is written. `--dry-run` prints the diff and writes nothing. Files
are replaced in one step each, and only inside the project folder.
"""

from __future__ import annotations

import argparse
import dataclasses
import sys
from collections.abc import Iterable
from pathlib import Path

from ruamel.yaml.comments import CommentedMap, CommentedSeq

from .assign import assign
from .checks import Names, paper_rank
from .errors import Problem
from .ingest import published_slugs
from .manifest import MANIFEST, edited_manifest
from .metadata import SLUG
from .model import Entry, Survey
from .redirects import renames, resolve
from .saving import EditError, Project, finish
from .suggest import MIN_SCORE, suggest
from .urls import RESERVED, paper_url, theme_url
from .yamledit import (
    LAYOUTS,
    Document,
    YamlEditError,
    add_to_list,
    dump,
    has_data,
    relink,
    remove_from_list,
    rename_values,
    set_text,
    theme,
    themes,
)

COMMANDS = ("rename-theme", "move", "merge")
_EXPECTED = ("expect", "also")
"""The keys of evaluation/search_queries.yaml that name pages by URL."""
_PAPERS_KEYS = ("exclude", "children")
"""A new `papers:` goes before the first of these keys of its theme."""


def add_parsers(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """The editing commands, on the command line's subcommands."""
    rename = sub.add_parser("rename-theme", help="rename a theme; its old page and feed redirect")
    rename.add_argument("old", metavar="OLD", help="the theme's id now")
    rename.add_argument("new", metavar="NEW", help="its new id")
    rename.add_argument("--title", help="its new title, too")
    move = sub.add_parser("move", help="move a paper from one theme to another")
    move.add_argument("paper", metavar="PAPER", help="the paper's slug")
    move.add_argument("--from", dest="source", required=True, metavar="A", help="theme it leaves")
    move.add_argument("--to", dest="target", required=True, metavar="B", help="theme it joins")
    merge = sub.add_parser("merge", help="fold a near-duplicate paper into another")
    merge.add_argument("keep", metavar="KEEP", help="the slug that stays")
    merge.add_argument("duplicate", metavar="DUPLICATE", help="the slug merged into it")
    for parser in (rename, move, merge):
        dry_run(parser)


def dry_run(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--dry-run", action="store_true", help="print the diff of the edit and write nothing"
    )


def add_apply_arguments(parser: argparse.ArgumentParser) -> None:
    """`suggest --apply`'s arguments, on the `suggest` command."""
    parser.add_argument(
        "--apply", action="store_true", help="write the suggestions into the themes' papers:"
    )
    parser.add_argument("slugs", nargs="*", metavar="SLUG", help="apply only these papers'")
    parser.add_argument(
        "--min-score",
        type=float,
        help=f"apply suggestions scoring at least this (default {MIN_SCORE}; 0 for named papers)",
    )
    dry_run(parser)


def wanted(args: argparse.Namespace) -> bool:
    """Whether the command line asks for an edit."""
    if args.command == "suggest":
        return bool(args.apply or args.slugs or args.min_score is not None or args.dry_run)
    return args.command in COMMANDS


def run(args: argparse.Namespace, survey: Survey, root: Path) -> int:
    """Make the edit the command line asks for; the exit status."""
    project = Project(root, survey)
    try:
        if args.command == "rename-theme":
            rename_theme(project, args.old, args.new, args.title)
        elif args.command == "move":
            move(project, args.paper, args.source, args.target)
        elif args.command == "merge":
            merge(project, args.keep, args.duplicate)
        elif not args.apply:
            raise EditError(
                [Problem("suggest", 0, 0, "SLUG, --min-score and --dry-run need --apply")]
            )
        elif not apply_suggestions(project, args.slugs, args.min_score):
            return 0
        return finish(project, args.dry_run)
    except YamlEditError as exc:
        print(Problem(project.taxonomy, exc.line, 0, exc.message), file=sys.stderr)
        print("nothing was written", file=sys.stderr)
        return 1
    except EditError as exc:
        for problem in exc.problems:
            print(problem, file=sys.stderr)
        print("nothing was written", file=sys.stderr)
        return 1


def _names(survey: Survey) -> Names:
    """What `check` knows to hint at an unknown name: aliases, renames published.json
    records, the closest names (published papers first)."""
    corpus, tax, manifest = survey.corpus, survey.taxonomy, list(survey.inputs.manifest)
    return Names(
        corpus.by_slug(),
        tax.by_id(),
        {a: p.slug for p in corpus.papers for a in p.aliases},
        renames(manifest, corpus, tax),
        paper_rank(corpus, published_slugs(manifest).values()),
    )


def _theme_problem(project: Project, theme_id: str) -> Problem | None:
    if theme_id in project.survey.taxonomy.by_id():
        return None
    hint = _names(project.survey).hint("themes", theme_id)
    return Problem(project.taxonomy, 0, 0, f'no theme has the id "{theme_id}"{hint}')


def _paper_problem(project: Project, slug: str, where: str) -> Problem | None:
    if slug in project.survey.corpus.by_slug():
        return None
    hint = _names(project.survey).hint("papers", slug)
    return Problem(where, 0, 0, f'no paper has the slug "{slug}"{hint}')


def _refuse(problems: Iterable[Problem | None]) -> None:
    found = [p for p in problems if p is not None]
    if found:
        raise EditError(found)


def rename_theme(project: Project, old: str, new: str, title: str | None) -> None:
    """Edit taxonomy.yaml, evaluation/ and published.json for the rename of `old` to `new`."""
    tax = project.survey.taxonomy
    by_id = tax.by_id()
    _refuse([_theme_problem(project, old)])
    if new in by_id:
        _refuse([Problem(tax.path, by_id[new].line, 0, f'theme "{new}" exists already')])
    if not SLUG.fullmatch(new) or new in RESERVED:
        why = (
            "is reserved: it names a page or folder of the site; choose another"
            if new in RESERVED
            else 'is not a theme id: write lowercase letters and digits joined by "-"'
        )
        _refuse([Problem(tax.path, 0, 0, f'"{new}" {why}')])
    if title is not None and not title.strip():
        _refuse([Problem(tax.path, by_id[old].line, 0, "--title is empty: give the new title")])
    doc = project.document(tax.path)
    mapping = theme(doc.data, old)
    assert mapping is not None  # the taxonomy was loaded with this theme
    set_text(mapping, "id", new)
    if title is not None:
        set_text(mapping, "title", title)
    relink(doc.data, "themes", old, new)
    project.set(tax.path, doc.text())
    for name in project.evaluation():
        judged = project.document(name)
        found = rename_values(judged.data, ("theme",), old, new)
        found += rename_values(judged.data, _EXPECTED, theme_url(old), theme_url(new))
        if found:
            project.set(name, judged.text())
    manifest = renamed_manifest(project.read(MANIFEST), project.survey, old, new, title)
    project.set(MANIFEST, manifest)


def renamed_manifest(text: str, survey: Survey, old: str, new: str, title: str | None) -> str:
    """published.json after the rename: the old URL, and every former URL that led to it,
    recorded as leading to the new one by name (`to`), so that a changed title does not
    lose it; sub-themes' recorded parent follows the new id."""
    renamed = survey.taxonomy.by_id()[old]
    old_url, new_url = theme_url(old), theme_url(new)
    now = Entry("theme", new_url, title or renamed.title, parent=renamed.parent)
    manifest = list(survey.inputs.manifest)
    leading = {
        e.url
        for e, target in resolve(manifest, survey.corpus, survey.taxonomy)
        if target is not None and target.url == old_url
    }
    entries: dict[str, Entry] = {}
    for entry in manifest:
        if entry.kind == "theme" and (entry.url in leading or entry.to == old_url):
            entry = dataclasses.replace(now, url=entry.url, to=new_url)
        elif entry.kind == "theme" and entry.parent == old:
            entry = dataclasses.replace(entry, parent=new)
        entries[entry.url] = entry
    entries[old_url] = dataclasses.replace(now, url=old_url, to=new_url)
    entries[new_url] = now
    return edited_manifest(text, manifest, entries.values())


def move(project: Project, slug: str, source: str, target: str) -> None:
    """Edit taxonomy.yaml so that the paper leaves `source` and is listed in `target`."""
    survey = project.survey
    tax, why = survey.taxonomy, survey.assignment.why
    _refuse(
        [
            _paper_problem(project, slug, tax.path),
            _theme_problem(project, source),
            _theme_problem(project, target),
        ]
    )
    if source == target:
        _refuse([Problem(tax.path, 0, 0, f'--from and --to are both "{source}"')])
    if (slug, source) not in why:
        _refuse([_not_in(project, slug, source)])
    doc = project.document(tax.path)
    leaving, joining = theme(doc.data, source), theme(doc.data, target)
    assert leaving is not None and joining is not None
    remove_from_list(leaving, "papers", slug)
    if _claimed_without_listing(survey, source, slug):
        add_to_list(leaving, "exclude", slug, ("children",))
    remove_from_list(joining, "exclude", slug)
    add_to_list(joining, "papers", slug, _PAPERS_KEYS)
    project.set(tax.path, doc.text())


def _not_in(project: Project, slug: str, theme_id: str) -> Problem:
    tax, assignment = project.survey.taxonomy, project.survey.assignment
    mine = assignment.themes_of.get(slug, ())
    below = [t for t in mine if theme_id in tax.ancestors(t)]
    if below:
        why = f'it is there through its sub-theme "{below[0]}": move it --from {below[0]}'
    else:
        why = f"it is in {', '.join(mine)}" if mine else "it is in no theme (unsorted)"
    return Problem(
        tax.path, tax.by_id()[theme_id].line, 0, f'"{slug}" is not in "{theme_id}"; {why}'
    )


def _claimed_without_listing(survey: Survey, theme_id: str, slug: str) -> bool:
    """Whether the theme's own rules (keywords, title keywords) claim the paper once it is
    no longer in the theme's `papers:`."""
    own = survey.taxonomy.by_id()[theme_id]
    rules = dataclasses.replace(own.rules, papers=tuple(p for p in own.rules.papers if p != slug))
    alone = dataclasses.replace(own, rules=rules, parent=None, children=())
    tax = dataclasses.replace(survey.taxonomy, themes=(alone,), roots=(theme_id,))
    return (slug, theme_id) in assign(survey.corpus, tax).why


def apply_suggestions(project: Project, slugs: list[str], min_score: float | None) -> bool:
    """Edit taxonomy.yaml with the suggestions for the unsorted papers (those of `slugs`
    when given) that score at least `min_score`; False when there is none."""
    survey = project.survey
    tax, assignment = survey.taxonomy, survey.assignment
    _refuse(_paper_problem(project, s, tax.path) for s in slugs)
    placed = [s for s in slugs if s not in assignment.unsorted]
    _refuse(
        Problem(
            tax.path,
            0,
            0,
            f'"{s}" is not unsorted: it is in '
            f"{', '.join(assignment.themes_of[s])}; use `move` to change its theme",
        )
        for s in placed
    )
    floor = min_score if min_score is not None else (0.0 if slugs else MIN_SCORE)
    found = suggest(survey.corpus.papers, tax, assignment)[0]
    chosen = [s for s in found if (s.slug in slugs or not slugs) and s.score >= floor]
    by_id = tax.by_id()
    for s in [s for s in chosen if s.slug in by_id[s.theme].rules.exclude]:
        print(f"{s.slug}: not applied, the exclude: of {s.theme} names it", file=sys.stderr)
    chosen = [s for s in chosen if s.slug not in by_id[s.theme].rules.exclude]
    if not chosen:
        print(f"no suggestion to apply scores {floor:g} or more", file=sys.stderr)
        return False
    doc = project.document(tax.path)
    for suggestion in chosen:
        mapping = theme(doc.data, suggestion.theme)
        assert mapping is not None
        add_to_list(mapping, "papers", suggestion.slug, _PAPERS_KEYS)
        print(
            f"{suggestion.slug} -> {suggestion.theme} (score {suggestion.score:.2f})",
            file=sys.stderr,
        )
    project.set(tax.path, doc.text())
    return True


def merge(project: Project, keep: str, duplicate: str) -> None:
    """Edit papers.yaml to merge `duplicate` into `keep`, and taxonomy.yaml and evaluation/
    to name `keep` where they named `duplicate`."""
    names = project.papers
    _refuse([_paper_problem(project, keep, names), _paper_problem(project, duplicate, names)])
    if keep == duplicate:
        _refuse([Problem(names, 0, 0, f'KEEP and DUPLICATE are both "{keep}"')])
    facts = project.document(names) if has_data(project.read(names)) else None
    project.set(names, merged_papers(project.read(names), facts, keep, duplicate))
    own = next((f for f in project.survey.inputs.facts if f.slug == duplicate), None)
    if own is not None:
        print(
            Problem(
                names,
                own.line,
                0,
                f'"{duplicate}" has its own entry: once merged, its '
                f'fields no longer apply; move what holds to "{keep}"',
                "warning",
            ),
            file=sys.stderr,
        )
    doc = project.document(project.taxonomy)
    for mapping in themes(doc.data):
        for key in ("papers", "exclude"):
            listed = mapping.get(key)
            if isinstance(listed, list) and duplicate in listed:
                if keep in listed:
                    remove_from_list(mapping, key, duplicate)
                else:
                    listed[listed.index(duplicate)] = keep
    outside = doc.data.get("outside")
    if isinstance(outside, list):  # the decision on the duplicate is one on the same paper
        named = [e for e in outside if isinstance(e, dict) and e.get("paper") == duplicate]
        for entry in named:
            if any(isinstance(e, dict) and e.get("paper") == keep for e in outside):
                outside.remove(entry)
            else:
                entry["paper"] = keep
    relink(doc.data, "papers", duplicate, keep)
    project.set(project.taxonomy, doc.text())
    for name in project.evaluation():
        judged = project.document(name)
        found = rename_values(judged.data, ("slug", "a", "b"), duplicate, keep)
        found += rename_values(judged.data, _EXPECTED, paper_url(duplicate), paper_url(keep))
        if found:
            project.set(name, judged.text())


def merged_papers(text: str, doc: Document | None, keep: str, duplicate: str) -> str:
    """papers.yaml with `duplicate` in the `merge:` list of `keep`'s entry (a new entry at
    the end when there is none)."""
    data = doc.data if doc is not None else CommentedMap()
    if not isinstance(data, CommentedMap):
        raise EditError([Problem(doc.name if doc else "", 1, 0, "expected a mapping of slugs")])
    entry = data.get(keep)
    if isinstance(entry, CommentedMap):
        add_to_list(entry, "merge", duplicate, ())
    else:
        fresh, new = CommentedMap(), keep not in data
        fresh["merge"] = CommentedSeq([duplicate])
        fresh["merge"].fa.set_flow_style()
        data[keep] = fresh  # `keep:` with nothing under it is filled in where it is
        if new and (len(data) > 1 or text.strip()):
            data.yaml_set_comment_before_after_key(keep, before="\n", indent=0)
    if doc is not None:
        return doc.text()
    return text + ("" if not text or text.endswith("\n") else "\n") + dump(data, LAYOUTS[0])
