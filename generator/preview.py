"""Live preview: `python -m generator serve`.

Unlike `mkdocs serve`, which stops answering after a failed rebuild, this keeps serving the
last good site. The first build is a full MkDocs build; after an edit of the taxonomy, the
dumps, papers.yaml, published.json or a hand-written page, the survey is analysed again
in this process (the merged papers are reused when only the taxonomy changed) and only
the pages whose Markdown changed are rendered again (generator/live.py): the page the
reader has open at once, so that it reloads with the edit, every other one when it is
first asked for. A paper's page changes only when what it is made of does
(pages.PaperPages.inputs); the related papers behind it are worked out after the open
page has reloaded. A new navigation (a theme added, removed or renamed) reaches every
page, each when it is asked for. The search index, the feeds and the data files
(papers.json, papers.csv, papers.bib, the Explore page's word index) stay as the last
full build made them, and the preview says so; any other change (mkdocs.yml, the
theme's overrides, a new or removed file in docs/) makes a full build again.
Open pages reload themselves after each build: after a good one they show it, after a
failed one they show the errors (`file:line: error: ...`) in a banner above the last good
page, until a build succeeds. When the port asked for is taken, a free one is chosen and
announced.
"""

from __future__ import annotations

import functools
import html
import http.server
import json
import logging
import os
import re
import secrets
import sys
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from mkdocs.commands.build import build as mkdocs_build
from mkdocs.config import load_config
from mkdocs.exceptions import MkDocsException

from .errors import InputError
from .live import Captured, LiveSite, Markdown, Papers, write_redirects
from .load import load, read_site_config, site_config
from .model import Inputs, Settings, Survey
from .plugin import SurveyPlugin
from .site import analyse, reader_pages
from .urls import is_paper_doc, paper_doc

log = logging.getLogger("mkdocs.plugins.survey")

RELOAD = (
    b"<script>(function(){var b=%s;setInterval(function(){fetch('/__build').then("
    b"function(r){return r.text()}).then(function(t){if(t!==b)location.reload()})"
    b".catch(function(){})},200)})()</script>"
)
BANNER = (
    '<div class="survey-preview-error" role="alert" style="position:sticky;top:0;z-index:10;'
    "background:#b00020;color:#fff;padding:.8rem 1.2rem;font:14px/1.5 monospace;"
    'white-space:pre-wrap;max-height:50vh;overflow:auto">'
    "<strong>The last build failed; this is the last good site.</strong>\n{}</div>"
)


class _Errors(logging.Handler):
    """Collects the error lines a build logs, for the banner."""

    def __init__(self) -> None:
        super().__init__(logging.ERROR)
        self.lines: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.lines.append(record.getMessage().split("Traceback")[0].strip())


WATCHED = (
    "mkdocs.yml",
    "published.json",
    "taxonomy.yaml",
    "dumps",
    "docs",
    "overrides",
    "generator",
)
"""What the preview watches, besides the taxonomy and dumps that mkdocs.yml names."""

STALE = "the search index, the feeds and the data files are from the last full build"


