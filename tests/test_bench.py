"""The benchmark's synthetic corpus reads back as exactly the papers it wrote, and the seed
site's search index holds what people search for, and little else."""

from __future__ import annotations

import importlib
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


def _bench_module(name: str):
    """bench/<name>.py, imported as the benchmark imports it (its folder on the path)."""
    folder = str(ROOT / "bench")
    if folder not in sys.path:
        sys.path.insert(0, folder)
    return importlib.import_module(name)


def _result(size: int, **values):
    measure = _bench_module("measure")
    return measure.Result(size, papers=size, **values)


def _row(lines: list[str], start: str) -> list[str]:
    (row,) = [ln for ln in lines if ln.startswith(f"| {start}")]
    return [cell.strip() for cell in row.strip("|").split("|")]


def test_the_pages_ceiling_is_where_the_measured_growth_reaches_1_gb() -> None:
    report = _bench_module("report")
    fixed, per_paper = 40.0, 0.0155  # MB, MB a paper
    results = [_result(n, site_mb=fixed + per_paper * n) for n in (3000, 10000, 30000)]
    # a smaller size off the line and the built-in search's build do not count
    results.append(_result(350, site_mb=1.0))
    results.append(_result(30000, site_mb=5000.0, engine="builtin"))
    papers, kb, at_zero = report.ceiling(results)
    limit = report.PAGES_LIMIT_MB
    assert fixed + per_paper * papers <= limit < fixed + per_paper * (papers + 1)
    assert abs(kb - 1024 * per_paper) < 1e-9 and abs(at_zero - fixed) < 1e-9
    assert f"{papers:,} papers" in report.sizes(results)[0]
    assert report.ceiling(results[:1]) is None


def test_the_targets_read_the_floor_ratio_the_generator_share_and_the_site_weight() -> None:
    report = _bench_module("report")
    at3k = _result(3000, build_s=23.0, floor_s=20.0, generator_s=1.0, site_mb=3000 * 19 / 1024)
    at10k = _result(10000, build_s=60.0, floor_s=50.0, generator_s=6.6, site_mb=10000 * 21 / 1024)
    assert at3k.over_floor * at3k.floor_s == at3k.build_s
    lines = report.targets([at3k, at10k], preview=(10000, 4.2))
    assert _row(lines, "build over the engine's floor at 3k")[1:] == [
        f"{23 / 20:.2f}",
        "yes" if 23 / 20 <= 1.15 else "**no**",
    ]
    assert _row(lines, "build over the engine's floor at 10k")[1:] == [f"{60 / 50:.2f}", "**no**"]
    assert _row(lines, "generator's share of the build at 10k")[1:] == ["11%", "**no**"]
    assert _row(lines, "site at 10k papers")[1:] == ["21.0 KB", "**no**"]
    assert _row(lines, "site at 30k papers")[1:] == ["not measured in this run", ""]
    assert _row(lines, "live preview at 10k")[1:] == ["4.20 s", "yes"]
    at10k.generator_s = 6.0
    lines = report.targets([at3k, at10k])
    assert _row(lines, "generator's share of the build at 10k")[1:] == ["10%", "yes"]
    assert _row(lines, "live preview at 10k")[1:] == ["not measured in this run", ""]
    table = report.table([at3k]).splitlines()
    head = [c.strip() for c in table[0].strip("|").split("|")]
    row = [c.strip() for c in table[2].strip("|").split("|")]
    assert row[head.index("Build/floor")] == f"{23 / 20:.2f}"
    assert row[head.index("Site KB/paper")] == "19.0"


def test_the_preview_median_is_read_from_its_report_line() -> None:
    run = _bench_module("run")
    output = "save -> refreshed page, 3 edits: 1.00 s, 2.50 s, 2.00 s; median 2.00 s\nother\n"
    assert run.parse_preview(output) == 2.0
    with pytest.raises(SystemExit):
        run.parse_preview("no timing here")


def test_the_floor_builds_the_same_navigation_without_the_survey_s_plugins() -> None:
    floor = _bench_module("floor")
    summary = "* [Home](index.md)\n* Themes\n    * [A &#45; b](themes/a.md)\n"
    nav = floor.literate_nav(summary, {"extensions": []})
    assert nav == [{"Home": "index.md"}, {"Themes": [{"A &#45; b": "themes/a.md"}]}]
    config = (ROOT / "mkdocs.yml").read_text(encoding="utf-8")
    features = ["navigation.instant", "navigation.tabs"]
    small = floor.floor_config(config, nav, features, pages=10, instant_max_pages=100)
    large = floor.floor_config(config, nav, features, pages=1000, instant_max_pages=100)
    for text in (small, large):
        assert "\nplugins: []\n" in text
        assert "- survey:" not in text and "- search:" not in text
        assert "gen-files" not in text and "literate-nav" not in text
        assert "\nnav:\n  - Home: index.md\n" in text
        assert "markdown_extensions:" in text and "custom_dir: overrides" in text
    assert "- navigation.instant\n" in small and "- navigation.instant\n" not in large
    assert "- navigation.tabs\n" in large


def test_the_related_papers_benchmark_splits_its_pairs_and_scores_by_meaning() -> None:
    """bench/related_eval.py: DEV, then one list per blind sample; the encoder's variant
    scores every pair of the seed survey, each paper closest to itself."""
    related_eval = _bench_module("related_eval")
    samples = related_eval.split()
    text = (ROOT / "evaluation" / "related_pairs.yaml").read_text("utf-8")
    assert len(samples) == 1 + text.count("# --- blind sample")
    assert sum(map(len, samples)) == text.count("  - a: ")
    assert all(samples)
    site = build(ROOT)
    score = related_eval.VARIANTS["meaning-words"](site)
    n = len(site.corpus.papers)
    assert score.shape == (n, n)
    assert (score.argmax(axis=1) == range(n)).all()
    report = related_eval.report("meaning-words", related_eval.dense_lists(site, score), True)
    assert " dev " in report and " test " in report and " new " in report and " all " in report
