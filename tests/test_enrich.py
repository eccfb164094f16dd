"""`python -m generator enrich`: the real `arxiv` and `pyalex` clients against a local HTTP
server that answers with the responses in tests/enrich/ (Atom feeds of arXiv's query API,
JSON pages of OpenAlex's /works), on a copy of the golden project.

The server answers a request by the title it searches; a title it has no response for
gets an empty result. A reply can be delayed (past the client's timeout) or be broken.
"""

from __future__ import annotations

import datetime as dt
import http.server
import os
import re
import shutil
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
import yaml
from conftest import REPO_ROOT

from generator.cli import main
from generator.scholarly import ArxivSearch, Services
from generator.titlematch import Candidate, judge, normalise_title, similarity

RESPONSES = Path(__file__).parent / "enrich"
GOLDEN_PROJECT = Path(__file__).parent / "golden" / "project"
TODAY = dt.datetime.now(dt.UTC).date().isoformat()

COT = "chain-of-thought-prompting-elicits-reasoning-in-large-language-models"
NSA = "native-sparse-attention-hardware-aligned-and-natively-trainable-sparse-attention"
MEMORY = "memory-networks"
THINK = "let-s-think-about-p-y-x-a-markdown-pipe-braces-title"
RAG = "retrieval-augmented-generation-for-knowledge-intensive-nlp-tasks"
SOFT = "soft-thinking-unlocking-the-reasoning-potential-of-llms-in-continuous-concept"
ATTENTION = "attention-is-all-you-need"

# The titles as the clients search them (generator.titlematch.normalise_title).
Q_COT = "chain of thought prompting elicits reasoning in large language models"
Q_NSA = "native sparse attention hardware aligned and natively trainable sparse attention"
Q_MEMORY = "memory networks"
Q_RAG = "retrieval augmented generation for knowledge intensive nlp tasks"
Q_SOFT = "soft thinking unlocking the reasoning potential of llms in continuous concept space"
Q_ATTENTION = "attention is all you need"
Q_THINK = "let s think about p y x a markdown pipe braces title"


def recorded(name: str) -> bytes:
    return (RESPONSES / name).read_bytes()


@dataclass
class Reply:
    body: bytes
    status: int = 200
    content_type: str = "application/atom+xml; charset=utf-8"
    delay: float = 0.0


@dataclass
class FakeServices:
    """What the server answers, and what it was asked."""

    url: str = ""
    replies: dict[tuple[str, str], Reply] = field(default_factory=dict)
    asked: list[tuple[str, dict[str, list[str]]]] = field(default_factory=list)
    stop: threading.Event = field(default_factory=threading.Event)

    def arxiv(self, query: str, body: bytes, delay: float = 0.0) -> None:
        self.replies["arxiv", query] = Reply(body, delay=delay)

    def openalex(self, query: str, body: bytes, delay: float = 0.0) -> None:
        self.replies["openalex", query] = Reply(body, 200, "application/json", delay)

    def searched(self, service: str) -> list[str]:
        return [q for s, q in self.keys() if s == service]

    def keys(self) -> list[tuple[str, str]]:
        return [_key(path, query) for path, query in self.asked]


def _key(path: str, query: dict[str, list[str]]) -> tuple[str, str]:
    if path == "/api/query":
        search = query.get("search_query", [""])[0]
        found = re.fullmatch(r'ti:"(.*)"', search)
        return "arxiv", found.group(1) if found else search
    return "openalex", query.get("search", [""])[0]


class _Handler(http.server.BaseHTTPRequestHandler):
    server: _Server

    def do_GET(self) -> None:  # noqa: N802 - the stdlib's name
        state = self.server.state
        url = urlsplit(self.path)
        query = parse_qs(url.query)
        state.asked.append((url.path, query))
        if url.path not in ("/api/query", "/works"):
            self.send_error(404)
            return
        key = _key(url.path, query)
        default = (
            Reply(recorded("arxiv-empty.xml"))
            if key[0] == "arxiv"
            else Reply(recorded("openalex-empty.json"), content_type="application/json")
        )
        reply = state.replies.get(key, default)
        if reply.delay and state.stop.wait(reply.delay):
            return  # the test is over
        try:
            self.send_response(reply.status)
            self.send_header("Content-Type", reply.content_type)
            self.send_header("Content-Length", str(len(reply.body)))
            self.end_headers()
            self.wfile.write(reply.body)
        except (BrokenPipeError, ConnectionResetError):
            pass  # the client stopped waiting

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002
        pass


