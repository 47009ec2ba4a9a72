"""Where a store lives: a directory on this host (TinyDB) or a ``postgresql://`` URL (several hosts).

The command line, ``PROVDESK_STORE`` and the settings file hand the store one string; only
this module decides which backend it names, so nothing above ``store/db/`` needs to know.
A URL may carry a password: :func:`describe` is the only form ever printed.
"""

from __future__ import annotations

from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

Location = str | Path
SCHEMES = ("postgresql://", "postgres://")


def is_postgres(location: Location) -> bool:
    """Whether ``location`` names a PostgreSQL database rather than a directory."""
    return isinstance(location, str) and location.startswith(SCHEMES)


def may_hold_a_store(location: Location) -> bool:
    """Whether looking for a store at ``location`` makes sense without creating one.

    A directory must exist; a database URL always may (connecting tells).
    """
    return is_postgres(location) or Path(location).expanduser().is_dir()


def describe(location: Location) -> str:
    """``location`` as it may be shown to a person: a URL's password replaced by ``***``."""
    if not is_postgres(location):
        return str(Path(location).expanduser())
    parts = urlsplit(str(location))
    if parts.password is None:
        return str(location)
    host = parts.netloc.rsplit("@", 1)[1]
    return urlunsplit(parts._replace(netloc=f"{parts.username or ''}:***@{host}"))
