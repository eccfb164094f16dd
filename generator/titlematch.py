"""Is a record found by a scholarly service the paper of the dump? Pure title matching.

Titles are compared after normalisation (`normalise_title`: LaTeX and TeX debris, accents,
case, punctuation and spacing removed) with difflib's ratio. A candidate is accepted only
when its similarity reaches the threshold, its author count agrees with the dump's (when
both are known), and no candidate for another work comes as close (`judge`).
"""

from __future__ import annotations

import datetime as dt
import difflib
import re
import unicodedata
from dataclasses import dataclass

from .latex import clean_latex

DEFAULT_THRESHOLD = 0.93
"""Similarity a title must reach: 1.0 is the same words; 0.93 lets through a changed
hyphen, plural or subtitle punctuation, not a changed word in a short title."""
AMBIGUITY_MARGIN = 0.02
"""Two candidates for different works above the threshold and within this of each other
are ambiguous: neither is written."""

_MATH = re.compile(r"\$([^$]*)\$")
_STYLE = re.compile(
    r"\\(?:bf|it|em|rm|tt|sc|sf|textbf|textit|textrm|texttt|textsc|emph|mathrm|mathbf|"
    r"mathcal|mathit|mathsf|text|ensuremath)(?![A-Za-z])"
)
_CONTROL = re.compile(r"\\([A-Za-z]+)")
_NOT_WORD = re.compile(r"[\W_]+")


def normalise_title(title: str) -> str:
    """A title as words only: LaTeX markup (`$...$`, `{\\bf x}`, `\\emph{x}`, `\\&`) and
    accents undone, case folded, punctuation and runs of spaces turned into one space."""
    text = clean_latex(title, words=True)
    text = _MATH.sub(r" \1 ", text)
    text = _STYLE.sub(" ", text)
    text = _CONTROL.sub(r"\1", text)  # an unknown macro keeps its name: \ourmodel
    text = unicodedata.normalize("NFKD", text)
    text = "".join(c for c in text if not unicodedata.combining(c))
    return " ".join(_NOT_WORD.sub(" ", text.casefold()).split())


def similarity(a: str, b: str) -> float:
    """difflib's ratio of the two normalised titles (1.0 when they are the same words)."""
    left, right = normalise_title(a), normalise_title(b)
    if not left or not right:
        return 0.0
    return difflib.SequenceMatcher(None, left, right, autojunk=False).ratio()


@dataclass(frozen=True)
class Candidate:
    """One record a service returned for a title search."""

    service: str
    """"arxiv" or "openalex"."""
    id: str
    """The arXiv identifier without its version, or the OpenAlex work ID (W...)."""
    title: str
    authors: tuple[str, ...]
    published: dt.date | None
    """arXiv's date of the first version, or OpenAlex's publication_date."""
    doi: str | None
    """Bare DOI (10.x/...), when the service gives one."""

    def same_work(self, other: Candidate) -> bool:
        """Two records of one work: the same identifier, or the same DOI."""
        if (self.service, self.id) == (other.service, other.id):
            return True
        return bool(self.doi and other.doi and self.doi.casefold() == other.doi.casefold())


@dataclass(frozen=True)
class Scored:
    candidate: Candidate
    similarity: float


@dataclass(frozen=True)
class Verdict:
    """What the candidates of one search say about a paper."""

    kind: str
    """"matched", "ambiguous" or "unmatched"."""
    best: Scored | None
    """The accepted candidate, or the closest one (None when the search found nothing)."""
    rivals: tuple[Scored, ...] = ()
    """For "ambiguous": the other works as close as the best one."""
    note: str = ""
    """Why a candidate above the threshold was refused."""


def judge(
    title: str,
    authors_count: int | None,
    candidates: list[Candidate],
    threshold: float = DEFAULT_THRESHOLD,
) -> Verdict:
    """Accept the closest candidate only if it is confident and unambiguous."""
    scored = sorted(
        (Scored(c, similarity(title, c.title)) for c in candidates),
        key=lambda s: (-s.similarity, s.candidate.service, s.candidate.id),
    )
    if not scored:
        return Verdict("unmatched", None)
    above = [s for s in scored if s.similarity >= threshold]
    agreeing = [s for s in above if _authors_agree(authors_count, s.candidate)]
    if not agreeing:
        note = ""
        if above:
            found = len(above[0].candidate.authors)
            note = f"author count differs: {authors_count} in the dump, {found} found"
        return Verdict("unmatched", above[0] if above else scored[0], note=note)
    best = agreeing[0]
    rivals = tuple(
        s
        for s in agreeing[1:]
        if not s.candidate.same_work(best.candidate)
        and best.similarity - s.similarity <= AMBIGUITY_MARGIN
    )
    return Verdict("ambiguous" if rivals else "matched", best, rivals)


def _authors_agree(expected: int | None, candidate: Candidate) -> bool:
    return expected is None or not candidate.authors or len(candidate.authors) == expected
