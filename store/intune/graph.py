"""A small synchronous Microsoft Graph client over httpx: the HTTP half of the Intune bridge.

Why not the Graph SDK: ~700 MB, async only, and its retry handler re-sends POSTs and
cannot parse a fractional Retry-After. This client retries only GETs, only on 429/503,
within a bounded total wait; follows ``@odata.nextLink`` verbatim (refusing one that
leaves the Graph root, so the token never goes elsewhere); puts a timeout on every
request; and turns each failure into one :class:`~store.intune.errors.IntuneError` line.
The token is sent in the Authorization header and appears nowhere else.
"""

from __future__ import annotations

import json
import os
import random
import time
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urlsplit

import httpx

from store.intune.errors import IntuneError, auth_error, graph_error
from store.intune.retry import RETRY_STATUSES, RetryPolicy, backoff, retry_after

DEFAULT_ROOT = "https://graph.microsoft.com"
ROOT_ENV = "PROVDESK_GRAPH_URL"
TIMEOUT = httpx.Timeout(30.0, connect=10.0)
APPS_SCOPE = "DeviceManagementApps.ReadWrite.All"
GROUPS_SCOPE = "Group.Read.All"

Json = dict[str, Any]


def graph_root() -> str:
    """``$PROVDESK_GRAPH_URL`` (national clouds, tests) or the public Graph, without a trailing slash."""
    return (os.environ.get(ROOT_ENV) or DEFAULT_ROOT).rstrip("/")


def _origin(url: str) -> tuple[str, str]:
    parts = urlsplit(url)
    return parts.scheme.lower(), parts.netloc.lower()


class GraphClient:
    """Graph calls for one run: ``get``/``get_all`` (retried), ``post``/``patch`` (never retried)."""

    def __init__(
        self, token: str, root: str | None = None, *, policy: RetryPolicy | None = None,
        sleep: Callable[[float], None] = time.sleep, transport: httpx.BaseTransport | None = None,
    ) -> None:
        self.root = (root or graph_root()).rstrip("/")
        self.policy = policy or RetryPolicy()
        self._sleep = sleep
        self._rng = random.Random()
        self._http = httpx.Client(
            timeout=TIMEOUT, transport=transport, follow_redirects=False,  # HTTPS_PROXY honoured
            headers={"Authorization": f"Bearer {token}", "Accept": "application/json"},
        )

    def close(self) -> None:
        """Drop the connection pool (and with it the only copy of the token this client held)."""
        self._http.close()

    def __enter__(self) -> GraphClient:
        return self

    def __exit__(self, *_: object) -> None:
        self.close()

    def url(self, path: str, version: str = "beta") -> str:
        """An absolute URL: ``path`` under ``root/version``, or ``path`` itself when already absolute."""
        if path.startswith(("http://", "https://")):
            if _origin(path) != _origin(self.root):
                raise IntuneError("intune-graph", f"refusing a link outside {self.root}: {path[:80]}")
            return path
        return f"{self.root}/{version}/{path.lstrip('/')}"

    def _send(self, method: str, url: str, scope: str, body: Json | None) -> httpx.Response:
        """One request; network failures become ``intune-unreachable`` / ``intune-timeout``."""
        try:
            return self._http.request(method, url, json=body)
        except httpx.ConnectTimeout as exc:
            raise IntuneError("intune-unreachable", f"cannot reach {self.root}: connect timed out") from exc
        except httpx.TimeoutException as exc:
            raise IntuneError("intune-timeout", f"{method} {_path(url)} got no answer in time") from exc
        except httpx.ConnectError as exc:
            raise IntuneError("intune-unreachable", f"cannot reach {self.root}: {_reason(exc)}") from exc
        except httpx.HTTPError as exc:
            raise IntuneError("intune-unreachable", f"{method} {_path(url)} failed: {_reason(exc)}") from exc

    def _check(self, response: httpx.Response, scope: str) -> httpx.Response:
        if response.status_code == 401:
            raise auth_error(scope)
        if response.status_code >= 400:
            raise graph_error(response.status_code, response.content, response.headers)
        return response

    def _get(self, url: str, scope: str) -> httpx.Response:
        """GET with retries on 429/503: Retry-After when given, else backoff; bounded in total."""
        waited = 0.0
        for attempt in range(self.policy.attempts):
            response = self._send("GET", url, scope, None)
            if response.status_code not in RETRY_STATUSES:
                return self._check(response, scope)
            delay = retry_after(response.headers.get("Retry-After"), datetime.now(UTC))
            if delay is None:
                delay = backoff(attempt, self.policy, self._rng)
            if attempt + 1 == self.policy.attempts or waited + delay > self.policy.budget:
                break
            self._sleep(delay)
            waited += delay
        raise IntuneError(
            "intune-throttled",
            f"Graph kept answering {response.status_code} to GET {_path(url)} "
            f"(waited {waited:.1f} s over {attempt + 1} tries): try again later",
        )

    def get(self, path: str, *, version: str = "beta", scope: str = APPS_SCOPE) -> Json:
        """One JSON object (an entity, or one page of a collection)."""
        return _json(self._get(self.url(path, version), scope))

    def entity(self, path: str, *, version: str = "beta", scope: str = APPS_SCOPE) -> Json:
        """One entity; a body wrapped as ``{"value": {...}}`` (as Graph's samples show it) is unwrapped."""
        data = self.get(path, version=version, scope=scope)
        inner = data.get("value")
        return inner if isinstance(inner, dict) else data

    def pages(self, path: str, *, version: str = "beta", scope: str = APPS_SCOPE) -> Iterator[list[Json]]:
        """Each page's ``value`` of a collection, following ``@odata.nextLink`` as the absolute URL it is."""
        url: str | None = self.url(path, version)
        while url is not None:
            page = _json(self._get(url, scope))
            value = page.get("value", [])
            yield [item for item in value if isinstance(item, dict)] if isinstance(value, list) else []
            link = page.get("@odata.nextLink")
            url = self.url(link) if isinstance(link, str) and link else None

    def get_all(self, path: str, *, version: str = "beta", scope: str = APPS_SCOPE) -> list[Json]:
        """Every item of a collection, across pages."""
        return [item for page in self.pages(path, version=version, scope=scope) for item in page]

    def write(self, method: str, path: str, body: Json, *, scope: str = APPS_SCOPE) -> Json | None:
        """POST or PATCH once (never retried: a repeated create would duplicate); the entity, if returned."""
        response = self._check(self._send(method, self.url(path), scope, body), scope)
        return _json(response) if response.content.strip() else None


def _json(response: httpx.Response) -> Json:
    try:
        data = json.loads(response.content)
    except ValueError as exc:
        raise IntuneError("intune-graph", f"{_path(str(response.url))} did not answer JSON") from exc
    if not isinstance(data, dict):
        raise IntuneError("intune-graph", f"{_path(str(response.url))} answered JSON that is not an object")
    return data


def _path(url: str) -> str:
    """A URL without its query, for messages (skip tokens are long and say nothing)."""
    return urlsplit(url).path or url


def _reason(exc: Exception) -> str:
    text = str(exc).strip() or type(exc).__name__
    return text.splitlines()[0][:160]
