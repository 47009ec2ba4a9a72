"""The seam beneath the repository mixins: what a storage engine gives :class:`~store.db.core.StoreCore`.

Both engines hold the store's documents in memory as TinyDB-shaped tables (physical table
name -> ``{doc_id: document}``, the layout of :mod:`store.db.schema`), so the mixins read
them the same way (``docs_of(self.storage.tables, name)``, ``self._table(name, kind)``) and
edit them through the same :class:`~store.db.tx.Tx`. An engine decides only how those
tables are loaded, locked and made durable: files and ``flock`` on one host
(:mod:`store.db.local`), or PostgreSQL for several (:mod:`store.db.postgres`).
"""

from __future__ import annotations

from contextlib import AbstractContextManager
from datetime import datetime
from typing import Protocol

from store.db.schema import Tables
from store.db.tx import Tx


class Snapshot(Protocol):
    """The in-memory tables: ``hashes`` changes per table whenever its content does."""

    tables: Tables
    hashes: dict[str, str]
    generation: int


class Blobs(Protocol):
    """Original files by SHA-256."""

    def put_many(self, items: list[bytes]) -> list[str]: ...
    def put(self, data: bytes) -> str: ...
    def get(self, digest: str) -> bytes: ...
    def exists(self, digest: str) -> bool: ...


class Engine(Protocol):
    """One opened store, whichever backend holds it."""

    location: str  # as it may be shown (no password)
    needs_commit: bool  # a new or older store: the first transaction writes it

    @property
    def storage(self) -> Snapshot:
        """The tables as last loaded (or as the current transaction edits them)."""

    @property
    def blobs(self) -> Blobs:
        """The original files."""

    @property
    def read_only(self) -> bool:
        """Whether this user (or database role) may only read the store."""

    def refresh(self, *, force: bool = False) -> None:
        """Bring ``storage`` up to what other processes committed."""

    def has_changed(self) -> bool:
        """Cheaply: whether someone else committed since the last refresh."""

    def transaction(self, now: datetime, actor: str, client: str) -> AbstractContextManager[Tx]:
        """Lock, refresh, hand out a ``Tx``, then commit it whole with its audit events, or not at all."""

    def take_notices(self) -> list[str]:
        """Things the admin should be told that are not errors (a reconnect), once each."""

    def close(self) -> None:
        """Release connections and threads."""
