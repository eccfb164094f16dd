"""Title searches on arXiv (through the `arxiv` client) and OpenAlex (through `pyalex`).

Each search returns the services' records as `Candidate`s, or raises `LookupFailed` for a
timeout, a refused request or a response that is not in the service's format; nothing
else escapes. Both clients are given a session whose requests time out: neither sets a
timeout of its own, so a silent server would hang the command.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import xml.etree.ElementTree as ET
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote, urlsplit, urlunsplit

import arxiv
import pyalex
import requests
from requests.adapters import HTTPAdapter
from urllib3.util import Retry

from .titlematch import Candidate, normalise_title

ARXIV_URL = "https://export.arxiv.org/api/query"
"""arXiv's query API, the `arxiv` client's own default."""
OPENALEX_URL = "https://api.openalex.org"
"""OpenAlex's API, pyalex's default `config.openalex_url`."""
ARXIV_DELAY = 3.0
"""Seconds between two arXiv requests: arXiv's terms of use ask for at least three."""
CANDIDATES = 5
"""Records asked for per search (one request: the page size is the same)."""
_ATOM = "{http://www.w3.org/2005/Atom}"
_OPENSEARCH = "{http://a9.com/-/spec/opensearch/1.1/}"
_ARXIV_ID = re.compile(r"(\d{4}\.\d{4,5}|[a-z][a-z-]*(?:\.[A-Z]{2})?/\d{7})(?:v\d+)?")
_OPENALEX_ID = re.compile(r"https://openalex\.org/(W\d+)")
_DOI_PREFIX = re.compile(r"^(?:https?://(?:dx\.)?doi\.org/|doi:)", re.IGNORECASE)


class LookupFailed(Exception):
    """A search that did not get an answer in the service's format."""


@dataclass(frozen=True)
class Services:
    """Where and how politely to ask."""

    arxiv_url: str = ARXIV_URL
    openalex_url: str = OPENALEX_URL
    delay: float = ARXIV_DELAY
    timeout: float = 30.0
    """Seconds to wait for a connection, and then for each read."""
    retries: int = 3
    """Further tries of a request the service refused (HTTP 429 and 5xx)."""
    email: str | None = None
    """Sent to OpenAlex (mailto, and pyalex's From header) for its polite pool."""
    api_key: str | None = None
    """OpenAlex API key, when there is one."""


class _TimeoutAdapter(HTTPAdapter):
    """An adapter that gives every request a timeout unless the caller set one."""

    def __init__(self, timeout: float, retries: Retry | int = 0) -> None:
        super().__init__(max_retries=retries)
        self.timeout = timeout

    def send(
        self,
        request: requests.PreparedRequest,
        stream: bool = False,
        timeout: float | tuple[float, float] | tuple[float, None] | None = None,
        verify: bool | str = True,
        cert: bytes | str | tuple[bytes | str, bytes | str] | None = None,
        proxies: Mapping[str, str] | None = None,
    ) -> requests.Response:
        chosen = self.timeout if timeout is None else timeout
        return super().send(request, stream, chosen, verify, cert, proxies)


def _session(adapter: HTTPAdapter) -> requests.Session:
    session = requests.Session()
    session.mount("http://", adapter)
    session.mount("https://", adapter)
    return session


def _failure(exc: Exception, timeout: float) -> LookupFailed:
    if isinstance(exc, json.JSONDecodeError):
        return LookupFailed(f"malformed response: not JSON ({exc.msg} at {exc.pos})")
    if isinstance(exc, requests.Timeout):
        return LookupFailed(f"timeout (no answer within {timeout:g} s)")
    if isinstance(exc, requests.HTTPError) and exc.response is not None:
        return LookupFailed(f"HTTP {exc.response.status_code}")
    if isinstance(exc, arxiv.HTTPError):
        return LookupFailed(f"HTTP {exc.status}")
    if isinstance(exc, requests.RequestException):
        return LookupFailed(f"request failed: {type(exc).__name__}")
    return LookupFailed(f"malformed response: {exc}")


class ArxivSearch:
    """Title searches on arXiv with one `arxiv.Client`, which keeps `delay` seconds
    between its requests for the whole run."""

    def __init__(self, services: Services) -> None:
        self.timeout = services.timeout
        self.client = arxiv.Client(
            page_size=CANDIDATES, delay_seconds=services.delay, num_retries=services.retries
        )
        self.client.query_url_format = services.arxiv_url + "?{}"
        # The client's session has no timeout; this one has, and keeps the bodies it got
        # so that they can be checked: the client reads a broken feed as an empty one.
        self.session = _session(_TimeoutAdapter(services.timeout))
        self.bodies: list[bytes] = []
        self.session.hooks["response"].append(self._keep)
        self.client._session = self.session

    def _keep(self, response: requests.Response, *args: Any, **kwargs: Any) -> None:
        if response.status_code == requests.codes.ok:  # the client retries the others
            self.bodies.append(response.content)

    def close(self) -> None:
        self.session.close()

    def __call__(self, title: str) -> list[Candidate]:
        words = normalise_title(title)
        search = arxiv.Search(query=f'ti:"{words}"', max_results=CANDIDATES)
        self.bodies.clear()
        try:
            results = list(self.client.results(search))
            for body in self.bodies:
                check_atom(body)
            return [_arxiv_candidate(r) for r in results]
        except (requests.RequestException, arxiv.ArxivError, ValueError) as exc:
            raise _failure(exc, self.timeout) from None


