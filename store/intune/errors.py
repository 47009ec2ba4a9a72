"""Graph failures as one line an admin can act on, with the ID Microsoft support asks for.

Intune wraps its real message in a JSON document serialised into ``error.message``
(``{"_version": 3, "Message": "... Activity ID: ..."}``); showing that string raw buries
the reason under escapes. Here it is unwrapped, and the request or activity ID kept.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from typing import Any

from store.errors import ProvdeskError

ACTIVITY = re.compile(r"Activity ID:\s*([0-9a-fA-F-]{8,})")
AUTH_HINT = "run provdesk intune login"


class IntuneError(ProvdeskError):
    """A failure talking to the tenant: ``intune-auth``, ``intune-graph``, ``intune-unreachable``...

    ``status`` is the HTTP status when Graph answered (404 and 400 mean something to callers).
    """

    def __init__(self, code: str, message: str, status: int | None = None) -> None:
        super().__init__(code, message)
        self.status = status


def _lower_keys(value: Any) -> dict[str, Any]:
    """Graph spells ``innerError`` and ``innererror``: match keys without regard to case."""
    return {str(k).lower(): v for k, v in value.items()} if isinstance(value, Mapping) else {}


def unwrap_message(message: str) -> tuple[str, str | None]:
    """The readable part of an ``error.message`` and the activity ID it carries, if any.

    A message that is itself JSON yields its ``Message`` (and ``CustomApiErrorPhrase``
    when set); anything else is returned as it is.
    """
    text = message.strip()
    if text.startswith("{"):
        try:
            inner = _lower_keys(json.loads(text))
        except ValueError:
            inner = {}
        if inner:
            parts = [str(inner[k]) for k in ("message", "customapierrorphrase") if inner.get(k)]
            text = " - ".join(parts) or text
    found = ACTIVITY.search(text)
    return " ".join(text.split()), found.group(1) if found else None


def graph_error(status: int, body: bytes, headers: Mapping[str, str]) -> IntuneError:
    """One ``intune-graph`` error from a non-2xx response: status, Graph code, message, IDs."""
    try:
        error = _lower_keys(_lower_keys(json.loads(body or b"{}")).get("error"))
    except ValueError:
        error = {}
    code = str(error.get("code") or "unknown")
    message, activity = unwrap_message(str(error.get("message") or body[:200].decode("utf-8", "replace")))
    inner = _lower_keys(error.get("innererror"))
    request_id = inner.get("request-id") or headers.get("request-id") or headers.get("client-request-id")
    ids = [f"request-id {request_id}"] if request_id else []
    if activity:
        ids.append(f"activity-id {activity}")
    suffix = f" ({', '.join(ids)})" if ids else ""
    return IntuneError("intune-graph", f"HTTP {status} {code}: {message or 'no message'}{suffix}", status)


def auth_error(scope: str) -> IntuneError:
    """The one line of a 401: the token is stale or was granted without the scope this call needs."""
    return IntuneError("intune-auth", f"token expired or lacks scope {scope}: {AUTH_HINT}", 401)
