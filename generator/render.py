"""Render pages from small named Jinja templates through one `render(name, **ctx)`.

Every value a template prints is escaped for Markdown and HTML unless it is `Markup`,
so a paper's text can never become markup, a link, a table cell boundary or a script.
Only the project's own fragments (theme summaries written by the survey's author,
internal links, checked external URLs) are wrapped in `Markup`.
"""

from __future__ import annotations

import html
import re
import urllib.parse
from typing import Any

import jinja2
import yaml
from markupsafe import Markup

# Every ASCII character that Markdown, its extensions or HTML can read as syntax.
_MD_SPECIAL = frozenset("\\`*_{}[]()#+-.!|<>&~^=:\"'$@%")
_MD_TABLE = {ord(c): f"&#{ord(c)};" for c in _MD_SPECIAL}


def md_escape(text: str) -> str:
    """Text that Python-Markdown renders back as exactly `text`: syntax characters become
    numeric character references, which Markdown leaves alone and HTML decodes."""
    return text.translate(_MD_TABLE)


def external_url(url: str) -> Markup:
    """A URL safe to put inside a Markdown link, or ValueError if it is not http(s)."""
    parts = urllib.parse.urlsplit(url)
    if parts.scheme.lower() not in ("http", "https") or not parts.netloc:
        raise ValueError(f"only http(s) links are emitted, not {url!r}")
    return Markup(urllib.parse.quote(url, safe=":/?#[]@!$&'*+,;=%~-._"))


def who(paper: Any) -> str:
    """Who wrote a paper: its organisation, else its number of authors, else ''."""
    if paper.organization:
        return str(paper.organization)
    if paper.authors_count:
        return f"{paper.authors_count} author" + ("s" if paper.authors_count != 1 else "")
    return ""


def _finalize(value: Any) -> str:
    if isinstance(value, Markup):
        return str(value)
    if value is None:
        return ""
    return md_escape(str(value))


_env = jinja2.Environment(
    loader=jinja2.PackageLoader("generator", "templates"),
    finalize=_finalize,
    autoescape=False,
    undefined=jinja2.StrictUndefined,
    keep_trailing_newline=True,
    trim_blocks=True,
    lstrip_blocks=True,
)
_env.filters["url"] = external_url
_env.filters["attr"] = lambda value: Markup(html.escape(str(value), quote=True))
_env.globals["Markup"] = Markup
_env.globals["who"] = who


def front_matter(**meta: Any) -> Markup:
    """YAML front matter; a title is HTML-escaped because the theme prints it unescaped."""
    if "title" in meta:
        meta["title"] = html.escape(meta["title"], quote=False)
    return Markup("---\n" + yaml.safe_dump(meta, allow_unicode=True, sort_keys=True) + "---\n")


def render(name: str, **ctx: Any) -> str:
    """Render template `<name>.md.j2` with `ctx`."""
    text = _env.get_template(f"{name}.md.j2").render(**ctx)
    return re.sub(r"\n{3,}", "\n\n", text)
