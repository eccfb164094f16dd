"""The reader's search: a Pagefind index of the survey, built beside the MkDocs build.

Pagefind splits its index into small chunks that the browser fetches for the words of a
query, so the first result comes within a second at 10,000 papers; the theme's built-in
search downloads and builds one index of the whole site first. (How the two
compare: docs/performance.md.) Pagefind holds the whole index in memory while it builds
it, about 120 KB per record, so a large survey is indexed in parts of PART_SIZE records,
one process after the other, which the browser merges (docs/js/search.js).

The index is made from the survey's own data, not from the built HTML (the records of
generator/searchtext.py). `begin` starts the Pagefind binary (from the `pagefind_bin`
package) in a background thread as soon as the generator has the papers, so it runs on
another core while MkDocs renders the pages; `finish` waits for it and moves the index into
the built site. The binary is driven through its `--service` mode, the interface Pagefind's
own Python and Node APIs use: requests and responses are base64-encoded JSON, each followed
by a comma.
"""

from __future__ import annotations

import base64
import html
import json
import logging
import re
import shutil
import subprocess
import tempfile
import threading
import time
import unicodedata
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from .searchtext import Record, excluded, markdown_text, records

__all__ = ["Indexer", "Record", "SearchIndexError", "excluded", "markdown_text", "records"]

log = logging.getLogger("mkdocs.plugins.survey")

BUNDLE = "pagefind"
"""Folder of the index in the built site."""
BATCH = 200
"""Requests written before their responses are read (keeps both pipes from filling)."""
PART_SIZE = 6000
"""Records per Pagefind process. Its memory grows by about 120 KB per record indexed, so a
large survey is indexed in parts, one process after the other, each written as a bundle of
its own, and the browser merges them (PARTS lists them): 6,000 records take about 740 MB.
Each part costs the first query of a visit some time, so parts are no smaller than that.
The survey plugin's `search_part_size` option sets it (the tests use small parts)."""
UNUSED = ("pagefind-*ui.*", "pagefind-highlight.js")
"""Pagefind's own search interfaces, which the survey's dialog does not use."""
PARTS = "parts.json"
"""In the main bundle: the folders of the other parts, relative to it."""
COMMON = "common.json"
"""In the main bundle: the COMMON_WORDS words most records hold, each with the number of
records that hold it. Each word of a query costs one index chunk in every part, however
rare the word (Pagefind's chunks are of about one size), so the dialog asks Pagefind for
the rarest words of a long query only (docs/js/search.js, MAX_TERMS) and checks the others
itself."""
COMMON_WORDS = 400
_WORD = re.compile(r"[^\W_]+")
THEMES = "themes.json"
"""In the main bundle: each value of the `theme` filter and how many records have it, the
list the dialog offers. (Pagefind's own list of filter values loads the filter index of
every part, which at 30,000 papers held up the reader's first query, docs/performance.md.)"""


class SearchIndexError(RuntimeError):
    """Pagefind failed or could not be started."""


def executable() -> Path:
    try:
        from pagefind_bin import get_executable
    except ImportError as exc:  # pragma: no cover - a broken installation
        raise SearchIndexError(
            "the search index needs the pagefind_bin package; run `make site`, which installs "
            "the project's pinned requirements"
        ) from exc
    return Path(get_executable())


class Service:
    """One `pagefind --service` process, spoken to synchronously."""

    def __init__(self) -> None:
        self.proc = subprocess.Popen(
            [str(executable()), "--service"],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
        )
        self.next_id = 0
        self.buffer = b""

    def send(self, payload: Mapping[str, Any]) -> int:
        assert self.proc.stdin is not None
        self.next_id += 1
        message = {"message_id": self.next_id, "payload": payload}
        self.proc.stdin.write(base64.b64encode(json.dumps(message).encode("utf-8")) + b",")
        return self.next_id

    def receive(self) -> dict[str, Any]:
        assert self.proc.stdin is not None and self.proc.stdout is not None
        self.proc.stdin.flush()
        while b"," not in self.buffer:
            chunk = self.proc.stdout.read1(1 << 16)  # type: ignore[attr-defined]
            if not chunk:
                raise SearchIndexError(f"pagefind stopped (exit {self.proc.wait()})")
            self.buffer += chunk
        message, _, self.buffer = self.buffer.partition(b",")
        payload: dict[str, Any] = json.loads(base64.b64decode(message))["payload"]
        if payload.get("type") == "Error":
            raise SearchIndexError(f"pagefind: {payload.get('message')}")
        return payload

    def request(self, payload: Mapping[str, Any]) -> dict[str, Any]:
        self.send(payload)
        return self.receive()

    def close(self) -> None:
        if self.proc.stdin is not None:
            try:
                self.proc.stdin.close()
            except BrokenPipeError:
                pass
        try:
            self.proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
        if self.proc.stdout is not None:
            self.proc.stdout.close()


