from __future__ import annotations

import html
import re

import markdown
import pytest

from generator.render import external_url, md_escape

HARD = [
    "DeepSeek-R1 Thoughtology: Let's <think> about LLM Reasoning",
    "From P(y|x) to P(y): Investigating Reinforcement Learning in Pre-train Space",
    "A & B == B & A: Triggering Logical Reasoning Failures in Large Language Models",
    "A*-Thought: Efficient Reasoning via Bidirectional Compression",
    "ALR^2: A Retrieve-then-Reason Framework",
    "<script>alert(1)</script> and <img src=x onerror=alert(2)>",
    "**bold** _em_ `code` [link](javascript:alert(1)) ![img](x.png) <http://x.org>",
    "{{ config.site_name }} {% if x %}y{% endif %} {# c #}",
    "| a | b |\n|---|---|",
    "# not a heading",
    "1. not a list",
    "\\textbf{x} \\% \\\\",
    "Right\u200fto\u200eleft \u6ce8\u610f\u529b \U0001f9e0 &amp; &#60;",
    "*[HTML]: abbreviation; [^1] footnote; {: .attr } ~~del~~ ==mark== ^^ins^^",
]

EXTENSIONS = ["abbr", "attr_list", "md_in_html", "tables", "admonition", "toc"]


def text_of(rendered: str) -> str:
    assert "<script" not in rendered and "<img" not in rendered and "<a " not in rendered
    inner = re.sub(r"<[^>]+>", "", rendered)
    return html.unescape(inner).strip()


@pytest.mark.parametrize("title", HARD)
def test_escaped_text_renders_back_verbatim(title: str) -> None:
    one_line = " ".join(title.split("\n"))
    rendered = markdown.markdown(md_escape(one_line), extensions=EXTENSIONS)
    assert text_of(rendered) == one_line


@pytest.mark.parametrize("title", HARD)
def test_escaped_text_stays_in_its_table_cell(title: str) -> None:
    one_line = " ".join(title.split("\n"))
    table = f"| a | b |\n| --- | --- |\n| {md_escape(one_line)} | x |\n"
    rendered = markdown.markdown(table, extensions=EXTENSIONS)
    cells = re.findall(r"<td>(.*?)</td>", rendered, re.S)
    assert len(cells) == 2
    assert text_of(cells[0]) == one_line


@pytest.mark.parametrize(
    "url", ["javascript:alert(1)", "data:text/html,x", "ftp://x.org/a", "//x.org", "http:/x"]
)
def test_only_http_links_are_emitted(url: str) -> None:
    with pytest.raises(ValueError):
        external_url(url)


def test_external_url_cannot_break_out_of_a_markdown_link() -> None:
    assert external_url("https://x.org/a b)<c>") == "https://x.org/a%20b%29%3Cc%3E"
