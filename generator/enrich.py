"""`python -m generator enrich`: find the arXiv or OpenAlex record of each paper by its
title and record its identifiers, authors and date in papers.yaml.

Only papers whose papers.yaml entry has neither `arxiv` nor `doi` are looked up (nor
papers another entry merges away); a maintainer's corrected `title` is searched instead of
the dump's. arXiv is asked first; OpenAlex when arXiv has no candidate close enough. A
match is written only when it is confident (`generator.titlematch.judge`); a paper whose
lookup failed gets nothing written, and the exit status is 1 when any lookup failed. The
build never calls this: it runs on its own, by hand or from the weekly workflow.
"""

from __future__ import annotations

import argparse
import datetime as dt
import difflib
import os
import sys
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from .errors import InputError
from .metadata import ARXIV, DOI, OPENALEX, load_metadata
from .model import Paper, Survey
from .papersfile import (
    PAPERS,
    PapersFile,
    PapersFileError,
    read_papers,
    record,
    render,
    write_papers,
)
from .scholarly import (
    ARXIV_DELAY,
    ARXIV_URL,
    OPENALEX_URL,
    ArxivSearch,
    LookupFailed,
    OpenAlexSearch,
    Services,
)
from .site import Build
from .titlematch import AMBIGUITY_MARGIN, DEFAULT_THRESHOLD, Candidate, Scored, Verdict, judge

Search = Callable[[str], list[Candidate]]
SOURCES = {"arxiv": ("arxiv",), "openalex": ("openalex",), "both": ("arxiv", "openalex")}
_SERVICE_NAMES = {"arxiv": "arXiv", "openalex": "OpenAlex"}
STOP_AFTER_FAILURES = 5
"""Failed lookups in a row after which the run stops (and reports what it has)."""


@dataclass(frozen=True)
class Options:
    dry_run: bool = False
    limit: int | None = None
    threshold: float = DEFAULT_THRESHOLD
    source: str = "both"
    services: Services = field(default_factory=Services)


@dataclass(frozen=True)
class Outcome:
    """What the lookup of one paper came to."""

    slug: str
    kind: str
    """"matched", "ambiguous", "unmatched" or "failed"."""
    verdict: Verdict | None = None
    error: str = ""
    """For "failed": the service and what went wrong."""


def look_up(
    slug: str,
    title: str,
    authors_count: int | None,
    searches: Iterable[tuple[str, Search]],
    threshold: float,
) -> Outcome:
    """Ask each service in turn until one has a confident or an ambiguous answer; a failed
    search ends the lookup, since the services after it cannot say what it missed."""
    closest: Verdict | None = None
    for name, search in searches:
        try:
            candidates = search(title)
        except LookupFailed as exc:
            return Outcome(slug, "failed", error=f"{name}: {exc}")
        except Exception as exc:  # a client's own bug must not end the run
            return Outcome(slug, "failed", error=f"{name}: {type(exc).__name__}: {exc}")
        verdict = judge(title, authors_count, candidates, threshold)
        if verdict.kind != "unmatched":
            return Outcome(slug, verdict.kind, verdict)
        if closest is None or _closeness(verdict) > _closeness(closest):
            closest = verdict
    return Outcome(slug, "unmatched", closest)


def _closeness(verdict: Verdict) -> float:
    return verdict.best.similarity if verdict.best else -1.0


def found_fields(candidate: Candidate) -> dict[str, object]:
    """The papers.yaml fields a confident match gives; an identifier papers.yaml would
    refuse (generator/metadata.py) is left out."""
    service = candidate.service
    fields: dict[str, object] = {
        "arxiv": candidate.id if service == "arxiv" else None,
        "doi": candidate.doi,
        "openalex": candidate.id if service == "openalex" else None,
        "authors": list(candidate.authors),
        "published": candidate.published,
    }
    for name, pattern in (("arxiv", ARXIV), ("doi", DOI), ("openalex", OPENALEX)):
        value = fields[name]
        if isinstance(value, str) and not pattern.fullmatch(value):
            fields[name] = None
    return fields


def comment_for(scored: Scored, day: dt.date) -> str:
    c = scored.candidate
    return (
        f"enrich: {_SERVICE_NAMES[c.service]} {c.id}, title similarity "
        f"{scored.similarity:.3f}, looked up {day.isoformat()}"
    )