class _Server(http.server.ThreadingHTTPServer):
    daemon_threads = True
    block_on_close = False
    state: FakeServices


@pytest.fixture
def services() -> Iterator[FakeServices]:
    server = _Server(("127.0.0.1", 0), _Handler)
    server.state = FakeServices(url=f"http://127.0.0.1:{server.server_address[1]}")
    thread = threading.Thread(target=server.serve_forever, name="fake-services", daemon=True)
    thread.start()
    try:
        yield server.state
    finally:
        server.state.stop.set()
        server.shutdown()
        server.server_close()
        thread.join(timeout=10)


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.delenv("OPENALEX_EMAIL", raising=False)
    monkeypatch.delenv("OPENALEX_API_KEY", raising=False)
    root = tmp_path / "project"
    shutil.copytree(GOLDEN_PROJECT, root)
    (root / "papers.yaml").unlink()  # the golden fixture's facts: each test writes its own
    return root


def enrich_args(project: Path, services: FakeServices, *args: str) -> list[str]:
    return [
        "--root",
        str(project),
        "enrich",
        "--delay",
        "0",
        "--timeout",
        "3",
        "--arxiv-url",
        f"{services.url}/api/query",
        "--openalex-url",
        services.url,
        *args,
    ]


def run(
    capsys: pytest.CaptureFixture[str], project: Path, services: FakeServices, *args: str
) -> tuple[int, str, str]:
    status = main(enrich_args(project, services, *args))
    out, err = capsys.readouterr()
    return status, out, err


def section(report: str, heading: str) -> str:
    """The lines of one section of the report."""
    found = re.search(rf"^{re.escape(heading)}: \d+\n((?:  .*\n?)*)", report, re.MULTILINE)
    assert found, f"no section {heading!r} in:\n{report}"
    return found.group(1)


PAPERS_YAML = """\
# Identifiers and corrections kept by hand; `python -m generator enrich` adds to it.
attention-is-all-you-need:
  arxiv: "1706.03762"  # checked by hand
  venue: NeurIPS 2017
  links: [https://github.com/tensorflow/tensor2tensor]

chain-of-thought-prompting-elicits-reasoning-in-large-language-models:
  venue: NeurIPS 2022  # the maintainer's own
  authors:
    - Jason Wei
    - Denny Zhou
"""


def the_whole_run(services: FakeServices) -> None:
    services.arxiv(Q_COT, recorded("arxiv-chain-of-thought.xml"))
    services.arxiv(Q_MEMORY, recorded("arxiv-memory-networks.xml"))
    services.arxiv(Q_NSA, recorded("arxiv-native-sparse-attention.xml"))
    services.openalex(Q_NSA, recorded("openalex-native-sparse-attention.json"))
    services.arxiv(Q_RAG, recorded("arxiv-empty.xml"), delay=30)
    services.arxiv(Q_SOFT, recorded("arxiv-chain-of-thought.xml")[:900])


