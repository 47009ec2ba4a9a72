"""The store's engine room: open a store, read consistent snapshots, run audited transactions.

What is backend-neutral lives here: the decoded-table cache, the fleet snapshot, finding a
profile or app, and the in-process mutex; where the tables come from and how a change is
made durable is the :class:`~store.db.engine.Engine`'s job (a directory with ``flock`` on
one host, or PostgreSQL), chosen by :meth:`StoreCore.open` from the store's location.
Every change runs inside :meth:`StoreCore.transaction`: the engine locks, reloads what
others committed, hands out a :class:`Tx`, and commits it with its audit events at once.
"""

from __future__ import annotations

import functools
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Concatenate, ParamSpec, Self, TypeVar

from store.actor import current_actor
from store.clock import Clock
from store.db.codec import SHARDED, decode_table, docs_of, shards
from store.db.engine import Engine
from store.db.location import Location, is_postgres
from store.db.refs import resolve_app_ref, resolve_profile_ref
from store.db.tx import Tx
from store.errors import StoreError
from store.formats.trust import apple_root_anchor
from store.model import App, Fleet, Profile, Thresholds, TrustAnchor, from_json

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
    """One store, opened by one process; the repository mixins build on it."""

    def __init__(self, engine: Engine, clock: Clock, actor: tuple[str, str]) -> None:
        self.engine = engine
        self.clock = clock
        self.actor, self.client = actor
        self.storage = engine.storage
        self.blobs = engine.blobs
        self._decoded: dict[str, tuple[str, tuple[Any, ...]]] = {}
        self._mutex = threading.RLock()

    @classmethod
    def open(cls, location: Location, clock: Clock, *, create: bool = True) -> Self:
        """Open the store at ``location`` (a directory, made with ``create``; or a ``postgresql://`` URL).

        A corrupt or newer store raises ``StoreError`` and is left exactly as it is.
        """
        engine: Engine
        if is_postgres(location):
            from store.db.postgres.engine import PgEngine

            engine = PgEngine.connect(str(location))
        else:
            from store.db.local import LocalEngine

            engine = LocalEngine.open(Path(location), create=create)
        store = cls(engine, clock, current_actor())
        if engine.needs_commit:
            with store.transaction():
                pass  # writes the new store, or the migrated one
        return store

    @property
    def location(self) -> str:
        """Where the store lives, as it may be shown (a URL's password hidden)."""
        return self.engine.location

    @property
    def root(self) -> Path:
        """The directory of a single-host store (tests and ``doctor`` look inside it)."""
        root = getattr(self.engine, "root", None)
        if not isinstance(root, Path):
            raise StoreError("not-a-directory", f"{self.location} is not a store directory")
        return root

    @property
    def read_only(self) -> bool:
        """Whether this user may only read the store (the console then offers no edits)."""
        return bool(self.engine.read_only)

    def take_notices(self) -> list[str]:
        """What the admin should be told that is not an error (say, a reconnect), once each."""
        return self.engine.take_notices()

    def close(self) -> None:
        """Let go of connections and threads (a directory store holds none)."""
        self.engine.close()

    # -- reading ------------------------------------------------------------------------------
    def _refresh(self, *, force: bool = False) -> None:
        """Bring the in-memory tables up to what other processes committed."""
        self.engine.refresh(force=force)

    def has_changed(self) -> bool:
        """Whether another process committed since our last read (an open console polls this: it is cheap)."""
        return self.engine.has_changed()

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
        with self._mutex, self.engine.transaction(self.clock(), self.actor, self.client) as tx:
            yield tx
