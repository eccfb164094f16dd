"""Stable links: a corrected title or a renamed theme leaves a redirect at the old URL."""

from __future__ import annotations

import dataclasses
import functools
import http.server
import re
import shutil
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from test_bad_inputs import mkdocs_build

from generator.copies import link_site_config
from generator.errors import InputError
from generator.manifest import dump_manifest, parse_manifest
from generator.model import Corpus, Taxonomy
from generator.redirects import (
    current_entries,
    redirect_files,
    resolve,
    updated_manifest,
)
from generator.text import slugify, title_key

ROOT = Path(__file__).parent.parent
SITE_URL = "https://example.github.io/survey/"


def retitle(corpus: Corpus, slug: str, title: str) -> Corpus:
    """The corpus with one paper's title corrected, as a re-parsed dump would give it."""
    papers = [
        dataclasses.replace(
            p, title=title, dump_title=title, key=title_key(title), slug=slugify(title)
        )
        if p.slug == slug
        else p
        for p in corpus.papers
    ]
    return dataclasses.replace(corpus, papers=tuple(sorted(papers, key=lambda p: p.slug)))


def rename_theme(taxonomy: Taxonomy, old: str, new: str, title: str | None = None) -> Taxonomy:
    themes = [
        dataclasses.replace(t, id=new, title=title or t.title) if t.id == old else t
        for t in taxonomy.themes
    ]
    return dataclasses.replace(taxonomy, themes=tuple(themes))


@pytest.fixture(scope="module")
def manifest(survey):
    return parse_manifest(dump_manifest(current_entries(survey.corpus, survey.taxonomy)))


def test_a_corrected_title_redirects_to_the_new_page(survey, manifest) -> None:
    old = next(p for p in survey.corpus.papers if len(p.title) < 50)  # slugs stop at 80
    corpus = retitle(survey.corpus, old.slug, old.title + " Revisited")
    moved = resolve(manifest, corpus, survey.taxonomy)
    assert [(e.url, t.url if t else None) for e, t in moved] == [
        (f"papers/{old.slug}/", f"papers/{slugify(old.title + ' Revisited')}/")
    ]
    files, problems = redirect_files(manifest, corpus, survey.taxonomy, SITE_URL)
    page = files[f"papers/{old.slug}/index.html"]
    new = slugify(old.title + " Revisited")
    assert f'<meta http-equiv="refresh" content="0; url=../../papers/{new}/">' in page
    assert f'<link rel="canonical" href="{SITE_URL}papers/{new}/">' in page
    assert f'location.replace("../../papers/{new}/" + location.hash)' in page
    assert not problems


def test_a_renamed_theme_redirects_by_its_title(survey, manifest) -> None:
    leaf = next(t for t in survey.taxonomy.themes if t.parent and not t.children)
    taxonomy = rename_theme(survey.taxonomy, leaf.id, leaf.id + "-renamed")
    moved = resolve(manifest, survey.corpus, taxonomy)
    assert [(e.url, t.url if t else None) for e, t in moved] == [
        (f"themes/{leaf.id}/", f"themes/{leaf.id}-renamed/")
    ]
    # A new title and id: the closest new theme, else the former parent.
    taxonomy = rename_theme(survey.taxonomy, leaf.id, "zzz", "Something else entirely")
    ((entry, target),) = resolve(manifest, survey.corpus, taxonomy)
    assert target is not None and target.url == f"themes/{leaf.parent}/"


def test_a_vanished_paper_gets_a_notice_and_a_warning_until_recorded(survey, manifest) -> None:
    gone = survey.corpus.papers[0]
    corpus = dataclasses.replace(survey.corpus, papers=survey.corpus.papers[1:])
    files, problems = redirect_files(manifest, corpus, survey.taxonomy, SITE_URL)
    page = files[f"papers/{gone.slug}/index.html"]
    assert "no longer in the survey" in page and 'href="../../"' in page
    assert "refresh" not in page
    assert [p.severity for p in problems] == ["warning"]
    line = next(e.line for e in manifest if e.url == f"papers/{gone.slug}/")
    assert str(problems[0]).startswith(f"published.json:{line}: warning: papers/{gone.slug}/")
    recorded = parse_manifest(updated_manifest(manifest, corpus, survey.taxonomy))
    files, problems = redirect_files(recorded, corpus, survey.taxonomy, SITE_URL)
    assert f"papers/{gone.slug}/index.html" in files and not problems


