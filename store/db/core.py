"""The store's engine room: open a directory, read consistent snapshots, run locked transactions.

Every change runs inside :meth:`StoreCore.transaction`: take the exclusive lock, reload
what other processes committed, let the caller edit through :class:`Tx` (TinyDB tables
keyed by the model's natural keys), append the audit events, commit atomically. Reads
(:meth:`StoreCore.fleet`) take the shared lock only when ``store.json`` changed, and decode
each table once per content hash, so an open console refreshes cheaply.
"""

from __future__ import annotations

import functools
import os
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Concatenate, ParamSpec, Self, TypeVar

from store.actor import current_actor
from store.clock import Clock
from store.db.blobs import BlobStore
from store.db.codec import SHARDED, decode_table, docs_of, shards
from store.db.files import PRIVATE, TMP_PREFIX, make_dir, modes_of
from store.db.lock import locked
from store.db.refs import resolve_app_ref, resolve_profile_ref
from store.db.schema import BLOBS_DIR, MANIFEST, SCHEMA, TABLES_DIR
from store.db.storage import SegmentStorage
from store.db.tx import Tx
from store.errors import StoreError
from store.formats.trust import apple_root_anchor
from store.model import App, Fleet, Profile, Thresholds, TrustAnchor, from_json

OWN_NAMES = {MANIFEST, TABLES_DIR, BLOBS_DIR, ".lock"}
P = ParamSpec("P")
R = TypeVar("R")


def reads(method: Callable[Concatenate[Any, P], R]) -> Callable[Concatenate[Any, P], R]:
    """Run a read method under the store's in-process mutex.

    The console calls the store from worker threads: without it, a read in one thread could
    see another thread's transaction half-applied in memory (the file lock only orders
    processes and file descriptors, not the shared in-memory tables).
    """

    def wrapper(store: Any, /, *args: P.args, **kwargs: P.kwargs) -> R:
        with store._mutex:
            return method(store, *args, **kwargs)

    functools.update_wrapper(wrapper, method)
    return wrapper


