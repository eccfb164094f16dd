"""No LaTeX or TeX remnant reaches a reader of the built seed site: not in a page's visible
text or tooltips, the Explore page's data, a feed, the data files or the search index."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest
from remnants import handwritten, remnants, site_remnants, site_texts

from generator.dump import parse_dump
from generator.latex import clean_latex, title_name
from generator.text import decode

ROOT = Path(__file__).parent.parent
DUMPS = sorted((ROOT / "dumps").glob("*.txt"))
LITERAL = handwritten(ROOT / "docs")
"""The hand-written pages, whose code examples show LaTeX on purpose (see `site_texts`)."""


def test_no_remnant_reaches_a_reader_of_the_seed_site(built_site: Path) -> None:
    assert LITERAL >= {"editing/", "data/"}
    found = site_remnants(built_site, LITERAL)
    listed = "\n".join(f"{name}: {snippet!r}" for name, snippet in found[:40])
    assert found == [], f"{len(found)} LaTeX remnants in the built site:\n{listed}"


def test_the_scan_reads_every_kind_of_output(built_site: Path) -> None:
    kinds = Counter(
        "fragment" if name.endswith(".pf_fragment") else name.rsplit(".", 1)[-1]
        for name, text in site_texts(built_site, LITERAL)
        if text.strip()
    )
    assert kinds["html"] > 100 and kinds["xml"] > 10 and kinds["fragment"] > 100
    assert kinds["json"] >= 2 and kinds["csv"] == 1
    texts = dict(site_texts(built_site, LITERAL))
    assert "Pixel Reasoner" in texts["papers.json"]
    explore = texts["explore/index.html"]
    assert "IQBench: How “Smart” Are" in explore  # from the JSON data the page carries


def raw_texts() -> list[str]:
    """Every title and abstract of the seed dumps, as written there."""
    out = []
    for path in DUMPS:
        records, _ = parse_dump(decode(path.read_bytes(), path.name), path.name)
        out += [text for r in records for text in (r.title, r.abstract)]
    return out


def test_the_pattern_finds_the_seed_dumps_remnants() -> None:
    """The dumps as written hold remnants of every kind the pattern knows, so a cleaner that
    let them through would be caught."""
    found = [r for text in raw_texts() for r in remnants(text)]
    assert len(found) > 60
    for sample in ("\\ourmodel", "\\model", "{textbf S}", "``", "`Soft", "MF^2", "langle"):
        assert any(sample in r for r in found), sample


def test_the_cleaned_seed_texts_hold_no_remnant_and_stay_as_they_are() -> None:
    """Cleaned once, no seed title or abstract holds a remnant; cleaned again (a redirect
    page cleans a title that may already be clean), none changes."""
    for text in raw_texts():
        clean = clean_latex(text, title_name(text))
        assert remnants(clean) == [], text
        assert clean_latex(clean) == clean, text


@pytest.mark.parametrize(
    "text",
    [
        "models such as `o4-mini`, `gemini-2.5-flash`, and `claude-3.7-sonnet` achieving",
        "to elicit specific behavior (e.g., 'What happened {time}{place}?') -- we",
        'frequently appear after structural delimiters like "\\n\\n", serving as signals',
        "Plantain yields an ~6% improvement in pass@1 (~6%)",
        "It costs $5 to $10, or US$5, and $5-$10.",
        "the models' accuracy and it's 'quoted' with “curly” quotes and snake_case gpt_4",
        "A & B == B & A: P(y|x), 84% on V* bench, O(n²), x₀, ‘Soft Thinking’ and “Smart”",
        "see https://www.cs.example.edu/~user/a_{b}^2 and Fig.\u00a03",
    ],
)
def test_the_pattern_leaves_legitimate_text_alone(text: str) -> None:
    assert remnants(text) == []