def test_one_run_matches_refuses_and_reports(
    capsys: pytest.CaptureFixture[str], project: Path, services: FakeServices
) -> None:
    (project / "papers.yaml").write_text(PAPERS_YAML, encoding="utf-8")
    the_whole_run(services)
    started = time.monotonic()
    status, out, err = run(capsys, project, services)
    assert time.monotonic() - started < 20
    assert status == 1, "a lookup failed: the exit status says so"
    assert "Traceback" not in out + err

    text = (project / "papers.yaml").read_text(encoding="utf-8")
    papers = yaml.safe_load(text)
    assert set(papers) == {ATTENTION, COT, NSA}, "only confident matches are written"
    assert papers[ATTENTION] == {
        "arxiv": "1706.03762",
        "venue": "NeurIPS 2017",
        "links": ["https://github.com/tensorflow/tensor2tensor"],
    }
    # The maintainer's fields stay as they are; only missing ones are added.
    assert papers[COT] == {
        "arxiv": "2201.11903",
        "published": dt.date(2022, 1, 28),
        "venue": "NeurIPS 2022",
        "authors": ["Jason Wei", "Denny Zhou"],
    }
    assert papers[NSA]["openalex"] == "W4407585380"
    assert papers[NSA]["doi"] == "10.48550/arxiv.2502.11089"
    assert papers[NSA]["published"] == dt.date(2025, 2, 16)
    assert papers[NSA]["authors"][:2] == ["Jingyang Yuan", "Huazuo Gao"]
    assert len(papers[NSA]["authors"]) == 15
    assert "arxiv" not in papers[NSA], "the arXiv candidate was not the paper"

    # Comments, quoting and layout survive; each addition says where it came from.
    assert text.startswith(PAPERS_YAML.splitlines()[0] + "\n")
    for line in PAPERS_YAML.splitlines():
        assert line in text.splitlines(), line
    assert (
        f'  arxiv: "2201.11903"  # enrich: arXiv 2201.11903, title similarity 1.000, '
        f"looked up {TODAY}"
    ) in text.splitlines()
    assert (
        f"    - Denny Zhou\n\n"
        f"# enrich: OpenAlex W4407585380, title similarity 1.000, looked up {TODAY}\n{NSA}:\n"
    ) in text

    assert section(out, "Matched").splitlines() == [
        f"  {COT}: arxiv 2201.11903 (similarity 1.000)",
        f"  {NSA}: openalex W4407585380 (similarity 1.000)",
    ]
    unmatched = section(out, "Unmatched")
    assert unmatched.startswith(f"  {THINK}: no candidate found")
    ambiguous = section(out, "Ambiguous (nothing written)")
    assert f"  {MEMORY}: arxiv 1410.3916 " in ambiguous and "arxiv 2001.00001 " in ambiguous
    failed = section(out, "Failed lookups (nothing written)").splitlines()
    assert failed[0] == f"  {RAG}: arxiv: timeout (no answer within 3 s)"
    assert failed[1].startswith(f"  {SOFT}: arxiv: malformed response: not XML")
    assert "title similarity of at least 0.93" in out
    assert "2 lookup(s) failed" in err

    # Identified papers are not asked for; a failed arXiv lookup is not followed by
    # OpenAlex; unmatched ones are.
    assert Q_ATTENTION not in services.searched("arxiv")
    assert sorted(services.searched("openalex")) == sorted([Q_NSA, Q_THINK])


def test_the_requests_are_the_services_query_formats(
    capsys: pytest.CaptureFixture[str], project: Path, services: FakeServices
) -> None:
    services.arxiv(Q_NSA, recorded("arxiv-native-sparse-attention.xml"))
    services.openalex(Q_NSA, recorded("openalex-native-sparse-attention.json"))
    status, _, _ = run(capsys, project, services, "--limit", "6", "--email", "me@example.org")
    assert status == 0
    arxiv_asks = [q for p, q in services.asked if p == "/api/query"]
    assert {k: v[0] for k, v in arxiv_asks[0].items()} == {
        "search_query": f'ti:"{Q_ATTENTION}"',
        "sortBy": "relevance",
        "sortOrder": "descending",
        "start": "0",
        "max_results": "5",
    }
    openalex_asks = [q for p, q in services.asked if p == "/works"]
    nsa = next(q for q in openalex_asks if q["search"] == [Q_NSA])
    assert nsa["select"] == ["id,doi,title,display_name,publication_date,authorships,type"]
    assert nsa["per-page"] == ["10"]
    assert nsa["mailto"] == ["me@example.org"]
    assert len(arxiv_asks) == 6, "--limit 6 of the 7 papers"


def test_a_candidate_below_the_threshold_is_never_written(
    capsys: pytest.CaptureFixture[str], project: Path, services: FakeServices
) -> None:
    services.arxiv(Q_ATTENTION, recorded("arxiv-attention-not-all.xml"))
    status, out, _ = run(capsys, project, services, "--source", "arxiv")
    assert status == 0
    assert not (project / "papers.yaml").exists(), "nothing confident: no file is made"
    assert (
        f"  {ATTENTION}: closest: arxiv 2306.00001 'Attention Is Not All You Need' "
        "(similarity 0.926)"
    ) in out
    assert "papers.yaml unchanged" in out

    # The same candidate passes a lower threshold: the threshold is what refused it.
    status, out, _ = run(capsys, project, services, "--source", "arxiv", "--threshold", "0.9")
    assert status == 0
    papers = yaml.safe_load((project / "papers.yaml").read_text(encoding="utf-8"))
    assert papers[ATTENTION]["arxiv"] == "2306.00001"


