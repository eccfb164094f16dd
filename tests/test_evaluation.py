"""The survey meets the quality bars its issue sets, measured from the repository's own
judgements (evaluation/) on the seed corpus."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from generator.evaluate import (
    draw_sample,
    heldout,
    heldout_found,
    heldout_placements,
    membership_agreement,
    precision,
    recall,
    related_hits,
    related_pages,
    shared_terms,
    verdict_agreement,
)
from generator.site import Build, build

ROOT = Path(__file__).parent.parent


@pytest.fixture(scope="module")
def site() -> Build:
    return build(ROOT)


def test_coverage_and_theme_sizes(site: Build) -> None:
    papers = len(site.corpus.papers)
    assert (papers - len(site.assignment.unsorted)) / papers >= 0.97
    for theme in site.taxonomy.themes:
        size = len(site.assignment.members[theme.id])
        assert size >= 3, theme.id
        if not theme.children:
            assert size <= 60, theme.id
    in_one_or_two = sum(1 for t in site.assignment.themes_of.values() if len(t) <= 2)
    assert in_one_or_two / papers > 0.5


def test_summaries_are_written_for_readers(site: Build) -> None:
    for theme in site.taxonomy.themes:
        words = len(theme.summary.split())
        assert 120 <= words <= 300, (theme.id, words)


def test_judged_theme_precision(site: Build) -> None:
    score = precision(ROOT / "evaluation" / "precision.yaml", site.assignment)
    assert score.total >= 55, score.notes  # most of the sample is still assigned
    # after the curation review, fourteen fresh samples, each judged after the clear
    # misplacements found in the one before were fixed: 55, 53, 54, 53, 54 (after every paper
    # was placed again by two blind readers), 56 (after every assignment was reviewed), 57
    # (with papers no theme fits kept outside), 54 (after seven memberships recall readers
    # named were added), 59 (with scope sentences that state the contested boundaries; its
    # second reader 58), 56 (second reader 55; one borderline pair was a membership the
    # recall readers of the sample before had named), 56 (55), 58 (58), 58 (59) and, with
    # nothing changed since, 59 (60) of 60 correct, none incorrect; the bar is the lowest
    # rounded down to 5%
    assert score.share >= 0.85, score.notes


def test_related_papers_hit_at_5(site: Build) -> None:
    score = related_hits(ROOT / "evaluation" / "related_pairs.yaml", site.related)
    assert score.total >= 30
    # The 124 pairs include two samples chosen blind (bench/related_eval.py splits them).
    # TF-IDF with shared themes found 82 of them, the sentence encoder with its floor 84
    # (without the floor 88), and 81 once the themes had been placed again (they weigh in
    # the score); the bar is the lowest rounded down to 5%, less 5% for later curation.
    assert score.share >= 0.60, score.notes


def test_check_measures_only_when_asked(capsys: pytest.CaptureFixture[str]) -> None:
    from generator.cli import main

    assert main(["--root", str(ROOT), "check"]) == 0
    plain = capsys.readouterr().out
    assert "Coverage:" in plain and "hit@5" not in plain
    assert main(["--root", str(ROOT), "check", "--evaluate"]) == 0
    measured = capsys.readouterr().out
    assert measured.startswith(plain.rstrip("\n"))
    assert "related papers, hit@5: " in measured and "theme precision: " in measured
    assert "theme precision, second reader: " in measured
    assert "related links, second reader: " in measured
    related = build(ROOT).related.values()
    shown = sum(1 for links in related if links)
    assert f"pages with related links: {shown}/" in measured
    close = sum(1 for links in related if any(x.close for x in links))
    assert f"; {close} list a closely related paper" in measured
    # every file of judged pages is measured, and each of its two lists
    judged = sum(
        1 for p in (ROOT / "evaluation").glob("related_*.yaml") if p.stem != "related_pairs"
    )
    assert measured.count("    listed as closely related: ") == judged
    assert measured.count("  the two readers agree: ") == 2


def _write(tmp_path: Path, name: str, data: object) -> Path:
    path = tmp_path / name
    path.write_text(yaml.safe_dump(data), encoding="utf-8")
    return path


def test_recall_counts_the_memberships_a_reader_names(site: Build, tmp_path: Path) -> None:
    slug, themes = next((s, t) for s, t in site.assignment.themes_of.items() if len(t) == 1)
    top = site.taxonomy.root_of(themes[0])
    other = next(t.id for t in site.taxonomy.themes if slug not in site.assignment.members[t.id])
    judged = _write(
        tmp_path, "recall.yaml", {"papers": [{"slug": slug, "belongs": [themes[0], top, other]}]}
    )
    score = recall(judged, site.assignment)
    assert (score.hits, score.total) == (2, 3)  # its theme, and the group above it
    assert score.notes == (f"missing: {slug} -> {other}",)


def test_related_pages_count_only_the_links_still_shown(site: Build, tmp_path: Path) -> None:
    slug = next(s for s, links in site.related.items() if len(links) >= 2)
    first, second = (x.slug for x in site.related[slug][:2])
    gone = next(
        s for s in site.related if s not in {x.slug for x in site.related[slug]} and s != slug
    )
    links = [
        {"slug": first, "verdict": "related"},
        {"slug": second, "verdict": "unrelated"},
        {"slug": gone, "verdict": "related"},
    ]
    score = related_pages(
        _write(tmp_path, "p.yaml", {"pages": [{"slug": slug, "links": links}]}), site.related
    )
    assert (score.hits, score.total) == (1, 2)
    assert any("no longer shown" in n and gone in n for n in score.notes)


def test_related_pages_count_each_tier_of_links_apart(site: Build, tmp_path: Path) -> None:
    """A link the page lists as closely related counts under "close", the others under
    "near", and a borderline verdict counts as what "in the same area" claims."""
    slug = next(
        s
        for s, found in site.related.items()
        if any(x.close for x in found) and not all(x.close for x in found)
    )
    found = site.related[slug]
    close = next(x.slug for x in found if x.close)
    near = [x.slug for x in found if not x.close][:2]
    links = [{"slug": close, "verdict": "related"}]
    links += [{"slug": near[0], "verdict": "borderline"}]
    links += [{"slug": s, "verdict": "unrelated"} for s in near[1:]]
    judged = _write(tmp_path, "p.yaml", {"pages": [{"slug": slug, "links": links}]})
    shares = {
        tier: related_pages(judged, site.related, tier) for tier in ("all", "close", "near", "area")
    }
    assert (shares["close"].hits, shares["close"].total) == (1, 1)
    assert (shares["near"].hits, shares["near"].total) == (0, len(near))
    assert (shares["area"].hits, shares["area"].total) == (1, len(near))
    assert shares["all"].total == 1 + len(near)


def test_held_out_placements_are_right_when_near_what_the_reader_chose(
    site: Build, tmp_path: Path
) -> None:
    group = next(t for t in site.taxonomy.themes if len(t.children) >= 2)
    leaf, sibling = group.children[0], group.children[1]
    papers = [
        {"slug": "a", "belongs": [leaf], "rules": [leaf]},
        {"slug": "b", "belongs": [leaf], "rules": [group.id]},  # above the reader's theme
        {"slug": "c", "belongs": [group.id], "rules": [leaf]},  # below it
        {"slug": "d", "belongs": [leaf], "rules": [leaf, sibling]},
        {"slug": "e", "belongs": [leaf], "rules": []},
    ]
    judged = _write(tmp_path, "h.yaml", {"papers": papers})
    score = heldout(judged, site.taxonomy)
    assert (score.hits, score.total) == (3, 5)
    placements, found = (
        heldout_placements(judged, site.taxonomy),
        heldout_found(judged, site.taxonomy),
    )
    assert (placements.hits, placements.total) == (4, 5)  # all but the sibling
    assert (found.hits, found.total) == (4, 5)  # all but the paper placed nowhere
    assert [n.split(":")[0] for n in score.notes] == [f"placed in {sibling}", "placed nowhere"]


def test_judgement_files_without_their_fields_are_reported(site: Build, tmp_path: Path) -> None:
    from generator.errors import InputError

    with pytest.raises(InputError, match="papers item 1 has no belongs"):
        recall(_write(tmp_path, "r.yaml", {"papers": [{"slug": "x"}]}), site.assignment)


@pytest.mark.parametrize(
    "kind, key",
    [("assignments", "sample"), ("papers", "papers"), ("pages", "pages"), ("close", "pages")],
)
def test_samples_are_drawn_reproducibly_for_each_kind(site: Build, kind: str, key: str) -> None:
    text = draw_sample(site, site.related, kind, 7, 5)
    assert text == draw_sample(site, site.related, kind, 7, 5)
    assert text != draw_sample(site, site.related, kind, 7, 6)
    items = yaml.safe_load(text)[key]
    assert len(items) == 7
    if kind == "pages":
        assert all(
            [x["slug"] for x in i["links"]] == [x.slug for x in site.related[i["slug"]]]
            for i in items
        )
        # only pages that show a link: one close to no paper has nothing to judge
        assert any(not links for links in site.related.values())
        everyone = yaml.safe_load(draw_sample(site, site.related, kind, 349, 5))[key]
        assert everyone and all(i["links"] for i in everyone)
    if kind == "close":  # only pages that list a closely related paper, not told which
        everyone = yaml.safe_load(draw_sample(site, site.related, kind, 349, 5))[key]
        listing = {s for s, found in site.related.items() if any(x.close for x in found)}
        assert {i["slug"] for i in everyone} == listing != set(site.related)
        assert all(set(x) == {"slug", "title", "verdict"} for i in everyone for x in i["links"])


def test_judged_theme_recall(site: Build) -> None:
    # after the curation review, a blind reader's memberships were found for 57 of 64, 53 of
    # 60, 54 of 62, 56 of 65, 56 of 61 (after every paper was placed again by two blind
    # readers), 48 of 51 (after every assignment was reviewed), 53 of 56 (with papers no theme
    # fits kept outside), 51 of 62, 49 of 52 (with scope sentences that state the contested
    # boundaries; both readers), 53 of 57 (second reader 53 of 56), 53 of 55 (54 of 58), 51
    # of 55 (51 of 55), 57 of 58 (57 of 58) and, with nothing changed since, 56 of 59 (56 of
    # 57) on fourteen fresh samples. Most misses of the four samples before the last two were
    # pairs both placement readers called only arguable and two precision-mode readers judged
    # borderline. The bar is the lowest rounded down to 5%.
    score = recall(ROOT / "evaluation" / "recall.yaml", site.assignment)
    assert score.total >= 50
    assert score.share >= 0.80, score.notes


def _twenty_pages(name: str) -> tuple[Path, list[dict[str, object]]]:
    """A file of judged pages in evaluation/ and its pages, of which there are 20."""
    path = ROOT / "evaluation" / name
    judged = yaml.safe_load(path.read_text("utf-8"))["pages"]
    assert len(judged) == 20
    return path, judged


def test_judged_related_pages(site: Build) -> None:
    # On three fresh samples of 20 random pages, 33, 21 and 43 of the 100 links were judged
    # related (the last after every paper was placed again; its second reader found 35); on a
    # fourth, with the sentence encoder and its floor, 30 and 28 of 87 by two readers; on a
    # fifth, with closely related links listed apart, 33 and 32 of 83 (5 of the 5 closely
    # related, all 78 others related or borderline): far below the 80% the survey aims at
    # for all links; the bars keep them from falling
    for name, bar in (
        ("related_pages.yaml", 0.20),
        ("related_pages_second.yaml", 0.20),
        ("related_random.yaml", 0.35),
        ("related_random_second.yaml", 0.35),
    ):
        path, judged = _twenty_pages(name)
        score = related_pages(path, site.related)
        assert score.total >= 0.85 * sum(len(p["links"]) for p in judged)  # most still shown
        assert score.share >= bar, score.notes
        area = related_pages(path, site.related, "area")
        assert area.share >= 0.95, area.notes


def test_judged_closely_related_links(site: Build) -> None:
    # On 20 pages drawn from those that list a closely related paper, two blind readers
    # called 24 and 23 of the 34 closely related links related, and every link listed as in
    # the same area related or borderline; of the 30 still listed as closely related once a
    # shared theme was required too, 24 and 23. On 20 pages drawn afresh after that, 29 and
    # 29 of 35, and 63 of the 64 in the same area. The bars are the lowest rounded down to 5%.
    for name, bar in (
        ("related_close.yaml", 0.75),
        ("related_close_second.yaml", 0.75),
        ("related_close_fresh.yaml", 0.80),
        ("related_close_fresh_second.yaml", 0.80),
    ):
        path, _ = _twenty_pages(name)
        close = related_pages(path, site.related, "close")
        area = related_pages(path, site.related, "area")
        assert close.total >= 30 and area.total >= 50
        assert close.share >= bar, close.notes
        assert area.share >= 0.95, area.notes
        # a closely related link is likelier truly related than one in the same area
        assert close.share > related_pages(path, site.related, "near").share


def test_judged_shared_terms(site: Build, tmp_path: Path) -> None:
    # Of 160 terms the links showed before only terms with a topic word were kept, two blind
    # readers labelled 53 topical and 87 generic (one half each). Of those the links still
    # show, 16 of 18 on the half the threshold was chosen on and 19 of 22 on the other are
    # topical; 35 of the 53 topical terms are still shown. The bars are the lowest rounded
    # down to 5%.
    path = ROOT / "evaluation" / "shared_terms.yaml"
    judged = yaml.safe_load(path.read_text("utf-8"))["terms"]
    assert len(judged) == 160 and {t["half"] for t in judged} == {"dev", "test"}
    test_half = _write(tmp_path, "t.yaml", {"terms": [t for t in judged if t["half"] == "test"]})
    for file in (path, test_half):
        topical = shared_terms(file, site.related, kept=False)
        assert topical.total >= 20 and topical.share >= 0.85, topical.notes
    assert shared_terms(path, site.related, kept=True).share >= 0.65


def test_two_readers_agreement_counts_only_what_both_judged(tmp_path: Path) -> None:
    first, second = tmp_path / "first.yaml", tmp_path / "second.yaml"
    verdicts = [("p1", "t1", "correct", "correct"), ("p2", "t1", "correct", "borderline")]
    rows = [{"slug": s, "theme": t, "verdict": a} for s, t, a, _ in verdicts]
    first.write_text(yaml.safe_dump({"sample": rows}), encoding="utf-8")
    rows = [{"slug": s, "theme": t, "verdict": b} for s, t, _, b in verdicts]
    rows.append({"slug": "p3", "theme": "t2", "verdict": "correct"})  # only the second
    second.write_text(yaml.safe_dump({"sample": rows}), encoding="utf-8")
    score = verdict_agreement(first, second)
    same = sum(a == b for _, _, a, b in verdicts)
    assert (score.hits, score.total) == (same, len(verdicts))
    assert score.notes == ("correct / borderline: p2 -> t1",)

    named = {"p1": (["t1", "t2"], ["t1"]), "p2": (["t3"], ["t3", "t4"])}
    first.write_text(
        yaml.safe_dump({"papers": [{"slug": s, "belongs": a} for s, (a, _) in named.items()]}),
        encoding="utf-8",
    )
    second.write_text(
        yaml.safe_dump({"papers": [{"slug": s, "belongs": b} for s, (_, b) in named.items()]}),
        encoding="utf-8",
    )
    score = membership_agreement(first, second)
    either = sum(len(set(a) | set(b)) for a, b in named.values())
    both = sum(len(set(a) & set(b)) for a, b in named.values())
    assert (score.hits, score.total) == (both, either)
    assert "only the first reader: p1 -> t2" in score.notes
    assert "only the second reader: p2 -> t4" in score.notes


def test_the_second_readers_judged_the_same_samples() -> None:
    # the agreement figures mean something only when both files judge the same sample
    for first, second, key in (
        ("precision.yaml", "precision_second.yaml", "sample"),
        ("recall.yaml", "recall_second.yaml", "papers"),
        ("related_pages.yaml", "related_pages_second.yaml", "pages"),
        ("related_random.yaml", "related_random_second.yaml", "pages"),
        ("related_close.yaml", "related_close_second.yaml", "pages"),
        ("related_close_fresh.yaml", "related_close_fresh_second.yaml", "pages"),
    ):
        texts = [
            (ROOT / "evaluation" / name).read_text(encoding="utf-8") for name in (first, second)
        ]
        assert texts[0].splitlines()[0] == texts[1].splitlines()[0]  # the sample command
        items = [[i["slug"] for i in yaml.safe_load(t)[key]] for t in texts]
        assert items[0] == items[1]
