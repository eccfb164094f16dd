"""Every internal link and resource reference in the built site points at a file that exists,
and every #fragment at an element with that id."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path, PurePosixPath
from urllib.parse import unquote, urljoin, urlsplit

import pytest
from conftest import PUBLISHED_AT

BASE = "http://site.invalid/"
# Attributes holding one URL. srcset is handled separately.
URL_ATTRS = {"href", "src", "poster", "data", "action", "formaction"}
EXTERNAL_SCHEMES = ("http://", "https://", "mailto:", "tel:", "data:")
MAX_SHOWN = 20


@dataclass
class ParsedPage:
    ids: set[str] = field(default_factory=set)
    refs: list[tuple[str, str, str]] = field(default_factory=list)
    """(tag, attribute, value) of every URL-bearing attribute."""


class _Collector(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.page = ParsedPage()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for name, value in attrs:
            if value is None:
                continue
            if name in ("id", "name") and (name == "id" or tag == "a"):
                self.page.ids.add(value)
            elif name in URL_ATTRS:
                self.page.refs.append((tag, name, value))
            elif name == "srcset":
                for candidate in value.split(","):
                    if candidate.strip():
                        self.page.refs.append((tag, name, candidate.split()[0]))

    handle_startendtag = handle_starttag


def parse(path: Path) -> ParsedPage:
    collector = _Collector()
    collector.feed(path.read_text(encoding="utf-8"))
    collector.close()
    return collector.page


def deployed_base() -> str:
    """BASE with the path of the address the seed site is built for (conftest's
    PUBLISHED_AT): the site is deployed under that path, and MkDocs writes root-relative
    links that include it (the 404 page does)."""
    path = urlsplit(PUBLISHED_AT).path
    return urljoin(BASE, path.rstrip("/") + "/")


def page_url(site: Path, html_file: Path, base: str = BASE) -> str:
    """The URL a page is served at: .../index.html is served as its directory URL."""
    rel = html_file.relative_to(site).as_posix()
    if rel == "index.html":
        rel = ""
    elif rel.endswith("/index.html"):
        rel = rel[: -len("index.html")]
    return base + rel


def target_file(site: Path, url: str, base: str = BASE) -> Path | None:
    """The file a same-site URL is served from, with directory-URL semantics."""
    path = unquote(urlsplit(url).path)
    if not url.startswith(base):
        return None
    rel = PurePosixPath(path[len(urlsplit(base).path) :])
    if path.endswith("/") or str(rel) == ".":
        rel = rel / "index.html"
    return site.joinpath(*rel.parts)


def crawl(site: Path, base: str = BASE) -> tuple[int, list[str]]:
    """(number of internal references checked, description of every broken one)."""
    pages = {p: parse(p) for p in sorted(site.rglob("*.html"))}
    ids = {p.resolve(): parsed.ids for p, parsed in pages.items()}
    broken: list[str] = []
    checked = 0
    for html_file, parsed in pages.items():
        source = html_file.relative_to(site).as_posix()
        here = page_url(site, html_file, base)
        for tag, attr, value in parsed.refs:
            ref = value.strip()
            lowered = ref.lower()
            if attr == "href" and "javascript:" in re.sub(r"[\s\x00-\x1f]", "", lowered):
                broken.append(f"{source}: <{tag} {attr}={value!r}> is a javascript: URL")
                continue
            if lowered.startswith(EXTERNAL_SCHEMES) or ref.startswith("//"):
                continue
            if ":" in lowered.split("/", 1)[0]:
                broken.append(f"{source}: <{tag} {attr}={value!r}> has an unknown scheme")
                continue
            checked += 1
            url = urljoin(here, ref)
            if not url.startswith(base):
                broken.append(f"{source}: <{tag} {attr}={value!r}> leaves the site ({url})")
                continue
            target = target_file(site, url, base)
            if target is None or not target.is_file():
                shown = target.relative_to(site).as_posix() if target else url
                broken.append(f"{source}: <{tag} {attr}={value!r}> -> missing {shown}")
                continue
            fragment = unquote(urlsplit(url).fragment)
            if fragment and target.suffix == ".html":
                target_ids = ids.get(target.resolve())
                if target_ids is None:
                    target_ids = parse(target).ids
                if fragment not in target_ids:
                    broken.append(
                        f"{source}: <{tag} {attr}={value!r}> -> "
                        f"{target.relative_to(site).as_posix()} has no id {fragment!r}"
                    )
    return checked, broken


def test_page_url_and_target_follow_directory_semantics(tmp_path):
    site = tmp_path
    (site / "a").mkdir()
    assert page_url(site, site / "index.html") == BASE
    assert page_url(site, site / "a" / "index.html") == BASE + "a/"
    assert page_url(site, site / "404.html") == BASE + "404.html"
    assert target_file(site, urljoin(BASE + "a/", "../b/")) == site / "b" / "index.html"
    assert target_file(site, urljoin(BASE + "a/", "x.css?v=1#t")) == site / "a" / "x.css"
    assert target_file(site, BASE) == site / "index.html"
    sub = BASE + "survey/"
    assert page_url(site, site / "a" / "index.html", sub) == sub + "a/"
    assert target_file(site, urljoin(sub + "a/", "/survey/b/"), sub) == site / "b" / "index.html"
    assert target_file(site, urljoin(sub + "a/", "/b/"), sub) is None


def test_crawler_finds_what_is_broken(tmp_path):
    """The crawler itself: a small site with one of every kind of breakage."""
    (tmp_path / "a").mkdir()
    (tmp_path / "index.html").write_text(
        '<a href="a/">ok</a><a href="a/#here">ok</a><a href="#top" id="top">ok</a>'
        '<a href="https://example.org/x">external</a><a href="mailto:x@y.z">mail</a>'
        '<a href="b/">missing dir</a><a href="a/#nowhere">missing id</a>'
        '<a href="javascript:void(0)">js</a><img src="/img.png">',
        encoding="utf-8",
    )
    (tmp_path / "a" / "index.html").write_text(
        '<h2 id="here">x</h2><a href="../">up</a><link href="../index.html">', encoding="utf-8"
    )
    checked, broken = crawl(tmp_path)
    assert checked == 8
    assert len(broken) == 4, broken
    text = "\n".join(broken)
    assert "missing b/index.html" in text
    assert "no id 'nowhere'" in text
    assert "javascript:" in text
    assert "missing img.png" in text


def test_every_internal_link_resolves(built_site: Path):
    checked, broken = crawl(built_site, deployed_base())
    assert checked > 1000, f"only {checked} internal references found: is the crawler blind?"
    if broken:
        pytest.fail(
            f"{len(broken)} broken internal reference(s) of {checked} checked; first "
            f"{min(len(broken), MAX_SHOWN)}:\n" + "\n".join(broken[:MAX_SHOWN]),
            pytrace=False,
        )