def test_two_close_works_are_ambiguous_and_not_written(
    capsys: pytest.CaptureFixture[str], project: Path, services: FakeServices
) -> None:
    services.arxiv(Q_MEMORY, recorded("arxiv-memory-networks.xml"))
    status, out, _ = run(capsys, project, services, "--source", "arxiv")
    assert status == 0
    assert not (project / "papers.yaml").exists()
    line = next(x for x in section(out, "Ambiguous (nothing written)").splitlines())
    assert line.startswith(f"  {MEMORY}: arxiv 1410.3916 'Memory Networks' (similarity 1.000)")
    assert "arxiv 2001.00001 'Memory networks' (similarity 1.000)" in line


def test_the_dumps_author_count_tells_two_titles_apart(
    capsys: pytest.CaptureFixture[str], project: Path, services: FakeServices
) -> None:
    """The dump shows 3 authors for Memory Networks; the other record gets a fourth."""
    feed = recorded("arxiv-memory-networks.xml").replace(
        b"<name>Cy Example</name>\n    </author>",
        b"<name>Cy Example</name>\n    </author>\n    <author>\n      <name>Di Example</name>"
        b"\n    </author>",
    )
    services.arxiv(Q_MEMORY, feed)
    status, out, _ = run(capsys, project, services, "--source", "arxiv")
    assert status == 0
    text = (project / "papers.yaml").read_text(encoding="utf-8")
    assert text == (
        f"# enrich: arXiv 1410.3916, title similarity 1.000, looked up {TODAY}\n"
        "memory-networks:\n"
        '  arxiv: "1410.3916"\n'
        "  authors:\n"
        "    - Jason Weston\n"
        "    - Sumit Chopra\n"
        "    - Antoine Bordes\n"
        "  published: 2014-10-15\n"
    ), "papers.yaml is made when there is none, in the documented layout"


@pytest.mark.parametrize("source", ["arxiv", "openalex"])
def test_a_timeout_is_reported_in_bounded_time_and_writes_nothing(
    capsys: pytest.CaptureFixture[str], project: Path, services: FakeServices, source: str
) -> None:
    if source == "arxiv":
        services.arxiv(Q_COT, recorded("arxiv-chain-of-thought.xml"), delay=30)
    else:
        services.openalex(Q_COT, recorded("openalex-empty.json"), delay=30)
    result: list[int] = []
    args = enrich_args(project, services, "--source", source, "--timeout", "1")
    worker = threading.Thread(target=lambda: result.append(main(args)), daemon=True)
    started = time.monotonic()
    worker.start()
    worker.join(timeout=30)
    assert not worker.is_alive(), "enrich hangs on a silent server"
    assert time.monotonic() - started < 15
    out, _ = capsys.readouterr()
    assert result == [1]
    assert f"  {COT}: {source}: timeout (no answer within 1 s)" in out
    assert not (project / "papers.yaml").exists()


TRUNCATED_JSON = recorded("openalex-native-sparse-attention.json")[:700]


@pytest.mark.parametrize(
    ("source", "reply", "said"),
    [
        ("arxiv", Reply(recorded("arxiv-chain-of-thought.xml")[:1200]), "not XML"),
        ("arxiv", Reply(b"<html><body>Bad gateway</body></html>", 200, "text/html"), "Atom"),
        (
            "arxiv",
            Reply(
                recorded("arxiv-chain-of-thought.xml").replace(
                    b"<published>2022-01-28T02:33:07Z</published>", b""
                )
            ),
            "without <published>",
        ),
        ("openalex", Reply(TRUNCATED_JSON, content_type="application/json"), "not JSON"),
        ("openalex", Reply(b'{"meta": {}, "results": {"id": 1}}', 200, "application/json"), ""),
        ("openalex", Reply(b'{"meta": {"count": 0}}', 200, "application/json"), "format"),
    ],
    ids=["truncated-feed", "html-page", "entry-without-date", "truncated-json", "dict", "no-list"],
)
def test_a_malformed_response_is_reported_and_writes_nothing(
    capsys: pytest.CaptureFixture[str],
    project: Path,
    services: FakeServices,
    source: str,
    reply: Reply,
    said: str,
) -> None:
    services.replies[source, Q_COT] = reply
    status, out, err = run(capsys, project, services, "--source", source)
    assert status == 1
    line = next(x for x in out.splitlines() if x.startswith(f"  {COT}: "))
    assert line.startswith(f"  {COT}: {source}: malformed response"), line
    assert said in line
    assert not (project / "papers.yaml").exists()
    assert "Traceback" not in out + err


