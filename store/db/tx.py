"""One write transaction's view of the tables: get/put/remove by natural key, plus audit events.

TinyDB's ``Table`` does the editing (by document ID, found through a key index kept in
step with our own edits, so a change to one of 5,000 profiles costs no full scan); the
audit events of the transaction are appended in one insert at the end.
"""

from __future__ import annotations

from collections.abc import Iterable, MutableMapping
from datetime import datetime
from typing import Any

from tinydb import TinyDB
from tinydb.table import Table

from store.db.codec import doc_key, docs_of, shard
from store.db.schema import AUDIT_CHUNK, audit_table, audit_tables
from store.db.storage import SegmentStorage
from store.model import AuditEvent, to_json


def next_revision(stored: dict[str, Any] | None, doc: dict[str, Any]) -> int:
    """The revision a write gives a record: one more than the stored document's.

    With nothing stored (a new record, or one renamed to a new key) it is one more than
    the caller's copy, so a rename keeps counting instead of starting again at 1.
    """
    base = doc if stored is None else stored
    return int(base.get("revision", 0)) + 1


class Tx:
    """The handle a repository method edits the store through while holding the write lock."""

    def __init__(self, storage: SegmentStorage, now: datetime, actor: str, client: str) -> None:
        self.storage = storage
        self.now = now
        self.actor = actor
        self.client = client
        self.db = TinyDB(storage=lambda: storage)  # fresh per transaction: no stale ids or caches
        self.events: list[AuditEvent] = []
        self._indexes: dict[str, tuple[Any, dict[str, int]]] = {}
        self._dropped_blobs: set[str] = set()

    def _table(self, name: str) -> Table:
        return self.db.table(name, cache_size=0)

    def _index(self, name: str) -> dict[str, int]:
        """Natural key -> document ID for ``name``, rebuilt only when someone else edited it."""
        raw = self.storage.tables.get(name, {})
        cached = self._indexes.get(name)
        if cached is not None and cached[0] is raw:
            return cached[1]
        index = {doc_key(name, doc): int(doc_id) for doc_id, doc in raw.items()}
        self._indexes[name] = (raw, index)
        return index

    def _settle(self, name: str, index: dict[str, int]) -> None:
        """Remember that ``index`` is current for the table dict TinyDB just wrote."""
        self._indexes[name] = (self.storage.tables.get(name, {}), index)

    def get(self, name: str, key: str) -> dict[str, Any] | None:
        """The document with natural key ``key`` (read-only: edit through :meth:`put`)."""
        name = shard(name, key)
        doc_id = self._index(name).get(key)
        if doc_id is None:
            return None
        doc: dict[str, Any] = self.storage.tables[name][str(doc_id)]
        return doc

    def docs(self, name: str) -> list[dict[str, Any]]:
        """Every document of ``name``, in insertion order."""
        return list(docs_of(self.storage.tables, name))

    def put(self, name: str, doc: dict[str, Any]) -> int:
        """Insert ``doc``, or replace the document with the same natural key; returns its new revision.

        This is the one place a record's ``revision`` moves (see :func:`next_revision`),
        whatever the caller's copy of a stored record says. A form that read
        revision N and finds another number at save time knows someone wrote in between.
        """
        key = doc_key(name, doc)
        name = shard(name, key)
        index = self._index(name)
        table = self._table(name)
        doc_id = index.get(key)
        stored = None if doc_id is None else self.storage.tables[name][str(doc_id)]
        doc = {**doc, "revision": next_revision(stored, doc)}
        if stored is not None and stored.get("file_sha256") not in (None, "", doc.get("file_sha256")):
            self._dropped_blobs.add(str(stored["file_sha256"]))  # a new file replaced this one
        if doc_id is None:
            index[key] = table.insert(doc)
        else:
            def replace_doc(current: MutableMapping[Any, Any]) -> None:
                current.clear()
                current.update(doc)

            table.update(replace_doc, doc_ids=[doc_id])
        self._settle(name, index)
        return int(doc["revision"])

    def insert_many(self, name: str, docs: Iterable[dict[str, Any]], *, as_stored: bool = False) -> None:
        """Insert new documents, one table write per shard (keys must be new: callers check first).

        ``as_stored`` keeps each document's revision: a store copy restores records, it does not change them.
        """
        groups: dict[str, list[dict[str, Any]]] = {}
        for doc in (d if as_stored else {**d, "revision": next_revision(None, d)} for d in docs):
            groups.setdefault(shard(name, doc_key(name, doc)), []).append(doc)
        for physical, batch in groups.items():
            index = self._index(physical)
            ids = self._table(physical).insert_multiple(batch)
            for doc, doc_id in zip(batch, ids, strict=True):
                index[doc_key(name, doc)] = doc_id
            self._settle(physical, index)

    def remove(self, name: str, key: str) -> dict[str, Any] | None:
        """Delete the document with natural key ``key``; returns it (or ``None`` if absent)."""
        name = shard(name, key)
        index = self._index(name)
        doc_id = index.pop(key, None)
        if doc_id is None:
            return None
        doc = dict(self.storage.tables[name][str(doc_id)])
        self._table(name).remove(doc_ids=[doc_id])
        self._settle(name, index)
        if doc.get("file_sha256"):
            self._dropped_blobs.add(str(doc["file_sha256"]))
        return doc

    def audit(self, action: str, subject: str, before: Any = None, after: Any = None) -> None:
        """Record one change; it is written with the transaction (or not at all)."""
        self.events.append(
            AuditEvent(self.now, self.actor, self.client, action, subject, to_json(before), to_json(after))
        )

    def flush_audit(self) -> None:
        """Append this transaction's events to the newest audit chunk(s)."""
        pending = [to_json(e) for e in self.events]
        while pending:
            chunks = audit_tables(self.storage.tables)
            name = chunks[-1] if chunks else audit_table(0)
            room = AUDIT_CHUNK - len(self.storage.tables.get(name, {}))
            if room <= 0:
                name = audit_table(len(chunks))
                room = AUDIT_CHUNK
            self._table(name).insert_multiple(pending[:room])
            pending = pending[room:]

    def unreferenced_blobs(self) -> set[str]:
        """Blobs of documents removed in this transaction (deleted after commit if nothing else uses them)."""
        return self._dropped_blobs
