"""Command line of the survey: `python -m generator <command>`.

* `check`: validate the dumps, taxonomy.yaml and published.json and print the coverage
  (`--evaluate` adds the figures measured against evaluation/, `--figures` those and the
  suggesters' held-out figures, `--strict` fails on warnings too);
* `sample`: draw (paper, theme) assignments for a reader to judge;
* `suggest`: themes for unsorted papers and proposed new themes, as YAML to paste;
* `serve`: the live preview, which keeps the last good site when a build fails;
* `pages OUT`: write the complete docs tree (hand-written and generated pages, navigation,
  feeds and data files) into OUT, which any MkDocs-compatible engine builds without the
  survey plugin;
* `export OUT`: write papers.json, papers.csv and themes.json into OUT;
* `urls`: compare published.json with the site (`--update` rewrites it);
* `enrich`: look papers up on arXiv and OpenAlex by title and record the confident
  matches in papers.yaml (see generator/enrich.py);
* `rename-theme`, `move`, `merge` and `suggest --apply`: edit taxonomy.yaml, papers.yaml,
  published.json and evaluation/ safely (see generator/edit.py).
"""

from __future__ import annotations

import argparse
import logging
import shutil
import sys
from collections import Counter
from collections.abc import Callable, Mapping
from functools import partial
from pathlib import Path

from . import edit, enrich
from .assign import oversized
from .changes import changes, changes_report
from .crossval import figures as suggester_figures
from .errors import InputError, Problem
from .evaluate import (
    draw_sample,
    heldout,
    heldout_found,
    heldout_placements,
    membership_agreement,
    pages_figures,
    precision,
    recall,
    related_hits,
    related_pages,
    shared_terms,
    verdict_agreement,
)
from .load import load
from .manifest import MANIFEST
from .model import Score, Survey
from .redirects import current_entries, resolve, updated_manifest
from .site import Build, analyse, compose
from .suggest import MIN_SCORE, as_yaml, suggest
from .urls import checked


def _print_problems(problems: tuple[Problem, ...] | list[Problem]) -> None:
    for problem in problems:
        print(problem, file=sys.stderr)


def report(site: Survey | Build) -> str:
    """The coverage report printed by `check`."""
    corpus, tax, a = site.corpus, site.taxonomy, site.assignment
    lines = ["Dumps"]
    for d in corpus.dumps:
        year = (
            ""
            if d.year_source == "not needed"
            else f"; dates without a year are {d.year} ({d.year_source})"
        )
        lines.append(f"  {d.file}: {d.records} records, {d.layout} layout{year}")
    multi = sum(1 for p in corpus.papers if len(p.sources) > 1)
    lines.append(
        f"  {corpus.record_count} records, {len(corpus.papers)} unique papers "
        f"({multi} found in more than one dump)"
    )
    lines += ["", "Themes (papers in the theme and its sub-themes; direct papers in brackets)"]
    leaf_size = site.taxonomy.leaf_size
    for theme in tax.themes:
        depth = len(tax.ancestors(theme.id))
        flag = ""
        if not a.members[theme.id]:
            flag = "  <- empty"
        elif oversized(theme, len(a.members[theme.id]), leaf_size):
            flag = f"  <- over {leaf_size} papers: split it"
        lines.append(
            f"  {'  ' * depth}{theme.id}: {len(a.members[theme.id])} "
            f"[{len(a.direct[theme.id])}]{flag}"
        )
    n = len(corpus.papers)
    covered = len(a.themes_of)
    lines += ["", f"Coverage: {covered} of {n} papers ({100 * covered / n:.1f}%) are in a theme"]
    spread = Counter(len(t) for t in a.themes_of.values())
    lines.append(
        "  themes per paper: "
        + ", ".join(f"{k}: {spread[k]} papers" for k in sorted(spread))
        + f", 0: {n - covered} papers"
    )
    many = sorted(s for s, t in a.themes_of.items() if len(t) >= 4)
    if many:
        lines.append(f"  in 4 or more themes: {', '.join(many)}")
    if a.outside:
        lines.append(f"  outside the themes, by the curators (outside:, {len(a.outside)}):")
        lines += [f"    {s}: {why}" for s, why in a.outside.items()]
    if a.unsorted:
        lines.append(f"  unsorted ({len(a.unsorted)}):")
        lines += [f"    {s}" for s in a.unsorted]
    return "\n".join(lines)


