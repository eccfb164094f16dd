from __future__ import annotations

import pytest

from generator.text import clean_latex, extract_links, slugify, title_key


@pytest.mark.parametrize(
    ("raw", "clean"),
    [
        ("improves accuracy by 12.5\\% on GSM8K", "improves accuracy by 12.5% on GSM8K"),
        (
            "we call this \\textbf{personalized reasoning} here",
            "we call this personalized reasoning here",
        ),
        (
            "tokens\\textemdash discrete units\\textemdash are",
            "tokens\u2014discrete units\u2014are",
        ),
        ("the language (\\ie, question) is", "the language (i.e., question) is"),
        ("more effective, \\eg, achieving", "more effective, e.g., achieving"),
        ("DeepSeek-R1 vis-\\`a-vis cognitive", "DeepSeek-R1 vis-\u00e0-vis cognitive"),
        ("na\\\"ive and caf\\'e", "na\u00efve and caf\u00e9"),
        (
            "released at: https://github.com/a/UniCTokens{https://github.com/a/UniCTokens}.",
            "released at: https://github.com/a/UniCTokens.",
        ),
        (
            "available at https://github.com/g/MARGE{this link}.",
            "available at https://github.com/g/MARGE.",
        ),
        ("R\\&D and x\\_y", "R&D and x_y"),
        ("\\textbf{\\emph{nested}} style", "nested style"),
        # Unknown macros and literal backslash sequences are not LaTeX remnants we can undo.
        (
            "We introduce \\ourmodel, an attention-free model",
            "We introduce \\ourmodel, an attention-free model",
        ),
        ('delimiters like "\\n\\n", serving', 'delimiters like "\\n\\n", serving'),
        ("the \\iem operator", "the \\iem operator"),
    ],
)
def test_clean_latex(raw: str, clean: str) -> None:
    assert clean_latex(raw) == clean


@pytest.mark.parametrize(
    ("text", "links"),
    [
        ("Code is available at https://github.com/a/b.", ("https://github.com/a/b",)),
        ("project page (https://verify-eqh.pages.dev/).", ("https://verify-eqh.pages.dev/",)),
        (
            "KiloGram is at https://lil.nlp.cornell.edu/kilogram .",
            ("https://lil.nlp.cornell.edu/kilogram",),
        ),
        (
            "at -- http://nlp.cs.washington.edu/triviaqa/",
            ("http://nlp.cs.washington.edu/triviaqa/",),
        ),
        ("https://x.org/a and again https://x.org/a, done", ("https://x.org/a",)),
        (
            "see https://en.wikipedia.org/wiki/Foo_(bar).",
            ("https://en.wikipedia.org/wiki/Foo_(bar)",),
        ),
        (
            "code: https://github.com/a/b; data: https://hf.co/d/e",
            ("https://github.com/a/b", "https://hf.co/d/e"),
        ),
        ("not links: ftp://x.org/a javascript:alert(1) www.x.org", ()),
        ("a bare https:// or https://localhost is not a site", ()),
    ],
)
def test_extract_links(text: str, links: tuple[str, ...]) -> None:
    assert extract_links(text) == links


@pytest.mark.parametrize(
    ("title", "slug"),
    [
        (
            "DeepSeek-R1 Thoughtology: Let's <think> about LLM Reasoning",
            "deepseek-r1-thoughtology-let-s-think-about-llm-reasoning",
        ),
        ("From P(y|x) to P(y): Investigating RL", "from-p-y-x-to-p-y-investigating-rl"),
        ("A*-Thought: Efficient Reasoning", "a-thought-efficient-reasoning"),
        ("Caf\u00e9 na\u00efve", "cafe-naive"),
        ("\u6ce8\u610f\u529b", "paper"),
        ("x" * 100, "x" * 80),
        ("word " * 30, ("word-" * 16)[:-1]),
    ],
)
def test_slugify(title: str, slug: str) -> None:
    assert slugify(title) == slug


def test_title_key_ignores_case_and_spacing() -> None:
    assert title_key("Soft  Thinking: X") == title_key("soft thinking: x")
    assert title_key("A & B") != title_key("A B")
