"""Live preview: `python -m generator serve`.

Unlike `mkdocs serve`, which stops answering after a failed rebuild, this keeps serving the
last good site, and its rebuilds re-render only the pages whose generated Markdown changed.
Open pages reload themselves after each build: after a good one they show it, after a
failed one they show the errors (`file:line: error: ...`) in a banner above the last good
page, until a build succeeds. When the port asked for is taken, a free one is chosen and
announced.
"""

from __future__ import annotations

import functools
import hashlib
import html
import http.server
import json
import logging
import os
import re
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from mkdocs.commands.build import build as mkdocs_build
from mkdocs.config import load_config
from mkdocs.exceptions import MkDocsException
from mkdocs.plugins import BasePlugin
from mkdocs.structure.files import Files

from .errors import InputError
from .load import read_site_config
from .model import Settings
from .plugin import SurveyPlugin

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


class _Unchanged(BasePlugin):  # type: ignore[type-arg,no-untyped-call]
    """Marks generated files whose content did not change since the last build as old, so
    that a dirty build skips them. Pages that changed are rebuilt; the navigation of
    unchanged pages may lag behind until the next full build."""

    def __init__(self) -> None:
        super().__init__()
        self.seen: dict[str, str] = {}

    def on_files(self, files: Files, config: Any) -> Files:
        docs = os.path.realpath(config.docs_dir)
        kept = generated = 0
        for file in files:
            src = file.abs_src_path
            if src is None or os.path.realpath(src).startswith(docs + os.sep):
                continue
            digest = hashlib.sha1(Path(src).read_bytes()).hexdigest()
            generated += 1
            if self.seen.get(file.src_uri) == digest:
                os.utime(src, (1, 1))
                kept += 1
            self.seen[file.src_uri] = digest
        if kept:
            log.info("survey: %d of %d generated files unchanged, not rebuilt", kept, generated)
        return files


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


class Preview:
    """Builds the site into `site_dir` and rebuilds it when an input changes."""

    def __init__(self, root: Path, site_dir: Path) -> None:
        self.root = root
        self.site_dir = site_dir
        self.build_id = 0
        self.failures = 0
        self.errors: list[str] = []
        """What the last build logged as errors, when it failed; empty after a good one."""
        self.unchanged = _Unchanged()
        self.lock = threading.Lock()
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
        """Changes with every build, good or failed: open pages reload when it does."""
        return f"{self.build_id}.{self.failures}"

    def build(self, dirty: bool) -> bool:
        """One build; True when it succeeded. Errors are logged, never raised, and kept
        for the banner of the served pages."""
        caught = _Errors()
        logging.getLogger("mkdocs").addHandler(caught)
        try:
            return self._build(dirty, caught)
        finally:
            logging.getLogger("mkdocs").removeHandler(caught)

    def _build(self, dirty: bool, caught: _Errors) -> bool:
        started = time.perf_counter()
        try:
            config = load_config(str(self.root / "mkdocs.yml"), site_dir=str(self.site_dir))
            config.plugins["survey-preview"] = self.unchanged
            survey = config.plugins.get("survey")
            if not isinstance(survey, SurveyPlugin):
                raise MkDocsException("mkdocs.yml lists no `survey` plugin")
            survey.wait_for_search = False
            config.plugins.on_startup(command="serve", dirty=dirty)
            with self.lock:
                mkdocs_build(config, dirty=dirty)
                self.build_id += 1
        except (MkDocsException, SystemExit) as exc:
            log.error("the build failed (%s); still serving the last good site", exc)
            self.errors = [line for line in caught.lines if line] or [str(exc)]
            self.failures += 1
            return False
        self.errors = []
        log.info("survey: built in %.1f s; pages reload now", time.perf_counter() - started)
        return True


class _Handler(http.server.SimpleHTTPRequestHandler):
    preview: Preview

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002
        return None

    def do_GET(self) -> None:  # noqa: N802
        if self.path == "/__build":
            self._send(self.preview.state().encode(), "text/plain")
            return
        path = Path(self.translate_path(self.path))
        if path.is_dir():
            path = path / "index.html"
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

    def _send(self, body: bytes, content_type: str) -> None:
        """A complete 200 response that the browser must not cache."""
        self.send_response(200)
        self.send_header("Content-Type", content_type)
        self.send_header("Cache-Control", "no-store")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


class _Quiet(logging.Filter):
    """Drops the two warnings every dirty build prints: both describe the trade-off this
    preview makes on purpose (unchanged pages are not re-rendered)."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        return not (
            message.startswith("A 'dirty' build is being performed")
            or "set_edit_path invocations went unused" in message
        )


def serve(root: Path, site_dir: Path, host: str = "127.0.0.1", port: int = 8000) -> None:
    """Build, serve on http://host:port/, and rebuild on every change until interrupted."""
    for log_handler in logging.getLogger().handlers:
        log_handler.addFilter(_Quiet())
    os.chdir(root)
    preview = Preview(root, site_dir)
    preview.build(dirty=False)
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
            preview.build(dirty=True)
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