FIGURES: tuple[tuple[str, str, str, str], ...] = (
    # (judgement file, measure, label, what the share means), in the order printed
    ("related_pairs.yaml", "hits", "related papers, hit@5",
     "of judged pairs have one paper among the other's five related"),
    *pages_figures("related_pages", "related links", "random paper pages", "related links"),
    *pages_figures("related_random", "related links, fresh random pages", "random paper pages"),
    *pages_figures(
        "related_close",
        "related links, pages with a closely related paper",
        "random pages that list one",
    ),
    *pages_figures(
        "related_close_fresh",
        "related links, fresh pages with a closely related paper",
        "random pages that list one",
    ),
    ("shared_terms.yaml", "terms", "shared terms",
     "of the judged terms links still show name a topic"),
    ("shared_terms.yaml", "terms-kept", "  topical terms kept",
     "of the terms judged topical are still shown"),
    ("precision.yaml", "precision", "theme precision",
     "of judged (paper, theme) assignments are correct"),
    ("precision_second.yaml", "precision", "theme precision, second reader",
     "of the same assignments are correct by a second reader"),
    ("precision_second.yaml", "verdicts", "  the two readers agree",
     "on the verdict of the assignments both judged"),
    ("recall.yaml", "recall", "theme recall",
     "of the themes a reader says random papers belong to hold them"),
    ("recall_second.yaml", "recall", "theme recall, second reader",
     "of the themes a second reader says the same papers belong to hold them"),
    ("recall_second.yaml", "memberships", "  the two readers agree",
     "of the memberships either named were named by both"),
    ("heldout.yaml", "heldout", "rules on a held-out dump",
     "of its papers were placed where a reader would, by rules written without it"),
    ("heldout.yaml", "placements", "  of which placements",
     "of the (paper, theme) placements the rules made there are where a reader put it"),
    ("heldout.yaml", "found", "  of which memberships",
     "of the themes a reader chose for its papers were given by the rules"),
)  # fmt: skip


def _measures(site: Build, folder: Path) -> dict[str, Callable[[Path], Score]]:
    assignment, links, taxonomy = site.assignment, site.related, site.taxonomy
    return {
        "hits": partial(related_hits, links=links),
        "pages": partial(related_pages, links=links),
        "pages-close": partial(related_pages, links=links, tier="close"),
        "pages-near": partial(related_pages, links=links, tier="near"),
        "pages-area": partial(related_pages, links=links, tier="area"),
        "terms": partial(shared_terms, links=links, kept=False),
        "terms-kept": partial(shared_terms, links=links, kept=True),
        "precision": partial(precision, assignment=assignment),
        "recall": partial(recall, assignment=assignment),
        "verdicts": partial(verdict_agreement, folder / "precision.yaml"),
        "memberships": partial(membership_agreement, folder / "recall.yaml"),
        "heldout": partial(heldout, taxonomy=taxonomy),
        "placements": partial(heldout_placements, taxonomy=taxonomy),
        "found": partial(heldout_found, taxonomy=taxonomy),
    }


def evaluation_report(site: Build, folder: Path) -> str:
    """Figures measured against the judgements kept in evaluation/."""
    lines = ["", "Evaluation (judgements in evaluation/)"]
    shown = sum(1 for links in site.related.values() if links)
    close = sum(1 for links in site.related.values() if any(x.close for x in links))
    lines.append(
        f"  pages with related links: {shown}/{len(site.related)}; the others are close to "
        f"no paper (related_floor) and show none; {close} list a closely related paper"
    )
    measures = _measures(site, folder)
    for name, measure, label, meaning in FIGURES:
        if (folder / name).exists():
            score = measures[measure](folder / name)
            lines.append(f"  {label}: {score.hits}/{score.total} = {score.share:.1%} {meaning}")
            lines += [f"    {n}" for n in score.notes]
    return "\n".join(lines)


def suggest_report(site: Survey | Build, evaluate: bool) -> str:
    """`suggest`: the YAML snippet, and the leave-one-out figures when asked."""
    papers = site.corpus.papers
    suggestions, proposals = suggest(papers, site.taxonomy, site.assignment)
    text = as_yaml(suggestions, proposals, {p.slug: p.title for p in papers})
    if evaluate:
        lines = suggester_report(site, ("leave-one-out",))
        text += "\n" + "\n".join(f"# {line}" for line in lines) + "\n"
    return text