def test_dry_run_prints_the_diff_and_writes_nothing(
    capsys: pytest.CaptureFixture[str], project: Path, services: FakeServices
) -> None:
    (project / "papers.yaml").write_text(PAPERS_YAML, encoding="utf-8")
    services.arxiv(Q_COT, recorded("arxiv-chain-of-thought.xml"))
    status, out, _ = run(capsys, project, services, "--dry-run", "--source", "arxiv")
    assert status == 0
    assert (project / "papers.yaml").read_text(encoding="utf-8") == PAPERS_YAML
    diff = out[out.index("--- a/papers.yaml") :].splitlines()
    assert diff[1] == "+++ b/papers.yaml"
    added = [x for x in diff if x.startswith("+") and not x.startswith("+++")]
    assert added == [
        f'+  arxiv: "2201.11903"  # enrich: arXiv 2201.11903, title similarity 1.000, '
        f"looked up {TODAY}",
        "+  published: 2022-01-28",
    ]
    assert not [x for x in diff if x.startswith("-") and not x.startswith("---")]


def test_a_file_of_comments_keeps_them_and_merged_papers_are_not_looked_up(
    capsys: pytest.CaptureFixture[str], project: Path, services: FakeServices
) -> None:
    header = "# papers.yaml: one entry per paper slug (see README.md).\n\n"
    (project / "papers.yaml").write_text(header, encoding="utf-8")
    services.arxiv(Q_COT, recorded("arxiv-chain-of-thought.xml"))
    status, _, _ = run(capsys, project, services, "--source", "arxiv")
    assert status == 0
    text = (project / "papers.yaml").read_text(encoding="utf-8")
    assert text.startswith(header + "# enrich: arXiv 2201.11903")
    asked = len(services.asked)

    # An entry that merges a duplicate: the duplicate is not looked up, the paper is.
    (project / "papers.yaml").write_text(text + f"{ATTENTION}:\n  merge: [{RAG}]\n", "utf-8")
    status, _, err = run(capsys, project, services, "--source", "arxiv")
    assert status == 0, err
    again = [_key(p, q)[1] for p, q in services.asked[asked:]]
    assert Q_RAG not in again and Q_ATTENTION in again


def test_an_unreadable_papers_yaml_stops_before_any_lookup(
    capsys: pytest.CaptureFixture[str], project: Path, services: FakeServices
) -> None:
    (project / "papers.yaml").write_text("a:\n  venue: X\na:\n  venue: Y\n", encoding="utf-8")
    status, _, err = run(capsys, project, services)
    assert status == 1
    assert "papers.yaml:3:1: error:" in err
    assert services.asked == []


def test_an_identifier_papers_yaml_would_refuse_is_left_out(
    capsys: pytest.CaptureFixture[str], project: Path, services: FakeServices
) -> None:
    page = recorded("openalex-native-sparse-attention.json").replace(
        b'"https://doi.org/10.48550/arxiv.2502.11089"', b'"https://doi.org/not a doi"'
    )
    services.openalex(Q_NSA, page)
    status, _, err = run(capsys, project, services, "--source", "openalex")
    assert status == 0, err
    papers = yaml.safe_load((project / "papers.yaml").read_text(encoding="utf-8"))
    assert papers[NSA]["openalex"] == "W4407585380" and "doi" not in papers[NSA]


def test_an_entry_that_is_not_a_mapping_is_refused_before_any_lookup(
    capsys: pytest.CaptureFixture[str], project: Path, services: FakeServices
) -> None:
    """enrich's own reading of papers.yaml (the round trip it writes back) refuses what it
    cannot edit, whoever else read the file first."""
    from generator.enrich import Options, enrich
    from generator.load import load
    from generator.site import analyse

    survey = analyse(load(project))
    (project / "papers.yaml").write_text(f"{COT}: [not, a, mapping]\n", encoding="utf-8")
    assert enrich(survey, project, Options(), searches=[]) == 1
    assert f"papers.yaml: not a mapping of fields: {COT}" in capsys.readouterr().err
    assert services.asked == []


