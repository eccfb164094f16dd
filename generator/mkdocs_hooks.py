"""MkDocs hooks of the project."""

from __future__ import annotations

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.files import Files, InclusionLevel


def on_files(files: Files, config: MkDocsConfig) -> Files:
    """Keep the generated SUMMARY.md for literate-nav to read, but do not publish it."""
    summary = files.get_file_from_path("SUMMARY.md")
    if summary is not None:
        summary.inclusion = InclusionLevel.EXCLUDED
    return files
