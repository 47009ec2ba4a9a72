"""One transaction's edits, written to PostgreSQL as rows: upserts, deletes, audit events, versions.

:class:`JournalTx` is the store's :class:`~store.db.tx.Tx` (same rules, same revision
bookkeeping, same in-memory edits) that also notes which records it touched; at commit
:func:`write` turns each touched record's final state into one upsert or delete, inserts
the audit events, bumps the touched tables' versions and the store's generation, records
the commit's id and queues the ``NOTIFY``, all inside the transaction that holds the lock.
"""

from __future__ import annotations

import uuid as uuidlib
from collections.abc import Iterable
from datetime import datetime
from typing import Any

import psycopg
from psycopg.types.json import Json

from store.db.codec import doc_key
from store.db.postgres import sql
from store.db.postgres.tables import PgTables
from store.db.tx import Tx
from store.model import to_json


class JournalTx(Tx):
    """A ``Tx`` that remembers the (table, key) of every record it put, inserted or removed."""

    def __init__(self, storage: PgTables, now: datetime, actor: str, client: str) -> None:
        super().__init__(storage, now, actor, client)  # type: ignore[arg-type]
        self.touched: dict[tuple[str, str], None] = {}
        self.id = uuidlib.uuid4()

    def put(self, name: str, doc: dict[str, Any]) -> int:
        """As ``Tx.put``, noted."""
        revision = super().put(name, doc)
        self.touched[(name, doc_key(name, doc))] = None
        return revision

    def insert_many(self, name: str, docs: Iterable[dict[str, Any]], *, as_stored: bool = False) -> None:
        """As ``Tx.insert_many``, noted."""
        batch = list(docs)
        super().insert_many(name, batch, as_stored=as_stored)
        for doc in batch:
            self.touched[(name, doc_key(name, doc))] = None

    def remove(self, name: str, key: str) -> dict[str, Any] | None:
        """As ``Tx.remove``, noted."""
        doc = super().remove(name, key)
        if doc is not None:
            self.touched[(name, key)] = None
        return doc


def _params(name: str, key: str, doc: dict[str, Any]) -> dict[str, Any]:
    """The columns of one row of ``name`` beside its document."""
    params: dict[str, Any] = {"key": key, "revision": int(doc.get("revision") or 0), "doc": Json(doc)}
    if name in ("profiles", "apps"):
        params.update(name=doc.get("name") or "", file_sha256=doc.get("file_sha256") or None)
    if name == "profiles":
        bare = {k: v for k, v in doc.items() if k != "certificates"}  # they live in their own table
        params.update(expires=doc["expires"], doc=Json(bare))
    elif name == "groups":
        params.update(kind=doc["kind"])
    elif name == "assignments":
        params.update(target_kind=doc["target_kind"], target=doc["target"], include=list(doc["include"]),
                      exclude=list(doc["exclude"]))
    elif name == "anchors":
        params.update(label=doc.get("label") or "")
    return params


def _delete_params(name: str, key: str) -> dict[str, Any]:
    if name == "assignments":
        kind, target = key.split(":", 1)
        return {"target_kind": kind, "target": target}
    return {"key": key}


def write(cur: psycopg.Cursor[Any], tx: JournalTx) -> tuple[dict[str, int], int, int]:
    """Write ``tx`` as rows; returns the new table versions, the generation and the last audit event id.

    A transaction that changed nothing writes nothing (the generation stays, nobody is notified).
    """
    if not tx.touched and not tx.events:
        storage = tx.storage
        assert isinstance(storage, PgTables)
        return {}, storage.generation, storage.audit_last_id
    upserts: dict[str, list[dict[str, Any]]] = {}
    deletes: dict[str, list[dict[str, Any]]] = {}
    profiles: list[dict[str, Any]] = []
    for name, key in tx.touched:
        doc = tx.get(name, key)
        if doc is None:
            deletes.setdefault(name, []).append(_delete_params(name, key))
        else:
            upserts.setdefault(name, []).append(_params(name, key, doc))
            if name == "profiles":
                profiles.append(doc)
    for name, rows in deletes.items():
        cur.executemany(sql.DELETE[name], rows)
    for name, rows in upserts.items():
        cur.executemany(sql.UPSERT[name], rows)
    _link_certificates(cur, profiles, dropped="profiles" in deletes)
    for digest in tx.unreferenced_blobs():
        cur.execute(sql.DROP_BLOB, {"sha": digest})
    generation = int(_one(cur, sql.BUMP_GENERATION))
    events = [to_json(e) for e in tx.events]
    cur.executemany(sql.AUDIT, [(generation, e["at"], e["actor"], e["action"], e["subject"], Json(e))
                                for e in events])
    last_id = int(_one(cur, "SELECT coalesce(max(id), 0) FROM audit_events"))
    touched = sorted({name for name, _ in tx.touched})
    versions = {name: int(_one(cur, sql.BUMP_VERSION, (name,))) for name in touched}
    cur.execute(sql.RECORD_COMMIT, (generation, tx.id))
    cur.execute(sql.NOTIFY, (sql.CHANNEL, str(generation)))
    return versions, generation, last_id


def _link_certificates(cur: psycopg.Cursor[Any], profiles: list[dict[str, Any]], *, dropped: bool) -> None:
    """Each written profile's certificates, as shared rows linked in order; unused ones go."""
    certs = {c["sha256"]: c for p in profiles for c in p.get("certificates", [])}
    rows = [(c["sha256"], c.get("common_name") or "", c.get("not_after"), Json(c)) for c in certs.values()]
    cur.executemany(sql.PUT_CERTIFICATE, rows)
    cur.executemany(sql.UNLINK_CERTIFICATES, [(p["uuid"],) for p in profiles])
    cur.executemany(sql.LINK_CERTIFICATE, [(p["uuid"], i, c["sha256"]) for p in profiles
                                           for i, c in enumerate(p.get("certificates", []))])
    if dropped or profiles:
        cur.execute(sql.DROP_UNUSED_CERTIFICATES)


def _one(cur: psycopg.Cursor[Any], statement: str, params: tuple[Any, ...] = ()) -> Any:
    row = cur.execute(statement, params).fetchone()  # type: ignore[arg-type]
    assert row is not None
    return row[0]
