"""The editing commands (`rename-theme`, `move`, `suggest --apply`, `merge`): each edits the
survey's inputs round trip, keeps every line it does not change byte for byte, keeps the
published addresses working, checks its result with the loader and writes nothing when
asked not to or when the result is wrong."""

from __future__ import annotations

import difflib
import re
import shutil
from pathlib import Path

import pytest
import yaml

from generator.cli import main
from generator.copies import link_site_config
from generator.evaluate import precision
from generator.load import load
from generator.site import analyse, build
from generator.suggest import MIN_SCORE, suggest
from generator.urls import feed_path, theme_url

ROOT = Path(__file__).parent.parent
GOLDEN = ROOT / "tests" / "golden" / "project"
SITE_URL = "https://example.org/golden/"
# The golden taxonomy, written by hand as maintainers do: two indentations, comments at
# the end of lines and between themes, a plain scalar folded over two lines.
LAYOUT = [
    (
        "  - file: 001_daily.txt\n    label: Daily Papers\n    captured: 2025-03-04\n",
        "- file: 001_daily.txt  # the first dump\n  label: Daily Papers\n  captured: 2025-03-04\n",
    ),
    (
        "  - file: 002_search.txt\n    label: Paper search\n    captured: 2025-03-10\n",
        "- file: 002_search.txt\n  label: Paper search\n  captured: 2025-03-10\n",
    ),
    (
        "  description: The fixture whose generated pages the tests pin.\n",
        "  description: The fixture whose generated pages\n    the tests pin.\n",
    ),
    (
        "      - id: latent\n        title: Latent reasoning\n",
        "      # Latent reasoning: kept apart from chain of thought on purpose.\n"
        "      - id: latent   # was `continuous` once\n        title: Latent reasoning\n",
    ),
    ("        abstract_min: 2\n", "        abstract_min: 2  # one mention is not enough\n"),
]


def run(root: Path, *args: str) -> int:
    return main(["--root", str(root), *args])


@pytest.fixture
def golden(tmp_path: Path) -> Path:
    """A copy of the golden project with a hand-written taxonomy (LAYOUT)."""
    project = tmp_path / "golden"
    shutil.copytree(GOLDEN, project)
    text = (project / "taxonomy.yaml").read_text(encoding="utf-8")
    for old, new in LAYOUT:
        assert old in text
        text = text.replace(old, new)
    (project / "taxonomy.yaml").write_text(text, encoding="utf-8")
    assert run(project, "check") == 0
    return project


@pytest.fixture
def seed(tmp_path: Path) -> Path:
    """A copy of the seed survey's inputs, with the site's configuration."""
    project = tmp_path / "seed"
    project.mkdir()
    for name in ("dumps", "evaluation", "docs"):
        shutil.copytree(ROOT / name, project / name)
    for name in ("taxonomy.yaml", "published.json", "papers.yaml"):
        shutil.copy(ROOT / name, project / name)
    link_site_config(ROOT, project)
    return project


def files(project: Path) -> dict[str, bytes]:
    return {
        p.relative_to(project).as_posix(): p.read_bytes()
        for p in sorted(project.rglob("*"))
        if p.is_file() and not p.is_symlink() and "generator" not in p.parts
    }


def changed(before: str, after: str) -> tuple[list[str], list[str]]:
    """The lines taken out of `before` and the lines put into `after`."""
    out, put = [], []
    a, b = before.splitlines(keepends=True), after.splitlines(keepends=True)
    for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(None, a, b, False).get_opcodes():
        if tag != "equal":
            out += a[i1:i2]
            put += b[j1:j2]
    return out, put


def survey(project: Path):  # noqa: ANN201 - the analysed survey
    return analyse(load(project))


# --------------------------------------------------------------------------- rename-theme