class StoreCore:
    """One store directory, opened by one process; the repository mixins build on it."""

    def __init__(self, root: Path, clock: Clock, actor: tuple[str, str]) -> None:
        self.root = root
        self.clock = clock
        self.actor, self.client = actor
        self.modes = modes_of(root)
        self.storage = SegmentStorage(root, self.modes)
        self.blobs = BlobStore(root, self.modes)
        self._decoded: dict[str, tuple[str, tuple[Any, ...]]] = {}
        self._mutex = threading.RLock()

    @classmethod
    def open(cls, path: Path, clock: Clock, *, create: bool = True) -> Self:
        """Open (and with ``create``, make) the store at ``path``; refuse anything not a healthy store.

        A corrupt or newer store raises ``StoreError`` and is left exactly as it is.
        """
        root = Path(path).expanduser()
        if not root.exists():
            if not create:
                raise StoreError("store-missing", f"no store at {root} (run `provdesk init`)")
            try:
                make_dir(root, PRIVATE)
            except OSError as exc:
                message = f"cannot create a store at {root}: {exc.strerror}"
                raise StoreError("store-unwritable", message) from exc
        elif not root.is_dir():
            raise StoreError("not-a-store", f"{root} is not a directory")
        if not os.access(root, os.R_OK | os.X_OK):
            raise StoreError("store-unreadable", f"no permission to read the store at {root}")
        if not (root / MANIFEST).exists():
            strangers = sorted(p.name for p in root.iterdir()
                               if p.name not in OWN_NAMES and not p.name.startswith(TMP_PREFIX))
            if any((root / n).exists() for n in (TABLES_DIR, BLOBS_DIR)):
                raise StoreError("store-corrupt", f"{root / MANIFEST} is missing but the store has data")
            if strangers:
                raise StoreError("not-a-store", f"{root} holds other files ({', '.join(strangers[:3])})")
            if not create:
                raise StoreError("store-missing", f"no store at {root} (run `provdesk init`)")
        store = cls(root, clock, current_actor())
        store._refresh(force=True)
        if store.storage.stamp is None or store.storage.schema < SCHEMA:
            with store.transaction():
                pass  # writes the new store, or the migrated one
        return store

    # -- reading ------------------------------------------------------------------------------
    def _refresh(self, *, force: bool = False) -> None:
        """Reload under the shared lock when another process committed since our last read."""
        if not force and not self.has_changed():
            return
        with locked(self.root, self.modes, exclusive=False):
            self.storage.load()

    def has_changed(self) -> bool:
        """Whether ``store.json`` differs from what we last read (an open console polls this)."""
        return self.storage.current_stamp() != self.storage.stamp

    def _table(self, name: str, kind: type[Any]) -> tuple[Any, ...]:
        """The decoded documents of one (logical) table, cached per shard by content hash."""
        if name in SHARDED:
            return tuple(item for physical in shards(name) for item in self._table(physical, kind))
        digest = self.storage.hashes.get(name, "")
        cached = self._decoded.get(name)
        if cached is not None and cached[0] == digest and digest:
            return cached[1]
        items = decode_table(kind, self.storage.tables.get(name, {}))
        self._decoded[name] = (digest, items)
        return items

    @reads
    def fleet(self) -> Fleet:
        """A consistent snapshot of everything, with the built-in groups and anchors included."""
        self._refresh()
        from store.db.views import build_fleet

        return build_fleet(self)

    def settings_doc(self) -> dict[str, Any]:
        """The one settings document as stored (thresholds, the identity path), a copy."""
        return dict(next(iter(self.storage.tables.get("settings", {}).values()), {}))

    def thresholds(self) -> Thresholds:
        """The warning/critical settings (defaults until an admin changes them)."""
        settings = self.settings_doc()
        defaults = Thresholds()
        return Thresholds(
            critical_days=int(settings.get("critical_days", defaults.critical_days)),
            warning_days=int(settings.get("warning_days", defaults.warning_days)),
        )

    @reads
    def fleet_anchors(self) -> tuple[TrustAnchor, ...]:
        """Apple Root CA plus the anchors admins added, as they stand in memory now."""
        return (apple_root_anchor(), *self._table("anchors", TrustAnchor))

    @staticmethod
    def _decode_profile(doc: dict[str, Any]) -> Profile:
        """One stored profile document as a :class:`Profile`."""
        profile: Profile = from_json(Profile, doc)
        return profile

    def _find_profile(self, ref: str) -> Profile:
        """The profile ``ref`` names in the loaded tables: an exact UUID without decoding them all."""
        for doc in docs_of(self.storage.tables, "profiles"):
            if doc.get("uuid") == ref:
                return self._decode_profile(doc)
        return resolve_profile_ref(self._table("profiles", Profile), ref)

    def _find_app(self, ref: str) -> App:
        """The app ``ref`` names in the loaded tables: an exact bundle ID without decoding them all."""
        for doc in docs_of(self.storage.tables, "apps"):
            if doc.get("bundle_id") == ref:
                app: App = from_json(App, doc)
                return app
        return resolve_app_ref(self._table("apps", App), ref)

    @reads
    def is_empty(self) -> bool:
        """No profiles, apps, custom groups or assignments yet (the console offers demo data)."""
        self._refresh()
        names = ("profiles", "apps", "groups", "assignments")
        return not any(next(docs_of(self.storage.tables, n), None) for n in names)

    # -- writing --------------------------------------------------------------------------------
    @contextmanager
    def transaction(self) -> Iterator[Tx]:
        """A locked read-modify-write: everything done through the ``Tx`` commits at once, or not at all."""
        with self._mutex, locked(self.root, self.modes, exclusive=True):
            if self.has_changed() or self.storage.stamp is None:
                self.storage.load()
            self.storage.begin()
            tx = Tx(self.storage, self.clock(), self.actor, self.client)
            try:
                yield tx
                tx.flush_audit()
                self.storage.commit()
            except OSError as exc:  # disk full, read-only store, lost permission: nothing was committed
                self.storage.rollback()
                raise StoreError(
                    "store-unwritable", f"cannot write the store at {self.root}: {exc.strerror or exc}"
                ) from exc
            except BaseException:  # the body failed: forget its edits
                self.storage.rollback()
                raise
            for digest in tx.unreferenced_blobs():
                if not self._blob_in_use(digest):
                    self.blobs.remove(digest)

    def _blob_in_use(self, digest: str) -> bool:
        """Whether any profile or app still names this blob."""
        for name in ("profiles", "apps"):
            for doc in docs_of(self.storage.tables, name):
                if doc.get("file_sha256") == digest:
                    return True
        return False
