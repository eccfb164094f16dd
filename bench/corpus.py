"""The benchmark's synthetic surveys: the real dumps plus synthetic papers whose titles and
abstracts recombine real ones, written as dumps of the search layout."""

from __future__ import annotations

import random
import re
import shutil
from collections.abc import Sequence
from pathlib import Path

from generator.copies import link_site_config, with_options
from generator.load import load
from generator.site import corpus_of
from generator.text import slugify, title_key

ROOT = Path(__file__).resolve().parent.parent
PAPERS_PER_DUMP = 1000
_SENTENCE = re.compile(r"(?<=[.!?])\s+(?=[A-Z])")


# --------------------------------------------------------------------------- the corpus


def seed_papers(root: Path = ROOT) -> list[tuple[str, str]]:
    """(title, abstract) of every paper of the project's real dumps."""
    corpus = corpus_of(load(root))
    return [(p.title, p.abstract) for p in corpus.papers]


def synthetic_papers(
    n: int, seed: Sequence[tuple[str, str]], rng: random.Random, taken: set[str] | None = None
) -> list[tuple[str, str]]:
    """`n` papers made of the seed's text: a title joins the head of one real title to the
    tail of another; the abstract mixes the sentences of those two abstracts with one
    sentence from anywhere. Titles, their merge keys and their slugs are all unique, and
    differ from every slug in `taken` (which is updated)."""
    taken = taken if taken is not None else set()
    keys: set[str] = set()
    heads, tails, sentences = [], [], []
    for number, (title, abstract) in enumerate(seed):
        if ": " in title:
            head, tail = title.split(": ", 1)
            heads.append((f"{head}:", number))
        else:
            words = title.split()
            cut = max(1, len(words) // 2)
            head, tail = " ".join(words[:cut]), " ".join(words[cut:])
            heads.append((head, number))
        if tail:
            tails.append((tail, number))
        sentences.append(_SENTENCE.split(abstract))
    everything = [s for group in sentences for s in group]
    out: list[tuple[str, str]] = []
    attempts = 0
    while len(out) < n:
        attempts += 1
        if attempts > 50 * n + 1000:
            raise RuntimeError(f"cannot make {n} unique titles from {len(seed)} seed titles")
        head, a = rng.choice(heads)
        tail, b = rng.choice(tails)
        title = f"{head} {tail}"
        key, slug = title_key(title), slugify(title)
        if key in keys or slug in taken:
            continue
        keys.add(key)
        taken.add(slug)
        pool = sentences[a] + sentences[b]
        picked = rng.sample(pool, min(len(pool), rng.randint(4, 8)))
        picked.insert(rng.randrange(len(picked) + 1), rng.choice(everything))
        out.append((title, " ".join(picked)))
    return out


def write_dumps(papers: Sequence[tuple[str, str]], folder: Path, prefix: str = "bench") -> int:
    """Write papers as search-layout dumps of at most PAPERS_PER_DUMP papers; return the
    number of files written."""
    folder.mkdir(parents=True, exist_ok=True)
    files = 0
    for start in range(0, len(papers), PAPERS_PER_DUMP):
        chunk = papers[start : start + PAPERS_PER_DUMP]
        text = "".join(f"{title}\n{abstract}\n\n" for title, abstract in chunk)
        (folder / f"{prefix}_{files:04d}.txt").write_text(text, encoding="utf-8")
        files += 1
    return files


SEARCH_OFF = "  - search:\n      enabled: false\n"
"""How mkdocs.yml turns the theme's built-in search off (and the survey plugin's
`search: pagefind` uses Pagefind)."""


def make_project(
    folder: Path, size: int, seed_rng: int = 0, engine: str = "pagefind"
) -> list[tuple[str, str]]:
    """A project of `size` papers: the repository's real dumps plus synthetic ones, searched
    with `engine` (pagefind, as configured, or the theme's builtin search).
    Returns the synthetic papers."""
    seed = seed_papers()
    if size < len(seed):
        raise SystemExit(f"size {size} is smaller than the {len(seed)} papers of the seed")
    folder.mkdir(parents=True)
    config = (ROOT / "mkdocs.yml").read_text(encoding="utf-8")
    if SEARCH_OFF not in config:
        raise SystemExit(f"mkdocs.yml no longer holds {SEARCH_OFF!r}: update bench/corpus.py")
    if engine == "builtin":
        config = config.replace(SEARCH_OFF, "  - search:\n      enabled: true\n")
        config = with_options(config, search="builtin")
    # By words: the sentence encoder's 80 ms a paper, spent once per paper in a survey's
    # life, would be most of every size's first build here (bench/embed_time.py times it).
    config = with_options(config, related="words")
    (folder / "mkdocs.yml").write_text(config, encoding="utf-8")
    shutil.copy(ROOT / "taxonomy.yaml", folder)
    shutil.copytree(ROOT / "docs", folder / "docs")
    shutil.copytree(ROOT / "dumps", folder / "dumps")
    link_site_config(ROOT, folder)
    taken = {slugify(title) for title, _ in seed}
    papers = distinct_papers(size - len(seed), seed, random.Random(seed_rng), taken)
    files = write_dumps(papers, folder / "dumps")
    # A maintainer says when each listing was copied (the feeds date undated papers so).
    entries = "".join(
        f"  - file: bench_{n:04d}.txt\n    captured: {CAPTURED}\n" for n in range(files)
    )
    taxonomy = folder / "taxonomy.yaml"
    text = taxonomy.read_text(encoding="utf-8")
    taxonomy.write_text(text.replace("\nsources:\n", "\nsources:\n" + entries, 1), "utf-8")
    return papers


CAPTURED = "2026-11-22"


def distinct_papers(
    n: int, seed: Sequence[tuple[str, str]], rng: random.Random, taken: set[str]
) -> list[tuple[str, str]]:
    """`synthetic_papers`, less those the survey's near-duplicate check would report as one
    paper with another (two mixes of the same two abstracts can be), topped up to `n`."""
    from generator.identity import duplicate_pairs
    from generator.ingest import merge
    from generator.model import RawRecord, Source

    papers: list[tuple[str, str]] = []
    seen = [RawRecord(t, a, Source("seed", i + 1)) for i, (t, a) in enumerate(seed)]
    while len(papers) < n:
        fresh = synthetic_papers(n - len(papers), seed, rng, taken)
        mine = [RawRecord(t, a, Source("bench", i + 1)) for i, (t, a) in enumerate(papers + fresh)]
        corpus = merge(seen + mine)[0]
        flagged = set()  # the synthetic one of each pair goes (the later, when both are)
        for a, b, _ in duplicate_pairs(corpus, ()):
            victim = b if b.sources[0].file == "bench" else a
            if victim.sources[0].file == "bench":
                flagged.add(victim.dump_title or victim.title)
        papers = [p for p in papers + fresh if p[0] not in flagged]
    return papers