def test_rename_changes_only_its_lines_and_keeps_every_comment(
    golden: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    before = (golden / "taxonomy.yaml").read_text(encoding="utf-8")
    assert run(golden, "rename-theme", "latent", "hidden-state", "--title", "Hidden states") == 0
    after = (golden / "taxonomy.yaml").read_text(encoding="utf-8")
    out, put = changed(before, after)
    assert out == [
        "      - id: latent   # was `continuous` once\n",
        "        title: Latent reasoning\n",
    ]
    assert put == [
        "      - id: hidden-state   # was `continuous` once\n",
        "        title: Hidden states\n",
    ]
    printed = capsys.readouterr().out
    assert "--- a/taxonomy.yaml\n+++ b/taxonomy.yaml\n" in printed
    assert "-      - id: latent   # was `continuous` once\n" in printed
    assert "+        title: Hidden states\n" in printed
    assert "--- a/published.json\n" in printed
    assert run(golden, "check") == 0


def test_rename_rewrites_every_summary_link(
    golden: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    before = (golden / "taxonomy.yaml").read_text(encoding="utf-8")
    assert run(golden, "rename-theme", "memory", "long-term-memory") == 0
    after = (golden / "taxonomy.yaml").read_text(encoding="utf-8")
    out, put = changed(before, after)
    assert len(out) == len(put) == 2
    assert "(/themes/long-term-memory/#papers)" in after and "/themes/memory/" not in after
    assert "      - id: long-term-memory\n" in put
    assert run(golden, "check") == 0


def test_the_old_theme_page_and_feed_keep_working(golden: Path) -> None:
    """Renamed with a new title too (so no title, id or parent matches), the old page
    redirects to the new one and the old feed is the new feed, after `urls --update` and
    after a second rename as well."""
    assert (
        run(
            golden, "rename-theme", "latent", "hidden-state", "--title", "Thinking in hidden states"
        )
        == 0
    )
    site = build(golden, site_url=SITE_URL)
    assert "url=../../themes/hidden-state/" in site.files["themes/latent/index.html"]
    assert site.files[feed_path("latent")] == site.files[feed_path("hidden-state")]
    assert (
        "<title>Thinking in hidden states · A golden survey</title>"
        in site.files[feed_path("latent")]
    )
    assert run(golden, "urls", "--update") == 0
    assert run(golden, "rename-theme", "hidden-state", "silent-thought", "--title", "Silent") == 0
    site = build(golden, site_url=SITE_URL)
    for old in ("latent", "hidden-state"):
        assert "url=../../themes/silent-thought/" in site.files[f"themes/{old}/index.html"]
        assert site.files[feed_path(old)] == site.files[feed_path("silent-thought")]
    recorded = (golden / "published.json").read_text(encoding="utf-8")
    assert f'"url": "{theme_url("latent")}", "title": "Silent"' in recorded
    assert '"to": "themes/silent-thought/"' in recorded


def test_the_recorded_rename_outlasts_a_later_change_of_title(golden: Path) -> None:
    """published.json names the page the old address leads to: a title changed by hand
    after the rename (so that neither title, id nor parent matches) does not lose it."""
    assert run(golden, "rename-theme", "latent", "hidden-state") == 0
    taxonomy = golden / "taxonomy.yaml"
    text = taxonomy.read_text(encoding="utf-8")
    taxonomy.write_text(text.replace("title: Latent reasoning", "title: Wordless"), "utf-8")
    site = build(golden, site_url=SITE_URL)
    assert "url=../../themes/hidden-state/" in site.files["themes/latent/index.html"]
    assert site.files[feed_path("latent")] == site.files[feed_path("hidden-state")]


def test_rename_keeps_every_judged_item(seed: Path, capsys: pytest.CaptureFixture[str]) -> None:
    judged = seed / "evaluation" / "precision.yaml"
    score = precision(judged, build(seed).assignment)
    text = judged.read_text(encoding="utf-8")
    intro = (seed / "taxonomy.yaml").read_text(encoding="utf-8")
    # a theme the judged sample holds and the introduction links (top-level themes without
    # sub-themes are both, in any sample of the seed survey's size)
    taxonomy = build(seed).taxonomy
    old = next(
        t.id
        for t in taxonomy.themes
        if f"  theme: {t.id}\n" in text and f"](/themes/{t.id}/)" in taxonomy.intro
    )
    title = taxonomy.by_id()[old].title
    assert run(seed, "rename-theme", old, "renamed", "--title", "Renamed") == 0
    site = build(seed)
    after = precision(judged, site.assignment)  # every judged item still counts
    assert (after.hits, after.total) == (score.hits, score.total)
    renamed = tuple(re.sub(rf"-> {re.escape(old)}(?=$|:)", "-> renamed", n) for n in score.notes)
    assert after.notes == renamed
    judged_items = text.count(f"  theme: {old}\n")
    assert changed(text, judged.read_text(encoding="utf-8")) == (
        [f"  theme: {old}\n"] * judged_items,
        ["  theme: renamed\n"] * judged_items,
    )
    out, put = changed(intro, (seed / "taxonomy.yaml").read_text(encoding="utf-8"))
    linking = sum(f"](/themes/{old}/)" in line for line in intro.splitlines())
    assert len(out) == len(put) == linking + 2  # every line that links it, the id, the title
    assert f"[{title}](/themes/renamed/)" in put[0]
    assert "url=../../themes/renamed/" in site.files[f"themes/{old}/index.html"]
    assert site.files[f"feed-{old}.xml"] == site.files["feed-renamed.xml"]


JUDGED = {
    "precision.yaml": "# judged\nsample:\n- slug: memory-networks\n  theme: latent  # checked\n"
    "  verdict: correct\n",
    "related_pairs.yaml": "pairs:\n  - a: memory-networks\n    b: attention-is-all-you-need\n"
    "  - a: let-s-think-about-p-y-x-a-markdown-pipe-braces-title\n    b: memory-networks\n",
    "search_queries.yaml": "- query: latent\n  expect: themes/latent/\n  also: []\n"
    "- query: memory\n  expect: papers/let-s-think-about-p-y-x-a-markdown-pipe-braces-title/\n"
    "  also: [papers/memory-networks/, themes/latent/]\n",
}


def test_rename_and_merge_follow_every_judgement(
    golden: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """What evaluation/ names, by theme id, slug or URL, follows a rename and a merge; a
    judged pair of the two merged papers is left as it was."""
    (golden / "evaluation").mkdir()
    for name, text in JUDGED.items():
        (golden / "evaluation" / name).write_text(text, encoding="utf-8")
    assert run(golden, "rename-theme", "latent", "hidden-state") == 0
    keep = "let-s-think-about-p-y-x-a-markdown-pipe-braces-title"
    assert run(golden, "merge", keep, "memory-networks") == 0
    judged = {n: (golden / "evaluation" / n).read_text("utf-8") for n in JUDGED}
    assert judged["precision.yaml"] == (
        f"# judged\nsample:\n- slug: {keep}\n  theme: hidden-state  # checked\n  verdict: correct\n"
    )
    assert judged["related_pairs.yaml"] == JUDGED["related_pairs.yaml"].replace(
        "  - a: memory-networks\n", f"  - a: {keep}\n"
    )
    assert judged["search_queries.yaml"] == (
        "- query: latent\n  expect: themes/hidden-state/\n  also: []\n"
        f"- query: memory\n  expect: papers/{keep}/\n  also: [themes/hidden-state/]\n"
    )


# --------------------------------------------------------------------------- move


def test_move_a_listed_paper(golden: Path, capsys: pytest.CaptureFixture[str]) -> None:
    slug = "memory-networks"
    before = (golden / "taxonomy.yaml").read_text(encoding="utf-8")
    assert run(golden, "move", slug, "--from", "latent", "--to", "chain-of-thought") == 0
    after = (golden / "taxonomy.yaml").read_text(encoding="utf-8")
    why = survey(golden).assignment.why
    assert (slug, "latent") not in why
    assert why[(slug, "chain-of-thought")] == "listed in papers"
    assert changed(before, after) == (
        [
            "        papers: [let-s-think-about-p-y-x-a-markdown-pipe-braces-title, "
            "memory-networks]\n"
        ],
        [
            "        papers: [memory-networks]\n",
            "        papers: [let-s-think-about-p-y-x-a-markdown-pipe-braces-title]\n",
        ],
    )
    # the new key sits above the comment that introduces the next theme
    assert (
        "        abstract_min: 1\n        papers: [memory-networks]\n"
        "      # Latent reasoning: kept apart" in after
    )


def test_move_a_paper_a_rule_claims(golden: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """`memory` claims the paper by its keyword: it is excluded there; `attention` excluded
    it: it is listed there instead."""
    slug = "memory-networks"
    assert run(golden, "move", slug, "--from", "memory", "--to", "attention") == 0
    site = survey(golden)
    assert (slug, "memory") not in site.assignment.why
    assert site.assignment.themes_of[slug] == ("latent", "attention")
    rules = site.taxonomy.by_id()
    assert slug in rules["memory"].rules.exclude
    assert slug in rules["attention"].rules.papers and not rules["attention"].rules.exclude
    assert run(golden, "check") == 0


# --------------------------------------------------------------------------- suggest --apply


def test_suggest_apply_writes_papers_a_check_accepts(
    golden: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    slug = "retrieval-augmented-generation-for-knowledge-intensive-nlp-tasks"
    before = files(golden)
    assert run(golden, "suggest", "--apply") == 0  # its one suggestion is not confident
    assert f"no suggestion to apply scores {MIN_SCORE:g} or more" in capsys.readouterr().err
    assert files(golden) == before
    unsorted = survey(golden)
    (suggestion,), _ = suggest(unsorted.corpus.papers, unsorted.taxonomy, unsorted.assignment)
    assert suggestion.slug == slug and suggestion.score < MIN_SCORE
    assert run(golden, "suggest", "--apply", slug) == 0  # named: applied whatever its score
    site = survey(golden)
    assert site.assignment.unsorted == ()
    assert site.assignment.why[(slug, suggestion.theme)] == "listed in papers"
    assert slug in site.taxonomy.by_id()[suggestion.theme].rules.papers
    assert run(golden, "check", "--strict") == 0


def test_suggest_apply_places_the_confident_suggestions(
    seed: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The seed survey without the theme `efficient-reasoning`: its papers in no other theme
    are unsorted, and `suggest --apply` lists those with a confident suggestion in their
    themes."""
    text = (seed / "taxonomy.yaml").read_text(encoding="utf-8")
    start = text.index("  - id: efficient-reasoning\n")
    end = text.index("  - id: ", start + 1)
    text = text[:start] + text[end:]
    text = re.sub(r"\]\(/themes/efficient-reasoning/\)", "](/themes/reasoning-methods/)", text)
    (seed / "taxonomy.yaml").write_text(text, encoding="utf-8")
    unsorted = survey(seed).assignment.unsorted
    assert len(unsorted) >= 3
    assert run(seed, "suggest") == 0
    pasted = yaml.safe_load(capsys.readouterr().out)
    rules = {t.id: t.rules for t in survey(seed).taxonomy.themes}
    confident = {(s, t) for t, slugs in pasted.items() if t != "new_themes" for s in slugs}
    refused = {(s, t) for s, t in confident if s in rules[t].exclude}  # the maintainer's no
    assert len(confident - refused) >= 3
    assert run(seed, "suggest", "--apply") == 0
    err = capsys.readouterr().err
    after = survey(seed)
    assert set(after.assignment.unsorted) == set(unsorted) - {s for s, _ in confident - refused}
    for slug, theme in confident - refused:
        assert slug in after.taxonomy.by_id()[theme].rules.papers
    for slug, theme in refused:
        assert f"{slug}: not applied, the exclude: of {theme} names it" in err
        assert slug in after.taxonomy.by_id()[theme].rules.exclude
    assert run(seed, "check") == 0


def test_the_placeholder_theme_is_refused(golden: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """The new theme `suggest` proposes, pasted as it is, fails `check` where it is."""
    assert run(golden, "suggest") == 0
    proposed = yaml.safe_load(capsys.readouterr().out)["new_themes"]
    pasted = yaml.safe_dump(proposed, sort_keys=False, width=200)
    taxonomy = golden / "taxonomy.yaml"
    text = taxonomy.read_text(encoding="utf-8")
    lines = len(text.splitlines())
    taxonomy.write_text(text + "".join("  " + ln + "\n" for ln in pasted.splitlines()), "utf-8")
    assert run(golden, "check") == 1
    err = capsys.readouterr().err
    assert (
        f'taxonomy.yaml:{lines + 3}:14: error: theme "new-theme" still has the placeholder summary'
        in err
    )
    assert (
        f'taxonomy.yaml:{lines + 2}:12: error: theme "new-theme" still has the placeholder title'
        in err
    )
    taxonomy.write_text(text.replace("Latent reasoning", "Fits no theme"), "utf-8")
    assert run(golden, "check") == 1


# --------------------------------------------------------------------------- merge


def test_merge_makes_one_paper_with_both_sources(
    golden: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    keep, duplicate = "let-s-think-about-p-y-x-a-markdown-pipe-braces-title", "memory-networks"
    taxonomy = golden / "taxonomy.yaml"
    text = taxonomy.read_text(encoding="utf-8").replace(
        "Reasoning without writing every step as tokens.",
        "Reasoning without writing every step as tokens, unlike [this](/papers/memory-networks/).",
    )
    taxonomy.write_text(text, encoding="utf-8")
    papers_before = (golden / "papers.yaml").read_text(encoding="utf-8")
    sources = {p.slug: p.sources for p in survey(golden).corpus.papers}
    assert run(golden, "merge", keep, duplicate) == 0
    site = build(golden, site_url=SITE_URL)
    papers = site.corpus.by_slug()
    assert duplicate not in papers and duplicate in papers[keep].aliases
    assert set(papers[keep].sources) == set(sources[keep]) | set(sources[duplicate])
    assert "url=../../papers/" + keep + "/" in site.files[f"papers/{duplicate}/index.html"]
    after = taxonomy.read_text(encoding="utf-8")
    assert duplicate not in after
    assert f"papers: [{keep}]" in after and f"exclude: [{keep}]" in after
    assert f"unlike [this](/papers/{keep}/)." in after
    out, put = changed(papers_before, (golden / "papers.yaml").read_text(encoding="utf-8"))
    assert out == [] and put == ["\n", f"{keep}:\n", f"  merge: [{duplicate}]\n"]


def test_merge_into_an_entry_keeps_its_fields(
    golden: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    keep = "attention-is-all-you-need"
    duplicate = "native-sparse-attention-hardware-aligned-and-natively-trainable-sparse-attention"
    before = (golden / "papers.yaml").read_text(encoding="utf-8")
    assert run(golden, "merge", keep, duplicate) == 0
    out, put = changed(before, (golden / "papers.yaml").read_text(encoding="utf-8"))
    assert out == [] and put == [f"  merge: [{duplicate}]\n"]
    assert len(survey(golden).corpus.by_slug()[keep].sources) == 2


def test_an_edit_the_loader_refuses_is_not_written(
    golden: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A paper that merges others cannot itself be merged: papers.yaml says so, nothing
    is written."""
    assert (
        run(
            golden,
            "merge",
            "soft-thinking-unlocking-the-reasoning-potential-of-llms-in-continuous-concept",
            "memory-networks",
        )
        == 0
    )
    before = files(golden)
    capsys.readouterr()
    keep = "attention-is-all-you-need"
    duplicate = "soft-thinking-unlocking-the-reasoning-potential-of-llms-in-continuous-concept"
    assert run(golden, "merge", keep, duplicate) == 1
    captured = capsys.readouterr()
    assert "+  merge: [soft-thinking" in captured.out  # the diff is shown
    assert re.search(r"^papers\.yaml:\d+:\d+: error: .*cannot merge", captured.err, re.M)
    assert "nothing was written" in captured.err
    assert files(golden) == before


# --------------------------------------------------------------------------- every command


EDITS = [
    ("rename-theme", "latent", "hidden-state", "--title", "Hidden"),
    ("move", "memory-networks", "--from", "latent", "--to", "attention"),
    ("suggest", "--apply", "--min-score", "0"),
    ("merge", "attention-is-all-you-need", "memory-networks"),
]


@pytest.mark.parametrize("edit", EDITS, ids=lambda e: e[0])
def test_dry_run_prints_the_diff_and_writes_nothing(
    golden: Path, edit: tuple[str, ...], capsys: pytest.CaptureFixture[str]
) -> None:
    before = files(golden)
    assert run(golden, *edit, "--dry-run") == 0
    captured = capsys.readouterr()
    assert files(golden) == before
    assert captured.out.startswith("--- a/") and "\n+++ b/" in captured.out
    assert "dry run: nothing was written" in captured.err
    assert run(golden, *edit) == 0  # the same edit, made
    assert files(golden) != before


BAD = [
    (
        ("rename-theme", "latnt", "x"),
        'taxonomy.yaml: error: no theme has the id "latnt"; '
        'did you mean "latent" (Latent reasoning)?',
    ),
    (
        ("rename-theme", "latent", "memory"),
        'taxonomy.yaml:{memory}: error: theme "memory" exists already',
    ),
    (("rename-theme", "latent", "Latent_2"), 'taxonomy.yaml: error: "Latent_2" is not a theme id'),
    (("rename-theme", "latent", "feed"), 'taxonomy.yaml: error: "feed" is reserved'),
    (
        ("move", "memory-networks", "--from", "memry", "--to", "latent"),
        'taxonomy.yaml: error: no theme has the id "memry"; did you mean "memory" (Memory)?',
    ),
    (
        ("move", "memory-network", "--from", "memory", "--to", "latent"),
        'taxonomy.yaml: error: no paper has the slug "memory-network"; '
        'did you mean "memory-networks" (Memory Networks)?',
    ),
    (
        ("move", "memory-networks", "--from", "attention", "--to", "latent"),
        'taxonomy.yaml:{attention}: error: "memory-networks" is not in "attention"; '
        "it is in latent, memory",
    ),
    (
        ("move", "memory-networks", "--from", "attention-memory", "--to", "latent"),
        'is there through its sub-theme "memory": move it --from memory',
    ),
    (
        ("merge", "rag", "memory-networks"),
        'papers.yaml: error: no paper has the slug "rag"; it is an alias of '
        '"retrieval-augmented-generation-for-knowledge-intensive-nlp-tasks"',
    ),
    (
        ("merge", "memory-networks", "memory-networks"),
        'papers.yaml: error: KEEP and DUPLICATE are both "memory-networks"',
    ),
    (
        ("suggest", "--apply", "memory-networks"),
        'taxonomy.yaml: error: "memory-networks" is not unsorted',
    ),
    (
        ("suggest", "memory-networks"),
        "suggest: error: SLUG, --min-score and --dry-run need --apply",
    ),
]


@pytest.mark.parametrize(
    "args,message", BAD, ids=lambda x: " ".join(x) if isinstance(x, tuple) else ""
)
def test_bad_arguments_say_what_is_wrong_and_where(
    golden: Path, args: tuple[str, ...], message: str, capsys: pytest.CaptureFixture[str]
) -> None:
    before = files(golden)
    lines = (golden / "taxonomy.yaml").read_text(encoding="utf-8").splitlines()
    line_of = {ln.split("id: ", 1)[1]: n for n, ln in enumerate(lines, 1) if "- id: " in ln}
    message = message.replace("{memory}", str(line_of["memory"]))
    message = message.replace("{attention}", str(line_of["attention"]))
    assert run(golden, *args) == 1
    captured = capsys.readouterr()
    assert message in captured.err
    assert "Traceback" not in captured.err and captured.out == ""
    assert files(golden) == before


def test_nothing_is_written_outside_the_project(
    golden: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    outside = tmp_path / "elsewhere.yaml"
    shutil.move(golden / "taxonomy.yaml", outside)
    (golden / "taxonomy.yaml").symlink_to(outside)
    before = outside.read_bytes()
    assert run(golden, "rename-theme", "latent", "hidden-state") == 1
    assert "taxonomy.yaml: error: leads out of the project folder" in capsys.readouterr().err
    assert outside.read_bytes() == before
    assert not (golden / "published.json").read_text("utf-8").count("hidden-state")
