"""A paper a reader can reach and cite: direct links from its ids, its authors, BibTeX that
parses (bibtexparser), papers.bib, and the citation_* tags Zotero and Google Scholar read,
checked in Chromium on the golden fixture, whose papers.yaml sets every field."""

from __future__ import annotations

import datetime as dt
import functools
import http.server
import os
import shutil
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path

import bibtexparser
import pytest
from bibtexparser.bparser import BibTexParser
from conftest import REPO_ROOT

from generator.cite import author_line, bibtex, citation_meta, cite_keys, direct_links
from generator.copies import link_site_config
from generator.model import Paper, Source

GOLDEN = Path(__file__).parent / "golden" / "project"


def paper(**kw: object) -> Paper:
    base: dict[str, object] = dict(
        slug="memory-networks",
        key="memory networks",
        title="Memory Networks",
        abstract="An abstract.",
        published=dt.date(2014, 10, 15),
        authors_count=None,
        organization=None,
        organization_id=None,
        upvotes=None,
        links=(),
        sources=(Source("dumps/a.txt", 1),),
    )
    return Paper(**{**base, **kw})  # type: ignore[arg-type]


def parse(text: str) -> list[dict[str, str]]:
    parser = BibTexParser(common_strings=True)
    return bibtexparser.loads(text, parser=parser).entries


def test_an_entry_with_hostile_text_parses_back_to_the_same_text() -> None:
    hostile = paper(
        title="Let's {think} about \\model: 100% & $O(n^2)$ }{ #1 ~ x_y",
        authors=("Jason {Wei", "Xuezhi \\Wang"),
        arxiv="2201.11903",
        venue="Transactions on Machine Learning Research",
    )
    (entry,) = parse(bibtex(hostile, "wei2014let", "https://x.org/"))
    assert entry["ENTRYTYPE"] == "article" and entry["ID"] == "wei2014let"
    assert entry["journal"] == "Transactions on Machine Learning Research"
    assert entry["eprint"] == "2201.11903" and entry["archiveprefix"] == "arXiv"
    assert entry["url"] == "https://arxiv.org/abs/2201.11903"
    # every special character escaped: the braces of the title stay balanced
    assert entry["title"].startswith(
        "{Let's \\textbraceleft{}think\\textbraceright{} about \\textbackslash{}model: 100\\%"
    )
    assert entry["author"] == "Jason \\textbraceleft{}Wei and Xuezhi \\textbackslash{}Wang"


def test_a_venue_without_journal_words_is_a_conference() -> None:
    (entry,) = parse(bibtex(paper(venue="NeurIPS 2017", authors=("A B",)), "k", "https://x/"))
    assert entry["ENTRYTYPE"] == "inproceedings" and entry["booktitle"] == "NeurIPS 2017"
    (entry,) = parse(bibtex(paper(), "k", "https://x.org/s/"))
    assert (
        entry["ENTRYTYPE"] == "misc" and entry["url"] == "https://x.org/s/papers/memory-networks/"
    )


def test_keys_are_unique_and_do_not_depend_on_order() -> None:
    a = paper(slug="a", authors=("Jason Weston",))
    b = paper(slug="b", authors=("Jason Weston",))
    c = paper(slug="c", title="The Memory of Networks", authors=())
    assert cite_keys([b, a, c]) == {
        "a": "weston2014memorya",
        "b": "weston2014memoryb",
        "c": "memory2014",
    }


def test_authors_links_and_tags() -> None:
    assert author_line(paper(authors=("A", "B", "C"))) == "A et al."
    assert author_line(paper(authors=("A", "B"))) == "A and B"
    full = paper(arxiv="1410.3916", doi="10.1/x", openalex="W1", authors=("A", "B"))
    assert [name for name, _ in direct_links(full)] == [
        "arXiv",
        "PDF",
        "Hugging Face",
        "DOI",
        "OpenAlex",
    ]
    assert direct_links(paper()) == []
    tags = citation_meta(full)
    assert tags["citation_author"] == ["A", "B"] and tags["citation_arxiv_id"] == "1410.3916"
    assert tags["citation_pdf_url"] == "https://arxiv.org/pdf/1410.3916"
    assert tags["citation_publication_date"] == "2014/10/15"
    month_only = paper(published=dt.date(2014, 10, 1), date_source="arXiv id", arxiv="1410.3916")
    assert citation_meta(month_only)["citation_publication_date"] == "2014/10"


def test_the_seed_survey_papers_bib_parses_with_one_entry_per_paper(
    built_site: Path, survey
) -> None:
    entries = parse((built_site / "papers.bib").read_text(encoding="utf-8"))
    assert len(entries) == len(survey.corpus.papers)
    assert len({e["ID"] for e in entries}) == len(entries)
    titles = {e["title"].strip("{}") for e in entries}
    assert (
        "Native Sparse Attention: Hardware-Aligned and Natively Trainable Sparse Attention"
        in titles
    )


