"""Render pages from small named Jinja templates through one `render(name, **ctx)`.

Every value a template prints is escaped for Markdown and HTML unless it is `Markup`,
so a paper's text can never become markup, a link, a table cell boundary or a script.
Only the project's own fragments (theme summaries written by the survey's author,
internal links, checked external URLs) are wrapped in `Markup`.
"""

from __future__ import annotations

import functools
import html
import re
import urllib.parse
from typing import Any

import jinja2
import yaml
from markupsafe import Markup

from .cite import DATE_NOTES, author_line

# Every ASCII character that Markdown, its extensions or HTML can read as syntax.
_MD_SPECIAL = frozenset("\\`*_{}[]()#+-.!|<>&~^=:\"'$@%")
_MD_TABLE = {ord(c): f"&#{ord(c)};" for c in _MD_SPECIAL}


# "&" first, as every reference holds one; "#" is not replaced but split on, as every
# reference holds one too. One str.replace per character present is several times faster
# than str.translate with a table of strings.
_MD_REPLACE = [("&", "&#38;")] + [(c, f"&#{ord(c)};") for c in sorted(_MD_SPECIAL) if c not in "&#"]


# Titles and theme names are escaped on many pages each.
@functools.lru_cache(maxsize=1 << 16)
def md_escape(text: str) -> str:
    """Text that Python-Markdown renders back as exactly `text`: syntax characters become
    numeric character references, which Markdown leaves alone and HTML decodes."""
    # str's own methods: a subclass such as Markup escapes what replace() inserts
    if "#" in text:
        return "&#35;".join(md_escape(part) for part in str.split(text, "#"))
    text = str(text)
    for char, reference in _MD_REPLACE:
        if char in text:
            text = str.replace(text, char, reference)
    return text


def external_url(url: str) -> Markup:
    """A URL safe to put inside a Markdown link, or ValueError if it is not http(s)."""
    parts = urllib.parse.urlsplit(url)
    if parts.scheme.lower() not in ("http", "https") or not parts.netloc:
        raise ValueError(f"only http(s) links are emitted, not {url!r}")
    return Markup(urllib.parse.quote(url, safe=":/?#[]@!$&'*+,;=%~-._"))


def who(paper: Any) -> str:
    """Who wrote a paper: its authors (papers.yaml), else its organisation, else its number
    of authors, else ''."""
    if paper.authors:
        return author_line(paper)
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
# An external URL inside a raw HTML attribute.
_env.filters["href"] = lambda url: Markup(html.escape(str(external_url(url)), quote=True))
_env.globals["Markup"] = Markup
_env.globals["who"] = who
_env.globals["date_notes"] = DATE_NOTES


def front_matter(**meta: Any) -> Markup:
    """YAML front matter; a title and a description are HTML-escaped because the theme
    prints them unescaped (the description inside an attribute)."""
    if "title" in meta:
        meta["title"] = html.escape(meta["title"], quote=False)
    if "description" in meta:
        meta["description"] = html.escape(meta["description"], quote=True)
    try:
        body = "".join(_yaml_lines(meta, ""))
    except TypeError:  # a value the short writer below does not know
        body = yaml.safe_dump(meta, allow_unicode=True, sort_keys=True)
    return Markup("---\n" + body + "---\n")


# What front matter holds is a few keys, strings, numbers and flags, on every page: written
# directly, it costs a small fraction of yaml.safe_dump. Strings are double-quoted, where
# YAML reads every character as itself except the escaped ones: the quote, the backslash,
# and the characters YAML cannot hold as they are or reads as line breaks.
_PLAIN_KEY = re.compile(r"[A-Za-z_][A-Za-z0-9_-]*")
_YAML_ESCAPE = re.compile(r'[\\"\x00-\x1f\x7f-\x9f\u2028\u2029\ud800-\udfff\ufeff\ufffe\uffff]')


def _yaml_char(match: re.Match[str]) -> str:
    code = ord(match.group())
    if match.group() in '\\"':
        return "\\" + match.group()
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def _yaml_scalar(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, str):
        return '"' + _YAML_ESCAPE.sub(_yaml_char, value) + '"'
    raise TypeError(type(value).__name__)


def _yaml_lines(meta: dict[str, Any], indent: str) -> list[str]:
    lines = []
    for key in sorted(meta):
        value = meta[key]
        if not isinstance(key, str):
            raise TypeError(type(key).__name__)
        name = key if _PLAIN_KEY.fullmatch(key) and key not in _YAML_WORDS else _yaml_scalar(key)
        if isinstance(value, dict) and value:
            lines.append(f"{indent}{name}:\n")
            lines += _yaml_lines(value, indent + "  ")
        elif isinstance(value, list | tuple) and value:
            lines.append(f"{indent}{name}:\n")
            lines += [f"{indent}- {_yaml_scalar(item)}\n" for item in value]
        elif isinstance(value, dict | list | tuple):
            lines.append(f"{indent}{name}: {'{}' if isinstance(value, dict) else '[]'}\n")
        else:
            lines.append(f"{indent}{name}: {_yaml_scalar(value)}\n")
    return lines


# Plain words YAML 1.1 reads as something other than a string.
_YAML_WORDS = frozenset(
    w
    for word in ("y", "yes", "n", "no", "true", "false", "on", "off", "null")
    for w in (word, word.capitalize(), word.upper())
)


def render(name: str, **ctx: Any) -> str:
    """Render template `<name>.md.j2` with `ctx`."""
    text = _env.get_template(f"{name}.md.j2").render(**ctx)
    return re.sub(r"\n{3,}", "\n\n", text)
