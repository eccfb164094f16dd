# ruff: noqa: E501  (expected messages are kept whole, as a user reads them)
"""Organisation names as the Explore page shows them: spellings of one organisation merged,
different organisations kept apart, and taxonomy.yaml's `organizations:` read with located
errors and checked against the papers."""

from __future__ import annotations

import pytest

from generator.assign import assign
from generator.checks import validate
from generator.errors import InputError
from generator.ingest import merge
from generator.model import RawRecord, Source
from generator.taxonomy import load_taxonomy
from generator.text import organisation_keys, organisation_names


def test_spellings_of_one_organisation_are_merged() -> None:
    names = ["alibaba-inc", "Alibaba-NLP", "NVIDIA", "Nvidia", "OpenAI", "Open AI", "Meta AI"]
    names += ["Meta", "ServiceNow-AI", "Hippocratic AI", "Apple"]
    shown = organisation_names(names)
    assert shown["alibaba-inc"] == shown["Alibaba-NLP"] == "Alibaba"
    assert shown["NVIDIA"] == shown["Nvidia"] == "NVIDIA"
    assert shown["OpenAI"] == shown["Open AI"] == "OpenAI"
    assert shown["Meta AI"] == shown["Meta"] == "Meta"
    # One spelling is shown as the dumps write it.
    assert shown["ServiceNow-AI"] == "ServiceNow-AI"
    assert shown["Hippocratic AI"] == "Hippocratic AI"


def test_different_organisations_stay_apart() -> None:
    names = ["Google", "Google DeepMind", "Microsoft Research Asia", "Microsoft", "AI"]
    names += ["Shanghai AI Lab", "Shanghai Jiao Tong University", "Inc"]
    shown = organisation_names(names)
    assert len(set(shown.values())) == len(names)
    # A suffix is only a suffix after a name: "AI" alone is a name.
    assert organisation_keys("AI")[1] == "ai"


def test_the_most_written_spelling_wins() -> None:
    shown = organisation_names(["deepseek-ai", "DeepSeek", "DeepSeek", "deepseek"])
    assert set(shown.values()) == {"DeepSeek"}


def test_overrides_name_and_keep_apart() -> None:
    names = ["alibaba-inc", "Alibaba-NLP", "Qwen"]
    # A listed name is shown as the table says; the automatic group joins a name it shares.
    assert organisation_names(names, {"alibaba-inc": "Alibaba"}) == {
        "alibaba-inc": "Alibaba",
        "Alibaba-NLP": "Alibaba",
        "Qwen": "Qwen",
    }
    # Up to case; and a listed name is merged with nothing else.
    apart = organisation_names(names, {"ALIBABA-NLP": "Alibaba NLP"})
    assert apart == {"alibaba-inc": "alibaba-inc", "Alibaba-NLP": "Alibaba NLP", "Qwen": "Qwen"}
    together = organisation_names(names, {"Qwen": "Alibaba", "Alibaba-NLP": "Alibaba"})
    assert set(together.values()) == {"Alibaba"}


TAXONOMY = """\
site:
  title: T
organizations:
{orgs}
themes:
  - id: a
    title: A
    keywords: [attention]
"""


def test_the_table_loads() -> None:
    tax = load_taxonomy(TAXONOMY.format(orgs="  alibaba-inc: Alibaba\n  Alibaba-NLP: Alibaba"))
    assert tax.organizations == (
        ("alibaba-inc", "Alibaba", 4, 3),
        ("Alibaba-NLP", "Alibaba", 5, 3),
    )


@pytest.mark.parametrize(
    ("orgs", "message"),
    [
        (
            "  - alibaba-inc",
            "taxonomy.yaml:4:3: error: organizations must map a name as the dumps write it to the name to show, found a list; such as",
        ),
        (
            "  alibaba-inc: [Alibaba]",
            'taxonomy.yaml:4:16: error: the name shown for "alibaba-inc" in organizations must be text, found a list',
        ),
        (
            "  alibaba-inc: Alibaba\n  Alibaba-Inc: Alibaba Group",
            'taxonomy.yaml:5:3: error: "Alibaba-Inc" is in organizations twice (first on line 4)',
        ),
        (
            "  2024: Alibaba",
            'taxonomy.yaml:4:3: error: an organisation\'s name in organizations must be text, found a number "2024"; put it in quotes if it is meant as text',
        ),
    ],
)
def test_a_wrong_table_is_reported_where_it_is(orgs: str, message: str) -> None:
    with pytest.raises(InputError) as exc:
        load_taxonomy(TAXONOMY.format(orgs=orgs))
    assert any(line.startswith(message) for line in str(exc.value).splitlines()), str(exc.value)


def test_check_advises_on_a_name_no_paper_has() -> None:
    tax = load_taxonomy(TAXONOMY.format(orgs="  Alibaba-NPL: Alibaba\n  Tencent: Tencent"))
    records = [
        RawRecord(f"Attention {n}", "On attention.", Source("dumps/a.txt", n), organization=org)
        for n, org in [(1, "Alibaba-NLP"), (2, "tencent")]
    ]
    corpus, _ = merge(records)
    problems = [
        p for p in validate(corpus, tax, assign(corpus, tax)) if "organizations" in p.message
    ]
    assert [str(p) for p in problems] == [
        'taxonomy.yaml:4:3: advice: organizations names "Alibaba-NPL", which is no paper\'s organisation (did you mean "Alibaba-NLP"?)'
    ]