def _describe(scored: Scored) -> str:
    c = scored.candidate
    return f"{c.service} {c.id} {c.title!r} (similarity {scored.similarity:.3f})"


def report(outcomes: list[Outcome], skipped: int, options: Options) -> str:
    """The report printed by `enrich`: every paper looked up, by what it came to."""
    order = " then ".join(_SERVICE_NAMES[s] for s in SOURCES[options.source])
    lines = [
        f"Looked up {len(outcomes)} papers by title on {order} ({skipped} skipped: already "
        f"identified in {PAPERS}, merged away, past --limit, or left after repeated "
        f"failures). A match needs a title "
        f"similarity of at least {options.threshold:g}, the dump's author count when it "
        f"shows one, and no other work within {AMBIGUITY_MARGIN:.2f} of it."
    ]
    groups = (
        ("matched", "Matched"),
        ("unmatched", "Unmatched"),
        ("ambiguous", "Ambiguous (nothing written)"),
        ("failed", "Failed lookups (nothing written)"),
    )
    for kind, heading in groups:
        chosen = [o for o in outcomes if o.kind == kind]
        if chosen:
            lines += ["", f"{heading}: {len(chosen)}"]
            lines += [f"  {o.slug}: {_line(o)}" for o in chosen]
    return "\n".join(lines)


def _line(outcome: Outcome) -> str:
    verdict = outcome.verdict
    if outcome.kind == "failed" or verdict is None:
        return outcome.error or "no candidate found"
    if verdict.best is None:
        return "no candidate found"
    if outcome.kind == "matched":
        best = verdict.best
        return f"{best.candidate.service} {best.candidate.id} (similarity {best.similarity:.3f})"
    if outcome.kind == "ambiguous":
        return " | ".join(_describe(s) for s in (verdict.best, *verdict.rivals))
    note = f"; {verdict.note}" if verdict.note else ""
    return f"closest: {_describe(verdict.best)}{note}"


def candidates_of(survey: Survey | Build, papers: PapersFile, limit: int | None) -> list[Paper]:
    """The papers to look up, by slug: not identified in papers.yaml nor merged away."""
    merged = papers.merged()
    todo = [
        p
        for p in sorted(survey.corpus.papers, key=lambda p: p.slug)
        if not papers.identified(p.slug) and p.slug not in merged
    ]
    return todo if limit is None else todo[:limit]


def searches_for(options: Options) -> list[tuple[str, Search]]:
    made: dict[str, Callable[[Services], Search]] = {
        "arxiv": ArxivSearch,
        "openalex": OpenAlexSearch,
    }
    return [(name, made[name](options.services)) for name in SOURCES[options.source]]


def enrich(
    survey: Survey | Build,
    root: Path,
    options: Options,
    searches: list[tuple[str, Search]] | None = None,
    day: dt.date | None = None,
) -> int:
    """Run `enrich` on the survey of the project in `root`; returns the exit status."""
    try:
        papers = read_papers(root)
    except PapersFileError as exc:
        print(exc, file=sys.stderr)
        return 1
    todo = candidates_of(survey, papers, options.limit)
    searches = searches_for(options) if searches is None else searches
    try:
        outcomes = _look_up_all(todo, papers, searches, options, day or _today())
    finally:
        for _, search in searches:
            getattr(search, "close", lambda: None)()
    print(report(outcomes, len(survey.corpus.papers) - len(outcomes), options))
    status = _save(papers, root, options.dry_run)
    failed = sum(1 for o in outcomes if o.kind == "failed")
    if failed:
        print(f"{failed} lookup(s) failed: run `enrich` again later", file=sys.stderr)
    return 1 if failed or status else 0


def _today() -> dt.date:
    return dt.datetime.now(dt.UTC).date()