def check_atom(body: bytes) -> None:
    """Raise ValueError unless `body` is a whole arXiv Atom feed: well-formed XML, a feed
    with its opensearch:totalResults, every entry with an id, a title and a date."""
    try:
        root = ET.fromstring(body)
    except ET.ParseError as exc:
        raise ValueError(f"not XML ({exc})") from None
    if root.tag != f"{_ATOM}feed":
        raise ValueError(f"not an Atom feed (<{root.tag}>)")
    total = root.findtext(f"{_OPENSEARCH}totalResults")
    if total is None or not total.strip().isdigit():
        raise ValueError("no opensearch:totalResults")
    for entry in root.iter(f"{_ATOM}entry"):
        for field in ("id", "title", "published"):
            if not (entry.findtext(f"{_ATOM}{field}") or "").strip():
                raise ValueError(f"an entry without <{field}>")


def _arxiv_candidate(result: Any) -> Candidate:
    short = str(result.get_short_id())
    found = _ARXIV_ID.fullmatch(short)
    if found is None:
        raise ValueError(f"unexpected arXiv identifier {short!r}")
    return Candidate(
        service="arxiv",
        id=found.group(1),
        title=str(result.title),
        authors=tuple(str(a.name) for a in result.authors),
        published=result.published.date(),
        doi=bare_doi(result.doi),
    )


def bare_doi(doi: object) -> str | None:
    """10.x/... from a DOI as the services write it (a doi.org URL, or bare)."""
    if not isinstance(doi, str) or not doi.strip():
        return None
    return _DOI_PREFIX.sub("", doi.strip())


class Works(pyalex.Works):  # type: ignore[misc]  # pyalex ships no type information
    """pyalex's Works, asked at `openalex_url` through a session with a timeout.

    pyalex 0.21 writes https://api.openalex.org into every list URL whatever
    `config.openalex_url` says, and opens a session without a timeout for each request.
    The class keeps pyalex's name: pyalex makes the URL's path from it."""

    session: requests.Session
    mailto: str | None = None

    @property
    def url(self) -> str:
        official = urlsplit(str(super().url))
        base = urlsplit(str(pyalex.config.openalex_url))
        query = official.query
        if self.mailto:
            query += ("&" if query else "") + "mailto=" + quote(self.mailto, safe="@")
        path = base.path.rstrip("/") + official.path
        return urlunsplit((base.scheme, base.netloc, path, query, ""))

    def _get_from_url(self, url: str, session: requests.Session | None = None) -> Any:
        return super()._get_from_url(url, self.session)


_SELECTED = ["id", "doi", "title", "display_name", "publication_date", "authorships", "type"]


class OpenAlexSearch:
    """Title searches on OpenAlex's /works with pyalex, through one session."""

    def __init__(self, services: Services) -> None:
        self.timeout = services.timeout
        pyalex.config.openalex_url = services.openalex_url
        pyalex.config.email = services.email
        pyalex.config.api_key = services.api_key
        pyalex.config.max_retries = services.retries
        retry = Retry(
            total=pyalex.config.max_retries,
            read=False,  # a read that timed out is not tried again: the server is slow
            backoff_factor=pyalex.config.retry_backoff_factor,
            status_forcelist=pyalex.config.retry_http_codes,
            allowed_methods={"GET"},
            raise_on_status=False,
        )
        self.session = _session(_TimeoutAdapter(services.timeout, retry))

    def close(self) -> None:
        self.session.close()

    def __call__(self, title: str) -> list[Candidate]:
        works = Works()
        works.session, works.mailto = self.session, pyalex.config.email
        try:
            page = works.search(normalise_title(title)).select(_SELECTED).get(per_page=10)
            return [c for c in (_openalex_candidate(w) for w in page) if c is not None]
        except (requests.RequestException, ValueError, TypeError) as exc:
            raise _failure(exc, self.timeout) from None
        except (KeyError, AttributeError) as exc:
            raise LookupFailed(f"malformed response: no {exc}") from None


def _openalex_candidate(work: Mapping[str, Any]) -> Candidate | None:
    if not isinstance(work, Mapping):
        raise ValueError("a result that is not an object")
    found = _OPENALEX_ID.fullmatch(str(work.get("id")))
    if found is None:
        raise ValueError(f"unexpected OpenAlex work id {work.get('id')!r}")
    title = work.get("display_name") or work.get("title")
    if not isinstance(title, str):
        return None  # OpenAlex has works without a title; they cannot match one
    authorships = work.get("authorships") or []
    if not isinstance(authorships, list):
        raise ValueError("authorships is not a list")
    names = tuple(str((a.get("author") or {}).get("display_name") or "") for a in authorships)
    date = work.get("publication_date")
    return Candidate(
        service="openalex",
        id=found.group(1),
        title=title,
        authors=tuple(n for n in names if n),
        published=dt.date.fromisoformat(date) if isinstance(date, str) else None,
        doi=bare_doi(work.get("doi")),
    )
