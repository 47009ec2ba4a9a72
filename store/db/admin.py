"""Making a store for a team, and checking one: ``provdesk init`` and ``provdesk doctor``.

A team store lives in a setgid directory owned by the admins' group (2770, files 0660),
so every admin's writes stay readable and writable by the others; a private store is
0700/0600. ``doctor`` reads everything and writes nothing: it is what an admin runs when
the store refuses to open, and it names each problem in words.
"""

from __future__ import annotations

import grp
import os
import stat
from pathlib import Path

from store.clock import system_clock
from store.db.files import PRIVATE, SHARED, TMP_PREFIX, make_dir
from store.db.location import Location, describe, is_postgres
from store.db.schema import MANIFEST
from store.db.store import Store
from store.errors import StoreError

HARMLESS = "(harmless"


def is_harmless(problem: str) -> bool:
    """Whether a ``doctor`` line is only leftover litter of an interrupted write (no data at risk)."""
    return HARMLESS in problem


def init_store(location: Location, shared_group: str | None = None) -> str:
    """Create a new, empty store at ``location`` (private, or shared with ``shared_group``); returns where.

    Refuses a directory that already holds a store or other files, so ``init`` can never
    clobber anyone's data. A ``postgresql://`` database gets the schema (or is migrated
    to this code's); one already current is ``store-exists``.
    """
    if is_postgres(location):
        return _init_postgres(str(location), shared_group)
    root = Path(location).expanduser()
    if (root / MANIFEST).exists():
        raise StoreError("store-exists", f"{root} already holds a store")
    if root.exists() and any(root.iterdir()):
        raise StoreError("not-a-store", f"{root} is not empty")
    modes = SHARED if shared_group else PRIVATE
    make_dir(root, modes)
    if shared_group:
        try:
            gid = grp.getgrnam(shared_group).gr_gid
        except KeyError:
            raise StoreError("unknown-group", f"no Unix group {shared_group!r} on this host") from None
        try:
            os.chown(root, -1, gid)
        except PermissionError:
            raise StoreError(
                "chgrp-failed", f"cannot give {root} to group {shared_group!r}: are you a member of it?"
            ) from None
    os.chmod(root, modes.dir_mode)  # after chown, which may clear the setgid bit
    store = Store.open(root, system_clock)
    with store.transaction() as tx:
        tx.audit("store.init", "store", None, {"shared_group": shared_group, "mode": oct(modes.dir_mode)})
    return str(root)


def _init_postgres(url: str, shared_group: str | None) -> str:
    """Apply the schema's migrations to a database; audited as the store's creation or migration."""
    from store.db.postgres.admin import migrate
    from store.db.postgres.sql import SCHEMA as PG_SCHEMA

    if shared_group:
        raise StoreError("bad-option", "--shared-group is for a store directory; a database's DBA grants "
                         "roles instead")
    found = migrate(url)
    if found == PG_SCHEMA:
        raise StoreError("store-exists", f"{describe(url)} already holds a store (schema {found})")
    store = Store.open(url, system_clock)
    with store.transaction() as tx:
        action = "store.init" if found == 0 else "store.migrate"
        tx.audit(action, "store", None if found == 0 else {"schema": found}, {"schema": PG_SCHEMA})
    store.close()
    return store.location


def permission_problems(root: Path) -> list[str]:
    """Modes that expose the store to other users (or lock a team out of a shared store)."""
    problems: list[str] = []
    mode = root.stat().st_mode
    shared = bool(mode & stat.S_ISGID)
    if mode & 0o007:
        problems.append(f"{root} is open to other users (mode {stat.S_IMODE(mode):o}); chmod o-rwx")
    if shared and (mode & 0o070) != 0o070:
        problems.append(f"{root} is a team store but its group cannot use it (mode {stat.S_IMODE(mode):o})")
    if not shared and mode & 0o077:
        problems.append(
            f"{root} is a private store readable by its group (mode {stat.S_IMODE(mode):o}); chmod 700"
        )
    for dirpath, dirnames, filenames in os.walk(root):
        for name in dirnames + filenames:
            path = Path(dirpath) / name
            item_mode = path.lstat().st_mode
            if item_mode & 0o007:
                problems.append(f"{path} is open to other users (mode {stat.S_IMODE(item_mode):o})")
            elif not shared and item_mode & 0o077 and name != ".lock":
                problems.append(f"{path} is readable by its group in a private store")
            if name.startswith(TMP_PREFIX):
                problems.append(f"{path} is a temporary file left by an interrupted write (harmless)")
    return problems


def doctor(location: Location) -> list[str]:
    """Everything wrong with the store at ``location``, one line each; an empty list means healthy."""
    from store.db.checks import content_problems, document_problems

    if is_postgres(location):
        try:
            store = Store.open(location, system_clock, create=False)
        except StoreError as exc:
            return [exc.message]
        try:
            return document_problems(store.storage.tables)
        finally:
            store.close()
    root = Path(location).expanduser()
    if not root.is_dir():
        return [f"no store directory at {root}"]
    try:
        problems = permission_problems(root)
    except PermissionError as exc:
        return [f"cannot read {exc.filename}: permission denied"]
    return problems + content_problems(root)