def suggester_report(
    site: Survey | Build, which: tuple[str, ...] = ("leave-one-out", "each dump held out")
) -> list[str]:
    """The suggesters' held-out figures (generator/crossval.py) by the protocols `which`:
    the classifier that `suggest` uses beside the centroid it is measured against."""
    found = suggester_figures(site.corpus.papers, site.taxonomy, site.assignment, MIN_SCORE, which)
    lines = []
    for protocol in which:
        for method in ("centroid", "classifier"):
            f = found[protocol, method]
            lines.append(
                f"{protocol}, {method}: over {f.total} (paper, theme) pairs, the curated theme "
                f"is the top suggestion for {f.top1} ({_share(f.top1, f.total)}) and among the "
                f"top three for {f.top3} ({_share(f.top3, f.total)}); of the {f.listed} listed "
                f"by hand, {f.listed1} and {f.listed3}"
            )
        f = found[protocol, "classifier"]
        lines.append(
            f"{protocol}, classifier scoring {MIN_SCORE:g} or more (what `suggest --apply` "
            f"writes): right for {f.right} of {f.confident} papers ({_share(f.right, f.confident)})"
        )
    return lines


def _share(hits: int, total: int) -> str:
    return f"{hits / max(total, 1):.1%}"


EXPORTED = ("papers.json", "papers.csv", "themes.json")


def urls_command(site: Survey | Build, root: Path, update: bool) -> int:
    """Report how published.json compares with the site; with `update`, rewrite it."""
    manifest = list(site.inputs.manifest)
    listed = {e.url for e in manifest}
    unrecorded = [e.url for e in current_entries(site.corpus, site.taxonomy) if e.url not in listed]
    moved = resolve(manifest, site.corpus, site.taxonomy)
    print(f"{len(manifest)} published URLs in {MANIFEST}")
    print(f"  {len(unrecorded)} pages of the site are not recorded yet")
    for entry, target in moved:
        print(f"  {entry.url} -> {target.url if target else 'gone (notice page)'}")
    if update:
        (root / MANIFEST).write_text(
            updated_manifest(manifest, site.corpus, site.taxonomy), encoding="utf-8"
        )
        print(f"wrote {MANIFEST}")
    elif unrecorded or any(t is None and not e.gone for e, t in moved):
        print(f"run `python -m generator urls --update` to record them in {MANIFEST}")
    return 0


def write_tree(files: Mapping[str, str], folder: Path) -> None:
    """Write generated files (path under the docs folder to text) into `folder`."""
    for path in sorted(files):
        target = folder / checked(path)
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(files[path], encoding="utf-8")


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m generator", description=__doc__)
    parser.add_argument("--root", type=Path, default=Path("."), help="project folder")
    sub = parser.add_subparsers(dest="command", required=True)
    check = sub.add_parser("check", help="validate dumps and taxonomy.yaml; report coverage")
    check.add_argument("--strict", action="store_true", help="fail on warnings too")
    check.add_argument(
        "--evaluate",
        action="store_true",
        help="also measure related papers and themes against the judgements in evaluation/",
    )
    check.add_argument(
        "--figures",
        action="store_true",
        help="every figure: --evaluate's and the suggesters' held-out figures (slow: the "
        "classifier is trained again for each paper)",
    )
    sample = sub.add_parser("sample", help="draw a random sample for a reader to judge")
    sample.add_argument(
        "--kind",
        choices=("assignments", "papers", "pages", "close"),
        default="assignments",
        help="(paper, theme) assignments (precision.yaml), papers and the themes they belong"
        " to (recall.yaml), paper pages and their related links (related_pages.yaml), or"
        " such pages among those that list a closely related paper (related_close.yaml)",
    )
    sample.add_argument("--n", type=int, default=50)
    sample.add_argument("--seed", type=int, default=20261122)
    suggest_cmd = sub.add_parser(
        "suggest", help="themes for unsorted papers and proposed new themes, as YAML to paste"
    )
    suggest_cmd.add_argument(
        "--evaluate",
        action="store_true",
        help="also measure the suggestions by leave-one-out over every (paper, theme) pair",
    )
    edit.add_apply_arguments(suggest_cmd)
    serve_cmd = sub.add_parser(
        "serve", help="live preview that keeps serving the last good site when a build fails"
    )
    serve_cmd.add_argument("--host", default="127.0.0.1")
    serve_cmd.add_argument("--port", type=int, default=8000)
    serve_cmd.add_argument("--site-dir", type=Path, default=Path(".preview"))
    pages = sub.add_parser("pages", help="write the generated pages into a folder")
    pages.add_argument("out", type=Path)
    export = sub.add_parser("export", help="write papers.json, papers.csv and themes.json")
    export.add_argument("out", type=Path)
    urls = sub.add_parser("urls", help=f"compare the published URLs in {MANIFEST} with the site")
    sub.add_parser("changes", help=f"what changed since the last publish ({MANIFEST})")
    urls.add_argument("--update", action="store_true", help=f"rewrite {MANIFEST}")
    enrich.add_parser(sub)
    edit.add_parsers(sub)
    return parser


