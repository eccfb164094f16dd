"""papers.json, papers.csv and themes.json: every paper, every field, the same from the site
and from `python -m generator export`."""

from __future__ import annotations

import csv
import json
from pathlib import Path

from generator.cli import main
from generator.export import (
    AUTHOR_SEPARATOR,
    CSV_COLUMNS,
    JSON_COLUMNS,
    LIST_SEPARATOR,
    script_safe,
)
from generator.site import build

ROOT = Path(__file__).parent.parent
TINY = Path(__file__).parent / "cases" / "project"
SITE_URL = "https://example.github.io/survey/"


def test_papers_json_holds_every_paper_and_field(built_site: Path, survey) -> None:
    records = json.loads((built_site / "papers.json").read_text(encoding="utf-8"))
    papers = survey.corpus.by_slug()
    assert [r["slug"] for r in records] == sorted(papers)
    for record in records:
        assert set(record) == set(JSON_COLUMNS)
        paper = papers[record["slug"]]
        assert record["title"] == paper.title
        assert record["abstract"] == paper.abstract
        assert record["url"] == f"{SITE_URL}papers/{paper.slug}/"
        assert (built_site / "papers" / paper.slug / "index.html").is_file()
        assert record["published"] == (paper.published.isoformat() if paper.published else None)
        assert record["upvotes"] == paper.upvotes
        assert record["organization"] == paper.organization
        assert record["authors_count"] == paper.authors_count
        assert record["links"] == list(paper.links)
        assert all(link.startswith(("http://", "https://")) for link in record["links"])
        assert record["sources"] == [f"{s.file}:{s.line}" for s in paper.sources]
        assert record["themes"] == list(survey.assignment.themes_of.get(paper.slug, ()))
        assert record["date_source"] == paper.date_source
        assert record["authors"] == list(paper.authors)
        assert record["from_metadata"] == list(paper.from_metadata)


def test_papers_csv_says_the_same_as_papers_json(built_site: Path) -> None:
    records = json.loads((built_site / "papers.json").read_text(encoding="utf-8"))
    with (built_site / "papers.csv").open(encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))
    assert len(rows) == len(records)
    assert "abstract" in records[0] and "abstract" not in rows[0]  # papers.json holds them
    for row, record in zip(rows, records, strict=True):
        assert list(row) == list(CSV_COLUMNS)
        for column in CSV_COLUMNS:
            value = record[column]
            if isinstance(value, list):
                value = (AUTHOR_SEPARATOR if column == "authors" else LIST_SEPARATOR).join(value)
            assert row[column] == ("" if value is None else str(value)), (record["slug"], column)


def test_themes_json_is_the_theme_tree(built_site: Path, survey) -> None:
    themes = json.loads((built_site / "themes.json").read_text(encoding="utf-8"))
    assert [t["id"] for t in themes] == [t.id for t in survey.taxonomy.themes]
    for item, theme in zip(themes, survey.taxonomy.themes, strict=True):
        assert item["parent"] == theme.parent and item["children"] == list(theme.children)
        assert item["papers"] == len(survey.assignment.members[theme.id])


def test_the_data_is_linked_from_the_explore_and_all_papers_pages(built_site: Path) -> None:
    for page in ("explore", "papers", "data"):
        text = (built_site / page / "index.html").read_text(encoding="utf-8")
        assert 'href="../papers.json"' in text and 'href="../papers.csv"' in text, page


def test_cli_export_writes_the_same_files_as_the_build(tmp_path: Path) -> None:
    assert main(["--root", str(TINY), "export", str(tmp_path / "out")]) == 0
    site = build(TINY, site_url="http://127.0.0.1:8000/")
    for name in ("papers.json", "papers.csv", "themes.json"):
        assert (tmp_path / "out" / name).read_bytes() == site.files[name].encode(), name
    assert len(json.loads((tmp_path / "out" / "papers.json").read_text("utf-8"))) == len(
        site.corpus.papers
    )


def test_script_safe_json_cannot_close_its_script_element() -> None:
    text = script_safe(json.dumps(["</script><!-- & -->"]))
    assert "<" not in text and ">" not in text and "&" not in text
    assert json.loads(text) == ["</script><!-- & -->"]


def test_build_is_reproducible() -> None:
    first = build(TINY, site_url=SITE_URL)
    second = build(TINY, site_url=SITE_URL)
    assert first.files == second.files
    assert first.pages == second.pages
