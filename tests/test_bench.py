"""The benchmark's synthetic corpus reads back as exactly the papers it wrote, and the seed
site's search index holds what people search for, and little else."""

from __future__ import annotations

import html
import importlib.util
import json
import random
import sys
from pathlib import Path

import pytest

from generator.site import build

ROOT = Path(__file__).resolve().parent.parent
TAXONOMY = """\
site:
  title: A synthetic survey
  description: Papers made by bench/run.py.
  intro: |
    Recombined titles and abstracts.
themes:
  - id: reasoning
    title: Reasoning
    summary: |
      Papers on reasoning.
    title_keywords: ["reasoning"]
"""


def _bench():
    spec = importlib.util.spec_from_file_location("bench_run", ROOT / "bench" / "run.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up there
    spec.loader.exec_module(module)
    return module


def test_the_synthetic_corpus_parses_back_paper_for_paper(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    bench = _bench()
    seed = bench.seed_papers(ROOT)
    papers = bench.synthetic_papers(200, seed, random.Random(0))
    assert len({bench.slugify(t) for t, _ in papers}) == 200
    monkeypatch.setattr(bench, "PAPERS_PER_DUMP", 64)
    assert bench.write_dumps(papers, tmp_path / "dumps") == 4
    (tmp_path / "taxonomy.yaml").write_text(TAXONOMY, encoding="utf-8")
    (tmp_path / "docs").mkdir()

    site = build(tmp_path)

    assert len(site.corpus.papers) == 200
    assert sorted((p.title, p.abstract) for p in site.corpus.papers) == sorted(papers)


def test_the_search_index_holds_every_title_and_abstract_in_under_2_kb_a_paper(
    built_site: Path, survey
) -> None:
    docs = json.loads((built_site / "search" / "search_index.json").read_text("utf-8"))["docs"]
    by_location = {d["location"]: d for d in docs}
    for paper in survey.corpus.papers:
        page = by_location.get(f"papers/{paper.slug}/")
        assert page is not None and html.unescape(page["title"]) == paper.title
        assert f"papers/{paper.slug}/#abstract" in by_location
    # The link lists repeat other papers' titles; the paper pages themselves are indexed.
    for section in ("#related-papers", "#look-it-up", "#sources", "#code-and-project-pages"):
        assert not [d for d in docs if d["location"].endswith(section)], section
    assert not [
        d for d in docs if d["location"].startswith("themes/") and "#papers" in d["location"]
    ]
    # What grows with the survey is the paper pages' share of the index. The fixed share
    # (theme summaries, hand-written pages) is large next to 349 papers, hence a looser bound.
    papers = len(survey.corpus.papers)
    per_paper = sum(
        len(json.dumps(d, separators=(",", ":")))
        for d in docs
        if d["location"].startswith("papers/") and d["location"] != "papers/"
    )
    assert per_paper / papers < 2048
    total = (built_site / "search" / "search_index.json").stat().st_size
    assert total / papers < 3072