def main(argv: list[str] | None = None) -> int:
    """Run the command line; returns the exit status."""
    args = _parser().parse_args(argv)
    root = args.root.resolve()
    if args.command == "serve":
        from .preview import serve

        logging.basicConfig(format="%(levelname)-8s-  %(message)s", level=logging.INFO)
        serve(root, args.site_dir.resolve(), args.host, args.port)
        return 0
    # Only what renders pages or measures related papers pays for them.
    full = (
        args.command in ("pages", "export")
        or (args.command == "check" and (args.evaluate or args.figures))
        or (args.command == "sample" and args.kind in ("pages", "close"))
    )
    try:
        inputs = load(root)
        site: Survey | Build = compose(inputs) if full else analyse(inputs)
    except InputError as exc:
        _print_problems(exc.problems)
        errors = sum(1 for p in exc.problems if p.severity == "error")
        print(f"{errors} error(s); nothing was built", file=sys.stderr)
        return 1
    _print_problems(site.warnings)
    status = _run(args, site, root)
    warned = [p for p in site.warnings if p.severity == "warning"]
    if status == 0 and warned and getattr(args, "strict", False):
        print(f"{len(warned)} warning(s), and --strict is on", file=sys.stderr)
        return 1
    return status


def _run(args: argparse.Namespace, site: Survey | Build, root: Path) -> int:
    if edit.wanted(args) and isinstance(site, Survey):
        return edit.run(args, site, root)
    if args.command == "suggest":
        print(suggest_report(site, args.evaluate))
    elif args.command == "sample":
        related = site.related if isinstance(site, Build) else {}
        print(draw_sample(site, related, args.kind, args.n, args.seed))
    elif args.command == "changes":
        found = changes(list(site.inputs.manifest), site.corpus, site.taxonomy, site.assignment)
        print(changes_report(found, site.taxonomy))
    elif args.command == "urls":
        return urls_command(site, root, args.update)
    elif args.command == "enrich":
        return enrich.enrich(site, root, enrich.options_from(args))
    elif isinstance(site, Build) and args.command == "export":
        write_tree({k: v for k, v in site.files.items() if k in EXPORTED}, args.out)
        print(f"wrote {', '.join(EXPORTED)} to {args.out}")
    elif isinstance(site, Build) and args.command == "pages":
        write_docs(site, root / "docs", args.out)
        print(f"wrote {len(site.pages)} generated pages and the hand-written docs to {args.out}")
    else:
        print(report(site))
        if isinstance(site, Build):
            print(evaluation_report(site, root / "evaluation"))
        if isinstance(site, Build) and getattr(args, "figures", False):
            print("\nSuggestions, on papers they did not learn from (generator/crossval.py)")
            print("\n".join(f"  {line}" for line in suggester_report(site)))
    return 0


def write_docs(site: Build, docs: Path, out: Path) -> None:
    """The complete docs tree: the hand-written docs folder, then every generated page,
    the navigation, feeds, data files and redirects."""
    if docs.is_dir():
        shutil.copytree(docs, out, dirs_exist_ok=True)
    write_tree({**{p: site.pages[p] for p in site.pages}, **site.files}, out)
