"""Connecting to the PostgreSQL store, and turning the driver's failures into the store's error codes.

An admin sees one line: ``store-unreachable`` (nothing listens, the host or socket is
wrong), ``store-auth`` (wrong password, unknown role, refused by ``pg_hba.conf``),
``store-missing`` (no such database, or no provdesk schema in it) or
``store-read-only`` (the role may not write). The store's location is shown as
:func:`store.db.location.describe` gives it, so a password in the URL is never echoed.
"""

from __future__ import annotations

import psycopg
from psycopg import errors as pgerrors

from store.db.location import describe
from store.errors import StoreError

CONNECT_TIMEOUT = 5
AUTH_HINTS = ("password", "authentication", "pg_hba.conf", "role ", "permission denied for database")


def _reason(exc: BaseException) -> str:
    """The driver's message on one line (libpq never puts the password in it)."""
    lines = [line.strip() for line in str(exc).splitlines() if line.strip()]
    return " ".join(lines).replace("connection failed: ", "")


def classify(exc: BaseException, url: str) -> StoreError:
    """The store error for a failed connection or statement against ``url``."""
    where = describe(url)
    if isinstance(exc, pgerrors.InsufficientPrivilege):
        return StoreError("store-read-only", f"the database role may read {where} but not change it")
    reason = _redact(_reason(exc), url)
    low = reason.lower()
    if isinstance(exc, psycopg.ProgrammingError):
        return StoreError("store-bad-url", f"{where} is not a usable PostgreSQL address ({reason})")
    if 'database "' in low and "does not exist" in low:
        return StoreError("store-missing", f"no database at {where} (ask the DBA to create it)")
    if any(hint in low for hint in AUTH_HINTS):
        return StoreError("store-auth", f"the server at {where} refused the login ({reason})")
    return StoreError("store-unreachable", f"cannot reach the store at {where} ({reason})")


def _redact(reason: str, url: str) -> str:
    """``reason`` with the URL's password taken out, should a driver ever quote it."""
    from urllib.parse import unquote, urlsplit

    password = urlsplit(url).password
    return reason.replace(unquote(password), "***") if password else reason


def connect(url: str) -> psycopg.Connection[tuple[object, ...]]:
    """An autocommit connection to ``url`` (transactions are opened explicitly), or a store error."""
    try:
        return psycopg.connect(url, autocommit=True, connect_timeout=CONNECT_TIMEOUT,
                               application_name="provdesk")
    except psycopg.Error as exc:
        raise classify(exc, url) from None
