"""Fuzzing (issue 19): mutated seed dumps and taxonomies never give a traceback. Either the
loader reports located problems, or the survey builds with no record lost."""

from __future__ import annotations

import shutil
import time
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from generator.errors import InputError
from generator.load import load
from generator.model import SiteConfig
from generator.site import analyse, compose

ROOT = Path(__file__).parent.parent
SEEDS = sorted((ROOT / "dumps").glob("*.txt"))
BUDGET_S = 20
"""Most seconds one mutated project may take to load and build."""
NASTY = [
    *("\u2028", "\x0c", "\x1b[2J", "\x00", "\x08", "\u202e", "\ufeff", "\r", "\t"),
    *("·", "  • 3 authors", "May 2", "Feb 30, 2025 4", "Daily Papers", "Subscribe"),
    *("<script>", "{{ x }}", "&amp;", "/(a|aa)+$/", "&a [1]", "*a", "? *a", "- id: x"),
]

edits = st.lists(
    st.tuples(
        st.sampled_from(["delete", "insert", "replace", "splice"]),
        st.integers(min_value=0, max_value=10_000),
        st.one_of(st.sampled_from(NASTY), st.text(max_size=40)),
    ),
    min_size=1,
    max_size=6,
)


def mutate(text: str, changes: list[tuple[str, int, str]]) -> str:
    lines = text.split("\n")
    for kind, at, piece in changes:
        n = at % max(len(lines), 1)
        if kind == "delete" and lines:
            del lines[n]
        elif kind == "insert":
            lines.insert(n, piece)
        elif kind == "replace" and lines:
            lines[n] = piece
        elif lines:
            cut = at % (len(lines[n]) + 1)
            lines[n] = lines[n][:cut] + piece + lines[n][cut:]
    return "\n".join(lines)


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("fuzz")
    shutil.copytree(ROOT / "dumps", folder / "dumps")
    shutil.copy(ROOT / "taxonomy.yaml", folder)
    (folder / "docs").mkdir()
    return folder


@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
    derandomize=True,
)
@given(target=st.sampled_from([*range(len(SEEDS)), -1]), changes=edits, render=st.booleans())
def test_mutated_inputs_are_reported_or_built(
    project: Path, target: int, changes: list[tuple[str, int, str]], render: bool
) -> None:
    original = SEEDS[target] if target >= 0 else ROOT / "taxonomy.yaml"
    path = project / ("dumps" if target >= 0 else "") / original.name
    path.write_text(mutate(original.read_text(encoding="utf-8"), changes), encoding="utf-8")
    started = time.perf_counter()
    try:
        inputs = load(project, SiteConfig(site_url="https://example.org/"))
        site = compose(inputs) if render else analyse(inputs)
    except InputError as exc:
        assert exc.problems
        for problem in exc.problems:
            assert problem.file in (f"dumps/{p.name}" for p in SEEDS) or problem.file in (
                "taxonomy.yaml",
                "dumps",
            ), problem
            assert problem.line > 0 or problem.file == "dumps" or "year" in problem.message
            assert "\x1b" not in str(problem) and "\x00" not in str(problem)
    else:
        a = site.assignment
        placed = set(a.unsorted) | set(a.themes_of) | set(a.outside)
        assert placed == {p.slug for p in site.corpus.papers}
        assert sum(len(p.sources) for p in site.corpus.papers) == len(inputs.records)
    finally:
        shutil.copy(original, path)
    assert time.perf_counter() - started < BUDGET_S
