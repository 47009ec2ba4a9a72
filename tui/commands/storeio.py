"""Shared by the store verbs: opening the store, reading files, and the stable JSON rows.

The row shapes here are the documented ``--json`` keys of ``profiles``, ``apps`` and
``groups`` (scripts parse them), so they live in one place rather than in each verb.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from store.errors import ProvdeskError, StoreError
from store.model import App, Assignment, Fleet, Group, IntuneOrigin, Profile, iso
from tui.commands.common import Context

if TYPE_CHECKING:
    from store.db import Store


OPENED: list[Store] = []


def open_store(context: Context, *, create: bool = False) -> Store:
    """The store the verb works on (``--store``, ``$PROVDESK_STORE`` or the user data dir).

    Only verbs that add something create a missing store: a list or delete on a mistyped
    path must say the store is missing, not show an empty one.
    """
    from store.db import Store

    store = Store.open(context.store_path, context.clock, create=create)
    OPENED.append(store)
    return store


def print_notices() -> None:
    """What the stores the verb used have to tell (say, a commit confirmed after a dropped connection)."""
    while OPENED:
        for notice in OPENED.pop().take_notices():
            sys.stderr.write(f"provdesk: note: {notice}\n")


def offer_to_create(location: str | Path, ask: Callable[[str], str] | None = None) -> None:
    """Before the console opens a store directory that does not exist: say so, create it only on ``y``.

    A mistyped ``--store`` must not open an empty store offering the demo data. Without a
    terminal to ask on (``ask`` is ``None`` and stdin is not a TTY) nothing is created. A
    database URL is left to the store to open (connecting says what is wrong).
    """
    from store.db.location import is_postgres

    if is_postgres(str(location)):
        return
    root = Path(location).expanduser()
    if root.exists():
        return
    if ask is None and not sys.stdin.isatty():
        raise StoreError("store-missing", f"no store at {root}; nothing created (run `provdesk init`)")
    question = f"provdesk: there is no store at {root}. Create an empty one there? [y/N] "
    try:
        answer = (ask or input)(question)
    except EOFError:
        answer = ""
    if answer.strip().lower() not in ("y", "yes"):
        raise StoreError("store-missing", f"no store at {root}; nothing created")


def read_input(path: str) -> bytes:
    """A file named on the command line (``-`` is stdin), or a clear ``unreadable-file`` error."""
    if path == "-":
        return sys.stdin.buffer.read()
    try:
        return Path(path).read_bytes()
    except OSError as exc:
        raise StoreError("unreadable-file", f"cannot read {path}: {exc.strerror or exc}") from None


def _sets(assignment: Assignment) -> dict[str, list[str]]:
    return {"include": sorted(assignment.include), "exclude": sorted(assignment.exclude)}


def source_of(origin: IntuneOrigin | None) -> dict[str, Any]:
    """``source`` (intune/provdesk) and ``intune`` (``id``, ``pulled_at``, ``gone``, ``expires``; or null).

    ``expires`` is Intune's own date (an app's, a configuration's ``expirationDateTime``).
    """
    if origin is None:
        return {"source": "provdesk", "intune": None}
    return {"source": "intune", "intune": {"id": origin.intune_id, "pulled_at": iso(origin.pulled_at),
                                           "gone": origin.gone, "expires": iso(origin.expires)}}


def profile_row(profile: Profile, fleet: Fleet) -> dict[str, Any]:
    """``profiles --json``: uuid, name, display_name, description, type, created, expires, trust,
    signature, app_id, team_id, team_name, device_count, certificates (SHA-256 list), file_name,
    file_sha256, imported_by, imported_at, include, exclude, source, intune."""
    return {
        "uuid": profile.uuid, "name": profile.name, "display_name": profile.display_name,
        "description": profile.description, "type": profile.type, "created": iso(profile.created),
        "expires": iso(profile.expires), "trust": profile.trust, "signature": profile.signature,
        "app_id": profile.app_id, "team_id": profile.team_id, "team_name": profile.team_name,
        "device_count": profile.device_count, "certificates": [c.sha256 for c in profile.certificates],
        "file_name": profile.file_name, "file_sha256": profile.file_sha256,
        "imported_by": profile.imported_by, "imported_at": iso(profile.imported_at),
        **_sets(fleet.assignment_for("profile", profile.uuid)), **source_of(profile.intune),
    }


def app_row(app: App, fleet: Fleet) -> dict[str, Any]:
    """``apps --json``: name, bundle_id, version, build, certificate_sha256, certificate_expires,
    profile_uuid, profile_expires, needs_resign, file_sha256, added_by, added_at, include, exclude,
    source, intune."""
    cert, profile = app.signing_certificate, app.embedded_profile
    return {
        "name": app.name, "bundle_id": app.bundle_id, "version": app.version, "build": app.build,
        "certificate_sha256": cert.sha256 if cert else None,
        "certificate_expires": iso(cert.not_after) if cert else None,
        "profile_uuid": profile.uuid if profile else None,
        "profile_expires": iso(profile.expires) if profile else None,
        "needs_resign": app.needs_resign, "file_sha256": app.file_sha256,
        "added_by": app.added_by, "added_at": iso(app.added_at),
        **_sets(fleet.assignment_for("app", app.bundle_id)), **source_of(app.intune),
    }


def group_row(group: Group, fleet: Fleet) -> dict[str, Any]:
    """``groups --json``: name, kind, description, builtin, included_by, excluded_by, source, intune."""
    return {
        "name": group.name, "kind": group.kind, "description": group.description, "builtin": group.builtin,
        "included_by": sum(1 for a in fleet.assignments if group.name in a.include),
        "excluded_by": sum(1 for a in fleet.assignments if group.name in a.exclude),
        **source_of(group.intune),
    }


def columns(rows: list[list[str]], header: list[str]) -> list[str]:
    """Plain aligned columns for human output (no colour: this is for pipes and cron mail too)."""
    table = [header, *rows]
    widths = [max(len(r[i]) for r in table) for i in range(len(header))]
    return ["  ".join(c.ljust(w) for c, w in zip(r, widths, strict=True)).rstrip() for r in table]


def warn(message: str) -> None:
    """A warning on stderr in the ``provdesk:`` style (the verb still succeeds)."""
    sys.stderr.write(f"provdesk: warning: {message}\n")


def error_json(error: ProvdeskError | None) -> dict[str, str] | None:
    """An error inside a ``--json`` result object."""
    return None if error is None else error.as_json()