def write_parts(
    items: Sequence[Record], folder: Path, language: str = "en", size: int = PART_SIZE
) -> int:
    """Index `items` in parts of `size` records (the last holds up to a tenth more, rather
    than a part of a few records: each part costs every query a chunk per word): the first
    part's bundle in `folder`, the others' in `folder/part-<n>`, listed in
    `folder/parts.json`; beside them the theme list and the common words. Returns the number
    of parts."""
    starts = list(range(0, max(len(items), 1), size))
    if len(starts) > 1 and len(items) - starts[-1] < size // 10:
        starts.pop()  # a few records more in the last part, not a part of their own
    ends = [*starts[1:], len(items)]
    names = [f"part-{n}/" for n in range(1, len(starts))]
    for start, end, name in zip(starts, ends, ["", *names], strict=True):
        part = items[start:end]
        write_index(part, folder / name, language)
        for unused in UNUSED:
            for path in (folder / name).glob(unused):
                path.unlink()
        if _indexed(folder / name) != len(part):  # seen once: an empty pagefind-entry.json
            shutil.rmtree(folder / name if name else folder, ignore_errors=True)
            write_index(part, folder / name, language)
            if _indexed(folder / name) != len(part):
                raise SearchIndexError(
                    f"pagefind wrote {folder / name / 'pagefind-entry.json'} for "
                    f"{_indexed(folder / name)} pages instead of {len(part)}"
                )
    (folder / PARTS).write_text(json.dumps(names), encoding="utf-8")
    counts: dict[str, int] = {}
    for item in items:
        for value in item.filters.get("theme", ()):
            counts[value] = counts.get(value, 0) + 1
    (folder / THEMES).write_text(json.dumps(counts, sort_keys=True), encoding="utf-8")
    (folder / COMMON).write_text(json.dumps(common_words(items)), encoding="utf-8")
    return len(starts)


def words(text: str) -> list[str]:
    """The words of `text` as the dialog reads a query (docs/js/search.js, `words`): letters
    and digits, lowercase, without accents."""
    folded = "".join(c for c in unicodedata.normalize("NFD", text) if not unicodedata.combining(c))
    return _WORD.findall(folded.lower())


def common_words(items: Sequence[Record], limit: int = COMMON_WORDS) -> dict[str, int]:
    """The `limit` words the most records hold (in their title or text), with how many."""
    held: dict[str, int] = {}
    for item in items:
        for word in set(words(item.title + " " + item.content)):
            held[word] = held.get(word, 0) + 1
    ranked = sorted(held.items(), key=lambda kv: (-kv[1], kv[0]))[:limit]
    return dict(ranked)


def _indexed(bundle: Path) -> int:
    """The pages a written bundle says it holds; -1 when it cannot be read."""
    try:
        entry = json.loads((bundle / "pagefind-entry.json").read_text(encoding="utf-8"))
        return sum(int(language["page_count"]) for language in entry["languages"].values())
    except (OSError, ValueError, KeyError, TypeError):
        return -1


def write_index(items: Sequence[Record], folder: Path, language: str = "en") -> None:
    """Index `items` and write Pagefind's bundle (index, fragments, its scripts) to `folder`."""
    service = Service()
    try:
        index = service.request({"type": "NewIndex", "config": None})["index_id"]
        for start in range(0, len(items), BATCH):
            batch = items[start : start + BATCH]
            for item in batch:
                service.send(_request(item, index, language))
            for _ in batch:
                service.receive()
        service.request({"type": "WriteFiles", "index_id": index, "output_path": str(folder)})
    finally:
        service.close()


