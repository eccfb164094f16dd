"""Place papers in themes by the taxonomy's rules."""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Mapping, Sequence

from .errors import InputError, Problem
from .model import Assignment, Corpus, Paper, Taxonomy, Theme
from .phrases import REGEX_TIMEOUT, PatternTimeout, compile_phrase


def oversized(theme: Theme, count: int, leaf_size: int) -> bool:
    """The one leaf-size rule: a theme without sub-themes holding more than `leaf_size`
    papers should be split."""
    return not theme.children and count > leaf_size


# The only characters outside ASCII that a case-insensitive pattern matches to an ASCII
# letter (and the only ones whose lower case holds one): a text holding any of them is
# always checked with the full patterns.
_FOLDS_TO_ASCII = re.compile("[\u0130\u0131\u017f\u212a]")
_RUN = re.compile(r"[a-z0-9]+")
_ASCII_RUN = re.compile(r"[A-Za-z0-9]+")


class _Field:
    """One field (title, abstract, or both) of every paper, indexed by the words the rules
    need: a word is a run of ASCII letters and digits, in lower case. A pattern matches a
    word phrase only where each word of the phrase is such a run, so the papers holding all
    of a phrase's words are the only ones a pattern needs to be tried on."""

    def __init__(self, texts: list[str]) -> None:
        self.texts = texts
        self.folded = [t.casefold() for t in texts]
        self.odd = {i for i, t in enumerate(texts) if not t.isascii() and _FOLDS_TO_ASCII.search(t)}
        self.postings: dict[str, list[int]] = {}
        """Word -> papers holding it, in order."""
        self.counts: dict[str, dict[int, int]] = {}
        """Word -> paper -> occurrences, for the words counted."""

    def containing(self, literal: str) -> set[int]:
        return {i for i, f in enumerate(self.folded) if literal in f}


def _fields(
    papers: Sequence[Paper], wanted: set[str], counted: set[str]
) -> tuple[_Field, _Field, _Field]:
    """The title, the abstract, and both (title, newline, abstract) of every paper, indexed
    by the `wanted` words; the abstract also counts the `counted` ones."""
    titles = [p.title for p in papers]
    abstracts = [p.abstract for p in papers]
    title = _Field(titles)
    abstract = _Field(abstracts)
    both = _Field([t + "\n" + a for t, a in zip(titles, abstracts, strict=True)])
    for field in (title, abstract, both):
        field.postings = {w: [] for w in wanted}
    abstract.counts = {w: {} for w in counted}
    for i, (t, a) in enumerate(zip(titles, abstracts, strict=True)):
        in_title = wanted.intersection(_RUN.findall(t.lower()))
        words = _RUN.findall(a.lower())
        in_abstract = wanted.intersection(words)
        for w in in_title:
            title.postings[w].append(i)
        for w in in_abstract:
            abstract.postings[w].append(i)
            if w in counted:
                abstract.counts[w][i] = words.count(w)
        for w in in_title | in_abstract:  # no word runs across the newline
            both.postings[w].append(i)
    return title, abstract, both


@functools.lru_cache(maxsize=2)
def _indexed(
    papers: tuple[Paper, ...], wanted: frozenset[str], counted: frozenset[str]
) -> tuple[tuple[_Field, _Field, _Field], dict[tuple[str, int], dict[int, int]]]:
    """The fields of `_fields`, and the matches of each (phrase, field) found in them so
    far, kept while the papers and the words the rules need stay the same: an edit of the
    taxonomy that changes no rule's words (a summary, a paper moved) matches only the
    phrases it adds."""
    return _fields(papers, set(wanted), set(counted)), {}


def _regex_literal(pattern: str) -> str:
    """The longest run of ASCII characters every match of `pattern` (case-insensitive)
    holds in a row, in lower case; "" when none is certain."""
    try:
        from re import _parser  # type: ignore[attr-defined]

        items = list(_parser.parse(pattern, re.IGNORECASE))
    except Exception:  # noqa: BLE001 - any doubt means no shortcut
        return ""
    best, run = "", ""
    for op, arg in items:
        if op == _parser.LITERAL and arg < 128:
            run += chr(arg).lower()
            best = max(best, run, key=len)
        else:
            run = ""
    return best


