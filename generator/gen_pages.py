"""mkdocs-gen-files entry script: load, build, write the pages and the navigation."""

from __future__ import annotations

from pathlib import Path

import mkdocs_gen_files
from mkdocs.exceptions import Abort

from generator import search
from generator.errors import InputError
from generator.site import build, log, project_root

config = mkdocs_gen_files.config
try:
    site = build(
        project_root(),
        site_url=config.site_url or None,
        directory_urls=config.use_directory_urls,
    )
except InputError as exc:
    for problem in exc.problems:
        (log.error if problem.severity == "error" else log.warning)(str(problem))
    raise Abort(f"the survey's input has {len(exc.problems)} problem(s); see above") from None
for problem in site.warnings:
    log.warning(str(problem))

if not search.enabled_builtin(config.plugins):
    # Pagefind indexes the survey on another core while MkDocs renders the pages; the
    # project's hook (generator/mkdocs_hooks.py) puts the index into the site at the end.
    docs = Path(config.docs_dir)
    searched = {
        "index.md": site.pages["index.md"],
        **search.hand_written(docs, sorted(p.name for p in docs.glob("*.md"))),
    }
    search.begin(
        search.records(
            site.corpus, site.taxonomy, site.assignment, searched, config.use_directory_urls
        ),
        language=config.theme.get("language") or "en",
    )

for path, text in site.pages.items():
    with mkdocs_gen_files.open(path, "w") as f:
        f.write(text)
    if path != "SUMMARY.md":
        mkdocs_gen_files.set_edit_path(path, "../taxonomy.yaml")

# Feeds, data files and redirect pages: not Markdown, so MkDocs copies them as they are.
for path, text in site.files.items():
    with mkdocs_gen_files.open(path, "w") as f:
        f.write(text)
