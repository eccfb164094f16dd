# ruff: noqa: E501  (expected messages are kept whole, as a user reads them)
from __future__ import annotations

import textwrap

import pytest

from generator.errors import InputError
from generator.phrases import compile_phrase
from generator.taxonomy import load_taxonomy

GOOD = """\
site:
  title: T
sources:
  - file: a.txt
    label: A
    captured: 2025-10-29
themes:
  - id: reasoning
    title: Reasoning
    summary: Text.
    keywords: ["chain of thought"]
    children:
      - id: rl
        title: RL
        title_keywords: ["reinforcement learning", "/\\\\bRL\\\\b/"]
"""


def test_good_taxonomy_loads() -> None:
    tax = load_taxonomy(GOOD)
    assert [t.id for t in tax.themes] == ["reasoning", "rl"]
    assert tax.roots == ("reasoning",)
    assert tax.by_id()["rl"].parent == "reasoning"
    assert tax.by_id()["reasoning"].children == ("rl",)
    assert tax.sources[0].captured.isoformat() == "2025-10-29"


def errors(text: str) -> list[str]:
    with pytest.raises(InputError) as exc:
        load_taxonomy(textwrap.dedent(text))
    return str(exc.value).splitlines()


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (
            "site: [unclosed\n",
            "taxonomy.yaml:1:7: error: YAML syntax error: this list is never closed: add `]` "
            "at its end (the parser gave up on line 2)",
        ),
        ("", "taxonomy.yaml: error: the file is empty; it needs at least"),
        (
            "site:\n  title: T\n  title: U\nthemes: []\n",
            "taxonomy.yaml:3:3: error: duplicate key "
            '"title" in site (first on line 2); YAML would silently keep only the last one',
        ),
        (
            "site:\n  titel: T\nthemes: []\n",
            'taxonomy.yaml:2:3: error: unknown key "titel" in site '
            '(did you mean "title"?); valid keys: about, description, intro, title',
        ),
        (
            "site:\n  title: T\nthemes:\n  - id: a\n    title: A\n    keyword: [x]\n",
            'taxonomy.yaml:6:5: error: unknown key "keyword" in a theme (did you mean "keywords"?)',
        ),
        (
            "site:\n  title: T\nthemes:\n  - id: a\n    title: A\n    keywords: attention\n",
            'taxonomy.yaml:6:15: error: keywords of a must be a list such as ["a", "b"], found text',
        ),
        (
            "site:\n  title: 12\nthemes: []\n",
            'taxonomy.yaml:2:10: error: site.title must be text, found a number "12"; put it in '
            "quotes if it is meant as text",
        ),
        (
            "site:\n  title: T\nthemes:\n  - id: a\n    title: A\n  - id: a\n    title: B\n",
            'taxonomy.yaml:6: error: duplicate theme id "a" (first on line 4)',
        ),
        (
            'site:\n  title: T\nthemes:\n  - id: a\n    title: A\n    keywords: ["/(unclosed/"]\n',
            'taxonomy.yaml:6:16: error: invalid pattern "/(unclosed/" in keywords of a: missing ), '
            "unterminated subpattern at position 0",
        ),
        (
            "site:\n  title: T\nthemes:\n  - id: Long Context\n    title: A\n",
            'taxonomy.yaml:4:9: error: theme id "Long Context" must be lowercase letters and digits '
            'joined by "-", such as "long-context"',
        ),
        (
            "site:\n  title: T\nthemes:\n  - id: a\n    title: A\n    abstract_min: two\n",
            "taxonomy.yaml:6:19: error: abstract_min of a must be a whole number of at least 1, "
            'found "two"',
        ),
        (
            "site:\n  title: T\nsources:\n  - file: a.txt\n    captured: 29 Oct\nthemes: []\n",
            'taxonomy.yaml:5:15: error: captured must be a date such as 2025-05-21, found "29 Oct"',
        ),
        (
            "site:\n  title: T\nthemes:\n  - id: a\n    title: A\n    children:\n"
            "      - id: b\n        title: B\n        children:\n          - id: c\n"
            "            title: C\n            children:\n              - id: d\n"
            "                title: D\n",
            "taxonomy.yaml:13:15: error: themes nest at most 3 levels deep; move these sub-themes "
            "up a level",
        ),
        (
            "site:\n  title: T\noutside: a-paper\nthemes: []\n",
            "taxonomy.yaml:3:10: error: outside must be a list of papers and reasons, such as",
        ),
        (
            "site:\n  title: T\noutside:\n  - paper: a-paper\nthemes: []\n",
            'taxonomy.yaml:4:5: error: an entry of outside needs "why", such as',
        ),
        (
            'site:\n  title: T\noutside:\n  - paper: a-paper\n    why: ""\nthemes: []\n',
            'taxonomy.yaml:5:10: error: the reason "a-paper" is outside is empty',
        ),
        (
            "site:\n  title: T\noutside:\n  - {paper: a, why: W}\n  - {paper: a, why: V}\n"
            "themes: []\n",
            'taxonomy.yaml:5:13: error: "a" is in outside twice (first on line 4)',
        ),
        (
            "site:\n  title: T\noutside:\n  - {paper: a, why: W, reason: V}\nthemes: []\n",
            'taxonomy.yaml:4:24: error: unknown key "reason" in an entry of outside',
        ),
    ],
)
def test_each_error_names_line_and_column(text: str, message: str) -> None:
    found = errors(text)
    assert any(line.startswith(message) for line in found), found


def test_every_problem_is_reported_in_one_run() -> None:
    found = errors("site:\n  titel: T\nthemes:\n  - id: a\n    titel: A\n  - id: a\n    title: B\n")
    # Each problem once, at its own line, in file order.
    assert [line.split(": error: ")[0] for line in found] == [
        "taxonomy.yaml:1:1",
        "taxonomy.yaml:2:3",
        "taxonomy.yaml:4:5",
        "taxonomy.yaml:5:5",
        "taxonomy.yaml:6",
    ], found
    assert [line.split(": error: ")[1].split(" (")[0] for line in found] == [
        'site needs a "title"',
        'unknown key "titel" in site',
        'theme "a" needs a "title"',
        'unknown key "titel" in a theme',
        'duplicate theme id "a"',
    ], found


@pytest.mark.parametrize(
    ("phrase", "text", "hit"),
    [
        ("chain of thought", "uses Chain-of-Thought prompting", True),
        ("chain of thought", "chains of thought", False),
        ("reason*", "reasoners and reasoning", True),
        ("rag", "fragment", False),
        ("kv cache", "the KV  cache grows", True),
        ("/\\bCoT\\b/", "CoT helps", True),
    ],
)
def test_phrase_matching(phrase: str, text: str, hit: bool) -> None:
    assert bool(compile_phrase(phrase).search(text)) is hit