class Preview:
    """Builds the site into `site_dir`, and after an edit renders again what changed."""

    def __init__(self, root: Path, site_dir: Path) -> None:
        self.root = root
        self.site_dir = site_dir
        self.process = secrets.token_hex(4)
        """Tells this process's builds from those of the process before a restart."""
        self.build_id = 0
        self.failures = 0
        self.errors: list[str] = []
        """What the last build logged as errors, when it failed; empty after a good one."""
        self.lock = threading.Lock()
        """Held while pages are written or read."""
        self.live: LiveSite | None = None
        """The site of the last full build, for pages rendered again one at a time."""
        self.papers = Papers()
        self.opened = ""
        """The page a reader asked for last, as a path in the site: rendered first."""
        try:
            self.settings = read_site_config(root).settings
        except InputError:  # reported by the first build
            self.settings = Settings()

    def inputs(self) -> Iterator[Path]:
        """Every file whose change calls for a rebuild (or, for the generator's own code, a
        restart): the files and folders of WATCHED, and the plugin's taxonomy and dumps."""
        names = [*WATCHED, self.settings.taxonomy, self.settings.dumps, self.settings.papers]
        for name in dict.fromkeys(names):
            path = self.root / name
            if path.is_dir():
                yield from sorted(p for p in path.rglob("*") if p.is_file())
            else:
                yield path

    def snapshot(self) -> dict[Path, float]:
        """Modification time of every input."""
        return {p: p.stat().st_mtime for p in self.inputs() if p.exists()}

    def state(self) -> str:
        """Changes with every build, good or failed, and with a restart: open pages reload
        when it does."""
        return f"{self.process}.{self.build_id}.{self.failures}"

    def rebuild(self, changed: set[Path]) -> bool:
        """After the inputs `changed`: the pages that changed, or a full build when the
        change is one the pages alone cannot follow. True when it succeeded."""
        live = self.live
        edited = [self._hand_written(p) for p in changed]
        survey = {self.settings.taxonomy, self.settings.papers, "published.json"}
        names = [p.relative_to(self.root).as_posix() for p in changed]
        dumps = [n.startswith(self.settings.dumps.rstrip("/") + "/") for n in names]
        if live is None or not all(
            n in survey or d or e for n, d, e in zip(names, dumps, edited, strict=True)
        ):
            return self.build()
        try:
            return self._caught(lambda c: self._update(live, [e for e in edited if e], c))
        except Exception:  # a page MkDocs cannot render: the full build reports it
            log.exception("survey: rendering the changed pages failed; a full build instead")
            return self.build()

    def _hand_written(self, path: Path) -> str:
        """The page's path in docs/ when `path` is a hand-written page of the last full
        build that still exists, else empty."""
        docs = self.root / "docs"
        if self.live is None or path.suffix != ".md" or docs not in path.parents:
            return ""
        name = path.relative_to(docs).as_posix()
        file = self.live.files.get_file_from_path(name)
        return name if file is not None and path.exists() and file.abs_src_path else ""

    def build(self) -> bool:
        """One full build; True when it succeeded. Errors are logged, never raised, and
        kept for the banner of the served pages."""
        return self._caught(self._build)

    def _caught(self, step: Callable[[_Errors], bool]) -> bool:
        caught = _Errors()
        logging.getLogger("mkdocs").addHandler(caught)
        try:
            return step(caught)
        finally:
            logging.getLogger("mkdocs").removeHandler(caught)

    def _failed(self, caught: _Errors, why: str) -> bool:
        log.error("the build failed (%s); still serving the last good site", why)
        self.errors = [line for line in caught.lines if line] or [why]
        self.failures += 1
        return False

    def _build(self, caught: _Errors) -> bool:
        started = time.perf_counter()
        captured = Captured()
        try:
            config = load_config(str(self.root / "mkdocs.yml"), site_dir=str(self.site_dir))
            config.plugins["survey-preview"] = captured
            survey = config.plugins.get("survey")
            if not isinstance(survey, SurveyPlugin):
                raise MkDocsException("mkdocs.yml lists no `survey` plugin")
            survey.wait_for_search = False
            config.plugins.on_startup(command="serve", dirty=False)
            with self.lock:
                self.live = None
                mkdocs_build(config)
                self.build_id += 1
        except (MkDocsException, SystemExit) as exc:
            return self._failed(caught, str(exc))
        site = survey.site
        if site is not None:
            self.live = LiveSite(config, captured, site.pages)
            self.papers = Papers(site)
        self.errors = []
        log.info("survey: built in %.1f s; pages reload now", time.perf_counter() - started)
        return True

    def _update(self, live: LiveSite, edited: list[str], caught: _Errors) -> bool:
        """The survey analysed again, and the pages that changed rendered again: the open
        one now, the others when asked for; then the papers' pages, whose related papers
        are worked out after the open page has reloaded."""
        started = time.perf_counter()
        try:
            inputs = load(self.root, site_config(live.config))
            survey = analyse(inputs)
            pages = reader_pages(inputs, survey)
        except InputError as exc:
            for problem in exc.problems:
                (log.error if problem.severity == "error" else log.warning)(str(problem))
            return self._failed(caught, f"the survey's input has {len(exc.problems)} problem(s)")
        for problem in survey.warnings:
            if problem.severity != "advice":
                log.warning(str(problem))
        texts: dict[str, Markdown] = {
            p: pages[p] if pages.rendered(p) else functools.partial(pages.__getitem__, p)
            for p in pages
        }
        for paper in survey.corpus.papers:
            path = paper_doc(paper.slug)
            texts[path] = live.markdown.get(path) or functools.partial(self.papers.page, paper)
        with self.lock:
            self.papers.ready.clear()
            navigation = live.update(texts, edited)
            if navigation:  # a page may be gone: its published address redirects
                write_redirects(self.site_dir, inputs, survey)
            self._render_opened(live, papers=False)
            self.build_id += 1
            self.errors = []
        log.info(
            "survey: the open page rendered again %.1f s after the save%s; every other page "
            "is rendered again when opened, if it changed; %s",
            time.perf_counter() - started,
            ", with the new navigation" if navigation else "",
            STALE,
        )
        self._update_papers(live, inputs, survey)
        return True

    def _update_papers(self, live: LiveSite, inputs: Inputs, survey: Survey) -> None:
        started = time.perf_counter()
        changed = self.papers.update(inputs, survey)
        with self.lock:
            live.update(changed, every=False)
            self.papers.ready.set()
            self._render_opened(live, papers=True)
        log.info(
            "survey: the papers' pages checked in %.1f s, related papers included; %d are "
            "made of something new, and rendered again when opened, if their text changed",
            time.perf_counter() - started,
            len(changed),
        )

    def _render_opened(self, live: LiveSite, papers: bool) -> None:
        file = live.file_at(self.opened)
        if file is not None and is_paper_doc(file.src_uri) == papers:
            live.fresh(file)

    def page(self, dest: str) -> None:
        """Before the page at `dest` (a path in the site) is served: render it if it is
        stale; a paper's page waits for the papers' pages to be known."""
        live = self.live
        file = live.file_at(dest) if live is not None else None
        if live is None or file is None:
            return
        self.opened = dest
        if is_paper_doc(file.src_uri):
            self.papers.ready.wait()
        with self.lock:
            if live.stale(file):
                live.fresh(file)


