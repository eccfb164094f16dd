"""Two builds of the same inputs are byte-identical, whatever the hash seed or the order in
which the dump files were written to disk: every file but Pagefind's filter indexes, which
Pagefind writes in an arbitrary order from one run to the next (its maintainer, in
Pagefind/pagefind#638: "other files will still change, such as the filter/metadata
indexes"); those hold the same bytes, and the two files naming them differ by those names."""

from __future__ import annotations

import gzip
import hashlib
import re
from pathlib import Path

from test_bad_inputs import add_dump, make_project, mkdocs_build

# MkDocs stamps the sitemap with the build date (<lastmod>), so it changes from one day to
# the next by design; its list of URLs is compared instead.
STAMPED = {"sitemap.xml", "sitemap.xml.gz"}


def _unordered(path: Path) -> bytes:
    """Pagefind's filter index with its order taken out: its bytes, sorted."""
    return bytes(sorted(gzip.decompress(path.read_bytes())))


def digest(site: Path) -> dict[str, str]:
    out = {}
    for p in sorted(site.rglob("*")):
        if not p.is_file() or p.name in STAMPED:
            continue
        name = str(p.relative_to(site))
        if p.suffix == ".pf_filter":
            # named by a hash of its arbitrary order: keyed by its content instead
            content = _unordered(p)
            out["pagefind/filter/" + hashlib.sha256(content).hexdigest()] = "same bytes"
        elif p.suffix == ".pf_meta" or p.name == "pagefind-entry.json":
            out[re.sub(r"_[0-9a-f]{10}\.", ".", name)] = "names the filter indexes"
        else:
            out[name] = hashlib.sha256(p.read_bytes()).hexdigest()
    return out


def build(project: Path, site: Path, seed: str) -> None:
    result = mkdocs_build(project, site, PYTHONHASHSEED=seed)
    assert result.returncode == 0, result.stderr


def test_builds_are_byte_identical(tmp_path: Path) -> None:
    first = make_project(tmp_path / "one")
    second = make_project(tmp_path / "two")
    # a second dump, written to disk before the first in one project and after in the other
    extra = "Pointer Networks\nWe introduce a new neural architecture. It learns pointers.\n"
    (second / "dumps" / "a.txt").rename(second / "dumps" / "moved")
    add_dump(second, "b.txt", extra)
    (second / "dumps" / "moved").rename(second / "dumps" / "a.txt")
    add_dump(first, "b.txt", extra)
    build(first, tmp_path / "site1", "1")
    build(second, tmp_path / "site2", "4242")
    one, two = digest(tmp_path / "site1"), digest(tmp_path / "site2")
    assert one.keys() == two.keys()
    differ = sorted(name for name in one if one[name] != two[name])
    assert differ == []
    sitemap = [(tmp_path / s / "sitemap.xml").read_text() for s in ("site1", "site2")]
    locs = [sorted(line for line in s.splitlines() if "<loc>" in line) for s in sitemap]
    assert locs[0] == locs[1] and len(locs[0]) > 3