def _request(item: Record, index: str, language: str) -> dict[str, Any]:
    """Pagefind's request to add `item`: a record of plain text, or, for a text weighted
    otherwise than 1 (which a record cannot say), an HTML page of the same text."""
    filters = {k: list(v) for k, v in item.filters.items()}
    if item.weight == 1.0:
        return {
            "type": "AddRecord",
            "index_id": index,
            "url": item.url,
            "content": item.content,
            "language": language,
            "meta": {"title": item.title, **item.meta},
            "filters": filters or None,
            "sort": None,
        }
    e = html.escape
    head = [
        f'<meta data-pagefind-meta="{e(k)}[content]" content="{e(v)}">'
        for k, v in {"title": item.title, **item.meta}.items()
    ] + [
        f'<meta data-pagefind-filter="{e(k)}[content]" content="{e(v)}">'
        for k, values in filters.items()
        for v in values
    ]
    page = (
        f'<html lang="{e(language)}"><head>{"".join(head)}</head><body>'
        f'<div data-pagefind-weight="{item.weight:g}">{e(item.content)}</div></body></html>'
    )
    return {
        "type": "AddFile",
        "index_id": index,
        "file_path": None,
        "url": item.url,
        "file_contents": page,
    }


class Job:
    """`write_index` in a background thread, into a temporary folder."""

    def __init__(
        self, items: Sequence[Record], language: str = "en", part_size: int = PART_SIZE
    ) -> None:
        self.folder = Path(tempfile.mkdtemp(prefix="survey-search-")) / BUNDLE
        self.count = len(items)
        self.parts = 0
        self.error: BaseException | None = None
        self.started = time.perf_counter()
        self.thread = threading.Thread(
            target=self._run, args=(items, language, part_size), name="pagefind", daemon=True
        )
        self.thread.start()

    def _run(self, items: Sequence[Record], language: str, part_size: int) -> None:
        try:
            self.parts = write_parts(items, self.folder, language, part_size)
        except BaseException as exc:  # reported by finish(), in the build's thread
            self.error = exc

    def finish(self, site_dir: Path) -> Path:
        """Wait for the index; move it to `site_dir/pagefind`. Raises SearchIndexError."""
        self.thread.join()
        try:
            if self.error is not None:
                raise SearchIndexError(f"the search index could not be built: {self.error}")
            target = site_dir / BUNDLE
            if target.exists():
                shutil.rmtree(target)
            shutil.move(str(self.folder), target)
            return target
        finally:
            shutil.rmtree(self.folder.parent, ignore_errors=True)


class Indexer:
    """The search index of one build after another (`mkdocs serve` and the live preview
    rebuild in one process): `begin` starts indexing, `finish` puts the index into the
    site."""

    def __init__(self) -> None:
        self.job: Job | None = None
        self.later: threading.Thread | None = None
        """A `finish(wait=False)` still moving its index into the site."""

    def begin(
        self, items: Sequence[Record], language: str = "en", part_size: int = PART_SIZE
    ) -> None:
        """Start indexing `items` in the background (replacing an index still being built)."""
        if self.later is not None:
            self.later.join()
        if self.job is not None:
            self.job.thread.join()
            shutil.rmtree(self.job.folder.parent, ignore_errors=True)
        self.job = Job(items, language, part_size)

    def finish(self, site_dir: Path, wait: bool = True) -> None:
        """Put the index started by `begin` into the built site; nothing if none was started.
        Without `wait` (the live preview, whose pages are ready before the index), the index
        goes in when it is ready, and a failure is logged as an error."""
        job, self.job = self.job, None
        if job is None:
            return
        if not wait:
            self.later = threading.Thread(
                target=_finish_later, args=(job, site_dir), name="pagefind-move", daemon=True
            )
            self.later.start()
            return
        waited = time.perf_counter()
        job.finish(site_dir)
        log.info(
            "survey: indexed %d pages for search in %d part(s) (%.1f s, %.1f s of it after "
            "the pages)",
            job.count,
            job.parts,
            time.perf_counter() - job.started,
            time.perf_counter() - waited,
        )


def _finish_later(job: Job, site_dir: Path) -> None:
    try:
        job.finish(site_dir)
    except SearchIndexError as exc:
        log.error("survey: %s; search shows the previous index", exc)
        return
    log.info(
        "survey: indexed %d pages for search in %d part(s) (%.1f s)",
        job.count,
        job.parts,
        time.perf_counter() - job.started,
    )