def test_the_command_prints_no_traceback(project: Path, services: FakeServices) -> None:
    """The whole command, as a maintainer runs it, with a timeout and a broken feed."""
    the_whole_run(services)
    path = [str(REPO_ROOT), *filter(None, [os.environ.get("PYTHONPATH")])]
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(path)}
    proc = subprocess.run(
        [sys.executable, "-m", "generator", *enrich_args(project, services)],
        capture_output=True,
        text=True,
        timeout=120,
        env=env,
    )
    assert proc.returncode == 1, proc.stderr
    assert "Traceback" not in proc.stdout + proc.stderr
    assert "Failed lookups (nothing written): 2" in proc.stdout
    assert set(yaml.safe_load((project / "papers.yaml").read_text(encoding="utf-8"))) == {
        COT,
        NSA,
    }


def test_an_old_style_arxiv_id_and_its_doi(services: FakeServices) -> None:
    title = "From stripe to checkerboard order on the square lattice in the presence of quenched disorder"  # noqa: E501
    services.arxiv(normalise_title(title), recorded("arxiv-checkerboard.xml"))
    search = ArxivSearch(Services(arxiv_url=f"{services.url}/api/query", delay=0, timeout=5))
    (found,) = search(title)
    assert found == Candidate(
        service="arxiv",
        id="cond-mat/0603029",
        title=title,
        authors=("Adrian Del Maestro", "Bernd Rosenow", "Subir Sachdev"),
        published=dt.date(2006, 3, 2),
        doi="10.1103/PhysRevB.74.024520",
    )


@pytest.mark.parametrize(
    ("dump", "service"),
    [
        ("Chain-of-Thought  Prompting", "Chain of thought prompting"),
        ("{\\bf Memory} Networks", "Memory Networks"),
        ("Schrödinger's \\emph{cat} \\& $\\alpha$-nets", "Schrodinger’s cat & alpha-nets"),
        ("\\ourmodel{}: Training LLMs", "OurModel: training LLMs."),
    ],
)
def test_titles_compare_without_case_punctuation_or_tex(dump: str, service: str) -> None:
    assert similarity(dump, service) == 1.0, (normalise_title(dump), normalise_title(service))


def test_judge() -> None:
    def record(id: str, title: str, authors: int = 2, doi: str | None = None) -> Candidate:
        names = tuple(f"A{n}" for n in range(authors))
        return Candidate("openalex", id, title, names, None, doi)

    title = "Memory Networks"
    assert judge(title, None, []).kind == "unmatched"
    assert judge(title, None, [record("W1", "Memory networks")]).kind == "matched"
    assert judge(title, 3, [record("W1", "Memory networks")]).note.startswith("author count")
    two = [record("W1", "Memory networks"), record("W2", "Memory Networks.")]
    assert judge(title, None, two).kind == "ambiguous"
    # The same work twice (one DOI) is no ambiguity.
    same = [record("W1", "Memory networks", doi="10.1/x"), record("W2", title, doi="10.1/X")]
    assert judge(title, None, same).kind == "matched"
    # A close second well below the best is none either.
    close = [record("W1", title), record("W2", "Memory Network")]
    assert judge(title, None, close, threshold=0.9).kind == "matched"


def test_a_service_that_is_down_stops_the_run_after_five_failures(
    capsys: pytest.CaptureFixture[str], project: Path, services: FakeServices
) -> None:
    with socket.socket() as unused:  # a port on this machine where nothing listens
        unused.bind(("127.0.0.1", 0))
        port = unused.getsockname()[1]
    args = [*enrich_args(project, services, "--source", "arxiv")]
    args[args.index("--arxiv-url") + 1] = f"http://127.0.0.1:{port}/api/query"
    status = main(args)
    out, err = capsys.readouterr()
    assert status == 1
    failed = section(out, "Failed lookups (nothing written)").splitlines()
    assert len(failed) == 5
    assert all(": arxiv: request failed: ConnectionError" in line for line in failed)
    assert "5 lookups in a row failed: the other 2 papers are left for another run" in err
    assert not (project / "papers.yaml").exists()