class _Handler(http.server.SimpleHTTPRequestHandler):
    preview: Preview

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002
        return None

    def do_GET(self) -> None:  # noqa: N802
        if self.path == "/__build":
            self._send(self.preview.state().encode(), "text/plain")
            return
        path = Path(self.translate_path(self.path))
        if path.is_dir() or self.path.split("?")[0].endswith("/"):
            path = path / "index.html"
        if path.suffix == ".html":
            self._fresh(path)
        if path.suffix == ".html" and path.is_file():
            with self.preview.lock:
                body = path.read_bytes()
            state = json.dumps(self.preview.state()).replace("<", "\\u003c").encode()
            body = body.replace(b"</body>", RELOAD % state + b"</body>", 1)
            if self.preview.errors:
                banner = BANNER.format(html.escape("\n".join(self.preview.errors)))
                body = re.sub(rb"<body[^>]*>", lambda m: m[0] + banner.encode(), body, count=1)
            self._send(body, "text/html; charset=utf-8")
            return
        super().do_GET()

    def _fresh(self, path: Path) -> None:
        """Render the page at `path` first when it is stale."""
        try:
            dest = path.relative_to(self.preview.site_dir).as_posix()
        except ValueError:
            return
        try:
            self.preview.page(dest)
        except Exception:  # the page on disk is served, and the error told
            log.exception("survey: could not render %s again", dest)

    def _send(self, body: bytes, content_type: str) -> None:
        """A complete 200 response that the browser must not cache."""
        self.send_response(200)
        self.send_header("Content-Type", content_type)
        self.send_header("Cache-Control", "no-store")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


class _Quiet(logging.Filter):
    """Drops the warning gen-files prints when pages are rendered outside its build: the
    edit paths it was given are used once, by the full build."""

    def filter(self, record: logging.LogRecord) -> bool:
        return "set_edit_path invocations went unused" not in record.getMessage()


def serve(root: Path, site_dir: Path, host: str = "127.0.0.1", port: int = 8000) -> None:
    """Build, serve on http://host:port/, and rebuild on every change until interrupted."""
    for log_handler in logging.getLogger().handlers:
        log_handler.addFilter(_Quiet())
    os.chdir(root)
    preview = Preview(root, site_dir)
    preview.build()
    handler = functools.partial(_Handler, directory=str(site_dir))
    _Handler.preview = preview
    try:
        server = http.server.ThreadingHTTPServer((host, port), handler)
    except OSError as exc:  # the port is taken (or not ours to use): any free one will do
        server = http.server.ThreadingHTTPServer((host, 0), handler)
        log.warning(
            "survey: port %d is not free (%s); using %d",
            port,
            exc.strerror,
            server.server_address[1],
        )
    port = int(server.server_address[1])
    threading.Thread(target=server.serve_forever, daemon=True).start()
    log.info(
        "survey: serving on http://%s:%d/ ; watching %s and the taxonomy and dumps",
        host,
        port,
        ", ".join(WATCHED),
    )
    before = preview.snapshot()
    try:
        while True:
            time.sleep(0.1)
            now = preview.snapshot()
            if now == before:
                continue
            changed = {p for p in {*now, *before} if now.get(p) != before.get(p)}
            before = now
            if any(p.suffix == ".py" and root / "generator" in p.parents for p in changed):
                # The build runs in this process: new code needs a new process.
                log.info("survey: the generator's code changed; restarting the preview")
                server.shutdown()
                server.server_close()
                args = _restart_args(root, port)
                os.execv(sys.executable, [sys.executable, "-m", "generator", *args])
            preview.rebuild(changed)
    except KeyboardInterrupt:
        server.shutdown()


def _restart_args(root: Path, port: int) -> list[str]:
    """This process's command line for `python -m generator`, with the project folder given
    as an absolute path (the preview runs in that folder) and the port it serves on, so
    that open pages find it again."""
    args, rest = ["--root", str(root)], iter(sys.argv[1:])
    for arg in rest:
        if arg in ("--root", "--port"):
            next(rest, None)
        elif not arg.startswith(("--root=", "--port=")):
            args.append(arg)
    return [*args, "--port", str(port)]