def _look_up_all(
    todo: list[Paper],
    papers: PapersFile,
    searches: list[tuple[str, Search]],
    options: Options,
    day: dt.date,
) -> list[Outcome]:
    """Look each paper up and record its confident match; stop when the services have
    failed STOP_AFTER_FAILURES times in a row (they are down, or this machine is offline)."""
    outcomes: list[Outcome] = []
    for n, paper in enumerate(todo, 1):
        print(f"[{n}/{len(todo)}] {paper.slug}", file=sys.stderr, flush=True)
        title = papers.title(paper.slug) or paper.title
        outcome = look_up(paper.slug, title, paper.authors_count, searches, options.threshold)
        outcomes.append(outcome)
        if outcome.kind == "matched" and outcome.verdict and outcome.verdict.best:
            best = outcome.verdict.best
            record(papers, paper.slug, found_fields(best.candidate), comment_for(best, day))
        recent = outcomes[-STOP_AFTER_FAILURES:]
        if len(recent) == STOP_AFTER_FAILURES and all(o.kind == "failed" for o in recent):
            print(
                f"{STOP_AFTER_FAILURES} lookups in a row failed: the other "
                f"{len(todo) - n} papers are left for another run",
                file=sys.stderr,
            )
            break
    return outcomes


def _save(papers: PapersFile, root: Path, dry_run: bool) -> int:
    new = render(papers)
    print()
    if new == papers.text:
        print(f"{PAPERS} unchanged")
        return 0
    try:
        load_metadata(new)  # never leave a papers.yaml that the build refuses
    except InputError as exc:
        print(f"{PAPERS} not written: the result would not load:", file=sys.stderr)
        for problem in exc.problems:
            print(f"  {problem}", file=sys.stderr)
        return 1
    if dry_run:
        print(f"--dry-run: {PAPERS} not written; the change would be:")
        diff = difflib.unified_diff(
            papers.text.splitlines(keepends=True),
            new.splitlines(keepends=True),
            fromfile=f"a/{PAPERS}",
            tofile=f"b/{PAPERS}",
        )
        sys.stdout.writelines(diff)
        return 0
    try:
        write_papers(root, new)
    except (PapersFileError, OSError) as exc:
        print(f"{PAPERS} not written: {exc}", file=sys.stderr)
        return 1
    print(f"wrote {PAPERS}")
    return 0


def add_parser(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """The `enrich` subcommand and its options."""
    cmd = sub.add_parser(
        "enrich",
        help=f"look papers up on arXiv and OpenAlex by title; record matches in {PAPERS}",
    )
    cmd.add_argument("--dry-run", action="store_true", help=f"print the change to {PAPERS}")
    cmd.add_argument("--limit", type=_count, help="look up at most N papers")
    cmd.add_argument(
        "--threshold",
        type=_share,
        default=DEFAULT_THRESHOLD,
        help=f"title similarity a match needs, 0 to 1 (default {DEFAULT_THRESHOLD})",
    )
    cmd.add_argument("--source", choices=sorted(SOURCES), default="both")
    cmd.add_argument(
        "--email",
        default=os.environ.get("OPENALEX_EMAIL") or None,
        help="your address for OpenAlex's polite pool (default: $OPENALEX_EMAIL)",
    )
    cmd.add_argument(
        "--delay",
        type=float,
        default=ARXIV_DELAY,
        help=f"seconds between arXiv requests (default {ARXIV_DELAY:g}, as arXiv asks)",
    )
    cmd.add_argument("--timeout", type=float, default=30.0, help="seconds to wait for a reply")
    cmd.add_argument("--arxiv-url", default=ARXIV_URL, help="arXiv's query API (a mirror)")
    cmd.add_argument("--openalex-url", default=OPENALEX_URL, help="OpenAlex's API (a mirror)")


def _count(text: str) -> int:
    value = int(text)
    if value < 0:
        raise argparse.ArgumentTypeError("must be 0 or more")
    return value


def _share(text: str) -> float:
    value = float(text)
    if not 0 < value <= 1:
        raise argparse.ArgumentTypeError("must be above 0 and at most 1")
    return value


def options_from(args: argparse.Namespace) -> Options:
    services = Services(
        arxiv_url=args.arxiv_url,
        openalex_url=args.openalex_url,
        delay=max(args.delay, 0.0),
        timeout=args.timeout,
        email=args.email,
        api_key=os.environ.get("OPENALEX_API_KEY") or None,
    )
    return Options(args.dry_run, args.limit, args.threshold, args.source, services)