class _Phrase:
    """A compiled rule phrase, with what a paper needs to hold for it to match: its words
    (see _Field), or for a /regex/ a literal run of its characters. Most phrases are absent
    from most papers, and the full pattern is tried only on the papers that hold these."""

    def __init__(self, phrase: str) -> None:
        self.pattern = compile_phrase(phrase)
        words = [] if phrase.startswith("/") else [w.rstrip("*") for w in phrase.split()]
        self.needle = max(words, key=len).casefold() if words else ""
        self.words: list[str] = []
        self.literal = ""
        self.single = False
        if len(phrase) > 2 and phrase.startswith("/") and phrase.endswith("/"):
            self.literal = _regex_literal(phrase[1:-1])
            self.indexed = False
            return
        # Only ASCII phrases: elsewhere a case-insensitive character may match ASCII.
        self.indexed = phrase.isascii()
        if not self.indexed:
            return
        split = phrase.split()
        for n, word in enumerate(split):
            star = n == len(split) - 1 and word.endswith("*") and len(word) > 1
            body = word.rstrip("*") if star else word
            runs = [r.lower() for r in _ASCII_RUN.findall(body)]
            if star and runs and body[-1:].isalnum():
                runs.pop()  # the last run of a starred word may go on: only its start is known
            self.words += runs
        # One word and nothing else: its matches are exactly the occurrences of that run.
        self.single = len(split) == 1 and _ASCII_RUN.fullmatch(phrase) is not None

    def _candidates(self, field: _Field) -> set[int] | None:
        """Papers the pattern may match in; None for every paper."""
        if not self.indexed:
            if not self.literal:
                return None
            return field.containing(self.literal) | field.odd
        if not self.words:
            return None
        sets = sorted((field.postings[w] for w in set(self.words)), key=len)
        found = set(sets[0])
        for other in sets[1:]:
            if not found:
                break
            found.intersection_update(other)
        return found | field.odd

    def matches(self, field: _Field, count: bool) -> dict[int, int]:
        """Paper number -> number of matches (with `count`, else 1) in that field."""
        found = self._candidates(field)
        papers = range(len(field.texts)) if found is None else sorted(found)
        out: dict[int, int] = {}
        texts, folded, odd, needle = field.texts, field.folded, field.odd, self.needle
        if self.single:
            word = self.words[0]
            if count:
                out = {i: n for i, n in field.counts[word].items() if i not in odd}
            else:
                out = {i: 1 for i in field.postings[word] if i not in odd}
            papers = sorted(odd)
        for i in papers:
            if needle not in folded[i]:
                continue
            if count:
                n = len(self.pattern.findall(texts[i]))
                if n:
                    out[i] = n
            elif self.pattern.search(texts[i]) is not None:
                out[i] = 1
        return out


def _claims(
    theme: Theme,
    index: Mapping[str, int],
    lookup: Callable[[str, int], dict[int, int]],
) -> dict[int, str]:
    """Paper number -> why the theme claims it, for every paper it claims."""
    rules = theme.rules
    out: dict[int, str] = {}
    for slug in rules.papers:
        if slug in index:
            out[index[slug]] = "listed in papers"
    excluded = {index[s] for s in rules.exclude if s in index}
    for phrase in rules.exclude_keywords:
        excluded.update(lookup(phrase, _BOTH))
    for phrase in rules.title_keywords + rules.keywords:
        for i in lookup(phrase, _TITLE):
            if i not in out and i not in excluded:
                out[i] = f'title has "{phrase}"'
    hits: dict[int, int] = {}
    found: dict[int, list[str]] = {}
    for phrase in rules.keywords:
        for i, n in lookup(phrase, _ABSTRACT).items():
            if i in out or i in excluded:
                continue
            hits[i] = hits.get(i, 0) + n
            found.setdefault(i, []).append(phrase)
    for i, n in hits.items():
        if n >= rules.abstract_min:
            out[i] = "abstract has " + ", ".join(f'"{p}"' for p in found[i])
    return out


_TITLE, _ABSTRACT, _BOTH = 0, 1, 2


