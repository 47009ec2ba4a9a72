"""The PostgreSQL store's rows as the in-memory, TinyDB-shaped tables every mixin reads.

Rows are laid out exactly as :mod:`store.db.local` keeps them (profiles, apps and
assignments in 16 shards by key, audit events in chunks of ``AUDIT_CHUNK``, documents in
insertion order), so the repository code, the decoded-table cache and ``Tx`` work
unchanged. A refresh re-reads only the tables whose ``table_versions`` row moved, and only
the audit events past the last one held (the audit trail is append-only).
"""

from __future__ import annotations

import itertools
from typing import Any

import psycopg
from tinydb.storages import Storage

from store.db import jsonio
from store.db.codec import logical, shards
from store.db.postgres import sql
from store.db.schema import AUDIT_CHUNK, Tables, audit_table, audit_tables
from store.errors import StoreError

LOGICAL = ("profiles", "apps", "groups", "assignments", "anchors", "settings")
_tokens = itertools.count(1)


def token(name: str) -> str:
    """A content stamp for one physical table, new every time its content changes in this process."""
    return f"{name}#{next(_tokens)}"


class PgTables(Storage):
    """The tables as last read from the database (or as the current transaction edits them)."""

    def __init__(self) -> None:
        self.tables: Tables = {}
        self.hashes: dict[str, str] = {}
        self.versions: dict[str, int] = {}
        self.generation = 0
        self.audit_last_id = 0
        self._loaded: dict[str, dict[str, Any]] = {}
        self._writable = False

    # -- TinyDB's interface (Tx edits through it) -----------------------------------------------
    def read(self) -> Tables:
        """The tables as they stand in this transaction."""
        return self.tables

    def write(self, data: Tables) -> None:
        """Accept TinyDB's edit in memory; only a transaction may edit."""
        if not self._writable:
            raise StoreError("not-locked", "a store change was attempted outside a write transaction")
        self.tables = data

    def begin(self) -> None:
        """Start accepting edits (the caller holds the store's row lock)."""
        self._writable = True

    def settle(self, versions: dict[str, int], generation: int, audit_last_id: int) -> None:
        """The transaction committed: what memory holds is now the database's state."""
        self._writable = False
        for name, table in self.tables.items():
            if self._loaded.get(name) is not table:
                self.hashes[name] = token(name)
        self._loaded = dict(self.tables)
        self.versions.update(versions)
        self.generation = generation
        self.audit_last_id = audit_last_id

    def forget(self) -> None:
        """The transaction failed: drop its edits; the next load reads those tables again."""
        self._writable = False
        for name in list(self.tables):
            if self._loaded.get(name) is not self.tables[name]:
                self.versions.pop(logical(name), None)
        self.tables = dict(self._loaded)

    # -- loading --------------------------------------------------------------------------------
    def load(self, cur: psycopg.Cursor[Any], *, force: bool = False) -> bool:
        """Bring memory up to the database (in the caller's transaction); ``False`` when nothing moved."""
        generation = int(_one(cur, sql.STATE))
        versions = {str(n): int(v) for n, v in cur.execute(sql.VERSIONS).fetchall()}
        stale = [n for n in LOGICAL if force or versions.get(n, 0) != self.versions.get(n, -1)]
        if force:
            self.audit_last_id = 0
            self.tables = {n: t for n, t in self.tables.items() if logical(n) in LOGICAL}
        for name in stale:
            self._replace(name, self._fetch(cur, name))
            self.versions[name] = versions.get(name, 0)
        moved = self._append_audit(cur)
        self.generation = generation
        self._loaded = dict(self.tables)
        return bool(stale) or moved

    def _fetch(self, cur: psycopg.Cursor[Any], name: str) -> dict[str, dict[str, Any]]:
        """Every physical table of logical table ``name``, laid out by the database itself."""
        found = {str(part): jsonio.loads(text) for part, text in cur.execute(sql.TABLES[name]).fetchall()}
        if name == "profiles":
            certs = jsonio.loads(_one(cur, sql.CERTIFICATES))
            links = jsonio.loads(_one(cur, sql.PROFILE_CERTIFICATES))
            for table in found.values():
                for doc in table.values():
                    doc["certificates"] = [certs[d] for d in links.get(doc["uuid"], ())]
        return found

    def _replace(self, name: str, physical: dict[str, dict[str, Any]]) -> None:
        """Put the physical table(s) of ``name`` in memory (a shard with no documents is absent)."""
        for part in shards(name):
            table = physical.get(part)
            if table:
                self.tables[part] = table
            else:
                self.tables.pop(part, None)
            self.hashes[part] = token(part)

    def _append_audit(self, cur: psycopg.Cursor[Any]) -> bool:
        """Add the audit events committed since the last one held to the newest chunk(s)."""
        rows = cur.execute(sql.AUDIT_SINCE, (self.audit_last_id,)).fetchall()
        if not rows:
            return False
        chunks = audit_tables(self.tables)
        name = chunks[-1] if chunks else audit_table(0)
        table = dict(self.tables.get(name, {}))
        index = len(chunks) - 1 if chunks else 0
        for event_id, doc in rows:
            if len(table) >= AUDIT_CHUNK:
                self._set_chunk(name, table)
                index += 1
                name, table = audit_table(index), {}
            table[str(len(table) + 1)] = doc
            self.audit_last_id = int(event_id)
        self._set_chunk(name, table)
        return True

    def _set_chunk(self, name: str, table: dict[str, Any]) -> None:
        self.tables[name] = table
        self.hashes[name] = token(name)


def _one(cur: psycopg.Cursor[Any], statement: str) -> Any:
    row = cur.execute(statement).fetchone()  # type: ignore[arg-type]
    if row is None:
        raise StoreError("store-corrupt", "the store's state row is missing")
    return row[0]
