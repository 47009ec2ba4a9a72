"""Original files in PostgreSQL: ``bytea`` rows named by their SHA-256 (the database checks the name).

Inside a transaction a blob is written on the transaction's connection, so it commits with
the documents that name it, or not at all; outside one (a bench or a copy filling a store)
it is written on its own. Reads verify the bytes against the name, as on disk.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import psycopg

from store.db.blobs import sha256_hex
from store.db.postgres import sql
from store.errors import StoreError

Cursor = Callable[[], psycopg.Cursor[Any]]


class PgBlobs:
    """The ``blobs`` table; ``cursor`` gives the transaction's cursor, or one of its own outside it."""

    def __init__(self, cursor: Cursor, location: str) -> None:
        self.cursor = cursor
        self.location = location

    def put_many(self, items: list[bytes]) -> list[str]:
        """Store several blobs (already stored ones are left alone); returns their digests."""
        rows = {sha256_hex(data): data for data in items}
        if rows:
            self.cursor().executemany(sql.PUT_BLOB, list(rows.items()))
        return [sha256_hex(data) for data in items]

    def put(self, data: bytes) -> str:
        """Store one blob; returns its digest."""
        return self.put_many([data])[0]

    def get(self, digest: str) -> bytes:
        """The bytes of ``digest``, checked against it."""
        row = self.cursor().execute(sql.BLOB, (digest,)).fetchone()
        if row is None:
            raise StoreError("blob-missing", f"the original file {digest} is missing from {self.location}")
        data = bytes(row[0])
        if sha256_hex(data) != digest:
            raise StoreError("blob-corrupt", f"the original file {digest} no longer matches its SHA-256")
        return data

    def exists(self, digest: str) -> bool:
        """Whether the blob of ``digest`` is stored."""
        row = self.cursor().execute(sql.BLOB_EXISTS, (digest,)).fetchone()
        return bool(row and row[0])