def test_a_paper_renamed_twice_still_redirects_from_its_first_url(survey, manifest) -> None:
    first = [p for p in survey.corpus.papers if len(p.title) < 50][1]
    second_title, third_title = first.title + " (Revised)", first.title + " (Revised Again)"
    once = retitle(survey.corpus, first.slug, second_title)
    recorded = parse_manifest(updated_manifest(manifest, once, survey.taxonomy))
    twice = retitle(once, slugify(second_title), third_title)
    moved = {e.url: t.url for e, t in resolve(recorded, twice, survey.taxonomy) if t}
    final = f"papers/{slugify(third_title)}/"
    assert moved == {f"papers/{first.slug}/": final, f"papers/{slugify(second_title)}/": final}


def test_a_different_paper_on_the_same_dump_line_is_not_a_rename(survey, manifest) -> None:
    first = survey.corpus.papers[20]
    other = retitle(survey.corpus, first.slug, "Entirely Unrelated Words Here")
    assert [(e.url, t) for e, t in resolve(manifest, other, survey.taxonomy)] == [
        (f"papers/{first.slug}/", None)
    ]


def test_the_committed_manifest_is_current(survey) -> None:
    """published.json records every page of the seed survey (run `urls --update`)."""
    text = (ROOT / "published.json").read_text(encoding="utf-8")
    listed = {e.url for e in parse_manifest(text)}
    assert {e.url for e in current_entries(survey.corpus, survey.taxonomy)} <= listed
    assert not [w for w in survey.warnings if w.file == "published.json"]


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("{", "published.json:1:2: error: not valid JSON"),
        ('{"urls": 3}', 'published.json:1:1: error: expected {"urls": [...]}'),
        ('{"urls": [\n{"kind": "page", "url": "x/", "title": "T"}\n]}', "published.json:2: error"),
    ],
)
def test_a_broken_manifest_is_reported_with_its_line(text: str, message: str) -> None:
    with pytest.raises(InputError) as caught:
        parse_manifest(text)
    assert str(caught.value.problems[0]).startswith(message)


# --------------------------------------------------------------------------- the real build


def _pick_paper(survey) -> tuple[object, str]:
    """A paper whose title is one line of one dump and that the taxonomy does not name."""
    taxonomy = (ROOT / "taxonomy.yaml").read_text(encoding="utf-8")
    for paper in survey.corpus.papers:
        if len(paper.sources) != 1 or len(paper.title) > 60 or paper.slug in taxonomy:
            continue
        dump = ROOT / paper.sources[0].file
        lines = dump.read_text(encoding="utf-8").splitlines()
        if lines.count(paper.title) == 1 and paper.title.isascii():
            return paper, paper.sources[0].file
    pytest.fail("no paper in the seed dumps to rename")


@pytest.fixture(scope="module")
def renamed_site(survey, tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple]:
    """A copy of the project with one title corrected in its dump, built by MkDocs and served."""
    paper, dump = _pick_paper(survey)
    new_title = paper.title + " (Corrected Edition)"
    project = tmp_path_factory.mktemp("renamed") / "p"
    project.mkdir()
    for name in ("taxonomy.yaml", "published.json"):
        shutil.copy(ROOT / name, project / name)
    for folder in ("docs", "dumps"):
        shutil.copytree(ROOT / folder, project / folder)
    link_site_config(ROOT, project)
    text = (project / dump).read_text(encoding="utf-8")
    (project / dump).write_text(
        re.sub(rf"(?m)^{re.escape(paper.title)}$", new_title, text), encoding="utf-8"
    )
    site = project / "site"
    proc = mkdocs_build(project, site)
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-5000:]
    handler = functools.partial(_Quiet, directory=str(site))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield paper, new_title, site, f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:  # noqa: A002
        pass


def test_the_built_site_keeps_the_old_url(renamed_site) -> None:
    paper, new_title, site, _ = renamed_site
    new_slug = slugify(new_title)
    assert not (site / "papers" / paper.slug / "index.html").read_text("utf-8").count("md-content")
    assert (site / "papers" / new_slug / "index.html").is_file()
    page = (site / "papers" / paper.slug / "index.html").read_text(encoding="utf-8")
    assert f"url=../../papers/{new_slug}/" in page


@pytest.mark.browser
def test_the_old_url_lands_on_the_new_page_in_a_browser(renamed_site, browser) -> None:
    paper, new_title, _, base = renamed_site
    context = browser.new_context()
    try:
        page = context.new_page()
        page.route(lambda url: not url.startswith(base), lambda route: route.abort())
        page.goto(f"{base}papers/{paper.slug}/#abstract")
        page.wait_for_url(f"{base}papers/{slugify(new_title)}/#abstract")
        page.wait_for_selector(".md-content h1")
        assert page.locator(".md-content h1").inner_text().rstrip("¶").strip() == new_title
    finally:
        context.close()
