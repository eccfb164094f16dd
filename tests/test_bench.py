"""The benchmark's synthetic corpus reads back as exactly the papers it wrote, and the seed
site's search index holds what people search for, and little else."""

from __future__ import annotations

import importlib.util
import json
import random
import sys
from pathlib import Path

import pytest
from conftest import SEARCH_PART_SIZE

from generator import search, urls
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
    spec = importlib.util.spec_from_file_location("bench_corpus", ROOT / "bench" / "corpus.py")
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
    records = search.records(survey.corpus, survey.taxonomy, survey.assignment)
    by_url = {r.url: r for r in records}
    for paper in survey.corpus.papers:
        record = by_url[f"papers/{paper.slug}/"]
        assert record.title == paper.title
        assert paper.title in record.content and paper.abstract in record.content
    # What readers search, not the lists of links around it: no paper's record holds the
    # title of a related paper unless the two share it verbatim in their own text.
    titles = {p.slug: p.title for p in survey.corpus.papers}
    for paper in survey.corpus.papers:
        content = by_url[f"papers/{paper.slug}/"].content
        for link in survey.related[paper.slug]:
            other = titles[link.slug]
            assert other not in content or other in paper.abstract or other == paper.title

    bundle = built_site / "pagefind"
    parts = [bundle, *(bundle / p for p in json.loads((bundle / "parts.json").read_text()))]
    counts = []
    for part in parts:
        entry = json.loads((part / "pagefind-entry.json").read_text("utf-8"))
        counts.append(sum(language["page_count"] for language in entry["languages"].values()))
    # the hand-written pages for readers: those for maintainers are kept out of the search
    docs = [p for p in (ROOT / "docs").glob("*.md") if p.name not in urls.MAINTAINER_DOCS]
    themes = len(survey.taxonomy.themes)
    total = len(survey.corpus.papers) + themes + 2 + len(docs)  # 2: the home page, About
    assert sum(counts) == total
    # conftest builds it in parts of SEARCH_PART_SIZE records, each part full but the last
    assert counts == [SEARCH_PART_SIZE] * (len(counts) - 1) + [
        total - SEARCH_PART_SIZE * (len(counts) - 1)
    ]
    assert len(counts) == -(-total // SEARCH_PART_SIZE)
    grows = [
        f
        for part in parts
        for f in [*part.glob("index/*"), *part.glob("fragment/*"), *part.glob("*.pf_meta")]
    ]
    per_paper = sum(p.stat().st_size for p in grows) / len(survey.corpus.papers)
    assert per_paper < 2048, f"{per_paper:.0f} bytes of search index per paper"


def test_the_gate_benchmark_times_check_against_the_build() -> None:
    """bench/gate.py runs and reports both medians and their ratio (what it measures is
    reported, not asserted: performance claims come from the benchmark, not from tests)."""
    import subprocess
    import sys

    root = Path(__file__).parent.parent
    proc = subprocess.run(
        [sys.executable, str(root / "bench" / "gate.py"), "--runs", "1"],
        capture_output=True,
        text=True,
        timeout=600,
        cwd=root,
    )
    assert proc.returncode == 0, proc.stderr[-2000:]
    lines = proc.stdout.splitlines()
    assert lines[0].startswith("check:") and lines[1].startswith("build:")
    assert lines[2].startswith("check/build: ")