def _too_slow(taxonomy: Taxonomy, phrase: str) -> Problem:
    """The error for a /regex/ that ran past its time limit, at its first place."""
    line, col = next(
        ((ln, c) for t in taxonomy.themes for _, v, ln, c in t.rules.positions if v == phrase),
        (0, 0),
    )
    return Problem(
        taxonomy.path,
        line,
        col,
        f"the pattern {phrase} took more than {REGEX_TIMEOUT:g} s on one paper's text: it "
        "backtracks without end (nested repetition such as (a|aa)+ does); write it without",
    )


def _claim_all(
    corpus: Corpus, taxonomy: Taxonomy, order: Mapping[str, int]
) -> tuple[dict[str, set[str]], dict[tuple[str, str], str]]:
    """The slugs each theme's own rules claim, and why each (slug, theme) was claimed, in
    paper order then taxonomy order. Each phrase is matched once, on demand."""
    papers = corpus.papers
    index = {p.slug: n for n, p in enumerate(papers)}
    compiled: dict[str, _Phrase] = {}
    for theme in taxonomy.themes:
        r = theme.rules
        for phrase in r.keywords + r.title_keywords + r.exclude_keywords:
            if phrase not in compiled:
                compiled[phrase] = _Phrase(phrase)
    wanted = frozenset(w for p in compiled.values() for w in p.words)
    counted = frozenset(p.words[0] for p in compiled.values() if p.single)
    fields, done = _indexed(papers, wanted, counted)

    def lookup(phrase: str, field: int) -> dict[int, int]:
        key = (phrase, field)
        if key not in done:
            try:
                done[key] = compiled[phrase].matches(fields[field], count=field == _ABSTRACT)
            except PatternTimeout:
                raise InputError([_too_slow(taxonomy, phrase)]) from None
        return done[key]

    claimed: dict[str, set[str]] = {t.id: set() for t in taxonomy.themes}
    reasons: list[tuple[int, int, str, str]] = []
    for theme in taxonomy.themes:
        for i, reason in _claims(theme, index, lookup).items():
            claimed[theme.id].add(papers[i].slug)
            reasons.append((i, order[theme.id], theme.id, reason))
    why = {(papers[i].slug, t): reason for i, _, t, reason in sorted(reasons)}
    return claimed, why


def assign(corpus: Corpus, taxonomy: Taxonomy) -> Assignment:
    """Apply every theme's rules to every paper."""
    order = {t.id: n for n, t in enumerate(taxonomy.themes)}
    papers = corpus.papers
    claimed, why = _claim_all(corpus, taxonomy, order)
    # the curators keep these out of every theme, whatever the rules or a theme's list say
    outside = {slug: reason for slug, reason, _, _ in taxonomy.outside}
    if outside:
        for slugs in claimed.values():
            slugs.difference_update(outside)
        why = {k: v for k, v in why.items() if k[0] not in outside}
    claims_of: dict[str, list[str]] = {}
    for theme in taxonomy.themes:
        for slug in claimed[theme.id]:
            claims_of.setdefault(slug, []).append(theme.id)

    ancestors = taxonomy.ancestors

    members: dict[str, set[str]] = {t.id: set(claimed[t.id]) for t in taxonomy.themes}
    for theme in taxonomy.themes:
        for up in ancestors(theme.id):
            members[up] |= claimed[theme.id]

    themes_of: dict[str, list[str]] = {}
    for paper in papers:
        mine = set(claims_of.get(paper.slug, ()))
        covered = {a for t in mine for a in ancestors(t)}
        specific = sorted(mine - covered, key=order.__getitem__)
        if specific:
            themes_of[paper.slug] = specific
    direct = {
        t.id: tuple(sorted(s for s in claimed[t.id] if t.id in themes_of.get(s, ())))
        for t in taxonomy.themes
    }
    unsorted = tuple(
        sorted(p.slug for p in papers if p.slug not in themes_of and p.slug not in outside)
    )
    return Assignment(
        direct=direct,
        members={k: tuple(sorted(v)) for k, v in members.items()},
        themes_of={k: tuple(v) for k, v in sorted(themes_of.items())},
        unsorted=unsorted,
        why=why,
        outside={p.slug: outside[p.slug] for p in papers if p.slug in outside},
    )
