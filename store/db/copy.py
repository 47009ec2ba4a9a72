"""``provdesk store copy SRC DST``: a whole store, audit trail and original files included, elsewhere.

The copy is one transaction on the destination, which must be empty (a new directory, or
a database with no provdesk data; its schema is created when missing): it receives every
document as stored (revisions, who imported what and when) and the audit events verbatim,
so copying there and back gives the same ``export`` and the same ``log``. The copy itself
adds no audit event: the trail stays the source's, event for event.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from store.clock import Clock
from store.db.codec import docs_of
from store.db.location import Location, describe, is_postgres
from store.db.schema import audit_tables
from store.db.store import Store
from store.errors import StoreError
from store.model import AuditEvent, from_json

TABLES = ("anchors", "groups", "profiles", "apps", "assignments", "settings")


@dataclass(frozen=True)
class CopySummary:
    """What a copy carried: documents per table, audit events, original files."""

    source: str
    destination: str
    documents: dict[str, int]
    audit_events: int
    blobs: int


def _open_empty(dst: Location, clock: Clock) -> Store:
    """The destination store, made when missing, refused when it holds anything."""
    if is_postgres(dst):
        from store.db.postgres.admin import migrate

        migrate(str(dst))
    target = Store.open(dst, clock, create=True)
    if not target.is_empty() or target.audit(limit=1) or len(target.fleet_anchors()) > 1:
        target.close()
        raise StoreError("store-not-empty", f"{describe(dst)} already holds data: copy into an empty one")
    return target


def copy_store(src: Location, dst: Location, clock: Clock) -> CopySummary:
    """Copy everything in ``src`` into the new, empty store ``dst`` in one transaction."""
    if describe(src) == describe(dst):
        raise StoreError("same-store", "the source and the destination are the same store")
    source = Store.open(src, clock, create=False)
    try:
        with source._mutex:
            source._refresh()
            tables = source.storage.tables
            documents = {name: list(docs_of(tables, name)) for name in TABLES}
            chunks = [tables[name] for name in audit_tables(tables)]
            events = [from_json(AuditEvent, doc) for chunk in chunks for doc in chunk.values()]
        digests = sorted({str(d["file_sha256"]) for name in ("profiles", "apps") for d in documents[name]
                          if d.get("file_sha256")})
        blobs = [source.blobs.get(digest) for digest in digests]
    finally:
        source.close()
    target = _open_empty(dst, clock)
    try:
        with target.transaction() as tx:
            target.blobs.put_many(blobs)
            for name, docs in documents.items():
                tx.insert_many(name, [_copy(doc) for doc in docs], as_stored=True)
            tx.events.extend(events)
    finally:
        target.close()
    return CopySummary(describe(src), describe(dst), {n: len(d) for n, d in documents.items()}, len(events),
                       len(blobs))


def _copy(doc: dict[str, Any]) -> dict[str, Any]:
    """A document detached from the source's tables (the destination's TinyDB may edit it)."""
    import copy

    return copy.deepcopy(doc)