# --------------------------------------------------------------------------- in Chromium


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:  # noqa: A002 - stdlib name
        pass


@pytest.fixture(scope="module")
def golden_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The golden fixture built with `mkdocs build --strict` and served on localhost."""
    project = tmp_path_factory.mktemp("golden") / "project"
    shutil.copytree(GOLDEN, project)
    shutil.copytree(REPO_ROOT / "docs", project / "docs")
    link_site_config(REPO_ROOT, project)
    out = project.parent / "site"
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "DISABLE_MKDOCS_2_WARNING": "true"}
    proc = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir", str(out)],
        cwd=project,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert proc.returncode == 0, proc.stderr[-4000:]
    handler = functools.partial(_Quiet, directory=str(out))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/"
    server.shutdown()
    server.server_close()


@pytest.fixture
def golden_page(browser, golden_site: str):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    context.route(lambda url: not url.startswith(golden_site), lambda route: route.abort())
    yield context.new_page(), golden_site
    context.close()


def test_a_paper_with_an_id_can_be_opened_and_cited(golden_page, artifacts_dir: Path) -> None:
    page, base = golden_page
    page.goto(base + "papers/attention-is-all-you-need/")
    tags = page.eval_on_selector_all(
        "meta[name^=citation_]", "els => els.map(e => [e.name, e.content])"
    )
    assert ["citation_title", "Attention Is All You Need"] in tags
    authors = [c for n, c in tags if n == "citation_author"]
    assert authors[0] == "Ashish Vaswani" and authors[6] == "Łukasz Kaiser" and len(authors) == 8
    assert ["citation_arxiv_id", "1706.03762"] in tags
    assert ["citation_pdf_url", "https://arxiv.org/pdf/1706.03762"] in tags
    assert ["citation_publication_date", "2017/06/12"] in tags
    links = page.eval_on_selector_all(
        ".paper-links a", "els => els.map(e => [e.textContent, e.href])"
    )
    assert links[:3] == [
        ["arXiv", "https://arxiv.org/abs/1706.03762"],
        ["PDF", "https://arxiv.org/pdf/1706.03762"],
        ["Hugging Face", "https://huggingface.co/papers/1706.03762"],
    ]
    assert "Niki Parmar" in page.inner_text(".paper-authors")
    assert page.locator("h2#look-it-up").count() == 0  # direct links replace title searches
    bib = page.inner_text(".paper-bibtex code")
    (entry,) = parse(bib)
    assert entry["ID"] == "vaswani2017attention" and entry["booktitle"] == "NeurIPS 2017"
    # the theme's copy button (content.code.copy) sits on the BibTeX block
    page.wait_for_selector(".paper-bibtex [data-md-type=copy]")
    page.screenshot(path=str(artifacts_dir / "paper-with-metadata.png"), full_page=True)


def test_hostile_metadata_stays_text_in_the_tags_and_the_page(golden_page) -> None:
    page, base = golden_page
    errors: list[str] = []
    page.on("dialog", lambda d: (errors.append(d.message), d.dismiss()))
    page.goto(
        base + "papers/chain-of-thought-prompting-elicits-reasoning-in-large-language-models/"
    )
    tags = page.eval_on_selector_all("meta[name=citation_author]", "els => els.map(e => e.content)")
    assert tags == ["Jason {Wei}", "Xuezhi \\Wang", "<script>alert(1)</script>"]
    assert "<script>alert(1)</script>" in page.inner_text(".paper-authors")
    assert (
        page.locator("head script:not([src])").evaluate_all(
            "els => els.filter(e => e.textContent.includes('alert(1)')).length"
        )
        == 0
    )
    assert errors == []
    (entry,) = parse(page.inner_text(".paper-bibtex code"))
    assert entry["ENTRYTYPE"] == "article"


def test_a_paper_without_an_id_keeps_the_look_up_links(golden_page) -> None:
    page, base = golden_page
    page.goto(base + "papers/memory-networks/")
    assert page.locator(".paper-links").count() == 0
    assert page.locator("h2#look-it-up").count() == 1
    assert page.locator("meta[name=citation_title]").count() == 1
    assert page.locator("meta[name=citation_author]").count() == 0


def test_an_alias_leads_to_its_paper(golden_page) -> None:
    page, base = golden_page
    page.goto(base + "papers/rag/")
    page.wait_for_url("**/retrieval-augmented-generation-for-knowledge-intensive-nlp-tasks/")
    assert "May 2020" in page.inner_text(".paper-meta")
    assert "arXiv identifier" in page.inner_text(".paper-meta")
